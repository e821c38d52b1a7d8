"""Preparing an event: the strategic check, saving it, the cheat sheet, planning its reminders."""

from __future__ import annotations

import math
from collections.abc import Set
from datetime import datetime, timedelta
from typing import Any

from bot.coach.exit_lines import ExitLibrary
from bot.coach.journal import Event, journal_of, reminders_off
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_minutes, show_when
from bot.coach.when import format_clock, same_local_day
from bot.engine.domain import CancelReminders, Domain, PlanReminder, StepContext

CHEAT_SHEET_DIALOG, REFLECT_DIALOG = "cheatsheet", "reflect"
MAX_LISTED = 8


def event_reminder_prefix(event_id: str) -> str:
    return f"event:{event_id}:"


def events_domain(policy: CoachPolicy, library: ExitLibrary) -> Domain:
    def advise_skip(ctx: StepContext) -> bool:
        """Neither the business nor the people fit: say so kindly, let the user decide."""
        return "no" in (ctx.answers.get("fit"), ctx.answers.get("people_fit"))

    def save_event(ctx: StepContext) -> None:
        answers = ctx.answers
        journal = journal_of(ctx)
        starts = datetime.fromisoformat(answers["starts_at"])
        fields: dict[str, Any] = {
            "name": answers["name"],
            "starts_at": starts,
            "ends_at": starts + timedelta(minutes=int(answers["duration"])),
            "fit": answers.get("fit"),
            "people_fit": answers.get("people_fit"),
            "goal": answers["goal"],
            "tryout": answers.get("goal") == "tryout" or answers.get("skip_choice") == "tryout",
            "confidence_before": answers.get("confidence"),
            "whom": answers.get("whom"),
            "give": answers.get("give"),
            "intro": answers.get("intro_text") if answers.get("intro_choice") == "own" else None,
            "exit_situations": list(answers.get("exit_situations") or []),
            "network": answers.get("network"),
        }
        found = journal.event(answers.get("event_id"))
        event = (
            Event(created_at=ctx.now, **fields)
            if found is None
            else found.model_copy(update=fields)
        )
        journal.save_event(event)
        answers["event_id"] = event.id
        off = reminders_off(ctx)
        ctx.records.extend(plan_event_reminders(event, ctx.now, policy, off))

    def cheat_sheet(ctx: StepContext) -> dict[str, Any]:
        event = journal_of(ctx).event(ctx.answers.get("event_id"))
        if event is None:
            return {"event": None}
        lines = library[ctx.lang]
        # each with its situation: "If they only talk about themselves: „…“"
        exit_lines = [
            lines.on_sheet(key) for key in event.exit_situations if key in lines.situations
        ]
        minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
        return {
            "event": event,
            "starts": show_when(event.starts_at, ctx, policy),
            "duration": show_minutes(minutes, ctx),
            "exit_lines": exit_lines,
            # rounded up: 50 seconds before the start is "in 1 min", not "it's time"
            "minutes_to_start": math.ceil((event.starts_at - ctx.now).total_seconds() / 60),
        }

    def timing_view(ctx: StepContext) -> dict[str, Any]:
        """What was understood, for the user to confirm or correct."""
        view: dict[str, Any] = {}
        if "starts_at" in ctx.answers:
            view["starts"] = show_when(ctx.answers["starts_at"], ctx, policy)
        if "duration" in ctx.answers:
            view["duration"] = show_minutes(int(ctx.answers["duration"]), ctx)
            ends = datetime.fromisoformat(ctx.answers["starts_at"]) + timedelta(
                minutes=int(ctx.answers["duration"])
            )
            starts = datetime.fromisoformat(ctx.answers["starts_at"])
            zone = policy.timezone(ctx)
            same_day = same_local_day(starts, ends, zone)
            view["ends"] = (
                format_clock(ends, ctx.lang, zone) if same_day else show_when(ends, ctx, policy)
            )
        return view

    def all_events(ctx: StepContext) -> list[tuple[str, str]]:
        """Upcoming events first (soonest first), then past ones (newest first)."""
        journal = journal_of(ctx)
        upcoming = journal.upcoming_events(ctx.now, MAX_LISTED)
        chosen = upcoming + journal.past_events(ctx.now, MAX_LISTED - len(upcoming))
        return [(e.id, f"{e.name[:30]} · {show_when(e.starts_at, ctx, policy)}") for e in chosen]

    def has_events(ctx: StepContext) -> bool:
        return journal_of(ctx).has_events()

    def load_timing(ctx: StepContext) -> None:
        event = journal_of(ctx).event(ctx.answers.get("event_id"))
        if event is not None:
            ctx.answers["starts_at"] = event.starts_at.isoformat()
            ctx.answers["duration"] = int((event.ends_at - event.starts_at).total_seconds() // 60)

    def move_event(ctx: StepContext) -> None:
        journal = journal_of(ctx)
        event = journal.event(ctx.answers.get("event_id"))
        if event is None:
            return
        event.starts_at = datetime.fromisoformat(ctx.answers["starts_at"])
        event.ends_at = event.starts_at + timedelta(minutes=int(ctx.answers["duration"]))
        journal.save_event(event)
        off = reminders_off(ctx)
        ctx.records.extend(plan_event_reminders(event, ctx.now, policy, off))

    def delete_event(ctx: StepContext) -> None:
        event_id = ctx.answers.get("event_id")
        if event_id:  # the contacts stay; they just lose the event
            journal_of(ctx).delete_event(event_id)
            ctx.records.append(CancelReminders(event_reminder_prefix(event_id)))

    return Domain(
        effects={
            "save_event": save_event,
            "load_event_timing": load_timing,
            "move_event": move_event,
            "delete_event": delete_event,
        },
        conditions={"advise_skip": advise_skip, "has_events": has_events},
        views={"cheat_sheet": cheat_sheet, "event_timing": timing_view},
        option_providers={"all_events": all_events},
        dialogs={CHEAT_SHEET_DIALOG, REFLECT_DIALOG},  # the reminders planned below
    )


def plan_event_reminders(
    event: Event, now: datetime, policy: CoachPolicy, off: Set[str] = frozenset()
) -> list[Any]:
    """The cheat sheet before the start (if there is still time) and the reflection after the
    end, unless the user turned that kind off; planning again under the same keys moves them
    when an event changes (a reminder already sent at the same time is not sent again)."""
    prefix = event_reminder_prefix(event.id)
    plans: list[Any] = [CancelReminders(prefix)]
    answers = {"event_id": event.id}
    if event.starts_at > now and "cheat_sheet" not in off:
        due = max(event.starts_at - policy.reminder_before, now)
        plans.append(PlanReminder(f"{prefix}before", due, CHEAT_SHEET_DIALOG, answers))
    if event.reflection is None and "reflection" not in off:
        due = event.ends_at + policy.reflection_after
        plans.append(PlanReminder(f"{prefix}reflect", due, REFLECT_DIALOG, answers))
    return plans
