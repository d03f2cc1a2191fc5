"""`booth-pos selftest` in-process: it passes here, and fails when any step is broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from booth_pos.cli.main import main as cli_main
from booth_pos.services import selftest
from booth_pos.store import engine

NAMES = [name for name, _, _ in selftest.CHECKS] + ["qt"]


def test_every_check_passes() -> None:
    seen: list[selftest.Check] = []
    from booth_pos.ui.selftest_qt import QT_CHECK

    report = selftest.run_selftest(seen.append, extra=QT_CHECK)
    assert report.ok, report.summary() + "\n" + "\n".join(c.line() for c in report.checks)
    assert [c.name for c in report.checks] == NAMES
    assert seen == list(report.checks)  # each reported as it finished
    assert all(c.detail for c in report.checks)
    assert report.summary() == f"selftest passed: {len(NAMES)} checks"
    png = next(c for c in report.checks if c.name == "receipt-png")
    assert f"QR reads {selftest.SELFTEST_SERVER_URL}/r/" in png.detail


def test_a_qr_that_reads_wrong_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "decode_qr", lambda png: ["https://elsewhere.invalid/r/x"])
    report = selftest.run_selftest()
    assert not report.ok
    assert [c.name for c in report.failed] == ["receipt-png"]
    assert "elsewhere.invalid" in report.failed[0].detail
    assert report.summary().startswith("selftest FAILED: 1 of ")


def test_an_unreadable_qr_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "decode_qr", lambda png: [])
    report = selftest.run_selftest()
    assert [c.name for c in report.failed] == ["receipt-png"]


def test_a_failed_step_fails_the_steps_that_need_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "head_revision", lambda: "9999")
    report = selftest.run_selftest()
    failed = {c.name: c.detail for c in report.failed}
    assert "newest migration is 9999" in failed["migrate"]
    assert failed["demo"] == "not run: needs migrate"
    assert {"sale", "receipt-gbk", "receipt-raster", "print-file", "receipt-png"} <= set(failed)
    assert "modules" not in failed  # independent checks still run


def test_a_crashing_step_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object) -> bytes:
        raise OSError("disk on fire")

    monkeypatch.setattr("booth_pos.services.printing.receipt_preview_png", boom)
    report = selftest.run_selftest()
    assert [c.name for c in report.failed] == ["receipt-png"]
    assert "disk on fire" in report.failed[0].detail


def test_cli_selftest_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "never-opened"
    assert cli_main(["--data-dir", str(data), "selftest", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["frozen"] is False
    assert [c["name"] for c in report["checks"]] == NAMES
    assert not data.exists()  # the booth's own ledger is never opened


def test_cli_selftest_fails_with_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(selftest, "decode_qr", lambda png: ["something else"])
    assert cli_main(["selftest"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("FAILED  receipt-png") for line in out)
    assert any(line.startswith("ok      sale") for line in out)
    assert out[-1].startswith("selftest FAILED: 1 of ")


def test_no_libusb_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("usb.backend.libusb1.get_backend", lambda *a, **k: None)
    report = selftest.run_selftest()
    assert [c.name for c in report.failed] == ["usb"]
    assert "libusb-1.0 cannot be loaded" in report.failed[0].detail
