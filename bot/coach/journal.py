"""A user's coaching records: events prepared and reflected on, contacts to follow up.

Kept in the session's `data` (one JSON document per user), so reading and writing them costs no
extra database round trip; `/export` hands the same document to the user.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field

R = TypeVar("R", bound=BaseModel)
JOURNAL_KEY = "journal"
SETTINGS_KEY = "settings"
FollowUpStatus = Literal["open", "done"]


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
    confidence_before: int | None = None
    whom: str | None = None
    give: str | None = None
    intro: str | None = None
    exit_situations: list[str] = Field(default_factory=list)
    network: str | None = None
    reflection: Reflection | None = None
    created_at: datetime


class Contact(BaseModel):
    id: str = Field(default_factory=new_id)
    name: str
    where: str | None = None
    topic: str
    give: str | None = None
    promised: bool | None = None  # the user promised the give: the draft says "as promised"
    address: str | None = None  # informal | formal: Du/Sie, first name or not
    channel: str
    status: FollowUpStatus = "open"
    event_id: str | None = None
    created_at: datetime
    done_at: datetime | None = None


class NetworkReview(BaseModel):
    network: str
    decision: str  # keep | talk | withdraw
    at: datetime


class Journal(BaseModel):
    events: list[Event] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    network_reviews: list[NetworkReview] = Field(default_factory=list)

    def event(self, event_id: str | None) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def contact(self, contact_id: str | None) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    def network_events(self, network: str) -> list[Event]:
        key = network.casefold().strip()
        return [e for e in self.events if e.network and e.network.casefold().strip() == key]


def save_record(
    items: list[R], found: R | None, fields: dict[str, Any], make: Callable[[], R]
) -> R:
    """Update `found` with `fields` (an edit), or append the new record `make()` builds."""
    if found is None:
        found = make()
        items.append(found)
        return found
    for key, value in fields.items():
        setattr(found, key, value)
    return found


def load_journal(data: dict[str, Any]) -> Journal:
    return Journal.model_validate(data.get(JOURNAL_KEY) or {})


def store_journal(data: dict[str, Any], journal: Journal) -> None:
    data[JOURNAL_KEY] = journal.model_dump(mode="json")


def reminders_off(data: dict[str, Any]) -> set[str]:
    """Reminder kinds the user turned off in /settings."""
    return set((data.get(SETTINGS_KEY) or {}).get("reminders_off", []))
