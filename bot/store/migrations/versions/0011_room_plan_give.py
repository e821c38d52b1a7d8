"""A plan with numbers, and a give the coach suggested.

`year_plans` keeps the budget the user set in /plan: goal events per month, try-outs per
quarter, hours per month, so /prepare can say whether an event fits and /journal can show the
plan against what happened. `events.give_idea` names the idea the user picked when they did not
know what to give (a tip, an introduction, a resource, a good question); the cheat sheet words it
in the user's language. All nullable: existing plans have no numbers, existing events no idea.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("year_plans") as batch:
        batch.add_column(sa.Column("events_per_month", sa.Integer, nullable=True))
        batch.add_column(sa.Column("tryouts_per_quarter", sa.Integer, nullable=True))
        batch.add_column(sa.Column("hours_per_month", sa.Integer, nullable=True))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("give_idea", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("give_idea")
    with op.batch_alter_table("year_plans") as batch:
        batch.drop_column("hours_per_month")
        batch.drop_column("tryouts_per_quarter")
        batch.drop_column("events_per_month")
