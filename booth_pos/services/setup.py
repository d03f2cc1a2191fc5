"""First run: the booth, its coordinator and its first goods, in one transaction.

Everything is checked before or while it is written inside the caller's single write
transaction, so any BadInput (a bad booth code, a bad PIN, a bad CSV) leaves the ledger
exactly as empty as it was.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.services import auth, booth, catalog
from booth_pos.services import demo as demo_data
from booth_pos.store.models import Operator


def setup_booth(
    session: Session,
    code: str,
    name: str,
    town: str,
    coordinator_name: str,
    coordinator_pin: str,
    demo: bool,
    catalog_csv: Path | None,
) -> booth.BoothView:
    """Set up this booth and till. `demo` loads the demo goods and people; `catalog_csv`
    imports a catalogue file (after the demo goods, if both are asked for)."""
    view = booth.init_booth(session, code, name, town)
    if not coordinator_name.strip():
        raise BadInput("empty_field", field="coordinator name")
    auth.check_pin_format(coordinator_pin)
    rows = catalog.read_catalog_file(catalog_csv) if catalog_csv is not None else None
    if demo:
        demo_data.load_demo(session)
    _add_coordinator(session, coordinator_name, coordinator_pin)
    if rows is not None:
        households, products = rows
        catalog.import_catalog(session, households, products)
    return view


def _add_coordinator(session: Session, name: str, pin: str) -> auth.OperatorView:
    """The named coordinator with this PIN. A demo person of the same name becomes them:
    the person setting up the booth said who the coordinator is and what their PIN is."""
    existing = session.scalars(select(Operator).where(Operator.name == name.strip())).first()
    if existing is None:
        return auth.add_operator(session, name, auth.ROLE_COORDINATOR, pin)
    existing.role = auth.ROLE_COORDINATOR
    existing.pin_hash = auth.hash_pin(pin)
    existing.active = True
    session.flush()
    return auth.OperatorView(existing.id, existing.name, existing.role)
