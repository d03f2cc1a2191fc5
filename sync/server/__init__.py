"""The county sync server: FastAPI over SQLAlchemy; SQLite by default, PostgreSQL for many
workers."""
