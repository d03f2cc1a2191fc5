"""The catalogue: households and the products they supply, from and to CSV.

CSV header (UTF-8, a BOM is fine; columns in any order; * marks required):

    plu*, name_zh*, unit*, price*, household_code*, household_name*, household_kind*,
    barcode, name_en, category, item_label_zh, item_label_en, village, town, active

``unit`` is kg, jin or item; ``price`` is in yuan per unit (6.80); ``household_kind``
is poverty_registered (脱贫户), family_farm (家庭农场) or cooperative (合作社);
``active`` is 1/0 (default 1). An import is all or nothing: any bad row is reported
with its line number and nothing is written. Rows update products by PLU.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, parse_yuan
from booth_pos.domain.quantity import PricingUnit
from booth_pos.store.models import Household, Product, Setting

REQUIRED = (
    "plu",
    "name_zh",
    "unit",
    "price",
    "household_code",
    "household_name",
    "household_kind",
)
OPTIONAL = (
    "barcode",
    "name_en",
    "category",
    "item_label_zh",
    "item_label_en",
    "village",
    "town",
    "active",
)
HEADER = (
    *REQUIRED[:4],
    *("barcode", "name_en", "category", "item_label_zh", "item_label_en"),
    *REQUIRED[4:],
    *("village", "town", "active"),
)

HOUSEHOLD_KINDS = {
    "poverty_registered": "poverty_registered",
    "脱贫户": "poverty_registered",
    "family_farm": "family_farm",
    "家庭农场": "family_farm",
    "cooperative": "cooperative",
    "合作社": "cooperative",
}
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"0", "false", "no", "n", "否"}
MAX_PRICE_FEN = 1_000_000  # ¥10,000 per unit: anything above is a typing slip
CATEGORY_ORDER_KEY = "category_order"  # settings row: JSON list of categories, tab order


@dataclass(frozen=True)
class HouseholdRow:
    code: str
    name: str
    kind: str
    village: str
    town: str
    # Optional columns the file had; the others keep what the ledger already holds.
    given: frozenset[str] = frozenset(OPTIONAL)


@dataclass(frozen=True)
class ProductRow:
    plu: str
    barcode: str | None
    name_zh: str
    name_en: str
    category: str
    unit: str
    item_label_zh: str
    item_label_en: str
    price_fen: int
    household_code: str
    active: bool
    given: frozenset[str] = frozenset(OPTIONAL)


@dataclass(frozen=True)
class ProductView:
    plu: str
    barcode: str | None
    name_zh: str
    name_en: str
    category: str
    unit: str
    item_label_zh: str
    item_label_en: str
    price_fen: int
    household_code: str
    household_name: str
    household_kind: str
    village: str
    town: str
    active: bool
    colour: str = ""
    price_source: str = "local"  # "local" (set at the booth) or "county" (pulled by sync)
    local_override_on: dt.date | None = None  # the local day the booth last set the price


@dataclass(frozen=True)
class ImportResult:
    households: int
    products_added: int
    products_updated: int


def _parse_row(
    line: int, raw: dict[str, str], errors: list[str], given: frozenset[str]
) -> tuple[HouseholdRow, ProductRow] | None:
    def field(name: str) -> str:
        return (raw.get(name) or "").strip()

    problems: list[str] = []
    for name in REQUIRED:
        if not field(name):
            problems.append(f"{name} is empty")
    unit = field("unit").lower()
    if unit and unit not in {u.value for u in PricingUnit}:
        problems.append(f"unit {unit!r} is not kg, jin or item")
    price_fen = 0
    if field("price"):
        try:
            price_fen = parse_yuan(field("price"))
        except BadInput as exc:
            problems.append(f"price: {exc.message('en')}")
        else:
            if price_fen <= 0 or price_fen > MAX_PRICE_FEN:
                problems.append(f"price {field('price')} is outside 0.01 to 10000 yuan")
    kind = HOUSEHOLD_KINDS.get(field("household_kind"))
    if field("household_kind") and kind is None:
        problems.append(f"household_kind {field('household_kind')!r} is unknown")
    active_text = field("active").lower() or "1"
    if active_text not in _TRUE | _FALSE:
        problems.append(f"active {field('active')!r} is not 1 or 0")
    if len(field("plu")) > 20:
        problems.append("plu is longer than 20 characters")
    barcode = field("barcode") or None
    if barcode is not None and (not barcode.isdigit() or not 8 <= len(barcode) <= 14):
        problems.append(f"barcode {barcode!r} is not 8 to 14 digits")
    if problems:
        errors.append(f"line {line}: " + "; ".join(problems))
        return None
    household = HouseholdRow(
        field("household_code"),
        field("household_name"),
        kind or "",
        field("village"),
        field("town"),
        given & {"village", "town"},
    )
    product = ProductRow(
        plu=field("plu"),
        barcode=barcode,
        name_zh=field("name_zh"),
        name_en=field("name_en"),
        category=field("category"),
        unit=unit,
        item_label_zh=field("item_label_zh"),
        item_label_en=field("item_label_en"),
        price_fen=price_fen,
        household_code=household.code,
        active=active_text in _TRUE,
        given=given,
    )
    return household, product


def parse_catalog_csv(text: str) -> tuple[list[HouseholdRow], list[ProductRow]]:
    """Validate a whole file; raise BadInput naming every bad line (header is line 1)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise BadInput("csv_header", missing=", ".join(missing))
    given = frozenset(name for name in OPTIONAL if name in header)
    errors: list[str] = []
    households: dict[str, HouseholdRow] = {}
    products: dict[str, ProductRow] = {}
    barcodes: dict[str, str] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append(f"line {line}: more fields than the header")
            continue
        if not any((v or "").strip() for v in raw.values()):
            continue
        parsed = _parse_row(line, raw, errors, given)
        if parsed is None:
            continue
        household, product = parsed
        known = households.get(household.code)
        if known is not None and known != household:
            errors.append(f"line {line}: household {household.code} differs from an earlier row")
            continue
        households[household.code] = household
        if product.plu in products:
            errors.append(f"line {line}: plu {product.plu} appears twice")
            continue
        if product.barcode is not None:
            if product.barcode in barcodes:
                errors.append(f"line {line}: barcode {product.barcode} appears twice")
                continue
            barcodes[product.barcode] = product.plu
        products[product.plu] = product
    if errors:
        raise BadInput("csv_rows", count=len(errors), details=" | ".join(errors))
    if not products:
        raise BadInput("csv_empty")
    return list(households.values()), list(products.values())


def import_catalog(
    session: Session, households: Sequence[HouseholdRow], products: Sequence[ProductRow]
) -> ImportResult:
    by_code = {h.code: h for h in session.scalars(select(Household))}
    for hrow in households:
        household = by_code.get(hrow.code)
        if household is None:
            household = Household(code=hrow.code)
            session.add(household)
            by_code[hrow.code] = household
        fresh = household.id is None
        household.name, household.kind = hrow.name, hrow.kind
        if fresh or "village" in hrow.given:
            household.village = hrow.village
        if fresh or "town" in hrow.given:
            household.town = hrow.town
    session.flush()

    existing = {p.plu: p for p in session.scalars(select(Product))}
    incoming = {p.plu for p in products}
    taken = {
        p.barcode: p.plu
        for p in existing.values()
        if p.barcode and (p.plu not in incoming or "barcode" not in products_given(products))
    }
    clashes = [
        f"barcode {row.barcode} already belongs to plu {taken[row.barcode]}"
        for row in products
        if row.barcode is not None and row.barcode in taken
    ]
    if clashes:
        raise BadInput("csv_rows", count=len(clashes), details=" | ".join(clashes))
    added = updated = 0
    for row in products:
        product = existing.get(row.plu)
        if product is None:
            product = Product(plu=row.plu)
            session.add(product)
            added += 1
            keep: frozenset[str] = frozenset()
        else:
            updated += 1
            keep = frozenset(OPTIONAL) - row.given
        product.name_zh, product.unit = row.name_zh, row.unit
        product.price_fen = row.price_fen
        product.household_id = by_code[row.household_code].id
        # A column the file leaves out keeps its stored value (a price-only update, say).
        for name in ("barcode", "name_en", "category", "item_label_zh", "item_label_en", "active"):
            if name not in keep:
                setattr(product, name, getattr(row, name))
    session.flush()
    return ImportResult(len(households), added, updated)


def products_given(products: Sequence[ProductRow]) -> frozenset[str]:
    return products[0].given if products else frozenset()


def import_catalog_file(session: Session, path: Path) -> ImportResult:
    households, products = read_catalog_file(path)
    return import_catalog(session, households, products)


def read_catalog_file(path: Path) -> tuple[list[HouseholdRow], list[ProductRow]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise BadInput("file_not_found", path=str(path)) from exc
    return parse_catalog_csv(text)


def list_products(session: Session, include_inactive: bool = True) -> list[ProductView]:
    """By the coordinator's category order (settings key "category_order"), then PLU."""
    query = select(Product).join(Product.household).order_by(Product.plu)
    if not include_inactive:
        query = query.where(Product.active.is_(True))
    views = [_view(p) for p in session.scalars(query)]
    stored = session.get(Setting, CATEGORY_ORDER_KEY)
    order: list[str] = json.loads(stored.value) if stored is not None else []
    if order:
        rank = {category: index for index, category in enumerate(order)}
        views.sort(key=lambda v: (rank.get(v.category, len(order)), v.plu))
    return views


def _view(p: Product) -> ProductView:
    h = p.household
    return ProductView(
        p.plu,
        p.barcode,
        p.name_zh,
        p.name_en,
        p.category,
        p.unit,
        p.item_label_zh,
        p.item_label_en,
        p.price_fen,
        h.code,
        h.name,
        h.kind,
        h.village,
        h.town,
        p.active,
        p.colour,
        p.price_source,
        p.local_override_on,
    )


def catalog_csv(products: Iterable[ProductView]) -> str:
    """The export, readable by `parse_catalog_csv` and by a spreadsheet (BOM added by caller)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for p in products:
        writer.writerow(
            [
                p.plu,
                p.name_zh,
                p.unit,
                format_yuan(p.price_fen),
                p.barcode or "",
                p.name_en,
                p.category,
                p.item_label_zh,
                p.item_label_en,
                p.household_code,
                p.household_name,
                p.household_kind,
                p.village,
                p.town,
                "1" if p.active else "0",
            ]
        )
    return out.getvalue()
