"""Fuzzing the county API from its own OpenAPI spec (schemathesis strategies, hypothesis): whatever
arrives, the server answers with a status its spec documents, and never a 500. Run against the
PostgreSQL server, the stricter store (no NUL in text, 32-bit integers, bounded strings)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from sync.protocol import canonical_json, sha256_hex
from tests.sync.support import County, RawDevice, batch, item, raw_device, sale_doc

EXAMPLES = 40  # per operation and per kind of caller


def operations(county: County) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{county.url}/openapi.json")
    found = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the spec itself is valid
        found.append(result.ok())
    return found


def documented(case: Any, status: int) -> bool:
    responses = case.operation.definition.raw.get("responses", {})
    return str(status) in responses or "default" in responses


def fuzz(county: County, caller: RawDevice | None) -> None:
    ops = operations(county)
    assert {op.path for op in ops} >= {
        "/api/v1/devices/{device_id}/batches",
        "/api/v1/devices/{device_id}/sync-state",
        "/api/v1/catalog",
        "/r/{sale_id}",
    }
    failures: list[str] = []
    for operation in ops:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), real=st.integers(0, 3))
        def run(case: Any, real: int) -> None:
            if caller is not None and real:  # mostly a real device, sometimes a stranger
                ours = caller.headers()
                body = case.body
                if isinstance(body, dict) and isinstance(body.get("batch_id"), str):
                    ours["Idempotency-Key"] = body["batch_id"]
                    items = [i for i in body.get("items") or [] if isinstance(i, dict)]
                    seqs = [q for q in (i.get("seq") for i in items) if type(q) is int]
                    if real > 1 and seqs and len(seqs) == len(items):
                        body["first_seq"], body["last_seq"] = min(seqs), max(seqs)
                taken = {k.lower() for k in ours}
                kept = {k: v for k, v in (case.headers or {}).items() if k.lower() not in taken}
                case.headers = {**kept, **ours}
                if "device_id" in (case.path_parameters or {}):
                    case.path_parameters["device_id"] = caller.device_id
            response = case.call(base_url=county.url, timeout=30)
            if response.status_code >= 500 or not documented(case, response.status_code):
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:200]}"
                )

        run()
    assert failures == []


def test_anything_from_anyone_gets_a_documented_answer_never_a_500(pg_county: County) -> None:
    fuzz(pg_county, None)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_anything_from_an_enrolled_device_gets_a_documented_answer_never_a_500(
    pg_county: County, backend: str
) -> None:
    """With a valid token and protocol (and half the time the device's own path), generated
    bodies reach the batch logic itself."""
    fuzz(pg_county, raw_device(pg_county))


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["\x00", "x" * 300, "2026-13-40T25:61:00", "1e400", "-0", "北京" * 60]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=8,
)
EDGE_INTS = st.sampled_from([0, -1, 2**31 - 1, 2**31, 2**53, 10**30]) | st.integers()
EDGE_TEXT = st.sampled_from(["", "\x00", "a\x00b", "x" * 201, "x" * 5000, "北" * 201]) | st.text()
TEMPLATE = sale_doc("00000000-0000-4000-8000-000000000000", 1)
FIELDS = (
    [("sale", key) for key in TEMPLATE]
    + [("line", key) for key in TEMPLATE["lines"][0]]
    + [("tender", key) for key in TEMPLATE["tenders"][0]]
    + [("sale", "extra"), ("line", "household_code")]
)


@st.composite
def damage(draw: st.DrawFn) -> tuple[str, str, Any]:
    """A field and a bad value: an edge of its own type (huge numbers, NUL, overlong text,
    all of which must never reach the database) or any JSON at all."""
    where, key = draw(st.sampled_from(FIELDS))
    holder = {"sale": TEMPLATE, "line": TEMPLATE["lines"][0], "tender": TEMPLATE["tenders"][0]}
    current = holder[where].get(key)
    if type(current) is int:
        value = draw(EDGE_INTS | JSON)
    elif isinstance(current, str) or current is None:
        value = draw(EDGE_TEXT | JSON)
    else:
        value = draw(JSON)
    return where, key, value


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(changes=st.lists(damage(), min_size=1, max_size=3))
def _mutations(device: RawDevice, county: County, changes: list[tuple[str, str, Any]]) -> None:
    seq = device.state()["max_seq"] + 1
    original = sale_doc(device.till, seq)
    doc = json.loads(json.dumps(original))
    targets = {"sale": doc, "line": doc["lines"][0], "tender": doc["tenders"][0]}
    for where, key, value in changes:
        targets[where][key] = value
    # The envelope comes from the outbox's own columns, as at the booth; the hash covers the
    # damaged document (damaged before it was frozen).
    damaged = {**item(original), "doc": doc, "sha256": sha256_hex(canonical_json(doc))}
    body = batch([damaged, item(sale_doc(device.till, seq + 1))])
    response = device.post(body)
    assert response.status_code == 200, response.text[:300]
    results = response.json()["results"]
    assert results[1]["status"] == "accepted", results
    assert results[0]["status"] in ("accepted", "rejected", "conflict"), results


def test_mangled_documents_are_answered_per_item_and_never_break_the_batch(
    pg_county: County,
) -> None:
    """Start from a good sale, damage one to three fields in any way JSON allows: the batch
    still commits, the good sale beside it is accepted, the damaged one gets a status."""
    _mutations(raw_device(pg_county), pg_county)
