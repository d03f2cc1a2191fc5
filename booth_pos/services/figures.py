"""The sums behind shifts, stock and the day's reports: aggregate SQL over a window of documents.

A window is a condition on sales, voids and refunds (by day or by time, see `days`). Each
figure is one GROUP BY query; no document is loaded as an object, so a day of a busy booth
costs a few index range scans.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, String, func, select
from sqlalchemy.orm import Session

from booth_pos.services import days
from booth_pos.store.models import (
    DayClose,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    StockClosing,
    StockEntry,
    Tender,
    Void,
)

METHODS = ("cash", "mobile", "other")
_OFFSETS_KEY = "booth_pos.figures.offsets"


@dataclass(frozen=True)
class Windows:
    sales: ColumnElement[bool]
    voids: ColumnElement[bool]
    refunds: ColumnElement[bool]


def offsets(session: Session) -> tuple[list[int], list[int], list[int]]:
    """The offsets in use by sales, voids and refunds; looked up once per unit of work
    (day-end work never adds a sale, void or refund in the same session)."""
    cached: tuple[list[int], list[int], list[int]] | None = session.info.get(_OFFSETS_KEY)
    if cached is None:
        cached = session.info[_OFFSETS_KEY] = (
            days.offsets_in_use(session, Sale.utc_offset_min),
            days.offsets_in_use(session, Void.utc_offset_min),
            days.offsets_in_use(session, Refund.utc_offset_min),
        )
    return cached


def day_windows(session: Session, first: dt.date, last: dt.date) -> Windows:
    s, v, r = offsets(session)
    return Windows(
        days.days_window(Sale.utc_offset_min, Sale.occurred_at, s, first, last),
        days.days_window(Void.utc_offset_min, Void.occurred_at, v, first, last),
        days.days_window(Refund.utc_offset_min, Refund.occurred_at, r, first, last),
    )


def time_windows(session: Session, start: dt.datetime, end: dt.datetime) -> Windows:
    s, v, r = offsets(session)
    return Windows(
        days.time_window(Sale.utc_offset_min, Sale.occurred_at, s, start, end),
        days.time_window(Void.utc_offset_min, Void.occurred_at, v, start, end),
        days.time_window(Refund.utc_offset_min, Refund.occurred_at, r, start, end),
    )


# ------------------------------------------------------------------------------- money flows


@dataclass
class Flow:
    """Money by one tender method: taken on sales, given back by voids and by refunds."""

    sales: int = 0
    voids: int = 0
    refunds: int = 0

    @property
    def net(self) -> int:
        return self.sales - self.voids - self.refunds


@dataclass
class Flows:
    by_method: dict[str, Flow] = field(default_factory=lambda: {m: Flow() for m in METHODS})
    refunds_count: int = 0

    def method(self, name: str) -> Flow:
        return self.by_method.setdefault(name, Flow())


def tender_flows(session: Session, w: Windows) -> Flows:
    flows = Flows()
    taken = session.execute(
        select(Tender.method, func.sum(Tender.amount_fen - Tender.change_fen))
        .join(Sale, Sale.id == Tender.sale_id)
        .where(w.sales)
        .group_by(Tender.method)
    )
    for method, amount in taken:
        flows.method(method).sales = int(amount or 0)
    voided = session.execute(
        select(Tender.method, func.sum(Tender.amount_fen - Tender.change_fen))
        .select_from(Void)
        .join(Tender, Tender.sale_id == Void.sale_id)
        .where(w.voids)
        .group_by(Tender.method)
    )
    for method, amount in voided:
        flows.method(method).voids = int(amount or 0)
    refunded = session.execute(
        select(Refund.method, func.sum(Refund.amount_fen), func.count())
        .where(w.refunds)
        .group_by(Refund.method)
    )
    for method, amount, count in refunded:
        flows.method(method).refunds = int(amount or 0)
        flows.refunds_count += int(count)
    return flows


# ------------------------------------------------------------------------------ goods flows


@dataclass
class Goods:
    """One product (as sold for one household) over a window: quantities and amounts."""

    product_id: int
    household_id: int
    plu: str = ""
    name_zh: str = ""
    name_en: str = ""
    unit: str = "item"
    household_name: str = ""
    sold_qty: int = 0
    sold_fen: int = 0
    voided_qty: int = 0
    voided_fen: int = 0
    refunded_qty: int = 0
    refunded_fen: int = 0


def goods_flows(session: Session, w: Windows) -> dict[tuple[int, int], Goods]:
    """Per (product, household): sold on the window's sales, voided and refunded in it.

    Names come from the snapshot on the group's latest line (one lookup per group), which
    is cheaper than carrying text through the aggregate of a busy day's lines.
    """
    out: dict[tuple[int, int], Goods] = {}
    latest: dict[tuple[int, int], int] = {}

    def take(pid: int, hid: int, line_id: int) -> Goods:
        key = (int(pid), int(hid))
        latest[key] = max(latest.get(key, 0), int(line_id))
        return out.setdefault(key, Goods(*key))

    key_cols = (SaleLine.product_id, SaleLine.household_id, func.max(SaleLine.id))
    sold = session.execute(
        select(*key_cols, func.sum(SaleLine.quantity), func.sum(SaleLine.amount_fen))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(w.sales)
        .group_by(SaleLine.product_id, SaleLine.household_id)
    )
    for pid, hid, line_id, qty, amount in sold:
        goods = take(pid, hid, line_id)
        goods.sold_qty, goods.sold_fen = int(qty), int(amount)
    voided = session.execute(
        select(*key_cols, func.sum(SaleLine.quantity), func.sum(SaleLine.amount_fen))
        .select_from(Void)
        .join(SaleLine, SaleLine.sale_id == Void.sale_id)
        .where(w.voids)
        .group_by(SaleLine.product_id, SaleLine.household_id)
    )
    for pid, hid, line_id, qty, amount in voided:
        goods = take(pid, hid, line_id)
        goods.voided_qty, goods.voided_fen = int(qty), int(amount)
    refunded = session.execute(
        select(*key_cols, func.sum(RefundLine.quantity), func.sum(RefundLine.amount_fen))
        .select_from(Refund)
        .join(RefundLine, RefundLine.refund_id == Refund.id)
        .join(SaleLine, SaleLine.id == RefundLine.sale_line_id)
        .where(w.refunds)
        .group_by(SaleLine.product_id, SaleLine.household_id)
    )
    for pid, hid, line_id, qty, amount in refunded:
        goods = take(pid, hid, line_id)
        goods.refunded_qty, goods.refunded_fen = int(qty), int(amount)
    if latest:
        names = session.execute(
            select(
                SaleLine.product_id,
                SaleLine.household_id,
                SaleLine.plu,
                SaleLine.name_zh,
                SaleLine.name_en,
                SaleLine.unit,
                SaleLine.household_name,
            ).where(SaleLine.id.in_(latest.values()))
        )
        for pid, hid, plu, name_zh, name_en, unit, household_name in names:
            goods = out[(int(pid), int(hid))]
            goods.plu, goods.name_zh, goods.name_en = plu, name_zh, name_en
            goods.unit, goods.household_name = unit, household_name
    return out


# ------------------------------------------------------------------------------------ stock


@dataclass
class StockDelta:
    received: int = 0
    sold: int = 0
    refunded: int = 0
    voided: int = 0
    wasted: int = 0  # a positive quantity
    adjusted: int = 0  # counts' corrections, signed
    tracked: bool = False  # received or counted

    @property
    def net(self) -> int:
        return self.received - self.sold + self.refunded + self.voided - self.wasted + self.adjusted


def stock_entries(session: Session, first: dt.date, last: dt.date) -> dict[int, StockDelta]:
    out: dict[int, StockDelta] = defaultdict(StockDelta)
    rows = session.execute(
        select(StockEntry.product_id, StockEntry.kind, func.sum(StockEntry.quantity))
        .where(StockEntry.day >= first, StockEntry.day <= last)
        .group_by(StockEntry.product_id, StockEntry.kind)
    )
    for pid, kind, qty in rows:
        delta = out[int(pid)]
        if kind == "receive":
            delta.received += int(qty)
            delta.tracked = True
        elif kind == "waste":
            delta.wasted -= int(qty)
        else:
            delta.adjusted += int(qty)
            delta.tracked = True
    return dict(out)


def stock_deltas_from(
    goods: dict[tuple[int, int], Goods], entries: dict[int, StockDelta]
) -> dict[int, StockDelta]:
    out: dict[int, StockDelta] = {pid: StockDelta(**vars(d)) for pid, d in entries.items()}
    for g in goods.values():
        delta = out.setdefault(g.product_id, StockDelta())
        delta.sold += g.sold_qty
        delta.refunded += g.refunded_qty
        delta.voided += g.voided_qty
    return out


def _stock_goods(session: Session, w: Windows) -> dict[tuple[int, int], Goods]:
    """Quantities only: the same as goods_flows, for stock (names are not needed)."""
    out: dict[tuple[int, int], Goods] = {}

    def add(rows: object, attr: str) -> None:
        for pid, hid, qty in rows:  # type: ignore[attr-defined]
            key = (int(pid), int(hid))
            goods = out.setdefault(key, Goods(*key))
            setattr(goods, attr, int(qty))

    add(
        session.execute(
            select(SaleLine.product_id, SaleLine.household_id, func.sum(SaleLine.quantity))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(w.sales)
            .group_by(SaleLine.product_id, SaleLine.household_id)
        ),
        "sold_qty",
    )
    add(
        session.execute(
            select(SaleLine.product_id, SaleLine.household_id, func.sum(SaleLine.quantity))
            .select_from(Void)
            .join(SaleLine, SaleLine.sale_id == Void.sale_id)
            .where(w.voids)
            .group_by(SaleLine.product_id, SaleLine.household_id)
        ),
        "voided_qty",
    )
    add(
        session.execute(
            select(SaleLine.product_id, SaleLine.household_id, func.sum(RefundLine.quantity))
            .select_from(Refund)
            .join(RefundLine, RefundLine.refund_id == Refund.id)
            .join(SaleLine, SaleLine.id == RefundLine.sale_line_id)
            .where(w.refunds)
            .group_by(SaleLine.product_id, SaleLine.household_id)
        ),
        "refunded_qty",
    )
    return out


def stock_deltas(session: Session, first: dt.date, last: dt.date) -> dict[int, StockDelta]:
    if first > last:
        return {}
    goods = _stock_goods(session, day_windows(session, first, last))
    return stock_deltas_from(goods, stock_entries(session, first, last))


@dataclass(frozen=True)
class Level:
    quantity: int
    tracked: bool


def _closing_before(session: Session, day: dt.date) -> tuple[dt.date | None, dict[int, Level]]:
    """The latest closed day before `day` (inclusive of none) and its closing stock."""
    close = session.execute(
        select(DayClose.id, DayClose.day).where(DayClose.day < day).order_by(DayClose.day.desc())
    ).first()
    if close is None:
        return None, {}
    rows = session.execute(
        select(StockClosing.product_id, StockClosing.closing, StockClosing.tracked).where(
            StockClosing.day_close_id == close.id
        )
    )
    return close.day, {int(pid): Level(int(q), bool(t)) for pid, q, t in rows}


def levels_before(session: Session, day: dt.date) -> dict[int, Level]:
    """Book stock per product at the start of `day` (local midnight)."""
    closed, levels = _closing_before(session, day)
    first = days.FIRST_DAY if closed is None else closed + dt.timedelta(days=1)
    deltas = stock_deltas(session, first, day - dt.timedelta(days=1))
    return apply(levels, deltas)


def apply(levels: dict[int, Level], deltas: dict[int, StockDelta]) -> dict[int, Level]:
    out = dict(levels)
    for pid, delta in deltas.items():
        old = out.get(pid, Level(0, False))
        out[pid] = Level(old.quantity + delta.net, old.tracked or delta.tracked)
    return out


def levels_now(session: Session) -> dict[int, Level]:
    """Book stock per product now: the last close's closing plus everything since."""
    return levels_before(session, days.LAST_DAY)


def sale_count(session: Session, w: Windows) -> int:
    return int(session.scalar(select(func.count()).select_from(Sale).where(w.sales)) or 0)


def clock_of(column: Any, minutes: bool) -> ColumnElement[str]:
    """'HH' or 'HH:MM' of a stored DateTime (SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff')."""
    return func.substr(column, 12, 5 if minutes else 2, type_=String)
