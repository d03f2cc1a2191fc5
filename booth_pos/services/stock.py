"""Stock at the booth: goods received from households, waste, counts, and stock on hand.

Quantities are grams for weighed goods and units for counted goods, as on sale lines. Each
entry writes a `StockMovement` (so the movements always add up to the book stock) and a
`StockEntry` holding its day, who entered it and, for a count, what was expected and counted.

Book stock of a product = opening + received - sold + refunded + voided - waste + the counts'
corrections. A product is *tracked* once goods of it were received or counted; untracked
products (never received) show no stock on the till and no low-stock warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from booth_pos.domain.errors import BadInput
from booth_pos.domain.quantity import PricingUnit, Quantity, format_kg, parse_quantity
from booth_pos.domain.reports import format_quantity
from booth_pos.services import booth, days, figures
from booth_pos.services.auth import authorise_coordinator, find_operator
from booth_pos.store.models import Household, Product, StockAlert, StockEntry, StockMovement

WASTE_REASONS = ("spoiled", "damaged", "tasting", "other")
WASTE_REASON_ZH = {"spoiled": "变质", "damaged": "损坏", "tasting": "试吃", "other": "其他"}
# Above these one entry is a typing slip: 10 tonnes, or 100,000 items.
MAX_STOCK_GRAMS = 10_000_000
MAX_STOCK_UNITS = 100_000
# The low-stock warning where the coordinator has set none: 2 jin, or 5 items.
DEFAULT_LOW_GRAMS = 1_000
DEFAULT_LOW_UNITS = 5


@dataclass(frozen=True)
class StockEntryView:
    kind: str  # receive, waste, count
    plu: str
    name_zh: str
    unit: str
    quantity: int  # signed change of the book stock
    counted: int | None
    expected: int | None
    reason: str
    household_code: str
    day: dt.date
    on_hand: int  # book stock after the entry

    @property
    def quantity_text(self) -> str:
        return format_quantity(self.unit, self.quantity)


@dataclass(frozen=True)
class StockLevel:
    """What the till's product button shows."""

    plu: str
    name_zh: str
    unit: str
    on_hand: int | None  # None while the product is not tracked
    low_level: int
    low: bool

    @property
    def on_hand_text(self) -> str:
        return "" if self.on_hand is None else format_quantity(self.unit, self.on_hand)


def _product(session: Session, plu: str) -> Product:
    code = plu.strip()
    product = session.scalars(
        select(Product)
        .where((Product.plu == code) | (Product.barcode == code))
        .options(joinedload(Product.household))
    ).first()
    if product is None:
        raise BadInput("unknown_plu", plu=plu)
    return product


def parse_stock_quantity(product: Product, text: str, allow_zero: bool = False) -> int:
    """A quantity for `product` in grams or units; '0' is allowed only for counts."""
    unit = PricingUnit(product.unit)
    stripped = text.strip()
    if stripped.startswith("-"):
        raise BadInput("negative_count", text=text)
    quantity = parse_quantity(text)
    if quantity.amount == 0 and allow_zero and not quantity.weighed and unit.weighed:
        quantity = Quantity.grams(0)  # "0" of a weighed product: nothing left
    if unit.weighed and not quantity.weighed:
        raise BadInput("count_for_weighed", plu=product.plu, text=text)
    if not unit.weighed and quantity.weighed:
        raise BadInput("weight_for_item", plu=product.plu, text=text)
    if quantity.amount < 0:
        raise BadInput("negative_count", text=text)
    if quantity.amount == 0 and not allow_zero:
        raise BadInput("quantity_not_positive", text=text)
    limit = MAX_STOCK_GRAMS if unit.weighed else MAX_STOCK_UNITS
    if quantity.amount > limit:
        shown = f"{format_kg(limit)}kg" if unit.weighed else str(limit)
        raise BadInput("quantity_too_large", text=text, limit=shown)
    return quantity.amount


def _write(
    session: Session,
    product: Product,
    kind: str,
    quantity: int,
    reason: str,
    by_name: str,
    at: dt.datetime,
    offset: int,
    day: dt.date,
    counted: int | None = None,
    expected: int | None = None,
) -> None:
    movement = StockMovement(
        product_id=product.id,
        household_id=product.household_id,
        kind=kind,
        quantity=quantity,
        occurred_at=at,
        reason=reason,
    )
    session.add(movement)
    session.flush()
    session.add(
        StockEntry(
            movement_id=movement.id,
            day=day,
            occurred_at=at,
            utc_offset_min=offset,
            kind=kind,
            product_id=product.id,
            household_id=product.household_id,
            quantity=quantity,
            counted=counted,
            expected=expected,
            reason=reason,
            by_name=by_name,
        )
    )
    session.flush()


def _on_hand(session: Session, product_id: int) -> int:
    level = figures.levels_now(session).get(product_id)
    return 0 if level is None else level.quantity


def receive(
    session: Session,
    plu: str,
    quantity_text: str,
    household_code: str | None = None,
    operator: str | None = None,
    note: str = "",
) -> StockEntryView:
    """Goods brought in by a household (the product's own household; named to be checked)."""
    product = _product(session, plu)
    quantity = parse_stock_quantity(product, quantity_text)
    if household_code is not None and household_code.strip():
        code = household_code.strip()
        known = session.scalars(select(Household).where(Household.code == code)).first()
        if known is None:
            raise BadInput("unknown_household", code=code)
        if known.id != product.household_id:
            raise BadInput(
                "household_mismatch", plu=product.plu, owner=product.household.code, given=code
            )
    who = find_operator(session, operator)
    at, offset = booth.now_utc()
    day = days.check_open(session, at, offset)
    _write(session, product, "receive", quantity, note.strip(), who.name, at, offset, day)
    return _view(session, product, "receive", quantity, None, None, note.strip(), day)


def waste(
    session: Session,
    plu: str,
    quantity_text: str,
    reason: str,
    note: str = "",
    operator: str | None = None,
) -> StockEntryView:
    """Goods thrown away or given as tasting samples: spoiled, damaged, tasting or other."""
    product = _product(session, plu)
    quantity = parse_stock_quantity(product, quantity_text)
    code = reason.strip().lower()
    by_zh = {zh: en for en, zh in WASTE_REASON_ZH.items()}
    code = by_zh.get(code, code)
    if code not in WASTE_REASONS:
        raise BadInput("bad_waste_reason", text=reason)
    text = f"{code}: {note.strip()}" if note.strip() else code
    who = find_operator(session, operator)
    at, offset = booth.now_utc()
    day = days.check_open(session, at, offset)
    _write(session, product, "waste", -quantity, text, who.name, at, offset, day)
    return _view(session, product, "waste", -quantity, None, None, text, day)


def count(
    session: Session,
    counted: Mapping[str, str],
    reason: str = "",
    operator: str | None = None,
) -> list[StockEntryView]:
    """Record counted stock (PLU -> quantity text). Each count's variance is counted - book
    stock; a variance needs a reason. All or nothing: one bad line writes nothing."""
    if not counted:
        raise BadInput("empty_field", field="PLU=QTY")
    parsed: list[tuple[Product, int]] = []
    seen: set[int] = set()
    for plu, text in counted.items():
        product = _product(session, plu)
        if product.id in seen:
            raise BadInput("duplicate_product", plu=product.plu)
        seen.add(product.id)
        parsed.append((product, parse_stock_quantity(product, text, allow_zero=True)))
    who = find_operator(session, operator)
    at, offset = booth.now_utc()
    day = days.check_open(session, at, offset)
    levels = figures.levels_now(session)
    reason = reason.strip()
    views: list[StockEntryView] = []
    for product, quantity in parsed:
        level = levels.get(product.id)
        expected = 0 if level is None else level.quantity
        variance = quantity - expected
        if variance and not reason:
            raise BadInput(
                "variance_reason_needed",
                plu=product.plu,
                counted=format_quantity(product.unit, quantity),
                expected=format_quantity(product.unit, expected),
            )
        _write(
            session,
            product,
            "count",
            variance,
            reason if variance else "",
            who.name,
            at,
            offset,
            day,
            counted=quantity,
            expected=expected,
        )
        views.append(
            StockEntryView(
                "count",
                product.plu,
                product.name_zh,
                product.unit,
                variance,
                quantity,
                expected,
                reason if variance else "",
                product.household.code,
                day,
                quantity,
            )
        )
    return views


def _view(
    session: Session,
    product: Product,
    kind: str,
    quantity: int,
    counted: int | None,
    expected: int | None,
    reason: str,
    day: dt.date,
) -> StockEntryView:
    return StockEntryView(
        kind,
        product.plu,
        product.name_zh,
        product.unit,
        quantity,
        counted,
        expected,
        reason,
        product.household.code,
        day,
        _on_hand(session, product.id),
    )


def default_low_level(unit: str) -> int:
    return DEFAULT_LOW_GRAMS if PricingUnit(unit).weighed else DEFAULT_LOW_UNITS


def stock_levels(session: Session) -> list[StockLevel]:
    """Every active product's book stock and low-stock flag, for the till's buttons.

    Cost: the last day close's closing stock plus the documents since (a day's worth).
    """
    levels = figures.levels_now(session)
    alerts = dict(session.execute(select(StockAlert.product_id, StockAlert.low_level)).all())
    out: list[StockLevel] = []
    for product in session.scalars(
        select(Product).where(Product.active.is_(True)).order_by(Product.plu)
    ):
        level = levels.get(product.id)
        low_level = int(alerts.get(product.id, default_low_level(product.unit)))
        tracked = level is not None and level.tracked
        on_hand = level.quantity if (level is not None and tracked) else None
        out.append(
            StockLevel(
                product.plu,
                product.name_zh,
                product.unit,
                on_hand,
                low_level,
                on_hand is not None and on_hand <= low_level,
            )
        )
    return out


def set_low_level(session: Session, plu: str, quantity_text: str, pin: str) -> StockLevel:
    """The coordinator's low-stock level for one product ('0' turns the warning off)."""
    product = _product(session, plu)
    level = parse_stock_quantity(product, quantity_text, allow_zero=True)
    coordinator = authorise_coordinator(session, pin)
    at, _ = booth.now_utc()
    row = session.get(StockAlert, product.id)
    if row is None:
        session.add(
            StockAlert(
                product_id=product.id, low_level=level, updated_at=at, updated_by=coordinator.name
            )
        )
    else:
        row.low_level, row.updated_at, row.updated_by = level, at, coordinator.name
    session.flush()
    return next(s for s in stock_levels(session) if s.plu == product.plu)
