"""The weight keypad: typed digits in kg, jin or g, less the tare, priced by the ledger's rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import line_amount
from booth_pos.domain.quantity import (
    MAX_LINE_GRAMS,
    PricingUnit,
    Quantity,
    WeightUnit,
    format_kg,
)
from booth_pos.domain.weighing import WeightDraft


def typed(text: str, unit: PricingUnit = PricingUnit.JIN, price: int = 350) -> WeightDraft:
    draft = WeightDraft(unit, price)
    draft.type_text(text)
    return draft


def test_weights_are_typed_in_the_products_pricing_unit_by_default() -> None:
    assert WeightDraft(PricingUnit.JIN, 350).entry_unit is WeightUnit.JIN
    assert WeightDraft(PricingUnit.KG, 350).entry_unit is WeightUnit.KG
    with pytest.raises(ValueError):
        WeightDraft(PricingUnit.ITEM, 350)


def test_lotus_root_by_the_jin() -> None:
    draft = typed("1.25")  # 1.25 jin at ¥3.50/jin = ¥4.375 -> ¥4.38
    assert draft.gross_grams == 625
    assert draft.net_grams == 625
    assert draft.amount_fen == 438
    assert draft.problem is None
    assert draft.quantity() == Quantity.grams(625)


def test_switching_unit_keeps_the_digits() -> None:
    draft = typed("1.25")
    draft.set_unit(WeightUnit.KG)
    assert draft.text == "1.25"
    assert draft.gross_grams == 1250
    assert draft.amount_fen == 875  # 2.5 jin at ¥3.50
    draft.set_unit(WeightUnit.G)
    assert draft.problem is not None and draft.problem.code == "quantity_fraction_of_gram"
    assert draft.amount_fen == 0
    assert draft.gross_grams is None


def test_tare_comes_off_the_gross_weight() -> None:
    draft = typed("1.25", PricingUnit.KG, 680)
    draft.set_unit(WeightUnit.KG)
    draft.set_tare(200)
    assert (draft.gross_grams, draft.net_grams) == (1250, 1050)
    assert draft.amount_fen == line_amount(PricingUnit.KG, 680, Quantity.grams(1050)) == 714
    assert draft.quantity() == Quantity.grams(1050)
    draft.set_tare(0)
    assert draft.amount_fen == 850


def test_tare_heavier_than_the_goods_is_refused() -> None:
    draft = typed("0.2", PricingUnit.KG)
    draft.set_tare(200)
    assert draft.net_grams == 0
    assert draft.problem is not None and draft.problem.code == "quantity_not_positive"
    assert "0.2kg - 0.2kg" in draft.problem.message("en")
    with pytest.raises(BadInput):
        draft.quantity()
    with pytest.raises(ValueError):
        draft.set_tare(-1)


@pytest.mark.parametrize("text", ["", "0", ".", "0.", "0.000"])
def test_nothing_or_zero_is_not_a_weight(text: str) -> None:
    draft = typed(text)
    assert draft.problem is not None and draft.problem.code == "quantity_not_positive"
    assert draft.amount_fen == 0
    with pytest.raises(BadInput) as err:
        draft.quantity()
    assert err.value.code == "quantity_not_positive"


def test_over_a_hundred_kilograms_is_a_slip() -> None:
    draft = typed("101", PricingUnit.KG)
    assert draft.problem is not None and draft.problem.code == "quantity_too_large"
    assert draft.amount_fen == 0
    exactly = typed("100", PricingUnit.KG)
    assert exactly.problem is None
    assert exactly.quantity() == Quantity.grams(MAX_LINE_GRAMS)
    jin = typed("200.002")  # 100.001 kg
    assert jin.problem is not None and jin.problem.code == "quantity_too_large"


def test_half_a_gram_is_refused() -> None:
    draft = typed("0.001")  # 0.5 g
    assert draft.problem is not None and draft.problem.code == "quantity_fraction_of_gram"
    assert typed("0.002").quantity() == Quantity.grams(1)


def test_keypad_editing() -> None:
    draft = WeightDraft(PricingUnit.KG, 100)
    assert draft.type_key("0")
    assert draft.type_key("5")
    assert draft.text == "5"  # leading zero dropped
    assert draft.type_key(".")
    assert not draft.type_key(".")
    assert not draft.type_key("x")
    draft.type_text("1234")
    assert draft.text == "5.123"  # three decimals at most
    draft.backspace()
    assert draft.text == "5.12"
    draft.clear()
    assert draft.text == ""
    draft.type_key(".")
    assert draft.text == "0."
    draft.clear()
    draft.type_text("12345678")
    assert draft.text == "123456"  # six whole digits at most


weights = st.integers(min_value=1, max_value=MAX_LINE_GRAMS)
prices = st.integers(min_value=0, max_value=1_000_000)
weighed = st.sampled_from([PricingUnit.KG, PricingUnit.JIN])


@given(unit=weighed, price=prices, grams=weights, tare=st.integers(0, 5_000))
def test_amount_of_the_net_weight_is_the_ledgers_line_amount(
    unit: PricingUnit, price: int, grams: int, tare: int
) -> None:
    draft = WeightDraft(unit, price, WeightUnit.KG, tare)
    draft.type_text(format_kg(grams))
    assert draft.gross_grams == grams
    net = grams - tare
    if net <= 0:
        assert draft.problem is not None and draft.problem.code == "quantity_not_positive"
        assert draft.amount_fen == 0
        return
    assert draft.problem is None
    assert draft.quantity() == Quantity.grams(net)
    assert draft.amount_fen == line_amount(unit, price, Quantity.grams(net))


@given(unit=weighed, price=prices, grams=weights)
def test_the_same_weight_in_kg_jin_or_g_costs_the_same(
    unit: PricingUnit, price: int, grams: int
) -> None:
    whole, rest = divmod(grams, 500)
    jin = f"{whole}.{rest * 2:03d}".rstrip("0").rstrip(".")
    spellings = {WeightUnit.KG: format_kg(grams), WeightUnit.JIN: jin, WeightUnit.G: str(grams)}
    amounts = set()
    for entry_unit, text in spellings.items():
        draft = WeightDraft(unit, price, entry_unit)
        draft.type_text(text)
        assert draft.quantity() == Quantity.grams(grams)
        amounts.add(draft.amount_fen)
    assert len(amounts) == 1
