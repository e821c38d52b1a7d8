"""The user's events, each read with its network's name and its reflection: saved as the coach
prepares, skips or reflects on them, and listed the few ways steps ask for them (upcoming, past,
not reflected yet, the one in hand). Every list is bounded by its caller's limit or by time, so a
turn reads the same few rows after years of use."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, delete, func, insert, select, update

from bot.coach.journal import Event, EventMix, Reflection
from bot.store.journal.reviews import ensure_network
from bot.store.reminders import from_db, to_db
from bot.store.schema import events, networks, reflections

EVENT_COLUMNS = (
    events.c.id.label("row_id"), events.c.key, events.c.name, events.c.starts_at,
    events.c.ends_at, events.c.fit, events.c.people_fit, events.c.goal, events.c.tryout,
    events.c.online, events.c.status,
    events.c.confidence_before, events.c.whom, events.c.give, events.c.give_idea, events.c.intro,
    events.c.exit_situations, events.c.created_at, networks.c.name.label("network"),
    reflections.c.usefulness, reflections.c.goals_met, reflections.c.energy,
    reflections.c.confidence_after, reflections.c.go_again, reflections.c.at.label("reflected_at"),
)  # fmt: skip


# Statements built once, run with their values (see bot/store/statements.py): the user's events
# with their network and reflection, and what saving an event runs.
_ALL_EVENTS = (
    select(*EVENT_COLUMNS)
    .select_from(events)
    .outerjoin(networks, networks.c.id == events.c.network_id)
    .outerjoin(reflections, reflections.c.event_id == events.c.id)
    .where(events.c.user_id == bindparam("user_id"))
)
_EVENTS = _ALL_EVENTS.where(events.c.status != "skipped")
_EVENT_BY_KEY = _ALL_EVENTS.where(events.c.key == bindparam("key"))
_EVENTS_ON = (
    _EVENTS.where(
        events.c.starts_at >= bindparam("starts_from"),
        events.c.starts_at <= bindparam("starts_until"),
        events.c.ends_at >= bindparam("ends_after"),
    )
    .order_by(events.c.starts_at.desc())
    .limit(bindparam("limit"))
)

_EVENT_ROW_ID = select(events.c.id).where(
    events.c.user_id == bindparam("user_id"), events.c.key == bindparam("key")
)
_NEW_EVENT = insert(events)
_UPDATE_EVENT = update(events).where(events.c.id == bindparam("row_id"))


def _events(*, skipped: bool = False) -> Select[Any]:
    """The user's events; skipped ones only when asked for (lists, reminders, reflections and
    the chart are about events the user went to). Run it with `_fetch`, which names the user."""
    return _ALL_EVENTS if skipped else _EVENTS


def _fetch(connection: Connection, user_id: int, query: Select[Any], **values: Any) -> list[Event]:
    rows = connection.execute(query, {"user_id": user_id, **values})
    return [_event(row) for row in rows]


def event(connection: Connection, user_id: int, event_id: str | None) -> Event | None:
    if not event_id:
        return None
    found = _fetch(connection, user_id, _EVENT_BY_KEY, key=event_id)
    return found[0] if found else None


def event_row_id(connection: Connection, user_id: int, event_id: str | None) -> int | None:
    """The row id of the user's event `event_id` (what contacts refer to); None if none."""
    if not event_id:
        return None
    return connection.scalar(_EVENT_ROW_ID, {"user_id": user_id, "key": event_id})


def save_event(connection: Connection, user_id: int, event: Event) -> None:
    """Insert or update the event (its network made on first use), and its reflection if any."""
    values = event_values(event, ensure_network(connection, user_id, event.network))
    row_id = event_row_id(connection, user_id, event.id)
    if row_id is None:
        values.update(user_id=user_id, key=event.id, created_at=to_db(event.created_at))
        connection.execute(_NEW_EVENT, values)
    else:
        connection.execute(_UPDATE_EVENT, {"row_id": row_id, **values})
    if event.reflection is not None:
        save_reflection(connection, user_id, event.id, event.reflection)


def delete_event(connection: Connection, user_id: int, event_id: str) -> None:
    """Its reflection goes with it; contacts stay, without the event (ON DELETE SET NULL)."""
    connection.execute(delete(events).where(events.c.user_id == user_id, events.c.key == event_id))


def has_events(connection: Connection, user_id: int) -> bool:
    first = select(events.c.id).where(events.c.user_id == user_id, events.c.status != "skipped")
    return connection.scalar(first.limit(1)) is not None


def count_events(connection: Connection, user_id: int) -> int:
    count = select(func.count()).select_from(events)
    count = count.where(events.c.user_id == user_id, events.c.status != "skipped")
    return int(connection.scalar(count) or 0)


def event_mix(connection: Connection, user_id: int, since: datetime) -> EventMix:
    """Goal events, try-outs and skipped events that start from `since` on (one query)."""
    rows = connection.execute(
        select(events.c.status, events.c.tryout, func.count())
        .where(events.c.user_id == user_id, events.c.starts_at >= to_db(since))
        .group_by(events.c.status, events.c.tryout)
    ).all()
    mix = EventMix()
    for status, tryout, count in rows:
        if status == "skipped":
            mix.skipped += int(count)
        elif tryout:
            mix.tryouts += int(count)
        else:
            mix.goal_events += int(count)
    return mix


def latest_events(connection: Connection, user_id: int, limit: int) -> list[Event]:
    """The events that start last (upcoming ones first), newest first."""
    query = _events().order_by(events.c.starts_at.desc()).limit(limit)
    return _fetch(connection, user_id, query)


def upcoming_events(connection: Connection, user_id: int, now: datetime, limit: int) -> list[Event]:
    query = _events().where(events.c.starts_at > to_db(now))
    return _fetch(connection, user_id, query.order_by(events.c.starts_at).limit(limit))


def past_events(connection: Connection, user_id: int, now: datetime, limit: int) -> list[Event]:
    query = _events().where(events.c.starts_at <= to_db(now))
    return _fetch(connection, user_id, query.order_by(events.c.starts_at.desc()).limit(limit))


def events_to_reflect(
    connection: Connection, user_id: int, now: datetime, limit: int
) -> list[Event]:
    query = _events().where(events.c.starts_at <= to_db(now), reflections.c.event_id.is_(None))
    return _fetch(connection, user_id, query.order_by(events.c.starts_at.desc()).limit(limit))


def events_ending_after(connection: Connection, user_id: int, moment: datetime) -> list[Event]:
    query = _events().where(events.c.ends_at >= to_db(moment))
    return _fetch(connection, user_id, query.order_by(events.c.starts_at))


def events_on(
    connection: Connection,
    user_id: int,
    starts_from: datetime,
    starts_until: datetime,
    ends_after: datetime,
    limit: int,
) -> list[Event]:
    """Events starting in [`starts_from`, `starts_until`] that have not ended before
    `ends_after`, the latest start first: the event the user is at right now. The start range
    keeps it to one index range however long the user's history."""
    return _fetch(
        connection,
        user_id,
        _EVENTS_ON,
        starts_from=to_db(starts_from),
        starts_until=to_db(starts_until),
        ends_after=to_db(ends_after),
        limit=limit,
    )


def reflected_events(connection: Connection, user_id: int, limit: int) -> list[Event]:
    """The latest `limit` reflected events, oldest first (a course over time)."""
    query = _events().where(reflections.c.event_id.is_not(None))
    latest = _fetch(connection, user_id, query.order_by(events.c.starts_at.desc()).limit(limit))
    return latest[::-1]


def all_events(connection: Connection, user_id: int) -> list[Event]:
    """Every event of the user, skipped ones too, by start: for /export."""
    return _fetch(connection, user_id, _events(skipped=True).order_by(events.c.starts_at))


def save_reflection(
    connection: Connection, user_id: int, event_id: str, reflection: Reflection
) -> None:
    """The event's reflection, replacing any earlier one; nothing if the event is gone."""
    row_id = event_row_id(connection, user_id, event_id)
    if row_id is None:
        return
    values = reflection.model_dump()
    values["at"] = to_db(reflection.at)
    connection.execute(delete(reflections).where(reflections.c.event_id == row_id))
    connection.execute(insert(reflections).values(event_id=row_id, **values))


def event_values(event: Event, network_id: int | None) -> dict[str, Any]:
    """An event's columns as stored (all but its ids and creation time)."""
    return {
        "name": event.name,
        "starts_at": to_db(event.starts_at),
        "ends_at": to_db(event.ends_at),
        "fit": event.fit,
        "people_fit": event.people_fit,
        "goal": event.goal,
        "tryout": event.tryout,
        "online": event.online,
        "status": event.status,
        "confidence_before": event.confidence_before,
        "whom": event.whom,
        "give": event.give,
        "give_idea": event.give_idea,
        "intro": event.intro,
        "exit_situations": json.dumps(event.exit_situations),
        "network_id": network_id,
    }


def _event(row: Row[Any]) -> Event:
    reflection = None
    if row.usefulness is not None:
        reflection = Reflection(
            usefulness=row.usefulness,
            goals_met=row.goals_met,
            energy=row.energy,
            confidence_after=row.confidence_after,
            go_again=row.go_again,
            at=from_db(row.reflected_at),
        )
    return Event(
        id=row.key,
        name=row.name,
        starts_at=from_db(row.starts_at),
        ends_at=from_db(row.ends_at),
        fit=row.fit,
        people_fit=row.people_fit,
        goal=row.goal,
        tryout=bool(row.tryout),
        online=row.online,
        status=row.status,
        confidence_before=row.confidence_before,
        whom=row.whom,
        give=row.give,
        give_idea=row.give_idea,
        intro=row.intro,
        exit_situations=json.loads(row.exit_situations),
        network=row.network,
        reflection=reflection,
        created_at=from_db(row.created_at),
    )
