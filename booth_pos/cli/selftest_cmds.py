"""`booth-pos selftest`: check this installation end to end in a temporary folder.

It never opens the booth's own ledger (`main` runs it before opening one), nor writes to
the booth's log; it names that log file, for whoever reads the output next. Exit 0 only when
every check passed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

EXIT_OK, EXIT_FAILURE = 0, 1

AddCommand = Callable[..., argparse.ArgumentParser]


def _not_called(*_: object) -> int:  # pragma: no cover - main() runs cmd_selftest instead
    raise RuntimeError("selftest runs without the booth's ledger")


def cmd_selftest(args: argparse.Namespace, log: Path) -> int:
    """Run the checks; the output names `log`, the booth's log file (booth_pos.logs.log_file)."""
    from booth_pos.services import selftest

    as_json = bool(getattr(args, "json", False))
    if not as_json:
        print(f"log: {log}", flush=True)

    def show(check: selftest.Check) -> None:
        if not as_json:
            print(check.line(), flush=True)

    try:
        from booth_pos.ui.selftest_qt import QT_CHECK
    except ImportError as exc:  # Qt itself missing: report it as the failed check it is
        message = f"Qt does not import: {exc}"

        def broken(_ctx: object) -> str:
            raise selftest.CheckFailed(message)

        extra: tuple[tuple[str, selftest.Step, tuple[str, ...]], ...] = (("qt", broken, ()),)
    else:
        extra = QT_CHECK
    report = selftest.run_selftest(show, extra=extra)
    if as_json:
        print(json.dumps({**report.to_json(), "log": str(log)}, ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return EXIT_OK if report.ok else EXIT_FAILURE


def add_commands(add: AddCommand) -> None:
    """Register `selftest` with `booth-pos`'s parser (`add` is its helper)."""
    add(
        "selftest",
        _not_called,
        "check this installation: ledger, sale, receipt bytes, QR, Qt (in a temporary folder)",
    )
