"""The coordinator's catalogue editor: products, households, category order, CSV import.

Every change needs a coordinator's PIN and leaves an audit entry. A price change also
leaves a row in `price_changes` (old, new, who, when, source) and takes effect for the next
sale; committed sales never move (their lines are snapshots).

County catalogue merge rule (README, "Catalogue from the county"): a county price wins
unless the coordinator changed that product's price at the booth today (local day); see
`merge_price`. sync_client applies county pulls through `import_county_catalog`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan
from booth_pos.domain.quantity import PricingUnit
from booth_pos.services import (
    audit,
    booth,  # booth.now_utc: the clock tests move
    catalog,
    days,
)
from booth_pos.services.auth import authorise_coordinator
from booth_pos.services.catalog import (
    CATEGORY_ORDER_KEY,
    HOUSEHOLD_KINDS,
    MAX_PRICE_FEN,
    HouseholdRow,
    ImportResult,
    ProductRow,
    ProductView,
)
from booth_pos.store.models import Household, PriceChange, Product, Setting

SOURCE_LOCAL, SOURCE_COUNTY = "local", "county"
COUNTY = "county"  # the `by` of a price the county set
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class PriceChangeView:
    plu: str
    old_fen: int | None
    new_fen: int
    by: str
    at: dt.datetime  # naive UTC
    source: str


@dataclass(frozen=True)
class HouseholdView:
    code: str
    name: str
    village: str
    town: str
    kind: str


@dataclass(frozen=True)
class CsvPreview:
    households: int
    products_new: int
    products_changed: int
    errors: list[str]


def _today() -> tuple[dt.datetime, dt.date]:
    at, offset = booth.now_utc()
    return at, days.local_day(at, offset)


def _product(session: Session, plu: str) -> Product:
    product = session.scalars(
        select(Product).where(Product.plu == plu.strip()).options(joinedload(Product.household))
    ).first()
    if product is None:
        raise BadInput("unknown_plu", plu=plu)
    return product


def _price_changed(
    session: Session,
    product: Product,
    old_fen: int | None,
    by: str,
    at: dt.datetime,
    source: str,
) -> None:
    session.add(
        PriceChange(
            product_id=product.id,
            plu=product.plu,
            old_fen=old_fen,
            new_fen=product.price_fen,
            by_name=by,
            at=at,
            source=source,
        )
    )


# ------------------------------------------------------------------------------- products


def _check_product(
    session: Session,
    plu: str,
    name_zh: str,
    unit: str,
    price_fen: int,
    household_code: str,
    barcode: str | None,
    colour: str,
) -> Household:
    if not plu:
        raise BadInput("empty_field", field="PLU")
    if len(plu) > 20:
        raise BadInput("bad_plu", text=plu)
    if not name_zh:
        raise BadInput("empty_field", field="name_zh")
    if unit not in {u.value for u in PricingUnit}:
        raise BadInput("bad_unit", text=unit)
    if price_fen <= 0 or price_fen > MAX_PRICE_FEN:
        raise BadInput("price_out_of_range", text=format_yuan(price_fen))
    if colour and not _COLOUR.match(colour):
        raise BadInput("bad_colour", text=colour)
    household = session.scalars(select(Household).where(Household.code == household_code)).first()
    if household is None:
        raise BadInput("unknown_household", code=household_code or "-")
    if barcode is not None:
        if not barcode.isdigit() or not 8 <= len(barcode) <= 14:
            raise BadInput("bad_barcode", text=barcode)
        owner = session.scalar(
            select(Product.plu).where(Product.barcode == barcode, Product.plu != plu)
        )
        if owner is not None:
            raise BadInput("duplicate_barcode", barcode=barcode, plu=owner)
    return household


def save_product(
    session: Session,
    pin: str,
    plu: str,
    name_zh: str,
    name_en: str,
    category: str,
    unit: str,
    price_fen: int,
    household_code: str,
    barcode: str | None = None,
    active: bool = True,
    colour: str = "",
) -> ProductView:
    """Add or edit the product with this PLU (coordinator PIN). BadInput writes nothing."""
    plu, name_zh, name_en = plu.strip(), name_zh.strip(), name_en.strip()
    category, unit, colour = category.strip(), unit.strip().lower(), colour.strip()
    barcode = (barcode or "").strip() or None
    household = _check_product(
        session, plu, name_zh, unit, price_fen, household_code.strip(), barcode, colour
    )
    coordinator = authorise_coordinator(session, pin)
    at, today = _today()
    product = session.scalars(select(Product).where(Product.plu == plu)).first()
    fields: dict[str, object] = {
        "name_zh": name_zh,
        "name_en": name_en,
        "category": category,
        "unit": unit,
        "household_id": household.id,
        "barcode": barcode,
        "active": active,
        "colour": colour,
    }
    if product is None:
        product = Product(plu=plu, price_fen=price_fen, **fields)
        product.price_source, product.local_override_on = SOURCE_LOCAL, today
        session.add(product)
        session.flush()
        _price_changed(session, product, None, coordinator.name, at, SOURCE_LOCAL)
        audit.record(
            session,
            "product_change",
            coordinator.name,
            {"plu": plu, "change": "added", "name_zh": name_zh, "price_fen": price_fen},
        )
    else:
        changed = {name: value for name, value in fields.items() if getattr(product, name) != value}
        for name, value in changed.items():
            setattr(product, name, value)
        old_fen = product.price_fen
        if old_fen != price_fen:
            product.price_fen = price_fen
            product.price_source, product.local_override_on = SOURCE_LOCAL, today
            session.flush()
            _price_changed(session, product, old_fen, coordinator.name, at, SOURCE_LOCAL)
            audit.record(
                session,
                "price_change",
                coordinator.name,
                {"plu": plu, "old_fen": old_fen, "new_fen": price_fen, "source": SOURCE_LOCAL},
            )
        if changed:
            if "household_id" in changed:
                changed["household_id"] = household.code
            audit.record(
                session, "product_change", coordinator.name, {"plu": plu, "changed": changed}
            )
    session.flush()
    session.refresh(product, ["household"])
    return catalog._view(product)


def deactivate_product(session: Session, pin: str, plu: str) -> None:
    """Take a product off sale (coordinator PIN). Its sales and history stay."""
    product = _product(session, plu)
    coordinator = authorise_coordinator(session, pin)
    product.active = False
    session.flush()
    audit.record(
        session, "product_change", coordinator.name, {"plu": product.plu, "change": "deactivated"}
    )


def price_history(session: Session, plu: str) -> list[PriceChangeView]:
    """Every price the product has had, oldest first."""
    product = _product(session, plu)
    rows = session.scalars(
        select(PriceChange).where(PriceChange.product_id == product.id).order_by(PriceChange.id)
    )
    return [PriceChangeView(r.plu, r.old_fen, r.new_fen, r.by_name, r.at, r.source) for r in rows]


# ------------------------------------------------------------------------------ households


def _household_view(h: Household) -> HouseholdView:
    return HouseholdView(h.code, h.name, h.village, h.town, h.kind)


def save_household(
    session: Session, pin: str, code: str, name: str, village: str, town: str, kind: str
) -> HouseholdView:
    """Add or edit the household with this code (coordinator PIN)."""
    code, name, village, town = code.strip(), name.strip(), village.strip(), town.strip()
    if not code:
        raise BadInput("empty_field", field="household code")
    if len(code) > 32:
        raise BadInput("empty_field", field="household code (at most 32 characters)")
    if not name:
        raise BadInput("empty_field", field="household name")
    stored_kind = HOUSEHOLD_KINDS.get(kind.strip())
    if stored_kind is None:
        raise BadInput("bad_household_kind", text=kind)
    coordinator = authorise_coordinator(session, pin)
    household = session.scalars(select(Household).where(Household.code == code)).first()
    new_values = {"name": name, "village": village, "town": town, "kind": stored_kind}
    if household is None:
        household = Household(code=code, **new_values)
        session.add(household)
        audit.record(
            session, "household_change", coordinator.name, {"code": code, "change": "added"}
        )
    else:
        changed = {k: v for k, v in new_values.items() if getattr(household, k) != v}
        for key, value in changed.items():
            setattr(household, key, value)
        if changed:
            audit.record(
                session, "household_change", coordinator.name, {"code": code, "changed": changed}
            )
    session.flush()
    return _household_view(household)


def list_households(session: Session) -> list[HouseholdView]:
    return [_household_view(h) for h in session.scalars(select(Household).order_by(Household.code))]


# ------------------------------------------------------------------------------ categories


def category_order(session: Session) -> list[str]:
    """The coordinator's category (tab) order; empty when none was chosen."""
    row = session.get(Setting, CATEGORY_ORDER_KEY)
    if row is None:
        return []
    stored = json.loads(row.value)
    return [str(c) for c in stored] if isinstance(stored, list) else []


def set_category_order(session: Session, pin: str, categories: list[str]) -> None:
    """Choose the category order (coordinator PIN); blanks and repeats are dropped."""
    order = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
    coordinator = authorise_coordinator(session, pin)
    at, _ = booth.now_utc()
    encoded = json.dumps(order, ensure_ascii=False)
    row = session.get(Setting, CATEGORY_ORDER_KEY)
    if row is None:
        row = Setting(key=CATEGORY_ORDER_KEY, value=encoded, updated_at=at)
        row.updated_by = coordinator.name
        session.add(row)
    else:
        row.value, row.updated_at, row.updated_by = encoded, at, coordinator.name
    session.flush()
    changed: dict[str, object] = {"category_order": order}
    audit.record(session, "settings_change", coordinator.name, {"changed": changed})


# ------------------------------------------------------------------------------------- CSV


def _csv_lines(text: str) -> dict[str, int]:
    """PLU -> line number of its (last) row, to name lines in database-level errors."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
    return {(row.get("plu") or "").strip(): reader.line_num for row in reader}


def _barcode_clashes(
    session: Session, products: Sequence[ProductRow], lines: dict[str, int]
) -> list[str]:
    incoming = {p.plu for p in products}
    replaced = bool(products) and "barcode" in products[0].given
    taken = {
        p.barcode: p.plu
        for p in session.scalars(select(Product).where(Product.barcode.is_not(None)))
        if p.barcode and (p.plu not in incoming or not replaced)
    }
    return [
        f"line {lines.get(row.plu, '?')}: barcode {row.barcode} already belongs to plu "
        f"{taken[row.barcode]}"
        for row in products
        if row.barcode is not None and row.barcode in taken and taken[row.barcode] != row.plu
    ]


def _differs(product: Product, row: ProductRow) -> bool:
    keep = frozenset(catalog.OPTIONAL) - row.given
    if (product.name_zh, product.unit, product.price_fen) != (row.name_zh, row.unit, row.price_fen):
        return True
    if product.household.code != row.household_code:
        return True
    return any(
        getattr(product, name) != getattr(row, name)
        for name in ("barcode", "name_en", "category", "item_label_zh", "item_label_en", "active")
        if name not in keep
    )


def preview_catalog_csv(session: Session, text: str) -> CsvPreview:
    """What an import would do, and every bad line; never raises for a bad file."""
    try:
        households, products = catalog.parse_catalog_csv(text)
    except BadInput as exc:
        if exc.code == "csv_rows":
            errors = str(exc.params.get("details", "")).split(" | ")
        else:
            errors = [exc.message("en")]
        return CsvPreview(0, 0, 0, errors)
    errors = _barcode_clashes(session, products, _csv_lines(text))
    existing = {
        p.plu: p for p in session.scalars(select(Product).options(joinedload(Product.household)))
    }
    new = sum(1 for row in products if row.plu not in existing)
    changed = sum(1 for row in products if row.plu in existing and _differs(existing[row.plu], row))
    return CsvPreview(len(households), new, changed, errors)


def _import_tracked(
    session: Session,
    households: Sequence[HouseholdRow],
    products: Sequence[ProductRow],
    by: str,
    source: str,
    at: dt.datetime,
    today: dt.date,
) -> tuple[ImportResult, int]:
    """catalog.import_catalog, recording each price that moved. Returns (result, prices moved)."""
    old = {plu: fen for plu, fen in session.execute(select(Product.plu, Product.price_fen))}
    result = catalog.import_catalog(session, households, products)
    by_plu = {p.plu: p for p in session.scalars(select(Product))}
    moved = 0
    for row in products:
        product = by_plu[row.plu]
        before = old.get(row.plu)
        if before == product.price_fen:
            continue
        moved += 1
        if source == SOURCE_LOCAL:
            product.price_source, product.local_override_on = SOURCE_LOCAL, today
        _price_changed(session, product, before, by, at, source)
    session.flush()
    return result, moved


def import_catalog_csv(session: Session, pin: str, text: str) -> ImportResult:
    """Import a catalogue CSV (coordinator PIN): all or nothing, bad lines named."""
    households, products = catalog.parse_catalog_csv(text)
    clashes = _barcode_clashes(session, products, _csv_lines(text))
    if clashes:
        raise BadInput("csv_rows", count=len(clashes), details=" | ".join(clashes))
    coordinator = authorise_coordinator(session, pin)
    at, today = _today()
    result, moved = _import_tracked(
        session, households, products, coordinator.name, SOURCE_LOCAL, at, today
    )
    audit.record(
        session,
        "catalog_import",
        coordinator.name,
        {
            "households": result.households,
            "products_added": result.products_added,
            "products_updated": result.products_updated,
            "prices_changed": moved,
        },
    )
    return result


# ------------------------------------------------------------------------ county catalogue


def merge_price(
    local_fen: int | None,
    price_source: str,
    local_override_on: dt.date | None,
    county_fen: int,
    today: dt.date,
) -> tuple[int, str]:
    """The price a county pull leaves on a product, and where it came from.

    The county's price wins unless the coordinator set this product's price at the booth
    today (local day): then the local price stays until the next day's pull.
    """
    if local_fen is not None and price_source == SOURCE_LOCAL and local_override_on == today:
        return local_fen, SOURCE_LOCAL
    return county_fen, SOURCE_COUNTY


def import_county_catalog(
    session: Session,
    households: Sequence[HouseholdRow],
    products: Sequence[ProductRow],
    now: dt.datetime,
) -> ImportResult:
    """Apply the county's catalogue rows by the merge rule; county price moves are recorded in
    price_changes with source "county"."""
    if now.tzinfo is not None:
        now = now.astimezone(dt.UTC).replace(tzinfo=None)
    today = days.local_day(now, booth.now_utc()[1])
    local = {
        p.plu: (p.price_fen, p.price_source, p.local_override_on)
        for p in session.scalars(select(Product))
    }
    merged: list[ProductRow] = []
    sources: dict[str, str] = {}
    for row in products:
        fen, source, on = local.get(row.plu, (None, SOURCE_COUNTY, None))
        price, sources[row.plu] = merge_price(fen, source, on, row.price_fen, today)
        merged.append(replace(row, price_fen=price))
    result, _ = _import_tracked(session, households, merged, COUNTY, SOURCE_COUNTY, now, today)
    for product in session.scalars(select(Product).where(Product.plu.in_(sources))):
        product.price_source = sources[product.plu]
    session.flush()
    return result
