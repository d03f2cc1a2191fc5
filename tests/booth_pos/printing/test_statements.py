"""Day-end slips on the receipt printer: a household's statement and the Z report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from booth_pos.cli.main import main as cli_main
from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.domain.reports import HouseholdStatement, StatementLine
from booth_pos.printing.receipt import QrRow, TextRow, to_text
from booth_pos.printing.statements import day_report_slip, statement_slip
from booth_pos.printing.text import YEN_FULL, YEN_HALF, width
from booth_pos.services import dayend, printing
from booth_pos.services.ledger import Ledger
from booth_pos.services.settings import load_settings, save_settings
from tests.booth_pos.printing.escpos_decoder import decode
from tests.booth_pos.printing.fake_printer import FakePrinter
from tests.booth_pos.services.test_dayend import DAY1, Clock, install_clock, sell
from tests.conftest import COORDINATOR_PIN

SERVER = "https://county.example.cn"
MOBILE = TenderMethod.MOBILE


def statement(url: str | None = f"{SERVER}/h/H001?day=2026-02-10") -> HouseholdStatement:
    return HouseholdStatement(
        booth_code="LX01",
        booth_name="后湖莲藕摊",
        town="莲花镇",
        day=DAY1,
        z_no=3,
        household_code="H001",
        household_name="李桂兰",
        lines=(
            StatementLine("101", "莲藕", "Lotus root", "jin", 1250, 875),
            StatementLine(
                "102", "精品莲藕 特别长的名字也要能折行打印出来", "Select", "jin", 500, 480
            ),
        ),
        goods_fen=1_355,
        rate_bp=500,
        commission_fen=68,
        owed_fen=1_287,
        url=url,
    )


@pytest.mark.parametrize("columns", [32, 48])
def test_a_statement_slip_shows_goods_owed_qr_and_a_line_to_sign(columns: int) -> None:
    slip = statement_slip(statement(), columns)
    assert all(
        width(row.text) * row.scale <= columns for row in slip.rows if isinstance(row, TextRow)
    )
    text = to_text(slip)
    for expected in ("农户结算单", "李桂兰", "H001", "Z3", "莲藕", "2.5斤", "8.75", "佣金 5%",
                     "-￥0.68", "应付农户", "￥12.87", "农户签字", "____"):  # fmt: skip
        assert expected in text, expected
    assert YEN_HALF not in text
    assert [row.data for row in slip.rows if isinstance(row, QrRow)] == [statement().url]
    assert slip.qr_urls == (statement().url,) and not slip.kick_drawer
    assert not any(isinstance(row, QrRow) for row in statement_slip(statement(None), 32).rows)


# --- on a real ledger ---------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(monkeypatch, Clock(dt.datetime.combine(DAY1, dt.time(9, 0))))


@pytest.fixture
def fake() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    yield printer
    printer.close()


def set_printer(ledger: Ledger, uri: str, **more: Any) -> None:
    current = ledger.read(load_settings)
    wanted = replace(current, printer_uri=uri, server_url=SERVER, **more)
    ledger.write(save_settings, wanted, COORDINATOR_PIN)


def closed_day(ledger: Ledger) -> HouseholdStatement:
    """Two households sell, the day is closed; H001's statement."""
    sell(ledger, "101=1.25kg", "201=2", pay=[TenderIn(MOBILE, 9_875)])
    ledger.write(dayend.set_commission, "H001", 500, COORDINATOR_PIN)
    ledger.write(dayend.close_day, COORDINATOR_PIN, DAY1, None, 9_875)
    [found] = ledger.read(dayend.statements, DAY1, "H001", SERVER)
    assert found.z_no is not None and found.owed_fen == 875 - 44
    return found


def run_worker(ledger: Ledger) -> list[printing.PrintJobView]:
    worker = printing.PrintWorker(ledger, poll_interval=0.05)
    try:
        done = []
        while (job := worker.run_once()) is not None:
            done.append(job)
        return done
    finally:
        assert worker.close()


@pytest.mark.parametrize(("profile", "mode"), [("xprinter-58", "gbk"), ("generic", "raster")])
def test_a_queued_statement_prints_on_the_printer(
    ledger: Ledger, clock: Clock, fake: FakePrinter, profile: str, mode: str
) -> None:
    found = closed_day(ledger)
    set_printer(ledger, fake.uri, printer_profile=profile, printer_mode=mode)

    jobs = ledger.write(printing.queue_statements, DAY1, None)
    assert len(jobs) == 2 and {j.doc_kind for j in jobs} == {"stmt"}
    assert all(len(j.doc_id) <= 36 for j in jobs)
    assert jobs[0].receipt_no == f"H001 {DAY1.isoformat()}"
    done = run_worker(ledger)
    assert [j.state for j in done] == ["done", "done"] and all(j.printed for j in done)

    out = decode(fake.received(0))  # both slips, one after the other
    assert out.problems == [] and out.inits == 2
    if mode == "gbk":
        owed = f"{YEN_FULL}{format_yuan(found.owed_fen)}"
        for expected in (found.household_name, owed, "农户结算单", "农户签字", "莲藕"):
            assert expected in out.text, expected
        assert YEN_HALF not in out.text
        pictures = out.pictures()  # the QR, as an image
    else:
        assert out.lines == []
        pictures = out.pictures()
        assert [p.width for p in pictures] == [384, 384]
    assert found.url == f"{SERVER}/h/H001?day={DAY1.isoformat()}"
    assert qr_texts(pictures) == [found.url, found.url.replace("H001", "H002")]
    assert "王建国家庭农场" in to_text(
        printing.layout_document(ledger.read(printing.statement_documents, DAY1, "H002")[0], 32)
    )


def qr_texts(images: list[Image.Image]) -> list[str]:
    return [r.text for image in images for r in zxingcpp.read_barcodes(image)]


def test_statement_bytes_in_raster_mode_are_images_of_the_paper_width(
    ledger: Ledger, clock: Clock
) -> None:
    closed_day(ledger)
    [slip] = ledger.read(printing.statement_documents, DAY1, "H001")
    base = ledger.read(printing.printer_config)
    for width_mm, dots in ((58, 384), (80, 576)):
        config = base.with_printer(profile="generic", mode="raster", width_mm=width_mm)
        rendered = printing.render_document(slip, config)
        [picture] = decode(rendered.data).pictures()
        assert picture.width == dots
    png = ledger.read(printing.slip_preview_png, slip, 80)
    assert png.startswith(b"\x89PNG")


def test_the_z_report_prints_as_a_slip_and_an_open_day_has_none(
    ledger: Ledger, clock: Clock, fake: FakePrinter
) -> None:
    with pytest.raises(BadInput) as info:
        ledger.write(printing.queue_day_report, DAY1)
    assert info.value.code == "no_day_report"
    closed_day(ledger)
    set_printer(ledger, fake.uri, printer_profile="xprinter-58", printer_mode="gbk")

    job = ledger.write(printing.queue_day_report, DAY1)
    assert (job.doc_kind, job.doc_id) == ("zslip", DAY1.isoformat())
    [done] = run_worker(ledger)
    assert done.state == "done"
    text = decode(fake.received(0)).text
    z = ledger.read(dayend.z_report, DAY1)
    for expected in ("日结报表", f"Z{z.z_no}", "李桂兰", f"{YEN_FULL}{format_yuan(z.net_fen)}"):
        assert expected in text, expected
    assert "负责人签字" in text and YEN_HALF not in text
    assert "营业快报" in to_text(day_report_slip(replace(z, z_no=None, kind="X"), 48))


def test_report_print_on_the_command_line(
    ledger: Ledger, clock: Clock, fake: FakePrinter, capsys: pytest.CaptureFixture[str]
) -> None:
    closed_day(ledger)
    set_printer(ledger, fake.uri, printer_profile="xprinter-58", printer_mode="gbk")
    base = ["--data-dir", str(ledger.data_dir), "--lang", "en", "report"]
    date = ["--date", DAY1.isoformat()]

    assert cli_main([*base, "statements", "--print", "--household", "H001", *date]) == 0
    assert "H001" in capsys.readouterr().out
    assert cli_main([*base, "day", "--print", *date]) == 0
    assert "printed on" in capsys.readouterr().out
    assert fake.wait_for(lambda: len(fake.connections) >= 2)
    assert "李桂兰" in decode(fake.received(0)).text
    assert "日结报表" in decode(fake.received(-1)).text
