"""`booth-pos receipt`, `printer test|status`, `print pending` and `reprint`.

Each prints on this process's thread with the same timeouts as the app's print worker (run
them while the app is closed: one program at a time should own a USB printer). Exit 0 when
the printer took the job, 1 when printing failed (the job stays queued and visible), 2 for
bad input.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from booth_pos.services.ledger import Ledger

if TYPE_CHECKING:  # imported when a command runs: Pillow and python-escpos slow every start-up
    from booth_pos.services.printing import PrinterState, PrintJobView

EXIT_OK, EXIT_FAILURE = 0, 1

Handler = Callable[[Ledger, argparse.Namespace], int]
AddCommand = Callable[..., argparse.ArgumentParser]


def _lang(args: argparse.Namespace) -> str:
    import os

    return str(getattr(args, "lang", None) or os.environ.get("BOOTH_POS_LANG") or "zh")


def _print(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human)


def _outcome(args: argparse.Namespace, outcomes: list[tuple[PrintJobView, PrinterState]]) -> int:
    lang = _lang(args)
    lines = []
    for job, _ in outcomes:
        if job.state == "done":
            where = "preview only (no printer)" if job.printer == "none" else job.printer
            mark = " (reprint)" if job.reprint else ""
            lines.append(f"{job.receipt_no}{mark}: printed on {where}")
        else:
            lines.append(f"{job.receipt_no}: {job.message(lang)}")
    failed = any(job.state != "done" for job, _ in outcomes)
    _print(
        args,
        [{**job.to_json(), "printer_state": state.state} for job, state in outcomes],
        "\n".join(lines) or "nothing to print",
    )
    return EXIT_FAILURE if failed else EXIT_OK


def _check_printer(ledger: Ledger, uri: str | None) -> None:
    """BadInput, before anything is queued, for a bad --printer or no printer at all."""
    from booth_pos.domain.errors import BadInput
    from booth_pos.printing.uri import Kind, parse_uri
    from booth_pos.services import printing

    chosen = uri if uri is not None else ledger.read(printing.printer_config).uri
    if parse_uri(chosen).kind is Kind.NONE:
        raise BadInput("no_printer")


def cmd_receipt(ledger: Ledger, args: argparse.Namespace) -> int:
    from booth_pos.services import printing

    if args.png or args.text:
        if args.png:
            data = ledger.read(printing.receipt_preview_png, args.receipt_no, args.reprint)
            Path(args.png).write_bytes(data)
            if not args.text:
                _print(args, {"png": args.png}, f"preview written to {args.png}")
        if args.text:
            print(ledger.read(printing.receipt_text, args.receipt_no, args.reprint), end="")
        return EXIT_OK
    _check_printer(ledger, args.printer)
    if args.reprint:
        job = ledger.write(printing.reprint, args.receipt_no)
    else:
        job = ledger.write(printing.queue_receipt, args.receipt_no)
    printer = printing.Printer()
    try:
        outcome = printing.print_job_now(ledger, printer, job.job_id, args.printer)
    finally:
        printer.close()
    return _outcome(args, [outcome])


def cmd_reprint(ledger: Ledger, args: argparse.Namespace) -> int:
    args.reprint, args.png, args.text = True, None, False
    return cmd_receipt(ledger, args)


def cmd_print(ledger: Ledger, args: argparse.Namespace) -> int:
    from booth_pos.services import printing

    _check_printer(ledger, args.printer)
    if args.retry_failed:
        ledger.write(printing.retry_failed)
    printer = printing.Printer()
    try:
        outcomes = printing.print_pending(ledger, printer, args.printer)
    finally:
        printer.close()
    return _outcome(args, outcomes)


def _config(ledger: Ledger, args: argparse.Namespace) -> Any:
    from booth_pos.services import printing
    from booth_pos.services.settings import BoothSettings, validate_printer

    config = ledger.read(printing.printer_config).with_printer(
        uri=args.uri, profile=args.profile, mode=args.mode, width_mm=args.width
    )
    validate_printer(
        BoothSettings(
            printer_uri=config.uri,
            printer_profile=config.profile,
            printer_mode=config.mode,
            printer_width_mm=config.width_mm,
        )
    )
    return config


def cmd_printer(ledger: Ledger, args: argparse.Namespace) -> int:
    from booth_pos.printing.connections import PrinterError
    from booth_pos.services import printing

    config = _config(ledger, args)
    uri = config.parsed_uri()
    printer = printing.Printer()
    lang = _lang(args)
    try:
        if args.printer_cmd == "test":
            try:
                report = printing.send_self_test_page(ledger, printer, config)
            except PrinterError as exc:
                state = printing.printer_state_failed(str(uri), exc)
                _print(
                    args,
                    {"ok": False, "error": exc.code, "detail": exc.detail},
                    f"test page failed: {state.message(lang)}",
                )
                return EXIT_FAILURE
            target = config.target()
            _print(
                args,
                {"ok": True, "printer": str(uri), "bytes": report.sent, "mode": target.mode},
                f"test page sent to {uri} ({report.sent} bytes, {target.mode.value} mode, "
                f"{target.dots} dots); paper {report.after.paper}",
            )
            return EXIT_OK
        state = printing.check_printer(printer, uri)
        human = f"{uri}: {state.state}, paper {state.paper}"
        if state.error_code:
            human += f" ({state.message(lang)})"
        _print(
            args,
            {
                "printer": str(uri),
                "state": state.state,
                "paper": state.paper,
                "error": state.error_code,
                "detail": state.detail,
            },
            human,
        )
        return EXIT_OK if state.state in ("online", "none") else EXIT_FAILURE
    finally:
        printer.close()


def add_commands(add: AddCommand) -> None:
    """Register the printing commands with `booth-pos`'s parser (`add` is its helper)."""
    p = add("receipt", cmd_receipt, "print a receipt again, or write its preview")
    p.add_argument("receipt_no")
    p.add_argument("--printer", metavar="URI", help="print here instead of the set printer")
    p.add_argument("--png", metavar="FILE", help="write the preview PNG instead of printing")
    p.add_argument("--text", action="store_true", help="show the receipt as text")
    p.add_argument("--reprint", action="store_true", help="mark it 补打 / REPRINT")

    p = add("reprint", cmd_reprint, "print a copy of a receipt, marked 补打 / REPRINT")
    p.add_argument("receipt_no")
    p.add_argument("--printer", metavar="URI", help="print here instead of the set printer")

    p = add("print", cmd_print, "print the receipts waiting in the queue", with_json=False)
    sub = p.add_subparsers(dest="print_cmd", required=True, parser_class=type(p))
    pending = sub.add_parser("pending", help="print every waiting receipt now")
    pending.add_argument("--printer", metavar="URI", help="print here instead of the set printer")
    pending.add_argument("--retry-failed", action="store_true", help="queue failed ones again")
    pending.add_argument("--json", action="store_true")

    p = add("printer", cmd_printer, "test page or status of the receipt printer", with_json=False)
    sub = p.add_subparsers(dest="printer_cmd", required=True, parser_class=type(p))
    for name, text in (("test", "print the test page"), ("status", "ask the printer (DLE EOT)")):
        cp = sub.add_parser(name, help=text)
        cp.add_argument("--uri", help="this printer instead of the set one")
        cp.add_argument("--profile", help="printer profile (e.g. xprinter-58, generic)")
        cp.add_argument("--mode", choices=("gbk", "raster", "auto"))
        cp.add_argument("--width", type=int, choices=(58, 80), help="paper width in mm")
        cp.add_argument("--json", action="store_true")
