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
    # Sync with the county server (services/sync_client.py). The status codes take no fields.
    "sync_not_enrolled": (
        "本机尚未登记到县服务器，请先运行 enroll",
        "this till is not enrolled with the county server; run enroll first",
    ),
    "sync_bad_server_url": (
        "服务器地址不对：{url}（须为 https://；http:// 只限本机，或加 --allow-http）",
        "bad server address: {url} (use https://; http:// only on this machine or with "
        "--allow-http)",
    ),
    "sync_bad_device_id": ("设备编号不对：{text}", "bad device id: {text}"),
    "sync_bad_token": ("令牌格式不对", "the token is malformed"),
    "sync_ca_file_missing": ("找不到证书文件：{path}", "CA file not found: {path}"),
    "sync_token_refused": (
        "县服务器不认这个令牌（错误、已停用或不是这台设备的）",
        "the county server refused this token (wrong, revoked or another device's)",
    ),
    "sync_enroll_conflict": (
        "县服务器拒绝登记：{detail}",
        "the county refused enrollment: {detail}",
    ),
    "sync_catalog_bad": (
        "县里的商品目录有误，未更新：{detail}",
        "the county's catalogue is invalid and was not applied: {detail}",
    ),
    "sync_offline": ("连不上县服务器，稍后自动重试", "cannot reach the county server; will retry"),
    "sync_timeout": ("县服务器响应超时，稍后自动重试", "the county server timed out; will retry"),
    "sync_tls": ("安全连接失败（证书不对）", "secure connection failed (certificate)"),
    "sync_server_error": ("县服务器出错，稍后自动重试", "county server error; will retry"),
    "sync_server_busy": ("县服务器繁忙，稍后自动重试", "the county server is busy; will retry"),
    "sync_unauthorised": (
        "县服务器不认本机的令牌，请重新登记（数据都在本机）",
        "the county server does not know this till's token; enroll again (data is kept)",
    ),
    "sync_revoked": (
        "本机已被县服务器停用，可以继续收银，数据留在本机",
        "this till was revoked by the county; selling goes on and data stays here",
    ),
    "sync_protocol": (
        "县服务器需要新版本的收银软件，数据留在本机",
        "the county server needs a newer version of this app; data stays here",
    ),
    "sync_batch_refused": (
        "县服务器拒收一批数据，请联系县里（数据留在本机）",
        "the county server refused a batch; contact the county (data stays here)",
    ),
    "sync_internal": ("同步出错", "sync failed"),
    # Day end: shifts, stock, day close, reports.
    "day_closed": (
        "{day} 已日结，不能再记入；更正请在下一营业日记录",
        "day {day} is closed; nothing more can be entered for it "
        "(record corrections on a later day)",
    ),
    "day_already_closed": (
        "{day} 已日结（Z 报表第 {z_no} 号）",
        "day {day} is already closed (Z report no. {z_no})",
    ),
    "day_in_future": ("{day} 还没到，不能日结", "day {day} has not come yet; it cannot be closed"),
    "earlier_day_open": (
        "请先日结 {day}（用 --date {day}）",
        "close {day} first (use --date {day})",
    ),
    "bad_date": (
        "日期格式不对：{text}（如 2026-02-10）",
        "cannot read date: {text} (e.g. 2026-02-10)",
    ),
    "shift_already_open": (
        "已有班次未结束（{opened_by}，{opened_at} 开班）",
        "a shift is already open (opened by {opened_by} at {opened_at})",
    ),
    "no_open_shift": ("没有进行中的班次", "no shift is open"),
    "shift_needs_count": (
        "{day} 的班次还未结束：请清点现金（--count）",
        "a shift of {day} is still open: count the cash to close it (--count)",
    ),
    "count_needed": ("请清点现金（--count）", "count the cash (--count)"),
    "count_not_needed": (
        "{day} 的现金已在结班时清点；日结不再清点",
        "the cash of {day} was counted when its shifts closed; no count is taken at day close",
    ),
    "bad_cash_count": (
        "现金清点格式不对：{text}（如 100x3,50x1,0.5x4）",
        "cannot read cash count: {text} (e.g. 100x3,50x1,0.5x4)",
    ),
    "bad_denomination": (
        "没有这种面额：{text}（可用 100、50、20、10、5、1、0.5、0.1）",
        "no such denomination: {text} (use 100, 50, 20, 10, 5, 1, 0.5, 0.1)",
    ),
    "negative_count": ("数量不能为负：{text}", "a count cannot be negative: {text}"),
    "mobile_total_needed": (
        "请输入收款码账单金额（系统记录 {recorded}）",
        "enter the payment app's total (recorded mobile payments: {recorded})",
    ),
    "variance_reason_needed": (
        "{plu} 盘点 {counted}，账面 {expected}：请填写差异原因（--reason）",
        "{plu} counted {counted}, book stock {expected}: give a reason for the difference "
        "(--reason)",
    ),
    "bad_waste_reason": (
        "报损原因须为 spoiled（变质）、damaged（损坏）、tasting（试吃）或 other（其他）：{text}",
        "waste reason must be spoiled, damaged, tasting or other: {text}",
    ),
    "household_mismatch": (
        "{plu} 是 {owner} 的货，不是 {given} 的",
        "{plu} belongs to household {owner}, not {given}",
    ),
    "unknown_household": ("未知农户：{code}", "unknown household: {code}"),
    "duplicate_product": ("{plu} 重复出现", "{plu} appears twice"),
    "bad_rate": (
        "佣金比例须为 0-100%，最多两位小数：{text}",
        "commission rate must be 0-100% with at most two decimals: {text}",
    ),
    "no_day_report": ("{day} 没有日结报表", "there is no Z report for {day}"),
    # Printing (settings, queue and the print worker's job errors).
    "bad_printer_uri": (
        "打印机地址不对：{text}（例如 usb:0416:5011、tcp:192.168.1.50、"
        "serial:/dev/ttyUSB0?baud=9600、file:/dev/usb/lp0、cups:名称、none）",
        "cannot read printer address: {text} (e.g. usb:0416:5011, tcp:192.168.1.50, "
        "serial:/dev/ttyUSB0?baud=9600, file:/dev/usb/lp0, cups:NAME, none)",
    ),
    "unknown_printer_profile": ("未知打印机型号：{name}", "unknown printer profile: {name}"),
    "bad_printer_mode": (
        "中文打印方式须为 gbk、raster 或 auto：{text}",
        "Chinese printing mode must be gbk, raster or auto: {text}",
    ),
    "bad_paper_width": (
        "纸宽须为 58 或 80 毫米：{text}",
        "paper width must be 58 or 80 mm: {text}",
    ),
    "bad_server_url": (
        "服务器地址须以 http:// 或 https:// 开头：{text}",
        "server address must start with http:// or https://: {text}",
    ),
    "unknown_print_job": ("找不到打印任务：{job}", "no such print job: {job}"),
    "print_job_not_failed": (
        "打印任务 {job} 没有失败，无需重试",
        "print job {job} has not failed; nothing to retry",
    ),
    "no_printer": ("未设置打印机（仅预览）", "no printer is set up (preview only)"),
    "print_failed": ("打印失败：{detail}", "printing failed: {detail}"),
    "print_offline": ("打印机未连接：{detail}", "printer not reachable: {detail}"),
    "print_timeout": ("打印机无响应：{detail}", "printer stopped responding: {detail}"),
    "print_connection_lost": ("打印机连接中断：{detail}", "printer connection lost: {detail}"),
    "print_not_ready": ("打印机未就绪：{detail}", "printer not ready: {detail}"),
    "print_paper_out": (
        "打印机缺纸，请装纸后重试",
        "the printer is out of paper; load paper and retry",
    ),
    "print_interrupted": (
        "打印中断，将整张补打：{detail}",
        "printing stopped part-way; the whole receipt will be reprinted: {detail}",
    ),
    "print_stale": (
        "小票等待过久，未自动打印；需要时请手动重打",
        "the receipt waited too long and was not printed automatically; retry it if wanted",
    ),
    "print_dismissed": ("已取消打印", "printing cancelled"),
    # Catalogue editor, people and audit trail (services/catalog_edit.py, people.py, audit.py).
    "pin_locked": (
        "密码错误次数过多，请 {minutes} 分钟后再试",
        "too many wrong PINs; try again in {minutes} min",
    ),
    "bad_unit": ("计价单位须为 kg、jin 或 item：{text}", "unit must be kg, jin or item: {text}"),
    "price_out_of_range": (
        "价格须在 0.01 至 10000 元之间：{text}",
        "price must be between 0.01 and 10000 yuan: {text}",
    ),
    "duplicate_barcode": (
        "条码 {barcode} 已属于商品 {plu}",
        "barcode {barcode} already belongs to PLU {plu}",
    ),
    "bad_barcode": ("条码须为 8-14 位数字：{text}", "a barcode must be 8 to 14 digits: {text}"),
    "bad_household_kind": (
        "农户类型须为 poverty_registered、family_farm 或 cooperative：{text}",
        "household kind must be poverty_registered, family_farm or cooperative: {text}",
    ),
    "bad_role": (
        "角色须为 operator 或 coordinator：{text}",
        "role must be operator or coordinator: {text}",
    ),
    "unknown_person": ("没有此人：{name}", "no such person: {name}"),
    "person_exists": ("已有此人：{name}", "this person already exists: {name}"),
    "last_coordinator": (
        "不能停用或降级最后一位协调员：{name}",
        "cannot deactivate or demote the last active coordinator: {name}",
    ),
    "bad_plu": ("商品编码须为 1-20 个字符：{text}", "a PLU must be 1 to 20 characters: {text}"),
    "bad_colour": ("颜色须为 #RRGGBB：{text}", "colour must be #RRGGBB: {text}"),
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
