"""Plausible coaching records for `exit-coach check`, so every template is rendered with data
(user text deliberately hostile: it must come out escaped)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.coach.journal import Contact, Event, JournalRecords, Reflection, YearPlan


def sample_records(records: JournalRecords, now: datetime, text: str) -> dict[str, Any]:
    """Write an upcoming, an unreflected and three reflected events and a contact into
    `records`; returns answers that point at them."""

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
    for item in (upcoming, unreflected, *reflected):
        records.save_event(item)
    contact = Contact(
        name=text,
        where=text,
        topic=text,
        give=text,
        channel="email",
        created_at=now,
        event_id=unreflected.id,
    )
    records.save_contact(contact)
    network_id = records.network_id(text)
    if network_id:
        records.set_network_stage(network_id, "withdraw", now, now + timedelta(days=40))
    records.save_plan(
        YearPlan(
            year=now.year + 1,
            contacts=text,
            places=text,
            networks={text: "go", "BNI": "stay"},
            topics=text,
            saved_at=now,
        )
    )
    return {
        "network_id": network_id,
        "event_id": unreflected.id,
        "contact_id": contact.id,
        "contact_name": text,
        "starts_at": upcoming.starts_at.isoformat(),
        "duration": 120,
        "goal": "customers",
    }
