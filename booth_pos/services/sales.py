"""Ring up, void and refund. Each is one transaction; committed sales are never changed.

`ring_up` writes the sale, its lines, tenders, stock movements, print job and
outbox entry together, so a receipt can only exist for a committed sale and the
county can only ever be told about committed sales.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from booth_pos.domain.cart import CartLine
from booth_pos.domain.errors import BadInput
from booth_pos.domain.money import round_half_up_div
from booth_pos.domain.pricing import (
    RoundDown,
    TenderIn,
    TenderMethod,
    cart_totals,
    check_price,
    line_amount,
    settle,
)
from booth_pos.domain.quantity import PricingUnit
from booth_pos.services import audit
from booth_pos.services.auth import authorise_coordinator, find_operator
from booth_pos.services.booth import (
    now_utc,
    receipt_number,
    take_receipt,
    take_seq,
    this_device,
)
from booth_pos.services.days import check_open
from booth_pos.store.models import (
    Base,
    Device,
    OutboxEntry,
    PrintJob,
    Product,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    StockMovement,
    Tender,
    Void,
)


@dataclass(frozen=True)
class LineView:
    line_no: int
    plu: str
    name_zh: str
    name_en: str
    unit: str
    item_label_zh: str
    quantity: int
    unit_price_fen: int
    amount_fen: int
    household_name: str
    refunded_quantity: int
    list_price_fen: int | None = None  # the catalogue price, when a coordinator overrode it
    override_by: str | None = None


@dataclass(frozen=True)
class TenderView:
    method: str
    amount_fen: int
    change_fen: int


@dataclass(frozen=True)
class SaleView:
    sale_id: str
    receipt_no: str
    seq: int
    occurred_at: dt.datetime
    utc_offset_min: int
    operator_name: str
    subtotal_fen: int
    round_down: str
    round_down_fen: int
    total_fen: int
    paid_fen: int
    change_fen: int
    lines: tuple[LineView, ...]
    tenders: tuple[TenderView, ...]
    voided: bool
    refunded_fen: int

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["occurred_at"] = self.occurred_at.replace(tzinfo=dt.UTC).isoformat()
        return data


@dataclass(frozen=True)
class VoidView:
    void_id: str
    receipt_no: str
    seq: int
    amount_fen: int
    authorised_by: str


@dataclass(frozen=True)
class RefundView:
    refund_id: str
    refund_no: str
    receipt_no: str
    seq: int
    method: str
    amount_fen: int
    lines: tuple[tuple[int, int, int], ...]  # (line_no, quantity, amount_fen)
    authorised_by: str

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["lines"] = [{"line_no": n, "quantity": q, "amount_fen": a} for n, q, a in self.lines]
        return data


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def canonical_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _iso(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat()


def _enqueue(
    session: Session,
    device: Device,
    seq: int,
    kind: str,
    doc_id: str,
    body: dict[str, Any],
    at: dt.datetime,
) -> None:
    payload = canonical_json({"kind": kind, "seq": seq, "device_id": device.id, **body})
    session.connection().execute(
        insert(_table(OutboxEntry)),
        [
            {
                "device_id": device.id,
                "seq": seq,
                "doc_kind": kind,
                "doc_id": doc_id,
                "payload": payload,
                "sha256": hashlib.sha256(payload.encode()).hexdigest(),
                "state": "pending",
                "batch_id": None,
                "created_at": at,
            }
        ],
    )


def _resolve(session: Session, cart: Sequence[CartLine]) -> list[Product]:
    codes = {line.code for line in cart}
    found = session.scalars(
        select(Product)
        .where(or_(Product.plu.in_(codes), Product.barcode.in_(codes)))
        .options(joinedload(Product.household))
    ).all()
    by_plu = {p.plu: p for p in found}
    by_barcode = {p.barcode: p for p in found if p.barcode}
    products: list[Product] = []
    for line in cart:
        product = by_plu.get(line.code) or by_barcode.get(line.code)
        if product is None:
            raise BadInput("unknown_plu", plu=line.code)
        if not product.active:
            raise BadInput("inactive_product", plu=line.code)
        unit = PricingUnit(product.unit)
        text = line.entered or str(line.quantity)
        if unit.weighed and not line.quantity.weighed:
            raise BadInput("count_for_weighed", plu=line.code, text=text)
        if not unit.weighed and line.quantity.weighed:
            raise BadInput("weight_for_item", plu=line.code, text=text)
        products.append(product)
    return products


def ring_up(
    session: Session,
    cart: Sequence[CartLine],
    tenders: Sequence[TenderIn],
    operator: str | None = None,
    round_down: RoundDown = RoundDown.NONE,
    override_pin: str | None = None,
) -> SaleView:
    """Commit one paid sale. Raises BadInput, writing nothing, if anything is wrong.

    Lines with their own price need `override_pin`, a coordinator's PIN, checked here.
    """
    device = this_device(session)
    cashier = find_operator(session, operator)
    if not cart:
        raise BadInput("empty_cart")
    products = _resolve(session, cart)
    approver: str | None = None
    if any(line.price_fen is not None for line in cart):
        if override_pin is None:
            raise BadInput("not_coordinator")
        approver = authorise_coordinator(session, override_pin).name
    prices = []
    for product, line in zip(products, cart, strict=True):
        if line.price_fen is not None:
            check_price(line.price_fen)
        prices.append(product.price_fen if line.price_fen is None else line.price_fen)
    amounts = [
        line_amount(PricingUnit(p.unit), price, line.quantity)
        for p, price, line in zip(products, prices, cart, strict=True)
    ]
    totals = cart_totals(amounts, round_down)
    settlement = settle(totals.total_fen, tenders)

    at, offset = now_utc()
    check_open(session, at, offset)  # a closed day takes no more sales
    seq = take_seq(session, device)
    sale_id = str(uuid.uuid4())
    sale_row: dict[str, Any] = {
        "id": sale_id,
        "device_id": device.id,
        "seq": seq,
        "receipt_no": receipt_number(device.booth.code, take_receipt(session, device)),
        "occurred_at": at,
        "utc_offset_min": offset,
        "operator_id": cashier.id,
        "operator_name": cashier.name,
        "subtotal_fen": totals.subtotal_fen,
        "round_down": round_down.value,
        "round_down_fen": totals.round_down_fen,
        "total_fen": totals.total_fen,
        "paid_fen": settlement.paid_fen,
        "change_fen": settlement.change_fen,
    }
    line_rows: list[dict[str, Any]] = []
    movement_rows: list[dict[str, Any]] = []
    for line_no, (product, line, price, amount) in enumerate(
        zip(products, cart, prices, amounts, strict=True), start=1
    ):
        overridden = line.price_fen is not None
        household = product.household
        line_rows.append(
            {
                "sale_id": sale_id,
                "line_no": line_no,
                "product_id": product.id,
                "plu": product.plu,
                "name_zh": product.name_zh,
                "name_en": product.name_en,
                "unit": product.unit,
                "item_label_zh": product.item_label_zh,
                "unit_price_fen": price,
                "quantity": line.quantity.amount,
                "amount_fen": amount,
                "household_id": household.id,
                "household_name": household.name,
                "list_price_fen": product.price_fen if overridden else None,
                "override_by": approver if overridden else None,
            }
        )
        movement_rows.append(
            {
                "product_id": product.id,
                "household_id": household.id,
                "kind": "sale",
                "quantity": -line.quantity.amount,
                "occurred_at": at,
                "sale_id": sale_id,
                "refund_id": None,
                "void_id": None,
                "reason": "",
            }
        )
    tender_rows = [
        {
            "sale_id": sale_id,
            "method": t.method.value,
            "amount_fen": t.amount_fen,
            "change_fen": t.change_fen,
        }
        for t in settlement.tenders
    ]
    # Plain multi-row INSERTs: the ORM's per-object bookkeeping is most of a sale's cost.
    # Core table inserts on the session's connection: same transaction, no ORM bookkeeping.
    conn = session.connection()
    conn.execute(insert(_table(Sale)), [sale_row])
    conn.execute(insert(_table(SaleLine)), line_rows)
    conn.execute(insert(_table(Tender)), tender_rows)
    conn.execute(insert(_table(StockMovement)), movement_rows)
    conn.execute(
        insert(_table(PrintJob)),
        [
            {
                "doc_kind": "sale",
                "doc_id": sale_id,
                "reprint": False,
                "state": "pending",
                "attempts": 0,
                "last_error": "",
                "created_at": at,
                "payload": None,
            }
        ],
    )
    view = SaleView(
        sale_id=sale_id,
        receipt_no=sale_row["receipt_no"],
        seq=seq,
        occurred_at=at,
        utc_offset_min=offset,
        operator_name=cashier.name,
        subtotal_fen=totals.subtotal_fen,
        round_down=round_down.value,
        round_down_fen=totals.round_down_fen,
        total_fen=totals.total_fen,
        paid_fen=settlement.paid_fen,
        change_fen=settlement.change_fen,
        lines=tuple(
            LineView(
                line_no=r["line_no"],
                plu=r["plu"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                unit=r["unit"],
                item_label_zh=r["item_label_zh"],
                quantity=r["quantity"],
                unit_price_fen=r["unit_price_fen"],
                amount_fen=r["amount_fen"],
                household_name=r["household_name"],
                refunded_quantity=0,
                list_price_fen=r["list_price_fen"],
                override_by=r["override_by"],
            )
            for r in line_rows
        ),
        tenders=tuple(
            TenderView(t.method.value, t.amount_fen, t.change_fen) for t in settlement.tenders
        ),
        voided=False,
        refunded_fen=0,
    )
    _enqueue(session, device, seq, "sale", sale_id, _sale_body(view, device), at)
    if approver is not None or totals.round_down_fen:  # the audit trail, only when needed
        _audit_sale(session, view)
    return view


def _audit_sale(session: Session, view: SaleView) -> None:
    for line in view.lines:
        if line.override_by is not None:
            audit.record(
                session,
                "price_override",
                line.override_by,
                {
                    "receipt_no": view.receipt_no,
                    "line_no": line.line_no,
                    "plu": line.plu,
                    "list_price_fen": line.list_price_fen,
                    "price_fen": line.unit_price_fen,
                    "cashier": view.operator_name,
                },
            )
    if view.round_down_fen:
        audit.record(
            session,
            "round_down",
            view.operator_name,
            {
                "receipt_no": view.receipt_no,
                "rule": view.round_down,
                "subtotal_fen": view.subtotal_fen,
                "round_down_fen": view.round_down_fen,
            },
        )


def _sale_body(view: SaleView, device: Device) -> dict[str, Any]:
    body = view.to_json()
    for key in ("voided", "refunded_fen"):
        body.pop(key)
    for line in body["lines"]:
        line.pop("refunded_quantity")
    body["booth_code"] = device.booth.code
    return body


def _sale_view(sale: Sale, voided: bool, refunded: Mapping[int, tuple[int, int]]) -> SaleView:
    lines = tuple(
        LineView(
            line_no=line.line_no,
            plu=line.plu,
            name_zh=line.name_zh,
            name_en=line.name_en,
            unit=line.unit,
            item_label_zh=line.item_label_zh,
            quantity=line.quantity,
            unit_price_fen=line.unit_price_fen,
            amount_fen=line.amount_fen,
            household_name=line.household_name,
            refunded_quantity=refunded.get(line.id, (0, 0))[0],
            list_price_fen=line.list_price_fen,
            override_by=line.override_by,
        )
        for line in sale.lines
    )
    tenders = tuple(TenderView(t.method, t.amount_fen, t.change_fen) for t in sale.tenders)
    return SaleView(
        sale_id=sale.id,
        receipt_no=sale.receipt_no,
        seq=sale.seq,
        occurred_at=sale.occurred_at,
        utc_offset_min=sale.utc_offset_min,
        operator_name=sale.operator_name,
        subtotal_fen=sale.subtotal_fen,
        round_down=sale.round_down,
        round_down_fen=sale.round_down_fen,
        total_fen=sale.total_fen,
        paid_fen=sale.paid_fen,
        change_fen=sale.change_fen,
        lines=lines,
        tenders=tenders,
        voided=voided,
        refunded_fen=sum(amount for _, amount in refunded.values()),
    )


def _find_sale(session: Session, receipt_no: str) -> Sale:
    sale = session.scalars(
        select(Sale)
        .where(Sale.receipt_no == receipt_no.strip().upper())
        .options(selectinload(Sale.lines), selectinload(Sale.tenders))
    ).first()
    if sale is None:
        raise BadInput("unknown_receipt", receipt_no=receipt_no)
    return sale


def _refunded_by_line(session: Session, sale_id: str) -> dict[int, tuple[int, int]]:
    rows = session.execute(
        select(
            RefundLine.sale_line_id,
            func.sum(RefundLine.quantity),
            func.sum(RefundLine.amount_fen),
        )
        .join(Refund, Refund.id == RefundLine.refund_id)
        .where(Refund.sale_id == sale_id)
        .group_by(RefundLine.sale_line_id)
    ).all()
    return {line_id: (int(qty), int(amount)) for line_id, qty, amount in rows}


def _is_voided(session: Session, sale_id: str) -> bool:
    return session.scalar(select(Void.id).where(Void.sale_id == sale_id)) is not None


def show_sale(session: Session, receipt_no: str) -> SaleView:
    sale = _find_sale(session, receipt_no)
    return _sale_view(sale, _is_voided(session, sale.id), _refunded_by_line(session, sale.id))


def list_sales(
    session: Session,
    limit: int = 100,
    since: dt.datetime | None = None,
    search: str = "",
) -> list[SaleView]:
    """Newest first. `since` is naive UTC (local midnight, say); `search` finds receipt numbers."""
    query = select(Sale).order_by(Sale.seq.desc()).limit(limit)
    if since is not None:
        query = query.where(Sale.occurred_at >= since)
    if search.strip():
        query = query.where(Sale.receipt_no.contains(search.strip().upper()))
    sales = session.scalars(
        query.options(selectinload(Sale.lines), selectinload(Sale.tenders))
    ).all()
    ids = [s.id for s in sales]
    voided = set(session.scalars(select(Void.sale_id).where(Void.sale_id.in_(ids))))
    refunded: dict[str, dict[int, tuple[int, int]]] = {}
    rows = session.execute(
        select(Refund.sale_id, RefundLine.sale_line_id, RefundLine.quantity, RefundLine.amount_fen)
        .join(RefundLine, RefundLine.refund_id == Refund.id)
        .where(Refund.sale_id.in_(ids))
    ).all()
    for sale_id, line_id, qty, amount in rows:
        per_line = refunded.setdefault(sale_id, {})
        old_qty, old_amount = per_line.get(line_id, (0, 0))
        per_line[line_id] = (old_qty + qty, old_amount + amount)
    return [_sale_view(s, s.id in voided, refunded.get(s.id, {})) for s in sales]


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise BadInput("empty_reason")
    return reason


def void(session: Session, receipt_no: str, reason: str, pin: str) -> VoidView:
    """Cancel a whole sale (coordinator only): its goods go back to stock."""
    reason = _require_reason(reason)
    coordinator = authorise_coordinator(session, pin)
    sale = _find_sale(session, receipt_no)
    if _is_voided(session, sale.id):
        raise BadInput("already_voided", receipt_no=sale.receipt_no)
    if _refunded_by_line(session, sale.id):
        raise BadInput("void_after_refund", receipt_no=sale.receipt_no)
    device = this_device(session)
    at, offset = now_utc()
    check_open(session, at, offset)
    seq = take_seq(session, device)
    record = Void(
        id=str(uuid.uuid4()),
        sale_id=sale.id,
        device_id=device.id,
        seq=seq,
        occurred_at=at,
        utc_offset_min=offset,
        reason=reason,
        authorised_by_id=coordinator.id,
        authorised_by_name=coordinator.name,
        amount_fen=sale.total_fen,
    )
    session.add(record)
    session.flush()  # movements point at the record; insert it first
    for line in sale.lines:
        session.add(
            StockMovement(
                product_id=line.product_id,
                household_id=line.household_id,
                kind="void",
                quantity=line.quantity,
                occurred_at=at,
                sale_id=sale.id,
                void_id=record.id,
                reason=reason,
            )
        )
    body = {
        "void_id": record.id,
        "sale_id": sale.id,
        "receipt_no": sale.receipt_no,
        "occurred_at": _iso(at),
        "utc_offset_min": offset,
        "reason": reason,
        "authorised_by": coordinator.name,
        "amount_fen": sale.total_fen,
    }
    _enqueue(session, device, seq, "void", record.id, body, at)
    session.flush()
    audit.record(
        session,
        "void",
        coordinator.name,
        {"receipt_no": sale.receipt_no, "amount_fen": sale.total_fen, "reason": reason},
    )
    return VoidView(record.id, sale.receipt_no, seq, sale.total_fen, coordinator.name)


def refund(
    session: Session,
    receipt_no: str,
    reason: str,
    pin: str,
    lines: Mapping[int, int | None] | None = None,
) -> RefundView:
    """Give back goods (coordinator only). `lines` maps line number to quantity
    (None = what is left of that line); without it, everything not yet refunded.

    A line's refunds never add up to more than its amount: the refund that takes
    the last of a line takes exactly what is left of its amount. Refunds of a sale
    never add up to more than its total, so a round-down is kept by the booth.
    """
    reason = _require_reason(reason)
    coordinator = authorise_coordinator(session, pin)
    sale = _find_sale(session, receipt_no)
    if _is_voided(session, sale.id):
        raise BadInput("refund_voided", receipt_no=sale.receipt_no)
    done = _refunded_by_line(session, sale.id)
    by_no = {line.line_no: line for line in sale.lines}
    wanted: Mapping[int, int | None] = lines if lines is not None else dict.fromkeys(by_no, None)
    parts: list[tuple[SaleLine, int, int]] = []
    for line_no, asked in sorted(wanted.items()):
        line = by_no.get(line_no)
        if line is None:
            raise BadInput("unknown_line", receipt_no=sale.receipt_no, line=line_no)
        done_qty, done_amount = done.get(line.id, (0, 0))
        left = line.quantity - done_qty
        qty = left if asked is None else asked
        if lines is None and left == 0:
            continue
        if qty <= 0 or qty > left:
            raise BadInput(
                "refund_too_much", line=line_no, sold=line.quantity, refunded=done_qty, asked=qty
            )
        if qty == left:
            amount = line.amount_fen - done_amount
        else:
            amount = round_half_up_div(line.amount_fen * qty, line.quantity)
        parts.append((line, qty, amount))
    if not parts:
        raise BadInput("nothing_to_refund")
    # The last part of the sale gives back the round-down's share to the booth.
    excess = sum(a for _, _, a in parts) - (sale.total_fen - sum(a for _, a in done.values()))
    for index in range(len(parts) - 1, -1, -1):
        if excess <= 0:
            break
        line, qty, amount = parts[index]
        cut = min(excess, amount)
        parts[index] = (line, qty, amount - cut)
        excess -= cut
    total = sum(amount for _, _, amount in parts)

    device = this_device(session)
    at, offset = now_utc()
    check_open(session, at, offset)
    seq = take_seq(session, device)
    methods = [t.method for t in sale.tenders]
    method = TenderMethod.CASH.value if TenderMethod.CASH.value in methods else methods[0]
    record = Refund(
        id=str(uuid.uuid4()),
        sale_id=sale.id,
        device_id=device.id,
        seq=seq,
        receipt_no=receipt_number(device.booth.code, seq, refund=True),
        occurred_at=at,
        utc_offset_min=offset,
        reason=reason,
        authorised_by_id=coordinator.id,
        authorised_by_name=coordinator.name,
        method=method,
        amount_fen=total,
    )
    session.add(record)
    session.flush()  # movements point at the record; insert it first
    for line, qty, amount in parts:
        record.lines.append(RefundLine(sale_line_id=line.id, quantity=qty, amount_fen=amount))
        session.add(
            StockMovement(
                product_id=line.product_id,
                household_id=line.household_id,
                kind="refund",
                quantity=qty,
                occurred_at=at,
                sale_id=sale.id,
                refund_id=record.id,
                reason=reason,
            )
        )
    session.add(PrintJob(doc_kind="refund", doc_id=record.id, state="pending", created_at=at))
    summary = tuple((line.line_no, qty, amount) for line, qty, amount in parts)
    body = {
        "refund_id": record.id,
        "refund_no": record.receipt_no,
        "sale_id": sale.id,
        "receipt_no": sale.receipt_no,
        "occurred_at": _iso(at),
        "utc_offset_min": offset,
        "reason": reason,
        "authorised_by": coordinator.name,
        "method": method,
        "amount_fen": total,
        "lines": [{"line_no": n, "quantity": q, "amount_fen": a} for n, q, a in summary],
    }
    _enqueue(session, device, seq, "refund", record.id, body, at)
    session.flush()
    audit.record(
        session,
        "refund",
        coordinator.name,
        {
            "refund_no": record.receipt_no,
            "receipt_no": sale.receipt_no,
            "amount_fen": total,
            "reason": reason,
        },
    )
    return RefundView(
        record.id,
        record.receipt_no,
        sale.receipt_no,
        seq,
        method,
        total,
        summary,
        coordinator.name,
    )
