"""Every piece of stored data the benchmark needs, made in one place, against the store's tables.

A user is a small session row (what drives the dialog), a profile, and records in tables of
their own: networks, events with their reflections, contacts, network reviews, planned reminders
(bot/store/schema.py). Histories are generated with the coach's own models
(bot/coach/journal.py) and written as rows the way bot/store/journal/ writes them. When the
data layer changes, only this module needs rewriting: scenarios call these functions only.

Seeding is bulk work (multi-row inserts in one transaction, ids assigned here so references need
no round trip), never dialog runs, so 100,000 users take a minute rather than hours.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from bot.coach.journal import Contact, Event, Reflection, new_id
from bot.engine.session import Session
from bot.store.database import open_database
from bot.store.journal.events import event_values
from bot.store.journal.reviews import network_key
from bot.store.reminders import to_db
from bot.store.schema import (
    contacts,
    events,
    network_reviews,
    networks,
    profiles,
    reflections,
    reminders,
    users,
)

USERS_PER_BATCH = 1_000  # users whose rows go in together: bounded memory, few statements
ROWS_PER_INSERT = 2_000  # within PostgreSQL's limit on bound parameters
NETWORKS = ("Retail Club", "BNI Mitte", "Startup Stammtisch", "IHK Forum", "Women in Tech",
            "Design Meetup", "Chamber Breakfast", "Coworking Friday")  # fmt: skip
GOALS = ("customers", "cooperations", "exchange", "inspiration")
SITUATIONS = ("other_world", "self_talker", "private_only", "pushy_seller", "silence")
TABLES = (users, profiles, networks, events, reflections, contacts, network_reviews, reminders)


@dataclass(frozen=True)
class DueBatch:
    """Users with one reflection prompt each, due at the same moment."""

    user_ids: list[int]
    event_name: str  # every prompt names the event: how a delivered one is recognised


@dataclass
class History:
    """One user's records, as the coach's models."""

    events: list[Event] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    reviews: list[tuple[str, datetime]] = field(default_factory=list)  # (network, when)


def _reflection(rng: random.Random, at: datetime) -> Reflection:
    return Reflection(
        usefulness=rng.randint(1, 5),
        goals_met=rng.choice(("yes", "partly", "no")),
        energy=rng.randint(1, 5),
        confidence_after=rng.randint(1, 5),
        go_again=rng.choice(("yes", "maybe", "no")),
        at=at,
    )


def _event(rng: random.Random, starts: datetime, now: datetime, name: str | None = None) -> Event:
    past = starts < now
    return Event(
        name=name or f"{rng.choice(NETWORKS)} evening #{rng.randint(1, 999)}",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=rng.choice((60, 90, 120, 180))),
        fit="yes",
        people_fit=rng.choice(("yes", "unsure")),
        goal=rng.choice(GOALS),
        confidence_before=rng.randint(1, 5),
        whom="Owners of small shops",
        give="A checklist for better product pages",
        exit_situations=rng.sample(SITUATIONS, 2),
        network=rng.choice(NETWORKS) if rng.random() < 0.8 else None,
        reflection=_reflection(rng, starts + timedelta(hours=4)) if past else None,
        created_at=starts - timedelta(days=rng.randint(1, 14)),
    )


def history(rng: random.Random, count: int, now: datetime, contacts_per_event: float) -> History:
    """`count` events, one every day and a half back from now (the newest still upcoming),
    reflected once past, with contacts and a network review every few events."""
    made = History()
    for number in range(count):
        starts = now + timedelta(days=2) - timedelta(hours=36 * number)
        event = _event(rng, starts.replace(minute=0, second=0, microsecond=0), now)
        made.events.append(event)
        whole, part = divmod(contacts_per_event, 1)
        for _ in range(int(whole) + (rng.random() < part)):
            done = rng.random() < 0.7
            made.contacts.append(
                Contact(
                    name=rng.choice(("Ben", "Clara", "Deniz", "Eva", "Femi", "Greta")),
                    where=event.name,
                    topic="pricing for small shops",
                    give="my checklist for product pages",
                    channel=rng.choice(("email", "linkedin", "coffee")),
                    status="done" if done else "open",
                    event_id=event.id,
                    created_at=event.ends_at,
                    done_at=event.ends_at + timedelta(days=2) if done else None,
                )
            )
        if event.network and event.reflection and number % 5 == 4:
            made.reviews.append((event.network, event.ends_at))
    made.events.reverse()  # oldest first, as users add them
    return made


class Rows:
    """Rows for every table, with the integer keys assigned here (continuing the table's).

    Users who share a `History` (a template) share its rows but for user id and keys: the rows
    are built once per template and copied with the user's ids, which keeps 100,000 users fast.
    """

    def __init__(self, next_ids: dict[str, int]) -> None:
        self.next_ids = next_ids
        self.by_table: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
        self._made: dict[int, tuple[Rows, dict[str, int]]] = {}  # id(History) → rows, id counts

    def copy_of(self, user_id: int, made: History, now: datetime) -> None:
        """Like `user`, but from rows built once for `made` (ids shifted, user id replaced)."""
        key = id(made)
        if key not in self._made:
            zero = {name: 0 for name in self.next_ids}
            template = Rows(zero)
            template.user(0, made, now)
            self._made[key] = (template, dict(zero))
        template, used = self._made[key]
        shift = {name: self.next_ids[name] for name in used}
        refs = {"network_id": "networks", "event_id": "events"}
        for table, rows in template.by_table.items():
            out = self.by_table[table]
            for row in rows:
                copied = dict(row)
                if "user_id" in copied:
                    copied["user_id"] = user_id
                if table == "users":
                    copied["id"] = user_id
                    copied["session"] = row["session"].replace(
                        '"user_id":0,', f'"user_id":{user_id},', 1
                    )
                elif table in shift and "id" in copied:
                    copied["id"] += shift[table]
                for column, target in refs.items():
                    if copied.get(column) is not None:
                        copied[column] += shift[target]
                out.append(copied)
        for name, amount in used.items():
            self.next_ids[name] += amount

    def _id(self, table: Table) -> int:
        value = self.next_ids[table.name]
        self.next_ids[table.name] = value + 1
        return value

    def user(self, user_id: int, made: History, now: datetime) -> None:
        """An onboarded user at the main menu, with `made` as their records."""
        raw = Session(user_id=user_id, last_seen=now - timedelta(days=1), version=1).to_json()
        add = self.by_table
        add["users"].append(
            {"id": user_id, "session": raw, "version": 1, "blocked": False, "updated_at": now}
        )
        add["profiles"].append(
            {"user_id": user_id, "name": "Ada", "business": "I design websites for small shops.",
             "goals": json.dumps(["customers"]), "reminders_off": "[]"}
        )  # fmt: skip
        network_ids: dict[str, int] = {}
        for name in sorted({e.network for e in made.events if e.network}):
            network_ids[name] = self._id(networks)
            add["networks"].append({"id": network_ids[name], "user_id": user_id, "name": name,
                                    "name_key": network_key(name)})  # fmt: skip
        event_ids: dict[str, int] = {}
        for event in made.events:
            event_ids[event.id] = row_id = self._id(events)
            add["events"].append(_event_row(row_id, user_id, event, network_ids))
            if event.reflection:
                reflection = {**event.reflection.model_dump(), "at": to_db(event.reflection.at)}
                add["reflections"].append({"event_id": row_id, **reflection})
            if event.starts_at > now:
                add["reminders"] += _planned(user_id, event)
        for contact in made.contacts:
            add["contacts"].append(
                {"id": self._id(contacts), "user_id": user_id, "key": contact.id,
                 "name": contact.name, "place": contact.where, "topic": contact.topic,
                 "give": contact.give, "channel": contact.channel, "status": contact.status,
                 "event_id": event_ids.get(contact.event_id or ""),
                 "created_at": to_db(contact.created_at),
                 "done_at": to_db(contact.done_at) if contact.done_at else None}
            )  # fmt: skip
        for network, at in made.reviews:
            add["network_reviews"].append(
                {"id": self._id(network_reviews), "user_id": user_id,
                 "network_id": network_ids[network], "decision": "keep", "at": to_db(at)}
            )  # fmt: skip


def _event_row(row_id: int, user_id: int, event: Event, networks: dict[str, int]) -> dict:
    return {
        "id": row_id,
        "user_id": user_id,
        "key": event.id,
        "created_at": to_db(event.created_at),
        **event_values(event, networks.get(event.network or "")),
    }


def _planned(user_id: int, event: Event) -> list[dict[str, Any]]:
    """The reminders the bot plans for an upcoming event (see bot/coach/events.py)."""
    return [
        _reminder(user_id, f"event:{event.id}:before", event.starts_at - timedelta(hours=1),
                  "cheatsheet", event.id),
        _reminder(user_id, f"event:{event.id}:reflect", event.ends_at + timedelta(hours=2),
                  "reflect", event.id),
    ]  # fmt: skip


def _reminder(user_id: int, key: str, due: datetime, dialog: str, event_id: str) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "key": key,
        "due_at": to_db(due),
        "dialog": dialog,
        "answers": json.dumps({"event_id": event_id}),
        "sent_at": None,
        "attempts": 0,
    }


def _next_ids(connection: Connection) -> dict[str, int]:
    found = {}
    for table in (networks, events, contacts, network_reviews):
        found[table.name] = int(connection.scalar(select(func.max(table.c.id))) or 0) + 1
    return found


async def _write(
    database_url: str, users_made: Iterable[tuple[int, History]], now: datetime
) -> None:
    """Insert the users and their records in one transaction, a batch of users at a time."""

    def write(connection: Connection) -> None:
        next_ids = _next_ids(connection)
        for batch in _batches(users_made, USERS_PER_BATCH):
            rows = Rows(next_ids)
            for user_id, made in batch:
                rows.copy_of(user_id, made, now)
            for table in TABLES:
                made_rows = rows.by_table[table.name]
                for start in range(0, len(made_rows), ROWS_PER_INSERT):
                    connection.execute(insert(table), made_rows[start : start + ROWS_PER_INSERT])

    database = await open_database(database_url)
    try:
        await database.run(write, write=True)
    finally:
        await database.dispose()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def seed_heavy_user(
    database_url: str, user_id: int, events: int = 2000, now: datetime | None = None
) -> None:
    """One user with `events` events (reflected once past), a contact for every other event
    and network reviews; events=0 gives an onboarded user with no records."""
    now = now or datetime.now(UTC)
    made = history(random.Random(user_id), events, now, contacts_per_event=0.5)
    await _write(database_url, [(user_id, made)], now)


def _history_size(rng: random.Random) -> int:
    """Most users prepared a few events; some are regulars; a few go to everything."""
    roll = rng.random()
    if roll < 0.3:
        return 0
    if roll < 0.75:
        return rng.randint(1, 4)
    if roll < 0.95:
        return rng.randint(5, 20)
    return rng.randint(21, 80)


async def seed_users(
    database_url: str, count: int, first_id: int = 1_000_000, now: datetime | None = None
) -> list[int]:
    """`count` onboarded users with realistic histories (and the reminders their upcoming events
    planned); returns their ids. Histories come from 64 templates (with fresh keys per user)."""
    now = now or datetime.now(UTC)
    rng = random.Random(count)
    templates = [history(rng, _history_size(rng), now, contacts_per_event=0.7) for _ in range(64)]
    ids = list(range(first_id, first_id + count))
    await _write(database_url, ((user_id, templates[user_id % 64]) for user_id in ids), now)
    return ids


async def seed_due_reminders(
    database_url: str, count: int, due_at: datetime, first_id: int = 3_000_000
) -> DueBatch:
    """`count` users who went to the same event; each one's reflection prompt is due at
    `due_at` (and nothing else is planned)."""
    rng = random.Random(count)
    name = "Bench Conference"
    starts = due_at - timedelta(hours=4)
    ids = list(range(first_id, first_id + count))
    made: list[tuple[int, History]] = []
    for user_id in ids:
        event = _event(rng, starts, due_at, name=name)
        event.id, event.reflection, event.ends_at = new_id(), None, starts + timedelta(hours=2)
        made.append((user_id, History(events=[event])))
    await _write(database_url, made, due_at)
    database = await open_database(database_url)
    try:
        rows = [_reminder(user_id, f"event:{h.events[0].id}:reflect", due_at, "reflect",
                          h.events[0].id) for user_id, h in made]  # fmt: skip
        await database.run(lambda connection: connection.execute(insert(reminders), rows),
                           write=True)  # fmt: skip
    finally:
        await database.dispose()
    return DueBatch(ids, name)


async def sent_reminder_users(database_url: str, user_ids: Iterable[int]) -> set[int]:
    """Which of these users' reminders the bot marked sent (delivered, as far as it knows)."""
    wanted = set(user_ids)
    database = await open_database(database_url)
    try:
        query = select(reminders.c.user_id).where(reminders.c.sent_at.is_not(None))
        rows = await database.run(lambda connection: connection.execute(query).all())
        return {row.user_id for row in rows if row.user_id in wanted}
    finally:
        await database.dispose()
