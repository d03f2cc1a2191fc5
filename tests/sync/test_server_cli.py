"""`county-server` as the county's admin runs it: real child processes, real databases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import requests

from tests.sync.support import RawDevice, batch, item, running_server, sale_doc

CATALOGUE = """plu,name_zh,unit,price,household_code,household_name,household_kind
101,莲藕,jin,3.50,H001,李桂兰,poverty_registered
201,槐花蜜,item,45.00,H002,王建国家庭农场,family_farm
"""


def county_server(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "county-server"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_add_device_prints_an_id_and_a_token_once_and_revoke_refuses_it(
    tmp_path: Path, county_logs: Path
) -> None:
    data = ["--data-dir", str(tmp_path / "county")]
    added = county_server("add-device", *data, "--booth-code", "lx01", "--town", "莲花镇",
                          "--name", "后湖莲藕摊", "--json")  # fmt: skip
    assert added.returncode == 0, added.stderr
    device = json.loads(added.stdout)
    assert len(device["token"]) >= 43  # 256 bits, base64url
    listed = county_server("list-devices", *data)
    assert device["device_id"] in listed.stdout and "LX01" in listed.stdout
    assert device["token"] not in listed.stdout
    url = f"sqlite:///{tmp_path / 'county' / 'county.sqlite'}"
    with running_server(url, county_logs, access_log=True) as server:
        raw = RawDevice(server.url, device["device_id"], device["token"])
        assert raw.enroll().status_code == 200
        assert raw.post(batch([item(sale_doc(raw.till, 1))])).status_code == 200
        revoked = county_server("revoke-device", *data, device["device_id"])
        assert revoked.returncode == 0, revoked.stderr
        assert raw.post(batch([item(sale_doc(raw.till, 2))])).status_code == 403
    assert "REVOKED" in county_server("list-devices", *data).stdout
    log = server.log()
    assert "POST /api/v1/devices/" in log  # the access log is on, and the token is not in it
    assert device["token"] not in log


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "county")]
    bad_code = county_server("add-device", *data, "--booth-code", "L", "--town", "莲花镇")
    assert (bad_code.returncode, bad_code.stderr.count("\n")) == (2, 1)
    assert county_server("revoke-device", *data, "no-such-device").returncode == 2
    assert county_server("catalog", "import", *data, str(tmp_path / "none.csv")).returncode == 2
    assert county_server("frobnicate").returncode == 2


def test_catalog_import_is_served_with_a_version_and_etag(
    tmp_path: Path, pg_database: str, county_logs: Path
) -> None:
    csv_file = tmp_path / "catalogue.csv"
    csv_file.write_text("\ufeff" + CATALOGUE, encoding="utf-8")
    db = ["--db", pg_database]
    added = json.loads(
        county_server(
            "add-device", *db, "--booth-code", "CLI9", "--town", "镇CLI9", "--json"
        ).stdout
    )
    town = county_server("catalog", "import", *db, str(csv_file), "--town", "镇CLI9", "--json")
    assert town.returncode == 0, town.stderr
    version = json.loads(town.stdout)["version"]
    with running_server(pg_database, county_logs) as server:
        headers = {"Authorization": f"Bearer {added['token']}", "X-Sync-Protocol": "1"}
        got = requests.get(f"{server.url}/api/v1/catalog", headers=headers, timeout=30)
        assert got.status_code == 200
        snapshot = got.json()
        assert (snapshot["version"], snapshot["scope"]) == (version, "town:镇CLI9")
        assert {p["plu"]: p["price_fen"] for p in snapshot["products"]} == {"101": 350, "201": 4500}
        assert got.headers["ETag"] == snapshot["etag"]
        again = requests.get(
            f"{server.url}/api/v1/catalog",
            headers={**headers, "If-None-Match": snapshot["etag"]},
            timeout=30,
        )
        assert again.status_code == 304
        since = requests.get(
            f"{server.url}/api/v1/catalog", params={"since": version}, headers=headers, timeout=30
        )
        assert since.status_code == 304
        booth = county_server("catalog", "import", *db, str(csv_file), "--booth", "CLI9", "--json")
        newer = requests.get(
            f"{server.url}/api/v1/catalog", params={"since": version}, headers=headers, timeout=30
        )
        assert newer.status_code == 200
        assert newer.json()["version"] == json.loads(booth.stdout)["version"] > version
        assert newer.json()["scope"] == "booth:CLI9"
