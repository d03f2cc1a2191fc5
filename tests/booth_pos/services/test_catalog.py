"""Catalogue CSV: all or nothing, every bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from booth_pos.domain.errors import BadInput
from booth_pos.services import catalog
from booth_pos.services.ledger import Ledger
from tests.helpers import row_counts

HEADER = "plu,name_zh,unit,price,household_code,household_name,household_kind,barcode,active\n"


def write(path: Path, body: str, header: str = HEADER) -> Path:
    path.write_text(header + body, encoding="utf-8-sig")
    return path


def test_import_adds_households_and_products(empty_ledger: Ledger, tmp_path: Path) -> None:
    csv_file = write(
        tmp_path / "c.csv",
        "11,莲藕,jin,3.5,H9,周大姐,脱贫户,,1\n12,蜂蜜,item,45,H9,周大姐,脱贫户,69000000,1\n",
    )
    households, products = catalog.read_catalog_file(csv_file)
    result = empty_ledger.write(catalog.import_catalog, households, products)
    assert (result.households, result.products_added, result.products_updated) == (1, 2, 0)
    listed = empty_ledger.read(catalog.list_products)
    assert [(p.plu, p.price_fen, p.household_kind) for p in listed] == [
        ("11", 350, "poverty_registered"),
        ("12", 4500, "poverty_registered"),
    ]


def test_a_bad_file_names_every_bad_line_and_writes_nothing(ledger: Ledger, tmp_path: Path) -> None:
    before = row_counts(ledger.db_path)
    csv_file = write(
        tmp_path / "bad.csv",
        "11,莲藕,jin,3.5,H9,周大姐,脱贫户,,1\n"
        "12,蜂蜜,litre,45,H9,周大姐,脱贫户,,1\n"
        "13,烧鸡,item,-3,H9,周大姐,脱贫户,,1\n"
        "11,重复,item,3,H9,周大姐,脱贫户,,1\n",
    )
    with pytest.raises(BadInput) as err:
        catalog.read_catalog_file(csv_file)
    message = err.value.message("en")
    assert "line 3" in message and "unit 'litre'" in message
    assert "line 4" in message and "price" in message
    assert "line 5" in message and "appears twice" in message
    assert "line 2" not in message
    assert row_counts(ledger.db_path) == before


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    csv_file = write(tmp_path / "h.csv", "11,莲藕\n", header="code,name\n")
    with pytest.raises(BadInput) as err:
        catalog.read_catalog_file(csv_file)
    assert err.value.code == "csv_header"
    assert "plu" in err.value.message("en")


def test_a_barcode_owned_by_another_product_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    before = row_counts(ledger.db_path)
    csv_file = write(tmp_path / "b.csv", "999,新蜜,item,45,H9,周大姐,脱贫户,6975123400010,1\n")
    households, products = catalog.read_catalog_file(csv_file)
    with pytest.raises(BadInput) as err:
        ledger.write(catalog.import_catalog, households, products)
    assert "6975123400010" in err.value.message("en")
    assert row_counts(ledger.db_path) == before


def test_export_reads_back_to_the_same_catalogue(ledger: Ledger, tmp_path: Path) -> None:
    exported = catalog.catalog_csv(ledger.read(catalog.list_products))
    households, products = catalog.parse_catalog_csv("\ufeff" + exported)
    result = ledger.write(catalog.import_catalog, households, products)
    assert result.products_added == 0
    assert catalog.catalog_csv(ledger.read(catalog.list_products)) == exported
