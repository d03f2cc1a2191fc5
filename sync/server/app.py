"""The county server's HTTP API (FastAPI). OpenAPI at ``/openapi.json``.

Every error is JSON ``{"error": code, "detail": words, "reasons": [...]}``: 400 for malformed
input (with the reasons), 401 for a token nobody holds, 403 for a revoked device or another
device's path, 413 for a body too large, 415 for an unknown encoding, 422 for a batch id reused
with a different body, 426 for a protocol version this server does not speak, 409 / 503 (with
Retry-After) when the database is busy or down. Tokens are never logged.
"""

# No `from __future__ import annotations` here: FastAPI reads the route functions' annotations,
# which name types local to create_app().
import logging
import os
import zlib
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booth_pos import __version__
from sync.protocol import (
    IDEMPOTENCY_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    REPLAY_HEADER,
    SERVER_MAX_BODY_BYTES,
    SERVER_MAX_COMPRESSED_BYTES,
    SERVER_MAX_ITEMS,
    SUPPORTED_VERSIONS,
    UUID_PATTERN,
    BatchRequest,
    BatchResponse,
    CatalogSnapshot,
    EnrollRequest,
    ErrorBody,
    SyncState,
)
from sync.server import devices
from sync.server.catalog import current_catalog
from sync.server.db import (
    ENV_MAX_BODY,
    ENV_MAX_COMPRESSED,
    ENV_MAX_ITEMS,
    database_url,
    open_database,
)
from sync.server.ingest import BatchMismatch, DeviceInfo, ingest_batch
from sync.server.receipt import receipt_page
from sync.server.town import ENV_ADMIN_TOKEN

log = logging.getLogger("county_server")


@dataclass(frozen=True)
class Limits:
    max_items: int = SERVER_MAX_ITEMS
    max_compressed: int = SERVER_MAX_COMPRESSED_BYTES
    max_body: int = SERVER_MAX_BODY_BYTES

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(
            int(os.environ.get(ENV_MAX_ITEMS, SERVER_MAX_ITEMS)),
            int(os.environ.get(ENV_MAX_COMPRESSED, SERVER_MAX_COMPRESSED_BYTES)),
            int(os.environ.get(ENV_MAX_BODY, SERVER_MAX_BODY_BYTES)),
        )


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        error: str,
        detail: str = "",
        reasons: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or error)
        self.status = status
        self.body = ErrorBody(error=error, detail=detail, reasons=reasons or [])
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body.model_dump(), self.status, headers=self.headers)


def _error_response(status: int, error: str, detail: str, **headers: str) -> JSONResponse:
    return ApiError(status, error, detail, headers=headers).response()


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


class BodyLimits:
    """Pure ASGI middleware: caps request bodies and undoes ``Content-Encoding: gzip``.

    Over ``max_compressed`` bytes as sent, or ``max_body`` once decompressed → 413, before any
    parsing; an unknown encoding → 415; a broken gzip stream → 400.
    """

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and (
            not declared.isdigit() or int(declared) > self.limits.max_compressed
        ):
            await _error_response(
                413, "too_large", f"body over {self.limits.max_compressed} bytes"
            )(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limits.max_compressed:
                await _error_response(
                    413, "too_large", f"body over {self.limits.max_compressed} bytes"
                )(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding == "gzip":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                body = inflater.decompress(body, self.limits.max_body + 1)
            except zlib.error as exc:
                await _error_response(400, "bad_gzip", f"cannot decompress: {exc}")(
                    scope, receive, send
                )
                return
            if len(body) > self.limits.max_body:
                await _error_response(
                    413, "too_large", f"body over {self.limits.max_body} bytes decompressed"
                )(scope, receive, send)
                return
            if not inflater.eof:
                await _error_response(400, "bad_gzip", "truncated gzip stream")(
                    scope, receive, send
                )
                return
        elif encoding not in ("identity", ""):
            await _error_response(415, "bad_encoding", f"unsupported encoding {encoding!r}")(
                scope, receive, send
            )
            return
        new_headers = [
            (k, v)
            for k, v in scope["headers"]
            if k.lower() not in (b"content-encoding", b"content-length")
        ]
        new_headers.append((b"content-length", str(len(body)).encode()))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, "headers": new_headers}, replay, send)


def create_app(
    engine: Engine, limits: Limits | None = None, admin_token: str | None = None
) -> FastAPI:
    """`admin_token`: the county admin's bearer token for the reports (None: reports refused)."""
    from sync.server.town_api import add_town_routes

    limits = limits or Limits()
    app = FastAPI(
        title="County sync server",
        version=__version__,
        description=(
            "Takes the booths' sales, voids and refunds exactly once, serves their catalogue "
            "and the receipt page. Protocol version header: X-Sync-Protocol."
        ),
    )
    app.add_middleware(BodyLimits, limits=limits)
    bearer = HTTPBearer(auto_error=False, description="the device token from add-device")

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        reasons = []
        for error in exc.errors()[:20]:
            where = ".".join(str(p) for p in error.get("loc", ()))
            reasons.append(f"{where}: {error.get('msg', '')}")
        return ApiError(400, "invalid_request", "the request is malformed", reasons).response()

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return _error_response(503, "database_unavailable", "try again", **{"Retry-After": "5"})

    @app.exception_handler(RecursionError)
    async def _too_deep(_request: Request, _exc: RecursionError) -> JSONResponse:
        return _error_response(400, "invalid_request", "the JSON is nested too deeply")

    def protocol(
        x_sync_protocol: Annotated[str | None, Header(alias=PROTOCOL_HEADER)] = None,
    ) -> int:
        if x_sync_protocol is None:
            return PROTOCOL_VERSION
        text = x_sync_protocol.strip()
        if not text.isdigit() or int(text) not in SUPPORTED_VERSIONS:
            raise ApiError(
                426,
                "protocol_unsupported",
                f"protocol {x_sync_protocol!r} is not supported; this server speaks "
                f"{', '.join(map(str, SUPPORTED_VERSIONS))}",
                headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
            )
        return int(text)

    def required_protocol(
        x_sync_protocol: Annotated[str | None, Header(alias=PROTOCOL_HEADER)] = None,
    ) -> int:
        if x_sync_protocol is None:
            raise ApiError(
                426,
                "protocol_unsupported",
                f"the {PROTOCOL_HEADER} header is required",
                headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
            )
        return protocol(x_sync_protocol)

    def device_auth(
        device_id: Annotated[str, Path(max_length=100)],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> DeviceInfo:
        if credentials is None or not credentials.credentials:
            raise ApiError(401, "unauthorised", "a bearer token is required", headers=_WWW_AUTH)
        with engine.connect() as conn:
            found = devices.authenticate(conn, credentials.credentials, device_id)
        if found == devices.AuthOutcome.UNKNOWN:
            raise ApiError(401, "unauthorised", "unknown token", headers=_WWW_AUTH)
        if not isinstance(found, DeviceInfo):
            raise ApiError(403, "forbidden", "this token may not act for this device")
        return found

    def token_device(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> DeviceInfo:
        """For paths without a device id: the device the token belongs to."""
        if credentials is None or not credentials.credentials:
            raise ApiError(401, "unauthorised", "a bearer token is required", headers=_WWW_AUTH)
        with engine.connect() as conn:
            row = conn.execute(
                devices.DEVICES.select().where(
                    devices.DEVICES.c.token_hash == devices.hash_token(credentials.credentials)
                )
            ).first()
        if row is None:
            raise ApiError(401, "unauthorised", "unknown token", headers=_WWW_AUTH)
        if row.revoked_at is not None:
            raise ApiError(403, "forbidden", "this device is revoked")
        return DeviceInfo(row.id, row.booth_code, row.town, row.name, row.till_id, row.receipt_key)

    Device = Annotated[DeviceInfo, Depends(device_auth)]

    @app.get("/healthz", tags=["server"])
    def healthz() -> dict[str, object]:
        return {"ok": True, "protocol_versions": list(SUPPORTED_VERSIONS)}

    @app.post(
        "/api/v1/devices/{device_id}/enroll",
        tags=["devices"],
        dependencies=[Depends(protocol)],
        responses=_errors(400, 401, 403, 409, 413, 426, 503),
    )
    def enroll(device: Device, body: EnrollRequest) -> SyncState:
        """Bind this device to its till (the device id inside its documents) and record the
        till's receipt key. Repeating it with the same values changes nothing."""
        try:
            bound = devices.enroll(engine, device, body)
        except devices.DeviceError as exc:
            raise ApiError(409, "enroll_conflict", str(exc)) from exc
        return devices.sync_state(
            engine, bound, limits.max_items, limits.max_compressed, limits.max_body
        )

    @app.get(
        "/api/v1/devices/{device_id}/sync-state",
        tags=["devices"],
        dependencies=[Depends(protocol)],
        responses=_errors(400, 401, 403, 426, 503),
    )
    def sync_state(device: Device) -> SyncState:
        """What the county holds of this device: acknowledged seq, gaps, versions, catalogue."""
        return devices.sync_state(
            engine, device, limits.max_items, limits.max_compressed, limits.max_body
        )

    @app.post(
        "/api/v1/devices/{device_id}/batches",
        tags=["devices"],
        responses={
            **_errors(400, 401, 403, 409, 413, 415, 422, 426, 503),
            200: {"model": BatchResponse, "description": "one status per item"},
        },
    )
    def upload_batch(
        version: Annotated[int, Depends(required_protocol)],
        device: Device,
        body: BatchRequest,
        idempotency_key: Annotated[str, Header(alias=IDEMPOTENCY_HEADER, pattern=UUID_PATTERN)],
    ) -> Response:
        """Take one frozen batch in one transaction. A repeated batch id gets the stored answer
        (header Idempotent-Replayed: true); the same id with a different body gets 422."""
        if idempotency_key.lower() != body.batch_id.lower():
            raise ApiError(400, "invalid_request", "Idempotency-Key must equal batch_id")
        if len(body.items) > limits.max_items:
            raise ApiError(
                413, "too_large", f"at most {limits.max_items} items in one batch; split it"
            )
        if device.till_id is None:
            raise ApiError(409, "not_enrolled", "enroll this device before sending batches")
        try:
            text, replayed = ingest_batch(engine, device, body, version)
        except BatchMismatch as exc:
            raise ApiError(
                422, "batch_mismatch", "this batch id was already used with a different body"
            ) from exc
        except DBAPIError as exc:
            raise _db_error(exc) from exc
        headers = {REPLAY_HEADER: "true"} if replayed else {}
        return Response(text, 200, headers=headers, media_type="application/json")

    @app.get(
        "/api/v1/catalog",
        tags=["catalogue"],
        dependencies=[Depends(protocol)],
        responses={
            **_errors(400, 401, 403, 404, 426, 503),
            304: {"description": "the till already has this version"},
        },
    )
    def catalog(
        device: Annotated[DeviceInfo, Depends(token_device)],
        response: Response,
        since: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
        if_none_match: Annotated[str | None, Header(max_length=200)] = None,
    ) -> CatalogSnapshot:
        """The newest catalogue for this device's booth (else its town, else the county),
        with its version and ETag; 304 when the till already holds it."""
        with engine.connect() as conn:
            row = current_catalog(conn, device.booth_code, device.town)
        if row is None:
            raise ApiError(404, "no_catalog", "no catalogue has been imported for this booth")
        if since == row.version or (if_none_match is not None and if_none_match == row.etag):
            raise _NotModified(row.etag)
        response.headers["ETag"] = row.etag
        return row.to_snapshot()

    @app.exception_handler(_NotModified)
    async def _not_modified(_request: Request, exc: _NotModified) -> Response:
        return Response(status_code=304, headers={"ETag": exc.etag})

    @app.get(
        "/r/{sale_id}",
        tags=["receipt"],
        response_class=HTMLResponse,
        responses={403: {"description": "bad code"}, 404: {"description": "not yet received"}},
    )
    def receipt(
        sale_id: Annotated[str, Path(max_length=100)],
        k: Annotated[str, Query(max_length=100)] = "",
    ) -> HTMLResponse:
        """The page a receipt's QR opens: what was bought and from which households."""
        with engine.connect() as conn:
            page = receipt_page(conn, sale_id, k)
        return HTMLResponse(page.html, page.status)

    add_town_routes(app, engine, admin_token)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> JSONResponse:
        # The last net: an answer in our format; the traceback goes to the server's log.
        log.error("unexpected error on %s %s", request.method, request.url.path)
        return _error_response(500, "internal", "unexpected server error")

    return app


_WWW_AUTH = {"WWW-Authenticate": "Bearer"}


class _NotModified(Exception):
    def __init__(self, etag: str) -> None:
        super().__init__(etag)
        self.etag = etag


def _db_error(exc: DBAPIError) -> ApiError:
    name = type(exc.orig).__name__
    if name == "LockNotAvailable":
        return ApiError(
            409,
            "batch_in_flight",
            "this batch is being taken in right now; retry later",
            headers={"Retry-After": "2"},
        )
    if name in ("DeadlockDetected", "SerializationFailure") or "locked" in str(exc.orig):
        return ApiError(503, "busy", "the database is busy; retry", headers={"Retry-After": "1"})
    if isinstance(exc, OperationalError):  # down, restarting, disk full: the booth retries
        log.warning("database unavailable while taking a batch: %s", name)
        return ApiError(503, "database_unavailable", "try again", headers={"Retry-After": "5"})
    # Data the checks let through but the database refused: a server bug, rolled back whole.
    log.error("database refused a batch: %s", name)
    return ApiError(500, "internal", "the batch could not be stored; nothing was kept")


def app_factory() -> FastAPI:
    """For ``uvicorn --factory`` and worker processes: database and limits from the environment
    (``serve`` has already migrated)."""
    engine = open_database(database_url())
    return create_app(engine, Limits.from_env(), os.environ.get(ENV_ADMIN_TOKEN) or None)
