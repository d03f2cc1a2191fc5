"""Exports of the day-end reports: CSV (UTF-8 with a BOM) and PDF (CJK font embedded). No Qt."""
