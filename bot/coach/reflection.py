"""After an event: how useful was it, and over several events, is this network still worth it?"""

from __future__ import annotations

from statistics import mean
from typing import Any

from babel.numbers import format_decimal

from bot.coach.events import event_reminder_prefix
from bot.coach.journal import Reflection, journal_of
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_when
from bot.coach.when import babel_locale
from bot.engine.domain import CancelReminders, Domain, StepContext

MAX_CHOICES = 6


def reflection_domain(policy: CoachPolicy) -> Domain:
    def open_events(ctx: StepContext) -> list[tuple[str, str]]:
        """Events that have started and wait for a reflection, newest first."""
        waiting = journal_of(ctx).events_to_reflect(ctx.now, MAX_CHOICES)
        return [(e.id, f"{e.name[:30]} · {show_when(e.starts_at, ctx, policy)}") for e in waiting]

    def event_chosen(ctx: StepContext) -> bool:
        event = journal_of(ctx).event(ctx.answers.get("event_id"))
        return event is not None and event.reflection is None

    def has_open_events(ctx: StepContext) -> bool:
        return bool(open_events(ctx))

    def save_reflection(ctx: StepContext) -> None:
        journal = journal_of(ctx)
        event = journal.event(ctx.answers["event_id"])
        if event is None:  # deleted meanwhile: nothing to attach the reflection to
            return
        reflection = Reflection(
            usefulness=int(ctx.answers["usefulness"]),
            goals_met=ctx.answers["goals_met"],
            energy=int(ctx.answers["energy"]),
            confidence_after=ctx.answers.get("confidence_after"),
            go_again=ctx.answers["go_again"],
            at=ctx.now,
        )
        journal.save_reflection(event.id, reflection)
        ctx.records.append(CancelReminders(f"{event_reminder_prefix(event.id)}reflect"))

    def network_stats(ctx: StepContext) -> dict[str, Any]:
        journal = journal_of(ctx)
        event = journal.event(ctx.answers.get("event_id"))
        if event is None or not event.network:
            return {"network": None, "count": 0, "usefulness": None}
        scores = journal.network_scores(event.network)
        return {
            "network": event.network,
            "count": len(scores),
            "usefulness": format_decimal(round(mean(scores), 1), locale=babel_locale(ctx.lang))
            if scores
            else None,
        }

    def review_due(ctx: StepContext) -> bool:
        """Every `network_review_after` reflected events of one network, look at it as a whole."""
        stats = network_stats(ctx)
        return bool(stats["network"]) and stats["count"] % policy.network_review_after == 0

    def save_review(ctx: StepContext) -> None:
        stats = network_stats(ctx)
        if stats["network"]:
            journal_of(ctx).add_network_review(stats["network"], ctx.answers["review"], ctx.now)

    def reflect_view(ctx: StepContext) -> dict[str, Any]:
        event = journal_of(ctx).event(ctx.answers.get("event_id"))
        starts = show_when(event.starts_at, ctx, policy) if event else None
        return {"event": event, "starts": starts, **network_stats(ctx)}

    return Domain(
        effects={"save_reflection": save_reflection, "save_network_review": save_review},
        conditions={
            "event_chosen": event_chosen,
            "has_open_events": has_open_events,
            "network_review_due": review_due,
        },
        views={"reflection": reflect_view},
        option_providers={"events_to_reflect": open_events},
    )
