"""Tables. A user's whole dialog session is one JSON column, so an update costs one read and one
write; records that are queried on their own (events, reminders) get tables of their own."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, MetaData, Table, Text

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("session", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("blocked", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
