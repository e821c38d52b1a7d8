"""Network reviews in stages, and the yearly networking plan.

A network remembers where its review stands (`review_stage`: talk planned, kept, withdrawal
planned, left), since when, and, for an orderly withdrawal, the end of the membership period
(`leave_on`), so the coach can check in after the talk and before the period ends instead of
letting a committed network hang. `year_plans` holds one plan per user and year (which contacts,
where to find them, which networks stay or go, which new topics). All new columns are nullable:
existing networks simply have no review under way.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("networks") as batch:
        batch.add_column(sa.Column("review_stage", sa.String(16), nullable=True))
        batch.add_column(sa.Column("review_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("leave_on", sa.DateTime, nullable=True))
    op.create_table(
        "year_plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "user_id",
            sa.BigInteger,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("contacts", sa.Text, nullable=True),
        sa.Column("places", sa.Text, nullable=True),
        sa.Column("networks", sa.Text, nullable=False),
        sa.Column("topics", sa.Text, nullable=True),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "year", name="uq_year_plans_user_year"),
    )


def downgrade() -> None:
    op.drop_table("year_plans")
    with op.batch_alter_table("networks") as batch:
        batch.drop_column("leave_on")
        batch.drop_column("review_at")
        batch.drop_column("review_stage")
