"""Plausible coaching records for `exit-coach check`, so every template is rendered with data
(user text deliberately hostile: it must come out escaped)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.coach.journal import Contact, Event, Journal, Reflection, store_journal


def sample_records(now: datetime, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(session data, answers) with an upcoming, an unreflected and a reflected event."""

    def event(name: str, days: int, **extra: Any) -> Event:
        start = now + timedelta(days=days)
        return Event(
            name=name,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            goal="customers",
            confidence_before=2,
            whom=text,
            give=text,
            exit_situations=["other_world", "silence"],
            network=text,
            created_at=now,
            **extra,
        )

    reflection = Reflection(
        usefulness=4, goals_met="partly", energy=3, confidence_after=4, go_again="yes", at=now
    )
    upcoming = event(text, 2)
    unreflected = event(text, -1)
    reflected = [event(text, -30 - i, reflection=reflection) for i in range(3)]
    contact = Contact(
        name=text,
        where=text,
        topic=text,
        give=text,
        channel="email",
        created_at=now,
        event_id=unreflected.id,
    )
    journal = Journal(events=[upcoming, unreflected, *reflected], contacts=[contact])
    data: dict[str, Any] = {}
    store_journal(data, journal)
    answers = {
        "event_id": unreflected.id,
        "contact_id": contact.id,
        "contact_name": text,
        "starts_at": upcoming.starts_at.isoformat(),
        "duration": 120,
        "goal": "customers",
    }
    return data, answers
