"""The `booth-pos` command line.

Exit codes: 0 success, 2 bad input (one line on stderr, ledger untouched), 1 anything else.
Most tests call the CLI's `main` in this process (`invoke`); the ones about the program itself
run it as a real child process (`run_cli`): the installed `booth-pos` script end to end, the
exit status of a refusal and of a failure, Chinese on its pipes, and a backup taken while
another process holds the write lock.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol

import pytest

from booth_pos import __version__
from tests.booth_pos.cli.conftest import (
    DEMO_INIT,
    cli_env,
    console_script,
    copy_booth,
    invoke,
    run_cli,
)
from tests.helpers import row_counts

DB_NAME = "booth.sqlite"
COORDINATOR_PIN = "8888"  # demo coordinator 张敏
OPERATOR_PIN = "1111"  # demo operator 李娜
REASON = ("--reason", "customer changed mind")
CSV_HEADER = "plu,name_zh,unit,price,household_code,household_name,household_kind"

Snapshot = tuple[dict[str, int], list[tuple[Any, ...]]]


class Outcome(Protocol):
    @property
    def returncode(self) -> int: ...
    @property
    def stdout(self) -> str: ...
    @property
    def stderr(self) -> str: ...


Runner = Callable[..., Outcome]  # invoke (in this process) or run_cli (a child process)


# --------------------------------------------------------------------------- helpers


def ok(data_dir: Path, *args: str) -> str:
    """Run a command that must succeed; its stdout."""
    result = invoke(data_dir, *args)
    assert result.returncode == 0, f"{args} exited {result.returncode}: {result.stderr}"
    return result.stdout


def ok_json(data_dir: Path, *args: str) -> Any:
    return json.loads(ok(data_dir, *args, "--json"))


def sell(data_dir: Path, *args: str) -> dict[str, Any]:
    sale: dict[str, Any] = ok_json(data_dir, "sell", *args)
    return sale


def show(data_dir: Path, receipt_no: str) -> dict[str, Any]:
    sale: dict[str, Any] = ok_json(data_dir, "sales", "show", receipt_no)
    return sale


def refund_args(receipt_no: str, *extra: str, pin: str = COORDINATOR_PIN) -> tuple[str, ...]:
    return ("refund", receipt_no, *extra, *REASON, "--pin", pin)


def void_args(receipt_no: str, pin: str = COORDINATOR_PIN) -> tuple[str, ...]:
    return ("void", receipt_no, *REASON, "--pin", pin)


def refund(data_dir: Path, receipt_no: str, *lines: int) -> dict[str, Any]:
    line_args = [arg for n in lines for arg in ("--line", str(n))]
    slip: dict[str, Any] = ok_json(data_dir, *refund_args(receipt_no, *line_args))
    return slip


def snapshot(data_dir: Path) -> Snapshot:
    """Row counts (tests.helpers) plus catalogue, households and document counter, via sqlite3."""
    db = data_dir / DB_NAME
    with closing(sqlite3.connect(db)) as conn:
        detail = conn.execute("SELECT * FROM products ORDER BY plu").fetchall()
        detail += conn.execute("SELECT * FROM households ORDER BY code").fetchall()
        detail += conn.execute("SELECT id, next_seq FROM devices").fetchall()
    return row_counts(db), detail


def one_line(text: str) -> str:
    line = text.strip()
    assert line, "stderr is empty"
    assert "\n" not in line, f"stderr is not one line: {text!r}"
    return line


def assert_refused(
    data_dir: Path, *args: str, says: str, lang: str | None = "en", run: Runner = invoke
) -> str:
    """The command exits 2 with one clear line on stderr and leaves the ledger as it was."""
    before = snapshot(data_dir)
    result = run(data_dir, *args, lang=lang)
    assert result.returncode == 2, (
        f"{args}: exit {result.returncode}, stdout {result.stdout!r}, stderr {result.stderr!r}"
    )
    message = one_line(result.stderr)
    assert says in message
    assert result.stdout == ""
    assert snapshot(data_dir) == before
    return message


def write_csv(path: Path, *rows: str) -> Path:
    """A catalogue file as a spreadsheet saves it: UTF-8 with BOM, CRLF line ends."""
    path.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8", newline="")
    return path


def sales_in(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        count: int = conn.execute("SELECT count(*) FROM sales").fetchone()[0]
    return count


# --------------------------------------------------------------------------- selling


def test_init_demo_then_first_sale_of_lotus_root(tmp_path: Path) -> None:
    """End to end through the installed `booth-pos` program, as a booth operator runs it."""
    folder = tmp_path / "data"

    def program(*args: str) -> Any:
        result = run_cli(folder, *args, "--json", program=console_script())
        assert result.returncode == 0, f"{args} exited {result.returncode}: {result.stderr}"
        return json.loads(result.stdout)

    setup = program(*DEMO_INIT)
    assert setup["booth"]["code"] == "LX01"
    assert setup["demo"]["products_added"] == 9

    sale = program("sell", "101=1.25kg", "--pay", "cash:50")

    assert sale["receipt_no"] == "LX01-000001"
    assert sale["sale_id"]
    assert sale["total_fen"] == 875
    assert sale["paid_fen"] == 5000
    assert sale["change_fen"] == 4125
    [line] = sale["lines"]
    assert (line["line_no"], line["plu"], line["name_zh"]) == (1, "101", "莲藕")
    assert (line["quantity"], line["unit_price_fen"], line["amount_fen"]) == (1250, 350, 875)
    assert sale["tenders"] == [{"method": "cash", "amount_fen": 5000, "change_fen": 4125}]
    assert program("sales", "show", "LX01-000001") == sale


def test_same_weight_in_kg_jin_and_grams_costs_the_same(booth: Path) -> None:
    sales = [sell(booth, f"101={qty}", "--pay", "cash:50") for qty in ("2.5jin", "1250g", "2.5斤")]

    assert [s["total_fen"] for s in sales] == [875, 875, 875]
    assert [s["lines"][0]["quantity"] for s in sales] == [1250, 1250, 1250]
    assert [s["receipt_no"] for s in sales] == ["LX01-000001", "LX01-000002", "LX01-000003"]


def test_mixed_sale_with_barcode_and_split_tender(booth: Path) -> None:
    sale = sell(
        booth, "101=2.5jin", "6975123400010=2", "301", "--pay", "cash:100", "--pay", "mobile:50"
    )

    lines = [(ln["plu"], ln["quantity"], ln["amount_fen"]) for ln in sale["lines"]]
    assert lines == [("101", 1250, 875), ("201", 2, 9000), ("301", 1, 3800)]
    assert sale["total_fen"] == 13675
    assert sale["paid_fen"] == 15000
    assert sale["change_fen"] == 1325
    assert sale["tenders"] == [
        {"method": "cash", "amount_fen": 10000, "change_fen": 1325},
        {"method": "mobile", "amount_fen": 5000, "change_fen": 0},
    ]


@pytest.mark.parametrize(
    ("rule", "dropped", "total", "change"),
    [("jiao", 5, 870, 130), ("yuan", 75, 800, 200)],
)
def test_round_down(booth: Path, rule: str, dropped: int, total: int, change: int) -> None:
    sale = sell(booth, "101=1.25kg", "--pay", "cash:10", "--round-down", rule)

    assert sale["subtotal_fen"] == 875
    assert (sale["round_down"], sale["round_down_fen"]) == (rule, dropped)
    assert sale["total_fen"] == total
    assert sale["change_fen"] == change


def test_sell_prints_a_readable_receipt(booth: Path) -> None:
    text = ok(booth, "sell", "201", "--pay", "cash:50")

    assert "LX01-000001" in text
    assert "槐花蜜" in text
    assert "45.00" in text
    assert re.search(r"(?<![\d.])5\.00", text), "the change of 5.00 is not shown"


def test_sales_list_and_show(booth: Path) -> None:
    first = sell(booth, "101=1.25kg", "--pay", "cash:50")
    second = sell(booth, "201=2", "--pay", "mobile:90", "--operator", "赵磊")

    listed = ok_json(booth, "sales", "list")
    assert [s["receipt_no"] for s in listed] == ["LX01-000002", "LX01-000001"]
    assert [s["total_fen"] for s in listed] == [9000, 875]
    assert [s["operator_name"] for s in listed] == ["赵磊", "李娜"]
    assert not any(s["voided"] for s in listed)

    shown = show(booth, "LX01-000001")
    assert shown == first
    assert show(booth, "lx01-000002")["sale_id"] == second["sale_id"]
    assert "LX01-000001" in ok(booth, "sales", "show", "LX01-000001")


def test_catalog_list(booth: Path) -> None:
    products = {p["plu"]: p for p in ok_json(booth, "catalog", "list")}

    assert sorted(products) == ["101", "102", "201", "202", "301", "401", "501", "601", "602"]
    lotus = products["101"]
    assert (lotus["name_zh"], lotus["unit"], lotus["price_fen"]) == ("莲藕", "jin", 350)
    assert lotus["household_name"] == "李桂兰"
    honey = products["201"]
    assert (honey["barcode"], honey["unit"], honey["price_fen"]) == ("6975123400010", "item", 4500)
    assert products["602"]["price_fen"] == 4800
    assert all(p["active"] for p in products.values())


def test_catalog_export_import_roundtrip(booth: Path, tmp_path: Path) -> None:
    exported = tmp_path / "目录.csv"
    ok(booth, "catalog", "export", str(exported))
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("plu,name_zh,unit,price")
    assert "101,莲藕,jin,3.50" in text
    assert "李桂兰" in text
    assert "6975123400010" in text

    before_list = ok_json(booth, "catalog", "list")
    before = snapshot(booth)
    result = ok_json(booth, "catalog", "import", str(exported))

    assert result == {"households": 6, "products_added": 0, "products_updated": 9}
    assert snapshot(booth) == before
    assert ok_json(booth, "catalog", "list") == before_list
    again = tmp_path / "again.csv"
    ok(booth, "catalog", "export", str(again))
    assert again.read_bytes() == raw


def test_catalog_import_without_optional_columns_keeps_them(booth: Path, tmp_path: Path) -> None:
    """A price update with only the required columns must not wipe barcodes or villages."""
    price_update = write_csv(
        tmp_path / "prices.csv",
        CSV_HEADER,
        "201,槐花蜜 500g,item,46.00,H002,王建国家庭农场,family_farm",
    )
    ok(booth, "catalog", "import", str(price_update))

    products = {p["plu"]: p for p in ok_json(booth, "catalog", "list")}
    honey = products["201"]
    assert honey["price_fen"] == 4600
    assert honey["barcode"] == "6975123400010"  # still sells when scanned
    assert (honey["name_en"], honey["category"], honey["item_label_zh"]) == (
        "Acacia honey 500 g",
        "蜂蜜",
        "罐",
    )
    assert (products["202"]["village"], products["202"]["town"]) == ("槐树岭村", "石桥镇")


def test_data_dir_from_environment(booth: Path, tmp_path: Path) -> None:
    env = cli_env(BOOTH_POS_DATA_DIR=str(booth))
    sold = invoke(None, "sell", "201", "--pay", "cash:45", "--json", env=env, cwd=tmp_path)
    assert sold.returncode == 0, sold.stderr
    assert json.loads(sold.stdout)["receipt_no"] == "LX01-000001"

    elsewhere = tmp_path / "elsewhere"
    env = cli_env(BOOTH_POS_DATA_DIR=str(elsewhere))
    listed = invoke(booth, "sales", "list", "--json", env=env)  # --data-dir wins
    assert listed.returncode == 0, listed.stderr
    assert [s["receipt_no"] for s in json.loads(listed.stdout)] == ["LX01-000001"]
    assert not elsewhere.exists()


def test_the_installed_program_says_its_version() -> None:
    result = run_cli(None, "--version", program=console_script())

    assert result.returncode == 0
    assert result.stdout.strip() == f"booth-pos {__version__}"


# --------------------------------------------------------------------------- void and refund


def test_void_needs_coordinator_and_marks_sale_voided(booth: Path) -> None:
    sale = sell(booth, "301", "--pay", "cash:50")

    voided = ok_json(booth, *void_args("LX01-000001"))

    assert voided["receipt_no"] == "LX01-000001"
    assert voided["amount_fen"] == sale["total_fen"] == 3800
    assert voided["authorised_by"] == "张敏"
    assert show(booth, "LX01-000001")["voided"] is True
    assert [s["voided"] for s in ok_json(booth, "sales", "list")] == [True]
    assert "VOIDED" in ok(booth, "sales", "show", "LX01-000001")
    assert_refused(
        booth,
        *void_args("LX01-000001"),
        says="receipt LX01-000001 is already voided",
    )
    assert_refused(
        booth,
        *refund_args("LX01-000001"),
        says="receipt LX01-000001 is voided and cannot be refunded",
    )


def test_refund_whole_sale(booth: Path) -> None:
    sale = sell(booth, "101=1.25kg", "201", "--pay", "cash:100")

    slip = refund(booth, "LX01-000001")

    assert re.fullmatch(r"LX01-R\d{6}", slip["refund_no"])
    assert slip["refund_no"] == "LX01-R000002"
    assert slip["receipt_no"] == "LX01-000001"
    assert slip["amount_fen"] == sale["total_fen"] == 5375
    assert slip["method"] == "cash"
    assert [ln["line_no"] for ln in slip["lines"]] == [1, 2]
    shown = show(booth, "LX01-000001")
    assert shown["refunded_fen"] == 5375
    assert [ln["refunded_quantity"] for ln in shown["lines"]] == [1250, 1]
    assert_refused(
        booth,
        *refund_args("LX01-000001"),
        says="nothing left to refund",
    )


def test_refund_one_line_then_the_rest(booth: Path) -> None:
    sell(booth, "101=1.25kg", "201", "--pay", "cash:100")

    first = refund(booth, "LX01-000001", 2)
    assert first["refund_no"] == "LX01-R000002"
    assert first["lines"] == [{"line_no": 2, "quantity": 1, "amount_fen": 4500}]
    assert first["amount_fen"] == 4500
    assert show(booth, "LX01-000001")["refunded_fen"] == 4500

    assert_refused(
        booth,
        *refund_args("LX01-000001", "--line", "2"),
        says="refund exceeds sale: line 2",
    )
    assert_refused(
        booth,
        *void_args("LX01-000001"),
        says="receipt LX01-000001 has refunds and cannot be voided",
    )

    rest = refund(booth, "LX01-000001")
    assert rest["refund_no"] == "LX01-R000004"  # seq 3: the first refund's audit entry
    assert rest["lines"] == [{"line_no": 1, "quantity": 1250, "amount_fen": 875}]


def test_refunds_never_give_back_more_than_was_paid_after_round_down(booth: Path) -> None:
    sale = sell(booth, "101=1.25kg", "201", "--pay", "cash:60", "--round-down", "yuan")
    assert sale["total_fen"] == 5300

    first = refund(booth, "LX01-000001", 1)
    rest = refund(booth, "LX01-000001")

    assert first["amount_fen"] == 875
    assert rest["amount_fen"] == 5300 - 875
    assert show(booth, "LX01-000001")["refunded_fen"] == 5300


# --------------------------------------------------------------------------- bad input


@pytest.fixture(scope="module")
def busy_booth(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the bad-input cases, which must never change it.

    LX01-000001: 201 + 101 1.25kg, untouched.  LX01-000002: 201, fully refunded (R000003;
    its audit entry takes document number 4).  LX01-000003 (document 5): 201 + 301, line 1
    refunded (R000006). Receipts count sales only; refund slips show the document number.
    """
    folder = copy_booth(demo_template, tmp_path_factory.mktemp("busy") / "data")
    sell(folder, "201", "101=1.25kg", "--pay", "cash:100")
    sell(folder, "201", "--pay", "cash:50")
    refund(folder, "LX01-000002")
    sell(folder, "201", "301", "--pay", "cash:100")
    refund(folder, "LX01-000003", 1)
    return folder


BAD_INPUTS: list[tuple[tuple[str, ...], str]] = [
    (("sell", "999=1", "--pay", "cash:50"), "unknown PLU or barcode: 999"),
    (("sell", "6975123409999=1", "--pay", "cash:50"), "unknown PLU or barcode: 6975123409999"),
    (("sell", "201=0", "--pay", "cash:50"), "quantity must be above zero: 0"),
    (("sell", "101=0kg", "--pay", "cash:50"), "quantity must be above zero: 0kg"),
    (("sell", "201=-1", "--pay", "cash:50"), "quantity must be above zero: -1"),
    (("sell", "101=-1kg", "--pay", "cash:50"), "quantity must be above zero: -1kg"),
    (("sell", "101=101kg", "--pay", "cash:1000"), "quantity too large: 101kg"),
    (("sell", "201=1000", "--pay", "cash:50000"), "quantity too large: 1000"),
    (("sell", "201=abc", "--pay", "cash:50"), "cannot read quantity: abc"),
    (("sell", "201=1.5", "--pay", "cash:100"), "cannot read quantity: 1.5"),
    (("sell", "101=0.0001kg", "--pay", "cash:1"), "weight must be a whole number of grams"),
    (("sell", "201=1", "--pay", "cash:40"), "payment short: total 45.00, paid 40.00"),
    (("sell", "201=1", "--pay", "mobile:100"), "only cash gives change"),
    (("sell", "201=1kg", "--pay", "cash:50"), "201 is sold by the item, not by weight: 1kg"),
    (("sell", "101=3", "--pay", "cash:50"), "101 is sold by weight"),
    (("sell", "201", "--pay", "cash:50", "--operator", "王五"), "unknown operator: 王五"),
    (("sell", "201", "--pay", "cash:abc"), "cannot read amount: abc"),
    (("sell", "201", "--pay", "cash:1.234"), "cannot read amount: 1.234"),
    (("sell", "201", "--pay", "cash"), "cannot read amount: cash"),
    (("sell", "201", "--pay", "cash:0"), "amount must be above zero"),
    (("sell", "201", "--pay", "bitcoin:50"), "unknown payment method: bitcoin"),
    (("sell", "101=100g", "--pay", "cash:1", "--round-down", "yuan"), "make the sale free"),
    (("sell", "201", "--pay", "cash:50", "--round-down", "fen"), "invalid choice"),
    (("sell", "201"), "--pay"),
    (void_args("LX01-000001", pin=OPERATOR_PIN), "this needs a coordinator's PIN"),
    (void_args("LX01-000099"), "no such receipt: LX01-000099"),
    (("void", "LX01-000001", "--reason", " ", "--pin", "8888"), "a reason is required"),
    (refund_args("LX01-000099"), "no such receipt: LX01-000099"),
    (refund_args("LX01-000001", pin="2222"), "this needs a coordinator's PIN"),
    (refund_args("LX01-000001", "--line", "7"), "receipt LX01-000001 has no line 7"),
    (refund_args("LX01-000002"), "nothing left to refund"),
    (refund_args("LX01-000002", "--line", "1"), "refund exceeds sale: line 1"),
    (refund_args("LX01-000003", "--line", "1"), "refund exceeds sale: line 1"),
    (("sales", "show", "LX01-000099"), "no such receipt: LX01-000099"),
    (DEMO_INIT, "the booth is already set up: LX01"),
    (("catalog", "import", "no-such-file.csv"), "file not found: no-such-file.csv"),
]


@pytest.mark.parametrize(
    "args",
    [void_args("LX01-000001", pin="9999"), refund_args("LX01-000001", pin="0000")],
    ids=["void", "refund"],
)
def test_a_wrong_pin_is_refused_and_leaves_only_its_audit_entry(
    booth: Path, args: tuple[str, ...]
) -> None:
    sell(booth, "201", "--pay", "cash:50")
    counts, _ = snapshot(booth)
    result = invoke(booth, *args)
    assert result.returncode == 2
    assert "wrong PIN" in one_line(result.stderr)
    after, _ = snapshot(booth)
    assert after == {**counts, "outbox": counts["outbox"] + 1}
    entries = ok_json(booth, "audit", "list")
    assert [(e["action"], e["operator"]) for e in entries] == [("pin_failed", "coordinator PIN")]


@pytest.mark.parametrize(("args", "says"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_refused_and_changes_nothing(
    busy_booth: Path, args: tuple[str, ...], says: str
) -> None:
    assert_refused(busy_booth, *args, says=says)


def test_default_messages_are_chinese_and_lang_chooses(busy_booth: Path) -> None:
    args = ("sell", "999=1", "--pay", "cash:50")

    assert_refused(busy_booth, *args, says="未知商品编码：999", lang=None)
    assert_refused(busy_booth, "--lang", "en", *args, says="unknown PLU", lang=None)
    assert_refused(busy_booth, "--lang", "zh", *args, says="未知商品编码", lang="en")


def test_the_program_exits_2_with_chinese_on_its_stderr(busy_booth: Path) -> None:
    """The real process: exit status 2, and the Chinese line arrives whole through the pipe."""
    args = ("sell", "999=1", "--pay", "cash:50")

    assert_refused(busy_booth, *args, says="未知商品编码：999", lang=None, run=run_cli)


def test_inactive_product_cannot_be_sold(booth: Path, tmp_path: Path) -> None:
    # Columns in another order, a Chinese household kind, active=0: all allowed by the format.
    csv_file = write_csv(
        tmp_path / "stop.csv",
        "active,plu,name_zh,unit,price,household_code,household_name,household_kind",
        "0,602,干香菇,jin,48.00,H006,陈家庄食用菌合作社,合作社",
    )
    ok(booth, "catalog", "import", str(csv_file))
    products = {p["plu"]: p for p in ok_json(booth, "catalog", "list")}
    assert products["602"]["active"] is False
    assert products["601"]["active"] is True

    assert_refused(booth, "sell", "602=1jin", "--pay", "cash:50", says="not on sale: 602")


CSV_BAD_FILES: list[tuple[list[str], str]] = [
    (
        [
            CSV_HEADER,
            "101,莲藕,jin,9.99,H001,李桂兰,poverty_registered",
            "102,精品莲藕,jin,abc,H001,李桂兰,poverty_registered",
        ],
        "line 3: price",
    ),
    (
        [
            CSV_HEADER,
            "101,莲藕,jin,9.99,H001,李桂兰,poverty_registered",
            "701,新品,litre,5.00,H001,李桂兰,poverty_registered",
        ],
        "line 3: unit 'litre'",
    ),
    (
        [
            CSV_HEADER,
            "701,新品,jin,5.00,H001,李桂兰,poverty_registered,extra",
        ],
        "line 2: more fields than the header",
    ),
    (
        ["plu,name,unit,price", "101,莲藕,jin,9.99"],
        "CSV header is wrong: missing name_zh, household_code, household_name, household_kind",
    ),
    ([CSV_HEADER], "CSV has no data rows"),
]


@pytest.mark.parametrize(
    ("rows", "says"), CSV_BAD_FILES, ids=["price", "unit", "fields", "header", "empty"]
)
def test_bad_catalog_file_is_refused_whole(
    busy_booth: Path, tmp_path: Path, rows: list[str], says: str
) -> None:
    csv_file = write_csv(tmp_path / "bad.csv", *rows)

    assert_refused(busy_booth, "catalog", "import", str(csv_file), says=says)


def test_sell_before_init_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    result = invoke(folder, "sell", "201", "--pay", "cash:50")

    assert result.returncode == 2
    assert one_line(result.stderr) == "booth-pos: the booth is not set up yet; run init first"
    assert set(row_counts(folder / DB_NAME).values()) == {0}


def test_init_refuses_bad_setup(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    no_pin = invoke(folder, "init", "--booth-code", "LX09", "--booth-name", "x", "--town", "y")
    assert no_pin.returncode == 2
    assert "a PIN must be 4 to 8 digits" in one_line(no_pin.stderr)

    bad_code = invoke(
        folder, "init", "--booth-code", "L", "--booth-name", "x", "--town", "y", "--demo"
    )
    assert bad_code.returncode == 2
    assert "booth code must be 2-12 letters or digits: L" in one_line(bad_code.stderr)
    assert set(row_counts(folder / DB_NAME).values()) == {0}


# --------------------------------------------------------------------------- check and backup


def test_check_passes_on_a_healthy_ledger(booth: Path) -> None:
    sell(booth, "101=1.25kg", "201", "--pay", "cash:100")
    refund(booth, "LX01-000001", 2)
    sell(booth, "301", "--pay", "mobile:38")  # LX01-000002: receipts count sales only
    ok(booth, *void_args("LX01-000002"))

    text = ok(booth, "check")
    assert "ok" in text
    assert "PROBLEM" not in text
    report = ok_json(booth, "check")
    assert report["ok"] is True
    assert report["integrity"] == "ok"
    assert report["problems"] == []
    assert report["sales"] == 2
    assert report["last_seq"] == 6  # two sales, a refund, a void and their two audit entries


def test_backup_is_a_complete_sqlite_copy(booth: Path, tmp_path: Path) -> None:
    sell(booth, "101=1.25kg", "--pay", "cash:50")
    sell(booth, "201", "--pay", "mobile:45")
    target = tmp_path / "usb"

    written = Path(ok_json(booth, "backup", "--to", str(target))["backup"])

    assert written.parent == target
    assert written.suffix == ".sqlite"
    assert written.name.startswith("LX01-")
    assert [p.name for p in target.iterdir()] == [written.name]  # no partial file left
    with closing(sqlite3.connect(written)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert sales_in(written) == sales_in(booth / DB_NAME) == 2

    default = Path(ok_json(booth, "backup")["backup"])
    assert default.parent == booth / "backups"
    assert sales_in(default) == 2


@pytest.fixture
def writer_holding_lock(booth: Path) -> Iterator[None]:
    """Another process (here: this one) in the middle of a write transaction on the ledger."""
    with closing(sqlite3.connect(booth / DB_NAME, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE devices SET next_seq = next_seq + 100")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")


def test_backup_while_another_process_is_writing(
    booth: Path, tmp_path: Path, writer_holding_lock: None
) -> None:
    target = tmp_path / "usb"

    result = run_cli(booth, "backup", "--to", str(target), "--json")

    assert result.returncode == 0, result.stderr
    written = Path(json.loads(result.stdout)["backup"])
    with closing(sqlite3.connect(written)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # The copy holds only committed work, not the other process's open transaction.
        assert conn.execute("SELECT next_seq FROM devices").fetchone() == (1,)


# --------------------------------------------------------------------------- other failures


def test_unusable_data_dir_exits_1(tmp_path: Path) -> None:
    """The real process's exit status when the ledger cannot be opened."""
    not_a_folder = tmp_path / "ledger.txt"
    not_a_folder.write_text("not a folder", encoding="utf-8")

    result = run_cli(not_a_folder, "sales", "list")

    assert result.returncode == 1
    assert "cannot open the ledger" in result.stderr
    assert result.stdout == ""
    assert not_a_folder.read_text(encoding="utf-8") == "not a folder"


# --------------------------------------------------------------- product, people, audit


def test_product_people_and_audit_commands(booth: Path) -> None:
    pin = ("--pin", COORDINATOR_PIN)
    first = sell(booth, "101=1kg", "--pay", "cash:50")
    edited = ok_json(
        booth, "product", "set", "101", "--name-zh", "莲藕", "--price", "4.00", "--unit", "jin",
        "--household", "H001", *pin,
    )  # fmt: skip
    assert (edited["price_fen"], edited["price_source"]) == (400, "local")
    assert edited["name_en"] != ""  # fields not given keep their values
    second = sell(booth, "101=1kg", "--pay", "cash:50")
    assert (first["total_fen"], second["total_fen"]) == (700, 800)
    history = ok_json(booth, "product", "history", "101")
    assert [(h["old_fen"], h["new_fen"]) for h in history] == [(350, 400)]
    assert_refused(
        booth, "product", "set", "101", "--name-zh", " ", "--price", "4", "--unit", "jin",
        "--household", "H001", *pin, says="name_zh must not be empty",
    )  # fmt: skip
    ok(booth, "product", "deactivate", "101", *pin)

    ok(booth, "people", "add", "王芳", "--new-pin", "3333", *pin)
    ok(booth, "people", "role", "王芳", "coordinator", *pin)
    ok(booth, "people", "reset-pin", "王芳", "--new-pin", "4444", *pin)
    ok(booth, "people", "deactivate", "赵磊", *pin)
    listed = {p["name"]: p for p in ok_json(booth, "people", "list")}
    assert listed["王芳"]["role"] == "coordinator" and listed["赵磊"]["active"] is False
    ok(booth, "people", "deactivate", "张敏", *pin)
    assert_refused(
        booth, "people", "deactivate", "王芳", "--pin", "4444",
        says="cannot deactivate or demote the last active coordinator",
    )  # fmt: skip

    actions = [e["action"] for e in ok_json(booth, "audit", "list")]
    assert actions == ["people_change"] * 5 + ["product_change", "price_change"]
    assert len(ok_json(booth, "audit", "list", "--action", "price_change")) == 1
    assert "price_change" in ok(booth, "audit", "list")
