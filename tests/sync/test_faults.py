"""Whole-system faults: a booth killed mid-upload, a server killed mid-batch, a flaky link over
5,000 sales, and several server worker processes on PostgreSQL. The ledger invariant is
checked after each: every sale the booth committed is on the server exactly once."""

from __future__ import annotations

import concurrent.futures
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import sales, sync_client
from booth_pos.services.ledger import Ledger
from tests.sync.fixtures import FAST
from tests.sync.support import (
    County,
    FaultProxy,
    ServerProcess,
    assert_ledger_on_server,
    batch,
    clone_sales,
    county_engine,
    item,
    outbox_states,
    raw_device,
    sale_doc,
    till_id,
)

SEED = int(os.environ.get("BOOTH_POS_SYNC_SEED", "20261129"))


def new_booth(folder: Path) -> Ledger:
    from booth_pos.services import booth, demo

    ledger = Ledger.open(folder)

    def setup(session: Session) -> None:
        booth.init_booth(session, "LX01", "后湖莲藕摊", "莲花镇")
        demo.load_demo(session)

    ledger.write(setup)
    return ledger


def backlog(ledger: Ledger, count: int) -> None:
    cart = [CartLine.parse("101", "1.25kg"), CartLine.parse("201", "1")]
    ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, 100_000)])
    clone_sales(ledger, count - 1)


@pytest.fixture(scope="module")
def pg_workers(pg_database: str, county_logs: Path) -> Iterator[County]:
    """The county on PostgreSQL with three server worker processes."""
    server = ServerProcess(pg_database, county_logs, workers=3).start()
    engine = county_engine(pg_database)
    yield County(server, engine, "postgresql, 3 workers")
    server.stop()
    engine.dispose()


def test_a_booth_killed_mid_upload_resends_and_nothing_is_counted_twice(
    ledger: Ledger, pg_county: County
) -> None:
    backlog(ledger, 2000)
    proxy = FaultProxy(pg_county.server.port).start()
    proxy.slow_s = 0.15  # each batch answer takes a moment: room to die mid-upload
    device_id, token = pg_county.add_device()
    sync_client.enroll(ledger, proxy.url, device_id, token, options=FAST)
    rng = random.Random(SEED)
    command = [sys.executable, "-m", "booth_pos", "--data-dir", str(ledger.data_dir), "sync"]
    died_unacknowledged = 0  # kills between the server's commit and the booth's marking
    till = till_id(ledger)
    try:
        for _round in range(6):
            before = proxy.forwarded_batches
            with subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            ) as child:
                deadline = time.monotonic() + 30
                while proxy.forwarded_batches == before and time.monotonic() < deadline:
                    time.sleep(0.01)  # until its first batch is on the wire
                time.sleep(rng.uniform(0.05, 0.4))
                child.send_signal(signal.SIGKILL)
                child.wait(30)
            if len(pg_county.documents(till)) > outbox_states(ledger).get("synced", 0):
                died_unacknowledged += 1
            # Nothing counted twice, nothing marked synced that the server lacks.
            assert_ledger_on_server(ledger, pg_county, drained=False)
        assert died_unacknowledged >= 1, "no kill landed between commit and acknowledgement"
        proxy.slow_s = 0
        report = sync_client.sync_once(ledger, FAST, force=True)
        assert report.error == ""
    finally:
        proxy.stop()
    assert_ledger_on_server(ledger, pg_county)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_server_killed_mid_batch_loses_nothing_and_takes_the_retry_once(
    ledger: Ledger, pg_database: str, county_logs: Path, tmp_path: Path, backend: str
) -> None:
    url = pg_database if backend == "postgresql" else f"sqlite:///{tmp_path / 'county.sqlite'}"
    server = ServerProcess(url, county_logs).start()
    engine = county_engine(url)
    county = County(server, engine, backend)
    proxy = FaultProxy(server.port).start()
    restarted: ServerProcess | None = None
    try:
        device_id, token = county.add_device()
        sync_client.enroll(ledger, proxy.url, device_id, token, options=FAST)
        backlog(ledger, 600)
        killed = threading.Event()

        def kill_on_third(number: int) -> None:
            if number == 3 and not killed.is_set():
                time.sleep(0.005)  # the server is inside the batch's transaction
                server.kill()
                killed.set()

        proxy.on_forward = kill_on_third
        report = sync_client.sync_once(ledger, FAST, force=True)
        assert killed.is_set()
        assert report.error == "sync_offline"
        assert outbox_states(ledger).get("synced") == 200  # two batches answered
        proxy.on_forward = None
        restarted = ServerProcess(url, county_logs, port=server.port).start()
        report = sync_client.sync_once(ledger, FAST, force=True)
        assert report.error == ""
        assert_ledger_on_server(ledger, county)
    finally:
        proxy.stop()
        server.stop()
        if restarted is not None:
            restarted.stop()
        engine.dispose()


def test_a_flaky_link_dropping_30_percent_of_requests_over_5000_sales(
    ledger: Ledger, pg_county: County
) -> None:
    backlog(ledger, 5000)
    proxy = FaultProxy(pg_county.server.port, seed=SEED).start()
    proxy.flaky = 0.3
    device_id, token = pg_county.add_device()
    sync_client.enroll(ledger, proxy.url, device_id, token, options=FAST)
    passes = 0
    try:
        while outbox_states(ledger).get("pending", 0) and passes < 300:
            sync_client.sync_once(ledger, FAST, force=True)
            passes += 1
    finally:
        proxy.stop()
    faults = Counter(e.fault for e in proxy.batch_posts())
    assert faults["drop_after"] > 5 and faults["drop_before"] > 5 and faults["status"] > 5
    assert_ledger_on_server(ledger, pg_county)
    assert len(pg_county.documents(till_id(ledger))) == 5000


@pytest.fixture(params=["sqlite", "postgresql", "postgresql, 3 workers"])
def any_county(request: pytest.FixtureRequest) -> County:
    names = {"sqlite": "sqlite_county", "postgresql": "pg_county"}
    found: County = request.getfixturevalue(names.get(request.param, "pg_workers"))
    return found


def test_the_same_batch_sent_eight_times_at_once_is_taken_once(any_county: County) -> None:
    device = raw_device(any_county)
    body = batch([item(sale_doc(device.till, seq)) for seq in range(1, 51)])
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: device.post(body), range(8)))
    assert [a.status_code for a in answers] == [200] * 8
    fresh = [a for a in answers if "Idempotent-Replayed" not in a.headers]
    assert len(fresh) == 1
    assert all(a.json() == fresh[0].json() for a in answers)
    assert len(any_county.documents(device.till)) == 50


def test_overlapping_batches_at_once_accept_each_sale_exactly_once(any_county: County) -> None:
    """Two upload workers on one device: different batch ids carrying the same sales."""
    device = raw_device(any_county)
    shared = [item(sale_doc(device.till, seq)) for seq in range(1, 61)]
    bodies = []
    for worker in range(6):
        own = [item(sale_doc(device.till, 100 + worker * 10 + n)) for n in range(5)]
        mine = shared[worker * 5 :] + shared[: worker * 5]  # every order, same sales
        bodies.append(batch(mine + own))
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(device.post, bodies))
    assert [a.status_code for a in answers] == [200] * 6
    statuses: dict[str, Counter[str]] = {}
    for answer in answers:
        for result in answer.json()["results"]:
            statuses.setdefault(result["doc_id"], Counter())[result["status"]] += 1
    for shared_item in shared:
        assert statuses[shared_item["doc_id"]] == Counter(accepted=1, duplicate=5)
    assert sum(c["accepted"] for c in statuses.values()) == 60 + 30
    assert len(any_county.documents(device.till)) == 90


def test_several_booths_at_once_through_three_workers_give_the_same_ledgers(
    pg_workers: County, tmp_path: Path
) -> None:
    ledgers = [new_booth(tmp_path / f"booth{n}") for n in range(4)]
    for ledger in ledgers:
        backlog(ledger, 300)
        device_id, token = pg_workers.add_device()
        sync_client.enroll(ledger, pg_workers.url, device_id, token, options=FAST)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        reports = list(
            pool.map(lambda booth: sync_client.sync_once(booth, FAST, force=True), ledgers)
        )
    assert [(r.error, r.accepted) for r in reports] == [("", 300)] * 4
    for ledger in ledgers:
        assert_ledger_on_server(ledger, pg_workers)
        ledger.close()
