"""The coach's records in their tables, read and written on the update's own connection.

Runs synchronously inside `AsyncConnection.run_sync`, so the engine and the coach stay plain
functions while every query still belongs to the turn's one transaction. Each method reads only
the rows it returns (bounded by the caller's limit), never a user's whole history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
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
from bot.store.journal import events, plans, reviews
from bot.store.reminders import from_db, to_db
from bot.store.schema import (
    contacts,
    network_reviews,
    networks,
    reminders,
    step_history,
    waitlist,
)
from bot.store.schema import (
    events as event_table,
)


class SqlJournal:
    """`bot.coach.journal.JournalRecords` for one user, on one connection."""

    def __init__(self, connection: Connection, user_id: int) -> None:
        self.connection = connection
        self.user_id = user_id
        # The event in hand, asked for by a step's text and again by each of its buttons: read
        # once per turn, and again only after this turn changed an event.
        self._events_on: dict[tuple[datetime, datetime, datetime, int], list[Event]] = {}

    # -- events and their reflections ----------------------------------------------------------

    def event(self, event_id: str | None) -> Event | None:
        return events.event(self.connection, self.user_id, event_id)

    def save_event(self, event: Event) -> None:
        self._events_on.clear()
        events.save_event(self.connection, self.user_id, event)

    def delete_event(self, event_id: str) -> None:
        self._events_on.clear()
        events.delete_event(self.connection, self.user_id, event_id)

    def has_events(self) -> bool:
        return events.has_events(self.connection, self.user_id)

    def count_events(self) -> int:
        return events.count_events(self.connection, self.user_id)

    def event_mix(self, since: datetime) -> EventMix:
        return events.event_mix(self.connection, self.user_id, since)

    def latest_events(self, limit: int) -> list[Event]:
        return events.latest_events(self.connection, self.user_id, limit)

    def upcoming_events(self, now: datetime, limit: int) -> list[Event]:
        return events.upcoming_events(self.connection, self.user_id, now, limit)

    def past_events(self, now: datetime, limit: int) -> list[Event]:
        return events.past_events(self.connection, self.user_id, now, limit)

    def events_to_reflect(self, now: datetime, limit: int) -> list[Event]:
        return events.events_to_reflect(self.connection, self.user_id, now, limit)

    def events_ending_after(self, moment: datetime) -> list[Event]:
        return events.events_ending_after(self.connection, self.user_id, moment)

    def events_on(
        self, starts_from: datetime, starts_until: datetime, ends_after: datetime, limit: int
    ) -> list[Event]:
        """Read once per turn (see `_events_on`), a copy each time."""
        key = (starts_from, starts_until, ends_after, limit)
        if key not in self._events_on:
            self._events_on[key] = events.events_on(
                self.connection, self.user_id, starts_from, starts_until, ends_after, limit
            )
        return list(self._events_on[key])

    def reflected_events(self, limit: int) -> list[Event]:
        return events.reflected_events(self.connection, self.user_id, limit)

    def save_reflection(self, event_id: str, reflection: Reflection) -> None:
        self._events_on.clear()
        events.save_reflection(self.connection, self.user_id, event_id, reflection)

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
            select(contacts, event_table.c.key.label("event_key"))
            .outerjoin(event_table, event_table.c.id == contacts.c.event_id)
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
        event_row_id = events.event_row_id(self.connection, self.user_id, contact.event_id)
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
            "event_id": event_row_id,
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
        query = self._contacts().where(event_table.c.key.in_(event_ids))
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
        events_ = events.all_events(self.connection, self.user_id)
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



