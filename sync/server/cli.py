"""`county-server` command line. Exit 0 on success, 2 on bad input (one line on stderr), 1 else.

    county-server serve [--db URL] [--host 127.0.0.1] [--port 8800] [--workers N]
    county-server add-device --booth-code CODE --town TOWN [--name NAME]
    county-server revoke-device ID
    county-server list-devices
    county-server catalog import FILE.csv [--town TOWN | --booth CODE]
    county-server report --town TOWN --date YYYY-MM-DD [--json | --csv FILE]

The database is ``--db URL`` (``postgresql+psycopg://user@host/db`` for several workers), else
``$COUNTY_SERVER_DB``, else a SQLite file in ``--data-dir`` / ``$COUNTY_SERVER_DATA_DIR`` / the
user data folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from booth_pos.domain.errors import BadInput
from sync.server import devices
from sync.server.catalog import import_catalog_csv
from sync.server.db import (
    ENV_DB,
    ENV_MAX_BODY,
    ENV_MAX_COMPRESSED,
    ENV_MAX_ITEMS,
    database_url,
    open_database,
)
from sync.server.town import ENV_ADMIN_TOKEN, report_csv, report_text, town_report

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--db", help="database URL (default: SQLite in the data folder)")
    common.add_argument("--data-dir", help="folder for the default SQLite database")
    common.add_argument("--json", action="store_true", help="machine-readable output")

    parser = _Parser(prog="county-server", description="The county's sync server.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8800)
    p.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL)")
    p.add_argument("--max-batch-items", type=int, help="items per batch before 413")
    p.add_argument("--max-compressed-bytes", type=int, help="request body as sent, before 413")
    p.add_argument("--max-body-bytes", type=int, help="request body decompressed, before 413")
    p.add_argument("--log-level", default="info")
    p.add_argument("--no-access-log", action="store_true")
    p.add_argument(
        "--admin-token-file",
        help=f"file holding the county admin token for /api/v1/reports (else ${ENV_ADMIN_TOKEN})",
    )

    p = sub.add_parser("add-device", parents=[common], help="add a till; prints id and token")
    p.add_argument("--booth-code", required=True)
    p.add_argument("--town", required=True)
    p.add_argument("--name", default="", help="the booth's name, shown on receipt pages")

    p = sub.add_parser("revoke-device", parents=[common], help="refuse a device from now on")
    p.add_argument("device_id")

    sub.add_parser("list-devices", parents=[common], help="devices and their state")

    p = sub.add_parser("catalog", help="catalogues for the booths")
    csub = p.add_subparsers(dest="catalog_cmd", required=True, parser_class=_Parser)
    cp = csub.add_parser("import", parents=[common], help="import a catalogue CSV")
    cp.add_argument("file")
    scope = cp.add_mutually_exclusive_group()
    scope.add_argument("--town", help="only for the booths of this town")
    scope.add_argument("--booth", help="only for this booth code")
    _add_report_parser(sub, common)
    return parser


def _add_report_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="a town's day, from the booths' Z reports")
    p.add_argument("--town", required=True)
    p.add_argument("--date", required=True, help="the day, YYYY-MM-DD")
    p.add_argument("--csv", metavar="FILE", help="write CSV (UTF-8 with BOM) to FILE")


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    url = database_url(args.db, args.data_dir)
    open_database(url).dispose()  # migrate once, before any worker starts
    os.environ[ENV_DB] = url
    if args.admin_token_file:
        token = Path(args.admin_token_file).read_text(encoding="utf-8").strip()
        if not token:
            raise ValueError(f"{args.admin_token_file} holds no admin token")
        os.environ[ENV_ADMIN_TOKEN] = token
    for env, value in (
        (ENV_MAX_ITEMS, args.max_batch_items),
        (ENV_MAX_COMPRESSED, args.max_compressed_bytes),
        (ENV_MAX_BODY, args.max_body_bytes),
    ):
        if value is not None:
            os.environ[env] = str(value)
    uvicorn.run(
        "sync.server.app:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=not args.no_access_log,
        server_header=False,
    )
    return EXIT_OK


def cmd_add_device(args: argparse.Namespace) -> int:
    engine = open_database(database_url(args.db, args.data_dir))
    try:
        device_id, token = devices.add_device(engine, args.booth_code, args.town, args.name)
    finally:
        engine.dispose()
    _emit(
        args,
        {"device_id": device_id, "token": token},
        f"device id: {device_id}\ntoken:     {token}\n"
        "The token is shown only this once and cannot be recovered. At the booth run:\n"
        f"  booth-pos enroll --server URL --device-id {device_id} --token TOKEN",
    )
    return EXIT_OK


def cmd_revoke_device(args: argparse.Namespace) -> int:
    engine = open_database(database_url(args.db, args.data_dir))
    try:
        devices.revoke_device(engine, args.device_id)
    finally:
        engine.dispose()
    _emit(args, {"revoked": args.device_id}, f"device {args.device_id} revoked")
    return EXIT_OK


def cmd_list_devices(args: argparse.Namespace) -> int:
    engine = open_database(database_url(args.db, args.data_dir))
    try:
        rows = devices.list_devices(engine)
    finally:
        engine.dispose()
    human = "\n".join(
        f"{r['id']}  {r['booth_code']:<12} {r['town']}  {r['name']}"
        f"{'  REVOKED' if r['revoked_at'] else ''}"
        f"{'  enrolled' if r['till_id'] else '  not enrolled'}"
        for r in rows
    )
    _emit(args, rows, human or "no devices")
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    engine = open_database(database_url(args.db, args.data_dir))
    try:
        row = import_catalog_csv(engine, Path(args.file), town=args.town, booth=args.booth)
    finally:
        engine.dispose()
    count = len(json.loads(row.snapshot)["products"])
    _emit(
        args,
        {"version": row.version, "scope": row.scope, "etag": row.etag, "products": count},
        f"catalogue version {row.version} ({row.scope}): {count} products",
    )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    day = dt.date.fromisoformat(args.date)
    engine = open_database(database_url(args.db, args.data_dir))
    try:
        with engine.connect() as conn:
            report = town_report(conn, args.town.strip(), day)
    finally:
        engine.dispose()
    if args.csv:
        Path(args.csv).write_bytes(report_csv(report).encode("utf-8"))
    _emit(args, report.to_json(), report_text(report))
    return EXIT_OK


HANDLERS = {
    "serve": cmd_serve,
    "add-device": cmd_add_device,
    "revoke-device": cmd_revoke_device,
    "list-devices": cmd_list_devices,
    "catalog": cmd_catalog,
    "report": cmd_report,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return HANDLERS[args.command](args)
    except (devices.DeviceError, ValueError) as exc:
        print(f"county-server: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BadInput as exc:
        print(f"county-server: {exc.message('en')}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        print(f"county-server: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
