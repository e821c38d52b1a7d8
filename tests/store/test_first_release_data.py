"""A database made by the first release (tests/fixtures/first_release.db, built by that release's
own code: see make_first_release_db.py) is migrated without losing a record: every profile,
event, reflection, contact, network review, reminder and waitlist entry is compared with the
JSON it came from, on SQLite and on PostgreSQL; and the coach works on the result."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Connection, DateTime, Table, insert, select

from bot.bootstrap import build_engine
from bot.coach.journal import Contact, Event
from bot.config import get_settings
from bot.engine.session import Session
from bot.service import ConversationService
from bot.store.database import Database, open_database
from bot.store.journal.reviews import network_key
from bot.store.journal.sql_journal import SqlJournal
from bot.store.migrate import upgrade
from bot.store.schema import profiles, reminders, users, waitlist
from bot.store.sessions import SessionStore
from tests.dialog_client import DialogClient
from tests.postgres import fresh_postgres_database

FIXTURE = Path(__file__).parent.parent / "fixtures" / "first_release.db"
TABLES = ("users", "reminders", "waitlist")  # what the first release had


def first_release_rows() -> dict[str, list[dict[str, Any]]]:
    with sqlite3.connect(FIXTURE) as connection:
        connection.row_factory = sqlite3.Row
        return {
            table: [dict(row) for row in connection.execute(f"SELECT * FROM {table}")]
            for table in TABLES
        }


def expected_journal(session: dict[str, Any]) -> dict[str, Any]:
    """What the tables must hold for one user, worked out from the old JSON alone."""
    journal = (session.get("data") or {}).get("journal") or {}
    names: dict[str, str] = {}  # a network is named as it was first written

    def network(name: str | None) -> str | None:
        if not name or not name.strip():
            return None
        return names.setdefault(network_key(name), name.strip())

    events = [Event.model_validate(e) for e in journal.get("events") or []]
    for event in events:
        event.network = network(event.network)
    keys = {event.id for event in events}
    contacts = [Contact.model_validate(c) for c in journal.get("contacts") or []]
    for contact in contacts:
        contact.event_id = contact.event_id if contact.event_id in keys else None
    reviews = [
        {"network": network(r["network"]), "decision": r["decision"]}
        for r in journal.get("network_reviews") or []
    ]
    return {
        "events": sorted((e.model_dump() for e in events), key=lambda e: e["starts_at"]),
        "contacts": sorted((c.model_dump() for c in contacts), key=lambda c: c["created_at"]),
        "network_reviews": reviews,
    }


async def assert_everything_moved(engine: Database, old: dict[str, list[dict[str, Any]]]):
    await engine.run(lambda connection: _assert_everything_moved(connection, old))


def _assert_everything_moved(connection: Connection, old: dict[str, list[dict[str, Any]]]) -> None:
    for row in old["users"]:
        user_id, session = row["id"], json.loads(row["session"])
        stored = connection.execute(select(users).where(users.c.id == user_id)).one()
        assert stored.version == row["version"]
        slim = json.loads(stored.session)
        assert "profile" not in slim and set(slim["data"]) == set(session["data"]) - {
            "journal",
            "settings",
        }
        assert Session.model_validate(slim).active == Session.model_validate(session).active
        profile = connection.execute(select(profiles).where(profiles.c.user_id == user_id)).one()
        old_profile = session.get("profile") or {}
        assert (profile.name, profile.business, json.loads(profile.goals)) == (
            old_profile.get("name"),
            old_profile.get("business"),
            old_profile.get("goals") or [],
        )
        off = ((session["data"].get("settings") or {}).get("reminders_off")) or []
        assert json.loads(profile.reminders_off) == sorted(off)

        exported = SqlJournal(connection, user_id).export()
        expected = expected_journal(session)
        assert [Event.model_validate(e).model_dump() for e in exported["events"]] == expected[
            "events"
        ]
        got_contacts = [Contact.model_validate(c).model_dump() for c in exported["contacts"]]
        assert sorted(got_contacts, key=lambda c: c["created_at"]) == expected["contacts"]
        assert [
            {"network": r["network"], "decision": r["decision"]}
            for r in exported["network_reviews"]
        ] == expected["network_reviews"]
    for table, old_rows in (("reminders", old["reminders"]), ("waitlist", old["waitlist"])):
        source = reminders if table == "reminders" else waitlist
        now_rows = connection.execute(select(source).order_by(source.c.id)).all()
        assert [(r.id, r.user_id) for r in now_rows] == [
            (r["id"], r["user_id"]) for r in old_rows
        ]
        key = "key" if table == "reminders" else "offer_key"
        assert [getattr(r, key) for r in now_rows] == [r[key] for r in old_rows]


def typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row as sqlite3 read it (times as text, booleans as 0/1), typed for PostgreSQL."""
    values: dict[str, Any] = {}
    for name, value in row.items():
        column_type = table.c[name].type
        if value is not None and isinstance(column_type, DateTime):
            moment = datetime.fromisoformat(value)
            value = (
                moment.replace(tzinfo=UTC) if column_type.timezone and not moment.tzinfo else moment
            )
        elif isinstance(column_type, Boolean):
            value = bool(value)
        values[name] = value
    return values


async def test_the_fixture_has_every_kind_of_record() -> None:
    """Guards the test itself: a fixture without these would prove nothing."""
    old = first_release_rows()
    journals = [expected_journal(json.loads(u["session"])) for u in old["users"]]
    assert sum(len(j["events"]) for j in journals) >= 10
    assert any(e["reflection"] for j in journals for e in j["events"])
    assert any(c["status"] == "done" for j in journals for c in j["contacts"])
    assert any(j["network_reviews"] for j in journals)
    assert old["reminders"] and old["waitlist"]


async def test_first_release_database_migrates_without_loss_on_sqlite(tmp_path: Path) -> None:
    copy = tmp_path / "first_release.db"
    shutil.copy(FIXTURE, copy)
    old = first_release_rows()
    url = f"sqlite+aiosqlite:///{copy}"
    engine = await open_database(url)
    try:
        await assert_everything_moved(engine, old)
        # and the coach works on what was moved: the journal of the full-cycle user
        service = ConversationService(
            build_engine(get_settings(_env_file=None)), SessionStore(engine)
        )
        client = DialogClient(service, user_id=1000)
        await client.send("/journal")
        assert "Retail Meetup" in client.text and "usefulness" in client.text
    finally:
        await engine.dispose()


async def test_first_release_database_migrates_without_loss_on_postgresql() -> None:
    old = first_release_rows()
    async with fresh_postgres_database() as url:
        engine = await open_database(url, migrate=False)
        try:
            await upgrade(engine, "0001")  # the first release's schema, as it made it

            def copy(connection: Connection) -> None:
                for source in (users, reminders, waitlist):
                    for row in old[source.name]:
                        connection.execute(insert(source).values(**typed(source, row)))

            await engine.run(copy, write=True)
            await upgrade(engine)
            await assert_everything_moved(engine, old)
        finally:
            await engine.dispose()
