"""Pricing is exact: integer fen, one rounding rule, the same weight always the same price."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, parse_yuan
from booth_pos.domain.pricing import (
    RoundDown,
    TenderIn,
    TenderMethod,
    cart_totals,
    line_amount,
    settle,
)
from booth_pos.domain.quantity import (
    MAX_LINE_GRAMS,
    PricingUnit,
    Quantity,
    check_quantity,
    format_kg,
    parse_quantity,
)

prices = st.integers(min_value=1, max_value=1_000_000)
grams = st.integers(min_value=1, max_value=MAX_LINE_GRAMS)
units = st.sampled_from(list(PricingUnit))


def amount_for(unit: PricingUnit, price: int, qty: int) -> int:
    quantity = Quantity.grams(qty) if unit.weighed else Quantity.units(qty)
    return line_amount(unit, price, quantity)


def test_lotus_root_by_the_jin() -> None:
    # 1.25 kg at ¥3.50 per jin is 2.5 jin: ¥8.75 exactly.
    assert line_amount(PricingUnit.JIN, 350, parse_quantity("1.25kg")) == 875


def test_half_fen_rounds_up_and_below_half_rounds_down() -> None:
    # 333 g at ¥6.80/jin = 452.88 fen -> 453; 1 g at ¥0.01/kg = 0.001 fen -> 0.
    assert line_amount(PricingUnit.JIN, 680, Quantity.grams(333)) == 453
    assert line_amount(PricingUnit.KG, 1, Quantity.grams(500)) == 1  # exactly half
    assert line_amount(PricingUnit.KG, 1, Quantity.grams(499)) == 0


@given(price=prices, grams_=grams, unit=st.sampled_from([PricingUnit.KG, PricingUnit.JIN]))
def test_same_weight_typed_in_kg_jin_or_g_costs_the_same(
    price: int, grams_: int, unit: PricingUnit
) -> None:
    # grams / 500 always has a finite decimal expansion, so every weight has a jin spelling.
    whole, rest = divmod(grams_, 500)
    jin = f"{whole}.{rest * 2:03d}".rstrip("0").rstrip(".")
    texts = [f"{grams_}g", f"{format_kg(grams_)}kg", f"{jin}jin"]
    amounts = {line_amount(unit, price, parse_quantity(text)) for text in texts}
    assert len(amounts) == 1
    assert all(parse_quantity(text) == Quantity.grams(grams_) for text in texts)


@given(price=prices, grams_=grams, unit=units)
def test_line_amount_is_never_negative_and_within_half_a_fen(
    price: int, grams_: int, unit: PricingUnit
) -> None:
    qty = grams_ if unit.weighed else min(grams_, 999)
    amount = amount_for(unit, price, qty)
    assert amount >= 0
    per = unit.grams_per_unit if unit.weighed else 1
    assert abs(amount * per - qty * price) * 2 <= per


@given(
    lines=st.lists(st.tuples(units, prices, grams), min_size=1, max_size=30),
    rule=st.sampled_from(list(RoundDown)),
)
def test_total_is_sum_of_lines_less_round_down(
    lines: list[tuple[PricingUnit, int, int]], rule: RoundDown
) -> None:
    amounts = [
        amount_for(unit, price, qty if unit.weighed else min(qty, 999))
        for unit, price, qty in lines
    ]
    try:
        totals = cart_totals(amounts, rule)
    except BadInput as exc:
        assert exc.code == "round_down_to_zero"
        assert sum(amounts) < rule.step_fen
        return
    assert totals.subtotal_fen == sum(amounts)
    assert totals.total_fen == totals.subtotal_fen - totals.round_down_fen
    assert 0 <= totals.round_down_fen < rule.step_fen
    assert totals.total_fen % rule.step_fen == 0
    assert totals.total_fen >= 0


def test_round_down_drops_small_change_only() -> None:
    assert cart_totals([1875], RoundDown.JIAO).total_fen == 1870
    assert cart_totals([1875], RoundDown.YUAN).total_fen == 1800
    assert cart_totals([1875], RoundDown.YUAN).round_down_fen == 75
    with pytest.raises(BadInput) as err:
        cart_totals([50], RoundDown.YUAN)
    assert err.value.code == "round_down_to_zero"


@given(
    total=st.integers(min_value=1, max_value=10_000_000),
    tenders=st.lists(
        st.tuples(st.sampled_from(list(TenderMethod)), st.integers(1, 10_000_000)),
        min_size=1,
        max_size=4,
    ),
)
def test_settlement_gives_change_from_cash_only(
    total: int, tenders: list[tuple[TenderMethod, int]]
) -> None:
    given_ = [TenderIn(m, a) for m, a in tenders]
    paid = sum(a for _, a in tenders)
    non_cash = sum(a for m, a in tenders if m is not TenderMethod.CASH)
    try:
        result = settle(total, given_)
    except BadInput as exc:
        assert (exc.code == "tender_below_total" and paid < total) or (
            exc.code == "change_on_non_cash" and non_cash > total
        )
        return
    assert result.paid_fen == paid
    assert result.change_fen == paid - total >= 0
    assert sum(t.change_fen for t in result.tenders) == result.change_fen
    for t in result.tenders:
        assert 0 <= t.change_fen <= t.amount_fen
        assert t.method is TenderMethod.CASH or t.change_fen == 0


def test_tender_below_total_is_refused() -> None:
    with pytest.raises(BadInput) as err:
        settle(5375, [TenderIn(TenderMethod.CASH, 5000)])
    assert err.value.code == "tender_below_total"
    assert "53.75" in err.value.message("en")


def test_no_change_on_a_phone_payment() -> None:
    with pytest.raises(BadInput) as err:
        settle(4500, [TenderIn(TenderMethod.MOBILE, 5000)])
    assert err.value.code == "change_on_non_cash"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", Quantity.units(3)),
        ("1.25kg", Quantity.grams(1250)),
        ("2.5jin", Quantity.grams(1250)),
        ("2斤", Quantity.grams(1000)),
        ("750g", Quantity.grams(750)),
        ("0.75 KG", Quantity.grams(750)),
    ],
)
def test_quantities_read_as_the_operator_types_them(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "bad_quantity"),
        ("1.5", "bad_quantity"),  # a fraction of an item
        ("2lb", "bad_quantity"),
        ("1.0005kg", "quantity_fraction_of_gram"),
    ],
)
def test_unreadable_quantities_are_refused(text: str, code: str) -> None:
    with pytest.raises(BadInput) as err:
        parse_quantity(text)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0", "quantity_not_positive"),
        ("-2", "quantity_not_positive"),
        ("-1.5kg", "quantity_not_positive"),
        ("101kg", "quantity_too_large"),
        ("1000", "quantity_too_large"),
    ],
)
def test_zero_negative_and_absurd_quantities_are_refused(text: str, code: str) -> None:
    with pytest.raises(BadInput) as err:
        check_quantity(parse_quantity(text), text)
    assert err.value.code == code


@given(fen=st.integers(min_value=0, max_value=100_000_000))
def test_yuan_text_round_trips(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen


@pytest.mark.parametrize("text", ["abc", "1.234", "-5", "", "1,000"])
def test_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(BadInput):
        parse_yuan(text)


def test_messages_exist_in_both_languages() -> None:
    err = BadInput("unknown_plu", plu="999")
    assert err.message("en") == "unknown PLU or barcode: 999"
    assert err.message("zh") == "未知商品编码：999"
