"""Ring-up, void and refund on a real SQLite ledger file."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.services import sales
from booth_pos.services.ledger import Ledger
from booth_pos.store.models import OutboxEntry, Product
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN
from tests.helpers import row_counts

CASH = TenderMethod.CASH
MOBILE = TenderMethod.MOBILE


def cart(*items: str) -> list[CartLine]:
    return [
        CartLine.parse(*item.split("=")) if "=" in item else CartLine.parse(item, "1")
        for item in items
    ]


def sell(
    ledger: Ledger, *items: str, pay: list[TenderIn] | None = None, rule: RoundDown = RoundDown.NONE
) -> sales.SaleView:
    return ledger.write(sales.ring_up, cart(*items), pay or [TenderIn(CASH, 100_000)], None, rule)


def test_ring_up_writes_the_whole_sale_at_once(ledger: Ledger) -> None:
    view = sell(
        ledger,
        "101=1.25kg",
        "201=2",
        "601=750g",
        pay=[TenderIn(CASH, 10_000), TenderIn(MOBILE, 5_000)],
    )
    # 2.5 jin x 3.50 + 2 x 45.00 + 1.5 jin x 12.00
    assert [line.amount_fen for line in view.lines] == [875, 9000, 1800]
    assert view.total_fen == 11_675
    assert view.change_fen == 15_000 - 11_675
    assert view.receipt_no == "LX01-000001"
    counts = row_counts(ledger.db_path)
    assert counts["sales"] == 1
    assert counts["sale_lines"] == 3
    assert counts["tenders"] == 2
    assert counts["stock_movements"] == 3
    assert counts["print_jobs"] == 1
    assert counts["outbox"] == 1
    with sqlite3.connect(ledger.db_path) as conn:
        payload, state = conn.execute("SELECT payload, state FROM outbox").fetchone()
        stock = conn.execute("SELECT sum(quantity) FROM stock_movements").fetchone()[0]
        change = conn.execute("SELECT method, change_fen FROM tenders ORDER BY id").fetchall()
    body = json.loads(payload)
    assert state == "pending"
    assert body["sale_id"] == view.sale_id
    assert body["total_fen"] == 11_675
    assert stock == -(1250 + 2 + 750)
    assert change == [("cash", 3325), ("mobile", 0)]


def test_receipt_numbers_follow_each_other_without_gaps(ledger: Ledger) -> None:
    numbers = [sell(ledger, "301").receipt_no for _ in range(3)]
    with pytest.raises(BadInput):
        sell(ledger, "301", pay=[TenderIn(CASH, 100)])
    numbers.append(sell(ledger, "301").receipt_no)
    assert numbers == ["LX01-000001", "LX01-000002", "LX01-000003", "LX01-000004"]


def test_a_scanned_barcode_rings_up_its_product(ledger: Ledger) -> None:
    view = sell(ledger, "6975123400010=2")
    assert view.lines[0].plu == "201"
    assert view.total_fen == 9000


def test_round_down_is_recorded_on_the_sale(ledger: Ledger) -> None:
    view = sell(ledger, "101=333g", rule=RoundDown.JIAO)  # 333 g at 3.50/jin = 233.1 -> 233
    assert (view.subtotal_fen, view.round_down_fen, view.total_fen) == (233, 3, 230)


def test_a_price_change_never_touches_a_committed_sale(ledger: Ledger) -> None:
    first = sell(ledger, "101=1kg")

    def raise_price(session: Session) -> None:
        session.execute(update(Product).where(Product.plu == "101").values(price_fen=500))

    ledger.write(raise_price)
    second = sell(ledger, "101=1kg")
    again = ledger.read(sales.show_sale, first.receipt_no)
    assert again.lines[0].unit_price_fen == 350
    assert again.total_fen == 700
    assert second.total_fen == 1000


@pytest.mark.parametrize(
    ("items", "pay", "code"),
    [
        (["999=1"], 10_000, "unknown_plu"),
        (["101=3"], 10_000, "count_for_weighed"),
        (["201=1kg"], 10_000, "weight_for_item"),
        (["201=1"], 4_000, "tender_below_total"),
    ],
)
def test_bad_sales_write_nothing(ledger: Ledger, items: list[str], pay: int, code: str) -> None:
    before = row_counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        sell(ledger, *items, pay=[TenderIn(CASH, pay)])
    assert err.value.code == code
    assert row_counts(ledger.db_path) == before


def test_change_on_a_phone_payment_writes_nothing(ledger: Ledger) -> None:
    before = row_counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        sell(ledger, "201", pay=[TenderIn(MOBILE, 5000)])
    assert err.value.code == "change_on_non_cash"
    assert row_counts(ledger.db_path) == before


def test_an_inactive_product_cannot_be_sold(ledger: Ledger) -> None:
    def retire(session: Session) -> None:
        session.execute(update(Product).where(Product.plu == "602").values(active=False))

    ledger.write(retire)
    with pytest.raises(BadInput) as err:
        sell(ledger, "602=1jin")
    assert err.value.code == "inactive_product"


def test_a_fault_half_way_through_leaves_no_trace(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Power cut or disk error after the sale row is written: nothing of it survives."""
    sell(ledger, "301")
    before = row_counts(ledger.db_path)

    def broken_enqueue(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(sales, "_enqueue", broken_enqueue)
    with pytest.raises(OSError):
        sell(ledger, "301")
    monkeypatch.undo()
    assert row_counts(ledger.db_path) == before
    assert sell(ledger, "301").receipt_no == "LX01-000002"


def test_void_returns_goods_and_is_a_new_record(ledger: Ledger) -> None:
    sale = sell(ledger, "101=2kg", "301")
    result = ledger.write(sales.void, sale.receipt_no, "customer changed mind", COORDINATOR_PIN)
    assert result.amount_fen == sale.total_fen
    assert result.authorised_by == "张敏"
    shown = ledger.read(sales.show_sale, sale.receipt_no)
    assert shown.voided
    assert shown.lines == sale.lines  # the sale itself is untouched
    with sqlite3.connect(ledger.db_path) as conn:
        net = conn.execute("SELECT sum(quantity) FROM stock_movements").fetchone()[0]
        kinds = [r[0] for r in conn.execute("SELECT doc_kind FROM outbox ORDER BY seq")]
    assert net == 0
    assert kinds == ["sale", "void", "audit"]


@pytest.mark.parametrize(
    ("pin", "code"), [("0000", "wrong_pin"), (OPERATOR_PIN, "not_coordinator")]
)
def test_void_needs_a_coordinator_pin(ledger: Ledger, pin: str, code: str) -> None:
    sale = sell(ledger, "301")
    before = row_counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        ledger.write(sales.void, sale.receipt_no, "mistake", pin)
    assert err.value.code == code
    # A wrong PIN leaves its audit entry (and its outbox document), nothing else.
    audited = 1 if code == "wrong_pin" else 0
    assert row_counts(ledger.db_path) == {**before, "outbox": before["outbox"] + audited}


def test_voiding_twice_or_an_unknown_receipt_is_refused(ledger: Ledger) -> None:
    sale = sell(ledger, "301")
    ledger.write(sales.void, sale.receipt_no, "mistake", COORDINATOR_PIN)
    before = row_counts(ledger.db_path)
    for receipt, code in ((sale.receipt_no, "already_voided"), ("LX01-999999", "unknown_receipt")):
        with pytest.raises(BadInput) as err:
            ledger.write(sales.void, receipt, "again", COORDINATOR_PIN)
        assert err.value.code == code
    assert row_counts(ledger.db_path) == before


def test_partial_refunds_never_give_back_more_than_was_paid(ledger: Ledger) -> None:
    sale = sell(ledger, "101=333g", "201=3", rule=RoundDown.YUAN)  # 233 + 13500 -> 137.00
    assert sale.total_fen == 13_700
    one_jar = ledger.write(sales.refund, sale.receipt_no, "broken jar", COORDINATOR_PIN, {2: 1})
    assert one_jar.amount_fen == 4500
    assert one_jar.refund_no == "LX01-R000003"  # seq 2: the round-down's audit entry
    rest = ledger.write(sales.refund, sale.receipt_no, "returned", COORDINATOR_PIN)
    # Whatever is left, less the round-down the customer never paid.
    assert one_jar.amount_fen + rest.amount_fen == sale.total_fen
    before = row_counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        ledger.write(sales.refund, sale.receipt_no, "again", COORDINATOR_PIN, {2: None})
    assert err.value.code == "refund_too_much"
    with pytest.raises(BadInput) as err:
        ledger.write(sales.refund, sale.receipt_no, "again", COORDINATOR_PIN)
    assert err.value.code == "nothing_to_refund"
    assert row_counts(ledger.db_path) == before
    shown = ledger.read(sales.show_sale, sale.receipt_no)
    assert shown.refunded_fen == sale.total_fen
    assert [line.refunded_quantity for line in shown.lines] == [333, 3]


def test_refunding_more_than_sold_or_a_missing_line_writes_nothing(ledger: Ledger) -> None:
    sale = sell(ledger, "201=2")
    before = row_counts(ledger.db_path)
    for lines, code in (
        ({1: 3}, "refund_too_much"),
        ({2: None}, "unknown_line"),
        ({1: 0}, "refund_too_much"),
    ):
        with pytest.raises(BadInput) as err:
            ledger.write(sales.refund, sale.receipt_no, "x", COORDINATOR_PIN, lines)
        assert err.value.code == code
    assert row_counts(ledger.db_path) == before


def test_refunded_and_voided_sales_exclude_each_other(ledger: Ledger) -> None:
    refunded = sell(ledger, "201=2")
    ledger.write(sales.refund, refunded.receipt_no, "one back", COORDINATOR_PIN, {1: 1})
    voided = sell(ledger, "201=2")
    ledger.write(sales.void, voided.receipt_no, "wrong till", COORDINATOR_PIN)
    with pytest.raises(BadInput) as err:
        ledger.write(sales.void, refunded.receipt_no, "x", COORDINATOR_PIN)
    assert err.value.code == "void_after_refund"
    with pytest.raises(BadInput) as err:
        ledger.write(sales.refund, voided.receipt_no, "x", COORDINATOR_PIN)
    assert err.value.code == "refund_voided"


def test_a_reason_is_required(ledger: Ledger) -> None:
    sale = sell(ledger, "301")
    with pytest.raises(BadInput) as err:
        ledger.write(sales.void, sale.receipt_no, "  ", COORDINATOR_PIN)
    assert err.value.code == "empty_reason"


def test_every_document_reaches_the_outbox_in_order(ledger: Ledger) -> None:
    a = sell(ledger, "301")
    sell(ledger, "401")
    ledger.write(sales.void, a.receipt_no, "x", COORDINATOR_PIN)

    def outbox(session: Session) -> list[tuple[int, str]]:
        rows = session.execute(
            select(OutboxEntry.seq, OutboxEntry.doc_kind).order_by(OutboxEntry.seq)
        )
        return [(seq, kind) for seq, kind in rows]

    assert ledger.read(outbox) == [(1, "sale"), (2, "sale"), (3, "void"), (4, "audit")]


def test_list_sales_newest_first(ledger: Ledger) -> None:
    sell(ledger, "301")
    sell(ledger, "401")
    listed = ledger.read(sales.list_sales)
    assert [v.receipt_no for v in listed] == ["LX01-000002", "LX01-000001"]


def test_a_coordinator_price_override_is_charged_and_remembered(ledger: Ledger) -> None:
    line = CartLine.parse("101", "1kg")
    cheaper = CartLine(line.code, line.quantity, price_fen=300)
    pay = [TenderIn(CASH, 1000)]
    before = row_counts(ledger.db_path)
    for pin, code in (
        (None, "not_coordinator"),
        (OPERATOR_PIN, "not_coordinator"),
        ("0000", "wrong_pin"),
    ):
        with pytest.raises(BadInput) as err:
            ledger.write(sales.ring_up, [cheaper], pay, None, RoundDown.NONE, pin)
        assert err.value.code == code
    with pytest.raises(BadInput) as err:
        ledger.write(
            sales.ring_up,
            [CartLine(line.code, line.quantity, price_fen=0)],
            pay,
            None,
            RoundDown.NONE,
            COORDINATOR_PIN,
        )
    assert err.value.code == "amount_not_positive"
    # Only the wrong PIN left a trace: its audit entry, sent to the county in the outbox.
    assert row_counts(ledger.db_path) == {**before, "outbox": before["outbox"] + 1}
    view = ledger.write(sales.ring_up, [cheaper], pay, None, RoundDown.NONE, COORDINATOR_PIN)
    assert view.total_fen == 600  # 2 jin at ¥3.00
    assert (view.lines[0].unit_price_fen, view.lines[0].list_price_fen) == (300, 350)
    assert view.lines[0].override_by == "张敏"
    again = ledger.read(sales.show_sale, view.receipt_no)
    assert again.lines[0].override_by == "张敏"
