"""The receipt page a customer's phone opens from the QR: real sale, real booth key, real server."""

from __future__ import annotations

import sqlite3
import uuid

import requests

from booth_pos.domain.cart import CartLine
from booth_pos.domain.pricing import TenderIn, TenderMethod
from booth_pos.printing.qrcode_url import receipt_code, receipt_url
from booth_pos.services import sales, sync_client
from booth_pos.services.ledger import Ledger
from tests.conftest import COORDINATOR_PIN
from tests.sync.fixtures import FAST
from tests.sync.support import County


def _key(ledger: Ledger) -> str:
    with sqlite3.connect(ledger.db_path) as conn:
        return str(conn.execute("SELECT receipt_key FROM devices").fetchone()[0])


def _enrolled_sale(ledger: Ledger, county: County) -> sales.SaleView:
    device_id, token = county.add_device(name="后湖莲藕摊")
    sync_client.enroll(ledger, county.url, device_id, token, options=FAST)
    cart = [CartLine.parse("101", "1.25kg"), CartLine.parse("201", "2"), CartLine.parse("301", "1")]
    sale = ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.MOBILE, 13675)])
    assert sync_client.sync_once(ledger, FAST, force=True).accepted == 1
    return sale


def test_the_qr_on_a_receipt_opens_what_was_bought_and_from_whom(
    ledger: Ledger, county: County
) -> None:
    sale = _enrolled_sale(ledger, county)
    url = receipt_url(ledger.read(sync_client.server_url) or "", sale.sale_id, _key(ledger))
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    for expected in ("后湖莲藕摊", sale.receipt_no, "莲藕", "槐花蜜", "烧鸡", "李桂兰", "136.75"):
        assert expected in html, expected
    assert "本单帮扶 3 户" in html
    assert "校验通过" in html


def test_a_wrong_code_is_not_shown_as_genuine(ledger: Ledger, county: County) -> None:
    sale = _enrolled_sale(ledger, county)
    forged = receipt_code("00" * 32, sale.sale_id)
    page = requests.get(f"{county.url}/r/{sale.sale_id}?k={forged}", timeout=30)
    assert page.status_code == 403
    assert "可能不是真的" in page.text
    assert "槐花蜜" not in page.text


def test_a_sale_not_yet_synced_says_not_yet_received(ledger: Ledger, county: County) -> None:
    cart = [CartLine.parse("201", "1")]
    sale = ledger.write(sales.ring_up, cart, [TenderIn(TenderMethod.CASH, 5000)])
    code = receipt_code(_key(ledger), sale.sale_id)
    page = requests.get(f"{county.url}/r/{sale.sale_id}?k={code}", timeout=30)
    assert page.status_code == 404
    assert "尚未收到" in page.text and "Not yet received" in page.text
    junk = requests.get(f"{county.url}/r/not-a-uuid?k=<script>", timeout=30)
    assert junk.status_code == 404
    assert "<script>" not in junk.text


def test_a_voided_sale_says_so(ledger: Ledger, county: County) -> None:
    sale = _enrolled_sale(ledger, county)
    ledger.write(sales.void, sale.receipt_no, "rung up twice", COORDINATOR_PIN)
    sync_client.sync_once(ledger, FAST, force=True)
    code = receipt_code(_key(ledger), sale.sale_id)
    page = requests.get(f"{county.url}/r/{sale.sale_id}?k={code.upper()}", timeout=30)
    assert page.status_code == 200
    assert "已作废" in page.text


def test_names_are_escaped(county: County) -> None:
    from tests.sync.support import batch, item, raw_device, sale_doc

    device = raw_device(county)
    doc = sale_doc(device.till, 1, household="<b>王</b>&<script>alert(1)</script>")
    assert device.post(batch([item(doc)])).json()["results"][0]["status"] == "accepted"
    code = receipt_code(device.receipt_key, doc["sale_id"])
    page = requests.get(f"{county.url}/r/{doc['sale_id']}?k={code}", timeout=30).text
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert uuid.UUID(doc["sale_id"])
