"""After an event: how useful was it, and over several events, is this network still worth it?"""

from __future__ import annotations

from statistics import mean
from typing import Any

from babel.numbers import format_decimal

from bot.coach.events import event_reminder_prefix
from bot.coach.journal import NetworkReview, Reflection, load_journal, store_journal
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_when
from bot.engine.domain import CancelReminders, Domain, StepContext

MAX_CHOICES = 6


def reflection_domain(policy: CoachPolicy) -> Domain:
    def open_events(ctx: StepContext) -> list[tuple[str, str]]:
        """Events that have started and wait for a reflection, newest first."""
        journal = load_journal(ctx.session.data)
        waiting = [e for e in journal.events if e.starts_at <= ctx.now and e.reflection is None]
        waiting.sort(key=lambda e: e.starts_at, reverse=True)
        return [
            (e.id, f"{e.name[:30]} · {show_when(e.starts_at, ctx, policy)}")
            for e in waiting[:MAX_CHOICES]
        ]

    def event_chosen(ctx: StepContext) -> bool:
        event = load_journal(ctx.session.data).event(ctx.answers.get("event_id"))
        return event is not None and event.reflection is None

    def has_open_events(ctx: StepContext) -> bool:
        return bool(open_events(ctx))

    def save_reflection(ctx: StepContext) -> None:
        journal = load_journal(ctx.session.data)
        event = journal.event(ctx.answers["event_id"])
        if event is None:  # deleted meanwhile: nothing to attach the reflection to
            return
        event.reflection = Reflection(
            usefulness=int(ctx.answers["usefulness"]),
            goals_met=ctx.answers["goals_met"],
            energy=int(ctx.answers["energy"]),
            confidence_after=ctx.answers.get("confidence_after"),
            go_again=ctx.answers["go_again"],
            at=ctx.now,
        )
        store_journal(ctx.session.data, journal)
        ctx.records.append(CancelReminders(f"{event_reminder_prefix(event.id)}reflect"))

    def network_stats(ctx: StepContext) -> dict[str, Any]:
        journal = load_journal(ctx.session.data)
        event = journal.event(ctx.answers.get("event_id"))
        if event is None or not event.network:
            return {"network": None, "count": 0, "usefulness": None}
        reflected = [e for e in journal.network_events(event.network) if e.reflection]
        scores = [e.reflection.usefulness for e in reflected if e.reflection]
        return {
            "network": event.network,
            "count": len(reflected),
            "usefulness": format_decimal(round(mean(scores), 1), locale=ctx.lang)
            if scores
            else None,
        }

    def review_due(ctx: StepContext) -> bool:
        """Every `network_review_after` reflected events of one network, look at it as a whole."""
        stats = network_stats(ctx)
        return bool(stats["network"]) and stats["count"] % policy.network_review_after == 0

    def save_review(ctx: StepContext) -> None:
        journal = load_journal(ctx.session.data)
        stats = network_stats(ctx)
        journal.network_reviews.append(
            NetworkReview(network=stats["network"], decision=ctx.answers["review"], at=ctx.now)
        )
        store_journal(ctx.session.data, journal)

    def reflect_view(ctx: StepContext) -> dict[str, Any]:
        event = load_journal(ctx.session.data).event(ctx.answers.get("event_id"))
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
