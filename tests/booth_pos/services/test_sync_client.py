"""The booth's sync client against a real county server (PostgreSQL) through a fault proxy.

After every fault the ledger invariant is checked: every sale the booth committed is on the
server exactly once with the same content, counts and sums agree, and what the server would
not take stays at the booth with its reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.services import booth as booth_service
from booth_pos.services import catalog, demo, sales, sync_client
from booth_pos.services.ledger import Ledger
from sync.server.catalog import import_catalog_csv
from tests.conftest import COORDINATOR_PIN
from tests.sync import fixtures
from tests.sync.fixtures import FAST, Booth
from tests.sync.support import (
    County,
    Fault,
    FaultProxy,
    ServerProcess,
    assert_ledger_on_server,
    clone_sales,
    free_port,
    outbox_states,
    till_id,
)

DEADLINE_S = 30.0

# The sync tests' fixtures (real county servers on PostgreSQL, the fault proxy, an enrolled
# booth), shared with tests/sync/.
county_logs = fixtures.county_logs
pg_database = fixtures.pg_database
pg_county = fixtures.pg_county
proxy = fixtures.proxy
enrolled = fixtures.enrolled


def sell(ledger: Ledger, *items: str, cash_fen: int = 100_000) -> sales.SaleView:
    cart = [CartLine.parse(*(i.split("=") if "=" in i else (i, "1"))) for i in items]
    return ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, cash_fen)])


def sell_many(ledger: Ledger, count: int) -> None:
    sell(ledger, "101=1.25kg", "201")
    clone_sales(ledger, count - 1)


def wait_for(condition: Callable[[], bool], what: str, deadline_s: float = DEADLINE_S) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# ------------------------------------------------------------------------------------------
# Enrollment
# ------------------------------------------------------------------------------------------


def test_sales_voids_and_refunds_reach_the_county_once(enrolled: Booth) -> None:
    first = sell(enrolled.ledger, "101=1.25kg", "201")
    second = sell(enrolled.ledger, "301")
    sell(enrolled.ledger, "601=750g")
    enrolled.ledger.write(sales.void, second.receipt_no, "rung up twice", COORDINATOR_PIN)
    enrolled.ledger.write(sales.refund, first.receipt_no, "jar cracked", COORDINATOR_PIN, {2: 1})
    report = enrolled.sync()
    assert (report.error, report.accepted, report.sent_batches) == ("", 7, 1)
    assert_ledger_on_server(enrolled.ledger, enrolled.county)
    kinds = [d["kind"] for d in enrolled.county.documents(till_id(enrolled.ledger))]
    # The void and the refund each leave an audit entry, which travels too.
    assert kinds == ["sale", "sale", "sale", "void", "audit", "refund", "audit"]
    again = enrolled.sync()
    assert (again.sent_batches, again.error) == (0, "")
    status = enrolled.status()
    assert (status.online, status.unsynced, status.rejected) == (True, 0, 0)
    assert status.last_success_at is not None


def test_enroll_refuses_a_wrong_token_and_stores_nothing(ledger: Ledger, pg_county: County) -> None:
    device_id, _token = pg_county.add_device()
    with pytest.raises(BadInput) as refused:
        sync_client.enroll(ledger, pg_county.url, device_id, "W" * 43, options=FAST)
    assert refused.value.code == "sync_token_refused"
    assert ledger.read(sync_client.enrollment) is None
    with pytest.raises(BadInput) as not_enrolled:
        sync_client.sync_once(ledger, FAST)
    assert not_enrolled.value.code == "sync_not_enrolled"


def test_enroll_refuses_another_booths_device(ledger: Ledger, pg_county: County) -> None:
    device_id, token = pg_county.add_device("QT01", "石桥镇")
    with pytest.raises(BadInput) as refused:
        sync_client.enroll(ledger, pg_county.url, device_id, token, options=FAST)
    assert refused.value.code == "sync_enroll_conflict"
    assert "QT01" in refused.value.message("en")
    assert ledger.read(sync_client.enrollment) is None


@pytest.mark.parametrize("url", ["ftp://county", "http://county.example.cn", "https://"])
def test_enroll_refuses_bad_addresses(ledger: Ledger, url: str) -> None:
    with pytest.raises(BadInput) as refused:
        sync_client.enroll(ledger, url, "3f1e0c1e-0000-4000-8000-000000000000", "t" * 43)
    assert refused.value.code == "sync_bad_server_url"


def test_enroll_while_offline_is_kept_and_confirmed_at_the_first_sync(
    ledger: Ledger, pg_county: County, proxy: FaultProxy
) -> None:
    device_id, token = pg_county.add_device()
    proxy.down = True
    result = sync_client.enroll(ledger, proxy.url, device_id, token, options=FAST)
    assert result.confirmed is False
    sell(ledger, "201")
    proxy.down = False
    report = sync_client.sync_once(ledger, FAST, force=True)
    assert (report.error, report.accepted) == ("", 1)
    with pg_county.engine.connect() as conn:
        from sqlalchemy import text

        bound = conn.execute(
            text("SELECT till_id, receipt_key FROM devices WHERE id = :d"), {"d": device_id}
        ).one()
    assert bound.till_id == till_id(ledger)
    with sqlite3.connect(ledger.db_path) as local:
        assert bound.receipt_key == local.execute("SELECT receipt_key FROM devices").fetchone()[0]


# ------------------------------------------------------------------------------------------
# The fault matrix
# ------------------------------------------------------------------------------------------


def test_server_down_all_day_then_up_selling_goes_on_and_the_queue_drains(
    enrolled: Booth,
) -> None:
    enrolled.proxy.down = True
    for round_ in range(3):
        for _ in range(5):
            sell(enrolled.ledger, "201")
        report = enrolled.sync()
        assert report.error == "sync_offline"
        status = enrolled.status()
        assert (status.online, status.unsynced) == (False, 5 * (round_ + 1))
        assert status.error_text("en") == "cannot reach the county server; will retry"
        assert status.next_attempt_at is not None
    assert enrolled.county.documents(till_id(enrolled.ledger)) == []
    enrolled.proxy.down = False
    report = enrolled.sync()
    assert (report.error, report.accepted) == ("", 15)
    assert enrolled.status().online
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_a_500_before_commit_backs_off_then_the_batch_is_accepted_once(enrolled: Booth) -> None:
    for _ in range(3):
        sell(enrolled.ledger, "301")
    enrolled.proxy.inject(Fault("status", status=500))
    failed = enrolled.sync()
    assert failed.error == "sync_server_error"
    assert failed.waiting_until is not None
    assert enrolled.county.documents(till_id(enrolled.ledger)) == []
    # Back-off is kept in the database: a pass before it is over sends nothing.
    posts = len(enrolled.proxy.batch_posts())
    assert enrolled.sync(force=False).waiting_until == failed.waiting_until
    assert len(enrolled.proxy.batch_posts()) == posts
    report = enrolled.sync()
    assert (report.error, report.accepted) == ("", 3)
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_full_jitter_backoff_grows_and_stays_under_the_cap(enrolled: Booth) -> None:
    sell(enrolled.ledger, "301")
    enrolled.proxy.down = True
    delays = []
    for _ in range(12):
        started = sync_client.utcnow()
        report = enrolled.sync()
        assert report.waiting_until is not None
        delays.append((report.waiting_until - started).total_seconds())
    ceilings = [min(300.0, 2.0 * 2**n) for n in range(12)]
    assert all(0 <= d <= c + 1 for d, c in zip(delays, ceilings, strict=True)), delays
    assert max(delays[6:]) > 4.0  # it grew: full jitter below 2 s * 2^n
    with sqlite3.connect(enrolled.ledger.db_path) as conn:
        assert conn.execute("SELECT failures FROM sync_enrollment").fetchone()[0] == 12


def test_503_retry_after_is_honoured_and_capped(enrolled: Booth) -> None:
    sell(enrolled.ledger, "301")
    enrolled.proxy.inject(Fault("status", status=503, headers={"Retry-After": "120"}))
    before = sync_client.utcnow()
    report = enrolled.sync()
    assert report.error == "sync_server_busy"
    assert report.waiting_until is not None
    assert (report.waiting_until - before).total_seconds() >= 119
    posts = len(enrolled.proxy.batch_posts())
    assert enrolled.sync(force=False).waiting_until == report.waiting_until
    assert len(enrolled.proxy.batch_posts()) == posts
    enrolled.proxy.inject(Fault("status", status=503, headers={"Retry-After": "86400"}))
    capped = enrolled.sync()
    assert capped.waiting_until is not None
    assert (capped.waiting_until - sync_client.utcnow()).total_seconds() <= 600
    assert enrolled.status().unsynced == 1


def test_the_worker_waits_out_retry_after_before_sending_again(enrolled: Booth) -> None:
    for _ in range(2):
        sell(enrolled.ledger, "201")
    enrolled.proxy.inject(Fault("status", status=503, headers={"Retry-After": "1"}))
    seen: list[sync_client.SyncStatus] = []
    worker = sync_client.SyncWorker(enrolled.ledger, FAST, on_status=seen.append, idle_s=0.2)
    worker.start()
    try:
        wait_for(lambda: bool(seen) and seen[-1].unsynced == 0, "the worker to drain the queue")
    finally:
        assert worker.stop()
    posts = enrolled.proxy.batch_posts()
    assert [p.status for p in posts[:2]] == [503, 200]
    assert posts[1].at - posts[0].at >= 1.0
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_a_lost_acknowledgement_is_resent_and_counted_once(enrolled: Booth) -> None:
    for _ in range(4):
        sell(enrolled.ledger, "101=2jin")
    enrolled.proxy.inject(Fault("drop_after"))
    lost = enrolled.sync()
    assert lost.error == "sync_offline"
    assert len(enrolled.county.documents(till_id(enrolled.ledger))) == 4  # committed there
    assert enrolled.status().unsynced == 4  # but the booth never heard
    report = enrolled.sync()
    assert (report.error, report.accepted) == ("", 4)
    assert enrolled.proxy.batch_posts()[-1].replayed  # the same batch id: the stored answer
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_a_read_timeout_after_commit_is_resent_and_counted_once(enrolled: Booth) -> None:
    for _ in range(3):
        sell(enrolled.ledger, "201")
    enrolled.proxy.inject(Fault("delay_after", delay_s=2.5))
    timed_out = enrolled.sync(read_timeout_s=1.0)
    assert timed_out.error == "sync_timeout"
    report = enrolled.sync()
    assert (report.error, report.accepted) == ("", 3)
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_one_bad_sale_in_a_hundred_is_rejected_kept_and_listed(enrolled: Booth) -> None:
    sell_many(enrolled.ledger, 100)
    with sqlite3.connect(enrolled.ledger.db_path) as conn:
        seq, payload = conn.execute("SELECT seq, payload FROM outbox WHERE seq = 37").fetchone()
        doc = json.loads(payload)
        doc["total_fen"] += 100  # a corrupt document, still well-formed and hashed
        text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        conn.execute(
            "UPDATE outbox SET payload = ?, sha256 = ? WHERE seq = ?",
            (text, hashlib.sha256(text.encode()).hexdigest(), seq),
        )
    report = enrolled.sync()
    assert (report.accepted, report.rejected, report.error) == (99, 1, "")
    status = enrolled.status()
    assert (status.unsynced, status.rejected) == (0, 1)
    [rejected] = status.rejected_items
    assert (rejected.seq, rejected.kind, rejected.state) == (37, "sale", "rejected")
    assert rejected.receipt_no == "LX01-000037"
    assert "total" in rejected.reason
    posts = len(enrolled.proxy.batch_posts())
    assert enrolled.sync().sent_batches == 0  # never retried by itself
    assert len(enrolled.proxy.batch_posts()) == posts
    assert enrolled.ledger.write(sync_client.requeue_rejected, COORDINATOR_PIN) == 1
    again = enrolled.sync()
    assert (again.rejected, again.accepted) == (1, 0)
    assert outbox_states(enrolled.ledger) == {"synced": 99, "rejected": 1}
    assert_ledger_on_server(enrolled.ledger, enrolled.county, expect_rejected=1)


def test_revoked_device_stops_syncing_selling_goes_on_and_a_new_device_drains(
    enrolled: Booth,
) -> None:
    sell(enrolled.ledger, "201")
    assert enrolled.sync().accepted == 1
    enrolled.county.revoke(enrolled.device_id)
    sell(enrolled.ledger, "301")
    report = enrolled.sync()
    assert (report.error, report.halted) == ("sync_revoked", "revoked")
    sell(enrolled.ledger, "401")  # selling is not affected
    status = enrolled.status()
    assert (status.halted, status.unsynced, status.online) == ("revoked", 2, False)
    assert "revoked" in status.error_text("en")
    posts = len(enrolled.proxy.exchanges)
    assert enrolled.sync(force=False).halted == "revoked"  # the worker does not hammer
    assert len(enrolled.proxy.exchanges) == posts
    device_id, token = enrolled.county.add_device()
    sync_client.enroll(enrolled.ledger, enrolled.proxy.url, device_id, token, options=FAST)
    assert enrolled.sync(force=False).accepted == 2
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_an_unsupported_protocol_keeps_the_data_and_stops(enrolled: Booth) -> None:
    sell(enrolled.ledger, "201")
    enrolled.proxy.inject(
        Fault(
            "status",
            status=426,
            path_contains="/sync-state",
            body=b'{"error":"protocol_unsupported","detail":"speak 2","reasons":[]}',
        )
    )
    report = enrolled.sync()
    assert (report.error, report.halted) == ("sync_protocol", "protocol")
    assert enrolled.status().unsynced == 1
    assert enrolled.status().error_text("zh") == "县服务器需要新版本的收银软件，数据留在本机"


@pytest.mark.parametrize("offset", [dt.timedelta(hours=-1), dt.timedelta(days=1)])
def test_a_wrong_booth_clock_changes_nothing_but_is_flagged(
    enrolled: Booth, monkeypatch: pytest.MonkeyPatch, offset: dt.timedelta
) -> None:
    real = booth_service.now_utc

    def skewed() -> tuple[dt.datetime, int]:
        moment, minutes = real()
        return moment + offset, minutes

    monkeypatch.setattr(sales, "now_utc", skewed)
    for _ in range(3):
        sell(enrolled.ledger, "201")
    report = enrolled.sync(clock=lambda: sync_client.utcnow() + offset)
    assert (report.error, report.accepted) == ("", 3)
    status = enrolled.status()
    assert status.clock_skew_s is not None
    assert abs(status.clock_skew_s - offset.total_seconds()) < 60
    assert status.clock_off
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_documents_the_server_lost_are_sent_again(enrolled: Booth) -> None:
    for _ in range(6):
        sell(enrolled.ledger, "201")
    assert enrolled.sync().accepted == 6
    till = till_id(enrolled.ledger)
    with enrolled.county.engine.begin() as conn:  # the county restored an older backup
        from sqlalchemy import text

        lost = "SELECT doc_id FROM documents WHERE till_id = :t AND seq IN (2, 5, 6)"
        conn.execute(text(f"DELETE FROM sale_lines WHERE doc_id IN ({lost})"), {"t": till})
        conn.execute(text(f"DELETE FROM documents WHERE doc_id IN ({lost})"), {"t": till})
    report = enrolled.sync()
    assert (report.resent, report.accepted) == (3, 3)
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_two_uploaders_on_one_till_take_turns(enrolled: Booth) -> None:
    sell_many(enrolled.ledger, 150)
    results: list[sync_client.PassReport] = []

    def run() -> None:
        results.append(sync_client.sync_once(enrolled.ledger, FAST, force=True))

    threads = [threading.Thread(target=run) for _ in range(2)]
    with sync_client.upload_lock(enrolled.ledger.data_dir) as held:
        assert held
        run()  # while another uploader holds the lock: nothing happens
        assert results[-1].busy and not results[-1].attempted
    results.clear()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE_S)
    assert sum(r.accepted for r in results) == 150
    assert_ledger_on_server(enrolled.ledger, enrolled.county)


def test_status_before_enrollment_counts_the_queue(ledger: Ledger) -> None:
    sell(ledger, "201")
    status = ledger.read(sync_client.sync_status)
    assert (status.enrolled, status.online, status.unsynced) == (False, False, 1)
    assert status.error_text("en").startswith("this till is not enrolled")
    assert status.to_json()["unsynced"] == 1


def test_the_worker_stops_promptly_and_survives_a_broken_callback(enrolled: Booth) -> None:
    calls: list[int] = []

    def broken(_status: sync_client.SyncStatus) -> None:
        calls.append(1)
        raise RuntimeError("a slot that raises")

    worker = sync_client.SyncWorker(enrolled.ledger, FAST, on_status=broken, idle_s=0.05)
    worker.start()
    try:
        wait_for(lambda: len(calls) >= 3, "three passes")
        assert worker.running
    finally:
        started = time.monotonic()
        assert worker.stop(timeout=10)
    assert time.monotonic() - started < 5
    assert not worker.running


# ------------------------------------------------------------------------------------------
# Limits and the catalogue (their own servers)
# ------------------------------------------------------------------------------------------


def test_a_413_splits_the_batch_until_the_server_takes_it(
    ledger: Ledger, pg_database: str, county_logs: Path, pg_county: County
) -> None:
    server = ServerProcess(pg_database, county_logs, extra=("--max-batch-items", "30")).start()
    try:
        device_id, token = pg_county.add_device()
        sync_client.enroll(ledger, server.url, device_id, token, options=FAST)
        sell_many(ledger, 100)
        report = sync_client.sync_once(ledger, FAST, force=True)
    finally:
        server.stop()
    assert (report.error, report.accepted) == ("", 100)
    assert report.split >= 4  # 100 → 50 + 50 → 4 × 25
    assert_ledger_on_server(ledger, pg_county)


CATALOGUE = """plu,name_zh,unit,price,household_code,household_name,household_kind,barcode,town
101,莲藕,jin,3.80,H001,李桂兰,poverty_registered,,莲花镇
201,槐花蜜,item,50.00,H002,王建国家庭农场,family_farm,6901234567892,石桥镇
777,新莲子,jin,20.00,H001,李桂兰,poverty_registered,,莲花镇
"""


def test_a_newer_catalogue_replaces_the_local_one_and_sales_keep_their_price(
    empty_ledger: Ledger, pg_county: County, tmp_path: Path
) -> None:
    ledger = empty_ledger

    def setup(session: Session) -> None:
        booth_service.init_booth(session, "CAT7", "目录测试摊", "莲花镇")
        demo.load_demo(session)

    ledger.write(setup)
    device_id, token = pg_county.add_device("CAT7")
    sync_client.enroll(ledger, pg_county.url, device_id, token, options=FAST)
    before = sell(ledger, "201")  # ¥45.00
    csv_file = tmp_path / "county.csv"
    csv_file.write_text(CATALOGUE, encoding="utf-8")
    version = import_catalog_csv(pg_county.engine, csv_file, booth="CAT7").version

    report = sync_client.sync_once(ledger, FAST, force=True)
    assert (report.error, report.catalog_version, report.accepted) == ("", version, 1)
    products = {p.plu: p for p in ledger.read(catalog.list_products)}
    assert products["201"].price_fen == 5000
    assert products["777"].active and products["777"].name_zh == "新莲子"
    assert not products["602"].active  # dropped by the county, kept for old sales
    after = sell(ledger, "201")
    assert (before.total_fen, after.total_fen) == (4500, 5000)
    assert sync_client.sync_once(ledger, FAST, force=True).catalog_version is None  # 304
    assert_ledger_on_server(ledger, pg_county)
    amounts = [d["amount_fen"] for d in pg_county.documents(till_id(ledger))]
    assert amounts == [4500, 5000]
    assert ledger.read(sync_client.sync_status).catalog_version == version


# ------------------------------------------------------------------------------------------
# The command line
# ------------------------------------------------------------------------------------------


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "booth_pos", "--data-dir", str(data_dir), "--lang", "en", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_cli_enroll_and_sync(ledger: Ledger, pg_county: County) -> None:
    folder = ledger.data_dir
    sell(ledger, "201")
    not_yet = run_cli(folder, "sync")
    assert not_yet.returncode == 2
    assert "not enrolled" in not_yet.stderr
    device_id, token = pg_county.add_device()
    wrong = run_cli(folder, "enroll", "--server", pg_county.url, "--device-id", device_id,
                    "--token", "z" * 43)  # fmt: skip
    assert wrong.returncode == 2
    assert "refused this token" in wrong.stderr
    done = run_cli(folder, "enroll", "--server", pg_county.url, "--device-id", device_id,
                   "--token", token)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert token not in done.stdout + done.stderr
    synced = run_cli(folder, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    data = json.loads(synced.stdout)
    assert (data["pass"]["accepted"], data["status"]["unsynced"]) == (1, 0)
    assert token not in synced.stdout
    assert_ledger_on_server(ledger, pg_county)


def test_the_server_port_closed_counts_as_offline(ledger: Ledger, pg_county: County) -> None:
    device_id, token = pg_county.add_device()
    closed = f"http://127.0.0.1:{free_port()}"
    assert not sync_client.enroll(ledger, closed, device_id, token, options=FAST).confirmed
    sell(ledger, "201")
    report = sync_client.sync_once(ledger, FAST, force=True)
    assert report.error == "sync_offline"
    assert ledger.read(sync_client.sync_status).unsynced == 1


def test_an_unenrolled_till_makes_no_pass_per_sale_until_enrolling_forces_one(
    ledger: Ledger,
) -> None:
    import time

    worker = sync_client.SyncWorker(ledger, idle_s=60)
    worker.start()
    try:
        deadline = time.monotonic() + 5
        while worker.passes < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker.passes == 1  # the start-up pass found no enrolment
        for _ in range(20):
            worker.kick()  # twenty sales
        time.sleep(0.3)
        assert worker.passes == 1
        worker.kick(force=True)  # Settings, after enrolling
        deadline = time.monotonic() + 5
        while worker.passes < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker.passes == 2
    finally:
        assert worker.stop()
