"""The receipt QR's code: the county can tell a genuine receipt with the device's key."""

from __future__ import annotations

import uuid

import pytest

from booth_pos.printing.qrcode_url import (
    CODE_LENGTH,
    new_device_key,
    receipt_code,
    receipt_url,
    verify_receipt_code,
)

SALE = "0e9d0a97-4fad-4b18-acd9-56ddf72a34da"


def test_the_url_points_at_the_sale_on_the_county_server_with_a_short_code() -> None:
    key = new_device_key()
    url = receipt_url("https://county.example.cn/", SALE, key)
    base, _, code = url.partition("?k=")
    assert base == f"https://county.example.cn/r/{SALE}"
    assert len(code) == CODE_LENGTH and code.isalnum() and code == code.lower()
    assert url.isascii()


def test_the_code_verifies_with_the_device_key_and_fails_with_any_other() -> None:
    key, other = new_device_key(), new_device_key()
    code = receipt_code(key, SALE)
    assert verify_receipt_code(key, SALE, code)
    assert verify_receipt_code(key, SALE.upper(), code.upper())  # typed from the paper
    assert not verify_receipt_code(other, SALE, code)
    assert not verify_receipt_code(key, str(uuid.uuid4()), code)
    flipped = ("a" if code[0] != "a" else "b") + code[1:]
    assert not verify_receipt_code(key, SALE, flipped)


@pytest.mark.parametrize(
    ("sale_id", "code"),
    [("not-a-uuid", "abcdefghij"), (SALE, ""), (SALE, "abc"), (SALE, "ａｂｃｄｅｆｇｈｉｊ")],
)
def test_garbage_from_a_scanned_url_is_simply_not_genuine(sale_id: str, code: str) -> None:
    assert verify_receipt_code(new_device_key(), sale_id, code) is False


def test_codes_differ_between_sales_and_devices_and_are_stable() -> None:
    key = new_device_key()
    codes = {receipt_code(key, str(uuid.uuid4())) for _ in range(200)}
    assert len(codes) == 200
    assert receipt_code(key, SALE) == receipt_code(key, SALE)
    assert receipt_code("00" * 32, SALE) != receipt_code("00" * 31 + "01", SALE)
    with pytest.raises(ValueError):
        receipt_code("", SALE)


def test_the_module_needs_nothing_beyond_the_standard_library() -> None:
    import ast
    import sys
    from pathlib import Path

    import booth_pos.printing.qrcode_url as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    top = {name.split(".")[0] for name in imported} - {"__future__"}
    assert top <= set(sys.stdlib_module_names), top
