"""Contacts keep what a follow-up draft needs beyond the name, asked once and remembered:
the organisation (a company met, greeted as a team or through the person there), the
honorific of a formal address (Frau/Herr, Ms/Mr/Mx), whether they met online, the person an
introduction is for, and the few words noted when a contact is caught in the room ("Met
someone"). A caught contact has no topic and no channel yet, so both become nullable.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("organisation", sa.Text, nullable=True))
        batch.add_column(sa.Column("honorific", sa.String(8), nullable=True))
        batch.add_column(sa.Column("met_online", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("intro_to", sa.Text, nullable=True))
        batch.add_column(sa.Column("note", sa.Text, nullable=True))
        batch.alter_column("topic", existing_type=sa.Text, nullable=True)
        batch.alter_column("channel", existing_type=sa.String(20), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE contacts SET topic = '' WHERE topic IS NULL")
    op.execute("UPDATE contacts SET channel = 'email' WHERE channel IS NULL")
    with op.batch_alter_table("contacts") as batch:
        batch.alter_column("channel", existing_type=sa.String(20), nullable=False)
        batch.alter_column("topic", existing_type=sa.Text, nullable=False)
        batch.drop_column("note")
        batch.drop_column("intro_to")
        batch.drop_column("met_online")
        batch.drop_column("honorific")
        batch.drop_column("organisation")
