"""A user's coaching records: events prepared and reflected on, contacts to follow up, reviews of
whole networks; and `JournalRecords`, what the coach may ask of their storage.

The records live in tables of their own (bot/store/journal/ implements the protocol on the turn's
database transaction), so a view reads the rows it shows, not the user's whole history: lists are
bounded by a count or a time window, sums are counted by the database; only a few lists hold all
the user keeps open (open follow-ups, networks, a network's scores since its last review), and
`export` reads everything.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from bot.engine.domain import StepContext
from bot.engine.errors import ExitCoachError

FollowUpStatus = Literal["open", "done"]
EventStatus = Literal["planned", "skipped"]  # skipped: kept for the mix, never reminded of


def new_id() -> str:
    """Short, unique enough per user, and usable as a button id (which starts with a letter)."""
    return f"i{secrets.token_hex(4)}"


class Reflection(BaseModel):
    usefulness: int
    goals_met: str
    energy: int
    confidence_after: int | None = None
    go_again: str
    at: datetime


class Event(BaseModel):
    id: str = Field(default_factory=new_id)
    name: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    fit: str | None = None
    people_fit: str | None = None
    goal: str
    tryout: bool = False
    online: bool | None = None  # None: not asked (prepared before /prepare asked it)
    confidence_before: int | None = None
    whom: str | None = None
    give: str | None = None
    give_idea: str | None = None  # tip | introduction | resource | question: picked, not typed
    intro: str | None = None
    exit_situations: list[str] = Field(default_factory=list)
    network: str | None = None
    status: EventStatus = "planned"
    reflection: Reflection | None = None
    created_at: datetime


class EventMix(BaseModel):
    """How many events of each kind start within a period: what /journal shows as the mix."""

    goal_events: int = 0  # planned, for one of the user's goals
    tryouts: int = 0  # planned as a conscious try-out
    skipped: int = 0


# Frau/Ms, Herr/Mr, or neither (German: the full name; English: Mx)
Honorific = Literal["female", "male", "neutral"]


class Contact(BaseModel):
    """Someone the user met. What they typed about the conversation (`where`, `topic`, `give`,
    `note`) is their note: shown beside a draft, never quoted in it (bot/coach/drafts.py)."""

    id: str = Field(default_factory=new_id)
    name: str  # the person; the organisation's name when nobody there was named
    where: str | None = None  # a typed place: a note (an event in the journal is `event_id`)
    topic: str | None = None  # None: caught in the room ("Met someone"), not drafted yet
    give: str | None = None
    promised: bool | None = None  # the user promised the give: the draft says "as promised"
    address: str | None = None  # informal | formal: Du/Sie, first name or not
    channel: str | None = None  # None: not drafted yet
    organisation: str | None = None  # a company met: the person's, or the team greeted
    honorific: Honorific | None = None  # for a formal address; asked once, remembered
    met_online: bool | None = None  # met online (picked as such, not at a journal event)
    intro_to: str | None = None  # whom an introduction would be to (double opt-in)
    note: str | None = None  # the few words noted when caught in the room
    status: FollowUpStatus = "open"
    event_id: str | None = None
    created_at: datetime
    done_at: datetime | None = None


ReviewStage = Literal["postponed", "talk", "kept", "withdraw", "left"]


class NetworkSummary(BaseModel):
    """One network's usefulness over its reflected events (the latest scores, oldest first), and
    where its review stands."""

    id: str = ""  # "n<number>": usable as a button id and in a reminder's answers
    name: str
    count: int
    average: float | None = None  # None: no reflected event yet
    scores: list[int] = Field(default_factory=list)
    stage: ReviewStage | None = None  # not now, talk planned, kept, withdrawal planned, left
    stage_at: datetime | None = None
    leave_on: datetime | None = None  # a planned withdrawal: end of the membership period


class YearPlan(BaseModel):
    """The yearly networking plan: whom to meet, where, which networks stay or go, new topics."""

    year: int
    contacts: str | None = None
    places: str | None = None
    networks: dict[str, str] = Field(default_factory=dict)  # network name → stay | go
    topics: str | None = None
    # The budget the user set (None: not set): goal events per month, try-outs per quarter,
    # hours per month.
    events_per_month: int | None = None
    tryouts_per_quarter: int | None = None
    hours_per_month: int | None = None
    saved_at: datetime


class JournalRecords(Protocol):
    """The user's records, read and written inside the update's transaction."""

    def event(self, event_id: str | None) -> Event | None: ...
    def save_event(self, event: Event) -> None: ...
    def delete_event(self, event_id: str) -> None: ...
    def has_events(self) -> bool: ...
    def count_events(self) -> int: ...
    def latest_events(self, limit: int) -> list[Event]: ...
    def upcoming_events(self, now: datetime, limit: int) -> list[Event]: ...
    def past_events(self, now: datetime, limit: int) -> list[Event]: ...
    def events_to_reflect(self, now: datetime, limit: int) -> list[Event]: ...
    def events_ending_after(self, moment: datetime) -> list[Event]: ...
    def events_on(
        self, starts_from: datetime, starts_until: datetime, ends_after: datetime, limit: int
    ) -> list[Event]: ...
    def reflected_events(self, limit: int) -> list[Event]: ...
    def event_mix(self, since: datetime) -> EventMix: ...
    def save_reflection(self, event_id: str, reflection: Reflection) -> None: ...
    def network_scores(self, network: str, since: datetime | None = None) -> list[int]: ...
    def network_summaries(self, scores: int) -> list[NetworkSummary]: ...
    def all_networks(self, scores: int) -> list[NetworkSummary]: ...
    def network(self, network_id: str | None, scores: int = 3) -> NetworkSummary | None: ...
    def network_id(self, name: str | None) -> str | None: ...
    def add_network_review(self, network: str, decision: str, at: datetime) -> None: ...
    def set_network_stage(
        self, network_id: str, stage: ReviewStage, at: datetime, leave_on: datetime | None = None
    ) -> None: ...
    def save_plan(self, plan: YearPlan) -> None: ...
    def latest_plan(self) -> YearPlan | None: ...
    def contact(self, contact_id: str | None) -> Contact | None: ...
    def save_contact(self, contact: Contact) -> None: ...
    def contacts_of_events(self, event_ids: list[str]) -> list[Contact]: ...
    def loose_contacts(self, limit: int) -> list[Contact]: ...
    def open_contacts(self) -> list[Contact]: ...
    def caught_contacts(self, since: datetime, limit: int) -> list[Contact]: ...
    def followup_counts(self) -> dict[str, int]: ...
    def export(self) -> dict[str, Any]: ...


def journal_of(ctx: StepContext) -> JournalRecords:
    """The records of the user in hand; the service hands them to the engine with the turn."""
    if ctx.records_store is None:
        raise ExitCoachError("this step needs the user's records, and none were given")
    records: JournalRecords = ctx.records_store
    return records


def reminders_off(ctx: StepContext) -> set[str]:
    """Reminder kinds the user turned off in /settings."""
    return set(ctx.session.profile.reminders_off)
