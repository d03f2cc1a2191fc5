"""Booth settings: what the coordinator decides once and the till follows all day."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from booth_pos.domain.errors import BadInput
from booth_pos.domain.pricing import RoundDown
from booth_pos.domain.quantity import MAX_LINE_GRAMS
from booth_pos.services.auth import authorise_coordinator
from booth_pos.services.booth import now_utc
from booth_pos.store.models import Setting


@dataclass(frozen=True)
class TarePreset:
    """A container weighed with the goods, taken off the scale reading (a basket, a crate)."""

    name: str
    grams: int


@dataclass(frozen=True)
class BoothSettings:
    language: str = "zh"
    # The largest round-down (抹零) the operator may give: none, jiao or yuan.
    round_down_limit: str = RoundDown.NONE.value
    # The booth's static WeChat / Alipay collection code, shown as a QR to the customer.
    collection_qr: str = ""
    tare_presets: tuple[TarePreset, ...] = field(default_factory=tuple)
    receipt_footer: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "round_down_limit": self.round_down_limit,
            "collection_qr": self.collection_qr,
            "tare_presets": [{"name": t.name, "grams": t.grams} for t in self.tare_presets],
            "receipt_footer": self.receipt_footer,
        }

    def allowed_round_downs(self) -> tuple[RoundDown, ...]:
        order = (RoundDown.NONE, RoundDown.JIAO, RoundDown.YUAN)
        return order[: order.index(RoundDown(self.round_down_limit)) + 1]


def _decode(raw: dict[str, Any]) -> BoothSettings:
    base = BoothSettings()
    presets = tuple(
        TarePreset(str(t["name"]), int(t["grams"])) for t in raw.get("tare_presets", [])
    )
    return replace(
        base,
        language=str(raw.get("language", base.language)),
        round_down_limit=str(raw.get("round_down_limit", base.round_down_limit)),
        collection_qr=str(raw.get("collection_qr", base.collection_qr)),
        tare_presets=presets,
        receipt_footer=str(raw.get("receipt_footer", base.receipt_footer)),
    )


def load_settings(session: Session) -> BoothSettings:
    rows = session.scalars(select(Setting)).all()
    return _decode({row.key: json.loads(row.value) for row in rows})


def validate(settings: BoothSettings) -> None:
    if settings.language not in ("zh", "en"):
        raise BadInput("empty_field", field="language")
    RoundDown.parse(settings.round_down_limit)
    for preset in settings.tare_presets:
        if not preset.name.strip():
            raise BadInput("empty_field", field="tare name")
        if not 0 < preset.grams < MAX_LINE_GRAMS:
            raise BadInput(
                "quantity_too_large", text=f"{preset.grams}g", limit=f"{MAX_LINE_GRAMS // 1000}kg"
            )


def save_settings(session: Session, settings: BoothSettings, pin: str) -> BoothSettings:
    """Coordinator only. Writes every key in one transaction."""
    validate(settings)
    coordinator = authorise_coordinator(session, pin)
    at, _ = now_utc()
    for key, value in settings.to_json().items():
        row = session.get(Setting, key)
        encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
        if row is None:
            session.add(Setting(key=key, value=encoded, updated_at=at, updated_by=coordinator.name))
        elif row.value != encoded:
            row.value, row.updated_at, row.updated_by = encoded, at, coordinator.name
    session.flush()
    return settings


def set_language(session: Session, language: str) -> None:
    """Anyone may switch the screen language; it is not a sensitive setting."""
    if language not in ("zh", "en"):
        raise BadInput("empty_field", field="language")
    at, _ = now_utc()
    row = session.get(Setting, "language")
    encoded = json.dumps(language)
    if row is None:
        session.add(Setting(key="language", value=encoded, updated_at=at, updated_by=""))
    else:
        row.value, row.updated_at = encoded, at
