"""`SqlJournal`: what a turn hands the coach as the user's records (`bot.coach.journal.
JournalRecords`), for one user on the turn's connection. It answers each question with the module
of its concern (events, contacts, reviews, plans, history), so every read and write belongs to the
turn's one transaction; the only thing it keeps itself is a per-turn memo of the event in hand.

It runs inside a plain synchronous function that the store runs through `Database.run`
(bot/store/turns.py for a turn; bot/store/executor.py): on PostgreSQL under `run_sync`, on SQLite
on the writer's thread. So the engine and the coach stay plain functions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from bot.coach.journal import (
    Contact,
    Event,
    EventMix,
    NetworkSummary,
    Reflection,
    ReviewStage,
    YearPlan,
)
from bot.store.journal import contacts, events, history, plans, reviews


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

    # -- contacts to follow up ----------------------------------------------------------------

    def contact(self, contact_id: str | None) -> Contact | None:
        return contacts.contact(self.connection, self.user_id, contact_id)

    def save_contact(self, contact: Contact) -> None:
        contacts.save_contact(self.connection, self.user_id, contact)

    def contacts_of_events(self, event_ids: list[str]) -> list[Contact]:
        return contacts.contacts_of_events(self.connection, self.user_id, event_ids)

    def loose_contacts(self, limit: int) -> list[Contact]:
        return contacts.loose_contacts(self.connection, self.user_id, limit)

    def open_contacts(self) -> list[Contact]:
        return contacts.open_contacts(self.connection, self.user_id)

    def caught_contacts(self, since: datetime, limit: int) -> list[Contact]:
        return contacts.caught_contacts(self.connection, self.user_id, since, limit)

    def followup_counts(self) -> dict[str, int]:
        return contacts.followup_counts(self.connection, self.user_id)

    # -- everything, for /export --------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return history.export(self.connection, self.user_id)
