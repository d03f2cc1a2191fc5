"""Fixtures for the sync tests: real county servers (SQLite and PostgreSQL) in child processes,
a fault proxy, and booths enrolled with them. Used by tests/sync/ and by
tests/booth_pos/services/test_sync_client.py (which imports them)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from booth_pos.services import sync_client
from booth_pos.services.ledger import Ledger
from tests.sync.support import (
    PG_URL_BASE,
    County,
    FaultProxy,
    ServerProcess,
    county_engine,
    create_pg_database,
    drop_pg_database,
)

# Short timeouts so a dropped answer costs the test a second, not half a minute.
FAST = sync_client.SyncOptions(connect_timeout_s=2.0, read_timeout_s=5.0, connect_retries=0)


@pytest.fixture(scope="session")
def county_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("county-logs")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this run (dropped at the end). No PostgreSQL: fail."""
    try:
        name = create_pg_database()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield f"{PG_URL_BASE}/{name}"
    drop_pg_database(name)


@pytest.fixture(scope="session")
def pg_county(pg_database: str, county_logs: Path) -> Iterator[County]:
    server = ServerProcess(pg_database, county_logs).start()
    engine = county_engine(pg_database)
    yield County(server, engine, "postgresql")
    server.stop()
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_county(tmp_path_factory: pytest.TempPathFactory, county_logs: Path) -> Iterator[County]:
    url = f"sqlite:///{tmp_path_factory.mktemp('county-sqlite') / 'county.sqlite'}"
    server = ServerProcess(url, county_logs).start()
    engine = county_engine(url)
    yield County(server, engine, "sqlite")
    server.stop()
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def county(request: pytest.FixtureRequest) -> County:
    """The same test against the SQLite and the PostgreSQL server."""
    name = "sqlite_county" if request.param == "sqlite" else "pg_county"
    found: County = request.getfixturevalue(name)
    return found


@pytest.fixture
def proxy(pg_county: County) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(pg_county.server.port).start()
    yield fault_proxy
    fault_proxy.stop()


@dataclass
class Booth:
    ledger: Ledger
    county: County
    proxy: FaultProxy
    device_id: str
    token: str

    def sync(self, force: bool = True, **changes: object) -> sync_client.PassReport:
        options = FAST if not changes else sync_client.SyncOptions(**{**FAST.__dict__, **changes})
        return sync_client.sync_once(self.ledger, options, force=force)

    def status(self) -> sync_client.SyncStatus:
        return self.ledger.read(sync_client.sync_status)


@pytest.fixture
def enrolled(ledger: Ledger, pg_county: County, proxy: FaultProxy) -> Booth:
    """The demo booth LX01, enrolled (through the fault proxy) with the PostgreSQL county."""
    device_id, token = pg_county.add_device()
    result = sync_client.enroll(ledger, proxy.url, device_id, token, options=FAST)
    assert result.confirmed
    return Booth(ledger, pg_county, proxy, device_id, token)
