"""The strategic check in /prepare: which event it is, whether it fits, and when it does not, an
honest weighing (which answer was no, the user's goals, what the evening costs) before the user
decides to skip it, go as a conscious try-out, or go anyway. A skipped event is kept. When the
user does not know whether it fits, the coach shows how to find out first (programme,
participant list, a question to the organisers) or to go as a deliberate try-out.

COACHING.md §1: time is scarce; skipping is a strategic choice and never shamed; trying an
unknown event now and then is fine as long as the mix fits. §3: where the user does not know,
the coach helps find out; it never turns a shrug into a verdict.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from bot.coach.journal import Event, journal_of
from bot.coach.mix import event_mix
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_minutes
from bot.coach.unsure import yes_no_or_unsure
from bot.coach.wording import place
from bot.engine.domain import Domain, StepContext

DOUBTFUL = ("no", "unsure")
# What the one-tap time answers stand for, in minutes (travel included): the skipped event is
# kept with that length, and the advice names it.
COST_TIME_MINUTES = {"short": 120, "evening": 210, "long": 300}


def advise_skip(answers: dict[str, Any]) -> bool:
    """A clear no to either question: weigh it up before preparing."""
    return "no" in (answers.get("fit"), answers.get("people_fit"))


def fit_unknown(answers: dict[str, Any]) -> bool:
    """No "no", but a "not sure": find out first (or go as a deliberate try-out)."""
    answered = (answers.get("fit"), answers.get("people_fit"))
    return "unsure" in answered and "no" not in answered


def event_name(lang: str, answers: dict[str, Any]) -> str:
    """The event's name as it is kept and shown as a label: typed as "beim Köpfchen-Talk" or
    "at the Meetup at Factory.", kept as "Köpfchen-Talk" and "Meetup at Factory" (a capital
    "The" is part of a name and stays)."""
    typed = str(answers.get("name") or "")
    name = place(lang, typed) or typed.strip()
    if not lang.startswith("de"):
        name = re.sub(r"^the\s+(?=\S)", "", name)
    return name


def is_online(answers: dict[str, Any]) -> bool | None:
    value = answers.get("online")
    return None if value is None else value == "online"


def doubts(answers: dict[str, Any]) -> list[dict[str, str]]:
    """The answers that were not a yes, in the order they were asked."""
    found = []
    for question, key in (("fit", "fit"), ("people", "people_fit")):
        if answers.get(key) in DOUBTFUL:
            found.append({"question": question, "answer": str(answers[key])})
    return found


def evening_minutes(answers: dict[str, Any]) -> int | None:
    """How long the evening takes: the event's known length, else the one-tap estimate."""
    if answers.get("duration") is not None:
        return int(answers["duration"])
    return COST_TIME_MINUTES.get(str(answers.get("cost_time")))


def skipped_event(lang: str, answers: dict[str, Any], now: datetime) -> Event:
    """The event as kept when skipped: when it would have been (or the day it was decided)."""
    starts = datetime.fromisoformat(answers["starts_at"]) if answers.get("starts_at") else now
    minutes = evening_minutes(answers) or 0
    return Event(
        name=event_name(lang, answers),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        fit=answers.get("fit"),
        people_fit=answers.get("people_fit"),
        goal="",  # never asked: the user decided before choosing a goal
        online=is_online(answers),
        network=answers.get("network"),
        status="skipped",
        created_at=now,
    )


def event_check_domain(policy: CoachPolicy) -> Domain:
    def named(ctx: StepContext) -> bool:
        return bool(event_name(ctx.lang, ctx.answers))

    def place_known(ctx: StepContext) -> bool:
        """Named, and online or in person already known (from a calendar file)."""
        return named(ctx) and ctx.answers.get("online") is not None

    def timed(ctx: StepContext) -> bool:
        return bool(ctx.answers.get("starts_at")) and ctx.answers.get("duration") is not None

    def skip(ctx: StepContext) -> bool:
        return advise_skip(ctx.answers)

    def unknown(ctx: StepContext) -> bool:
        return fit_unknown(ctx.answers)

    def skip_timed(ctx: StepContext) -> bool:
        """Weighing up, and the length is known already: no need to ask for it."""
        return advise_skip(ctx.answers) and ctx.answers.get("duration") is not None

    def advice(ctx: StepContext) -> dict[str, Any]:
        minutes = evening_minutes(ctx.answers)
        goals = list(ctx.session.profile.goals)
        extras = [c for c in ("fee", "energy") if c in (ctx.answers.get("cost_extras") or [])]
        return {
            "costs": (["time"] if minutes else []) + extras,
            "doubts": doubts(ctx.answers),
            "goals": goals,
            "inspiration": "inspiration" in goals,
            "known_length": (
                show_minutes(minutes, ctx) if minutes and ctx.answers.get("duration") else None
            ),
            "cost_time": ctx.answers.get("cost_time"),
            "online": is_online(ctx.answers),
            "tryouts_take_over": event_mix(journal_of(ctx), ctx.now).tryouts_take_over,
        }

    def tidy_name(ctx: StepContext) -> None:
        """Keep the typed name as every later text shows it."""
        ctx.answers["name"] = event_name(ctx.lang, ctx.answers) or ctx.answers.get("name")

    def save_skipped(ctx: StepContext) -> None:
        event = skipped_event(ctx.lang, ctx.answers, ctx.now)
        journal_of(ctx).save_event(event)
        ctx.answers["event_id"] = event.id

    return Domain(
        effects={"save_skipped_event": save_skipped, "tidy_event_name": tidy_name},
        conditions={
            "advise_skip": skip,
            "advise_skip_timed": skip_timed,
            "fit_unknown": unknown,
            "event_named": named,
            "event_place_known": place_known,
            "event_timed": timed,
        },
        views={"skip_advice": advice},
        # „weiß nicht“, "idk", "nope" typed instead of tapping Yes / Not sure / No
        readers={"yes_no_unsure": lambda text, ctx: yes_no_or_unsure(text)},
    )
