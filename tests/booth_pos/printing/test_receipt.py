"""The receipt layout: what a customer reads, fitted to 58 mm (32 columns) and 80 mm (48)."""

from __future__ import annotations

import datetime as dt

import pytest

from booth_pos.printing.receipt import (
    QR_CAPTION,
    REPRINT_MARK,
    QrRow,
    ReceiptLine,
    ReceiptTender,
    SelfTestPage,
    TextRow,
    layout,
    quantity_text,
    self_test_page,
    to_text,
)
from booth_pos.printing.text import NotGbk, clean, gbk_bytes, width, wrap
from tests.booth_pos.printing import samples


def rows_fit(columns: int, rows: tuple[TextRow | QrRow, ...]) -> list[str]:
    """Rows wider than the paper (there must be none)."""
    return [
        row.text
        for row in rows
        if isinstance(row, TextRow) and width(row.text) * row.scale > columns
    ]


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_a_sale_receipt_says_everything_the_customer_needs(columns: int) -> None:
    text = to_text(layout(samples.sale(), columns))
    for expected in (
        "后湖莲藕摊",
        "莲花镇",
        "LX01-000012",
        "2026-02-10 14:03:05",
        "李娜",
        "莲藕",
        "2.5斤 x 3.50/斤",
        "8.75",
        "槐花蜜 500g",
        "2罐 x 45.00/罐",
        "90.00",
        "1.5斤 x 12.00/斤",
        "红薯粉条 1kg",
        "3袋 x 18.00/袋",
        "54.00",
        "小计",
        "195.75",
        "抹零",
        "-0.75",
        "￥195.00",
        "现金",
        "200.00",
        "找零",
        "5.00",
        "本单惠及 4 户农户",
        QR_CAPTION,
        "谢谢惠顾，欢迎再来！",
    ):
        assert expected in text, expected
    assert REPRINT_MARK not in text
    assert "¥" not in text  # the footer's half-width ¥ became ￥
    assert "满￥50赠莲子一包" in text


@pytest.mark.parametrize("columns", [32, 48])
def test_every_row_fits_the_paper_even_with_long_names(columns: int) -> None:
    long_name = "陈家庄食用菌合作社特级有机干香菇礼盒装（含精美包装）500g x 2"
    receipt = layout(
        samples.sale(
            lines=(ReceiptLine(long_name, "item", 999, 99_999_99, 99_999_99 * 999, "盒"),),
            booth_name="莲花镇后湖村李桂兰家庭农场莲藕直销摊位",
            round_down_fen=0,
            tenders=(ReceiptTender("mobile", 99_999_99 * 999),),
        ),
        columns,
    )
    assert rows_fit(columns, receipt.rows) == []
    text = "".join(row.text for row in receipt.rows if isinstance(row, TextRow))
    assert "陈家庄食用菌合作社特级有机干香菇礼盒装" in text.replace(" ", "")
    assert "99899990.01" in text  # the amount is never cut off


def test_the_total_is_double_size_and_the_booth_name_too_when_it_fits() -> None:
    receipt = layout(samples.sale(), 32)
    big = [row.text for row in receipt.rows if isinstance(row, TextRow) and row.scale == 2]
    assert "后湖莲藕摊" in big
    assert any(row.startswith("合计") and row.endswith("￥195.00") for row in big)


def test_a_reprint_is_marked_at_the_top_and_never_opens_the_drawer() -> None:
    first = layout(samples.sale(), 32)
    again = layout(samples.sale(reprint=True), 32)
    assert first.kick_drawer is True  # a cash sale
    assert again.kick_drawer is False
    top = again.rows[0]
    assert isinstance(top, TextRow) and REPRINT_MARK in top.text and top.scale == 2
    assert to_text(again).count(REPRINT_MARK) == 1


def test_a_mobile_payment_does_not_open_the_drawer_or_show_change() -> None:
    receipt = layout(samples.sale(tenders=(ReceiptTender("mobile", 19500),), round_down_fen=75), 32)
    assert receipt.kick_drawer is False
    text = to_text(receipt)
    assert "扫码支付" in text and "找零" not in text


def test_the_qr_row_carries_the_url_and_no_server_means_no_qr() -> None:
    receipt = layout(samples.sale(), 32)
    assert [row.data for row in receipt.rows if isinstance(row, QrRow)] == [samples.sale().qr_url]
    bare = layout(samples.sale(qr=False), 32)
    assert not any(isinstance(row, QrRow) for row in bare.rows)
    assert QR_CAPTION not in to_text(bare)


def test_a_refund_receipt_names_the_original_sale_and_what_went_back() -> None:
    text = to_text(layout(samples.refund(), 32))
    for expected in ("退货单", "LX01-R000013", "LX01-000012", "张敏", "顾客不要了", "槐花蜜 500g"):
        assert expected in text
    assert "￥45.00" in text and "现金" in text


@pytest.mark.parametrize(
    ("unit", "quantity", "label", "expected"),
    [
        ("jin", 1250, "", "2.5斤"),
        ("jin", 333, "", "0.666斤"),  # grams / 500 is exact to three decimals
        ("kg", 1250, "", "1.25kg"),
        ("item", 2, "罐", "2罐"),
        ("item", 3, "", "3件"),
    ],
)
def test_quantities_read_as_the_customer_bought_them(
    unit: str, quantity: int, label: str, expected: str
) -> None:
    assert quantity_text(unit, quantity, label) == expected


def test_clean_removes_control_bytes_that_would_be_printer_commands() -> None:
    assert clean("莲藕\x1b@\x1dV\x00") == "莲藕 @ V "
    assert clean("¥5") == "￥5"
    assert clean("e\u0301") == "é"  # combined, one character


def test_wrap_breaks_chinese_anywhere_and_ascii_at_spaces() -> None:
    assert wrap("莲藕莲藕莲藕", 8) == ["莲藕莲藕", "莲藕"]
    assert wrap("Acacia honey 500 g", 14) == ["Acacia honey", "500 g"]
    assert all(width(line) <= 10 for line in wrap("红薯粉条1kg装红薯粉条", 10))


def test_gbk_bytes_refuses_what_the_printer_font_cannot_print() -> None:
    assert gbk_bytes("￥12.50") == b"\xa3\xa412.50"
    for bad in ("¥", "€", "𠀀", "😀"):
        with pytest.raises(NotGbk):
            gbk_bytes(f"价格{bad}")


@pytest.mark.parametrize("columns", [32, 48])
def test_the_test_page_fits_and_shows_the_printer_settings(columns: int) -> None:
    page = SelfTestPage(
        booth_name="后湖莲藕摊",
        printer="tcp:192.168.100.200:9100",
        profile="Xprinter XP-80 class, Chinese font, cutter (a long label)",
        mode="gbk",
        dots=columns * 12,
        local_time=dt.datetime(2026, 2, 10, 9, 0),
        qr_data="https://county.example.cn/",
    )
    receipt = self_test_page(page, columns)
    assert rows_fit(columns, receipt.rows) == []
    text = to_text(receipt)
    assert "打印测试" in text and "tcp:192.168.100.200:9100" in text and "￥88.00" in text
    assert "".join(str(i % 10) for i in range(1, columns + 1)) in text  # the width ruler
    assert receipt.kick_drawer is False
