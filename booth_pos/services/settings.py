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
from booth_pos.printing.profiles import make_target
from booth_pos.printing.uri import parse_uri
from booth_pos.services import audit
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
    # The receipt printer (booth_pos.printing): where it is, what it is, how it prints Chinese.
    printer_uri: str = "none"  # usb:VID:PID, tcp:HOST[:PORT], serial:DEV, file:PATH, cups:NAME
    printer_profile: str = "generic"  # booth_pos.printing.profiles names
    printer_mode: str = "auto"  # gbk, raster or auto (gbk only where the profile has the font)
    printer_width_mm: int = 58  # 58 or 80
    cash_drawer: bool = False  # kick the drawer (through the printer) on cash sales
    # The county server; the receipt QR points at <server_url>/r/<sale UUID>. Empty: no QR.
    server_url: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "round_down_limit": self.round_down_limit,
            "collection_qr": self.collection_qr,
            "tare_presets": [{"name": t.name, "grams": t.grams} for t in self.tare_presets],
            "receipt_footer": self.receipt_footer,
            "printer_uri": self.printer_uri,
            "printer_profile": self.printer_profile,
            "printer_mode": self.printer_mode,
            "printer_width_mm": self.printer_width_mm,
            "cash_drawer": self.cash_drawer,
            "server_url": self.server_url,
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
        printer_uri=str(raw.get("printer_uri", base.printer_uri)),
        printer_profile=str(raw.get("printer_profile", base.printer_profile)),
        printer_mode=str(raw.get("printer_mode", base.printer_mode)),
        printer_width_mm=int(raw.get("printer_width_mm", base.printer_width_mm)),
        cash_drawer=bool(raw.get("cash_drawer", base.cash_drawer)),
        server_url=str(raw.get("server_url", base.server_url)),
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
    validate_printer(settings)


def validate_printer(settings: BoothSettings) -> None:
    """BadInput for a printer address, profile, mode, paper width or server URL we cannot use."""
    parse_uri(settings.printer_uri)
    make_target(settings.printer_profile, settings.printer_mode, settings.printer_width_mm)
    url = settings.server_url.strip()
    if url and (
        not url.lower().startswith(("http://", "https://"))
        or len(url.split("://", 1)[1].strip("/")) == 0
        or any(ch.isspace() for ch in url)
    ):
        raise BadInput("bad_server_url", text=settings.server_url)


def save_settings(session: Session, settings: BoothSettings, pin: str) -> BoothSettings:
    """Coordinator only. Writes every key in one transaction."""
    validate(settings)
    coordinator = authorise_coordinator(session, pin)
    at, _ = now_utc()
    changed: dict[str, object] = {}
    for key, value in settings.to_json().items():
        row = session.get(Setting, key)
        encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
        if row is None:
            session.add(Setting(key=key, value=encoded, updated_at=at, updated_by=coordinator.name))
            changed[key] = value
        elif row.value != encoded:
            row.value, row.updated_at, row.updated_by = encoded, at, coordinator.name
            changed[key] = value
    session.flush()
    audit.record(session, "settings_change", coordinator.name, {"changed": changed})
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
