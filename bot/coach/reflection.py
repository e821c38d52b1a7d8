"""After an event: how useful was it, and over several events, is this network still worth it?

The reflection answers back (COACHING.md §4 and its tone: praise small steps, never shame
skipping): a draining or useless event gets a kind word and explicit permission to skip next
time, a good one is named, and the confidence before (asked in /prepare) and after is shown.
"""

from __future__ import annotations

from statistics import mean
from typing import Any, Literal

from babel.numbers import format_decimal

from bot.coach.events import event_button, event_reminder_prefix
from bot.coach.journal import JournalRecords, Reflection, journal_of
from bot.coach.network_review import OFFER_KEY, low_over_time
from bot.coach.planning import yearly_reminder
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_when
from bot.coach.when import babel_locale
from bot.engine.domain import CancelReminders, Domain, StepContext

MAX_CHOICES = 6
EveningVerdict = Literal["poor", "draining", "good", "mixed"]


def how_it_went(reflection: Reflection) -> EveningVerdict:
    """What the answers say: `poor` (it brought little, or not enough to go again), `draining`
    (a lot of energy for a middling result), `good` (useful, or the goal was met), else
    `mixed`."""
    useful = reflection.usefulness
    if useful <= 2 or (reflection.go_again == "no" and useful <= 3):
        return "poor"
    if reflection.energy >= 4 and useful <= 3:
        return "draining"
    if useful >= 4 or reflection.goals_met == "yes":
        return "good"
    return "mixed"


def caught_at(journal: JournalRecords, event_id: str) -> list[str]:
    """The names of the contacts caught at the event with "Met someone" and not written to yet:
    the contacts question names them, so nobody notes them twice."""
    return [
        contact.name
        for contact in journal.contacts_of_events([event_id])
        if contact.status == "open" and contact.channel is None
    ]


def reflection_domain(policy: CoachPolicy) -> Domain:
    after = policy.network_review_after

    def open_events(ctx: StepContext) -> list[tuple[str, str]]:
        """Events that have started and wait for a reflection, newest first."""
        waiting = journal_of(ctx).events_to_reflect(ctx.now, MAX_CHOICES)
        return [(e.id, event_button(e, ctx, policy)) for e in waiting]

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
        ctx.records.append(yearly_reminder(ctx, policy))  # someone who reflects, plans

    def network_stats(ctx: StepContext) -> dict[str, Any]:
        """The event's network and its latest scores, for the reflection's words."""
        journal = journal_of(ctx)
        event = journal.event(ctx.answers.get("event_id"))
        network = journal.network(journal.network_id(event.network if event else None), after)
        if network is None:
            return {"network": None, "network_id": None, "count": 0, "usefulness": None}
        return {
            "network": network.name,
            "network_id": network.id,
            "count": len(network.scores),
            "usefulness": format_decimal(
                round(mean(network.scores), 1), locale=babel_locale(ctx.lang)
            )
            if network.scores
            else None,
        }

    def review_due(ctx: StepContext) -> bool:
        """Offer a review when the network's usefulness has been low over its latest events
        (never for a network rated well, never while a review is under way, and after a review
        only once enough new events were reflected)."""
        journal = journal_of(ctx)
        event = journal.event(ctx.answers.get("event_id"))
        network = journal.network(journal.network_id(event.network if event else None), after)
        if event is None or network is None or network.stage in ("talk", "withdraw", "left"):
            return False
        recent = journal.network_scores(event.network or "", since=network.stage_at)
        return low_over_time(recent, after)

    def offer_review(ctx: StepContext) -> None:
        """Hand the network to the review dialog, should the user start it from here."""
        network_id = network_stats(ctx)["network_id"]
        if network_id:
            ctx.session.data[OFFER_KEY] = {"network_id": network_id, "at": ctx.now.isoformat()}

    def not_now(ctx: StepContext) -> None:
        """ "Not now" is a decision too: the offer waits for enough new events to say more."""
        ctx.session.data.pop(OFFER_KEY, None)
        network_id = network_stats(ctx)["network_id"]
        if network_id:
            journal_of(ctx).set_network_stage(network_id, "postponed", ctx.now)

    def reflect_view(ctx: StepContext) -> dict[str, Any]:
        journal = journal_of(ctx)
        event = journal.event(ctx.answers.get("event_id"))
        starts = show_when(event.starts_at, ctx, policy) if event else None
        reflection = event.reflection if event else None
        return {
            "event": event,
            "starts": starts,
            "verdict": how_it_went(reflection) if reflection else None,
            "reflection": reflection,
            "confidence_before": event.confidence_before if event else None,
            "caught": caught_at(journal, event.id) if reflection and event else [],
            **network_stats(ctx),
        }

    return Domain(
        effects={
            "save_reflection": save_reflection,
            "offer_network_review": offer_review,
            "skip_network_review": not_now,
        },
        conditions={
            "event_chosen": event_chosen,
            "has_open_events": has_open_events,
            "network_review_due": review_due,
        },
        views={"reflection": reflect_view},
        option_providers={"events_to_reflect": open_events},
    )
