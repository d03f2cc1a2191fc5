"""The county's catalogues: imported from the booths' own CSV format, served to tills by version.

An import is a whole catalogue (households, products, prices) for the county, one town or one
booth; a till gets the newest of its booth's, else its town's, else the county's. Versions only
grow, so a till that holds version N asks ``?since=N`` (or ``If-None-Match``) and gets 304 until
a newer one is imported.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, select

from booth_pos.services.catalog import read_catalog_file
from sync.protocol import (
    CatalogHousehold,
    CatalogProduct,
    CatalogSnapshot,
    canonical_json,
    sha256_hex,
)
from sync.server.models import CatalogVersion

CATALOGS: Table = CatalogVersion.__table__  # type: ignore[assignment]
COUNTY = "county"


@dataclass(frozen=True)
class CatalogRow:
    version: int
    scope: str
    sha256: str
    snapshot: str
    created_at: dt.datetime

    @property
    def etag(self) -> str:
        return f'"v{self.version}-{self.sha256[:16]}"'

    def to_snapshot(self) -> CatalogSnapshot:
        data = json.loads(self.snapshot)
        return CatalogSnapshot(
            version=self.version,
            etag=self.etag,
            scope=self.scope,
            created_at=self.created_at.replace(tzinfo=dt.UTC),
            households=[CatalogHousehold(**h) for h in data["households"]],
            products=[CatalogProduct(**p) for p in data["products"]],
        )


def scope_for(town: str | None = None, booth: str | None = None) -> str:
    if booth:
        return f"booth:{booth.upper()}"
    if town:
        return f"town:{town.strip()}"
    return COUNTY


def import_catalog_csv(
    engine: Engine, path: Path, town: str | None = None, booth: str | None = None
) -> CatalogRow:
    """Store the file as the newest catalogue of its scope (the booth's CSV checks apply)."""
    households, products = read_catalog_file(path)
    data = {
        "households": [
            CatalogHousehold.model_validate(
                {
                    "code": h.code,
                    "name": h.name,
                    "kind": h.kind,
                    "village": h.village,
                    "town": h.town,
                }
            ).model_dump(mode="json")
            for h in households
        ],
        "products": [
            CatalogProduct.model_validate(
                {
                    "plu": p.plu,
                    "barcode": p.barcode,
                    "name_zh": p.name_zh,
                    "name_en": p.name_en,
                    "category": p.category,
                    "unit": p.unit,
                    "item_label_zh": p.item_label_zh,
                    "item_label_en": p.item_label_en,
                    "price_fen": p.price_fen,
                    "household_code": p.household_code,
                    "active": p.active,
                }
            ).model_dump(mode="json")
            for p in products
        ],
    }
    text = canonical_json(data)
    scope = scope_for(town, booth)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        version = conn.execute(
            CATALOGS.insert()
            .values(
                scope=scope,
                sha256=sha256_hex(text),
                snapshot=text,
                product_count=len(products),
                created_at=now,
            )
            .returning(CATALOGS.c.version)
        ).scalar_one()
    return CatalogRow(int(version), scope, sha256_hex(text), text, now)


def current_catalog(conn: Connection, booth_code: str, town: str) -> CatalogRow | None:
    for scope in (scope_for(booth=booth_code), scope_for(town=town), COUNTY):
        row = conn.execute(
            select(
                CATALOGS.c.version,
                CATALOGS.c.scope,
                CATALOGS.c.sha256,
                CATALOGS.c.snapshot,
                CATALOGS.c.created_at,
            )
            .where(CATALOGS.c.scope == scope)
            .order_by(CATALOGS.c.version.desc())
            .limit(1)
        ).first()
        if row is not None:
            return CatalogRow(int(row.version), row.scope, row.sha256, row.snapshot, row.created_at)
    return None
