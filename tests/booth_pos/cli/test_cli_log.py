"""What a support person gets from the CLI: one line that names the log, the traceback in it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from booth_pos import __version__
from tests.booth_pos.cli.conftest import run_cli

GARBAGE = bytes(range(256)) * 16  # 4 KiB that are no SQLite database


def log_of(data_dir: Path) -> Path:
    return data_dir / "logs" / "booth-pos.log"


def one_line(text: str) -> str:
    line = text.strip()
    assert line, "stderr is empty"
    assert "\n" not in line, f"stderr is not one line: {text!r}"
    return line


def test_an_unexpected_error_is_one_line_naming_the_log_which_has_the_traceback(
    booth: Path, tmp_path: Path
) -> None:
    a_folder = tmp_path / "exports"
    a_folder.mkdir()

    result = run_cli(booth, "catalog", "export", str(a_folder))  # a file cannot be written there

    assert result.returncode == 1
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert line.endswith(f" (details in {log_of(booth)})")
    named = re.match(r"booth-pos: (\w+): ", line)
    assert named, line
    text = log_of(booth).read_text("utf-8")
    assert "ERROR" in text and "catalog failed" in text
    assert "Traceback (most recent call last):" in text
    assert "in cmd_catalog" in text
    assert f"\n{named[1]}: " in text  # the traceback ends with the error stderr named


@pytest.mark.parametrize(
    ("lang", "says", "details"),
    [
        ("en", "cannot open the ledger in", " (details in {log})"),
        (None, "中的账本", "（详情见 {log}）"),  # no --lang: Chinese
    ],
)
def test_a_ledger_that_is_not_a_database_names_the_log(
    tmp_path: Path, lang: str | None, says: str, details: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "booth.sqlite").write_bytes(GARBAGE)

    result = run_cli(data, "sales", "list", lang=lang)

    assert result.returncode == 1
    line = one_line(result.stderr)
    assert says in line and "DatabaseError" in line
    assert line.endswith(details.format(log=log_of(data)))
    text = log_of(data).read_text("utf-8")
    assert "cannot open the ledger in" in text
    assert "Traceback (most recent call last):" in text
    assert "file is not a database" in text
    assert (data / "booth.sqlite").read_bytes() == GARBAGE  # left for someone to look at


def test_bad_input_stays_one_line_and_is_logged_without_a_traceback(booth: Path) -> None:
    result = run_cli(booth, "sell", "999=1", "--pay", "cash:10")

    assert result.returncode == 2
    assert one_line(result.stderr) == "booth-pos: unknown PLU or barcode: 999"
    text = log_of(booth).read_text("utf-8")
    assert re.search(r" INFO +\[MainThread\] booth_pos\.cli\.main: sell refused: unknown PLU", text)
    assert "Traceback" not in text and "ERROR" not in text


def test_every_run_says_which_version_ran_which_command(booth: Path) -> None:
    result = run_cli(booth, "sales", "list")

    assert result.returncode == 0 and result.stderr == ""
    started, command = log_of(booth).read_text("utf-8").splitlines()[-2:]
    assert f" INFO     [MainThread] booth_pos.logs: booth-pos {__version__}, Python " in started
    assert command.endswith(f" booth_pos.cli.main: booth-pos sales in {booth}")


def test_without_a_writable_log_an_error_is_still_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "ledger.txt"
    not_a_folder.write_text("not a folder", encoding="utf-8")

    result = run_cli(not_a_folder, "sales", "list")

    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "cannot open the ledger" in line and "details in" not in line


def test_selftest_names_the_log_and_leaves_the_data_folder_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"

    human = run_cli(data, "selftest")
    as_json = run_cli(data, "selftest", "--json")

    assert human.returncode == 0 and as_json.returncode == 0, as_json.stdout + as_json.stderr
    assert human.stdout.splitlines()[0] == f"log: {log_of(data)}"
    assert json.loads(as_json.stdout)["log"] == str(log_of(data))
    assert not data.exists()
