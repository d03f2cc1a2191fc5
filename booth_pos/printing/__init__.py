"""Receipts: layout as a pure function of a sale, then ESC/POS bytes, a PNG preview or text.

Modules, lightest first (importing this package imports none of them):

- `qrcode_url`: the receipt QR's URL and its HMAC code; standard library only, so the county
  server imports it without Qt, Pillow or python-escpos.
- `text`: display cells (ASCII 1, anything else 2), GBK checks, wrapping.
- `uri`, `profiles`: printer connection URIs and printer models (no I/O).
- `receipt`: what a receipt says (`SaleReceipt`, `RefundReceipt`) and `layout()`, the rows.
- `raster`: the layout drawn with the bundled CJK font (Pillow); `render`: ESC/POS bytes
  (gbk or raster mode, via python-escpos' Dummy), PNG and plain text.
- `connections`: usb / tcp / serial / file / cups / none, with timeouts, and DLE EOT status.
"""
