"""Shifts: a till's cash box from its opening float to its counted close.

One shift is open at a time. Pay-ins and pay-outs (with a reason) need an open shift. Closing
counts the box by denomination; expected = float + pay-ins - pay-outs + the cash taken in the
shift (cash tendered less change on its sales, less the cash of sales voided and of cash refunds
made during it); the variance (counted - expected) is kept. Opening and closing each go to the
county through the outbox (doc kind "shift", the device's next document number).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import MAX_AMOUNT_FEN, format_yuan
from booth_pos.domain.reports import CashCount, ShiftSummary
from booth_pos.services import booth, days, figures
from booth_pos.services.auth import find_operator
from booth_pos.services.sales import _enqueue
from booth_pos.store.models import CashMovement, Shift

DOC_KIND_SHIFT = "shift"  # sync.protocol.DocKind.SHIFT


@dataclass(frozen=True)
class CashMovementView:
    shift_id: str
    kind: str  # pay_in or pay_out
    amount_fen: int
    reason: str
    by_name: str
    occurred_at: dt.datetime


def _iso(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat()


def open_shift_row(session: Session) -> Shift | None:
    return session.scalars(
        select(Shift).where(Shift.closed_at.is_(None)).order_by(Shift.opened_at.desc()).limit(1)
    ).first()


def _check_amount(amount_fen: int, allow_zero: bool = False) -> None:
    if amount_fen < 0 or (amount_fen == 0 and not allow_zero):
        raise BadInput("amount_not_positive", text=format_yuan(amount_fen))
    if amount_fen > MAX_AMOUNT_FEN:
        raise BadInput("amount_too_large", text=format_yuan(amount_fen))


def open_shift(session: Session, float_fen: int, operator: str | None = None) -> ShiftSummary:
    """Open a shift with `float_fen` in the box (0 is allowed: an empty box)."""
    _check_amount(float_fen, allow_zero=True)
    device = booth.this_device(session)
    at, offset = booth.now_utc()
    day = days.check_open(session, at, offset)
    current = open_shift_row(session)
    if current is not None:
        raise BadInput(
            "shift_already_open",
            opened_by=current.opened_by,
            opened_at=(current.opened_at + dt.timedelta(minutes=current.utc_offset_min)).strftime(
                "%Y-%m-%d %H:%M"
            ),
        )
    who = find_operator(session, operator)
    seq = booth.take_seq(session, device)
    shift = Shift(
        id=str(uuid.uuid4()),
        device_id=device.id,
        day=day,
        opened_at=at,
        utc_offset_min=offset,
        opened_by=who.name,
        float_fen=float_fen,
        open_seq=seq,
    )
    session.add(shift)
    session.flush()
    body = {
        "doc_id": shift.id,
        "shift_id": shift.id,
        "event": "open",
        "booth_code": device.booth.code,
        "day": day.isoformat(),
        "occurred_at": _iso(at),
        "utc_offset_min": offset,
        "opened_by": who.name,
        "float_fen": float_fen,
    }
    _enqueue(session, device, seq, DOC_KIND_SHIFT, shift.id, body, at)
    return summarise(session, shift, at)


def _move(
    session: Session, kind: str, amount_fen: int, reason: str, operator: str | None
) -> CashMovementView:
    _check_amount(amount_fen)
    reason = reason.strip()
    if not reason:
        raise BadInput("empty_reason")
    at, offset = booth.now_utc()
    day = days.check_open(session, at, offset)
    shift = open_shift_row(session)
    if shift is None:
        raise BadInput("no_open_shift")
    who = find_operator(session, operator)
    session.add(
        CashMovement(
            shift_id=shift.id,
            day=day,
            occurred_at=at,
            utc_offset_min=offset,
            kind=kind,
            amount_fen=amount_fen,
            reason=reason,
            by_name=who.name,
        )
    )
    session.flush()
    return CashMovementView(shift.id, kind, amount_fen, reason, who.name, at)


def pay_in(
    session: Session, amount_fen: int, reason: str, operator: str | None = None
) -> CashMovementView:
    """Cash put into the box during the shift (more change, say), with a reason."""
    return _move(session, "pay_in", amount_fen, reason, operator)


def pay_out(
    session: Session, amount_fen: int, reason: str, operator: str | None = None
) -> CashMovementView:
    """Cash taken out of the box during the shift (to the safe, a purchase), with a reason."""
    return _move(session, "pay_out", amount_fen, reason, operator)


def _pay_sums(session: Session, shift_id: str) -> tuple[int, int]:
    rows = dict(
        session.execute(
            select(CashMovement.kind, func.sum(CashMovement.amount_fen))
            .where(CashMovement.shift_id == shift_id)
            .group_by(CashMovement.kind)
        ).all()
    )
    return int(rows.get("pay_in") or 0), int(rows.get("pay_out") or 0)


def summarise(session: Session, shift: Shift, now: dt.datetime | None = None) -> ShiftSummary:
    """A shift's figures; for an open shift, what the box should hold now."""
    end = shift.closed_at or now or booth.now_utc()[0]
    # A document stamped in the same microsecond as the close still belongs to the shift.
    flows = figures.tender_flows(
        session,
        figures.time_windows(session, shift.opened_at, end + dt.timedelta(microseconds=1)),
    )
    taken = flows.method("cash").net
    pay_ins, pay_outs = _pay_sums(session, shift.id)
    expected = shift.float_fen + pay_ins - pay_outs + taken
    if shift.closed_at is not None and shift.expected_fen is not None:
        expected = shift.expected_fen
    count = json.loads(shift.count_json) if shift.count_json else {}
    return ShiftSummary(
        shift_id=shift.id,
        opened_by=shift.opened_by,
        opened_at=shift.opened_at,
        closed_by=shift.closed_by,
        closed_at=shift.closed_at,
        float_fen=shift.float_fen,
        pay_ins_fen=pay_ins,
        pay_outs_fen=pay_outs,
        cash_taken_fen=taken,
        expected_fen=expected,
        counted_fen=shift.counted_fen,
        variance_fen=shift.variance_fen,
        count={str(k): int(v) for k, v in count.items()},
    )


def close_open_shift(
    session: Session, shift: Shift, count: CashCount, by_name: str, at: dt.datetime, offset: int
) -> ShiftSummary:
    """Count and close `shift` now (also used by the day close)."""
    device = booth.this_device(session)
    live = summarise(session, shift, at)
    seq = booth.take_seq(session, device)
    shift.closed_at = at
    shift.closed_by = by_name
    shift.close_seq = seq
    shift.close_doc_id = str(uuid.uuid4())
    shift.count_json = json.dumps(count.to_json(), sort_keys=True)
    shift.counted_fen = count.total_fen
    shift.expected_fen = live.expected_fen
    shift.variance_fen = count.total_fen - live.expected_fen
    session.flush()
    moves = session.execute(
        select(
            CashMovement.kind,
            CashMovement.amount_fen,
            CashMovement.reason,
            CashMovement.by_name,
            CashMovement.occurred_at,
        )
        .where(CashMovement.shift_id == shift.id)
        .order_by(CashMovement.id)
    ).all()
    body = {
        "doc_id": shift.close_doc_id,
        "shift_id": shift.id,
        "event": "close",
        "booth_code": device.booth.code,
        "day": shift.day.isoformat(),
        "occurred_at": _iso(at),
        "utc_offset_min": offset,
        "opened_by": shift.opened_by,
        "opened_at": _iso(shift.opened_at),
        "closed_by": by_name,
        "float_fen": shift.float_fen,
        "pay_ins_fen": live.pay_ins_fen,
        "pay_outs_fen": live.pay_outs_fen,
        "cash_taken_fen": live.cash_taken_fen,
        "expected_fen": live.expected_fen,
        "count": count.to_json(),
        "counted_fen": count.total_fen,
        "variance_fen": shift.variance_fen,
        "cash_movements": [
            {
                "kind": kind,
                "amount_fen": amount,
                "reason": reason,
                "by": by,
                "occurred_at": _iso(moment),
            }
            for kind, amount, reason, by, moment in moves
        ],
    }
    _enqueue(session, device, seq, DOC_KIND_SHIFT, shift.close_doc_id, body, at)
    return summarise(session, shift, at)


def close_shift(session: Session, count: CashCount, operator: str | None = None) -> ShiftSummary:
    """Close the open shift with the box counted by denomination."""
    shift = open_shift_row(session)
    if shift is None:
        raise BadInput("no_open_shift")
    who = find_operator(session, operator)
    at, offset = booth.now_utc()
    return close_open_shift(session, shift, count, who.name, at, offset)


def current_shift(session: Session) -> ShiftSummary | None:
    """The open shift with what its box should hold now, or None."""
    shift = open_shift_row(session)
    return None if shift is None else summarise(session, shift)
