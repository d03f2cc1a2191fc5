"""The audit trail: every sensitive action once, append-only, failed PINs and lock-out."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.domain.reports import CashCount
from booth_pos.services import (
    audit,
    auth,
    booth,
    catalog_edit,
    dayend,
    people,
    sales,
    settings,
)
from booth_pos.services.ledger import Ledger
from booth_pos.store.models import AuditEntry, OutboxEntry
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN
from tests.helpers import row_counts

CASH = TenderMethod.CASH
SERVICES = Path(__file__).parents[3] / "booth_pos" / "services"


class Clock:
    """booth.now_utc, moved on by the test (naive UTC, offset +08:00)."""

    def __init__(self) -> None:
        self.utc = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    def __call__(self) -> tuple[dt.datetime, int]:
        self.utc += dt.timedelta(microseconds=1)
        return self.utc, 480

    def advance(self, **delta: float) -> None:
        self.utc += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moving = Clock()
    monkeypatch.setattr(booth, "now_utc", moving)
    monkeypatch.setattr(sales, "now_utc", moving)
    return moving


def sell(
    ledger: Ledger,
    item: str,
    qty: str,
    price_fen: int | None = None,
    rule: RoundDown = RoundDown.NONE,
    pin: str | None = None,
) -> sales.SaleView:
    line = CartLine.parse(item, qty)
    if price_fen is not None:
        line = CartLine(line.code, line.quantity, price_fen=price_fen)
    return ledger.write(sales.ring_up, [line], [TenderIn(CASH, 100_000)], None, rule, pin)


def actions(ledger: Ledger) -> dict[str, int]:
    return ledger.read(audit.count_actions)


def outbox_audits(ledger: Ledger) -> int:
    def count(session: Session) -> int:
        return len(
            session.scalars(select(OutboxEntry.id).where(OutboxEntry.doc_kind == "audit")).all()
        )

    return ledger.read(count)


def test_every_sensitive_action_is_audited_exactly_once(ledger: Ledger) -> None:
    plain = sell(ledger, "301", "1")
    assert actions(ledger) == {}  # a plain sale leaves no audit entry
    with pytest.raises(BadInput):
        ledger.write(sales.void, plain.receipt_no, "mistake", "0000")
    assert actions(ledger) == {"pin_failed": 1}

    ledger.write(sales.void, plain.receipt_no, "mistake", COORDINATOR_PIN)
    refunded = sell(ledger, "201", "2")
    ledger.write(sales.refund, refunded.receipt_no, "cracked", COORDINATOR_PIN, {1: 1})
    sell(ledger, "101", "1kg", price_fen=300, pin=COORDINATOR_PIN)
    sell(ledger, "101", "333g", rule=RoundDown.JIAO)  # 233 fen -> 2.30
    ledger.write(
        catalog_edit.save_product, COORDINATOR_PIN, "101", "莲藕", "Lotus root", "蔬菜", "jin",
        380, "H001",
    )  # fmt: skip
    ledger.write(
        catalog_edit.save_product, COORDINATOR_PIN, "701", "莲子", "", "干货", "jin", 2_000, "H001"
    )
    ledger.write(
        catalog_edit.save_household,
        COORDINATOR_PIN,
        "H009",
        "王家",
        "西村",
        "莲花镇",
        "family_farm",
    )
    ledger.write(people.add_person, COORDINATOR_PIN, "王芳", "operator", "3333")
    current = ledger.read(settings.load_settings)
    ledger.write(settings.save_settings, current, COORDINATOR_PIN)
    ledger.write(dayend.close_day, COORDINATOR_PIN, None, CashCount.parse("100x5"))

    expected = {
        "pin_failed": 1,
        "void": 1,
        "refund": 1,
        "price_override": 1,
        "round_down": 1,
        "price_change": 1,
        "product_change": 1,  # the new 701 (the 101 edit changed only its price)
        "household_change": 1,
        "people_change": 1,
        "settings_change": 1,
        "day_close": 1,
    }
    assert actions(ledger) == expected
    assert outbox_audits(ledger) == sum(expected.values())  # every entry travels to the county
    newest = ledger.read(audit.list_audit)
    assert newest[0].action == "day_close" and newest[-1].action == "pin_failed"
    assert newest[0].operator == "张敏" and newest[-1].operator == audit.COORDINATOR_PIN
    void_entry = ledger.read(audit.list_audit, "void")[0]
    assert void_entry.details["receipt_no"] == plain.receipt_no


def test_list_audit_filters_newest_first(ledger: Ledger, clock: Clock) -> None:
    sale = sell(ledger, "301", "1")
    ledger.write(sales.void, sale.receipt_no, "x", COORDINATOR_PIN)
    clock.advance(hours=1)
    since = clock.utc
    ledger.write(people.add_person, COORDINATOR_PIN, "王芳", "operator", "3333")
    with pytest.raises(BadInput):
        ledger.read(auth.log_in, "李娜", "9999")
    every = ledger.read(audit.list_audit)
    assert [e.action for e in every] == ["pin_failed", "people_change", "void"]
    assert [e.action for e in ledger.read(audit.list_audit, None, None, since)] == [
        "pin_failed",
        "people_change",
    ]
    assert [e.action for e in ledger.read(audit.list_audit, None, "李娜")] == ["pin_failed"]
    assert [e.action for e in ledger.read(audit.list_audit, "void")] == ["void"]
    assert len(ledger.read(audit.list_audit, None, None, None, 1)) == 1
    assert every[0].utc_offset_min == 480 and every[0].at.tzinfo is None


def test_the_audit_log_cannot_be_changed(ledger: Ledger) -> None:
    ledger.write(people.add_person, COORDINATOR_PIN, "王芳", "operator", "3333")
    with closing(sqlite3.connect(ledger.db_path)) as conn:
        for sql in ("UPDATE audit_log SET operator = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql)
            conn.rollback()

    def rewrite(session: Session) -> None:
        session.execute(update(AuditEntry).values(details="{}"))

    def remove(session: Session) -> None:
        session.execute(delete(AuditEntry))

    for attempt in (rewrite, remove):
        with pytest.raises(DBAPIError):
            ledger.write(attempt)
    assert len(ledger.read(audit.list_audit)) == 1
    # No service even tries: nothing in booth_pos/services updates or deletes audit entries.
    for source in SERVICES.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "update(AuditEntry" not in text and "delete(AuditEntry" not in text, source.name


def test_a_wrong_pin_is_refused_writes_nothing_else_and_is_audited(ledger: Ledger) -> None:
    sale = sell(ledger, "301", "1")
    before = row_counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        ledger.write(sales.refund, sale.receipt_no, "x", "0000")
    assert err.value.code == "wrong_pin"
    assert row_counts(ledger.db_path) == {**before, "outbox": before["outbox"] + 1}
    with pytest.raises(BadInput) as err:  # an operator's PIN is not a wrong PIN
        ledger.write(sales.refund, sale.receipt_no, "x", OPERATOR_PIN)
    assert err.value.code == "not_coordinator"
    assert actions(ledger) == {"pin_failed": 1}


def test_five_wrong_pins_lock_that_name_out_for_five_minutes(ledger: Ledger, clock: Clock) -> None:
    for _ in range(audit.LOCKOUT_FAILURES):
        clock.advance(minutes=1)
        with pytest.raises(BadInput) as err:
            ledger.read(auth.log_in, "李娜", "9999")
        assert err.value.code == "wrong_pin"
    with pytest.raises(BadInput) as err:
        ledger.read(auth.log_in, "李娜", OPERATOR_PIN)  # even the right PIN
    assert err.value.code == "pin_locked"
    assert "5" in err.value.message("en")
    assert ledger.read(auth.log_in, "赵磊", "2222").name == "赵磊"  # others are not locked
    assert actions(ledger) == {"pin_failed": 5}  # refusals while locked are not counted
    locked = {p.name: p.locked_until for p in ledger.read(people.list_people)}
    assert locked["李娜"] is not None and locked["赵磊"] is None
    clock.advance(minutes=5, seconds=1)
    assert ledger.read(auth.log_in, "李娜", OPERATOR_PIN).name == "李娜"


def test_wrong_pins_spread_over_more_than_ten_minutes_do_not_lock(
    ledger: Ledger, clock: Clock
) -> None:
    for _ in range(audit.LOCKOUT_FAILURES + 2):
        clock.advance(minutes=3)
        with pytest.raises(BadInput) as err:
            ledger.read(auth.log_in, "李娜", "9999")
        assert err.value.code == "wrong_pin"


def test_coordinator_pin_checks_lock_out_too(ledger: Ledger, clock: Clock) -> None:
    sale = sell(ledger, "301", "1")
    for _ in range(audit.LOCKOUT_FAILURES):
        with pytest.raises(BadInput):
            ledger.write(sales.void, sale.receipt_no, "x", "0000")
    before = row_counts(ledger.db_path)
    for attempt in (
        lambda: ledger.write(sales.void, sale.receipt_no, "x", COORDINATOR_PIN),
        lambda: ledger.read(auth.check_coordinator, COORDINATOR_PIN),
    ):
        with pytest.raises(BadInput) as err:
            attempt()
        assert err.value.code == "pin_locked"
    assert row_counts(ledger.db_path) == before
    assert ledger.read(auth.log_in, "张敏", COORDINATOR_PIN).name == "张敏"  # log-in is per name
    clock.advance(minutes=6)
    assert ledger.write(sales.void, sale.receipt_no, "x", COORDINATOR_PIN).authorised_by == "张敏"


def test_unknown_actions_are_refused(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        ledger.write(audit.record, "coffee_break", "张敏", {})
