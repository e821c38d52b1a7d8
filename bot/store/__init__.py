"""Persistence: plain synchronous SQLAlchemy 2 functions on a `Connection`, run through one
entry point (`Database.run`, executor.py); SQLite by default, PostgreSQL for several instances."""
