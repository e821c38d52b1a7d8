"""Alembic revisions: the only way the schema changes, so every running database keeps its data."""
