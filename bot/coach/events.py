"""Preparing an event: saving it, the cheat sheet, its calendar file, planning its reminders;
and a calendar file sent by the user as the start of /prepare. (The strategic check before it:
`event_check.py`.)"""

from __future__ import annotations

import math
from collections.abc import Callable, Set
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.coach.budget import plan_budget
from bot.coach.calendar import entry_answers, event_calendar, read_calendar
from bot.coach.event_check import event_name, is_online
from bot.coach.exit_lines import ExitLibrary, Venue
from bot.coach.give_ideas import chosen_give, sheet_give
from bot.coach.journal import Event, journal_of, reminders_off
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_minutes, show_when
from bot.coach.when import format_clock, same_local_day
from bot.coach.wording import shorten
from bot.engine.domain import (
    Attachment,
    CancelReminders,
    Domain,
    PlanReminder,
    StartWith,
    StepContext,
)
from bot.engine.session import Session
from bot.engine.telegram_html import visible_text

CHEAT_SHEET_DIALOG, REFLECT_DIALOG, PREPARE_DIALOG = "cheatsheet", "reflect", "prepare"
CALENDAR_TEMPLATE = "prepare/_calendar"  # the calendar entry's description: the cheat sheet
MAX_LISTED = 8
Render = Callable[..., str]  # (lang, template, **context) → Telegram HTML


JUST_PREPARED = timedelta(minutes=15)


def event_reminder_prefix(event_id: str) -> str:
    return f"event:{event_id}:"


def events_domain(
    policy: CoachPolicy, library: ExitLibrary, render: Render | None = None
) -> Domain:
    def save_event(ctx: StepContext) -> None:
        answers = ctx.answers
        journal = journal_of(ctx)
        starts = datetime.fromisoformat(answers["starts_at"])
        give, give_idea = chosen_give(answers)
        fields: dict[str, Any] = {
            "name": event_name(ctx.lang, answers),
            "starts_at": starts,
            "ends_at": starts + timedelta(minutes=int(answers["duration"])),
            "fit": answers.get("fit"),
            "people_fit": answers.get("people_fit"),
            "goal": answers["goal"],
            "tryout": is_tryout(answers),
            "confidence_before": answers.get("confidence"),
            "whom": answers.get("whom"),
            "give": give,
            "give_idea": give_idea,
            "intro": answers.get("intro_text") if answers.get("intro_choice") == "own" else None,
            "exit_situations": list(answers.get("exit_situations") or []),
            "network": answers.get("network"),
            "online": is_online(answers),
            "status": "planned",
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
        venue: Venue = "online" if event.online else "room"
        exit_lines = [
            lines.on_sheet(key, venue) for key in event.exit_situations if key in lines.situations
        ]
        minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
        give, give_idea = sheet_give(event.give, event.give_idea)
        reminder_on = "cheat_sheet" not in reminders_off(ctx)
        return {
            "event": event,
            "give": give,  # what the user typed to give, never a shrug
            "give_idea": give_idea,  # else the idea they picked (or a good question)
            "starts": show_when(event.starts_at, ctx, policy),
            "duration": show_minutes(minutes, ctx),
            "exit_lines": exit_lines,
            # rounded up: 50 seconds before the start is "in 1 min", not "it's time"
            "minutes_to_start": math.ceil((event.starts_at - ctx.now).total_seconds() / 60),
            # the reminder with the sheet is still to come (not due the moment it is saved)
            "sheet_again": reminder_on and event.starts_at - policy.reminder_before > ctx.now,
            # …or due right away, with the warm-up
            "warm_up_soon": reminder_on and event.starts_at > ctx.now,
            # prepared minutes ago: the reminder need not show the whole sheet once more
            "just_prepared": ctx.now - event.created_at < JUST_PREPARED,
        }

    def calendar_file(ctx: StepContext) -> None:
        """The saved event as an .ics file, its description the cheat sheet as plain text."""
        event = journal_of(ctx).event(ctx.answers.get("event_id"))
        if event is None or render is None:
            return
        html = render(
            ctx.lang,
            CALENDAR_TEMPLATE,
            profile=ctx.session.profile,
            answers=ctx.answers,
            view=cheat_sheet(ctx),
            lang=ctx.lang,
            resume_title=None,
        )
        content = event_calendar(event, visible_text(html).strip(), ctx.now)
        ctx.attachments.append(Attachment(content, calendar_file_name(event), kind="document"))

    def read_ics(content: bytes, session: Session, now: datetime) -> StartWith:
        """A calendar file the user sent: /prepare, with what the file tells filled in."""
        zone = ZoneInfo(session.timezone or policy.default_timezone)
        entry = read_calendar(content, zone, now)
        return StartWith(PREPARE_DIALOG, entry_answers(entry))

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

    def confirm_view(ctx: StepContext) -> dict[str, Any]:
        """What was understood, and whether the event still fits the plan's budget."""
        journal = journal_of(ctx)
        plan = journal.latest_plan()
        view = timing_view(ctx)
        view["budget"] = None
        if plan is not None and "starts_at" in ctx.answers and "duration" in ctx.answers:
            starts = datetime.fromisoformat(ctx.answers["starts_at"])
            stored = journal.event(ctx.answers.get("event_id"))  # an event being moved
            provisional = Event(
                id=ctx.answers.get("event_id") or "",
                name="",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=int(ctx.answers["duration"])),
                goal=str(ctx.answers.get("goal") or ""),
                tryout=stored.tryout if stored else is_tryout(ctx.answers),
                created_at=ctx.now,
            )
            view["budget"] = plan_budget(
                journal, plan, starts, policy.zone(ctx), ctx.lang, adding=provisional
            )
        return view

    def all_events(ctx: StepContext) -> list[tuple[str, str]]:
        """Upcoming events first (soonest first), then past ones (newest first)."""
        journal = journal_of(ctx)
        upcoming = journal.upcoming_events(ctx.now, MAX_LISTED)
        chosen = upcoming + journal.past_events(ctx.now, MAX_LISTED - len(upcoming))
        return [(e.id, event_button(e, ctx, policy)) for e in chosen]

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
            "calendar_file": calendar_file,
        },
        conditions={"has_events": has_events},
        views={
            "cheat_sheet": cheat_sheet,
            "event_timing": timing_view,
            "event_confirm": confirm_view,
        },
        option_providers={"all_events": all_events},
        documents={"ics": read_ics},
        # the reminders planned below, and the dialog a calendar file starts
        dialogs={CHEAT_SHEET_DIALOG, REFLECT_DIALOG, PREPARE_DIALOG},
    )


def event_button(event: Event, ctx: StepContext, policy: CoachPolicy) -> str:
    """An event on a button: its name (cut at a word) and when it starts."""
    return f"{shorten(ctx.lang, event.name)} · {show_when(event.starts_at, ctx, policy)}"


def is_tryout(answers: dict[str, Any]) -> bool:
    """Prepared as a deliberate try-out: the goal, or the choice after weighing it up."""
    return answers.get("goal") == "tryout" or answers.get("skip_choice") == "tryout"


def calendar_file_name(event: Event) -> str:
    """A file name a calendar app accepts: the event's name in safe characters."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in event.name).strip("-")
    return f"{'-'.join(filter(None, stem.split('-')))[:40] or 'event'}.ics"


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
