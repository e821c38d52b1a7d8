"""Every piece of stored data the benchmark needs, made in one place, written against today's store.

Today a user's whole journal (events with their reflections, contacts, network reviews) lives
in the session JSON of the `users` row (bot/engine/session.py, bot/coach/journal.py), and
planned reminders have a table of their own (bot/store/schema.py). When the data layer changes,
only this module needs rewriting: scenarios call these functions and nothing else.

Seeding is bulk work (a few templates, multi-row inserts in one transaction), never dialog
runs, so 100,000 users take seconds rather than hours.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from bot.coach.journal import (
    Contact,
    Event,
    Journal,
    NetworkReview,
    Reflection,
    new_id,
    store_journal,
)
from bot.engine.session import Profile, Session
from bot.store.database import open_database
from bot.store.reminders import to_db
from bot.store.schema import reminders, users

CHUNK = 2_000  # rows per INSERT: large enough to be fast, small enough for PostgreSQL's limits
NETWORKS = ("Retail Club", "BNI Mitte", "Startup Stammtisch", "IHK Forum", "Women in Tech",
            "Design Meetup", "Chamber Breakfast", "Coworking Friday")  # fmt: skip
GOALS = ("customers", "cooperations", "exchange", "inspiration")
SITUATIONS = ("other_world", "self_talker", "private_only", "pushy_seller", "silence")


@dataclass(frozen=True)
class DueBatch:
    """Users with one reflection prompt each, due at the same moment."""

    user_ids: list[int]
    event_name: str  # every prompt names the event: how a delivered one is recognised


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


def journal(rng: random.Random, events: int, now: datetime, contacts_per_event: float) -> Journal:
    """`events` events, one every day and a half back from now (the newest still upcoming),
    reflected once past, with contacts and a network review every few events."""
    made = Journal()
    for number in range(events):
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
            made.network_reviews.append(
                NetworkReview(network=event.network, decision="keep", at=event.ends_at)
            )
    made.events.reverse()  # oldest first, as users add them
    return made


def session(user_id: int, made: Journal | None, now: datetime, language: str = "en") -> Session:
    """An onboarded user at the main menu, with `made` as their journal."""
    result = Session(
        user_id=user_id,
        language=language,
        profile=Profile(
            name="Ada", business="I design websites for small shops.", goals=["customers"]
        ),
        last_seen=now - timedelta(days=1),
        version=1,
    )
    if made is not None:
        store_journal(result.data, made)
    return result


def _user_row(user_id: int, raw: str, now: datetime) -> dict[str, Any]:
    return {"id": user_id, "session": raw, "version": 1, "blocked": False, "updated_at": now}


def _planned(user_id: int, made: Journal, now: datetime) -> Iterator[dict[str, Any]]:
    """The reminders the bot would have planned for the upcoming events (see coach/events.py)."""
    for event in made.events:
        if event.starts_at > now:
            for kind, due, dialog in (
                ("before", event.starts_at - timedelta(hours=1), "cheatsheet"),
                ("reflect", event.ends_at + timedelta(hours=2), "reflect"),
            ):
                yield _reminder(user_id, f"event:{event.id}:{kind}", due, dialog, event.id)


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


async def _insert(
    database_url: str, user_rows: Iterable[dict], reminder_rows: Iterable[dict]
) -> None:
    database = await open_database(database_url)
    try:
        async with database.begin() as connection:
            for table, rows in ((users, user_rows), (reminders, reminder_rows)):
                batch: list[dict[str, Any]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == CHUNK:
                        await connection.execute(insert(table), batch)
                        batch = []
                if batch:
                    await connection.execute(insert(table), batch)
    finally:
        await database.dispose()


async def seed_heavy_user(
    database_url: str, user_id: int, events: int = 2000, now: datetime | None = None
) -> None:
    """One user with `events` events (reflected once past), a contact for every other event
    and network reviews; events=0 gives an onboarded user with an empty journal."""
    now = now or datetime.now(UTC)
    made = journal(random.Random(user_id), events, now, contacts_per_event=0.5)
    raw = session(user_id, made, now).to_json()
    await _insert(database_url, [_user_row(user_id, raw, now)], list(_planned(user_id, made, now)))


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
    planned); returns their ids. Histories come from 64 templates, so this is I/O, not Python."""
    now = now or datetime.now(UTC)
    rng = random.Random(count)
    templates = [journal(rng, _history_size(rng), now, contacts_per_event=0.7) for _ in range(64)]
    dumped = [
        json.loads(session(0, made, now).to_json()) for made in templates
    ]  # the user id is filled in per user below
    ids = list(range(first_id, first_id + count))

    def user_rows() -> Iterator[dict[str, Any]]:
        for user_id in ids:
            document = dumped[user_id % len(templates)]
            document["user_id"] = user_id
            yield _user_row(user_id, json.dumps(document), now)

    def reminder_rows() -> Iterator[dict[str, Any]]:
        for user_id in ids:
            yield from _planned(user_id, templates[user_id % len(templates)], now)

    await _insert(database_url, user_rows(), reminder_rows())
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
    user_rows, reminder_rows = [], []
    for user_id in ids:
        event = _event(rng, starts, due_at, name=name)
        event.id, event.reflection, event.ends_at = new_id(), None, starts + timedelta(hours=2)
        raw = session(user_id, Journal(events=[event]), due_at).to_json()
        user_rows.append(_user_row(user_id, raw, due_at))
        key = f"event:{event.id}:reflect"
        reminder_rows.append(_reminder(user_id, key, due_at, "reflect", event.id))
    await _insert(database_url, user_rows, reminder_rows)
    return DueBatch(ids, name)


async def sent_reminder_users(database_url: str, user_ids: Iterable[int]) -> set[int]:
    """Which of these users' reminders the bot marked sent (delivered, as far as it knows)."""
    wanted = set(user_ids)
    database = await open_database(database_url)
    try:
        async with database.connect() as connection:
            rows = await connection.execute(
                select(reminders.c.user_id).where(reminders.c.sent_at.is_not(None))
            )
            return {row.user_id for row in rows if row.user_id in wanted}
    finally:
        await database.dispose()
