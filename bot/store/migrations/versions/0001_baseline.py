"""Baseline: the schema of the first release (made by `create_all` before migrations existed).

A database made by that release has these tables but no `alembic_version`; `bot.store.migrate`
stamps it with this revision instead of running it.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("session", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("blocked", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("dialog", sa.String(40), nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.UniqueConstraint("user_id", "key", name="uq_reminders_user_key"),
    )
    op.create_index("ix_reminders_unsent_due", "reminders", ["sent_at", "due_at"])
    op.create_table(
        "waitlist",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("offer_key", sa.String(40), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("joined_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("offer_key", "user_id", name="uq_waitlist_offer_user"),
    )


def downgrade() -> None:
    for table in ("waitlist", "reminders", "users"):
        op.drop_table(table)
