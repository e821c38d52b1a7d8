"""Events remember whether the user went or skipped them: a skipped event is kept (with the
answers that led to skipping), so /journal can show the mix of goal events, try-outs and
skipped ones. Every event stored before this was one the user prepared to go to: "planned".

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="planned")
        )


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("status")
