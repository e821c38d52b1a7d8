"""Persistence: SQLAlchemy 2 asyncio; SQLite by default, PostgreSQL for several instances."""
