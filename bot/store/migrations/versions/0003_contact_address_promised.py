"""Contacts remember how the user and the contact address each other (Du/Sie, first name or
formal) and whether the give was promised, so a follow-up draft shown again later (the nudge)
reads like the first one. Both are nullable: older contacts keep the formal, unpromised draft.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("promised", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("address", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("address")
        batch.drop_column("promised")
