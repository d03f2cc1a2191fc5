"""The catalogue editor: prices with history, households, categories, CSV, the county's rule."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.services import audit, catalog, catalog_edit, days, sales
from booth_pos.services.catalog import HouseholdRow, ProductRow
from booth_pos.services.ledger import Ledger
from booth_pos.store.models import Product
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN
from tests.helpers import row_counts

PIN = COORDINATOR_PIN
HEADER = "plu,name_zh,unit,price,household_code,household_name,household_kind"


def counts(db: Path) -> dict[str, int]:
    found = row_counts(db)
    with closing(sqlite3.connect(db)) as conn:
        for table in ("price_changes", "audit_log", "settings"):
            found[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        found["next_seq"] = conn.execute("SELECT next_seq FROM devices").fetchone()[0]
    return found


def sell(ledger: Ledger, plu: str, qty: str) -> sales.SaleView:
    return ledger.write(
        sales.ring_up,
        [CartLine.parse(plu, qty)],
        [TenderIn(TenderMethod.CASH, 100_000)],
        None,
        RoundDown.NONE,
    )


def set_price(ledger: Ledger, plu: str, price_fen: int) -> catalog.ProductView:
    current = {p.plu: p for p in ledger.read(catalog.list_products)}[plu]
    return ledger.write(
        catalog_edit.save_product,
        PIN,
        plu,
        current.name_zh,
        current.name_en,
        current.category,
        current.unit,
        price_fen,
        current.household_code,
        current.barcode,
    )


def test_a_price_change_moves_the_next_sale_not_the_last(ledger: Ledger) -> None:
    before = sell(ledger, "101", "1kg")  # ¥3.50/jin
    assert before.total_fen == 700
    view = set_price(ledger, "101", 400)
    assert (view.price_fen, view.price_source) == (400, "local")
    after = sell(ledger, "101", "1kg")
    assert after.total_fen == 800
    assert ledger.read(sales.show_sale, before.receipt_no) == before  # committed: never moves
    history = ledger.read(catalog_edit.price_history, "101")
    assert [(h.old_fen, h.new_fen, h.by, h.source) for h in history] == [
        (350, 400, "张敏", "local")
    ]
    set_price(ledger, "101", 450)
    history = ledger.read(catalog_edit.price_history, "101")
    assert [(h.old_fen, h.new_fen) for h in history] == [(350, 400), (400, 450)]  # oldest first
    assert history[0].at <= history[1].at
    entries = ledger.read(audit.list_audit, "price_change")
    assert [e.details["new_fen"] for e in entries] == [450, 400]


def test_add_edit_and_deactivate_a_product(ledger: Ledger) -> None:
    added = ledger.write(
        catalog_edit.save_product,
        PIN,
        "701",
        "莲子",
        "Lotus seeds",
        "干货",
        "jin",
        2_000,
        "H001",
        "69751234000701",
        True,
        "#AA3300",
    )
    assert (added.name_zh, added.colour, added.household_code) == ("莲子", "#AA3300", "H001")
    history = ledger.read(catalog_edit.price_history, "701")
    assert [(h.old_fen, h.new_fen) for h in history] == [(None, 2_000)]
    assert sell(ledger, "69751234000701", "1jin").total_fen == 2_000
    renamed = ledger.write(
        catalog_edit.save_product, PIN, "701", "新莲子", "", "干货", "jin", 2_000, "H001",
        "69751234000701",
    )  # fmt: skip
    assert renamed.name_zh == "新莲子"
    assert len(ledger.read(catalog_edit.price_history, "701")) == 1  # the price did not move
    ledger.write(catalog_edit.deactivate_product, PIN, "701")
    with pytest.raises(BadInput) as err:
        sell(ledger, "701", "1jin")
    assert err.value.code == "inactive_product"
    assert ledger.read(audit.count_actions) == {"product_change": 3}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name_zh": "  "}, "empty_field"),
        ({"plu": ""}, "empty_field"),
        ({"price_fen": 0}, "price_out_of_range"),
        ({"price_fen": -100}, "price_out_of_range"),
        ({"price_fen": 1_000_001}, "price_out_of_range"),
        ({"household_code": "H999"}, "unknown_household"),
        ({"barcode": "6975123400201"}, "duplicate_barcode"),  # 201's barcode
        ({"barcode": "12ab"}, "bad_barcode"),
        ({"unit": "box"}, "bad_unit"),
        ({"colour": "red"}, "bad_colour"),
        ({"pin": OPERATOR_PIN}, "not_coordinator"),
    ],
)
def test_bad_product_input_writes_nothing(
    ledger: Ledger, changes: dict[str, object], code: str
) -> None:
    barcodes = {p.plu: p.barcode for p in ledger.read(catalog.list_products)}
    if code == "duplicate_barcode":
        changes = {"barcode": barcodes["201"]}
    fields: dict[str, object] = {
        "pin": PIN,
        "plu": "101",
        "name_zh": "莲藕",
        "name_en": "",
        "category": "",
        "unit": "jin",
        "price_fen": 400,
        "household_code": "H001",
        "barcode": None,
        "active": True,
        "colour": "",
        **changes,
    }
    before = counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        ledger.write(catalog_edit.save_product, **fields)  # type: ignore[arg-type]
    assert err.value.code == code
    assert counts(ledger.db_path) == before
    assert err.value.message("zh") and err.value.message("en")


def test_households_and_category_order(ledger: Ledger) -> None:
    added = ledger.write(
        catalog_edit.save_household, PIN, "H009", "王家", "西村", "莲花镇", "家庭农场"
    )
    assert added == catalog_edit.HouseholdView("H009", "王家", "西村", "莲花镇", "family_farm")
    edited = ledger.write(
        catalog_edit.save_household, PIN, "H009", "王家农场", "西村", "莲花镇", "family_farm"
    )
    assert edited.name == "王家农场"
    assert "H009" in [h.code for h in ledger.read(catalog_edit.list_households)]
    before = counts(ledger.db_path)
    for args, code in (
        (("H010", " ", "", "", "family_farm"), "empty_field"),
        (("H010", "李家", "", "", "farm"), "bad_household_kind"),
        (("", "李家", "", "", "family_farm"), "empty_field"),
    ):
        with pytest.raises(BadInput) as err:
            ledger.write(catalog_edit.save_household, PIN, *args)
        assert err.value.code == code
    assert counts(ledger.db_path) == before
    assert ledger.read(audit.count_actions) == {"household_change": 2}

    categories = sorted({p.category for p in ledger.read(catalog.list_products)})
    assert ledger.read(catalog_edit.category_order) == []
    chosen = list(reversed(categories))
    ledger.write(catalog_edit.set_category_order, PIN, [*chosen, " ", chosen[0]])
    assert ledger.read(catalog_edit.category_order) == chosen
    listed = ledger.read(catalog.list_products)
    ranks = [chosen.index(p.category) for p in listed]
    assert ranks == sorted(ranks)
    for rank in set(ranks):
        plus = [p.plu for p, r in zip(listed, ranks, strict=True) if r == rank]
        assert plus == sorted(plus)


def test_a_bad_csv_writes_nothing_and_names_its_lines(ledger: Ledger) -> None:
    text = "\n".join(
        [
            HEADER,
            "101,莲藕,jin,3.80,H001,周大伯,poverty_registered",
            "801,,jin,3.80,H001,周大伯,poverty_registered",
            "802,菱角,box,3.80,H001,周大伯,poverty_registered",
            "803,菱角,jin,-1,H001,周大伯,poverty_registered",
        ]
    )
    preview = ledger.read(catalog_edit.preview_catalog_csv, text)
    assert [e.split(":")[0] for e in preview.errors] == ["line 3", "line 4", "line 5"]
    before = counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        ledger.write(catalog_edit.import_catalog_csv, PIN, text)
    assert err.value.code == "csv_rows"
    assert "line 3" in err.value.message("en") and "line 5" in err.value.message("en")
    assert counts(ledger.db_path) == before

    wrong = ledger.read(catalog_edit.preview_catalog_csv, "plu,name,price\n101,莲藕,3.80\n")
    assert len(wrong.errors) == 1 and "header" in wrong.errors[0]
    with pytest.raises(BadInput) as err:
        ledger.write(catalog_edit.import_catalog_csv, PIN, "plu,name,price\n101,莲藕,3.80\n")
    assert err.value.code == "csv_header"
    assert counts(ledger.db_path) == before


def test_a_csv_barcode_taken_by_another_product_is_named_by_line(ledger: Ledger) -> None:
    taken = {p.plu: p.barcode for p in ledger.read(catalog.list_products)}["201"]
    text = f"{HEADER},barcode\n901,菱角,jin,3.80,H001,周大伯,poverty_registered,{taken}\n"
    preview = ledger.read(catalog_edit.preview_catalog_csv, text)
    assert preview.errors == [f"line 2: barcode {taken} already belongs to plu 201"]
    before = counts(ledger.db_path)
    with pytest.raises(BadInput):
        ledger.write(catalog_edit.import_catalog_csv, PIN, text)
    assert counts(ledger.db_path) == before


def test_a_good_csv_previews_then_imports_with_price_history(ledger: Ledger) -> None:
    text = "\n".join(
        [
            HEADER,
            "101,莲藕,jin,3.80,H001,周大伯,poverty_registered",
            "102,精品莲藕,jin,4.80,H001,周大伯,poverty_registered",
            "901,菱角,jin,6.00,H001,周大伯,poverty_registered",
        ]
    )
    preview = ledger.read(catalog_edit.preview_catalog_csv, text)
    assert preview == catalog_edit.CsvPreview(1, 1, 1, [])
    result = ledger.write(catalog_edit.import_catalog_csv, PIN, text)
    assert (result.products_added, result.products_updated) == (1, 2)
    assert [(h.old_fen, h.new_fen) for h in ledger.read(catalog_edit.price_history, "101")] == [
        (350, 380)
    ]
    assert [(h.old_fen, h.new_fen) for h in ledger.read(catalog_edit.price_history, "901")] == [
        (None, 600)
    ]
    assert ledger.read(catalog_edit.price_history, "102") == []  # same price: no history
    assert ledger.read(audit.count_actions) == {"catalog_import": 1}


def test_county_merge_rule() -> None:
    today = dt.date(2026, 11, 29)
    yesterday = today - dt.timedelta(days=1)
    merge = catalog_edit.merge_price
    assert merge(380, "local", today, 350, today) == (380, "local")  # set here today: kept
    assert merge(380, "local", yesterday, 350, today) == (350, "county")  # yesterday: county
    assert merge(380, "local", None, 350, today) == (350, "county")
    assert merge(380, "county", today, 350, today) == (350, "county")
    assert merge(None, "county", None, 350, today) == (350, "county")  # new from the county


def county_rows(session: Session, prices: dict[str, int]) -> list[ProductRow]:
    rows = []
    for p in session.scalars(select(Product)):
        rows.append(
            ProductRow(
                plu=p.plu,
                barcode=p.barcode,
                name_zh=p.name_zh,
                name_en=p.name_en,
                category=p.category,
                unit=p.unit,
                item_label_zh=p.item_label_zh,
                item_label_en=p.item_label_en,
                price_fen=prices.get(p.plu, p.price_fen),
                household_code=p.household.code,
                active=p.active,
                given=frozenset(catalog.OPTIONAL),
            )
        )
    return rows


def test_a_county_pull_keeps_todays_local_prices_only(ledger: Ledger) -> None:
    set_price(ledger, "101", 380)  # today, at the booth

    def backdate(session: Session) -> None:
        product = session.scalars(select(Product).where(Product.plu == "102")).one()
        product.price_source, product.local_override_on = "local", dt.date(2020, 1, 1)

    ledger.write(backdate)

    def pull(session: Session) -> catalog.ImportResult:
        households = [
            HouseholdRow(h.code, h.name, h.kind, h.village, h.town)
            for h in catalog_edit.list_households(session)
        ]
        rows = county_rows(session, {"101": 300, "102": 500, "201": 4_600})
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return catalog_edit.import_county_catalog(session, households, rows, now)

    ledger.write(pull)
    by_plu = {p.plu: p for p in ledger.read(catalog.list_products)}
    assert (by_plu["101"].price_fen, by_plu["101"].price_source) == (380, "local")
    assert (by_plu["102"].price_fen, by_plu["102"].price_source) == (500, "county")
    assert (by_plu["201"].price_fen, by_plu["201"].price_source) == (4_600, "county")
    assert by_plu["301"].price_source == "county"  # same price, now the county's
    county = [
        (h.plu, h.old_fen, h.new_fen, h.by)
        for plu in ("101", "102", "201")
        for h in ledger.read(catalog_edit.price_history, plu)
        if h.source == "county"
    ]
    assert county == [("102", 480, 500, "county"), ("201", 4_500, 4_600, "county")]
    assert days.local_day(dt.datetime(2026, 1, 1, 20), 480) == dt.date(2026, 1, 2)
