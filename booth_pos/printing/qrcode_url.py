"""The receipt QR: `<server>/r/<sale UUID>?k=<code>`, the code an HMAC of the sale.

Each till has its own random key (`devices.receipt_key`). The code is the first 50 bits of
HMAC-SHA256(key, "booth-pos receipt v1:" + sale UUID), written as 10 lower-case base32
letters, so a QR stays short (version 5 at level M) and a person can read the code aloud.
The county server, which learns the key when the device registers, recomputes the code with
`verify_receipt_code` to tell a genuine receipt from a made-up one.

Standard library only: the county server imports this module without Qt, Pillow or escpos.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from urllib.parse import quote

CODE_LENGTH = 10  # base32 letters: 50 bits
_CONTEXT = b"booth-pos receipt v1:"


def new_device_key() -> str:
    """A fresh per-device key: 32 random bytes as 64 hex digits."""
    return secrets.token_hex(32)


def _key_bytes(key: str | bytes) -> bytes:
    if isinstance(key, bytes):
        raw = key
    else:
        try:
            raw = bytes.fromhex(key)
        except ValueError:
            raw = key.encode("utf-8")
    if not raw:
        raise ValueError("an empty receipt key would make every code guessable")
    return raw


def _canonical_sale_id(sale_id: str) -> str:
    """The sale UUID in its canonical lower-case hyphenated form (ValueError if not a UUID)."""
    return str(uuid.UUID(sale_id.strip()))


def receipt_code(key: str | bytes, sale_id: str) -> str:
    """The short code printed in the receipt QR for `sale_id`."""
    message = _CONTEXT + _canonical_sale_id(sale_id).encode("ascii")
    digest = hmac.new(_key_bytes(key), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CODE_LENGTH].lower()


def verify_receipt_code(key: str | bytes, sale_id: str, code: str) -> bool:
    """True if `code` is the code this device's key gives `sale_id` (case-insensitive).

    Never raises for bad input from a scanned URL: a malformed sale id or code is just False.
    """
    try:
        expected = receipt_code(key, sale_id)
    except ValueError:
        return False
    given = code.strip().lower()
    if len(given) != CODE_LENGTH or not given.isascii():
        return False
    return hmac.compare_digest(expected, given)


def receipt_url(server_url: str, sale_id: str, key: str | bytes) -> str:
    """`<server>/r/<sale UUID>?k=<code>`; the server URL's trailing slashes are dropped."""
    base = server_url.strip().rstrip("/")
    if not base:
        raise ValueError("no server URL")
    sale = _canonical_sale_id(sale_id)
    return f"{base}/r/{quote(sale)}?k={receipt_code(key, sale)}"
