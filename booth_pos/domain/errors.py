"""Errors an operator can cause and fix, with their wording in both languages.

The UI translates by code; the CLI prints the operator's language. Keeping the
wording here means both front ends say the same thing.
"""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # code: (Simplified Chinese, English)
    "unknown_plu": ("未知商品编码：{plu}", "unknown PLU or barcode: {plu}"),
    "inactive_product": ("商品已停售：{plu}", "product is not on sale: {plu}"),
    "bad_quantity": ("数量格式不对：{text}", "cannot read quantity: {text}"),
    "quantity_not_positive": ("数量必须大于零：{text}", "quantity must be above zero: {text}"),
    "quantity_too_large": (
        "数量过大：{text}（单行上限 {limit}）",
        "quantity too large: {text} (limit per line {limit})",
    ),
    "quantity_fraction_of_gram": (
        "重量须精确到克：{text}",
        "weight must be a whole number of grams: {text}",
    ),
    "weight_for_item": (
        "{plu} 按件卖，不能按重量：{text}",
        "{plu} is sold by the item, not by weight: {text}",
    ),
    "count_for_weighed": (
        "{plu} 按重量卖，请输入重量（如 1.25kg、2斤、750g）：{text}",
        "{plu} is sold by weight; give a weight such as 1.25kg, 2jin or 750g: {text}",
    ),
    "bad_amount": ("金额格式不对：{text}", "cannot read amount: {text}"),
    "amount_not_positive": ("金额必须大于零：{text}", "amount must be above zero: {text}"),
    "amount_too_large": ("金额过大：{text}", "amount too large: {text}"),
    "bad_tender_method": (
        "未知付款方式：{text}（可用 cash、mobile、other）",
        "unknown payment method: {text} (use cash, mobile or other)",
    ),
    "no_tender": ("请输入付款", "no payment given"),
    "empty_cart": ("购物车是空的", "the cart is empty"),
    "tender_below_total": (
        "付款不足：应付 {total}，实收 {paid}",
        "payment short: total {total}, paid {paid}",
    ),
    "change_on_non_cash": (
        "只有现金可以找零：非现金付款 {non_cash} 超过应付 {total}",
        "only cash gives change: non-cash payment {non_cash} exceeds total {total}",
    ),
    "round_down_not_allowed": ("抹零方式不对：{text}", "unknown round-down rule: {text}"),
    "round_down_to_zero": (
        "抹零后金额为零，不能抹零",
        "round-down would make the sale free; not allowed",
    ),
    "too_many_lines": (
        "单笔商品行过多（上限 {limit}）",
        "too many lines in one sale (limit {limit})",
    ),
    "unknown_operator": ("未知收银员：{name}", "unknown operator: {name}"),
    "wrong_pin": ("密码错误", "wrong PIN"),
    "not_coordinator": ("此操作需要协调员密码", "this needs a coordinator's PIN"),
    "unknown_receipt": ("找不到小票：{receipt_no}", "no such receipt: {receipt_no}"),
    "already_voided": ("小票 {receipt_no} 已作废", "receipt {receipt_no} is already voided"),
    "void_after_refund": (
        "小票 {receipt_no} 已有退款，不能作废",
        "receipt {receipt_no} has refunds and cannot be voided",
    ),
    "refund_voided": (
        "小票 {receipt_no} 已作废，不能退款",
        "receipt {receipt_no} is voided and cannot be refunded",
    ),
    "unknown_line": (
        "小票 {receipt_no} 没有第 {line} 行",
        "receipt {receipt_no} has no line {line}",
    ),
    "refund_too_much": (
        "退货超过所售：第 {line} 行已售 {sold}，已退 {refunded}，本次 {asked}",
        "refund exceeds sale: line {line} sold {sold}, refunded {refunded}, asked {asked}",
    ),
    "nothing_to_refund": ("没有可退的商品", "nothing left to refund"),
    "empty_reason": ("请填写原因", "a reason is required"),
    "not_initialised": (
        "摊位尚未设置，请先运行 init",
        "the booth is not set up yet; run init first",
    ),
    "already_initialised": ("摊位已设置：{code}", "the booth is already set up: {code}"),
    "bad_booth_code": (
        "摊位编码须为 2-12 位字母或数字：{text}",
        "booth code must be 2-12 letters or digits: {text}",
    ),
    "empty_field": ("{field} 不能为空", "{field} must not be empty"),
    "bad_pin": ("密码须为 4-8 位数字", "a PIN must be 4 to 8 digits"),
    "csv_header": (
        "CSV 表头不对：缺少 {missing}",
        "CSV header is wrong: missing {missing}",
    ),
    "csv_rows": ("CSV 有 {count} 行错误：{details}", "CSV has {count} bad rows: {details}"),
    "csv_empty": ("CSV 没有数据行", "CSV has no data rows"),
    "file_not_found": ("找不到文件：{path}", "file not found: {path}"),
}


class BadInput(Exception):
    """Input the operator can correct; raising it must leave the ledger untouched."""

    def __init__(self, code: str, /, **params: object) -> None:
        if code not in MESSAGES:
            raise KeyError(code)
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES[self.code]
        template = en if lang.startswith("en") else zh
        return template.format(**self.params)
