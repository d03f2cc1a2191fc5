"""First-run setup: booth, coordinator and first goods in one transaction, or nothing at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from booth_pos.domain.errors import BadInput
from booth_pos.services import auth, booth, catalog
from booth_pos.services.ledger import Ledger
from booth_pos.services.setup import setup_booth
from tests.helpers import row_counts

GOOD_CSV = (
    "plu,name_zh,unit,price,household_code,household_name,household_kind\n"
    "11,土鸡蛋,item,1.50,H9,王大妈,poverty_registered\n"
    "12,小米,jin,6.80,H9,王大妈,poverty_registered\n"
)
BAD_CSV = (
    "plu,name_zh,unit,price,household_code,household_name,household_kind\n"
    "11,土鸡蛋,dozen,1.50,H9,王大妈,poverty_registered\n"
)


def nothing_written(ledger: Ledger) -> bool:
    return not any(row_counts(ledger.db_path).values())


def test_setup_with_demo_goods_makes_a_working_booth(empty_ledger: Ledger) -> None:
    view = empty_ledger.write(setup_booth, "hh02", "槐花蜜摊", "石桥镇", "王芳", "4321", True, None)
    assert view.code == "HH02"
    assert empty_ledger.read(booth.booth_info) == view
    products = empty_ledger.read(catalog.list_products)
    assert {p.plu for p in products} >= {"101", "201", "301"}
    assert empty_ledger.read(auth.check_coordinator, "4321").name == "王芳"
    names = {o.name for o in empty_ledger.read(auth.list_operators)}
    assert names == {"王芳", "张敏", "李娜", "赵磊"}


def test_setup_imports_a_catalogue_file(empty_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "goods.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    empty_ledger.write(setup_booth, "LX02", "杂粮摊", "城关镇", "王芳", "4321", False, path)
    products = empty_ledger.read(catalog.list_products)
    assert [(p.plu, p.price_fen) for p in products] == [("11", 150), ("12", 680)]
    operators = empty_ledger.read(auth.list_operators)
    assert [(o.name, o.role) for o in operators] == [("王芳", auth.ROLE_COORDINATOR)]


def test_setup_can_start_with_no_goods(empty_ledger: Ledger) -> None:
    empty_ledger.write(setup_booth, "LX03", "空摊", "城关镇", "王芳", "43210", False, None)
    assert empty_ledger.read(catalog.list_products) == []
    assert empty_ledger.read(auth.log_in, "王芳", "43210").role == auth.ROLE_COORDINATOR


@pytest.mark.parametrize(
    ("code", "coordinator", "pin", "csv", "error"),
    [
        ("L-1", "王芳", "4321", None, "bad_booth_code"),
        ("LX01", "王芳", "12", None, "bad_pin"),
        ("LX01", "王芳", "12ab", None, "bad_pin"),
        ("LX01", "  ", "4321", None, "empty_field"),
        ("LX01", "王芳", "4321", BAD_CSV, "csv_rows"),
    ],
)
def test_bad_input_writes_nothing(
    empty_ledger: Ledger,
    tmp_path: Path,
    code: str,
    coordinator: str,
    pin: str,
    csv: str | None,
    error: str,
) -> None:
    path = None
    if csv is not None:
        path = tmp_path / "goods.csv"
        path.write_text(csv, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        empty_ledger.write(setup_booth, code, "摊", "镇", coordinator, pin, True, path)
    assert caught.value.code == error
    assert nothing_written(empty_ledger)
    with pytest.raises(BadInput):
        empty_ledger.read(booth.booth_info)


def test_a_missing_catalogue_file_writes_nothing(empty_ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(BadInput) as caught:
        empty_ledger.write(
            setup_booth, "LX01", "摊", "镇", "王芳", "4321", False, tmp_path / "gone.csv"
        )
    assert caught.value.code == "file_not_found"
    assert nothing_written(empty_ledger)


def test_a_coordinator_named_like_a_demo_person_gets_their_own_pin(
    empty_ledger: Ledger,
) -> None:
    empty_ledger.write(setup_booth, "LX01", "摊", "镇", "李娜", "5678", True, None)
    assert empty_ledger.read(auth.check_coordinator, "5678").name == "李娜"
    with pytest.raises(BadInput):
        empty_ledger.read(auth.log_in, "李娜", "1111")  # the demo PIN is gone
    names = [o.name for o in empty_ledger.read(auth.list_operators)]
    assert sorted(names) == sorted(["张敏", "李娜", "赵磊"])


def test_a_booth_is_set_up_only_once(ledger: Ledger) -> None:
    before = row_counts(ledger.db_path)
    with pytest.raises(BadInput) as caught:
        ledger.write(setup_booth, "NEW1", "摊", "镇", "王芳", "4321", False, None)
    assert caught.value.code == "already_initialised"
    assert row_counts(ledger.db_path) == before
