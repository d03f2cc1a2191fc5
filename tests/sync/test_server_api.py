"""The county server over real HTTP, on SQLite and on PostgreSQL: one transaction per batch,
every document at most once, replays, refusals and limits."""

from __future__ import annotations

import gzip
import json
import uuid

import requests

from tests.sync.support import County, RawDevice, batch, item, raw_device, sale_doc


def test_a_batch_is_taken_once_and_its_answer_replayed(county: County) -> None:
    device = raw_device(county)
    body = batch([item(sale_doc(device.till, seq)) for seq in (1, 2, 3)])
    first = device.post(body, gzipped=True)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert [r["status"] for r in answer["results"]] == ["accepted"] * 3
    assert answer["acked_through_seq"] == 3
    assert "Idempotent-Replayed" not in first.headers

    again = device.post(body)  # the same batch, this time without gzip
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == answer
    assert len(county.documents(device.till)) == 3


def test_the_same_batch_id_with_another_body_is_refused_and_changes_nothing(
    county: County,
) -> None:
    device = raw_device(county)
    body = batch([item(sale_doc(device.till, 1))])
    assert device.post(body).status_code == 200
    other = batch([item(sale_doc(device.till, 2))], batch_id=body["batch_id"])
    refused = device.post(other)
    assert refused.status_code == 422
    assert refused.json()["error"] == "batch_mismatch"
    assert [d["seq"] for d in county.documents(device.till)] == [1]


def test_a_sale_sent_in_a_second_batch_is_a_duplicate(county: County) -> None:
    device = raw_device(county)
    sale = item(sale_doc(device.till, 1))
    assert device.post(batch([sale])).json()["results"][0]["status"] == "accepted"
    second = device.post(batch([sale, item(sale_doc(device.till, 2))])).json()
    assert [r["status"] for r in second["results"]] == ["duplicate", "accepted"]
    assert len(county.documents(device.till)) == 2


def test_different_content_under_a_known_id_or_seq_is_a_quarantined_conflict(
    county: County,
) -> None:
    device = raw_device(county)
    original = sale_doc(device.till, 1, amount_fen=4500)
    assert device.post(batch([item(original)])).status_code == 200
    changed = {**sale_doc(device.till, 1, amount_fen=9900), "sale_id": original["sale_id"]}
    clash = sale_doc(device.till, 1)  # another sale claiming seq 1 (a cloned till)
    answer = device.post(batch([item(changed)])).json()
    assert answer["results"][0]["status"] == "conflict"
    answer = device.post(batch([item(clash)])).json()
    assert answer["results"][0]["status"] == "conflict"
    assert "seq 1" in answer["results"][0]["reason"]
    docs = county.documents(device.till)
    assert [(d["doc_id"], d["amount_fen"]) for d in docs] == [(original["sale_id"], 4500)]
    assert (
        county.count(
            "SELECT count(*) FROM quarantine WHERE device_id = :d AND status = 'conflict'",
            d=device.device_id,
        )
        == 2
    )


def test_one_bad_sale_in_a_hundred_is_rejected_with_its_reason_and_the_rest_taken(
    county: County,
) -> None:
    device = raw_device(county)
    docs = [sale_doc(device.till, seq) for seq in range(1, 101)]
    docs[41]["subtotal_fen"] += 1  # lines no longer add up
    answer = device.post(batch([item(d) for d in docs]))
    assert answer.status_code == 200
    results = answer.json()["results"]
    bad = [r for r in results if r["status"] != "accepted"]
    assert [(r["seq"], r["status"]) for r in bad] == [(42, "rejected")]
    assert "subtotal" in bad[0]["reason"]
    assert len(county.documents(device.till)) == 99
    assert answer.json()["acked_through_seq"] == 41
    assert device.state()["gaps"] == [[42, 42]]


def test_documents_from_another_till_or_booth_are_rejected(county: County) -> None:
    device = raw_device(county)
    foreign_till = sale_doc(str(uuid.uuid4()), 1)
    foreign_booth = sale_doc(device.till, 2, booth_code="QT99")
    damaged = item(sale_doc(device.till, 3))
    damaged["doc"]["total_fen"] = 1  # after hashing: damaged on the way
    results = device.post(batch([item(foreign_till), item(foreign_booth), damaged])).json()[
        "results"
    ]
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert "another till" in results[0]["reason"]
    assert "booth QT99" in results[1]["reason"]
    assert "sha256" in results[2]["reason"]
    assert county.documents(device.till) == []


def test_tokens_wrong_foreign_or_revoked_are_refused_and_change_nothing(county: County) -> None:
    alice = raw_device(county)
    bob = raw_device(county)
    body = batch([item(sale_doc(bob.till, 1))])
    no_token = requests.post(
        f"{county.url}/api/v1/devices/{bob.device_id}/batches",
        json=body,
        headers={"X-Sync-Protocol": "1", "Idempotency-Key": body["batch_id"]},
        timeout=30,
    )
    assert no_token.status_code == 401
    wrong = RawDevice(county.url, bob.device_id, "x" * 43, till=bob.till).post(body)
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"] == "Bearer"
    alices_token_on_bobs_path = RawDevice(county.url, bob.device_id, alice.token).post(body)
    assert alices_token_on_bobs_path.status_code == 403
    county.revoke(bob.device_id)
    revoked = bob.post(body)
    assert revoked.status_code == 403
    assert bob.enroll().status_code == 403
    assert county.documents(bob.till) == []
    assert county.count("SELECT count(*) FROM batches WHERE device_id = :d", d=bob.device_id) == 0


def test_unsupported_protocol_versions_get_426(county: County) -> None:
    device = raw_device(county)
    body = batch([item(sale_doc(device.till, 1))])
    assert device.post(body, headers={"X-Sync-Protocol": "2"}).status_code == 426
    missing = requests.post(
        f"{county.url}/api/v1/devices/{device.device_id}/batches",
        json=body,
        headers={"Authorization": f"Bearer {device.token}", "Idempotency-Key": body["batch_id"]},
        timeout=30,
    )
    assert missing.status_code == 426
    assert missing.json()["error"] == "protocol_unsupported"
    assert county.documents(device.till) == []


def test_oversized_or_malformed_bodies_get_4xx_with_reasons_never_500(county: County) -> None:
    device = raw_device(county)
    too_many = batch([item(sale_doc(device.till, seq)) for seq in range(1, 502)])
    assert device.post(too_many, gzipped=True).status_code == 413
    bomb = gzip.compress(b"[" + b" " * (11 * 1024 * 1024) + b"]")
    assert device.post(bomb, gzipped=False, headers={"Content-Encoding": "gzip"}).status_code == 413
    assert device.post(b"x" * (1024 * 1024 + 1)).status_code == 413
    assert (
        device.post(b"\x1f\x8b not gzip", headers={"Content-Encoding": "gzip"}).status_code == 400
    )
    assert device.post(b"{}", headers={"Content-Encoding": "br"}).status_code == 415
    broken = device.post(b'{"batch_id": ', headers={"Idempotency-Key": str(uuid.uuid4())})
    assert broken.status_code == 400
    shapeless = device.post({"batch_id": str(uuid.uuid4()), "items": "many"})
    assert shapeless.status_code == 400
    assert shapeless.json()["reasons"], shapeless.text
    mismatched = batch([item(sale_doc(device.till, 1))])
    wrong_key = device.post(mismatched, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert wrong_key.status_code == 400
    assert county.documents(device.till) == []


def test_sync_state_reports_what_the_server_holds(county: County) -> None:
    device = raw_device(county)
    assert device.state()["acked_through_seq"] == 0
    body = batch([item(sale_doc(device.till, seq)) for seq in (1, 2, 5, 6, 9)])
    assert device.post(body).status_code == 200
    state = device.state()
    assert state["acked_through_seq"] == 2
    assert state["max_seq"] == 9
    assert state["document_count"] == 5
    assert state["gaps"] == [[3, 4], [7, 8]]
    assert state["protocol_versions"] == [1]
    assert state["till_id"] == device.till
    assert state["receipt_key_set"] is True


def test_a_device_cannot_be_enrolled_by_a_second_till_or_for_another_booth(
    county: County,
) -> None:
    device = raw_device(county)
    assert device.enroll().status_code == 200  # the same till again: fine
    other_till = RawDevice(county.url, device.device_id, device.token)
    assert other_till.enroll().status_code == 409
    device_id, token = county.add_device("QT01")
    wrong_booth = RawDevice(county.url, device_id, token, booth_code="LX01")
    refused = wrong_booth.enroll()
    assert refused.status_code == 409
    assert "QT01" in refused.json()["detail"]


def test_the_token_is_stored_only_as_a_hash(county: County) -> None:
    device = raw_device(county)
    with county.engine.connect() as conn:
        from sqlalchemy import text

        rows = conn.execute(text("SELECT * FROM devices WHERE id = :d"), {"d": device.device_id})
        stored = json.dumps([list(map(str, row)) for row in rows])
    assert device.token not in stored


def test_openapi_describes_the_api(county: County) -> None:
    spec = requests.get(f"{county.url}/openapi.json", timeout=30).json()
    paths = spec["paths"]
    batches = paths["/api/v1/devices/{device_id}/batches"]["post"]
    assert {"200", "401", "403", "413", "422", "426"} <= set(batches["responses"])
    assert "BatchRequest" in json.dumps(batches["requestBody"])
    assert "/api/v1/devices/{device_id}/sync-state" in paths
    assert "/api/v1/catalog" in paths
    assert "/r/{sale_id}" in paths
