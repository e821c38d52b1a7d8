"""What the bot remembers about one user between updates: what drives the dialog.

Everything here must survive a JSON round trip: the store keeps it in one small column. The
profile is loaded with it (one query) but kept in a table of its own; the user's records (events,
contacts…) are never part of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

START_PAYLOAD_KEY = "start_payload"  # in Session.data: `/start <payload>`, for the domain


class Frame(BaseModel):
    """A dialog in progress: where it stands and what was answered so far."""

    dialog: str
    state: str
    answers: dict[str, Any] = Field(default_factory=dict)


class Profile(BaseModel):
    """Onboarding answers the coach uses everywhere."""

    name: str | None = None
    business: str | None = None
    goals: list[str] = Field(default_factory=list)
    reminders_off: list[str] = Field(default_factory=list)  # reminder kinds turned off
    exit_tone: str | None = None  # warm | brief: the tone last chosen in /exit, kept for the next


class Session(BaseModel):
    """One user's durable state: language, profile, the active dialog and any it interrupted."""

    user_id: int
    language: str = "en"
    timezone: str | None = None  # IANA name; None: the operator's default
    profile: Profile = Field(default_factory=Profile, exclude=True)  # its own table
    active: Frame | None = None
    suspended: list[Frame] = Field(default_factory=list)  # interrupted by an overlay, newest last
    step: int = 0  # bumped whenever a step is shown; buttons carry it to detect stale ones
    last_seen: datetime = Field(default_factory=lambda: datetime.now(UTC))
    version: int = 0  # optimistic-lock counter for the store
    unseen: bool = False  # the last reply never arrived: the next typed text shows the step again
    data: dict[str, Any] = Field(default_factory=dict)  # small things for the domain (a deep link)

    @property
    def onboarded(self) -> bool:
        return bool(self.profile.name)

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, raw: str) -> Session:
        return cls.model_validate_json(raw)
