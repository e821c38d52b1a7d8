"""The outbox: a turn's rendered replies are committed with the turn and sent afterwards, so a
crash, a restart or Telegram's flood control between the commit and the send loses none of
them (bot/outbox.py). A new, empty table: nothing to move. A reminder's rendered message now
waits there too, so `reminders.message` goes: a reminder claimed but not yet sent when the bot
was updated simply runs its dialog again.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("tapped_message_id", sa.BigInteger, nullable=True),
        sa.Column("file_pending", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("not_before", sa.DateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("claimed_until", sa.DateTime, nullable=True),
        sa.Column("claimed_by", sa.String(32), nullable=True),
    )
    op.create_index("ix_outbox_user", "outbox", ["user_id", "id"])
    op.create_index("ix_outbox_due", "outbox", ["not_before"])
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("message")


def downgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.add_column(sa.Column("message", sa.Text, nullable=True))
    op.drop_table("outbox")
