"""The coach's records in their tables, read and written on the update's own connection.

Runs synchronously inside `AsyncConnection.run_sync`, so the engine and the coach stay plain
functions while every query still belongs to the turn's one transaction. Each method reads only
the rows it returns (bounded by the caller's limit), never a user's whole history.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from bot.coach.journal import (
    Contact,
    Event,
    EventMix,
    NetworkSummary,
    Reflection,
    ReviewStage,
    YearPlan,
)
from bot.store.journal import plans, reviews
from bot.store.reminders import from_db, to_db
from bot.store.schema import (
    contacts,
    events,
    network_reviews,
    networks,
    reflections,
    reminders,
    step_history,
    waitlist,
)

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


class SqlJournal:
    """`bot.coach.journal.JournalRecords` for one user, on one connection."""

    def __init__(self, connection: Connection, user_id: int) -> None:
        self.connection = connection
        self.user_id = user_id
        # The event in hand, asked for by a step's text and again by each of its buttons: read
        # once per turn, and again only after this turn changed an event.
        self._events_on: dict[tuple[datetime, datetime, datetime, int], list[Event]] = {}

    # -- events -------------------------------------------------------------------------------

    def _events(self, *, skipped: bool = False) -> Select[Any]:
        """The user's events; skipped ones only when asked for (lists, reminders, reflections
        and the chart are about events the user went to). Run it with `_fetch_events`, which
        names the user."""
        return _ALL_EVENTS if skipped else _EVENTS

    def _fetch_events(self, query: Select[Any], **values: Any) -> list[Event]:
        rows = self.connection.execute(query, {"user_id": self.user_id, **values})
        return [_event(row) for row in rows]

    def event(self, event_id: str | None) -> Event | None:
        if not event_id:
            return None
        found = self._fetch_events(_EVENT_BY_KEY, key=event_id)
        return found[0] if found else None

    def _event_row_id(self, event_id: str | None) -> int | None:
        if not event_id:
            return None
        return self.connection.scalar(_EVENT_ROW_ID, {"user_id": self.user_id, "key": event_id})

    def save_event(self, event: Event) -> None:
        self._events_on.clear()
        network_id = reviews.ensure_network(self.connection, self.user_id, event.network)
        values = event_values(event, network_id)
        row_id = self._event_row_id(event.id)
        if row_id is None:
            values.update(user_id=self.user_id, key=event.id, created_at=to_db(event.created_at))
            self.connection.execute(_NEW_EVENT, values)
        else:
            self.connection.execute(_UPDATE_EVENT, {"row_id": row_id, **values})
        if event.reflection is not None:
            self.save_reflection(event.id, event.reflection)

    def delete_event(self, event_id: str) -> None:
        """Its reflection goes with it; contacts stay, without the event (ON DELETE SET NULL)."""
        self._events_on.clear()
        self.connection.execute(
            delete(events).where(events.c.user_id == self.user_id, events.c.key == event_id)
        )

    def has_events(self) -> bool:
        first = select(events.c.id).where(
            events.c.user_id == self.user_id, events.c.status != "skipped"
        )
        return self.connection.scalar(first.limit(1)) is not None

    def count_events(self) -> int:
        count = select(func.count()).select_from(events)
        count = count.where(events.c.user_id == self.user_id, events.c.status != "skipped")
        return int(self.connection.scalar(count) or 0)

    def event_mix(self, since: datetime) -> EventMix:
        """Goal events, try-outs and skipped events that start from `since` on (one query)."""
        rows = self.connection.execute(
            select(events.c.status, events.c.tryout, func.count())
            .where(events.c.user_id == self.user_id, events.c.starts_at >= to_db(since))
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

    def latest_events(self, limit: int) -> list[Event]:
        """The events that start last (upcoming ones first), newest first."""
        return self._fetch_events(self._events().order_by(events.c.starts_at.desc()).limit(limit))

    def upcoming_events(self, now: datetime, limit: int) -> list[Event]:
        query = self._events().where(events.c.starts_at > to_db(now))
        return self._fetch_events(query.order_by(events.c.starts_at).limit(limit))

    def past_events(self, now: datetime, limit: int) -> list[Event]:
        query = self._events().where(events.c.starts_at <= to_db(now))
        return self._fetch_events(query.order_by(events.c.starts_at.desc()).limit(limit))

    def events_to_reflect(self, now: datetime, limit: int) -> list[Event]:
        query = self._events().where(
            events.c.starts_at <= to_db(now), reflections.c.event_id.is_(None)
        )
        return self._fetch_events(query.order_by(events.c.starts_at.desc()).limit(limit))

    def events_ending_after(self, moment: datetime) -> list[Event]:
        query = self._events().where(events.c.ends_at >= to_db(moment))
        return self._fetch_events(query.order_by(events.c.starts_at))

    def events_on(
        self, starts_from: datetime, starts_until: datetime, ends_after: datetime, limit: int
    ) -> list[Event]:
        """Events starting in [`starts_from`, `starts_until`] that have not ended before
        `ends_after`, the latest start first: the event the user is at right now. The start
        range keeps it to one index range however long the user's history."""
        key = (starts_from, starts_until, ends_after, limit)
        if key not in self._events_on:
            self._events_on[key] = self._fetch_events(
                _EVENTS_ON,
                starts_from=to_db(starts_from),
                starts_until=to_db(starts_until),
                ends_after=to_db(ends_after),
                limit=limit,
            )
        return list(self._events_on[key])

    def reflected_events(self, limit: int) -> list[Event]:
        """The latest `limit` reflected events, oldest first (a course over time)."""
        query = self._events().where(reflections.c.event_id.is_not(None))
        latest = self._fetch_events(query.order_by(events.c.starts_at.desc()).limit(limit))
        return latest[::-1]

    def save_reflection(self, event_id: str, reflection: Reflection) -> None:
        self._events_on.clear()
        row_id = self._event_row_id(event_id)
        if row_id is None:
            return
        values = reflection.model_dump()
        values["at"] = to_db(reflection.at)
        self.connection.execute(delete(reflections).where(reflections.c.event_id == row_id))
        self.connection.execute(insert(reflections).values(event_id=row_id, **values))

    # -- networks and their reviews ----------------------------------------------------------

    def network_scores(self, network: str, since: datetime | None = None) -> list[int]:
        return reviews.network_scores(self.connection, self.user_id, network, since)

    def network_summaries(self, scores: int) -> list[NetworkSummary]:
        return reviews.network_summaries(self.connection, self.user_id, scores)

    def all_networks(self, scores: int) -> list[NetworkSummary]:
        return reviews.all_networks(self.connection, self.user_id, scores)

    def network(self, network_id: str | None, scores: int = 3) -> NetworkSummary | None:
        return reviews.network(self.connection, self.user_id, network_id, scores)

    def network_id(self, name: str | None) -> str | None:
        return reviews.network_id(self.connection, self.user_id, name)

    def set_network_stage(
        self, network_id: str, stage: ReviewStage, at: datetime, leave_on: datetime | None = None
    ) -> None:
        reviews.set_network_stage(self.connection, self.user_id, network_id, stage, at, leave_on)

    def add_network_review(self, network: str, decision: str, at: datetime) -> None:
        reviews.add_network_review(self.connection, self.user_id, network, decision, at)

    # -- the yearly plan ----------------------------------------------------------------------

    def save_plan(self, plan: YearPlan) -> None:
        plans.save_plan(self.connection, self.user_id, plan)

    def latest_plan(self) -> YearPlan | None:
        return plans.latest_plan(self.connection, self.user_id)

    # -- contacts -----------------------------------------------------------------------------

    def _contacts(self) -> Select[Any]:
        return (
            select(contacts, events.c.key.label("event_key"))
            .outerjoin(events, events.c.id == contacts.c.event_id)
            .where(contacts.c.user_id == self.user_id)
        )

    def _fetch_contacts(self, query: Select[Any]) -> list[Contact]:
        return [_contact(row) for row in self.connection.execute(query)]

    def contact(self, contact_id: str | None) -> Contact | None:
        if not contact_id:
            return None
        found = self._fetch_contacts(self._contacts().where(contacts.c.key == contact_id))
        return found[0] if found else None

    def save_contact(self, contact: Contact) -> None:
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
            "event_id": self._event_row_id(contact.event_id),
            "done_at": to_db(contact.done_at) if contact.done_at else None,
        }
        row_id = self.connection.scalar(
            select(contacts.c.id).where(
                contacts.c.user_id == self.user_id, contacts.c.key == contact.id
            )
        )
        if row_id is None:
            self.connection.execute(
                insert(contacts).values(
                    user_id=self.user_id,
                    key=contact.id,
                    created_at=to_db(contact.created_at),
                    **values,
                )
            )
        else:
            self.connection.execute(
                update(contacts).where(contacts.c.id == row_id).values(**values)
            )

    def contacts_of_events(self, event_ids: list[str]) -> list[Contact]:
        if not event_ids:
            return []
        query = self._contacts().where(events.c.key.in_(event_ids))
        return self._fetch_contacts(query.order_by(contacts.c.created_at, contacts.c.id))

    def loose_contacts(self, limit: int) -> list[Contact]:
        """Contacts noted without an event (or whose event was deleted), newest first."""
        query = self._contacts().where(contacts.c.event_id.is_(None))
        return self._fetch_contacts(query.order_by(contacts.c.created_at.desc()).limit(limit))

    def open_contacts(self) -> list[Contact]:
        query = self._contacts().where(contacts.c.status == "open")
        return self._fetch_contacts(query.order_by(contacts.c.created_at))

    def caught_contacts(self, since: datetime, limit: int) -> list[Contact]:
        """Contacts caught in the room since `since` and not drafted yet, oldest first."""
        query = self._contacts().where(
            contacts.c.status == "open",
            contacts.c.channel.is_(None),
            contacts.c.created_at >= to_db(since),
        )
        return self._fetch_contacts(query.order_by(contacts.c.created_at).limit(limit))

    def followup_counts(self) -> dict[str, int]:
        rows = self.connection.execute(
            select(contacts.c.status, func.count())
            .where(contacts.c.user_id == self.user_id)
            .group_by(contacts.c.status)
        ).all()
        counts = {"open": 0, "done": 0}
        counts.update({status: int(count) for status, count in rows})
        return counts

    # -- everything, for /export --------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        """Every record about the user, for /export."""
        events_ = self._fetch_events(self._events(skipped=True).order_by(events.c.starts_at))
        review_rows = self.connection.execute(
            select(networks.c.name, network_reviews.c.decision, network_reviews.c.at)
            .join(networks, networks.c.id == network_reviews.c.network_id)
            .where(network_reviews.c.user_id == self.user_id)
            .order_by(network_reviews.c.at, network_reviews.c.id)
        ).all()
        return {
            "events": [e.model_dump(mode="json") for e in events_],
            "contacts": [
                c.model_dump(mode="json")
                for c in self._fetch_contacts(self._contacts().order_by(contacts.c.created_at))
            ],
            "network_reviews": [
                {"network": r.name, "decision": r.decision, "at": from_db(r.at).isoformat()}
                for r in review_rows
            ],
            "networks": [
                {
                    "name": n.name,
                    "review_stage": n.stage,
                    "leave_on": n.leave_on.isoformat() if n.leave_on else None,
                }
                for n in reviews.summaries(self.connection, self.user_id, 0)
                if n.stage
            ],
            "year_plans": [
                plan.model_dump(mode="json")
                for plan in plans.all_plans(self.connection, self.user_id)
            ],
            "reminders": [
                {
                    "key": r.key,
                    "due_at": from_db(r.due_at).isoformat(),
                    "dialog": r.dialog,
                    "sent_at": from_db(r.sent_at).isoformat() if r.sent_at else None,
                }
                for r in self.connection.execute(
                    select(reminders)
                    .where(reminders.c.user_id == self.user_id)
                    .order_by(reminders.c.due_at)
                )
            ],
            "waitlists": [
                {
                    "offer": w.offer_key,
                    "name": w.name,
                    "joined_at": from_db(w.joined_at).isoformat(),
                }
                for w in self.connection.execute(
                    select(waitlist).where(waitlist.c.user_id == self.user_id)
                )
            ],
            "step_history": [
                {
                    "dialog": s.dialog,
                    "state": s.state,
                    "input": s.input_kind,
                    "choice": s.choice,
                    "at": from_db(s.at).isoformat(),
                }
                for s in self.connection.execute(
                    select(step_history)
                    .where(step_history.c.user_id == self.user_id)
                    .order_by(step_history.c.at, step_history.c.id)
                )
            ],
        }


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



