"""The print queue on a real ledger: sales print, faults never lose or block a sale."""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from booth_pos.cli.main import main as cli_main
from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.printing.connections import Connection, PrinterTimeout, Timeouts
from booth_pos.printing.qrcode_url import new_device_key, verify_receipt_code
from booth_pos.printing.receipt import REPRINT_MARK
from booth_pos.printing.uri import PrinterUri
from booth_pos.services import printing, sales
from booth_pos.services.ledger import Ledger
from booth_pos.services.settings import load_settings, save_settings
from booth_pos.services.status import till_status
from booth_pos.store.models import Device, PrintJob
from tests.booth_pos.printing.escpos_decoder import decode
from tests.booth_pos.printing.fake_printer import PAPER_OUT, FakePrinter, free_port
from tests.conftest import COORDINATOR_PIN
from tests.helpers import row_counts

SERVER = "https://county.example.cn"
FAST = Timeouts(connect=1.0, write=1.0, status=0.3, confirm=1.0)
FIVE = ("101=1.25kg", "201=2", "601=750g", "401=1", "501=3")
NAMES = ("莲藕", "槐花蜜 500g", "鲜香菇", "黄酒 500ml", "红薯粉条 1kg")


def sell(ledger: Ledger, *items: str, cash_fen: int = 30_000) -> sales.SaleView:
    cart = [CartLine.parse(*item.split("=")) for item in items or FIVE]
    return ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, cash_fen)])


def set_printer(ledger: Ledger, uri: str, profile: str = "xprinter-58", **more: Any) -> None:
    current = ledger.read(load_settings)
    wanted = replace(current, printer_uri=uri, printer_profile=profile, server_url=SERVER, **more)
    ledger.write(save_settings, wanted, COORDINATOR_PIN)


def job_of(ledger: Ledger, receipt_no: str) -> printing.PrintJobView:
    return ledger.read(printing.jobs_for_receipt, receipt_no)[-1]


def device_key(ledger: Ledger) -> str:
    def read(session: Session) -> str:
        key = session.scalars(select(Device.receipt_key)).one()
        assert isinstance(key, str)
        return key

    return ledger.read(read)


def qr_urls(images: list[Image.Image]) -> list[str]:
    return [r.text for image in images for r in zxingcpp.read_barcodes(image)]


@pytest.fixture
def fake() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    yield printer
    printer.close()


_workers: list[printing.PrintWorker] = []


@pytest.fixture(autouse=True)
def _close_workers() -> Iterator[None]:
    yield
    while _workers:
        assert _workers.pop().close(), "the print worker did not stop"


def worker(ledger: Ledger, **kwargs: Any) -> printing.PrintWorker:
    made = printing.PrintWorker(ledger, timeouts=FAST, poll_interval=0.05, **kwargs)
    _workers.append(made)
    return made


# --- printing a sale -----------------------------------------------------------------------------


def test_a_sale_prints_on_a_network_printer_in_chinese_mode(
    ledger: Ledger, fake: FakePrinter
) -> None:
    set_printer(ledger, fake.uri, cash_drawer=True)
    sale = sell(ledger)
    assert job_of(ledger, sale.receipt_no).state == "pending"

    job = worker(ledger).run_once()

    assert job is not None and job.state == "done" and job.printed
    assert job.printer == fake.uri and job.receipt_no == sale.receipt_no
    out = decode(fake.received(0))
    assert out.problems == []
    for expected in (*NAMES, "后湖莲藕摊", "莲花镇", sale.receipt_no, "￥195.75", "找零"):
        assert expected in out.text
    assert out.drawer_kicks == [(0, 50, 50)]  # a cash sale, drawer kick set up
    assert REPRINT_MARK not in out.text
    # The QR (an image: this printer has no native QR) leads to the county and is genuine.
    [url] = qr_urls(out.pictures())
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SERVER
    assert parts.path == f"/r/{sale.sale_id}"
    code = parse_qs(parts.query)["k"][0]
    assert verify_receipt_code(device_key(ledger), sale.sale_id, code)
    assert not verify_receipt_code(new_device_key(), sale.sale_id, code)


def test_an_unknown_printer_gets_the_receipt_as_one_raster_image(
    ledger: Ledger, fake: FakePrinter
) -> None:
    set_printer(ledger, fake.uri, profile="generic", printer_width_mm=80)
    sale = sell(ledger)
    job = worker(ledger).run_once()
    assert job is not None and job.state == "done"
    out = decode(fake.received(0))
    assert out.lines == []
    [picture] = out.pictures()
    assert picture.width == 576
    [url] = qr_urls([picture])
    assert url.startswith(f"{SERVER}/r/{sale.sale_id}?k=")


def test_a_printer_switched_off_mid_job_fails_the_job_not_the_sale_and_the_retry_is_a_whole_reprint(
    ledger: Ledger,
) -> None:
    fake = FakePrinter(close_after=1500)  # the receipt is about 10 kB in gbk mode
    try:
        set_printer(ledger, fake.uri, cash_drawer=True)
        sale = sell(ledger)
        counts = row_counts(ledger.db_path)
        w = worker(ledger)

        failed = w.run_once()

        assert failed is not None and failed.state == "failed"
        assert failed.error_code == "print_interrupted" and failed.reprint
        assert failed.retries_by_itself  # due again after a short back-off
        assert "reprinted" in failed.message("en")
        assert w.state.state == "offline"
        assert row_counts(ledger.db_path) == counts  # the sale and everything with it stay
        assert ledger.read(sales.show_sale, sale.receipt_no).total_fen == sale.total_fen

        ledger.write(printing.retry_job, failed.job_id)
        w.retry_now()
        again = w.run_once()

        assert again is not None and again.state == "done" and again.job_id == failed.job_id
        whole = decode(fake.received(1))
        assert REPRINT_MARK in whole.text
        for expected in (*NAMES, sale.receipt_no, "￥195.75"):
            assert expected in whole.text
        assert whole.feeds and whole.drawer_kicks == []  # to the end; no second drawer kick
        assert w.state.state == "online"
    finally:
        fake.close()


def test_with_no_printer_listening_the_printer_is_offline_and_sales_go_on(
    ledger: Ledger,
) -> None:
    set_printer(ledger, f"tcp:127.0.0.1:{free_port()}")
    states: list[printing.PrinterState] = []
    w = worker(ledger, on_printer=states.append)
    sell(ledger)

    job = w.run_once()

    assert job is not None and job.state == "failed" and job.error_code == "print_offline"
    assert not job.reprint  # nothing reached a printer: the retry is an ordinary print
    assert [s.state for s in states] == ["offline"]
    assert "not reachable" in states[-1].message("en")
    for _ in range(3):
        started = time.monotonic()
        sell(ledger)
        assert time.monotonic() - started < 0.5
    counts = ledger.read(printing.queue_counts)
    assert (counts.pending, counts.failed) == (3, 1)
    figures = ledger.read(till_status)
    assert (figures.print_jobs_waiting, figures.print_jobs_failed) == (3, 1)
    assert [j.error_code for j in ledger.read(printing.list_failed_jobs)] == ["print_offline"]


class HangingPrinter:
    """A printer that takes nothing until the test lets it go (a jammed USB printer)."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.written = bytearray()

    def connect(self, uri: PrinterUri, timeouts: Timeouts) -> Connection:
        printer = self

        class Hanging(Connection):
            def _open(self) -> None:
                pass

            def _write_chunk(self, chunk: bytes) -> int:
                printer.entered.set()
                if not printer.release.wait(10):
                    raise PrinterTimeout("hung")
                printer.written.extend(chunk)
                return len(chunk)

        return Hanging(uri, timeouts)


def test_a_hanging_printer_never_holds_up_a_sale(ledger: Ledger) -> None:
    set_printer(ledger, "tcp:127.0.0.1:9")
    hanging = HangingPrinter()
    w = worker(ledger, connect=hanging.connect)
    w.start()
    try:
        first = sell(ledger)
        w.wake()
        assert hanging.entered.wait(5)
        assert job_of(ledger, first.receipt_no).state == "printing"

        started = time.monotonic()
        second = sell(ledger)
        took = time.monotonic() - started

        assert took < 0.5, f"a sale waited {took:.2f} s for the printer"
        assert ledger.read(sales.show_sale, second.receipt_no).seq == first.seq + 1
        assert job_of(ledger, second.receipt_no).state == "pending"

        hanging.release.set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and job_of(ledger, second.receipt_no).state != "done":
            time.sleep(0.02)
        assert job_of(ledger, first.receipt_no).state == "done"
        assert job_of(ledger, second.receipt_no).state == "done"
        text = decode(bytes(hanging.written)).text
        assert first.receipt_no in text and second.receipt_no in text
    finally:
        hanging.release.set()
        assert w.stop()


def test_paper_out_fails_the_job_before_sending_anything(ledger: Ledger) -> None:
    fake = FakePrinter(paper=PAPER_OUT)
    try:
        set_printer(ledger, fake.uri)
        sell(ledger)
        w = worker(ledger)
        job = w.run_once()
        assert job is not None and job.error_code == "print_paper_out" and not job.reprint
        assert w.state.state == "not_ready" and w.state.paper == "out"
        assert decode(fake.received(0)).lines == []  # only the status questions went out
    finally:
        fake.close()


def test_without_a_printer_receipts_are_preview_only_and_nothing_piles_up(
    ledger: Ledger,
) -> None:
    sale = sell(ledger)
    job = worker(ledger).run_once()
    assert job is not None and job.state == "done" and job.printer == "none"
    assert not job.printed
    assert ledger.read(till_status).print_jobs_waiting == 0
    png = ledger.read(printing.receipt_preview_png, sale.receipt_no)
    assert Image.open(io.BytesIO(png)).width == 384


def test_a_refund_slip_prints_too(ledger: Ledger, fake: FakePrinter) -> None:
    set_printer(ledger, fake.uri)
    sale = sell(ledger)
    refund = ledger.write(sales.refund, sale.receipt_no, "顾客不要了", COORDINATOR_PIN, {2: 1})
    w = worker(ledger)
    assert w.run_once() is not None
    slip = w.run_once()
    assert slip is not None and slip.doc_kind == "refund" and slip.state == "done"
    text = decode(fake.received(0)).text
    for expected in ("退货单", refund.refund_no, sale.receipt_no, "顾客不要了", "￥45.00"):
        assert expected in text


# --- the queue's rules ---------------------------------------------------------------------------


def test_failed_jobs_come_back_by_themselves_with_back_off_then_wait_for_a_person(
    ledger: Ledger,
) -> None:
    sale = sell(ledger)
    start = job_of(ledger, sale.receipt_no).created_at
    claimed = ledger.write(printing.claim_next_job, start)
    assert claimed is not None
    job_id = claimed.job.job_id
    failed = ledger.write(printing.fail_job, job_id, "print_offline", "refused", False, start)
    assert failed.next_attempt_at == start + dt.timedelta(seconds=2)
    assert ledger.write(printing.claim_next_job, start + dt.timedelta(seconds=1)) is None
    again = ledger.write(printing.claim_next_job, start + dt.timedelta(seconds=3))
    assert again is not None and again.job.attempts == 2
    late = start + dt.timedelta(minutes=11)
    given_up = ledger.write(printing.fail_job, job_id, "print_offline", "refused", False, late)
    assert given_up.next_attempt_at is None and not given_up.retries_by_itself
    assert ledger.write(printing.claim_next_job, late + dt.timedelta(hours=1)) is None
    ledger.write(printing.retry_job, job_id)
    assert ledger.write(printing.claim_next_job) is not None
    assert printing.retry_delay(1).total_seconds() == 2
    assert printing.retry_delay(10).total_seconds() == 60


def test_receipts_left_waiting_for_long_are_not_printed_unasked(ledger: Ledger) -> None:
    old = sell(ledger)
    new = sell(ledger)

    def age(session: Session) -> None:
        session.execute(
            update(PrintJob)
            .where(PrintJob.doc_id == old.sale_id)
            .values(created_at=dt.datetime(2020, 1, 1))
        )

    ledger.write(age)
    claimed = ledger.write(printing.claim_next_job)
    assert claimed is not None and claimed.job.receipt_no == new.receipt_no
    stale = job_of(ledger, old.receipt_no)
    assert stale.state == "failed" and stale.error_code == "print_stale"
    assert stale.next_attempt_at is None
    ledger.write(printing.retry_job, stale.job_id)  # the operator still can
    claimed = ledger.write(printing.claim_next_job)
    assert claimed is not None and claimed.job.receipt_no == old.receipt_no


def test_a_reprint_is_a_new_job_marked_as_such(ledger: Ledger, fake: FakePrinter) -> None:
    set_printer(ledger, fake.uri)
    sale = sell(ledger)
    w = worker(ledger)
    w.run_once()
    copy = ledger.write(printing.reprint, sale.receipt_no)
    assert copy.reprint and copy.state == "pending"
    assert [j.reprint for j in ledger.read(printing.jobs_for_receipt, sale.receipt_no)] == [
        False,
        True,
    ]
    printed = w.run_once()
    assert printed is not None and printed.job_id == copy.job_id and printed.state == "done"
    assert REPRINT_MARK not in decode(fake.received(0)).text.split(sale.receipt_no)[0]
    assert decode(fake.received(0)).text.count(REPRINT_MARK) == 1
    with pytest.raises(BadInput):
        ledger.write(printing.reprint, "LX01-999999")


def test_a_job_cut_off_by_a_crash_is_reprinted_whole(ledger: Ledger) -> None:
    sale = sell(ledger)
    assert ledger.write(printing.claim_next_job) is not None  # printing... then the app died
    assert ledger.write(printing.recover_interrupted) == 1
    job = job_of(ledger, sale.receipt_no)
    assert job.state == "failed" and job.reprint and job.error_code == "print_interrupted"


def test_a_failed_job_can_be_dismissed_and_only_failed_jobs_retried(ledger: Ledger) -> None:
    sell(ledger)
    claimed = ledger.write(printing.claim_next_job)
    assert claimed is not None
    with pytest.raises(BadInput):
        ledger.write(printing.retry_job, claimed.job.job_id)  # it is printing, not failed
    ledger.write(printing.fail_job, claimed.job.job_id, "print_offline", "x")
    gone = ledger.write(printing.dismiss_job, claimed.job.job_id)
    assert gone.state == "done" and not gone.printed and gone.error_code == "print_dismissed"
    assert ledger.read(till_status).print_jobs_waiting == 0
    with pytest.raises(BadInput):
        ledger.write(printing.retry_job, 999)


def test_every_device_has_its_own_receipt_key(ledger: Ledger) -> None:
    key = device_key(ledger)
    assert len(key) == 64 and int(key, 16) >= 0


def test_the_preview_is_the_printed_receipt_with_local_time_and_a_readable_qr(
    ledger: Ledger,
) -> None:
    set_printer(ledger, "none", profile="generic")
    sale = sell(ledger)
    png = ledger.read(printing.receipt_preview_png, sale.receipt_no, False, 80)
    image = Image.open(io.BytesIO(png))
    assert image.width == 576
    [url] = qr_urls([image.convert("L")])
    assert url.startswith(f"{SERVER}/r/{sale.sale_id}?k=")
    text = ledger.read(printing.receipt_text, sale.receipt_no)
    local = sale.occurred_at + dt.timedelta(minutes=sale.utc_offset_min)
    assert f"{local:%Y-%m-%d %H:%M:%S}" in text
    assert "本单惠及 5 户农户" in text  # five goods from five farm households
    with pytest.raises(BadInput):
        ledger.read(printing.receipt_text, "LX01-999999")


def test_printer_settings_are_checked_before_they_are_saved(ledger: Ledger) -> None:
    before = ledger.read(load_settings)
    for bad in (
        {"printer_uri": "lpt1"},
        {"printer_profile": "no-such"},
        {"printer_mode": "utf8"},
        {"printer_width_mm": 76},
        {"server_url": "county.example.cn"},
    ):
        with pytest.raises(BadInput):
            ledger.write(save_settings, replace(before, **bad), COORDINATOR_PIN)
    assert ledger.read(load_settings) == before


# --- the worker's own thread ---------------------------------------------------------------------


def test_the_worker_reads_status_and_prints_the_test_page_between_jobs(
    ledger: Ledger, fake: FakePrinter
) -> None:
    set_printer(ledger, fake.uri)
    states: list[printing.PrinterState] = []
    jobs: list[printing.PrintJobView] = []
    w = worker(ledger, on_printer=states.append, on_job=jobs.append)
    w.start()
    try:
        status = w.request_status().result(5)
        assert (status.state, status.paper) == ("online", "ok")
        report = w.request_test_page().result(5)
        assert report.sent > 0
        sale = sell(ledger)
        w.wake()
        deadline = time.monotonic() + 5
        while not jobs and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [j.receipt_no for j in jobs] == [sale.receipt_no]
    finally:
        assert w.stop()
    text = decode(fake.received(0)).text
    assert "打印测试" in text and text.index("打印测试") < text.index(sale.receipt_no)
    assert states[0].state == "online"


# --- the command line ----------------------------------------------------------------------------


def run(ledger: Ledger, *args: str) -> int:
    return cli_main(["--data-dir", str(ledger.data_dir), "--lang", "en", *args])


def test_cli_prints_previews_and_reprints_a_receipt(
    ledger: Ledger, fake: FakePrinter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_printer(ledger, "none")
    sale = sell(ledger)
    assert run(ledger, "receipt", sale.receipt_no, "--text") == 0
    assert "￥195.75" in capsys.readouterr().out
    png = tmp_path / "r.png"
    assert run(ledger, "receipt", sale.receipt_no, "--png", str(png)) == 0
    assert qr_urls([Image.open(png).convert("L")])[0].startswith(f"{SERVER}/r/{sale.sale_id}")

    assert run(ledger, "print", "pending", "--printer", fake.uri) == 0
    assert f"{sale.receipt_no}: printed on {fake.uri}" in capsys.readouterr().out
    assert run(ledger, "reprint", sale.receipt_no, "--printer", fake.uri) == 0
    assert "(reprint)" in capsys.readouterr().out
    printed = decode(b"".join(fake.received(i) for i in range(len(fake.connections)))).text
    assert printed.count(sale.receipt_no) == 2 and printed.count(REPRINT_MARK) == 1


def test_cli_printer_test_and_status(
    ledger: Ledger, fake: FakePrinter, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(ledger, "printer", "status", "--uri", fake.uri) == 0
    assert "online, paper ok" in capsys.readouterr().out
    assert run(ledger, "printer", "test", "--uri", fake.uri, "--profile", "xprinter-58") == 0
    assert "test page sent" in capsys.readouterr().out
    assert "打印测试" in decode(fake.received(-1)).text
    offline = f"tcp:127.0.0.1:{free_port()}"
    assert run(ledger, "printer", "status", "--uri", offline) == 1
    assert "offline" in capsys.readouterr().out
    assert run(ledger, "printer", "test", "--uri", "lpt1") == 2
    assert "cannot read printer address" in capsys.readouterr().err


def test_cli_refuses_to_print_without_a_printer_and_queues_nothing(
    ledger: Ledger, capsys: pytest.CaptureFixture[str]
) -> None:
    set_printer(ledger, "none")
    sale = sell(ledger)
    before = row_counts(ledger.db_path)["print_jobs"]
    assert run(ledger, "receipt", sale.receipt_no) == 2
    assert "no printer is set up" in capsys.readouterr().err
    assert run(ledger, "reprint", sale.receipt_no, "--printer", "lpt1") == 2
    assert "cannot read printer address: lpt1" in capsys.readouterr().err
    assert run(ledger, "print", "pending") == 2
    assert row_counts(ledger.db_path)["print_jobs"] == before
    assert job_of(ledger, sale.receipt_no).state == "pending"


def test_a_copy_of_a_voided_or_refunded_sale_says_so(ledger: Ledger) -> None:
    voided = sell(ledger)
    refunded = sell(ledger)
    ledger.write(sales.void, voided.receipt_no, "录错了", COORDINATOR_PIN)
    ledger.write(sales.refund, refunded.receipt_no, "坏了", COORDINATOR_PIN, {2: 1})
    assert "已作废 VOIDED" in ledger.read(printing.receipt_text, voided.receipt_no, True)
    text = ledger.read(printing.receipt_text, refunded.receipt_no, True)
    assert "已退款" in text and "￥45.00" in text and REPRINT_MARK in text


def test_job_errors_read_in_the_operators_language() -> None:
    assert printing.error_message("", "x") == ""
    assert printing.error_message("print_offline", "refused", "en") == (
        "printer not reachable: refused"
    )
    assert printing.error_message("print_paper_out", "", "zh") == "打印机缺纸，请装纸后重试"
    assert "lpt1" in printing.error_message("bad_printer_uri", "lpt1", "en")
    assert printing.error_message("no_such_code", "boom", "en") == "printing failed: boom"


def test_upgrading_a_ledger_gives_its_existing_till_a_receipt_key(tmp_path: Path) -> None:
    from alembic import command

    from booth_pos.store.engine import alembic_config, create_sqlite_engine

    engine = create_sqlite_engine(tmp_path / "old.sqlite")
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO booths (code, name, town, created_at) "
            "VALUES ('A1', '摊', '镇', '2026-01-01')"
        )
        for device in ("d1", "d2"):
            conn.exec_driver_sql(
                "INSERT INTO devices (id, booth_id, next_seq, created_at) "
                f"VALUES ('{device}', 1, 1, '2026-01-01')"
            )
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    with engine.begin() as conn:
        keys = [row[0] for row in conn.exec_driver_sql("SELECT receipt_key FROM devices")]
        job_columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(print_jobs)")}
    engine.dispose()
    assert len(keys) == 2 and len(set(keys)) == 2
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in keys)
    assert {"error_code", "next_attempt_at", "printer", "finished_at"} <= job_columns


def test_a_job_whose_receipt_cannot_be_read_fails_without_stopping_the_queue(
    ledger: Ledger,
) -> None:
    def orphan(session: Session) -> None:
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        session.add(
            PrintJob(doc_kind="sale", doc_id="no-such-sale", state="pending", created_at=at)
        )

    ledger.write(orphan)
    sale = sell(ledger)
    claimed = ledger.write(printing.claim_next_job)
    assert claimed is not None and claimed.job.receipt_no == sale.receipt_no
    [broken] = ledger.read(printing.list_failed_jobs)
    assert broken.doc_id == "no-such-sale" and broken.next_attempt_at is None
    assert "no such receipt" in broken.message("en")


def test_the_receipt_qr_points_at_the_enrolled_county_server_by_default(ledger: Ledger) -> None:
    import uuid

    from booth_pos.services import sync_client

    assert ledger.read(printing.printer_config).server_url == ""
    # Nothing listens on port 9: the enrolment is stored and confirmed at the first sync.
    sync_client.enroll(
        ledger,
        "http://127.0.0.1:9",
        str(uuid.uuid4()),
        "t" * 43,
        options=sync_client.SyncOptions(connect_timeout_s=0.5, connect_retries=0),
    )
    assert ledger.read(printing.printer_config).server_url == "http://127.0.0.1:9"
