"""SQLite ledger: typed SQLAlchemy models, engine set-up and migrations."""
