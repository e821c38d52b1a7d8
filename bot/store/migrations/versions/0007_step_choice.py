"""The step history keeps what a step's `stats:` names (which exit situation and line was shown),
for `exit-coach stats`: our own ids and numbers, never text a user typed. Nullable: the rows
already there simply have none.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("step_history") as batch:
        batch.add_column(sa.Column("choice", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("step_history") as batch:
        batch.drop_column("choice")
