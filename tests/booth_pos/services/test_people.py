"""People at the booth: add, deactivate, reset a PIN, roles; the last coordinator stays."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from booth_pos.domain.errors import BadInput
from booth_pos.services import audit, auth, people
from booth_pos.services.ledger import Ledger
from tests.conftest import COORDINATOR_PIN, OPERATOR_PIN
from tests.helpers import row_counts

PIN = COORDINATOR_PIN


def test_add_list_deactivate_reset_and_promote(ledger: Ledger) -> None:
    added = ledger.write(people.add_person, PIN, "王芳", "operator", "3333")
    assert added == people.PersonView("王芳", "operator", True, None)
    assert ledger.read(auth.log_in, "王芳", "3333").role == "operator"
    listed = {p.name: p for p in ledger.read(people.list_people)}
    assert set(listed) == {"张敏", "李娜", "赵磊", "王芳"}

    ledger.write(people.reset_pin, PIN, "王芳", "4444")
    assert ledger.read(auth.log_in, "王芳", "4444").name == "王芳"
    promoted = ledger.write(people.set_role, PIN, "王芳", "coordinator")
    assert promoted.role == "coordinator"
    assert ledger.read(auth.check_coordinator, "4444").name == "王芳"

    gone = ledger.write(people.set_active, PIN, "赵磊", False)
    assert not gone.active
    with pytest.raises(BadInput) as err:
        ledger.read(auth.log_in, "赵磊", "2222")
    assert err.value.code == "unknown_operator"
    assert ledger.write(people.set_active, PIN, "赵磊", True).active

    entries = ledger.read(audit.list_audit, "people_change")
    assert [e.details["change"] for e in reversed(entries)] == [
        "added",
        "pin_reset",
        "role",
        "deactivated",
        "activated",
    ]
    assert all("4444" not in str(e.details) and "3333" not in str(e.details) for e in entries)


def test_the_last_coordinator_cannot_be_deactivated_or_demoted(ledger: Ledger) -> None:
    before = row_counts(ledger.db_path)
    attempts: tuple[Callable[[], object], ...] = (
        lambda: ledger.write(people.set_active, PIN, "张敏", False),
        lambda: ledger.write(people.set_role, PIN, "张敏", "operator"),
    )
    for attempt in attempts:
        with pytest.raises(BadInput) as err:
            attempt()
        assert err.value.code == "last_coordinator"
    assert row_counts(ledger.db_path) == before
    # With a second coordinator, the first may step down.
    ledger.write(people.add_person, PIN, "王芳", "coordinator", "3333")
    assert not ledger.write(people.set_active, "3333", "张敏", False).active
    with pytest.raises(BadInput) as err:
        ledger.write(people.set_role, "3333", "王芳", "operator")
    assert err.value.code == "last_coordinator"


BAD: list[tuple[Callable[..., object], tuple[object, ...], str]] = [
    (people.add_person, (PIN, " ", "operator", "3333"), "empty_field"),
    (people.add_person, (PIN, "王芳", "boss", "3333"), "bad_role"),
    (people.add_person, (PIN, "王芳", "operator", "12"), "bad_pin"),
    (people.add_person, (PIN, "李娜", "operator", "3333"), "person_exists"),
    (people.add_person, (OPERATOR_PIN, "王芳", "operator", "3333"), "not_coordinator"),
    (people.set_active, (PIN, "无名", False), "unknown_person"),
    (people.reset_pin, (PIN, "李娜", "abcd"), "bad_pin"),
    (people.set_role, (PIN, "李娜", "boss"), "bad_role"),
]


@pytest.mark.parametrize(("action", "args", "code"), BAD, ids=[code for _, _, code in BAD])
def test_bad_people_input_writes_nothing(
    ledger: Ledger, action: Callable[..., object], args: tuple[object, ...], code: str
) -> None:
    before = row_counts(ledger.db_path)
    with pytest.raises(BadInput) as err:
        ledger.write(action, *args)
    assert err.value.code == code
    assert row_counts(ledger.db_path) == before
