"""Events remember whether they take place online (the in-the-room help then offers breakout
rooms, chat and camera lines), and the profile remembers the tone the user last chose for exit
lines (warm or brief), so the next /exit starts in it. Both nullable: older events are "not
known", older profiles start warm.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("online", sa.Boolean, nullable=True))
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("exit_tone", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("exit_tone")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("online")
