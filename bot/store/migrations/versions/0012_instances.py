"""The instances running now, each with the last time it said so: the live ones share
Telegram's budget of messages per second (bot/presence.py, bot/telegram/ratelimit.py).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instances",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("seen_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("instances")
