"""The day-end commands of `booth-pos`, run in-process with the test's clock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from booth_pos.cli.main import main
from booth_pos.services.ledger import Ledger
from tests.booth_pos.services.test_dayend import DAY1, Clock, all_counts, install_clock
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN


class Cli:
    def __init__(self, ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
        self.ledger = ledger
        self.capsys = capsys

    def __call__(self, *args: str, code: int = 0) -> str:
        self.capsys.readouterr()
        got = main(["--lang", "en", "--data-dir", str(self.ledger.data_dir), *args])
        out, err = self.capsys.readouterr()
        assert got == code, f"{args}: exit {got}, stderr {err}"
        return out if code == 0 else err

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json"))

    def refused(self, *args: str) -> str:
        before = all_counts(self.ledger.db_path)
        err = self(*args, code=2)
        assert all_counts(self.ledger.db_path) == before
        assert err.startswith("booth-pos: ") and err.count("\n") == 1
        return err


@pytest.fixture
def cli(ledger: Ledger, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    install_clock(monkeypatch, Clock(dt.datetime.combine(DAY1, dt.time(8, 0))))
    return Cli(ledger, capsys)


def test_a_day_from_shift_open_to_z_report_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    shift = cli.json("shift", "open", "--float", "200")
    assert shift["float_fen"] == 20_000
    cli("stock", "receive", "101", "20kg", "--household", "H001")
    cli("stock", "receive", "201", "10")
    cli("sell", "101=1.25kg", "201", "--pay", "cash:100")
    cli("sell", "301", "--pay", "mobile:38")
    cli("shift", "pay-out", "50", "--reason", "to the safe")
    cli("stock", "waste", "101", "500g", "--reason", "spoiled")
    assert "give a reason" in cli.refused("stock", "count", "101=18kg")
    assert "negative" in cli.refused("stock", "count", "101=-1kg")
    assert "unknown PLU" in cli.refused("stock", "count", "999=1")
    counted = cli.json("stock", "count", "101=18kg", "201=9", "--reason", "scale")
    assert [c["quantity"] for c in counted] == [-250, 0]
    levels = {row["plu"]: row for row in cli.json("stock", "list")}
    assert levels["101"]["on_hand"] == 18_000 and levels["301"]["on_hand"] is None
    cli("commission", "set", "H001", "5%", "--pin", COORDINATOR_PIN)
    cli.refused("commission", "set", "H002", "5", "--pin", OPERATOR_PIN)

    x = cli.json("report", "x", "--mobile-total", "38")
    assert x["kind"] == "X" and x["mobile"]["variance_fen"] == 0
    assert "coordinator" in cli.refused(
        "day", "close", "--count", "100x2", "--mobile-total", "38", "--pin", OPERATOR_PIN
    )
    assert "payment app" in cli.refused("day", "close", "--count", "100x2", "--pin", "8888")
    assert "still open" in cli.refused("day", "close", "--mobile-total", "38", "--pin", "8888")
    closed = cli.json(
        "day",
        "close",
        "--count",
        "100x2,20x1,10x1,1x3,0.5x1,0.1x2",
        "--mobile-total",
        "38",
        "--pin",
        COORDINATOR_PIN,
        "--backup-to",
        str(tmp_path / "usb"),
    )
    z = closed["report"]
    assert (z["kind"], z["z_no"], z["day"]) == ("Z", 1, DAY1.isoformat())
    assert z["cash"]["expected_fen"] == 20_000 + 875 + 4_500 - 5_000
    assert z["cash"]["variance_fen"] == 23_370 - 20_375
    assert Path(closed["backup"]).parent == tmp_path / "usb"
    assert "already closed" in cli.refused(
        "day", "close", "--count", "100x1", "--mobile-total", "0", "--pin", "8888"
    )
    assert "is closed" in cli.refused("sell", "301", "--pay", "cash:50")
    assert "is closed" in cli.refused("stock", "receive", "101", "1kg")

    assert cli.json("report", "day") == z
    out = cli("report", "day", "--csv", str(tmp_path / "z.csv"), "--pdf", str(tmp_path / "z.pdf"))
    assert "z.csv" in out and (tmp_path / "z.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "z.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    statements = cli.json(
        "report", "statements", "--server", "https://county.example", "--household", "H001"
    )
    assert [(s["household_code"], s["owed_fen"]) for s in statements] == [("H001", 875 - 44)]
    assert statements[0]["url"] == f"https://county.example/h/H001?day={DAY1.isoformat()}"
    cli("report", "statements", "--pdf", str(tmp_path / "s.pdf"))
    assert [c["z_no"] for c in cli.json("day", "list")] == [1]
    assert "Z report no. 1" in cli("report", "day", "--date", DAY1.isoformat())
    assert "cannot read date" in cli.refused("report", "day", "--date", "10/02/2026")
    assert "no Z report" in cli.refused("report", "day", "--date", "2026-02-09")


def test_shift_commands_refuse_bad_input(cli: Cli) -> None:
    assert "no shift" in cli.refused("shift", "close", "--count", "100x1")
    assert "no shift" in cli("shift", "status")
    cli("shift", "open", "--float", "100")
    assert "already open" in cli.refused("shift", "open", "--float", "100")
    assert "denomination" in cli.refused("shift", "close", "--count", "3x1")
    assert "negative" in cli.refused("shift", "close", "--count", "100x-1")
    closed = cli.json("shift", "close", "--count", "100x1")
    assert closed["variance_fen"] == 0
    cli("day", "backup-dir", "backups-on-stick", "--pin", COORDINATOR_PIN)
