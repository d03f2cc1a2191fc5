"""`booth-pos` command line. Exit 0 on success, 2 on bad input (one line on stderr), 1 otherwise.

Every run but `selftest` logs to DATA_DIR/logs/booth-pos.log (booth_pos.logs); an unexpected
error leaves its traceback there and one line on stderr that names the file.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from booth_pos import __version__
from booth_pos.cli import admin_cmds, dayend_cmds, print_cmds, selftest_cmds, sync_cmds
from booth_pos.config import data_dir
from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import format_yuan, parse_yuan
from booth_pos.domain.pricing import RoundDown, TenderIn, TenderMethod
from booth_pos.domain.quantity import format_kg
from booth_pos.logs import active_log_file, log_file, setup_logging, shutdown_logging
from booth_pos.services import auth, booth, catalog, demo, maintenance, sales
from booth_pos.services.ledger import Ledger

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

log = logging.getLogger(__name__)


class UsageError(Exception):
    """argparse's complaints, kept so the exit code and one-line stderr follow our rules."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: {message}")


def _lang(args: argparse.Namespace) -> str:
    chosen: str = args.lang or os.environ.get("BOOTH_POS_LANG") or "zh"
    return chosen


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human)


def _parse_item(text: str) -> CartLine:
    code, sep, qty = text.partition("=")
    if not sep:
        code, qty = text, "1"
    if not code.strip():
        raise BadInput("unknown_plu", plu=text)
    return CartLine.parse(code, qty)


def _parse_tender(text: str) -> TenderIn:
    method, sep, amount = text.partition(":")
    if not sep:
        raise BadInput("bad_amount", text=text)
    return TenderIn(TenderMethod.parse(method), parse_yuan(amount))


def _qty_text(unit: str, quantity: int, label: str) -> str:
    if unit == "item":
        return f"{quantity}{label}"
    return f"{format_kg(quantity)}kg"


def _sale_text(view: sales.SaleView) -> str:
    rows = [f"{view.receipt_no}  {view.occurred_at:%Y-%m-%d %H:%M:%S} UTC  {view.operator_name}"]
    for line in view.lines:
        rows.append(
            f"  {line.line_no:>2} {line.plu:<6} {line.name_zh:<12} "
            f"{_qty_text(line.unit, line.quantity, line.item_label_zh):>10} "
            f"@{format_yuan(line.unit_price_fen)}/{line.unit}  {format_yuan(line.amount_fen):>9}"
        )
    if view.round_down_fen:
        rows.append(f"  round-down 抹零 -{format_yuan(view.round_down_fen)}")
    rows.append(f"  total 合计 {format_yuan(view.total_fen)}")
    for tender in view.tenders:
        rows.append(f"  {tender.method} {format_yuan(tender.amount_fen)}")
    rows.append(f"  change 找零 {format_yuan(view.change_fen)}")
    if view.voided:
        rows.append("  VOIDED 已作废")
    if view.refunded_fen:
        rows.append(f"  refunded 已退 {format_yuan(view.refunded_fen)}")
    return "\n".join(rows)


def cmd_init(ledger: Ledger, args: argparse.Namespace) -> int:
    if not args.demo and not args.coordinator_pin:
        raise BadInput("bad_pin")

    def setup(session: Any) -> dict[str, Any]:
        view = booth.init_booth(session, args.booth_code, args.booth_name, args.town)
        result: dict[str, Any] = {"booth": asdict(view)}
        if args.coordinator_pin:
            auth.add_operator(
                session, args.coordinator, auth.ROLE_COORDINATOR, args.coordinator_pin
            )
        if args.demo:
            result["demo"] = asdict(demo.load_demo(session))
        return result

    result = ledger.write(setup)
    _emit(args, result, f"booth {result['booth']['code']} ready in {ledger.data_dir}")
    return EXIT_OK


def cmd_catalog(ledger: Ledger, args: argparse.Namespace) -> int:
    if args.catalog_cmd == "import":
        households, products = catalog.read_catalog_file(Path(args.file))
        result = ledger.write(catalog.import_catalog, households, products)
        _emit(
            args,
            asdict(result),
            f"imported {result.products_added} new and {result.products_updated} updated "
            f"products from {result.households} households",
        )
    elif args.catalog_cmd == "export":
        views = ledger.read(catalog.list_products)
        with open(args.file, "w", encoding="utf-8-sig", newline="") as out:
            out.write(catalog.catalog_csv(views))
        _emit(
            args,
            {"products": len(views), "file": args.file},
            f"exported {len(views)} products to {args.file}",
        )
    else:
        listed = ledger.read(catalog.list_products)
        lines = [
            f"{p.plu:<6} {p.name_zh:<14} {format_yuan(p.price_fen):>8}/{p.unit:<4} "
            f"{p.household_name} ({p.town} {p.village}){'' if p.active else '  [inactive]'}"
            for p in listed
        ]
        _emit(args, [asdict(p) for p in listed], "\n".join(lines))
    return EXIT_OK


def cmd_sell(ledger: Ledger, args: argparse.Namespace) -> int:
    cart = [_parse_item(item) for item in args.items]
    tenders = [_parse_tender(t) for t in args.pay]
    rule = RoundDown.parse(args.round_down) if args.round_down else RoundDown.NONE
    view = ledger.write(sales.ring_up, cart, tenders, args.operator, rule)
    _emit(args, view.to_json(), _sale_text(view))
    return EXIT_OK


def cmd_sales(ledger: Ledger, args: argparse.Namespace) -> int:
    if args.sales_cmd == "show":
        view = ledger.read(sales.show_sale, args.receipt_no)
        _emit(args, view.to_json(), _sale_text(view))
        return EXIT_OK
    views = ledger.read(sales.list_sales, args.limit)
    human = "\n".join(
        f"{v.receipt_no}  {v.occurred_at:%Y-%m-%d %H:%M:%S}  {format_yuan(v.total_fen):>9}"
        f"  {v.operator_name}{'  VOIDED' if v.voided else ''}"
        f"{'  refunded ' + format_yuan(v.refunded_fen) if v.refunded_fen else ''}"
        for v in views
    )
    _emit(args, [v.to_json() for v in views], human)
    return EXIT_OK


def cmd_void(ledger: Ledger, args: argparse.Namespace) -> int:
    view = ledger.write(sales.void, args.receipt_no, args.reason, args.pin)
    _emit(args, asdict(view), f"{view.receipt_no} voided ({format_yuan(view.amount_fen)})")
    return EXIT_OK


def cmd_refund(ledger: Ledger, args: argparse.Namespace) -> int:
    lines = dict.fromkeys(args.line, None) if args.line else None
    view = ledger.write(sales.refund, args.receipt_no, args.reason, args.pin, lines)
    _emit(
        args,
        view.to_json(),
        f"{view.refund_no}: refunded {format_yuan(view.amount_fen)} ({view.method}) "
        f"of {view.receipt_no}",
    )
    return EXIT_OK


def cmd_check(ledger: Ledger, args: argparse.Namespace) -> int:
    report = ledger.read(maintenance.check_ledger)
    data = {**asdict(report), "ok": report.ok}
    human = (
        f"integrity {report.integrity}; {report.sales} sales; last document "
        f"{report.last_seq}" + "".join(f"\nPROBLEM: {p}" for p in report.problems)
    )
    _emit(args, data, human)
    return EXIT_OK if report.ok else EXIT_FAILURE


def cmd_backup(ledger: Ledger, args: argparse.Namespace) -> int:
    target = Path(args.to) if args.to else ledger.data_dir / "backups"
    code = ledger.read(booth.booth_info).code
    path = maintenance.backup(ledger.db_path, target, code)
    _emit(args, {"backup": str(path)}, f"backup written to {path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="booth-pos", description="Point of sale for festival booths.")
    parser.add_argument("--version", action="version", version=f"booth-pos {__version__}")
    parser.add_argument(
        "--data-dir", help="ledger folder (default: $BOOTH_POS_DATA_DIR or the user data folder)"
    )
    parser.add_argument("--lang", choices=("zh", "en"), help="language of messages")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="with no command: set up the demo booth if this data folder has none, then start",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(
        name: str,
        handler: Callable[[Ledger, argparse.Namespace], int],
        help_text: str,
        with_json: bool = True,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(handler=handler)
        if with_json:
            p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    p = add("init", cmd_init, "set up this booth")
    p.add_argument("--booth-code", required=True)
    p.add_argument("--booth-name", required=True)
    p.add_argument("--town", required=True)
    p.add_argument("--demo", action="store_true", help="load the demo catalogue and people")
    p.add_argument("--coordinator", default="协调员", help="name of the first coordinator")
    p.add_argument("--coordinator-pin", help="4-8 digit PIN (required without --demo)")

    p = add(
        "catalog", cmd_catalog, "import, export or list products and households", with_json=False
    )
    csub = p.add_subparsers(dest="catalog_cmd", required=True, parser_class=_Parser)
    for name in ("import", "export"):
        cp = csub.add_parser(name)
        cp.add_argument("file")
        cp.add_argument("--json", action="store_true")
    csub.add_parser("list").add_argument("--json", action="store_true")

    p = add("sell", cmd_sell, "ring up one paid sale")
    p.add_argument("items", nargs="+", metavar="PLU=QTY", help="e.g. 101=1.25kg 201=2")
    p.add_argument(
        "--pay",
        action="append",
        required=True,
        metavar="METHOD:AMOUNT",
        help="cash, mobile or other, amount in yuan; repeat to split",
    )
    p.add_argument("--operator")
    p.add_argument("--round-down", choices=("jiao", "yuan"))

    p = add("sales", cmd_sales, "list or show sales", with_json=False)
    ssub = p.add_subparsers(dest="sales_cmd", required=True, parser_class=_Parser)
    lp = ssub.add_parser("list")
    lp.add_argument("--json", action="store_true")
    lp.add_argument("--limit", type=int, default=100)
    sp = ssub.add_parser("show")
    sp.add_argument("receipt_no")
    sp.add_argument("--json", action="store_true")

    p = add("void", cmd_void, "void a whole sale (coordinator PIN)")
    p.add_argument("receipt_no")
    p.add_argument("--reason", required=True)
    p.add_argument("--pin", required=True)

    p = add("refund", cmd_refund, "refund a sale or some of its lines (coordinator PIN)")
    p.add_argument("receipt_no")
    p.add_argument("--line", type=int, action="append", default=[], metavar="N")
    p.add_argument("--reason", required=True)
    p.add_argument("--pin", required=True)

    add("check", cmd_check, "check the database and the ledger")
    p = add("backup", cmd_backup, "copy the ledger safely, even while selling")
    p.add_argument("--to", help="folder for the copy (default: DATA_DIR/backups)")
    sync_cmds.add_commands(add)  # enroll, sync
    dayend_cmds.add_commands(add)  # shift, stock, day, commission, report
    print_cmds.add_commands(add)  # receipt, reprint, print pending, printer test|status
    selftest_cmds.add_commands(add)  # selftest (in a temporary folder)
    admin_cmds.add_commands(add)  # product, people, audit
    return parser


def ensure_demo_booth(folder: Path) -> int:
    """Set up the demo booth (LX01, demo people and goods) unless one is already there."""
    ledger = Ledger.open(folder)
    try:
        ledger.read(booth.booth_info)
    except BadInput:

        def setup(session: Any) -> None:
            booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
            demo.load_demo(session)

        ledger.write(setup)
    finally:
        ledger.close()
    return EXIT_OK


# (Simplified Chinese, English), as in booth_pos.domain.errors
_CANNOT_OPEN = (
    "无法打开 {folder} 中的账本：{error}",
    "cannot open the ledger in {folder}: {error}",
)
_DETAILS_IN = ("（详情见 {path}）", " (details in {path})")
_SHORT_MESSAGE = 200  # characters of an exception's first line on stderr


def _text(lang: str, texts: tuple[str, str], **fields: object) -> str:
    zh, en = texts
    return (en if lang.startswith("en") else zh).format(**fields)


def _fail(lang: str, line: str, what: str, *fields: object) -> int:
    """Log the exception being handled and say `line` on stderr, naming the log file.

    Without a log file (its folder cannot be written) nothing is logged: logging's fallback
    would print the traceback, and stderr gets one line.
    """
    path = active_log_file()
    if path is not None:
        log.exception(what, *fields)
        line += _text(lang, _DETAILS_IN, path=path)
    print(f"booth-pos: {line}", file=sys.stderr)
    return EXIT_FAILURE


def _short(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    first = lines[0] if lines else ""
    if len(first) > _SHORT_MESSAGE:
        first = first[: _SHORT_MESSAGE - 1] + "…"
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    folder = data_dir(args.data_dir)
    if args.command == "selftest":  # its own temporary ledger: never opens nor creates this one
        return selftest_cmds.cmd_selftest(args, log_file(folder))
    setup_logging(folder)
    try:
        log.info("booth-pos %s in %s", args.command or "app", folder)
        if args.command is None:
            return _start_app(folder, args)
        return _run_command(folder, args)
    finally:
        shutdown_logging()


def _start_app(folder: Path, args: argparse.Namespace) -> int:
    try:
        if args.demo:
            code = ensure_demo_booth(folder)
            if code != EXIT_OK:
                return code
        from booth_pos.ui.app import run_app  # Qt only when a window is wanted

        return run_app(folder)
    except Exception as exc:
        return _fail(_lang(args), _short(exc), "the app failed")


def _run_command(folder: Path, args: argparse.Namespace) -> int:
    lang = _lang(args)
    try:
        ledger = Ledger.open(folder)
    except Exception as exc:
        line = _text(lang, _CANNOT_OPEN, folder=folder, error=_short(exc))
        return _fail(lang, line, "cannot open the ledger in %s", folder)
    try:
        handler: Callable[[Ledger, argparse.Namespace], int] = args.handler
        return handler(ledger, args)
    except BadInput as exc:
        log.info("%s refused: %s", args.command, exc.message("en"))
        print(f"booth-pos: {exc.message(lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        return _fail(lang, _short(exc), "%s failed", args.command)
    finally:
        ledger.close()
