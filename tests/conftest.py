"""Shared fixtures: every test gets its own real SQLite ledger file in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy.orm import Session

from booth_pos.services import booth, demo
from booth_pos.services.ledger import Ledger

COORDINATOR_PIN = "8888"  # demo coordinator 张敏
OPERATOR_PIN = "1111"  # demo operator 李娜


def _setup_demo(session: Session) -> None:
    booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
    demo.load_demo(session)


@pytest.fixture
def empty_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """A migrated ledger with no booth set up yet."""
    ledger = Ledger.open(tmp_path / "data")
    yield ledger
    ledger.close()


@pytest.fixture
def ledger(empty_ledger: Ledger) -> Ledger:
    """The demo booth LX01 with the demo catalogue and people."""
    empty_ledger.write(_setup_demo)
    return empty_ledger
