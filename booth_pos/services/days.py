"""The booth's day: what "the day of a document" means, and the lock a day close puts on it.

A document's day is its **local calendar date**: ``occurred_at`` (naive UTC) plus the
document's own ``utc_offset_min`` (what the till's clock said the local offset was when the
document was written). Midnight to midnight, local time. Nothing else (no "business day"
that runs past midnight): a booth still selling after midnight is selling on the next day.

Closing a day locks it and every day before it: a sale, void, refund, stock entry, shift or
pay-in/out whose day is on or before the latest closed day is refused (``day_closed``).
Corrections after a close are new entries dated to the day they are made. The check is one
indexed lookup (the unique index on ``day_closes.day``), cheap enough for every ring-up.

Sales, voids and refunds have no day column: they are found by ranges of
``(utc_offset_min, occurred_at)`` (an index on each table), one range per offset in use,
which is exact even if the till's offset changed during the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from booth_pos.domain.errors import BadInput
from booth_pos.store.models import DayClose

FIRST_DAY = dt.date(2000, 1, 1)  # before any booth's first sale
LAST_DAY = dt.date(9000, 1, 1)  # after any booth's last sale
_LAST_CLOSED_SQL = "SELECT max(day) FROM day_closes"


def local_day(at_utc: dt.datetime, utc_offset_min: int) -> dt.date:
    return (at_utc + dt.timedelta(minutes=utc_offset_min)).date()


def day_start_utc(day: dt.date, utc_offset_min: int) -> dt.datetime:
    """Local midnight at the start of `day`, as naive UTC."""
    return dt.datetime.combine(day, dt.time()) - dt.timedelta(minutes=utc_offset_min)


def last_closed_day(session: Session) -> dt.date | None:
    day: dt.date | None = session.scalar(select(func.max(DayClose.day)))
    return day


def check_open(session: Session, at_utc: dt.datetime, utc_offset_min: int) -> dt.date:
    """The day of an entry made now; BadInput("day_closed") if that day is closed.

    Called by every ring-up, so it skips the ORM: one plain statement on the unique index
    (SQLite keeps a Date as 'YYYY-MM-DD', which compares as the date does).
    """
    day = local_day(at_utc, utc_offset_min)
    last = session.connection().exec_driver_sql(_LAST_CLOSED_SQL).scalar()
    if last is not None and day.isoformat() <= str(last):
        raise BadInput("day_closed", day=day.isoformat())
    return day


def offsets_in_use(session: Session, offset_col: InstrumentedAttribute[int] | Any) -> list[int]:
    """The distinct offsets of a table, by a loose scan of its (offset, time) index."""
    found: list[int] = []
    while True:
        query = select(func.min(offset_col))
        if found:
            query = query.where(offset_col > found[-1])
        value = session.scalar(query)
        if value is None:
            return found
        found.append(int(value))


def time_window(
    offset_col: Any, time_col: Any, offsets: Sequence[int], start: dt.datetime, end: dt.datetime
) -> ColumnElement[bool]:
    """Documents with start <= occurred_at < end (UTC), one index range per offset."""
    if not offsets:
        return false()
    return or_(*(and_(offset_col == o, time_col >= start, time_col < end) for o in offsets))


def days_window(
    offset_col: Any, time_col: Any, offsets: Sequence[int], first: dt.date, last: dt.date
) -> ColumnElement[bool]:
    """Documents whose local day is in first..last (inclusive), exact per offset."""
    if not offsets or first > last:
        return false()
    return or_(
        *(
            and_(
                offset_col == o,
                time_col >= day_start_utc(first, o),
                time_col < day_start_utc(last + dt.timedelta(days=1), o),
            )
            for o in offsets
        )
    )
