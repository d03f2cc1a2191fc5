"""HTTP routes for the town level (see sync/server/town.py).

``GET /api/v1/reports/town?town=&date=`` is for the county admin only: a bearer token equal to
the admin token the server was started with (``$COUNTY_SERVER_ADMIN_TOKEN``, or
``county-server serve --admin-token-file FILE``). With no admin token configured the endpoint
refuses everyone (401); a device token is refused too.

``GET /h/{household_code}?day=YYYY-MM-DD`` is the page a household statement's QR opens.
"""

# No `from __future__ import annotations`: FastAPI reads the route functions' annotations.
import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from sync.protocol import ErrorBody
from sync.server.town import admin_token_ok, household_page, town_report

_WWW_AUTH = {"WWW-Authenticate": "Bearer"}


def add_town_routes(app: FastAPI, engine: Engine, admin_token: str | None) -> None:
    from sync.server.app import ApiError  # app.py imports this module inside create_app()

    bearer = HTTPBearer(auto_error=False, description="the county admin token")

    def county_admin(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        if not admin_token:
            raise ApiError(
                401,
                "unauthorised",
                "no admin token is configured on this server",
                headers=_WWW_AUTH,
            )
        if credentials is None or not admin_token_ok(admin_token, credentials.credentials):
            raise ApiError(
                401, "unauthorised", "the county admin token is required", headers=_WWW_AUTH
            )

    @app.get(
        "/api/v1/reports/town",
        tags=["reports"],
        dependencies=[Depends(county_admin)],
        responses={code: {"model": ErrorBody} for code in (400, 401, 503)},
    )
    def report_town(
        town: Annotated[str, Query(min_length=1, max_length=100)],
        date: Annotated[dt.date, Query(description="the local day, YYYY-MM-DD")],
    ) -> dict[str, Any]:
        """One town's day: a row per booth that closed it (from its Z report), what each
        household earned across the town's booths, and the totals. County admin only."""
        with engine.connect() as conn:
            return town_report(conn, town.strip(), date).to_json()

    @app.get(
        "/h/{household_code}",
        tags=["receipt"],
        response_class=HTMLResponse,
        responses={400: {"description": "bad day"}, 404: {"description": "no statement yet"}},
    )
    def household(
        household_code: Annotated[str, Path(max_length=200)],
        day: Annotated[str, Query(max_length=20)] = "",
    ) -> HTMLResponse:
        """The page a household statement's QR opens: what the household is owed that day,
        booth by booth, from the Z reports the county has received."""
        with engine.connect() as conn:
            page = household_page(conn, household_code, day)
        return HTMLResponse(page.html, page.status)
