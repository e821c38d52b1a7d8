"""The inbox: Telegram updates are kept before Telegram is told they arrived, and applied per
user in update id order on whichever instance (bot/telegram/inbox.py). It takes over from
`processed_updates` (the ids of applied updates), whose rows move over as applied ones. And
`erasures`: an update older than a user's /delete, delivered again, must not bring them back.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("payload", sa.Text, nullable=True),
        sa.Column("kept_by", sa.String(32), nullable=True),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("applied_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_inbox_user_waiting", "inbox", ["user_id", "applied_at"])
    op.create_index("ix_inbox_received", "inbox", ["received_at"])
    op.execute(
        "INSERT INTO inbox (update_id, user_id, payload, kept_by, received_at, applied_at)"
        " SELECT update_id, user_id, NULL, NULL, at, at FROM processed_updates"
    )
    op.drop_table("processed_updates")
    op.create_table(
        "erasures",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("update_id", sa.BigInteger, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("erasures")
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_processed_updates_at", "processed_updates", ["at"])
    op.create_index("ix_processed_updates_user", "processed_updates", ["user_id"])
    op.execute(
        "INSERT INTO processed_updates (update_id, user_id, at)"
        " SELECT update_id, user_id, received_at FROM inbox WHERE applied_at IS NOT NULL"
    )
    op.drop_table("inbox")
