"""The people the user met, to follow up: caught in the room, drafted, done. A contact points at
the event it was met at (by the event's row, which may be deleted: the contact stays, loose).
Apart from the events because follow-ups are listed and counted by their own state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, select, update

from bot.coach.journal import Contact
from bot.store.journal.events import event_row_id
from bot.store.reminders import from_db, to_db
from bot.store.schema import contacts, events


def _contacts(user_id: int) -> Select[Any]:
    """The user's contacts, each with its event's key."""
    return (
        select(contacts, events.c.key.label("event_key"))
        .outerjoin(events, events.c.id == contacts.c.event_id)
        .where(contacts.c.user_id == user_id)
    )


def _fetch(connection: Connection, query: Select[Any]) -> list[Contact]:
    return [_contact(row) for row in connection.execute(query)]


def contact(connection: Connection, user_id: int, contact_id: str | None) -> Contact | None:
    if not contact_id:
        return None
    found = _fetch(connection, _contacts(user_id).where(contacts.c.key == contact_id))
    return found[0] if found else None


def save_contact(connection: Connection, user_id: int, contact: Contact) -> None:
    """Insert or update the contact; an event it names that is not the user's leaves it loose."""
    values = {
        "name": contact.name,
        "place": contact.where,
        "topic": contact.topic,
        "give": contact.give,
        "promised": contact.promised,
        "address": contact.address,
        "channel": contact.channel,
        "organisation": contact.organisation,
        "honorific": contact.honorific,
        "met_online": contact.met_online,
        "intro_to": contact.intro_to,
        "note": contact.note,
        "status": contact.status,
        "event_id": event_row_id(connection, user_id, contact.event_id),
        "done_at": to_db(contact.done_at) if contact.done_at else None,
    }
    row_id = connection.scalar(
        select(contacts.c.id).where(contacts.c.user_id == user_id, contacts.c.key == contact.id)
    )
    if row_id is None:
        connection.execute(
            insert(contacts).values(
                user_id=user_id, key=contact.id, created_at=to_db(contact.created_at), **values
            )
        )
    else:
        connection.execute(update(contacts).where(contacts.c.id == row_id).values(**values))


# Contacts noted in the same instant (a transcript's clock, a quick catch) in the order they
# were noted: by their row id after the time, on every database alike.
_OLDEST_FIRST = (contacts.c.created_at, contacts.c.id)
_NEWEST_FIRST = (contacts.c.created_at.desc(), contacts.c.id.desc())


def contacts_of_events(connection: Connection, user_id: int, event_ids: list[str]) -> list[Contact]:
    if not event_ids:
        return []
    query = _contacts(user_id).where(events.c.key.in_(event_ids))
    return _fetch(connection, query.order_by(*_OLDEST_FIRST))


def loose_contacts(connection: Connection, user_id: int, limit: int) -> list[Contact]:
    """Contacts noted without an event (or whose event was deleted), newest first."""
    query = _contacts(user_id).where(contacts.c.event_id.is_(None))
    return _fetch(connection, query.order_by(*_NEWEST_FIRST).limit(limit))


def open_contacts(connection: Connection, user_id: int) -> list[Contact]:
    query = _contacts(user_id).where(contacts.c.status == "open")
    return _fetch(connection, query.order_by(*_OLDEST_FIRST))


def caught_contacts(
    connection: Connection, user_id: int, since: datetime, limit: int
) -> list[Contact]:
    """Contacts caught in the room since `since` and not drafted yet, oldest first."""
    query = _contacts(user_id).where(
        contacts.c.status == "open",
        contacts.c.channel.is_(None),
        contacts.c.created_at >= to_db(since),
    )
    return _fetch(connection, query.order_by(*_OLDEST_FIRST).limit(limit))


def all_contacts(connection: Connection, user_id: int) -> list[Contact]:
    """Every contact of the user, oldest first: for /export."""
    return _fetch(connection, _contacts(user_id).order_by(*_OLDEST_FIRST))


def followup_counts(connection: Connection, user_id: int) -> dict[str, int]:
    """How many follow-ups are open and done."""
    rows = connection.execute(
        select(contacts.c.status, func.count())
        .where(contacts.c.user_id == user_id)
        .group_by(contacts.c.status)
    ).all()
    counts = {"open": 0, "done": 0}
    counts.update({status: int(count) for status, count in rows})
    return counts


def _contact(row: Row[Any]) -> Contact:
    return Contact(
        id=row.key,
        name=row.name,
        where=row.place,
        topic=row.topic,
        give=row.give,
        promised=row.promised,
        address=row.address,
        channel=row.channel,
        organisation=row.organisation,
        honorific=row.honorific,
        met_online=row.met_online,
        intro_to=row.intro_to,
        note=row.note,
        status=row.status,
        event_id=row.event_key,
        created_at=from_db(row.created_at),
        done_at=from_db(row.done_at) if row.done_at else None,
    )
