"""`booth-pos product`, `people` and `audit`: the coordinator's catalogue, people and trail."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from booth_pos.domain.money import format_yuan, parse_yuan
from booth_pos.services import audit, catalog, catalog_edit, people
from booth_pos.services.ledger import Ledger

EXIT_OK = 0

AddCommand = Callable[..., argparse.ArgumentParser]


def _print(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human)


def _product_text(p: catalog.ProductView) -> str:
    state = "" if p.active else "  (off sale 停售)"
    return (
        f"{p.plu} {p.name_zh} {format_yuan(p.price_fen)}/{p.unit} "
        f"[{p.price_source}] {p.household_code} {p.household_name}{state}"
    )


def cmd_product(ledger: Ledger, args: argparse.Namespace) -> int:
    if args.product_cmd == "set":
        current = {p.plu: p for p in ledger.read(catalog.list_products)}.get(args.plu.strip())

        def keep(given: str | None, field: str, default: str) -> str:
            if given is not None:
                return given
            return str(getattr(current, field)) if current is not None else default

        barcode = args.barcode if args.barcode is not None else (current and current.barcode)
        view = ledger.write(
            catalog_edit.save_product,
            args.pin,
            args.plu,
            args.name_zh,
            keep(args.name_en, "name_en", ""),
            keep(args.category, "category", ""),
            args.unit,
            parse_yuan(args.price),
            args.household,
            barcode or None,
            current.active if current is not None else True,
            keep(args.colour, "colour", ""),
        )
        _print(args, asdict(view), _product_text(view))
    elif args.product_cmd == "deactivate":
        ledger.write(catalog_edit.deactivate_product, args.pin, args.plu)
        _print(args, {"plu": args.plu, "active": False}, f"{args.plu} taken off sale 已停售")
    else:
        history = ledger.read(catalog_edit.price_history, args.plu)
        _print(
            args,
            [asdict(h) for h in history],
            "\n".join(
                f"{h.at:%Y-%m-%d %H:%M:%S} UTC  "
                f"{format_yuan(h.old_fen) if h.old_fen is not None else '-':>9} -> "
                f"{format_yuan(h.new_fen):>9}  {h.by} ({h.source})"
                for h in history
            ),
        )
    return EXIT_OK


def _person_text(p: people.PersonView) -> str:
    locked = f"  locked until {p.locked_until:%H:%M:%S} UTC" if p.locked_until else ""
    return f"{p.name:<8} {p.role:<12} {'active' if p.active else 'inactive'}{locked}"


def cmd_people(ledger: Ledger, args: argparse.Namespace) -> int:
    cmd = args.people_cmd
    if cmd == "list":
        found = ledger.read(people.list_people)
        _print(args, [asdict(p) for p in found], "\n".join(_person_text(p) for p in found))
        return EXIT_OK
    if cmd == "reset-pin":
        ledger.write(people.reset_pin, args.pin, args.name, args.new_pin)
        _print(args, {"name": args.name, "pin_reset": True}, f"PIN of {args.name} reset")
        return EXIT_OK
    if cmd == "add":
        view = ledger.write(people.add_person, args.pin, args.name, args.role, args.new_pin)
    elif cmd in ("deactivate", "activate"):
        view = ledger.write(people.set_active, args.pin, args.name, cmd == "activate")
    else:
        view = ledger.write(people.set_role, args.pin, args.name, args.role)
    _print(args, asdict(view), _person_text(view))
    return EXIT_OK


def cmd_audit(ledger: Ledger, args: argparse.Namespace) -> int:
    entries = ledger.read(audit.list_audit, args.action, args.operator, None, args.limit)
    _print(
        args,
        [asdict(e) for e in entries],
        "\n".join(
            f"{e.at:%Y-%m-%d %H:%M:%S} UTC  {e.action:<16} {e.operator:<14} "
            f"{json.dumps(e.details, ensure_ascii=False, sort_keys=True)}"
            for e in entries
        ),
    )
    return EXIT_OK


def add_commands(add: AddCommand) -> None:
    """Register `product`, `people` and `audit` with `booth-pos`'s parser."""
    from booth_pos.cli.main import _Parser  # the parser class that keeps our exit codes

    def sub(parent: argparse.ArgumentParser, dest: str) -> Any:
        return parent.add_subparsers(dest=dest, required=True, parser_class=_Parser)

    def leaf(group: Any, name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    p = add("product", cmd_product, "add, edit or deactivate a product", with_json=False)
    group = sub(p, "product_cmd")
    sp = leaf(group, "set", "add or edit a product by PLU (coordinator PIN)")
    sp.add_argument("plu")
    sp.add_argument("--name-zh", required=True)
    sp.add_argument("--name-en")
    sp.add_argument("--price", required=True, help="yuan per unit, e.g. 3.50")
    sp.add_argument("--unit", required=True, choices=("kg", "jin", "item"))
    sp.add_argument("--household", required=True, help="the household's code")
    sp.add_argument("--barcode")
    sp.add_argument("--category")
    sp.add_argument("--colour", help="button colour, #RRGGBB")
    sp.add_argument("--pin", required=True)
    sp = leaf(group, "deactivate", "take a product off sale (coordinator PIN)")
    sp.add_argument("plu")
    sp.add_argument("--pin", required=True)
    sp = leaf(group, "history", "a product's prices, oldest first")
    sp.add_argument("plu")

    p = add("people", cmd_people, "operators and coordinators", with_json=False)
    group = sub(p, "people_cmd")
    leaf(group, "list", "everyone, with role and lock-out")
    sp = leaf(group, "add", "add a person (coordinator PIN)")
    sp.add_argument("name")
    sp.add_argument("--role", default="operator", choices=people.ROLES)
    sp.add_argument("--new-pin", required=True, help="their 4-8 digit PIN")
    sp.add_argument("--pin", required=True)
    for name in ("deactivate", "activate"):
        sp = leaf(group, name, f"{name} a person (coordinator PIN)")
        sp.add_argument("name")
        sp.add_argument("--pin", required=True)
    sp = leaf(group, "reset-pin", "give a person a new PIN (coordinator PIN)")
    sp.add_argument("name")
    sp.add_argument("--new-pin", required=True)
    sp.add_argument("--pin", required=True)
    sp = leaf(group, "role", "make a person an operator or a coordinator (coordinator PIN)")
    sp.add_argument("name")
    sp.add_argument("role", choices=people.ROLES)
    sp.add_argument("--pin", required=True)

    p = add("audit", cmd_audit, "the audit trail of sensitive actions", with_json=False)
    group = sub(p, "audit_cmd")
    sp = leaf(group, "list", "newest first")
    sp.add_argument("--action", choices=audit.AUDIT_ACTIONS)
    sp.add_argument("--operator")
    sp.add_argument("--limit", type=int, default=500)
