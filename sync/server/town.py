"""Town level: one day's summary per town and booth, and what each household earned across all
of the town's booths; and the household page a statement's QR opens (``/h/<code>?day=``).

The numbers are read from the Z reports the booths froze at day end (documents of kind
``day``, body ``{"booth_code", "day", "z_no", ..., "report": DayReport.to_json()}``), never
re-derived from the sales: the county shows exactly what each coordinator closed and signed.
A booth whose day document has not arrived is simply not in the report yet.

The town of a booth is the one the county gave its device (``add-device --town``). Should a
booth send two closes for one day (a till restored from a backup and closed again), the one
with the highest Z number counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from html import escape
from typing import Any

from sqlalchemy import Connection, Table, select

from booth_pos.domain.money import format_yuan
from sync.server.ingest import DOCUMENTS
from sync.server.models import Device
from sync.server.receipt import _message, _page

DEVICES: Table = Device.__table__  # type: ignore[assignment]

DOC_KIND_DAY = "day"
ENV_ADMIN_TOKEN = "COUNTY_SERVER_ADMIN_TOKEN"
TENDER_METHODS = ("cash", "mobile", "other")


def admin_token_ok(configured: str | None, given: str | None) -> bool:
    """Constant-time check of the county admin token; never true when none is configured."""
    if not configured or not given:
        return False
    return hmac.compare_digest(configured.encode(), given.encode())


@dataclass(frozen=True)
class BoothRow:
    booth_code: str
    booth_name: str
    z_no: int
    closed_by: str
    sales_count: int
    voids_count: int
    refunds_count: int
    gross_fen: int
    voids_fen: int
    refunds_fen: int
    net_fen: int
    goods_fen: int
    commission_fen: int
    owed_fen: int
    tenders: dict[str, int]  # method -> net fen


@dataclass(frozen=True)
class HouseholdBoothLine:
    booth_code: str
    booth_name: str
    z_no: int
    net_grams: int
    net_units: int
    goods_fen: int
    rate_bp: int
    commission_fen: int
    owed_fen: int


@dataclass
class HouseholdRow:
    code: str
    name: str
    net_grams: int = 0
    net_units: int = 0
    sold_fen: int = 0
    goods_fen: int = 0
    commission_fen: int = 0
    owed_fen: int = 0
    booths: list[HouseholdBoothLine] = field(default_factory=list)


@dataclass(frozen=True)
class Totals:
    booths: int
    sales_count: int
    voids_count: int
    refunds_count: int
    gross_fen: int
    voids_fen: int
    refunds_fen: int
    net_fen: int
    goods_fen: int
    commission_fen: int
    owed_fen: int
    tenders: dict[str, int]


@dataclass(frozen=True)
class TownReport:
    town: str
    day: dt.date
    booths: list[BoothRow]
    households: list[HouseholdRow]
    totals: Totals

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["source"] = "booths' Z reports (day documents) as received"
        return data


@dataclass(frozen=True)
class _DayDoc:
    booth_code: str
    booth_name: str
    z_no: int
    report: dict[str, Any]


def _day_docs(conn: Connection, day: dt.date, town: str | None) -> list[_DayDoc]:
    """The newest Z of each booth for `day` (in `town`, else the whole county)."""
    # The payload is canonical JSON, so the day appears as this exact text: a cheap filter in
    # the database, checked again on the parsed body.
    needle = f'"day":"{day.isoformat()}"'
    query = (
        select(DOCUMENTS.c.payload, DOCUMENTS.c.booth_code, DEVICES.c.name)
        .join(DEVICES, DEVICES.c.id == DOCUMENTS.c.device_id)
        .where(DOCUMENTS.c.kind == DOC_KIND_DAY, DOCUMENTS.c.payload.contains(needle))
    )
    if town is not None:
        query = query.where(DEVICES.c.town == town)
    newest: dict[str, _DayDoc] = {}
    for payload, booth_code, device_name in conn.execute(query):
        body = json.loads(payload)
        report = body.get("report")
        if body.get("day") != day.isoformat() or not isinstance(report, dict):
            continue
        z_no = int(body.get("z_no") or report.get("z_no") or 0)
        code = str(booth_code).upper()
        name = str(report.get("booth_name") or device_name or code)
        if code not in newest or z_no > newest[code].z_no:
            newest[code] = _DayDoc(code, name, z_no, report)
    return [newest[code] for code in sorted(newest)]


def _tenders(report: dict[str, Any]) -> dict[str, int]:
    found = {method: 0 for method in TENDER_METHODS}
    for tender in report.get("tenders", []):
        method = str(tender["method"])
        found[method] = found.get(method, 0) + int(tender["net_fen"])
    return found


def _households(docs: Iterable[_DayDoc]) -> list[HouseholdRow]:
    rows: dict[str, HouseholdRow] = {}
    for doc in docs:
        for h in doc.report.get("households", []):
            code = str(h["code"])
            row = rows.setdefault(code, HouseholdRow(code, str(h["name"])))
            line = HouseholdBoothLine(
                booth_code=doc.booth_code,
                booth_name=doc.booth_name,
                z_no=doc.z_no,
                net_grams=int(h["net_grams"]),
                net_units=int(h["net_units"]),
                goods_fen=int(h["goods_fen"]),
                rate_bp=int(h["rate_bp"]),
                commission_fen=int(h["commission_fen"]),
                owed_fen=int(h["owed_fen"]),
            )
            row.booths.append(line)
            row.net_grams += line.net_grams
            row.net_units += line.net_units
            row.sold_fen += int(h["sold_fen"])
            row.goods_fen += line.goods_fen
            row.commission_fen += line.commission_fen
            row.owed_fen += line.owed_fen
    return [rows[code] for code in sorted(rows)]


_SUMMED = (
    "sales_count", "voids_count", "refunds_count", "gross_fen", "voids_fen", "refunds_fen",
    "net_fen", "goods_fen", "commission_fen", "owed_fen",
)  # fmt: skip


def town_report(conn: Connection, town: str, day: dt.date) -> TownReport:
    docs = _day_docs(conn, day, town)
    booths = [
        BoothRow(
            booth_code=d.booth_code,
            booth_name=d.booth_name,
            z_no=d.z_no,
            closed_by=str(d.report.get("closed_by") or ""),
            sales_count=int(d.report["sales_count"]),
            voids_count=int(d.report["voids_count"]),
            refunds_count=int(d.report["refunds_count"]),
            gross_fen=int(d.report["gross_fen"]),
            voids_fen=int(d.report["voids_fen"]),
            refunds_fen=int(d.report["refunds_fen"]),
            net_fen=int(d.report["net_fen"]),
            goods_fen=int(d.report["goods_fen"]),
            commission_fen=int(d.report["commission_fen"]),
            owed_fen=int(d.report["owed_fen"]),
            tenders=_tenders(d.report),
        )
        for d in docs
    ]
    tenders = {method: 0 for method in TENDER_METHODS}
    for booth in booths:
        for method, fen in booth.tenders.items():
            tenders[method] = tenders.get(method, 0) + fen
    sums = {name: sum(getattr(b, name) for b in booths) for name in _SUMMED}
    totals = Totals(booths=len(booths), tenders=tenders, **sums)
    return TownReport(town, day, booths, _households(docs), totals)


# ------------------------------------------------------------------------------- CSV export

CSV_HEADER = (
    "section", "code", "name", "z_no", "sales", "voids", "refunds", "gross", "voids_amount",
    "refunds_amount", "net", "cash", "mobile", "other", "net_kg", "net_units", "goods",
    "commission", "owed",
)  # fmt: skip


def _csv_rows(report: TownReport) -> Iterator[list[str]]:
    y = format_yuan
    for b in report.booths:
        yield [
            "booth", b.booth_code, b.booth_name, str(b.z_no), str(b.sales_count),
            str(b.voids_count), str(b.refunds_count), y(b.gross_fen), y(b.voids_fen),
            y(b.refunds_fen), y(b.net_fen), *(y(b.tenders.get(m, 0)) for m in TENDER_METHODS),
            "", "", y(b.goods_fen), y(b.commission_fen), y(b.owed_fen),
        ]  # fmt: skip
    for h in report.households:
        yield [
            "household", h.code, h.name, "", "", "", "", "", "", "", "", "", "", "",
            f"{h.net_grams / 1000:.3f}", str(h.net_units), y(h.goods_fen),
            y(h.commission_fen), y(h.owed_fen),
        ]  # fmt: skip
    t = report.totals
    yield [
        "total", report.town, report.day.isoformat(), "", str(t.sales_count), str(t.voids_count),
        str(t.refunds_count), y(t.gross_fen), y(t.voids_fen), y(t.refunds_fen), y(t.net_fen),
        *(y(t.tenders.get(m, 0)) for m in TENDER_METHODS), "", "", y(t.goods_fen),
        y(t.commission_fen), y(t.owed_fen),
    ]  # fmt: skip


def report_csv(report: TownReport) -> str:
    """UTF-8 text with a BOM (a spreadsheet opens the Chinese names right); amounts in yuan."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_rows(report))
    return out.getvalue()


def report_text(report: TownReport) -> str:
    y = format_yuan
    lines = [f"{report.town} {report.day.isoformat()}: {len(report.booths)} booth(s) closed"]
    for b in report.booths:
        lines.append(
            f"  {b.booth_code:<8} Z{b.z_no:<4} {b.sales_count:>4} sales  gross {y(b.gross_fen):>10}"
            f"  net {y(b.net_fen):>10}  owed {y(b.owed_fen):>10}  {b.booth_name}"
        )
    lines.append("Households:")
    for h in report.households:
        lines.append(
            f"  {h.code:<10} goods {y(h.goods_fen):>10}  commission {y(h.commission_fen):>8}"
            f"  owed {y(h.owed_fen):>10}  {h.name}"
        )
    t = report.totals
    lines.append(
        f"Total: gross {y(t.gross_fen)}  net {y(t.net_fen)}  goods {y(t.goods_fen)}  "
        f"commission {y(t.commission_fen)}  owed {y(t.owed_fen)}"
    )
    return "\n".join(lines)


# ------------------------------------------------------------------- the household's page


@dataclass(frozen=True)
class HouseholdPage:
    status: int
    html: str


def _household_row(conn: Connection, code: str, day: dt.date) -> HouseholdRow | None:
    for row in _households(_day_docs(conn, day, None)):
        if row.code == code:
            return row
    return None


def household_page(conn: Connection, code: str, day_text: str) -> HouseholdPage:
    """What the household was owed on `day` across every booth whose Z the county has."""
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        return HouseholdPage(
            400,
            _message(
                "日期有误", "Bad date", "链接中的日期应为 YYYY-MM-DD。",
                "The link's day should be YYYY-MM-DD.",
            ),
        )  # fmt: skip
    row = _household_row(conn, code.strip(), day)
    if row is None:
        return HouseholdPage(
            404,
            _message(
                "暂无结算单",
                "No statement yet",
                f"县里还没有收到 {day.isoformat()} 的日结数据，请摊位日结同步后再扫一次。",
                f"No statement yet: the county has no day close for {day.isoformat()} with "
                "this household; please scan again after the booth has closed and synced.",
            ),
        )
    y = format_yuan
    rows = "".join(
        f"<tr><td>{escape(b.booth_name)}<br><span class=sub>{escape(b.booth_code)} · "
        f"Z{b.z_no}</span></td><td class=num>￥{y(b.goods_fen)}</td>"
        f"<td class=num>￥{y(b.commission_fen)}</td><td class=num>￥{y(b.owed_fen)}</td></tr>"
        for b in row.booths
    )
    body = (
        f"<h1>{escape(row.name)}</h1>"
        f"<p class=sub>{escape(row.code)} · {day.isoformat()} · 农户结算单 / household statement"
        "</p><table><tr><th>摊位 / booth</th><th class=num>货款 / goods</th>"
        "<th class=num>佣金 / commission</th><th class=num>应付 / owed</th></tr>"
        + rows
        + f"<tr class=total><td>合计 / total</td><td class=num>￥{y(row.goods_fen)}</td>"
        f"<td class=num>￥{y(row.commission_fen)}</td><td class=num>￥{y(row.owed_fen)}</td>"
        "</tr></table><p class=sub>数字取自各摊位日结（Z 报表） / "
        "figures from the booths' Z reports</p>"
    )
    return HouseholdPage(200, _page(f"{row.name} {day.isoformat()}", body))
