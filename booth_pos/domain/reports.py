"""Day-end report models and their arithmetic, exact in integer fen. No SQL, no Qt.

The rules every figure follows (services/dayend.py computes them, tests recompute them in SQL):

* **Day.** A document's day is its local calendar date: ``occurred_at`` (UTC) plus the
  document's own ``utc_offset_min``. Shifts, pay-ins/outs and stock entries store that day.
* **Gross** is the sum of the day's sales' subtotals (their line amounts, before 抹零), sales
  later voided included. **Net** = gross - round-downs - voids - refunds, where a void or a
  refund counts on the day it is made (a correction never changes a closed day).
* **Households** are paid on line amounts: a household's goods on the day are its lines sold,
  less its lines voided and refunded that day (a refund line at its refunded amount). Round-downs
  are borne by the booth.
* **Commission**, the one rounding rule: ``commission = goods * rate_bp / 10000`` rounded half
  away from zero to the fen, once per household per day; ``owed = goods - commission``. So the
  amounts owed always add up to the households' goods less the commission, to the fen.
* **Cash expected** = floats + pay-ins - pay-outs + cash taken (tendered less change) - the cash
  of voided sales - cash refunds. **Mobile recorded** is the same for mobile tenders; its variance
  is the payment app's statement less what was recorded.
* **Stock** per product, in grams (weighed goods) or units: expected = opening + received - sold +
  refunded + voided (a void returns the goods) - waste. A count records counted - book stock as
  the variance, with a reason; closing = expected + variance is the next day's opening.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, Union
from urllib.parse import quote

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, round_half_up_div
from booth_pos.domain.quantity import PricingUnit

# Notes and coins a coordinator counts, in fen: ¥100, 50, 20, 10, 5, 1, 0.5, 0.1.
DENOMINATIONS_FEN: tuple[int, ...] = (10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10)
MAX_PIECES = 99_999  # of one denomination: more is a typing slip
BP_PER_WHOLE = 10_000  # basis points in 100 %

_COUNT_ITEM = re.compile(r"^\s*[¥￥]?\s*(\d+(?:\.\d+)?)\s*[xX×*]\s*(-?\d+)\s*$")
_RATE = re.compile(r"^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$")


# --------------------------------------------------------------------------------- cash count


def _denomination_fen(text: str) -> int:
    try:
        value = Decimal(text) * 100
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
        raise BadInput("bad_denomination", text=text) from exc
    if value != value.to_integral_value() or int(value) not in DENOMINATIONS_FEN:
        raise BadInput("bad_denomination", text=text)
    return int(value)


def denomination_label(fen: int) -> str:
    """'100', '0.5', '0.1': how the coordinator writes a denomination."""
    whole, part = divmod(fen, 100)
    if part == 0:
        return str(whole)
    return f"{whole}.{part:02d}".rstrip("0")


@dataclass(frozen=True)
class CashCount:
    """Pieces per denomination, largest first; only denominations actually counted."""

    pieces: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, pieces: Mapping[int, int]) -> CashCount:
        for denomination, n in pieces.items():
            if denomination not in DENOMINATIONS_FEN:
                raise BadInput("bad_denomination", text=denomination_label(denomination))
            if n < 0:
                raise BadInput("negative_count", text=f"{denomination_label(denomination)}x{n}")
            if n > MAX_PIECES:
                raise BadInput("bad_cash_count", text=f"{denomination_label(denomination)}x{n}")
        return cls(tuple((d, pieces[d]) for d in DENOMINATIONS_FEN if pieces.get(d)))

    @classmethod
    def parse(cls, text: str) -> CashCount:
        """Read '100x3,50x1,0.5x4' (also ×, *, Chinese commas or spaces between items).

        '' or '0' is an empty cash box. A denomination named twice is added up.
        """
        if text.strip() in ("", "0"):
            return cls()
        totals: dict[int, int] = {}
        for item in re.split(r"[,，;\s]+", text.strip()):
            if not item:
                continue
            match = _COUNT_ITEM.match(item)
            if match is None:
                raise BadInput("bad_cash_count", text=item)
            denomination = _denomination_fen(match.group(1))
            n = int(match.group(2))
            if n < 0:
                raise BadInput("negative_count", text=item)
            totals[denomination] = totals.get(denomination, 0) + n
        return cls.of(totals)

    @property
    def total_fen(self) -> int:
        return sum(d * n for d, n in self.pieces)

    def to_text(self) -> str:
        return ",".join(f"{denomination_label(d)}x{n}" for d, n in self.pieces) or "0"

    def to_json(self) -> dict[str, int]:
        return {str(d): n for d, n in self.pieces}

    @classmethod
    def from_json(cls, data: Mapping[str, int]) -> CashCount:
        return cls.of({int(k): int(v) for k, v in data.items()})


# ------------------------------------------------------------------------------- commission


def parse_rate(text: str) -> int:
    """'5', '5%', '5.25%' -> basis points (500, 500, 525); 0 to 100 %."""
    match = _RATE.match(text)
    if match is None:
        raise BadInput("bad_rate", text=text)
    bp = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))
    if bp > BP_PER_WHOLE:
        raise BadInput("bad_rate", text=text)
    return bp


def format_rate(bp: int) -> str:
    whole, part = divmod(bp, 100)
    return f"{whole}%" if part == 0 else f"{whole}.{part:02d}".rstrip("0") + "%"


def commission_fen(goods_fen: int, rate_bp: int) -> int:
    """The booth's commission on a household's goods: the module's one rounding rule."""
    if not 0 <= rate_bp <= BP_PER_WHOLE:
        raise ValueError("a rate is 0 to 10000 basis points")
    magnitude = round_half_up_div(abs(goods_fen) * rate_bp, BP_PER_WHOLE)
    return magnitude if goods_fen >= 0 else -magnitude


# ------------------------------------------------------------------------------ quantities


def format_quantity(unit: str, quantity: int) -> str:
    """A quantity in the product's own unit: grams as kg or jin (up to 3 decimals), or items."""
    pricing = PricingUnit(unit)
    if not pricing.weighed:
        return str(quantity)
    per = pricing.grams_per_unit
    sign = "-" if quantity < 0 else ""
    whole, rest = divmod(abs(quantity), per)
    thousandths = rest * 1000 // per  # exact: 1000 is a multiple of per's 2s and 5s
    if thousandths == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{thousandths:03d}".rstrip("0")


def parse_report_quantity(unit: str, text: str) -> int:
    """The inverse of `format_quantity` (for exports read back)."""
    pricing = PricingUnit(unit)
    value = Decimal(text)
    if not pricing.weighed:
        return int(value)
    return int(value * pricing.grams_per_unit)


def unit_label(unit: str, lang: str = "zh") -> str:
    zh = {"kg": "公斤", "jin": "斤", "item": "件"}
    en = {"kg": "kg", "jin": "jin", "item": "pcs"}
    return (en if lang.startswith("en") else zh)[unit]


# ----------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class TenderTotal:
    method: str  # cash, mobile, other
    sales_fen: int  # tendered less change, on the day's sales
    voids_fen: int  # the same, of sales voided on the day
    refunds_fen: int  # refunds made on the day by this method
    net_fen: int


@dataclass(frozen=True)
class ProductTotal:
    plu: str
    name_zh: str
    name_en: str
    unit: str  # kg, jin or item; quantities are grams or units
    household_code: str
    household_name: str
    sold_qty: int
    sold_fen: int
    voided_qty: int
    voided_fen: int
    refunded_qty: int
    refunded_fen: int
    net_qty: int
    net_fen: int


@dataclass(frozen=True)
class HouseholdTotal:
    code: str
    name: str
    sold_fen: int
    voided_fen: int
    refunded_fen: int
    goods_fen: int  # sold - voided - refunded: what the commission is taken from
    net_grams: int  # weighed goods, net
    net_units: int  # counted goods, net
    rate_bp: int
    commission_fen: int
    owed_fen: int


@dataclass(frozen=True)
class HourTotal:
    hour: int  # local hour 0-23
    sales: int
    gross_fen: int


@dataclass(frozen=True)
class ShiftSummary:
    shift_id: str
    opened_by: str
    opened_at: dt.datetime  # UTC
    closed_by: str | None
    closed_at: dt.datetime | None
    float_fen: int
    pay_ins_fen: int
    pay_outs_fen: int
    cash_taken_fen: int  # the cash of sales less voids and refunds in the shift
    expected_fen: int
    counted_fen: int | None
    variance_fen: int | None
    count: dict[str, int] = field(default_factory=dict)  # denomination fen -> pieces


@dataclass(frozen=True)
class CashReconciliation:
    floats_fen: int
    pay_ins_fen: int
    pay_outs_fen: int
    sales_fen: int
    voids_fen: int
    refunds_fen: int
    expected_fen: int
    counted_fen: int | None
    variance_fen: int | None
    shifts: tuple[ShiftSummary, ...] = ()


@dataclass(frozen=True)
class MobileReconciliation:
    sales_fen: int
    voids_fen: int
    refunds_fen: int
    recorded_fen: int
    statement_fen: int | None  # the payment app's total, entered by the coordinator
    variance_fen: int | None  # statement - recorded


@dataclass(frozen=True)
class StockLine:
    plu: str
    name_zh: str
    unit: str
    opening: int
    received: int
    sold: int
    refunded: int
    voided: int
    wasted: int
    expected: int
    counted: int | None  # the day's last count, if the product was counted
    variance: int  # the counts' corrections
    closing: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class DayReport:
    """An X report (a snapshot, ``z_no`` None) or the numbered Z report of a closed day."""

    kind: str  # "X" or "Z"
    z_no: int | None
    booth_code: str
    booth_name: str
    town: str
    day: dt.date
    generated_at: dt.datetime  # UTC
    utc_offset_min: int
    closed_by: str | None
    first_receipt: str | None
    last_receipt: str | None
    sales_count: int
    voids_count: int
    refunds_count: int
    gross_fen: int
    round_down_fen: int
    voids_fen: int
    refunds_fen: int
    net_fen: int
    goods_fen: int  # households' goods, all together
    commission_fen: int
    owed_fen: int
    tenders: tuple[TenderTotal, ...]
    products: tuple[ProductTotal, ...]
    households: tuple[HouseholdTotal, ...]
    hours: tuple[HourTotal, ...]
    cash: CashReconciliation
    mobile: MobileReconciliation
    stock: tuple[StockLine, ...]

    @property
    def stock_variance_lines(self) -> tuple[StockLine, ...]:
        return tuple(line for line in self.stock if line.variance)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = _encode(self)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DayReport:
        report: DayReport = _decode(cls, data)
        return report


def tender_total(method: str, sales: int, voids: int, refunds: int) -> TenderTotal:
    return TenderTotal(method, sales, voids, refunds, sales - voids - refunds)


def household_total(
    code: str,
    name: str,
    sold_fen: int,
    voided_fen: int,
    refunded_fen: int,
    net_grams: int,
    net_units: int,
    rate_bp: int,
) -> HouseholdTotal:
    goods = sold_fen - voided_fen - refunded_fen
    commission = commission_fen(goods, rate_bp)
    return HouseholdTotal(
        code=code,
        name=name,
        sold_fen=sold_fen,
        voided_fen=voided_fen,
        refunded_fen=refunded_fen,
        goods_fen=goods,
        net_grams=net_grams,
        net_units=net_units,
        rate_bp=rate_bp,
        commission_fen=commission,
        owed_fen=goods - commission,
    )


def reconcile_cash(
    floats: int,
    pay_ins: int,
    pay_outs: int,
    sales: int,
    voids: int,
    refunds: int,
    counted: int | None,
    shifts: Sequence[ShiftSummary] = (),
) -> CashReconciliation:
    expected = floats + pay_ins - pay_outs + sales - voids - refunds
    return CashReconciliation(
        floats_fen=floats,
        pay_ins_fen=pay_ins,
        pay_outs_fen=pay_outs,
        sales_fen=sales,
        voids_fen=voids,
        refunds_fen=refunds,
        expected_fen=expected,
        counted_fen=counted,
        variance_fen=None if counted is None else counted - expected,
        shifts=tuple(shifts),
    )


def reconcile_mobile(
    sales: int, voids: int, refunds: int, statement: int | None
) -> MobileReconciliation:
    recorded = sales - voids - refunds
    return MobileReconciliation(
        sales_fen=sales,
        voids_fen=voids,
        refunds_fen=refunds,
        recorded_fen=recorded,
        statement_fen=statement,
        variance_fen=None if statement is None else statement - recorded,
    )


def stock_line(
    plu: str,
    name_zh: str,
    unit: str,
    opening: int,
    received: int,
    sold: int,
    refunded: int,
    voided: int,
    wasted: int,
    counted: int | None,
    variance: int,
    reasons: Sequence[str] = (),
) -> StockLine:
    expected = opening + received - sold + refunded + voided - wasted
    return StockLine(
        plu=plu,
        name_zh=name_zh,
        unit=unit,
        opening=opening,
        received=received,
        sold=sold,
        refunded=refunded,
        voided=voided,
        wasted=wasted,
        expected=expected,
        counted=counted,
        variance=variance,
        closing=expected + variance,
        reasons=tuple(reasons),
    )


# ---------------------------------------------------------------------- household statements


@dataclass(frozen=True)
class StatementLine:
    plu: str
    name_zh: str
    name_en: str
    unit: str
    quantity: int  # net of voids and refunds, grams or units
    amount_fen: int  # net

    @property
    def quantity_text(self) -> str:
        return format_quantity(self.unit, self.quantity)


@dataclass(frozen=True)
class HouseholdStatement:
    """One household's slip for a day: what the printer and the exports render.

    ``url`` opens the household's statement on the county server (for the slip's QR);
    None while this till is not enrolled with a server.
    """

    booth_code: str
    booth_name: str
    town: str
    day: dt.date
    z_no: int | None
    household_code: str
    household_name: str
    lines: tuple[StatementLine, ...]
    goods_fen: int
    rate_bp: int
    commission_fen: int
    owed_fen: int
    url: str | None
    signature_label_zh: str = "农户签字"
    signature_label_en: str = "Household signature"

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate_bp)


def statement_url(server_url: str, household_code: str, day: dt.date) -> str:
    """``<server>/h/<household code>?day=YYYY-MM-DD``: the county server's page for the slip."""
    return f"{server_url.rstrip('/')}/h/{quote(household_code, safe='')}?day={day.isoformat()}"


def household_statements(
    report: DayReport, server_url: str | None = None
) -> tuple[HouseholdStatement, ...]:
    """One statement per household on the report, in the report's household order."""
    out: list[HouseholdStatement] = []
    for household in report.households:
        lines = tuple(
            StatementLine(p.plu, p.name_zh, p.name_en, p.unit, p.net_qty, p.net_fen)
            for p in report.products
            if p.household_code == household.code
        )
        out.append(
            HouseholdStatement(
                booth_code=report.booth_code,
                booth_name=report.booth_name,
                town=report.town,
                day=report.day,
                z_no=report.z_no,
                household_code=household.code,
                household_name=household.name,
                lines=lines,
                goods_fen=household.goods_fen,
                rate_bp=household.rate_bp,
                commission_fen=household.commission_fen,
                owed_fen=household.owed_fen,
                url=statement_url(server_url, household.code, report.day) if server_url else None,
            )
        )
    return tuple(out)


def yuan(fen: int | None) -> str:
    """Signed yuan text for reports; '' for a figure that was not taken."""
    return "" if fen is None else format_yuan(fen)


# --------------------------------------------------------------------------- JSON round trip

T = TypeVar("T")


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if value is None else _decode(args[0], value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        return tp(
            **{
                f.name: _decode(hints[f.name], value[f.name])
                for f in dataclasses.fields(tp)
                if f.name in value
            }
        )
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_decode(item, v) for v in value)
    if origin is dict:
        key_t, val_t = typing.get_args(tp)
        return {_decode(key_t, k): _decode(val_t, v) for k, v in value.items()}
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if tp is dt.date:
        return dt.date.fromisoformat(value)
    return value
