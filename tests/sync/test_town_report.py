"""The town report on the county server equals the sum of its booths' Z reports after sync.

Two real booths of one town sell, close their days and sync to a real server process (a fresh
SQLite and a fresh PostgreSQL county each); the report (API and CLI), the household page a
statement's QR opens, and who may read the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine

from booth_pos.domain.cart import CartLine
from booth_pos.domain.money import format_yuan
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.domain.reports import DENOMINATIONS_FEN, CashCount, DayReport
from booth_pos.services import booth, dayend, demo, sales, sync_client
from booth_pos.services.ledger import Ledger
from sync.server import devices
from tests.conftest import COORDINATOR_PIN
from tests.sync.fixtures import FAST
from tests.sync.support import (
    PG_URL_BASE,
    ServerProcess,
    county_engine,
    create_pg_database,
    drop_pg_database,
)
from tests.sync.test_server_cli import county_server

TOWN = "莲花镇"
ADMIN_TOKEN = "town-report-admin-token-0123456789abcdef"


@dataclass
class AdminCounty:
    server: ServerProcess
    engine: Engine
    db_url: str

    @property
    def url(self) -> str:
        return self.server.url

    def report(self, day: dt.date, token: str | None = ADMIN_TOKEN) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.get(
            f"{self.url}/api/v1/reports/town",
            params={"town": TOWN, "date": day.isoformat()},
            headers=headers,
            timeout=30,
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def admin_county(
    request: pytest.FixtureRequest, tmp_path: Path, county_logs: Path
) -> Iterator[AdminCounty]:
    """A county of its own (a fresh database), started with an admin token file."""
    token_file = tmp_path / "admin-token"
    token_file.write_text(ADMIN_TOKEN + "\n", encoding="utf-8")
    pg_name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'county' / 'county.sqlite'}"
    else:
        try:
            pg_name = create_pg_database()
        except RuntimeError as exc:
            pytest.fail(str(exc))
        url = f"{PG_URL_BASE}/{pg_name}"
    extra = ("--admin-token-file", str(token_file))
    server = ServerProcess(url, county_logs, extra=extra).start()
    engine = county_engine(url)
    try:
        yield AdminCounty(server, engine, url)
    finally:
        server.stop()
        engine.dispose()
        if pg_name is not None:
            drop_pg_database(pg_name)


def _count(fen: int) -> CashCount:
    """The cash box holding exactly `fen`, in the fewest pieces."""
    pieces: dict[int, int] = {}
    for denomination in DENOMINATIONS_FEN:
        pieces[denomination], fen = divmod(fen, denomination)
    assert fen == 0
    return CashCount.of(pieces)


def _enroll(ledger: Ledger, county: AdminCounty, code: str, name: str) -> None:
    device_id, token = devices.add_device(county.engine, code, TOWN, name)
    assert sync_client.enroll(ledger, county.url, device_id, token, options=FAST).confirmed


def _close_and_sync(ledger: Ledger) -> DayReport:
    x = ledger.read(dayend.x_report)
    z = ledger.write(
        dayend.close_day,
        COORDINATOR_PIN,
        None,
        _count(x.cash.expected_fen),
        x.mobile.recorded_fen,
    )
    sync_client.sync_once(ledger, FAST, force=True)
    assert ledger.read(sync_client.sync_status).unsynced == 0
    return z


def _two_booths_closed(ledger: Ledger, tmp_path: Path, county: AdminCounty) -> list[DayReport]:
    second = Ledger.open(tmp_path / "b2")
    try:
        second.write(lambda s: (booth.init_booth(s, "LX02", "荷塘月色摊", TOWN), demo.load_demo(s)))
        _enroll(ledger, county, "LX01", "后湖莲藕摊")
        _enroll(second, county, "LX02", "荷塘月色摊")
        ledger.write(dayend.set_commission, "H001", 500, COORDINATOR_PIN)
        second.write(dayend.set_commission, "H002", 300, COORDINATOR_PIN)
        cart = [
            CartLine.parse("101", "1.25kg"),
            CartLine.parse("201", "2"),
            CartLine.parse("301", "1"),
        ]
        ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.MOBILE, 13675)])
        ledger.write(
            sales.ring_up, [CartLine.parse("201", "1")], [TenderIn(TenderMethod.CASH, 5000)]
        )
        second.write(
            sales.ring_up, [CartLine.parse("101", "2kg")], [TenderIn(TenderMethod.CASH, 2000)]
        )
        second.write(
            sales.ring_up,
            [CartLine.parse("201", "1"), CartLine.parse("101", "3jin")],
            [TenderIn(TenderMethod.CASH, 10_000)],
        )
        voided = second.write(
            sales.ring_up, [CartLine.parse("301", "1")], [TenderIn(TenderMethod.CASH, 10_000)]
        )
        second.write(sales.void, voided.receipt_no, "wrong product", COORDINATOR_PIN)
        return [_close_and_sync(ledger), _close_and_sync(second)]
    finally:
        second.close()


def _expected(zs: list[DayReport]) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    totals = {
        name: sum(getattr(z, name) for z in zs)
        for name in ("gross_fen", "net_fen", "goods_fen", "commission_fen", "owed_fen",
                     "sales_count", "voids_count", "refunds_count")
    }  # fmt: skip
    households: dict[str, dict[str, int]] = {}
    for z in zs:
        for h in z.households:
            row = households.setdefault(
                h.code, {"owed_fen": 0, "commission_fen": 0, "goods_fen": 0}
            )
            row["owed_fen"] += h.owed_fen
            row["commission_fen"] += h.commission_fen
            row["goods_fen"] += h.goods_fen
    return totals, households


def test_the_town_report_is_the_sum_of_its_booths_z_reports(
    ledger: Ledger, tmp_path: Path, admin_county: AdminCounty
) -> None:
    zs = _two_booths_closed(ledger, tmp_path, admin_county)
    day = zs[0].day
    assert zs[1].day == day and zs[0].owed_fen and zs[1].voids_count == 1
    totals, households = _expected(zs)

    got = admin_county.report(day)
    assert got.status_code == 200, got.text
    report = got.json()
    assert (report["town"], report["day"], report["totals"]["booths"]) == (TOWN, day.isoformat(), 2)
    assert {k: report["totals"][k] for k in totals} == totals
    assert {
        h["code"]: {k: h[k] for k in ("owed_fen", "commission_fen", "goods_fen")}
        for h in report["households"]
    } == households
    by_booth = {b["booth_code"]: b for b in report["booths"]}
    for z in zs:
        row = by_booth[z.booth_code]
        assert (row["z_no"], row["gross_fen"], row["net_fen"], row["owed_fen"]) == (
            z.z_no, z.gross_fen, z.net_fen, z.owed_fen
        )  # fmt: skip
        assert row["tenders"] == {**dict.fromkeys(("cash", "mobile", "other"), 0),
                                  **{t.method: t.net_fen for t in z.tenders}}  # fmt: skip
    h001 = next(h for h in report["households"] if h["code"] == "H001")
    assert len(h001["booths"]) == 2  # 李桂兰's lotus roots sold at both booths

    # The admin's command line says the same, and writes a CSV a spreadsheet opens.
    csv_path = tmp_path / "town.csv"
    cli = county_server("report", "--db", admin_county.db_url, "--town", TOWN,
                        "--date", day.isoformat(), "--json", "--csv", str(csv_path))  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == report
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    total_row = next(r for r in rows if r["section"] == "total")
    assert total_row["owed"] == format_yuan(totals["owed_fen"])
    assert any(r["name"] == "李桂兰" for r in rows)

    # The QR on each household's slip opens its page: name and what it is owed that day.
    statement = next(s for s in ledger.read(dayend.statements, day) if s.household_code == "H001")
    assert statement.url is not None
    page = requests.get(statement.url, timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "李桂兰" in page.text
    assert f"￥{format_yuan(households['H001']['owed_fen'])}" in page.text
    assert f"￥{format_yuan(statement.owed_fen)}" in page.text  # this booth's line

    other_day = (day - dt.timedelta(days=3)).isoformat()
    none_yet = requests.get(f"{admin_county.url}/h/H001", params={"day": other_day}, timeout=30)
    assert none_yet.status_code == 404
    assert "No statement yet" in none_yet.text and "李桂兰" not in none_yet.text
    bad = requests.get(f"{admin_county.url}/h/H001", params={"day": "<b>x"}, timeout=30)
    assert bad.status_code == 400 and "<b>x" not in bad.text


def test_the_report_is_for_the_county_admin_only(admin_county: AdminCounty) -> None:
    day = dt.date(2026, 5, 1)
    device_id, device_token = devices.add_device(admin_county.engine, "LX09", TOWN, "")
    for token in (None, "wrong-token", device_token, ADMIN_TOKEN[:-1]):
        refused = admin_county.report(day, token)
        assert refused.status_code == 401, token
        assert refused.json()["error"] == "unauthorised"
        assert "Bearer" in refused.headers.get("WWW-Authenticate", "")
    empty = admin_county.report(day)
    assert empty.status_code == 200
    assert (empty.json()["booths"], empty.json()["totals"]["owed_fen"]) == ([], 0)
    bad_date = requests.get(
        f"{admin_county.url}/api/v1/reports/town",
        params={"town": TOWN, "date": "yesterday"},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=30,
    )
    assert bad_date.status_code == 400
    assert device_id


def test_a_server_without_an_admin_token_refuses_the_report(
    tmp_path: Path, county_logs: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'county.sqlite'}"
    server = ServerProcess(url, county_logs).start()
    try:
        got = requests.get(
            f"{server.url}/api/v1/reports/town",
            params={"town": TOWN, "date": "2026-05-01"},
            headers={"Authorization": "Bearer anything"},
            timeout=30,
        )
        assert got.status_code == 401
        assert "no admin token" in got.json()["detail"]
    finally:
        server.stop()
