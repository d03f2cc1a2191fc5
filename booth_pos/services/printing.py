"""The print queue: receipts built from the ledger, and the one worker that owns the printer.

`ring_up` (and `refund`) write a `print_jobs` row in the document's own transaction. From
there on everything happens off the till's path:

- `claim_next_job` (one short write) takes the oldest job that is pending, or failed and due
  for an automatic retry, marks it `printing` and returns the receipt built from the ledger
  with the printer settings of that moment.
- The worker renders the bytes and sends them outside any transaction, with timeouts.
- `finish_job` / `fail_job` (one short write each) record `done` or `failed` with the error.
  A job that failed after part of it reached the printer becomes a reprint: the retry prints
  the whole receipt again, marked 补打 / REPRINT. Never resumed mid-stream.
- Failed jobs are retried by themselves with back-off (2 s, 4 s ... 60 s) for
  `AUTO_RETRY_WINDOW` after they were queued; after that only when someone asks
  (`retry_job`, `retry_failed`). A pending job older than `STALE_AFTER` when the worker
  reaches it (the till was closed with the printer off) is not printed unasked either.

`PrintWorker` is a plain thread with callbacks (no Qt): the UI wraps the callbacks in Qt
signals. A sale never waits for it: the worker holds no transaction while it prints.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import MESSAGES, BadInput
from booth_pos.domain.reports import DayReport, HouseholdStatement
from booth_pos.printing import connections
from booth_pos.printing.connections import (
    DEFAULT_TIMEOUTS,
    Connection,
    PrinterError,
    PrinterNotReady,
    PrinterStatus,
    SendReport,
    Timeouts,
    send_job,
)
from booth_pos.printing.profiles import Target, make_target
from booth_pos.printing.qrcode_url import new_device_key, receipt_url
from booth_pos.printing.receipt import (
    Document,
    Receipt,
    ReceiptLine,
    ReceiptTender,
    RefundReceipt,
    SaleReceipt,
    SelfTestPage,
    layout,
    self_test_page,
    to_text,
)
from booth_pos.printing.render import Rendered, escpos_bytes, png_bytes
from booth_pos.printing.statements import day_report_slip, statement_slip
from booth_pos.printing.uri import Kind, PrinterUri, parse_uri
from booth_pos.services import dayend
from booth_pos.services.booth import booth_info, now_utc, this_device
from booth_pos.services.ledger import Ledger
from booth_pos.services.settings import BoothSettings, load_settings
from booth_pos.store.models import (
    Booth,
    Device,
    Household,
    PrintJob,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    Void,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

STALE_AFTER = dt.timedelta(minutes=30)
AUTO_RETRY_WINDOW = dt.timedelta(minutes=10)
RETRY_BASE_S = 2.0
RETRY_MAX_S = 60.0

PENDING, PRINTING, DONE, FAILED = "pending", "printing", "done", "failed"


# --- printer settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterConfig:
    """The printer settings a job is printed with (read from the booth settings)."""

    uri: str = "none"
    profile: str = "generic"
    mode: str = "auto"
    width_mm: int = 58
    cash_drawer: bool = False
    server_url: str = ""
    footer: str = ""

    @classmethod
    def from_settings(cls, settings: BoothSettings) -> PrinterConfig:
        return cls(
            uri=settings.printer_uri,
            profile=settings.printer_profile,
            mode=settings.printer_mode,
            width_mm=settings.printer_width_mm,
            cash_drawer=settings.cash_drawer,
            server_url=settings.server_url,
            footer=settings.receipt_footer,
        )

    def target(self) -> Target:
        return make_target(self.profile, self.mode, self.width_mm, self.cash_drawer)

    def parsed_uri(self) -> PrinterUri:
        return parse_uri(self.uri)

    def with_printer(
        self,
        uri: str | None = None,
        profile: str | None = None,
        mode: str | None = None,
        width_mm: int | None = None,
    ) -> PrinterConfig:
        """These settings with some printer fields overridden (CLI --uri, a Settings draft)."""
        return replace(
            self,
            uri=self.uri if uri is None else uri,
            profile=self.profile if profile is None else profile,
            mode=self.mode if mode is None else mode,
            width_mm=self.width_mm if width_mm is None else width_mm,
        )


def printer_config(session: Session) -> PrinterConfig:
    """The saved printer settings; the receipt QR points at the county server this till is
    enrolled with unless the coordinator set another address."""
    config = PrinterConfig.from_settings(load_settings(session))
    if not config.server_url:
        from booth_pos.services.sync_client import server_url  # sync imports printing

        enrolled = server_url(session)
        if enrolled:
            config = replace(config, server_url=enrolled)
    return config


# --- receipts from the ledger --------------------------------------------------------------------


def _local(moment: dt.datetime, offset_min: int) -> dt.datetime:
    return moment + dt.timedelta(minutes=offset_min)


def ensure_receipt_key(session: Session) -> str:
    """This device's receipt key, made and stored if it has none (a write)."""
    device = this_device(session)
    if not device.receipt_key:
        device.receipt_key = new_device_key()
        session.flush()
    return device.receipt_key


def device_receipt_key(session: Session) -> str:
    """This device's receipt key, for registering it with the county server."""
    return ensure_receipt_key(session)


def _qr_url(session: Session, sale: Sale, server_url: str) -> str:
    if not server_url.strip():
        return ""
    device = session.get(Device, sale.device_id)
    if device is None or not device.receipt_key:
        return ""
    return receipt_url(server_url, sale.id, device.receipt_key)


def _booth(session: Session, device_id: str) -> Booth:
    device = session.get(Device, device_id)
    if device is None:
        raise BadInput("not_initialised")
    return device.booth


def _line(line: SaleLine, quantity: int | None = None, amount: int | None = None) -> ReceiptLine:
    return ReceiptLine(
        name=line.name_zh,
        unit=line.unit,
        quantity=line.quantity if quantity is None else quantity,
        unit_price_fen=line.unit_price_fen,
        amount_fen=line.amount_fen if amount is None else amount,
        item_label=line.item_label_zh,
    )


def _sale_document(
    session: Session, sale: Sale, reprint: bool, config: PrinterConfig
) -> SaleReceipt:
    booth = _booth(session, sale.device_id)
    voided = session.scalar(select(Void.id).where(Void.sale_id == sale.id)) is not None
    refunded = session.scalar(
        select(func.coalesce(func.sum(Refund.amount_fen), 0)).where(Refund.sale_id == sale.id)
    )
    return SaleReceipt(
        booth_name=booth.name,
        town=booth.town,
        receipt_no=sale.receipt_no,
        local_time=_local(sale.occurred_at, sale.utc_offset_min),
        operator=sale.operator_name,
        lines=tuple(_line(line) for line in sale.lines),
        subtotal_fen=sale.subtotal_fen,
        round_down_fen=sale.round_down_fen,
        total_fen=sale.total_fen,
        tenders=tuple(ReceiptTender(t.method, t.amount_fen, t.change_fen) for t in sale.tenders),
        change_fen=sale.change_fen,
        households=len({line.household_id for line in sale.lines}),
        qr_url=_qr_url(session, sale, config.server_url),
        footer=config.footer,
        reprint=reprint,
        voided=voided,
        refunded_fen=int(refunded or 0),
    )


def _refund_document(
    session: Session, refund: Refund, reprint: bool, config: PrinterConfig
) -> RefundReceipt:
    sale = session.get(Sale, refund.sale_id)
    if sale is None:  # pragma: no cover - the foreign key forbids it
        raise BadInput("unknown_receipt", receipt_no=refund.receipt_no)
    booth = _booth(session, refund.device_id)
    rows = session.execute(
        select(RefundLine, SaleLine)
        .join(SaleLine, SaleLine.id == RefundLine.sale_line_id)
        .where(RefundLine.refund_id == refund.id)
        .order_by(SaleLine.line_no)
    ).all()
    return RefundReceipt(
        booth_name=booth.name,
        town=booth.town,
        refund_no=refund.receipt_no,
        receipt_no=sale.receipt_no,
        local_time=_local(refund.occurred_at, refund.utc_offset_min),
        authorised_by=refund.authorised_by_name,
        reason=refund.reason,
        method=refund.method,
        lines=tuple(_line(sl, rl.quantity, rl.amount_fen) for rl, sl in rows),
        amount_fen=refund.amount_fen,
        qr_url=_qr_url(session, sale, config.server_url),
        footer=config.footer,
        reprint=reprint,
    )


def document_for(
    session: Session, doc_kind: str, doc_id: str, reprint: bool, config: PrinterConfig
) -> Document:
    """The receipt of a sale or refund, as the ledger has it."""
    if doc_kind == "sale":
        sale = session.get(Sale, doc_id)
        if sale is not None:
            return _sale_document(session, sale, reprint, config)
    elif doc_kind == "refund":
        refund = session.get(Refund, doc_id)
        if refund is not None:
            return _refund_document(session, refund, reprint, config)
    raise BadInput("unknown_receipt", receipt_no=doc_id)


def _find_document(session: Session, receipt_no: str) -> tuple[str, str]:
    """(doc_kind, doc_id) for a sale or refund receipt number such as LX01-000012."""
    wanted = receipt_no.strip().upper()
    sale_id = session.scalar(select(Sale.id).where(Sale.receipt_no == wanted))
    if sale_id is not None:
        return "sale", sale_id
    refund_id = session.scalar(select(Refund.id).where(Refund.receipt_no == wanted))
    if refund_id is not None:
        return "refund", refund_id
    raise BadInput("unknown_receipt", receipt_no=receipt_no)


def receipt_document(
    session: Session, receipt_no: str, reprint: bool = False, config: PrinterConfig | None = None
) -> Document:
    kind, doc_id = _find_document(session, receipt_no)
    return document_for(session, kind, doc_id, reprint, config or printer_config(session))


def _was_printed(session: Session, doc_id: str) -> bool:
    return (
        session.scalar(
            select(PrintJob.id).where(
                PrintJob.doc_id == doc_id, PrintJob.state == DONE, PrintJob.error_code == ""
            )
        )
        is not None
    )


def receipt_preview_png(
    session: Session, receipt_no: str, reprint: bool = False, width_mm: int | None = None
) -> bytes:
    """The receipt as a PNG, one pixel per printer dot: what the printer prints in raster
    mode (the UI shows it after each sale and in history)."""
    config = printer_config(session)
    if width_mm is not None:
        config = config.with_printer(width_mm=width_mm)
    target = config.target()
    document = receipt_document(session, receipt_no, reprint, config)
    return png_bytes(layout(document, target.columns), target.dots)


def receipt_text(session: Session, receipt_no: str, reprint: bool = False) -> str:
    config = printer_config(session)
    document = receipt_document(session, receipt_no, reprint, config)
    return to_text(layout(document, config.target().columns))


def render_document(document: PrintDocument, config: PrinterConfig) -> Rendered:
    target = config.target()
    return escpos_bytes(layout_document(document, target.columns), target)


# --- day-end slips: household statements and the X / Z report ------------------------------------
#
# A slip's job keeps what it prints in the existing columns (doc_kind 8, doc_id 36 characters):
# "stmt" with "<day>:<household id>", "zslip" (the frozen Z report) with "<day>", or "xslip"
# (the day so far, as it stands when printed) with "<day>:X". Built from the ledger when printed.

STATEMENT_KIND, Z_SLIP_KIND, X_SLIP_KIND = "stmt", "zslip", "xslip"
SLIP_KINDS = (STATEMENT_KIND, Z_SLIP_KIND, X_SLIP_KIND)


@dataclass(frozen=True)
class DayEndSlip:
    """A household's statement or a day report, as the printer prints it."""

    content: HouseholdStatement | DayReport
    reprint: bool = False

    @property
    def doc_no(self) -> str:
        if isinstance(self.content, HouseholdStatement):
            return f"{self.content.household_code} {self.content.day.isoformat()}"
        number = "X" if self.content.z_no is None else f"Z{self.content.z_no}"
        return f"{number} {self.content.day.isoformat()}"


PrintDocument = Document | DayEndSlip


def layout_document(document: PrintDocument, columns: int) -> Receipt:
    """The rows of a receipt or a day-end slip."""
    if isinstance(document, DayEndSlip):
        if isinstance(document.content, HouseholdStatement):
            return statement_slip(document.content, columns, document.reprint)
        return day_report_slip(document.content, columns, document.reprint)
    return layout(document, columns)


def _statement_server(config: PrinterConfig) -> str | None:
    return config.server_url.strip() or None


def statement_documents(
    session: Session,
    day: dt.date | None = None,
    household_code: str | None = None,
    config: PrinterConfig | None = None,
) -> list[DayEndSlip]:
    """One slip per household that sold on `day` (today by default): its Z figures when the
    day is closed, else the day so far. The QR uses the settings' server, else enrollment."""
    config = config or printer_config(session)
    found = dayend.statements(session, day, household_code, _statement_server(config))
    return [DayEndSlip(s) for s in found]


def day_report_document(session: Session, day: dt.date | None = None, z: bool = True) -> DayEndSlip:
    """The Z report of a closed day (BadInput no_day_report if it is not closed), or with
    `z=False` the X report (the day so far; a closed day gives its Z)."""
    day = day or dayend.today()
    report = dayend.z_report(session, day) if z else dayend.x_report(session, day)
    return DayEndSlip(report)


def slip_preview_png(session: Session, slip: DayEndSlip, width_mm: int | None = None) -> bytes:
    """A slip as a PNG, one pixel per printer dot (the coordinator screen's preview)."""
    config = printer_config(session)
    if width_mm is not None:
        config = config.with_printer(width_mm=width_mm)
    target = config.target()
    return png_bytes(layout_document(slip, target.columns), target.dots)


def _slip_document(
    session: Session, doc_kind: str, doc_id: str, reprint: bool, config: PrinterConfig
) -> DayEndSlip:
    day_text, _, household_id = doc_id.partition(":")
    day = dayend.parse_day(day_text)
    if doc_kind == STATEMENT_KIND:
        household = session.get(Household, int(household_id)) if household_id.isdigit() else None
        if household is None:
            raise BadInput("unknown_household", code=household_id)
        found = statement_documents(session, day, household.code, config)
        if not found:
            raise BadInput("unknown_household", code=household.code)
        return replace(found[0], reprint=reprint)
    return replace(day_report_document(session, day, doc_kind == Z_SLIP_KIND), reprint=reprint)


def job_document(
    session: Session, doc_kind: str, doc_id: str, reprint: bool, config: PrinterConfig
) -> PrintDocument:
    """What a print job prints: a receipt, or a day-end slip built from the ledger now."""
    if doc_kind in SLIP_KINDS:
        return _slip_document(session, doc_kind, doc_id, reprint, config)
    return document_for(session, doc_kind, doc_id, reprint, config)


def _queue_slip(session: Session, doc_kind: str, doc_id: str) -> PrintJobView:
    job = PrintJob(doc_kind=doc_kind, doc_id=doc_id, state=PENDING, created_at=now_utc()[0])
    session.add(job)
    session.flush()
    return _view(session, job)


def queue_statements(
    session: Session, day: dt.date | None = None, household_code: str | None = None
) -> list[PrintJobView]:
    """A print job per household statement of `day` (one slip each, cut between them); []
    when no household sold anything. An unknown household code is bad input."""
    day = day or dayend.today()
    found = dayend.statements(session, day, household_code)
    codes = [s.household_code for s in found]
    query = select(Household.code, Household.id).where(Household.code.in_(codes))
    ids = {code: hid for code, hid in session.execute(query)} if codes else {}
    return [
        _queue_slip(session, STATEMENT_KIND, f"{day.isoformat()}:{ids[code]}") for code in codes
    ]


def queue_day_report(session: Session, day: dt.date | None = None, z: bool = True) -> PrintJobView:
    """Queue the Z report slip of a closed day (BadInput no_day_report if it is not closed),
    or with `z=False` the X report slip, built when it prints."""
    slip = day_report_document(session, day, z)
    kind = Z_SLIP_KIND if z else X_SLIP_KIND
    day_text = slip.content.day.isoformat()
    return _queue_slip(session, kind, day_text if z else f"{day_text}:X")


# --- the queue -----------------------------------------------------------------------------------


class _Detail(dict[str, str]):
    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail)
        self.detail = detail

    def __missing__(self, key: str) -> str:
        return self.detail


def error_message(code: str, detail: str, lang: str = "zh") -> str:
    """A print error code (domain.errors) with its detail, in the operator's language."""
    if not code:
        return ""
    zh, en = MESSAGES.get(code, MESSAGES["print_failed"])
    return (en if lang.startswith("en") else zh).format_map(_Detail(detail))


@dataclass(frozen=True)
class PrintJobView:
    job_id: int
    doc_kind: str
    doc_id: str
    receipt_no: str
    reprint: bool
    state: str
    attempts: int
    error_code: str
    last_error: str
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    printer: str
    finished_at: dt.datetime | None

    @property
    def printed(self) -> bool:
        """Done on a real printer (not dismissed, not preview-only)."""
        return self.state == DONE and not self.error_code and self.printer not in ("", "none")

    @property
    def retries_by_itself(self) -> bool:
        return self.state == FAILED and self.next_attempt_at is not None

    def message(self, lang: str = "zh") -> str:
        """What went wrong, in the operator's language ("" when nothing did)."""
        return error_message(self.error_code, self.last_error, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "doc_kind": self.doc_kind,
            "receipt_no": self.receipt_no,
            "reprint": self.reprint,
            "state": self.state,
            "attempts": self.attempts,
            "error_code": self.error_code,
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "printer": self.printer,
        }


def _receipt_numbers(session: Session, jobs: Sequence[PrintJob]) -> dict[str, str]:
    sale_ids = [j.doc_id for j in jobs if j.doc_kind == "sale"]
    refund_ids = [j.doc_id for j in jobs if j.doc_kind == "refund"]
    numbers: dict[str, str] = {}
    if sale_ids:
        query = select(Sale.id, Sale.receipt_no).where(Sale.id.in_(sale_ids))
        numbers.update((doc_id, number) for doc_id, number in session.execute(query))
    if refund_ids:
        query = select(Refund.id, Refund.receipt_no).where(Refund.id.in_(refund_ids))
        numbers.update((doc_id, number) for doc_id, number in session.execute(query))
    numbers.update(_slip_numbers(session, jobs))
    return numbers


def _slip_numbers(session: Session, jobs: Sequence[PrintJob]) -> dict[str, str]:
    """Day-end slips' labels for the job lists: "H001 2026-02-10", "Z 2026-02-10"."""
    labels: dict[str, str] = {}
    household_ids = {
        int(j.doc_id.partition(":")[2])
        for j in jobs
        if j.doc_kind == STATEMENT_KIND and j.doc_id.partition(":")[2].isdigit()
    }
    codes: dict[int, str] = {}
    if household_ids:
        query = select(Household.id, Household.code).where(Household.id.in_(household_ids))
        codes = {hid: code for hid, code in session.execute(query)}
    for j in jobs:
        day, _, hid = j.doc_id.partition(":")
        if j.doc_kind == STATEMENT_KIND and hid.isdigit():
            labels[j.doc_id] = f"{codes.get(int(hid), hid)} {day}"
        elif j.doc_kind in (Z_SLIP_KIND, X_SLIP_KIND):
            labels[j.doc_id] = f"{'Z' if j.doc_kind == Z_SLIP_KIND else 'X'} {day}"
    return labels


def _views(session: Session, jobs: Sequence[PrintJob]) -> list[PrintJobView]:
    numbers = _receipt_numbers(session, jobs)
    return [
        PrintJobView(
            job_id=j.id,
            doc_kind=j.doc_kind,
            doc_id=j.doc_id,
            receipt_no=numbers.get(j.doc_id, ""),
            reprint=j.reprint,
            state=j.state,
            attempts=j.attempts,
            error_code=j.error_code,
            last_error=j.last_error,
            created_at=j.created_at,
            next_attempt_at=j.next_attempt_at,
            printer=j.printer,
            finished_at=j.finished_at,
        )
        for j in jobs
    ]


def _view(session: Session, job: PrintJob) -> PrintJobView:
    return _views(session, [job])[0]


def _job(session: Session, job_id: int) -> PrintJob:
    job = session.get(PrintJob, job_id)
    if job is None:
        raise BadInput("unknown_print_job", job=job_id)
    return job


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else now_utc()[0]


def retry_delay(attempts: int) -> dt.timedelta:
    """Back-off after the `attempts`-th failed attempt: 2 s, 4 s, 8 s ... at most 60 s."""
    seconds = min(RETRY_BASE_S * 2 ** max(0, attempts - 1), RETRY_MAX_S)
    return dt.timedelta(seconds=seconds)


@dataclass(frozen=True)
class ClaimedJob:
    job: PrintJobView
    document: PrintDocument
    config: PrinterConfig


def _due(now: dt.datetime) -> ColumnElement[bool]:
    return (PrintJob.state == PENDING) | (
        (PrintJob.state == FAILED) & (PrintJob.next_attempt_at <= now)
    )


def has_due_jobs(session: Session, now: dt.datetime | None = None) -> bool:
    """A read: is any job waiting for the printer? (The worker polls with this, so an idle
    till never takes the write lock.)"""
    return session.scalar(select(PrintJob.id).where(_due(_now(now))).limit(1)) is not None


def claim_next_job(
    session: Session, now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER
) -> ClaimedJob | None:
    """Take the oldest job due for printing and mark it `printing` (None if there is none).

    Pending jobs older than `stale_after` are failed as stale instead (no automatic retry).
    """
    now = _now(now)
    while True:
        job = session.scalars(
            select(PrintJob).where(_due(now)).order_by(PrintJob.id).limit(1)
        ).first()
        if job is None:
            return None
        never_asked = job.attempts == 0 and job.next_attempt_at is None
        if job.state == PENDING and never_asked and now - job.created_at > stale_after:
            job.state, job.error_code, job.last_error = FAILED, "print_stale", ""
            job.next_attempt_at = None
            session.flush()
            continue
        try:
            return _claim(session, job)
        except BadInput as exc:  # its document is gone: never retry it by itself
            job.state, job.error_code, job.last_error = FAILED, "print_failed", exc.message("en")
            job.next_attempt_at = None
            session.flush()


def _claim(session: Session, job: PrintJob) -> ClaimedJob:
    config = printer_config(session)
    ensure_receipt_key(session)
    document = job_document(session, job.doc_kind, job.doc_id, job.reprint, config)
    job.state = PRINTING
    job.attempts += 1
    job.next_attempt_at = None
    session.flush()
    return ClaimedJob(_view(session, job), document, config)


def finish_next_without_printer(
    session: Session, now: dt.datetime | None = None
) -> PrintJobView | None:
    """With no printer set up, the next due job is done as a preview only, in one short write.

    Laying the receipt out first, as printing does, would only hold the write lock that the
    next sale waits for. None when a printer is set up (or nothing is due).
    """
    try:
        if printer_config(session).parsed_uri().kind is not Kind.NONE:
            return None
    except BadInput:
        return None
    now = _now(now)
    job = session.scalars(select(PrintJob).where(_due(now)).order_by(PrintJob.id).limit(1)).first()
    if job is None:
        return None
    job.attempts += 1
    return finish_job(session, job.id, "none", now)


def claim_job(session: Session, job_id: int) -> ClaimedJob:
    """Take one particular pending or failed job for printing now (the CLI's `receipt`)."""
    job = _job(session, job_id)
    if job.state not in (PENDING, FAILED):
        raise BadInput("print_job_not_failed", job=job_id)
    return _claim(session, job)


def finish_job(
    session: Session, job_id: int, printer: str, now: dt.datetime | None = None
) -> PrintJobView:
    """The job reached the printer whole (`printer` "none": shown as a preview only)."""
    job = _job(session, job_id)
    job.state, job.error_code, job.last_error = DONE, "", ""
    job.printer = printer
    job.finished_at = _now(now)
    job.next_attempt_at = None
    session.flush()
    return _view(session, job)


def fail_job(
    session: Session,
    job_id: int,
    code: str,
    detail: str,
    part_sent: bool = False,
    now: dt.datetime | None = None,
    retry_window: dt.timedelta = AUTO_RETRY_WINDOW,
) -> PrintJobView:
    """Record a failed attempt. A part-sent job becomes a reprint (printed whole, marked)."""
    now = _now(now)
    job = _job(session, job_id)
    if code not in MESSAGES:
        code = "print_failed"
    job.state, job.error_code, job.last_error = FAILED, code, detail[:2000]
    if part_sent:
        job.reprint = True
    due = now + retry_delay(job.attempts)
    job.next_attempt_at = due if due <= job.created_at + retry_window else None
    session.flush()
    return _view(session, job)


def retry_job(session: Session, job_id: int) -> PrintJobView:
    """Print a failed job again as soon as the worker can (the operator's "retry")."""
    job = _job(session, job_id)
    if job.state != FAILED:
        raise BadInput("print_job_not_failed", job=job_id)
    job.state, job.next_attempt_at = PENDING, now_utc()[0]
    session.flush()
    return _view(session, job)


def retry_failed(session: Session) -> int:
    """Queue every failed job again; how many."""
    jobs = session.scalars(select(PrintJob).where(PrintJob.state == FAILED)).all()
    now = now_utc()[0]
    for job in jobs:
        job.state, job.next_attempt_at = PENDING, now
    session.flush()
    return len(jobs)


def dismiss_job(session: Session, job_id: int) -> PrintJobView:
    """Give up on a failed job (the customer has gone): finished, never printed."""
    job = _job(session, job_id)
    if job.state != FAILED:
        raise BadInput("print_job_not_failed", job=job_id)
    job.state, job.error_code, job.next_attempt_at = DONE, "print_dismissed", None
    job.finished_at = now_utc()[0]
    session.flush()
    return _view(session, job)


def reprint(session: Session, receipt_no: str) -> PrintJobView:
    """Queue a copy of a sale or refund receipt, marked 补打 / REPRINT (a new job)."""
    kind, doc_id = _find_document(session, receipt_no)
    job = PrintJob(
        doc_kind=kind, doc_id=doc_id, reprint=True, state=PENDING, created_at=now_utc()[0]
    )
    session.add(job)
    session.flush()
    return _view(session, job)


def queue_receipt(session: Session, receipt_no: str) -> PrintJobView:
    """Print a receipt: its own waiting job if it has one, else a reprint (`booth-pos receipt`)."""
    kind, doc_id = _find_document(session, receipt_no)
    job = session.scalars(
        select(PrintJob)
        .where(PrintJob.doc_id == doc_id, PrintJob.state.in_((PENDING, FAILED)))
        .order_by(PrintJob.id)
    ).first()
    now = now_utc()[0]
    if job is not None:
        job.state, job.next_attempt_at = PENDING, now
        session.flush()
        return _view(session, job)
    if not _was_printed(session, doc_id):
        job = PrintJob(doc_kind=kind, doc_id=doc_id, state=PENDING, created_at=now)
        session.add(job)
        session.flush()
        return _view(session, job)
    return reprint(session, receipt_no)


def recover_interrupted(session: Session, now: dt.datetime | None = None) -> int:
    """At start-up: jobs left `printing` (the app died mid-job) may be half printed, so they
    are failed as interrupted and will print whole, marked as reprints."""
    jobs = session.scalars(select(PrintJob).where(PrintJob.state == PRINTING)).all()
    for job in jobs:
        fail_job(session, job.id, "print_interrupted", "the app stopped while printing", True, now)
    return len(jobs)


def list_failed_jobs(session: Session) -> list[PrintJobView]:
    """Failed jobs, oldest first (status bar count, history badges, the retry list)."""
    jobs = session.scalars(
        select(PrintJob).where(PrintJob.state == FAILED).order_by(PrintJob.id)
    ).all()
    return _views(session, jobs)


def list_jobs(
    session: Session, states: Sequence[str] | None = None, limit: int = 100
) -> list[PrintJobView]:
    """Newest first, optionally only some states."""
    query = select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)
    if states:
        query = query.where(PrintJob.state.in_(tuple(states)))
    return _views(session, session.scalars(query).all())


def jobs_for_receipt(session: Session, receipt_no: str) -> list[PrintJobView]:
    """Every print job of one receipt, oldest first (history: printed? reprinted? failed?)."""
    _, doc_id = _find_document(session, receipt_no)
    jobs = session.scalars(
        select(PrintJob).where(PrintJob.doc_id == doc_id).order_by(PrintJob.id)
    ).all()
    return _views(session, jobs)


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    printing: int
    failed: int


def queue_counts(session: Session) -> QueueCounts:
    query = (
        select(PrintJob.state, func.count()).where(PrintJob.state != DONE).group_by(PrintJob.state)
    )
    rows = {state: int(count) for state, count in session.execute(query)}
    return QueueCounts(rows.get(PENDING, 0), rows.get(PRINTING, 0), rows.get(FAILED, 0))


# --- sending -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterState:
    """What the status bar shows about the printer.

    state: "none" (no printer set up), "unknown" (not tried yet), "online" (it took the last
    job or answered), "offline" (cannot be reached or stopped taking data), "not_ready" (it
    said paper out / cover open). paper: "ok", "near_end", "out" or "unknown" (silence).
    """

    uri: str
    state: str
    paper: str = "unknown"
    error_code: str = ""
    detail: str = ""

    def message(self, lang: str = "zh") -> str:
        return error_message(self.error_code, self.detail, lang)


def printer_state(uri: str, report: SendReport | PrinterStatus) -> PrinterState:
    status = (
        report
        if isinstance(report, PrinterStatus)
        else (report.after if report.after.known else report.before)
    )
    if not status.ready:
        code = "print_paper_out" if status.paper == "out" else "print_not_ready"
        return PrinterState(uri, "not_ready", status.paper, code, status.detail)
    return PrinterState(uri, "online", status.paper)


def printer_state_failed(uri: str, exc: PrinterError) -> PrinterState:
    if isinstance(exc, PrinterNotReady):
        paper = "out" if exc.code == "print_paper_out" else "unknown"
        return PrinterState(uri, "not_ready", paper, exc.code, exc.detail)
    return PrinterState(uri, "offline", "unknown", exc.code, exc.detail)


class Printer:
    """The one open connection to the configured printer, reopened when the URI changes or
    after a failure. Used by one thread at a time (the worker's, or the CLI's)."""

    def __init__(
        self,
        connect: Callable[[PrinterUri, Timeouts], Connection] = connections.connect,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        self._connect = connect
        self.timeouts = timeouts
        self._connection: Connection | None = None
        self._uri: PrinterUri | None = None

    def connection(self, uri: PrinterUri) -> Connection:
        if self._connection is None or self._uri != uri:
            self.close()
            self._connection = self._connect(uri, self.timeouts)
            self._uri = uri
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._uri = None, None

    def send(self, uri: PrinterUri, data: bytes) -> SendReport:
        try:
            return send_job(self.connection(uri), data)
        except PrinterError:
            self.close()
            raise

    def status(self, uri: PrinterUri) -> PrinterStatus:
        if uri.kind is Kind.NONE:
            return PrinterStatus.unknown("no printer")
        try:
            connection = self.connection(uri)
            connection.open()
            status = connection.status()
        except PrinterError:
            self.close()
            raise
        return status


def check_printer(printer: Printer, uri: PrinterUri) -> PrinterState:
    """Ask the printer how it is (DLE EOT with a timeout where the connection can read)."""
    if uri.kind is Kind.NONE:
        return PrinterState("none", "none")
    try:
        return printer_state(str(uri), printer.status(uri))
    except PrinterError as exc:
        return printer_state_failed(str(uri), exc)


def print_claimed(
    ledger: Ledger, printer: Printer, claimed: ClaimedJob
) -> tuple[PrintJobView, PrinterState]:
    """Render and send one claimed job, then record the outcome (two short writes at most)."""
    job_id, config = claimed.job.job_id, claimed.config
    try:
        uri = config.parsed_uri()
    except BadInput as exc:
        view = ledger.write(fail_job, job_id, "bad_printer_uri", str(exc))
        return view, PrinterState(config.uri, "offline", "unknown", "bad_printer_uri", str(exc))
    if uri.kind is Kind.NONE:
        view = ledger.write(finish_job, job_id, "none")
        return view, PrinterState("none", "none")
    try:
        rendered = render_document(claimed.document, config)
        if rendered.note:
            log.warning(
                "receipt %s printed in raster mode: %s", claimed.job.receipt_no, rendered.note
            )
        report = printer.send(uri, rendered.data)
    except PrinterError as exc:
        part_sent = exc.sent > 0
        code = "print_interrupted" if part_sent else exc.code
        view = ledger.write(fail_job, job_id, code, exc.detail, part_sent)
        return view, printer_state_failed(str(uri), exc)
    except Exception as exc:  # a bug or bad data: recorded on the job, the worker goes on
        log.exception("print job %s could not be rendered", job_id)
        view = ledger.write(fail_job, job_id, "print_failed", f"{type(exc).__name__}: {exc}")
        return view, PrinterState(str(uri), "unknown", "unknown", "print_failed", str(exc))
    view = ledger.write(finish_job, job_id, str(uri))
    return view, printer_state(str(uri), report)


def print_job_now(
    ledger: Ledger, printer: Printer, job_id: int, uri: str | None = None
) -> tuple[PrintJobView, PrinterState]:
    """Print one job at once on this thread, optionally on another printer than the set one."""
    claimed = ledger.write(claim_job, job_id)
    if uri is not None:
        claimed = replace(claimed, config=claimed.config.with_printer(uri=uri))
    return print_claimed(ledger, printer, claimed)


def print_next(
    ledger: Ledger, printer: Printer, uri: str | None = None
) -> tuple[PrintJobView, PrinterState] | None:
    """Claim and print the next due job; None when nothing is due."""
    if not ledger.read(has_due_jobs):
        return None
    if uri is None:
        shown = ledger.write(finish_next_without_printer)
        if shown is not None:
            return shown, PrinterState("none", "none")
    claimed = ledger.write(claim_next_job)
    if claimed is None:
        return None
    if uri is not None:
        claimed = replace(claimed, config=claimed.config.with_printer(uri=uri))
    return print_claimed(ledger, printer, claimed)


def print_pending(
    ledger: Ledger, printer: Printer, uri: str | None = None, limit: int = 1000
) -> list[tuple[PrintJobView, PrinterState]]:
    """Print every due job now, stopping at the first printer failure (the CLI's
    `print pending`)."""
    done: list[tuple[PrintJobView, PrinterState]] = []
    while len(done) < limit:
        outcome = print_next(ledger, printer, uri)
        if outcome is None:
            break
        done.append(outcome)
        if outcome[0].state == FAILED:
            break
    return done


def self_test_page_bytes(config: PrinterConfig, booth_name: str, now: dt.datetime) -> bytes:
    target = config.target()
    page = SelfTestPage(
        booth_name=booth_name,
        printer=config.uri,
        profile=target.profile.label,
        mode=target.mode.value,
        dots=target.dots,
        local_time=now,
        qr_data=f"{config.server_url.rstrip('/')}/" if config.server_url else "booth-pos test page",
    )
    return escpos_bytes(self_test_page(page, target.columns), target).data


def send_self_test_page(ledger: Ledger, printer: Printer, config: PrinterConfig) -> SendReport:
    """Print the test page on `config`'s printer (Settings, `booth-pos printer test`)."""
    uri = config.parsed_uri()
    if uri.kind is Kind.NONE:
        raise BadInput("no_printer")
    name = ledger.read(booth_info).name
    local = dt.datetime.now().replace(microsecond=0)
    return printer.send(uri, self_test_page_bytes(config, name, local))


# --- the worker ----------------------------------------------------------------------------------


class PrintWorker:
    """The one thread that owns the printer.

    Callbacks run on the worker thread: `on_job(PrintJobView)` after every attempt,
    `on_printer(PrinterState)` when the printer's state changes. `wake()` after a sale makes it
    look at the queue at once; it polls every `poll_interval` seconds anyway (retries fall
    due, another process may queue jobs). After a failure it waits (back-off doubling from
    `backoff_base` to `backoff_max` seconds) before touching the printer again, unless
    `retry_now()` is called.
    """

    def __init__(
        self,
        ledger: Ledger,
        *,
        on_job: Callable[[PrintJobView], None] | None = None,
        on_printer: Callable[[PrinterState], None] | None = None,
        connect: Callable[[PrinterUri, Timeouts], Connection] = connections.connect,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
        poll_interval: float = 5.0,
        backoff_base: float = RETRY_BASE_S,
        backoff_max: float = 30.0,
    ) -> None:
        self.ledger = ledger
        self.on_job = on_job
        self.on_printer = on_printer
        self.printer = Printer(connect, timeouts)
        self.poll_interval = poll_interval
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._state = PrinterState("", "unknown")
        self._failures = 0
        self._quiet_until = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._tasks: list[tuple[Callable[[], Any], Future[Any]]] = []
        self._tasks_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # -- control (any thread) ------------------------------------------------------------------

    @property
    def state(self) -> PrinterState:
        return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the worker to stop after the current job; True if it has stopped."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def close(self, timeout: float = 5.0) -> bool:
        """Stop the thread (if started) and let go of the printer."""
        stopped = self.stop(timeout)
        if stopped:
            self.printer.close()
        return stopped

    def wake(self) -> None:
        """Look at the queue now (call after a sale); a back-off still holds."""
        self._wake.set()

    def retry_now(self) -> None:
        """End the back-off and look at the queue now (after `retry_job` / `retry_failed`)."""
        self._quiet_until = 0.0
        self._wake.set()

    def submit(self, task: Callable[[], T]) -> Future[T]:
        """Run `task` on the worker thread, between jobs (it owns the printer)."""
        future: Future[T] = Future()
        with self._tasks_lock:
            self._tasks.append((task, future))
        self._wake.set()
        return future

    def request_status(self) -> Future[PrinterState]:
        """Ask the printer how it is (DLE EOT, with a timeout); silence gives paper "unknown"."""
        return self.submit(self._check_status)

    def request_test_page(self, config: PrinterConfig | None = None) -> Future[SendReport]:
        """Print the test page on `config`'s printer (default: the saved settings)."""

        def task() -> SendReport:
            chosen = config or self.ledger.read(printer_config)
            try:
                report = send_self_test_page(self.ledger, self.printer, chosen)
            except PrinterError as exc:
                self._report(printer_state_failed(chosen.uri, exc))
                raise
            self._report(printer_state(chosen.uri, report))
            return report

        return self.submit(task)

    # -- the thread ------------------------------------------------------------------------------

    def _report(self, state: PrinterState) -> None:
        if state != self._state:
            if state.state != self._state.state or state.error_code != self._state.error_code:
                # What a support person asks first: when was the printer off, and why.
                if state.state == "online":
                    log.info("printer %s ready (paper %s)", state.uri, state.paper)
                else:
                    log.warning(
                        "printer %s %s: %s %s",
                        *(state.uri, state.state, state.error_code, state.detail),
                    )
            self._state = state
            if self.on_printer is not None:
                try:
                    self.on_printer(state)
                except Exception:
                    log.exception("on_printer callback failed")

    def _check_status(self) -> PrinterState:
        config = self.ledger.read(printer_config)
        state = check_printer(self.printer, config.parsed_uri())
        self._report(state)
        return state

    def _run_tasks(self) -> None:
        with self._tasks_lock:
            tasks, self._tasks = self._tasks, []
        for task, future in tasks:
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(task())
            except BaseException as exc:
                future.set_exception(exc)

    def run_once(self) -> PrintJobView | None:
        """Print the next due job on this thread (the loop's step; tests call it directly)."""
        outcome = print_next(self.ledger, self.printer)
        if outcome is None:
            return None
        view, state = outcome
        if view.state == FAILED:
            self._failures += 1
            delay = min(self.backoff_base * 2 ** (self._failures - 1), self.backoff_max)
            self._quiet_until = time.monotonic() + delay
        else:
            self._failures = 0
        self._report(state)
        if self.on_job is not None:
            try:
                self.on_job(view)
            except Exception:
                log.exception("on_job callback failed")
        return view

    def _run(self) -> None:
        try:
            self.ledger.write(recover_interrupted)
        except Exception:
            log.exception("could not recover interrupted print jobs")
        try:
            while not self._stop.is_set():
                self._wake.clear()
                self._run_tasks()
                quiet = self._quiet_until - time.monotonic()
                if quiet > 0:
                    self._wake.wait(quiet)
                    continue
                try:
                    job = self.run_once()
                except Exception:
                    log.exception("print worker step failed")
                    job = None
                if job is None and not self._stop.is_set():
                    self._wake.wait(self.poll_interval)
        finally:
            self.printer.close()
