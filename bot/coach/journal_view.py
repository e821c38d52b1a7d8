"""`/journal`: what the user has done, and what it brought them, at a glance.

Reads only what it shows: the latest events, their contacts, counts, each network's latest
scores, and the last few dozen reflections for the chart, however long the history is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.numbers import format_decimal

from bot.coach.budget import plan_budget
from bot.coach.journal import journal_of
from bot.coach.mix import event_mix
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_when
from bot.coach.when import babel_locale
from bot.engine.domain import Attachment, Domain, StepContext

SHOWN_EVENTS = 10
SHOWN_LOOSE_CONTACTS = 10
SHOWN_SCORES = 12  # a network's course: its latest scores
SHOWN_CONFIDENCE = 12
CHARTED_EVENTS = 40  # the last few dozen reflections make the picture

CHART_TITLES = ("usefulness", "confidence", "before", "after", "no_network")


def journal_domain(policy: CoachPolicy, labels: Callable[[str, str], str]) -> Domain:
    def summary(ctx: StepContext) -> dict[str, Any]:
        journal = journal_of(ctx)
        events = journal.latest_events(SHOWN_EVENTS)
        contacts_by_event: dict[str | None, list[Any]] = {}
        for contact in journal.contacts_of_events([e.id for e in events]):
            contacts_by_event.setdefault(contact.event_id, []).append(contact)
        counts = journal.followup_counts()
        reflected = journal.reflected_events(SHOWN_CONFIDENCE)
        plan = journal.latest_plan()
        planned = plan.networks if plan else {}
        return {
            "plan": plan,  # the latest yearly plan, shown as prompts/*/plan/_plan.html
            # its numbers against this month and quarter (prompts/*/plan/_budget.html)
            "budget": plan_budget(journal, plan, ctx.now, policy.zone(ctx), ctx.lang)
            if plan
            else None,
            "stay": [name for name, choice in planned.items() if choice == "stay"],
            "go": [name for name, choice in planned.items() if choice == "go"],
            "events": [
                {
                    "event": event,
                    "starts": show_when(event.starts_at, ctx, policy),
                    "upcoming": event.starts_at > ctx.now,
                    "contacts": contacts_by_event.get(event.id, []),
                }
                for event in events
            ],
            "more_events": max(0, journal.count_events() - len(events)),
            "loose_contacts": journal.loose_contacts(SHOWN_LOOSE_CONTACTS),
            "open_followups": counts["open"],
            "done_followups": counts["done"],
            "networks": [
                {
                    "name": network.name,
                    "count": network.count,
                    "scores": network.scores,  # oldest first: the network's course over time
                    "usefulness": format_decimal(
                        round(network.average or 0, 1), locale=babel_locale(ctx.lang)
                    ),
                }
                for network in journal.network_summaries(SHOWN_SCORES)
            ],
            "mix": event_mix(journal, ctx.now),  # goal events, try-outs, skipped: this year
            "confidence": [
                (e.confidence_before, e.reflection.confidence_after)
                for e in reflected
                if e.reflection and e.confidence_before and e.reflection.confidence_after
            ],
        }

    def chart(ctx: StepContext) -> None:
        """The rows are read now, in the turn; the picture is drawn later in a worker thread."""
        journal = journal_of(ctx)
        titles = {key: labels(ctx.lang, f"chart_{key}") for key in CHART_TITLES}
        total = journal.count_events()
        reflected = journal.reflected_events(CHARTED_EVENTS)

        def draw() -> bytes | None:
            from bot.coach.charts import journal_chart  # matplotlib: imported when first needed

            return journal_chart(total, reflected, titles)

        ctx.attachments.append(Attachment(draw, "journal.png", kind="photo"))

    return Domain(views={"journal": summary}, effects={"journal_chart": chart})
