"""The sync tests' fixtures live in fixtures.py (the booth's sync client tests share them)."""

from tests.sync.fixtures import (  # noqa: F401
    county,
    county_logs,
    enrolled,
    pg_county,
    pg_database,
    proxy,
    sqlite_county,
)
