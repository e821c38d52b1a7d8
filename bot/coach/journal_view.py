"""`/journal`: what the user has done, and what it brought them, at a glance."""

from __future__ import annotations

from collections.abc import Callable
from statistics import mean
from typing import Any

from babel.numbers import format_decimal

from bot.coach.charts import journal_chart
from bot.coach.journal import Event, load_journal
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_when
from bot.engine.domain import Attachment, Domain, StepContext

SHOWN_EVENTS = 10


CHART_TITLES = ("usefulness", "confidence", "before", "after", "no_network")


def journal_domain(policy: CoachPolicy, labels: Callable[[str, str], str]) -> Domain:
    def summary(ctx: StepContext) -> dict[str, Any]:
        journal = load_journal(ctx.session.data)
        events = sorted(journal.events, key=lambda e: e.starts_at, reverse=True)
        contacts_by_event: dict[str | None, list[Any]] = {}
        for contact in journal.contacts:
            contacts_by_event.setdefault(contact.event_id, []).append(contact)
        networks: dict[str, list[Event]] = {}
        for event in journal.events:
            if event.network and event.reflection:
                networks.setdefault(event.network.strip(), []).append(event)
        return {
            "events": [
                {
                    "event": event,
                    "starts": show_when(event.starts_at, ctx, policy),
                    "upcoming": event.starts_at > ctx.now,
                    "contacts": contacts_by_event.get(event.id, []),
                }
                for event in events[:SHOWN_EVENTS]
            ],
            "more_events": max(0, len(events) - SHOWN_EVENTS),
            "loose_contacts": contacts_by_event.get(None, []),
            "open_followups": sum(c.status == "open" for c in journal.contacts),
            "done_followups": sum(c.status == "done" for c in journal.contacts),
            "networks": [
                {
                    "name": name,
                    "count": len(items),
                    # oldest first, so the line reads as the network's course over time
                    "scores": [
                        e.reflection.usefulness
                        for e in sorted(items, key=lambda e: e.starts_at)
                        if e.reflection
                    ],
                    "usefulness": format_decimal(
                        round(mean(e.reflection.usefulness for e in items if e.reflection), 1),
                        locale=ctx.lang,
                    ),
                }
                for name, items in sorted(networks.items())
            ],
            "confidence": [
                (e.confidence_before, e.reflection.confidence_after)
                for e in sorted(journal.events, key=lambda e: e.starts_at)
                if e.reflection and e.confidence_before and e.reflection.confidence_after
            ],
        }

    def chart(ctx: StepContext) -> None:
        titles = {key: labels(ctx.lang, f"chart_{key}") for key in CHART_TITLES}
        png = journal_chart(load_journal(ctx.session.data), titles)
        if png is not None:
            ctx.attachments.append(Attachment(png, "journal.png", kind="photo"))

    return Domain(views={"journal": summary}, effects={"journal_chart": chart})
