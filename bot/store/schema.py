"""Tables. A user's whole dialog session is one JSON column, so an update costs one read and one
write; records that are queried on their own (events, reminders) get tables of their own."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

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

# Planned messages (cheat sheet before an event, reflection after it, follow-up nudges). They live
# here rather than only in the job queue so that a restart, even a kill, loses none. Times are UTC.
reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, nullable=False),
    Column("key", String(120), nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("dialog", String(40), nullable=False),
    Column("answers", Text, nullable=False),
    Column("sent_at", DateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    UniqueConstraint("user_id", "key", name="uq_reminders_user_key"),
    Index("ix_reminders_unsent_due", "sent_at", "due_at"),
)

# Users who agreed to be on the waiting list of one of the operator's offers.
waitlist = Table(
    "waitlist",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("offer_key", String(40), nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("name", String(120), nullable=False),
    Column("language", String(8), nullable=False),
    Column("joined_at", DateTime, nullable=False),
    UniqueConstraint("offer_key", "user_id", name="uq_waitlist_offer_user"),
)
