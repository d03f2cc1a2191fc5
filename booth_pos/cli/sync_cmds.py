"""`booth-pos enroll` and `booth-pos sync`: the county server from the command line."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from booth_pos.domain.errors import BadInput
from booth_pos.services.ledger import Ledger

if TYPE_CHECKING:  # imported when a command runs: pydantic and requests slow every start-up
    from booth_pos.services import sync_client

EXIT_OK, EXIT_FAILURE = 0, 1

Handler = Callable[[Ledger, argparse.Namespace], int]
AddCommand = Callable[..., argparse.ArgumentParser]


def _lang(args: argparse.Namespace) -> str:
    return str(getattr(args, "lang", None) or "zh")


def _print(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human)


def cmd_enroll(ledger: Ledger, args: argparse.Namespace) -> int:
    from booth_pos.services import sync_client

    result = sync_client.enroll(
        ledger,
        args.server,
        args.device_id,
        args.token,
        ca_file=args.ca_file,
        allow_http=args.allow_http,
    )
    if result.confirmed:
        human = f"enrolled with {result.server_url} as device {result.device_id}"
    else:
        human = (
            f"stored: {result.server_url}, device {result.device_id}; the server did not answer "
            f"({result.detail}), so it will be confirmed at the next sync"
        )
    _print(args, {"server": result.server_url, "device_id": result.device_id,
                  "confirmed": result.confirmed, "detail": result.detail}, human)  # fmt: skip
    return EXIT_OK


def _status_text(status: sync_client.SyncStatus, lang: str) -> str:
    rows = [
        f"server {status.server_url} ({'online' if status.online else 'offline'})",
        f"unsynced {status.unsynced}, rejected {status.rejected}",
        f"last success {status.last_success_at or '-'}",
    ]
    if status.last_error:
        rows.append(f"last error {status.error_text(lang)} ({status.last_error_detail})")
    if status.halted:
        rows.append(f"stopped: {status.halted}")
    if status.next_attempt_at:
        rows.append(f"next try after {status.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC")
    if status.clock_off:
        rows.append(f"this till's clock is off by {status.clock_skew_s} s")
    for item in status.rejected_items:
        rows.append(
            f"  {item.state.upper()} #{item.seq} {item.kind} {item.receipt_no}: {item.reason}"
        )
    return "\n".join(rows)


def cmd_sync(ledger: Ledger, args: argparse.Namespace) -> int:
    from booth_pos.services import sync_client

    requeued = 0
    if args.retry_rejected:
        if not args.pin:
            raise BadInput("not_coordinator")
        requeued = ledger.write(sync_client.requeue_rejected, args.pin)
    report = sync_client.sync_once(ledger, force=True)
    status = ledger.read(sync_client.sync_status)
    lang = _lang(args)
    if report.busy:
        head = "another sync is running for this till; nothing done"
    elif report.error:
        head = f"sync stopped: {status.error_text(lang) or report.error} ({report.detail})"
    else:
        head = (
            f"sent {report.sent_batches} batches: {report.accepted} accepted, "
            f"{report.duplicate} already there, {report.rejected} rejected, "
            f"{report.conflict} in conflict"
        )
        if report.catalog_version is not None:
            head += f"; catalogue version {report.catalog_version} applied"
    data = {"pass": report.to_json(), "status": status.to_json(), "requeued": requeued}
    _print(args, data, f"{head}\n{_status_text(status, lang)}")
    return EXIT_FAILURE if report.error or report.busy else EXIT_OK


def add_commands(add: AddCommand) -> None:
    """Register the sync subcommands with `booth-pos`'s parser (`add` is its helper)."""
    p = add("enroll", cmd_enroll, "enroll this till with the county server")
    p.add_argument("--server", required=True, help="e.g. https://county.example.cn")
    p.add_argument("--device-id", required=True, help="from county-server add-device")
    p.add_argument("--token", required=True, help="from county-server add-device")
    p.add_argument("--ca-file", help="the county's CA certificate (PEM), if it has its own")
    p.add_argument(
        "--allow-http", action="store_true", help="plain http on a trusted LAN (not advised)"
    )
    p = add("sync", cmd_sync, "send unsynced sales to the county now (one pass)")
    p.add_argument(
        "--retry-rejected",
        action="store_true",
        help="queue rejected documents again first (coordinator PIN)",
    )
    p.add_argument("--pin", help="coordinator PIN for --retry-rejected")
