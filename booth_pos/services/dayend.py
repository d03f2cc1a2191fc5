"""Day end: the X report (a snapshot), the day close with its numbered Z report, commission
rates, household statements and the backup folder.

How each figure is defined is in `booth_pos.domain.reports`; what "a day" is, in `days`.

Closing a day (coordinator PIN) is one transaction: it closes the open shift of that day with
the cash count, checks the QR takings against the payment app's total, freezes the Z report
(also the closing stock of every product, the next day's opening), locks the day and queues
the summary for the county (outbox doc kind "day"). `close_day_with_backup` then copies the
ledger to the coordinator's backup folder (SQLite online backup, rotating); a failed copy
never undoes the close.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan
from booth_pos.domain.quantity import PricingUnit
from booth_pos.domain.reports import (
    CashCount,
    DayReport,
    HourTotal,
    HouseholdStatement,
    HouseholdTotal,
    ProductTotal,
    ShiftSummary,
    StockLine,
    household_statements,
    household_total,
    reconcile_cash,
    reconcile_mobile,
    stock_line,
    tender_total,
)
from booth_pos.services import audit, booth, days, figures, maintenance, shifts
from booth_pos.services.auth import authorise_coordinator
from booth_pos.services.ledger import Ledger
from booth_pos.services.sales import _enqueue, canonical_json
from booth_pos.store.models import (
    CashMovement,
    CommissionRate,
    DayClose,
    Household,
    Product,
    Refund,
    Sale,
    Setting,
    Shift,
    StockClosing,
    StockEntry,
    SyncEnrollment,
    Void,
)

DOC_KIND_DAY = "day"  # sync.protocol.DocKind.DAY
BACKUP_DIR_KEY = "dayend_backup_dir"


# ----------------------------------------------------------------------------------- views


@dataclass(frozen=True)
class RateView:
    household_code: str
    household_name: str
    rate_bp: int
    updated_by: str


@dataclass(frozen=True)
class DayCloseView:
    z_no: int
    day: dt.date
    closed_at: dt.datetime
    closed_by: str
    net_fen: int
    cash_variance_fen: int | None
    mobile_variance_fen: int | None


@dataclass(frozen=True)
class DayCloseResult:
    report: DayReport
    backup_path: Path | None = None
    backup_error: str | None = None


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise BadInput("bad_date", text=text) from exc


def today() -> dt.date:
    """The local date now, as the till's clock has it."""
    at, offset = booth.now_utc()
    return days.local_day(at, offset)


# ------------------------------------------------------------------------- commission rates


def _household(session: Session, code: str) -> Household:
    found = session.scalars(select(Household).where(Household.code == code.strip())).first()
    if found is None:
        raise BadInput("unknown_household", code=code)
    return found


def set_commission(session: Session, household_code: str, rate_bp: int, pin: str) -> RateView:
    """The booth's commission on one household's goods, from the next report on."""
    household = _household(session, household_code)
    if not 0 <= rate_bp <= 10_000:
        raise BadInput("bad_rate", text=str(rate_bp))
    coordinator = authorise_coordinator(session, pin)
    at, _ = booth.now_utc()
    row = session.get(CommissionRate, household.id)
    if row is None:
        session.add(
            CommissionRate(
                household_id=household.id,
                rate_bp=rate_bp,
                updated_at=at,
                updated_by=coordinator.name,
            )
        )
    else:
        row.rate_bp, row.updated_at, row.updated_by = rate_bp, at, coordinator.name
    session.flush()
    return RateView(household.code, household.name, rate_bp, coordinator.name)


def list_commissions(session: Session) -> list[RateView]:
    """Every household with its rate (0 where none is set)."""
    rates = {r.household_id: r for r in session.scalars(select(CommissionRate))}
    out: list[RateView] = []
    for household in session.scalars(select(Household).order_by(Household.code)):
        rate = rates.get(household.id)
        out.append(
            RateView(
                household.code,
                household.name,
                rate.rate_bp if rate else 0,
                rate.updated_by if rate else "",
            )
        )
    return out


# --------------------------------------------------------------------------- backup folder


def backup_dir(session: Session) -> str | None:
    row = session.get(Setting, BACKUP_DIR_KEY)
    if row is None:
        return None
    value = json.loads(row.value)
    return str(value) if value else None


def set_backup_dir(session: Session, folder: str, pin: str) -> str:
    """Where each day close copies the ledger (a USB stick, say); '' for the data folder."""
    coordinator = authorise_coordinator(session, pin)
    at, _ = booth.now_utc()
    encoded = json.dumps(folder.strip(), ensure_ascii=False)
    row = session.get(Setting, BACKUP_DIR_KEY)
    if row is None:
        session.add(
            Setting(key=BACKUP_DIR_KEY, value=encoded, updated_at=at, updated_by=coordinator.name)
        )
    else:
        row.value, row.updated_at, row.updated_by = encoded, at, coordinator.name
    session.flush()
    return folder.strip()


# ------------------------------------------------------------------------------ the report


def _stock_section(
    session: Session,
    day: dt.date,
    goods: dict[tuple[int, int], figures.Goods],
    names: dict[int, tuple[str, str, str]],
) -> tuple[list[StockLine], dict[int, figures.Level]]:
    """Stock lines of tracked products, and every product's level at the end of the day."""
    opening = figures.levels_before(session, day)
    entries = figures.stock_entries(session, day, day)
    deltas = figures.stock_deltas_from(goods, entries)
    closing = figures.apply(opening, deltas)
    counts: dict[int, tuple[int | None, list[str]]] = {}
    for pid, counted, reason in session.execute(
        select(StockEntry.product_id, StockEntry.counted, StockEntry.reason)
        .where(StockEntry.day == day, StockEntry.kind == "count")
        .order_by(StockEntry.id)
    ):
        _, reasons = counts.get(int(pid), (None, []))
        if reason and reason not in reasons:
            reasons.append(reason)
        counts[int(pid)] = (counted, reasons)
    lines: list[StockLine] = []
    for pid, level in closing.items():
        if not level.tracked:
            continue
        plu, name_zh, unit = names.get(pid, ("?", "?", "item"))
        delta = deltas.get(pid, figures.StockDelta())
        start = opening.get(pid, figures.Level(0, False))
        counted, reasons = counts.get(pid, (None, []))
        lines.append(
            stock_line(
                plu,
                name_zh,
                unit,
                opening=start.quantity,
                received=delta.received,
                sold=delta.sold,
                refunded=delta.refunded,
                voided=delta.voided,
                wasted=delta.wasted,
                counted=counted,
                variance=delta.adjusted,
                reasons=reasons,
            )
        )
    lines.sort(key=lambda line: line.plu)
    return lines, closing


def _product_names(session: Session) -> dict[int, tuple[str, str, str]]:
    return {
        int(pid): (plu, name, unit)
        for pid, plu, name, unit in session.execute(
            select(Product.id, Product.plu, Product.name_zh, Product.unit)
        )
    }


def _cash_section(
    session: Session, day: dt.date, day_count: CashCount | None
) -> tuple[int, int, int, int | None, list[ShiftSummary]]:
    floats = int(session.scalar(select(func.sum(Shift.float_fen)).where(Shift.day == day)) or 0)
    moves = dict(
        session.execute(
            select(CashMovement.kind, func.sum(CashMovement.amount_fen))
            .where(CashMovement.day == day)
            .group_by(CashMovement.kind)
        ).all()
    )
    day_shifts = list(
        session.scalars(select(Shift).where(Shift.day == day).order_by(Shift.opened_at))
    )
    summaries = [shifts.summarise(session, s) for s in day_shifts]
    counted: int | None = None
    shift_counts = [s.counted_fen for s in day_shifts if s.counted_fen is not None]
    if shift_counts or day_count is not None:
        counted = sum(shift_counts) + (day_count.total_fen if day_count else 0)
    return (
        floats,
        int(moves.get("pay_in") or 0),
        int(moves.get("pay_out") or 0),
        counted,
        summaries,
    )


def _sales_totals(
    session: Session, w: figures.Windows
) -> tuple[int, int, int, int | None, int | None]:
    count, gross, round_down, first, last = session.execute(
        select(
            func.count(),
            func.sum(Sale.subtotal_fen),
            func.sum(Sale.round_down_fen),
            func.min(Sale.seq),
            func.max(Sale.seq),
        ).where(w.sales)
    ).one()
    return int(count), int(gross or 0), int(round_down or 0), first, last


def _receipt(session: Session, device_id: str, seq: int | None) -> str | None:
    if seq is None:
        return None
    found: str | None = session.scalar(
        select(Sale.receipt_no).where(Sale.device_id == device_id, Sale.seq == seq)
    )
    return found


def _hours(session: Session, w: figures.Windows) -> list[HourTotal]:
    """Sales by local hour. Whole-hour offsets (China's +8) group by the stored UTC hour;
    any other offset groups by minute, then each minute goes to its local hour."""
    minutes = any(o % 60 for o in figures.offsets(session)[0])
    clock = figures.clock_of(Sale.occurred_at, minutes)
    per_hour: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(
        select(Sale.utc_offset_min, clock, func.count(), func.sum(Sale.subtotal_fen))
        .where(w.sales)
        .group_by(Sale.utc_offset_min, clock)
    )
    for offset, hhmm, count, gross in rows:
        minute = int(hhmm[:2]) * 60 + (int(hhmm[3:5]) if minutes else 0) + int(offset)
        hour = (minute // 60) % 24
        per_hour[hour][0] += int(count)
        per_hour[hour][1] += int(gross or 0)
    return [HourTotal(h, n, fen) for h, (n, fen) in sorted(per_hour.items())]


def build_report(
    session: Session,
    day: dt.date,
    mobile_statement_fen: int | None = None,
    day_count: CashCount | None = None,
    rates_override: Mapping[int, int] | None = None,
) -> tuple[DayReport, dict[int, figures.Level]]:
    """The day's figures as an X report, and every product's stock at the end of the day."""
    device = booth.this_device(session)
    at, offset = booth.now_utc()
    w = figures.day_windows(session, day, day)

    sales_count, gross, round_down, first_seq, last_seq = _sales_totals(session, w)
    voids_count, voids_fen = session.execute(
        select(func.count(), func.sum(Void.amount_fen)).where(w.voids)
    ).one()
    flows = figures.tender_flows(session, w)
    refunds_fen = sum(f.refunds for f in flows.by_method.values())
    net = gross - round_down - int(voids_fen or 0) - refunds_fen

    goods = figures.goods_flows(session, w)
    household_ids = {g.household_id for g in goods.values()}
    households = {
        h.id: h for h in session.scalars(select(Household).where(Household.id.in_(household_ids)))
    }
    rates = dict(session.execute(select(CommissionRate.household_id, CommissionRate.rate_bp)).all())
    if rates_override is not None:
        rates.update(rates_override)

    products: list[ProductTotal] = []
    per_household: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    household_names: dict[int, str] = {}
    for g in goods.values():
        household = households[g.household_id]
        net_qty = g.sold_qty - g.voided_qty - g.refunded_qty
        products.append(
            ProductTotal(
                plu=g.plu,
                name_zh=g.name_zh,
                name_en=g.name_en,
                unit=g.unit,
                household_code=household.code,
                household_name=g.household_name,
                sold_qty=g.sold_qty,
                sold_fen=g.sold_fen,
                voided_qty=g.voided_qty,
                voided_fen=g.voided_fen,
                refunded_qty=g.refunded_qty,
                refunded_fen=g.refunded_fen,
                net_qty=net_qty,
                net_fen=g.sold_fen - g.voided_fen - g.refunded_fen,
            )
        )
        sums = per_household[g.household_id]
        sums[0] += g.sold_fen
        sums[1] += g.voided_fen
        sums[2] += g.refunded_fen
        if PricingUnit(g.unit).weighed:
            sums[3] += net_qty
        else:
            sums[4] += net_qty
        household_names.setdefault(g.household_id, g.household_name)
    products.sort(key=lambda p: (p.plu, p.household_code))
    household_totals: list[HouseholdTotal] = sorted(
        (
            household_total(
                households[hid].code,
                household_names[hid],
                sold,
                voided,
                refunded,
                grams,
                units,
                int(rates.get(hid, 0)),
            )
            for hid, (sold, voided, refunded, grams, units) in per_household.items()
        ),
        key=lambda h: h.code,
    )

    floats, pay_ins, pay_outs, counted, summaries = _cash_section(session, day, day_count)
    cash_flow = flows.method("cash")
    cash = reconcile_cash(
        floats,
        pay_ins,
        pay_outs,
        cash_flow.sales,
        cash_flow.voids,
        cash_flow.refunds,
        counted,
        summaries,
    )
    mobile_flow = flows.method("mobile")
    mobile = reconcile_mobile(
        mobile_flow.sales, mobile_flow.voids, mobile_flow.refunds, mobile_statement_fen
    )
    stock, closing = _stock_section(session, day, goods, _product_names(session))

    report = DayReport(
        kind="X",
        z_no=None,
        booth_code=device.booth.code,
        booth_name=device.booth.name,
        town=device.booth.town,
        day=day,
        generated_at=at,
        utc_offset_min=offset,
        closed_by=None,
        first_receipt=_receipt(session, device.id, first_seq),
        last_receipt=_receipt(session, device.id, last_seq),
        sales_count=sales_count,
        voids_count=int(voids_count),
        refunds_count=flows.refunds_count,
        gross_fen=gross,
        round_down_fen=round_down,
        voids_fen=int(voids_fen or 0),
        refunds_fen=refunds_fen,
        net_fen=net,
        goods_fen=sum(h.goods_fen for h in household_totals),
        commission_fen=sum(h.commission_fen for h in household_totals),
        owed_fen=sum(h.owed_fen for h in household_totals),
        tenders=tuple(
            tender_total(m, f.sales, f.voids, f.refunds)
            for m, f in flows.by_method.items()
            if m in figures.METHODS or f.sales or f.voids or f.refunds
        ),
        products=tuple(products),
        households=tuple(household_totals),
        hours=tuple(_hours(session, w)),
        cash=cash,
        mobile=mobile,
        stock=tuple(stock),
    )
    return report, closing


def _closed(session: Session, day: dt.date) -> DayClose | None:
    return session.scalars(select(DayClose).where(DayClose.day == day)).first()


def x_report(
    session: Session, day: dt.date | None = None, mobile_statement_fen: int | None = None
) -> DayReport:
    """A snapshot of the day so far (today by default); a closed day gives its Z report.

    `mobile_statement_fen` previews the QR variance while the coordinator types the total.
    """
    day = day or today()
    closed = _closed(session, day)
    if closed is not None:
        return DayReport.from_json(json.loads(closed.report))
    return build_report(session, day, mobile_statement_fen)[0]


def z_report(session: Session, day: dt.date) -> DayReport:
    """The frozen Z report of a closed day, exactly as it was closed (and sent)."""
    closed = _closed(session, day)
    if closed is None:
        raise BadInput("no_day_report", day=day.isoformat())
    return DayReport.from_json(json.loads(closed.report))


def list_closes(session: Session) -> list[DayCloseView]:
    return [
        DayCloseView(
            c.z_no,
            c.day,
            c.closed_at,
            c.closed_by_name,
            c.net_fen,
            c.cash_variance_fen,
            c.mobile_variance_fen,
        )
        for c in session.scalars(select(DayClose).order_by(DayClose.day.desc()))
    ]


# ----------------------------------------------------------------------------- the close


def _first_activity(session: Session, first: dt.date, last: dt.date) -> dt.date | None:
    """The earliest day in first..last with any sale, void, refund, stock entry or shift."""
    if first > last:
        return None
    found: list[dt.date] = []
    for model in (Sale, Void, Refund):
        offsets = days.offsets_in_use(session, model.utc_offset_min)
        for o in offsets:
            start = days.day_start_utc(first, o)
            end = days.day_start_utc(last + dt.timedelta(days=1), o)
            moment = session.scalar(
                select(func.min(model.occurred_at)).where(
                    model.utc_offset_min == o,
                    model.occurred_at >= start,
                    model.occurred_at < end,
                )
            )
            if moment is not None:
                found.append(days.local_day(moment, o))
    for day_col in (StockEntry.day, Shift.day, CashMovement.day):
        day = session.scalar(select(func.min(day_col)).where(day_col >= first, day_col <= last))
        if day is not None:
            found.append(day)
    return min(found) if found else None


def close_day(
    session: Session,
    pin: str,
    day: dt.date | None = None,
    count: CashCount | None = None,
    mobile_total_fen: int | None = None,
) -> DayReport:
    """Close `day` (today by default) with the coordinator's PIN; returns its Z report.

    The open shift of that day is closed with `count`. With no shift that day, `count` is the
    day's cash count (needed when any cash changed hands). `mobile_total_fen` is the payment
    app's total for the day (needed when mobile payments were recorded). Refused, writing
    nothing: a wrong or operator's PIN, a closed or future day, an earlier day with trade not
    yet closed, a missing count or mobile total.
    """
    coordinator = authorise_coordinator(session, pin)
    at, offset = booth.now_utc()
    now_day = days.local_day(at, offset)
    day = day or now_day
    if mobile_total_fen is not None and mobile_total_fen < 0:
        raise BadInput("amount_not_positive", text=format_yuan(mobile_total_fen))
    if day > now_day:
        raise BadInput("day_in_future", day=day.isoformat())
    closed = _closed(session, day)
    if closed is not None:
        raise BadInput("day_already_closed", day=day.isoformat(), z_no=closed.z_no)
    last = days.last_closed_day(session)
    if last is not None and day < last:
        raise BadInput("day_closed", day=day.isoformat())
    earlier = _first_activity(
        session,
        days.FIRST_DAY if last is None else last + dt.timedelta(days=1),
        day - dt.timedelta(days=1),
    )
    if earlier is not None:
        raise BadInput("earlier_day_open", day=earlier.isoformat())

    open_shift = shifts.open_shift_row(session)
    day_count: CashCount | None = None
    if open_shift is not None and open_shift.day <= day:
        if count is None:
            raise BadInput("shift_needs_count", day=open_shift.day.isoformat())
        shifts.close_open_shift(session, open_shift, count, coordinator.name, at, offset)
    elif count is not None:
        if session.scalar(select(func.count()).select_from(Shift).where(Shift.day == day)):
            raise BadInput("count_not_needed", day=day.isoformat())
        day_count = count

    report, closing = build_report(session, day, mobile_total_fen, day_count)
    has_shifts = bool(report.cash.shifts)
    if not has_shifts and day_count is None and report.cash.expected_fen != 0:
        raise BadInput("count_needed")
    if mobile_total_fen is None and report.mobile.recorded_fen != 0:
        raise BadInput("mobile_total_needed", recorded=format_yuan(report.mobile.recorded_fen))
    if report.cash.counted_fen is None:  # nothing to count: no cash and no shifts
        report = replace(
            report, cash=replace(report.cash, counted_fen=0, variance_fen=-report.cash.expected_fen)
        )
    if report.mobile.statement_fen is None:
        report = replace(report, mobile=replace(report.mobile, statement_fen=0, variance_fen=0))

    z_no = int(session.scalar(select(func.max(DayClose.z_no))) or 0) + 1
    report = replace(report, kind="Z", z_no=z_no, closed_by=coordinator.name)
    device = booth.this_device(session)
    seq = booth.take_seq(session, device)
    close_id = str(uuid.uuid4())
    payload = report.to_json()
    session.add(
        DayClose(
            id=close_id,
            z_no=z_no,
            day=day,
            device_id=device.id,
            seq=seq,
            closed_at=at,
            utc_offset_min=offset,
            closed_by_id=coordinator.id,
            closed_by_name=coordinator.name,
            count_json=json.dumps(day_count.to_json(), sort_keys=True) if day_count else None,
            net_fen=report.net_fen,
            cash_variance_fen=report.cash.variance_fen,
            mobile_variance_fen=report.mobile.variance_fen,
            report=canonical_json(payload),
        )
    )
    session.flush()
    session.add_all(
        StockClosing(
            day_close_id=close_id, product_id=pid, closing=level.quantity, tracked=level.tracked
        )
        for pid, level in closing.items()
        if level.quantity or level.tracked
    )
    body = {
        "doc_id": close_id,
        "booth_code": device.booth.code,
        "day": day.isoformat(),
        "z_no": z_no,
        "occurred_at": at.replace(tzinfo=dt.UTC).isoformat(),
        "utc_offset_min": offset,
        "closed_by": coordinator.name,
        "report": payload,
    }
    _enqueue(session, device, seq, DOC_KIND_DAY, close_id, body, at)
    session.flush()
    audit.record(
        session,
        "day_close",
        coordinator.name,
        {"day": day.isoformat(), "z_no": z_no, "net_fen": report.net_fen},
    )
    return report


def close_day_with_backup(
    ledger: Ledger,
    pin: str,
    day: dt.date | None = None,
    count: CashCount | None = None,
    mobile_total_fen: int | None = None,
    backup_to: Path | None = None,
) -> DayCloseResult:
    """Close the day (one transaction), then back the ledger up to the coordinator's folder
    (`backup_to`, else the saved folder, else DATA_DIR/backups). The backup runs after the
    commit, so it holds the close; if it fails the day stays closed and the error is returned.
    """
    report = ledger.write(close_day, pin, day, count, mobile_total_fen)
    folder = backup_to
    if folder is None:
        saved = ledger.read(backup_dir)
        folder = Path(saved) if saved else ledger.data_dir / "backups"
    try:
        path = maintenance.backup(ledger.db_path, folder, report.booth_code)
    except Exception as exc:  # a pulled USB stick, a full disk: reported, the close stands
        return DayCloseResult(report, None, f"{type(exc).__name__}: {exc}")
    return DayCloseResult(report, path, None)


# --------------------------------------------------------------------- household statements


def server_url(session: Session) -> str | None:
    """The county server this till is enrolled with (for the statements' QR), if any."""
    found: str | None = session.scalar(select(SyncEnrollment.server_url).limit(1))
    return found or None


def statements(
    session: Session,
    day: dt.date | None = None,
    household_code: str | None = None,
    server: str | None = None,
) -> tuple[HouseholdStatement, ...]:
    """One statement per household for the day (its Z if closed, else the day so far)."""
    report = x_report(session, day)
    found = household_statements(report, server or server_url(session))
    if household_code is not None:
        _household(session, household_code)  # an unknown code is bad input
        found = tuple(s for s in found if s.household_code == household_code.strip())
    return found
