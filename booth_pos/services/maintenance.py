"""Integrity check and online backup: safe while the till is selling."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from booth_pos.services.booth import this_device
from booth_pos.store.models import (
    OutboxEntry,
    PrintJob,
    Refund,
    Sale,
    SaleLine,
    StockMovement,
    Tender,
    Void,
)

KEEP_BACKUPS = 30


@dataclass
class CheckReport:
    integrity: str
    sales: int
    last_seq: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.problems


def check_ledger(session: Session) -> CheckReport:
    """SQLite's own checks plus the ledger's: gap-free numbers, complete sales, sums."""
    integrity = "; ".join(str(r[0]) for r in session.execute(text("PRAGMA integrity_check")))
    problems: list[str] = []
    fk = session.execute(text("PRAGMA foreign_key_check")).all()
    if fk:
        problems.append(f"{len(fk)} rows point at missing rows (foreign_key_check)")
    device = this_device(session)
    last_seq = device.next_seq - 1
    seqs = list(
        session.scalars(
            select(OutboxEntry.seq)
            .where(OutboxEntry.device_id == device.id)
            .order_by(OutboxEntry.seq)
        )
    )
    if seqs != list(range(1, last_seq + 1)):
        problems.append(f"document numbers are not 1..{last_seq} without gaps")
    # Every sale, void and refund has its outbox entry (shifts and day closes have theirs too).
    doc_seqs = [
        *session.scalars(select(Sale.seq)),
        *session.scalars(select(Void.seq)),
        *session.scalars(select(Refund.seq)),
    ]
    missing = sorted(set(doc_seqs) - set(seqs))
    if missing or len(doc_seqs) != len(set(doc_seqs)):
        problems.append("a document has no outbox entry or shares its number")

    line_sums = dict(
        session.execute(
            select(SaleLine.sale_id, func.sum(SaleLine.amount_fen)).group_by(SaleLine.sale_id)
        ).all()
    )
    tender_sums = {
        sale_id: (int(paid), int(change))
        for sale_id, paid, change in session.execute(
            select(
                Tender.sale_id, func.sum(Tender.amount_fen), func.sum(Tender.change_fen)
            ).group_by(Tender.sale_id)
        )
    }
    line_counts = dict(
        session.execute(select(SaleLine.sale_id, func.count()).group_by(SaleLine.sale_id)).all()
    )
    moves = dict(
        session.execute(
            select(StockMovement.sale_id, func.count())
            .where(StockMovement.kind == "sale")
            .group_by(StockMovement.sale_id)
        ).all()
    )
    printed = set(session.scalars(select(PrintJob.doc_id).where(PrintJob.doc_kind == "sale")))
    sales = session.execute(
        select(Sale.id, Sale.receipt_no, Sale.subtotal_fen, Sale.paid_fen, Sale.change_fen)
    ).all()
    for sale_id, receipt_no, subtotal, paid, change in sales:
        if line_sums.get(sale_id) != subtotal:
            problems.append(f"{receipt_no}: lines do not add up to the subtotal")
        if tender_sums.get(sale_id) != (paid, change):
            problems.append(f"{receipt_no}: tenders do not add up to what was paid")
        if moves.get(sale_id) != line_counts.get(sale_id):
            problems.append(f"{receipt_no}: stock movements missing")
        if sale_id not in printed:
            problems.append(f"{receipt_no}: print job missing")
    return CheckReport(integrity, len(sales), last_seq, problems)


def backup(db_path: Path, target_dir: Path, booth_code: str = "booth") -> Path:
    """Copy the live database with SQLite's online backup API, then verify the copy.

    Works while another process writes: the backup restarts over pages that change.
    The copy is written beside its final name and renamed, so a pulled USB stick
    never leaves a file that looks complete but is not. Keeps the newest 30.
    """
    with _BACKUP_LOCK:  # a day-end backup and a manual one must not pick the same name
        return _backup(db_path, target_dir, booth_code)


_BACKUP_LOCK = threading.Lock()


def _backup(db_path: Path, target_dir: Path, booth_code: str) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    final = target_dir / f"{booth_code}-{stamp}.sqlite"
    n = 1
    while final.exists():
        n += 1
        final = target_dir / f"{booth_code}-{stamp}-{n}.sqlite"
    partial = final.with_suffix(f".{os.getpid()}.partial")  # another process may back up too
    source = sqlite3.connect(db_path)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            result = dest.execute("PRAGMA integrity_check").fetchone()
        finally:
            dest.close()
    finally:
        source.close()
    if result is None or result[0] != "ok":
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"backup copy failed its integrity check: {result}")
    partial.replace(final)
    olds = sorted(target_dir.glob(f"{booth_code}-*.sqlite"))[:-KEEP_BACKUPS]
    for old in olds:
        old.unlink()
    return final
