"""The pay screen's rules: tenders cover the total, only cash gives change, round-down as set."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booth_pos.domain.errors import BadInput
from booth_pos.domain.payment import PaymentDraft
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod, settle

ALL_RULES = (RoundDown.NONE, RoundDown.JIAO, RoundDown.YUAN)
CASH, MOBILE, OTHER = TenderMethod.CASH, TenderMethod.MOBILE, TenderMethod.OTHER


def draft(*amounts: int, allowed: tuple[RoundDown, ...] = ALL_RULES) -> PaymentDraft:
    return PaymentDraft(list(amounts), allowed)


def test_new_draft_owes_the_whole_total_and_cannot_confirm() -> None:
    d = draft(3000, 2375)
    assert (d.subtotal_fen, d.round_down_fen, d.total_fen) == (5375, 0, 5375)
    assert d.paid_fen == 0
    assert d.remaining_fen == 5375
    assert d.change_fen == 0
    assert not d.can_confirm
    assert d.problem is not None and d.problem.code == "no_tender"


def test_a_hundred_yuan_note_for_53_75_gives_46_25_change() -> None:
    d = draft(5375)
    d.add_tender(CASH, 10000)
    assert d.remaining_fen == 0
    assert d.change_fen == 4625
    assert d.can_confirm
    assert d.finish() == ((TenderIn(CASH, 10000),), RoundDown.NONE)


def test_cash_below_the_total_is_short() -> None:
    d = draft(5375)
    d.add_tender(CASH, 5000)
    assert d.remaining_fen == 375
    assert d.change_fen == 0
    assert d.problem is not None and d.problem.code == "tender_below_total"
    with pytest.raises(BadInput) as err:
        d.finish()
    assert err.value.code == "tender_below_total"


def test_typed_cash_counts_without_an_add_step() -> None:
    d = draft(5375)
    for key in ("1", "00"):
        assert d.type_cash(key)
    assert d.cash_text == "100"
    assert d.typed_cash_fen == 10000
    assert d.tenders == []
    assert d.change_fen == 4625
    assert d.finish() == ((TenderIn(CASH, 10000),), RoundDown.NONE)


def test_cash_keypad_refuses_a_second_point_and_a_third_decimal() -> None:
    d = draft(100)
    for key in "12.3":
        d.type_cash(key)
    assert not d.type_cash(".")
    assert d.type_cash("4")
    assert not d.type_cash("5")
    assert not d.type_cash("00")
    assert not d.type_cash("x")
    assert d.cash_text == "12.34"
    assert d.typed_cash_fen == 1234
    d.backspace_cash()
    assert d.typed_cash_fen == 1230
    d.clear_cash()
    assert (d.cash_text, d.typed_cash_fen) == ("", 0)


def test_cash_keypad_drops_leading_zeros_and_reads_a_bare_point() -> None:
    d = draft(100)
    d.type_cash("0")
    d.type_cash("00")
    assert d.cash_text == ""
    d.type_cash(".")
    assert d.cash_text == "0."
    assert d.typed_cash_fen == 0
    d.type_cash("5")
    assert d.typed_cash_fen == 50


def test_adding_a_tender_moves_the_typed_cash_into_the_list_first() -> None:
    d = draft(5375)
    assert not d.type_cash("20")  # one key at a time
    d.type_cash("2")
    d.type_cash("0")
    d.add_exact(MOBILE)
    assert d.tenders == [TenderIn(CASH, 2000), TenderIn(MOBILE, 3375)]
    assert d.cash_text == ""
    assert d.change_fen == 0
    assert d.can_confirm


def test_commit_cash_adds_nothing_for_zero() -> None:
    d = draft(5375)
    d.commit_cash()
    d.type_cash(".")
    d.commit_cash()
    assert d.tenders == []
    d.type_cash("5")
    d.commit_cash()
    assert d.tenders == [TenderIn(CASH, 500)]


def test_mobile_exact_covers_the_total_with_no_change() -> None:
    d = draft(5375)
    d.add_exact(MOBILE)
    assert d.tenders == [TenderIn(MOBILE, 5375)]
    assert (d.remaining_fen, d.change_fen, d.can_confirm) == (0, 0, True)


def test_exact_with_nothing_owed_is_refused() -> None:
    d = draft(5375)
    d.add_exact(CASH)
    with pytest.raises(BadInput) as err:
        d.add_exact(OTHER)
    assert err.value.code == "amount_not_positive"
    assert d.tenders == [TenderIn(CASH, 5375)]


def test_tender_amount_must_be_positive_and_sane() -> None:
    d = draft(5375)
    for amount, code in ((0, "amount_not_positive"), (-5, "amount_not_positive")):
        with pytest.raises(BadInput) as err:
            d.add_tender(CASH, amount)
        assert err.value.code == code
    with pytest.raises(BadInput) as err:
        d.add_tender(CASH, 100_000_001)
    assert err.value.code == "amount_too_large"
    assert d.tenders == []


def test_mobile_over_the_total_is_a_problem_not_change() -> None:
    d = draft(5375)
    d.add_exact(MOBILE)
    d.set_round_down(RoundDown.YUAN)  # total drops to 53.00, the phone paid 53.75
    assert d.total_fen == 5300
    assert d.change_fen == 0
    assert d.problem is not None and d.problem.code == "change_on_non_cash"
    assert not d.can_confirm
    d.remove_tender(0)
    d.add_exact(MOBILE)
    assert d.tenders == [TenderIn(MOBILE, 5300)]
    assert d.can_confirm


def test_round_down_follows_the_booth_limit() -> None:
    d = draft(5375, allowed=(RoundDown.NONE, RoundDown.JIAO))
    d.set_round_down(RoundDown.JIAO)
    assert (d.total_fen, d.round_down_fen) == (5370, 5)
    with pytest.raises(BadInput) as err:
        d.set_round_down(RoundDown.YUAN)
    assert err.value.code == "round_down_not_allowed"
    assert d.round_down is RoundDown.JIAO
    d.add_tender(CASH, 5370)
    assert d.finish() == ((TenderIn(CASH, 5370),), RoundDown.JIAO)


def test_round_down_that_makes_the_sale_free_is_refused() -> None:
    d = draft(50)
    assert not d.round_down_possible(RoundDown.YUAN)
    assert d.round_down_possible(RoundDown.JIAO)
    with pytest.raises(BadInput) as err:
        d.set_round_down(RoundDown.YUAN)
    assert err.value.code == "round_down_to_zero"
    assert d.round_down is RoundDown.NONE


def test_allowed_must_include_none_and_the_cart_must_not_be_empty() -> None:
    with pytest.raises(ValueError):
        PaymentDraft([100], (RoundDown.JIAO,))
    with pytest.raises(BadInput) as err:
        PaymentDraft([], ALL_RULES)
    assert err.value.code == "empty_cart"


def test_remove_and_clear() -> None:
    d = draft(5375)
    d.add_tender(CASH, 2000)
    d.add_tender(OTHER, 1000)
    assert d.remove_tender(0) == TenderIn(CASH, 2000)
    assert d.tenders == [TenderIn(OTHER, 1000)]
    with pytest.raises(IndexError):
        d.remove_tender(5)
    d.set_round_down(RoundDown.JIAO)
    d.type_cash("9")
    d.clear()
    assert (d.tenders, d.cash_text, d.paid_fen) == ([], "", 0)
    assert d.round_down is RoundDown.JIAO


amounts = st.integers(min_value=1, max_value=5_000_000)
steps = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(list(TenderMethod)), amounts),
        st.tuples(st.just("exact"), st.sampled_from(list(TenderMethod))),
        st.tuples(st.just("type"), st.sampled_from(["1", "5", "0", "00", "."])),
        st.tuples(st.just("round"), st.sampled_from(ALL_RULES)),
    ),
    max_size=12,
)


def _apply(d: PaymentDraft, step: tuple[object, object]) -> None:
    kind, arg = step
    try:
        if kind == "exact":
            assert isinstance(arg, TenderMethod)
            d.add_exact(arg)
        elif kind == "type":
            assert isinstance(arg, str)
            d.type_cash(arg)
        elif kind == "round":
            assert isinstance(arg, RoundDown)
            d.set_round_down(arg)
        else:
            assert isinstance(kind, TenderMethod) and isinstance(arg, int)
            d.add_tender(kind, arg)
    except BadInput:
        pass


@given(lines=st.lists(amounts, min_size=1, max_size=5), steps_=steps)
def test_draft_agrees_with_the_ledgers_settlement(
    lines: list[int], steps_: list[tuple[object, object]]
) -> None:
    d = draft(*lines)
    for step in steps_:
        _apply(d, step)
    tenders = d.effective_tenders()
    assert d.paid_fen == sum(t.amount_fen for t in tenders)
    assert d.remaining_fen == max(0, d.total_fen - d.paid_fen)
    try:
        settlement = settle(d.total_fen, tenders)
    except BadInput as exc:
        assert not d.can_confirm
        assert d.problem is not None and d.problem.code == exc.code
        assert d.change_fen == 0
        return
    assert d.can_confirm
    assert d.change_fen == settlement.change_fen
    assert d.finish() == (tenders, d.round_down)
    # Change is never given from mobile or other payments.
    cash = sum(t.amount_fen for t in tenders if t.method is CASH)
    assert d.change_fen <= cash
    assert all(t.change_fen == 0 for t in settlement.tenders if t.method is not CASH)


@given(
    lines=st.lists(amounts, min_size=1, max_size=5),
    method=st.sampled_from(list(TenderMethod)),
    first=st.integers(min_value=0, max_value=5_000_000),
)
def test_exact_always_settles_without_change(
    lines: list[int], method: TenderMethod, first: int
) -> None:
    d = draft(*lines)
    if 0 < first < d.total_fen:
        d.add_tender(CASH, first)
    d.add_exact(method)
    assert d.can_confirm
    assert d.remaining_fen == 0
    assert d.change_fen == 0
    assert d.paid_fen == d.total_fen
