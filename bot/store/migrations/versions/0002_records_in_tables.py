"""Records in their own tables: profile, networks, events, reflections, contacts, network
reviews, step history and processed updates; reminders and waitlist entries get a foreign key to
their user and reminders a claim and a stored message.

Every user's journal moves out of the session JSON into the tables, and the session JSON keeps
only what drives the dialog. Frozen table definitions and plain JSON here: a revision must keep
working when the application's models change later.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JOURNAL_KEY, SETTINGS_KEY = "journal", "settings"


def _user_fk() -> sa.Column[int]:
    return sa.Column(
        "user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    _create_tables()
    connection = op.get_bind()
    # Rows of users that no longer exist could not satisfy the new foreign keys.
    for table in ("reminders", "waitlist"):
        connection.execute(
            sa.text(f"DELETE FROM {table} WHERE user_id NOT IN (SELECT id FROM users)")
        )
    with op.batch_alter_table("reminders") as batch:
        batch.add_column(sa.Column("claimed_until", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("message", sa.Text, nullable=True))
        batch.create_foreign_key(
            "fk_reminders_user", "users", ["user_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("waitlist") as batch:
        batch.create_foreign_key(
            "fk_waitlist_user", "users", ["user_id"], ["id"], ondelete="CASCADE"
        )
    _move_journals(connection)


def downgrade() -> None:
    raise NotImplementedError("records cannot be folded back into the session; restore a backup")


def _create_tables() -> None:
    op.create_table(
        "profiles",
        sa.Column(
            "user_id",
            sa.BigInteger,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("business", sa.Text, nullable=True),
        sa.Column("goals", sa.Text, nullable=False),
        sa.Column("reminders_off", sa.Text, nullable=False),
    )
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user_fk(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.UniqueConstraint("user_id", "name_key", name="uq_networks_user_name"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user_fk(),
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("starts_at", sa.DateTime, nullable=False),
        sa.Column("ends_at", sa.DateTime, nullable=False),
        sa.Column("fit", sa.String(16), nullable=True),
        sa.Column("people_fit", sa.String(16), nullable=True),
        sa.Column("goal", sa.String(40), nullable=False),
        sa.Column("tryout", sa.Boolean, nullable=False),
        sa.Column("confidence_before", sa.Integer, nullable=True),
        sa.Column("whom", sa.Text, nullable=True),
        sa.Column("give", sa.Text, nullable=True),
        sa.Column("intro", sa.Text, nullable=True),
        sa.Column("exit_situations", sa.Text, nullable=False),
        sa.Column(
            "network_id",
            sa.Integer,
            sa.ForeignKey("networks.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "key", name="uq_events_user_key"),
    )
    op.create_index("ix_events_user_starts", "events", ["user_id", "starts_at"])
    op.create_index("ix_events_network", "events", ["network_id"])
    op.create_table(
        "reflections",
        sa.Column(
            "event_id",
            sa.Integer,
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("usefulness", sa.Integer, nullable=False),
        sa.Column("goals_met", sa.String(16), nullable=False),
        sa.Column("energy", sa.Integer, nullable=False),
        sa.Column("confidence_after", sa.Integer, nullable=True),
        sa.Column("go_again", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user_fk(),
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("place", sa.Text, nullable=True),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("give", sa.Text, nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column(
            "event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("done_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("user_id", "key", name="uq_contacts_user_key"),
    )
    op.create_index("ix_contacts_user_status", "contacts", ["user_id", "status"])
    op.create_index("ix_contacts_event", "contacts", ["event_id"])
    op.create_table(
        "network_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user_fk(),
        sa.Column(
            "network_id",
            sa.Integer,
            sa.ForeignKey("networks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_network_reviews_network", "network_reviews", ["network_id"])
    op.create_index("ix_network_reviews_user", "network_reviews", ["user_id"])
    op.create_table(
        "step_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user_fk(),
        sa.Column("dialog", sa.String(40), nullable=False),
        sa.Column("state", sa.String(60), nullable=False),
        sa.Column("input_kind", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_step_history_at", "step_history", ["at"])
    op.create_index("ix_step_history_user", "step_history", ["user_id"])
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_processed_updates_at", "processed_updates", ["at"])
    op.create_index("ix_processed_updates_user", "processed_updates", ["user_id"])


# -- moving each user's journal out of the session JSON -------------------------------------------


def _table(name: str, *columns: str) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns))


USERS = _table("users", "id", "session")
PROFILES = _table("profiles", "user_id", "name", "business", "goals", "reminders_off")
NETWORKS = _table("networks", "id", "user_id", "name", "name_key")
EVENTS = _table(
    "events", "id", "user_id", "key", "name", "starts_at", "ends_at", "fit", "people_fit",
    "goal", "tryout", "confidence_before", "whom", "give", "intro", "exit_situations",
    "network_id", "created_at",
)  # fmt: skip
REFLECTIONS = _table(
    "reflections", "event_id", "usefulness", "goals_met", "energy", "confidence_after",
    "go_again", "at",
)  # fmt: skip
CONTACTS = _table(
    "contacts", "id", "user_id", "key", "name", "place", "topic", "give", "channel", "status",
    "event_id", "created_at", "done_at",
)  # fmt: skip
REVIEWS = _table("network_reviews", "id", "user_id", "network_id", "decision", "at")


def _moment(value: str | None) -> datetime | None:
    """ISO text from pydantic's JSON → naive UTC, the rule for every stored time."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _move_journals(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(USERS.c.id, USERS.c.session)).all()
    for user_id, raw in rows:
        session: dict[str, Any] = json.loads(raw)
        data: dict[str, Any] = session.get("data") or {}
        profile = session.get("profile") or {}
        settings = data.pop(SETTINGS_KEY, None) or {}
        connection.execute(
            PROFILES.insert().values(
                user_id=user_id,
                name=profile.get("name"),
                business=profile.get("business"),
                goals=json.dumps(profile.get("goals") or []),
                reminders_off=json.dumps(sorted(settings.get("reminders_off") or [])),
            )
        )
        _move_journal(connection, user_id, data.pop(JOURNAL_KEY, None) or {})
        session.pop("profile", None)
        session["data"] = data
        connection.execute(
            USERS.update().where(USERS.c.id == user_id).values(session=json.dumps(session))
        )


def _move_journal(connection: sa.Connection, user_id: int, journal: dict[str, Any]) -> None:
    networks: dict[str, int] = {}

    def network_id(name: str | None) -> int | None:
        if not name or not name.strip():
            return None
        key = name.strip().casefold()[:200]
        if key not in networks:
            networks[key] = connection.execute(
                NETWORKS.insert()
                .values(user_id=user_id, name=name.strip(), name_key=key)
                .returning(NETWORKS.c.id)
            ).scalar_one()
        return networks[key]

    event_ids: dict[str, int] = {}
    for event in journal.get("events") or []:
        event_id = connection.execute(
            EVENTS.insert()
            .values(
                user_id=user_id,
                key=event["id"],
                name=event["name"],
                starts_at=_moment(event["starts_at"]),
                ends_at=_moment(event["ends_at"]),
                fit=event.get("fit"),
                people_fit=event.get("people_fit"),
                goal=event["goal"],
                tryout=bool(event.get("tryout")),
                confidence_before=event.get("confidence_before"),
                whom=event.get("whom"),
                give=event.get("give"),
                intro=event.get("intro"),
                exit_situations=json.dumps(event.get("exit_situations") or []),
                network_id=network_id(event.get("network")),
                created_at=_moment(event["created_at"]),
            )
            .returning(EVENTS.c.id)
        ).scalar_one()
        event_ids[event["id"]] = event_id
        reflection = event.get("reflection")
        if reflection:
            connection.execute(
                REFLECTIONS.insert().values(
                    event_id=event_id,
                    usefulness=reflection["usefulness"],
                    goals_met=reflection["goals_met"],
                    energy=reflection["energy"],
                    confidence_after=reflection.get("confidence_after"),
                    go_again=reflection["go_again"],
                    at=_moment(reflection["at"]),
                )
            )
    for contact in journal.get("contacts") or []:
        connection.execute(
            CONTACTS.insert().values(
                user_id=user_id,
                key=contact["id"],
                name=contact["name"],
                place=contact.get("where"),
                topic=contact["topic"],
                give=contact.get("give"),
                channel=contact["channel"],
                status=contact.get("status") or "open",
                event_id=event_ids.get(contact.get("event_id") or ""),
                created_at=_moment(contact["created_at"]),
                done_at=_moment(contact.get("done_at")),
            )
        )
    for review in journal.get("network_reviews") or []:
        network = network_id(review.get("network"))
        if network is not None:
            connection.execute(
                REVIEWS.insert().values(
                    user_id=user_id,
                    network_id=network,
                    decision=review["decision"],
                    at=_moment(review["at"]),
                )
            )
