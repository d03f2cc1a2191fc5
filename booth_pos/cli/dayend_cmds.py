"""Day-end commands: `shift`, `stock`, `day`, `commission` and `report`.

booth-pos shift open --float 200            shift close --count 100x3,50x1,...
booth-pos shift pay-in|pay-out AMOUNT --reason R          shift status
booth-pos stock receive PLU QTY [--household H001]        stock waste PLU QTY --reason R
booth-pos stock count PLU=QTY... [--reason R]             stock list | stock low PLU QTY --pin P
booth-pos day close [--date D] [--count ...] [--mobile-total A] --pin P [--backup-to DIR]
booth-pos day list | day backup-dir DIR --pin P
booth-pos commission set H001 5% --pin P | commission list
booth-pos report x|day|statements [--date D] [--json | --csv FILE | --pdf FILE]
booth-pos report statements|day|x --print [--household H001] [--date D] [--printer URI]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, parse_yuan
from booth_pos.domain.reports import (
    CashCount,
    DayReport,
    HouseholdStatement,
    ShiftSummary,
    format_quantity,
    format_rate,
    parse_rate,
    yuan,
)
from booth_pos.services import dayend, shifts, stock
from booth_pos.services.ledger import Ledger

EXIT_OK, EXIT_FAILURE = 0, 1

Handler = Callable[[Ledger, argparse.Namespace], int]
AddCommand = Callable[..., argparse.ArgumentParser]


def _print(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human)


def _json(value: Any) -> Any:
    return json.loads(json.dumps(asdict(value), default=str, ensure_ascii=False))


def _shift_text(s: ShiftSummary) -> str:
    rows = [
        f"shift {s.shift_id[:8]} opened by {s.opened_by}"
        + (f", closed by {s.closed_by}" if s.closed_by else " (open)"),
        f"  float {yuan(s.float_fen)}  pay-ins {yuan(s.pay_ins_fen)}  "
        f"pay-outs {yuan(s.pay_outs_fen)}  cash taken {yuan(s.cash_taken_fen)}",
        f"  expected {yuan(s.expected_fen)}",
    ]
    if s.counted_fen is not None:
        rows.append(f"  counted {yuan(s.counted_fen)}  variance {yuan(s.variance_fen)}")
    return "\n".join(rows)


# --------------------------------------------------------------------------------- shift


def cmd_shift(ledger: Ledger, args: argparse.Namespace) -> int:
    action = args.shift_cmd
    if action == "open":
        summary = ledger.write(shifts.open_shift, parse_yuan(args.float), args.operator)
        _print(args, _json(summary), _shift_text(summary))
    elif action == "close":
        count = CashCount.parse(args.count)
        summary = ledger.write(shifts.close_shift, count, args.operator)
        _print(args, _json(summary), _shift_text(summary))
    elif action in ("pay-in", "pay-out"):
        move = shifts.pay_in if action == "pay-in" else shifts.pay_out
        view = ledger.write(move, parse_yuan(args.amount), args.reason, args.operator)
        _print(args, _json(view), f"{view.kind} {yuan(view.amount_fen)}: {view.reason}")
    else:
        current = ledger.read(shifts.current_shift)
        if current is None:
            _print(args, None, "no shift is open")
        else:
            _print(args, _json(current), _shift_text(current))
    return EXIT_OK


# --------------------------------------------------------------------------------- stock


def _split_counts(items: list[str]) -> dict[str, str]:
    counted: dict[str, str] = {}
    for item in items:
        plu, sep, qty = item.partition("=")
        if not sep or not plu.strip():
            raise BadInput("bad_quantity", text=item)
        if plu.strip() in counted:
            raise BadInput("duplicate_product", plu=plu.strip())
        counted[plu.strip()] = qty
    return counted


def cmd_stock(ledger: Ledger, args: argparse.Namespace) -> int:
    action = args.stock_cmd
    if action == "receive":
        view = ledger.write(
            stock.receive, args.plu, args.qty, args.household, args.operator, args.note
        )
        views = [view]
    elif action == "waste":
        view = ledger.write(stock.waste, args.plu, args.qty, args.reason, args.note, args.operator)
        views = [view]
    elif action == "count":
        views = ledger.write(stock.count, _split_counts(args.items), args.reason, args.operator)
    elif action == "low":
        level = ledger.write(stock.set_low_level, args.plu, args.qty, args.pin)
        _print(
            args,
            _json(level),
            f"{level.plu} {level.name_zh}: warn at {format_quantity(level.unit, level.low_level)}",
        )
        return EXIT_OK
    else:
        levels = ledger.read(stock.stock_levels)
        _print(
            args,
            [_json(level) for level in levels],
            "\n".join(
                f"{lv.plu:<6} {lv.name_zh:<12} "
                f"{(lv.on_hand_text or '-') + ' ' + lv.unit if lv.on_hand is not None else '-':>14}"
                f"{'  LOW' if lv.low else ''}"
                for lv in levels
            ),
        )
        return EXIT_OK
    human = "\n".join(
        f"{v.kind} {v.plu} {v.name_zh} {format_quantity(v.unit, v.quantity)} {v.unit}"
        + (
            f" (counted {format_quantity(v.unit, v.counted)}, book "
            f"{format_quantity(v.unit, v.expected or 0)})"
            if v.counted is not None
            else ""
        )
        + f"; on hand {format_quantity(v.unit, v.on_hand)} {v.unit}"
        for v in views
    )
    _print(args, [_json(v) for v in views], human)
    return EXIT_OK


# ----------------------------------------------------------------------------------- day


def report_text(report: DayReport) -> str:
    title = f"Z report no. {report.z_no}" if report.z_no is not None else "X report (snapshot)"
    rows = [
        f"{title}  {report.booth_code} {report.booth_name}  {report.day.isoformat()}",
        f"receipts {report.first_receipt or '-'} .. {report.last_receipt or '-'}; "
        f"{report.sales_count} sales, {report.voids_count} voids, {report.refunds_count} refunds",
        f"gross {yuan(report.gross_fen)}  round-downs {yuan(report.round_down_fen)}  "
        f"voids {yuan(report.voids_fen)}  refunds {yuan(report.refunds_fen)}  "
        f"net {yuan(report.net_fen)}",
        "tenders: " + ", ".join(f"{t.method} {yuan(t.net_fen)}" for t in report.tenders),
        f"cash expected {yuan(report.cash.expected_fen)} counted "
        f"{yuan(report.cash.counted_fen) or '-'} variance {yuan(report.cash.variance_fen) or '-'}",
        f"QR recorded {yuan(report.mobile.recorded_fen)} statement "
        f"{yuan(report.mobile.statement_fen) or '-'} variance "
        f"{yuan(report.mobile.variance_fen) or '-'}",
        "households:",
    ]
    rows += [
        f"  {h.code} {h.name}: goods {yuan(h.goods_fen)}, commission {format_rate(h.rate_bp)} "
        f"{yuan(h.commission_fen)}, owed {yuan(h.owed_fen)}"
        for h in report.households
    ]
    variances = report.stock_variance_lines
    if variances:
        rows.append("stock variances:")
        rows += [
            f"  {s.plu} {s.name_zh}: {format_quantity(s.unit, s.variance)} {s.unit}"
            f" ({'; '.join(s.reasons)})"
            for s in variances
        ]
    return "\n".join(rows)


def _date(text: str | None) -> Any:
    return None if text is None else dayend.parse_day(text)


def cmd_day(ledger: Ledger, args: argparse.Namespace) -> int:
    action = args.day_cmd
    if action == "close":
        count = None if args.count is None else CashCount.parse(args.count)
        mobile = None if args.mobile_total is None else parse_yuan(args.mobile_total)
        result = dayend.close_day_with_backup(
            ledger,
            args.pin,
            _date(args.date),
            count,
            mobile,
            Path(args.backup_to) if args.backup_to else None,
        )
        human = report_text(result.report)
        if result.backup_path is not None:
            human += f"\nbackup written to {result.backup_path}"
        else:
            human += f"\nWARNING: the day is closed but the backup failed: {result.backup_error}"
        data = {
            "report": result.report.to_json(),
            "backup": None if result.backup_path is None else str(result.backup_path),
            "backup_error": result.backup_error,
        }
        _print(args, data, human)
        return EXIT_OK if result.backup_error is None else EXIT_FAILURE
    if action == "backup-dir":
        folder = ledger.write(dayend.set_backup_dir, args.folder, args.pin)
        _print(
            args, {"backup_dir": folder}, f"day closes back up to {folder or 'DATA_DIR/backups'}"
        )
        return EXIT_OK
    closes = ledger.read(dayend.list_closes)
    _print(
        args,
        [_json(c) for c in closes],
        "\n".join(
            f"Z{c.z_no:<4} {c.day.isoformat()}  net {format_yuan(c.net_fen):>10}  "
            f"cash {yuan(c.cash_variance_fen) or '-':>8}  "
            f"QR {yuan(c.mobile_variance_fen) or '-':>8}"
            f"  {c.closed_by}"
            for c in closes
        )
        or "no day closed yet",
    )
    return EXIT_OK


# ---------------------------------------------------------------------------- commission


def cmd_commission(ledger: Ledger, args: argparse.Namespace) -> int:
    if args.commission_cmd == "set":
        view = ledger.write(dayend.set_commission, args.household, parse_rate(args.rate), args.pin)
        _print(args, _json(view), f"{view.household_code} {view.household_name}: "
               f"{format_rate(view.rate_bp)}")  # fmt: skip
        return EXIT_OK
    rates = ledger.read(dayend.list_commissions)
    _print(
        args,
        [_json(r) for r in rates],
        "\n".join(
            f"{r.household_code:<6} {r.household_name:<14} {format_rate(r.rate_bp)}" for r in rates
        ),
    )
    return EXIT_OK


# -------------------------------------------------------------------------------- report


def _statements_text(found: tuple[HouseholdStatement, ...]) -> str:
    rows: list[str] = []
    for s in found:
        rows.append(f"{s.household_code} {s.household_name}  {s.day.isoformat()}")
        rows += [
            f"  {line.plu:<6} {line.name_zh:<12} {line.quantity_text:>8} {line.unit:<4} "
            f"{yuan(line.amount_fen):>9}"
            for line in s.lines
        ]
        rows.append(
            f"  goods {yuan(s.goods_fen)}  commission {s.rate_text} {yuan(s.commission_fen)}  "
            f"owed {yuan(s.owed_fen)}" + (f"\n  {s.url}" if s.url else "")
        )
    return "\n".join(rows) or "no household sold anything"


def _print_slips(ledger: Ledger, args: argparse.Namespace, day: Any) -> int:
    """`--print`: queue the slips (a statement per household, or the Z / X report) and print
    them now on this thread, like `booth-pos receipt`."""
    from booth_pos.cli.print_cmds import _check_printer, _outcome
    from booth_pos.services import printing

    _check_printer(ledger, args.printer)
    if args.report_kind == "statements":
        jobs = ledger.write(printing.queue_statements, day, args.household)
    else:
        z = args.report_kind == "day"
        jobs = [ledger.write(printing.queue_day_report, day, z)]
    printer = printing.Printer()
    try:
        outcomes = [
            printing.print_job_now(ledger, printer, job.job_id, args.printer) for job in jobs
        ]
    finally:
        printer.close()
    return _outcome(args, outcomes)


def cmd_report(ledger: Ledger, args: argparse.Namespace) -> int:
    from booth_pos.reports import csv_export  # exports only when asked for

    day = _date(args.date)
    if args.print:
        return _print_slips(ledger, args, day)
    if args.report_kind == "statements":
        found = ledger.read(dayend.statements, day, args.household, args.server)
        if args.csv:
            csv_export.write_csv(Path(args.csv), csv_export.statements_csv(found))
        if args.pdf:
            from booth_pos.reports import pdf_export

            pdf_export.statements_pdf(found, Path(args.pdf))
        _print(args, [_json(s) for s in found], _statements_text(found))
        return EXIT_OK
    if args.report_kind == "day":
        report = ledger.read(dayend.z_report, day or dayend.today())
    else:
        mobile = None if args.mobile_total is None else parse_yuan(args.mobile_total)
        report = ledger.read(dayend.x_report, day, mobile)
    if args.csv:
        csv_export.write_csv(Path(args.csv), csv_export.day_report_csv(report))
    if args.pdf:
        from booth_pos.reports import pdf_export

        pdf_export.day_report_pdf(report, Path(args.pdf))
    human = report_text(report)
    if args.csv or args.pdf:
        human = "\n".join(f"written to {f}" for f in (args.csv, args.pdf) if f)
    _print(args, report.to_json(), human)
    return EXIT_OK


# ----------------------------------------------------------------------------- the parser


def add_commands(add: AddCommand) -> None:
    """Register the commands with `booth_pos.cli.main.build_parser`'s `add`."""
    from booth_pos.cli.main import _Parser  # the parser class that keeps our exit codes

    def sub(parent: argparse.ArgumentParser, dest: str) -> Any:
        return parent.add_subparsers(dest=dest, required=True, parser_class=_Parser)

    def leaf(group: Any, name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    p = add("shift", cmd_shift, "open and close shifts, pay-ins and pay-outs", with_json=False)
    group = sub(p, "shift_cmd")
    sp = leaf(group, "open", "open a shift with a cash float")
    sp.add_argument("--float", required=True, metavar="AMOUNT", help="yuan in the box, e.g. 200")
    sp.add_argument("--operator")
    sp = leaf(group, "close", "count the box and close the shift")
    sp.add_argument("--count", required=True, help="pieces per note/coin: 100x3,50x1,0.5x4")
    sp.add_argument("--operator")
    for name in ("pay-in", "pay-out"):
        sp = leaf(group, name, f"cash {'into' if name == 'pay-in' else 'out of'} the box")
        sp.add_argument("amount", metavar="AMOUNT")
        sp.add_argument("--reason", required=True)
        sp.add_argument("--operator")
    leaf(group, "status", "the open shift and what the box should hold")

    p = add("stock", cmd_stock, "receive, waste, count and list stock", with_json=False)
    group = sub(p, "stock_cmd")
    sp = leaf(group, "receive", "goods brought in by a household")
    sp.add_argument("plu")
    sp.add_argument("qty", help="e.g. 20kg, 40斤, 12")
    sp.add_argument("--household", help="the household's code, checked against the product")
    sp.add_argument("--note", default="")
    sp.add_argument("--operator")
    sp = leaf(group, "waste", "goods spoiled, damaged or given as tasting samples")
    sp.add_argument("plu")
    sp.add_argument("qty")
    sp.add_argument("--reason", required=True, help="spoiled, damaged, tasting or other")
    sp.add_argument("--note", default="")
    sp.add_argument("--operator")
    sp = leaf(group, "count", "counted stock; a difference needs --reason")
    sp.add_argument("items", nargs="+", metavar="PLU=QTY")
    sp.add_argument("--reason", default="")
    sp.add_argument("--operator")
    leaf(group, "list", "stock on hand with low-stock warnings")
    sp = leaf(group, "low", "set a product's low-stock level (coordinator PIN)")
    sp.add_argument("plu")
    sp.add_argument("qty")
    sp.add_argument("--pin", required=True)

    p = add("day", cmd_day, "close the day (Z report), list closes", with_json=False)
    group = sub(p, "day_cmd")
    sp = leaf(group, "close", "close the day with the coordinator's PIN")
    sp.add_argument("--pin", required=True)
    sp.add_argument("--date", help="the day to close (default today), YYYY-MM-DD")
    sp.add_argument("--count", help="the cash count, e.g. 100x3,50x1 (closes the open shift)")
    sp.add_argument("--mobile-total", metavar="AMOUNT", help="the payment app's total in yuan")
    sp.add_argument("--backup-to", metavar="DIR", help="backup folder for this close")
    leaf(group, "list", "closed days and their Z numbers")
    sp = leaf(group, "backup-dir", "set where day closes back up (coordinator PIN)")
    sp.add_argument("folder")
    sp.add_argument("--pin", required=True)

    p = add("commission", cmd_commission, "households' commission rates", with_json=False)
    group = sub(p, "commission_cmd")
    sp = leaf(group, "set", "set a household's rate (coordinator PIN)")
    sp.add_argument("household")
    sp.add_argument("rate", help="percent, e.g. 5 or 5.5%%")
    sp.add_argument("--pin", required=True)
    leaf(group, "list", "every household's rate")

    p = add("report", cmd_report, "X report, Z report or household statements")
    p.add_argument("report_kind", choices=("x", "day", "statements"))
    p.add_argument("--date", help="YYYY-MM-DD (default today)")
    p.add_argument("--csv", metavar="FILE", help="write CSV (UTF-8 with BOM)")
    p.add_argument("--pdf", metavar="FILE", help="write PDF")
    p.add_argument("--mobile-total", metavar="AMOUNT", help="x: preview the QR variance")
    p.add_argument("--household", help="statements: only this household")
    p.add_argument("--server", help="statements: county server URL for the QR")
    p.add_argument(
        "--print", action="store_true", help="print the slips on the receipt printer (Z: closed)"
    )
    p.add_argument("--printer", metavar="URI", help="--print: this printer, not the set one")
