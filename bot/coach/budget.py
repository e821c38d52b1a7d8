"""The plan's numbers against the calendar: events for the goals and hours in a month, try-outs
in a quarter. /prepare says whether an event still fits (COACHING.md §1: the mix must fit, or too
much time goes missing from the business); /journal shows the plan against what happened.

Counts events the user goes to (planned ones, past and coming; skipped ones cost no time) that
start in the local month or quarter; reads only that month's and quarter's events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.coach.journal import Event, JournalRecords, YearPlan
from bot.coach.when import babel_locale

MOST_EVENTS = 200  # in one quarter: far more than anyone goes to


@dataclass(frozen=True)
class Load:
    """Events for the goals, try-outs, and minutes spent in a period."""

    goal_events: int = 0
    tryouts: int = 0
    minutes: int = 0

    def plus(self, event: Event) -> Load:
        minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
        return Load(
            self.goal_events + (not event.tryout),
            self.tryouts + event.tryout,
            self.minutes + minutes,
        )


def month_bounds(moment: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The local calendar month around `moment`, as UTC instants [start, end)."""
    local = moment.astimezone(zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(moment.tzinfo), end.astimezone(moment.tzinfo)


def quarter_bounds(moment: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    local = moment.astimezone(zone)
    first = 3 * ((local.month - 1) // 3) + 1
    start = local.replace(month=first, day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start
    for _ in range(3):
        end = (end + timedelta(days=32)).replace(day=1)
    return start.astimezone(moment.tzinfo), end.astimezone(moment.tzinfo)


def load_between(
    records: JournalRecords, start: datetime, end: datetime, leave_out: str | None = None
) -> Load:
    """What the user goes to in [start, end), but the event `leave_out` (the one being
    prepared again)."""
    load = Load()
    for event in records.events_on(start, end - timedelta(microseconds=1), start, MOST_EVENTS):
        if event.id != leave_out:
            load = load.plus(event)
    return load


def plan_budget(
    records: JournalRecords,
    plan: YearPlan,
    moment: datetime,
    zone: ZoneInfo,
    lang: str,
    adding: Event | None = None,
) -> dict[str, Any] | None:
    """The plan's numbers against the month and quarter of `moment` (with `adding`, the event
    being prepared, counted in), for a template; None when the plan has no numbers."""
    if (plan.events_per_month, plan.tryouts_per_quarter, plan.hours_per_month) == (None,) * 3:
        return None
    leave_out = adding.id if adding else None
    month = load_between(records, *month_bounds(moment, zone), leave_out)
    quarter = load_between(records, *quarter_bounds(moment, zone), leave_out)
    if adding is not None:
        month, quarter = month.plus(adding), quarter.plus(adding)
    locale = babel_locale(lang)
    hours = round(month.minutes / 30) / 2  # to the half hour
    lines = []
    for kind, done, allowed in (
        ("events", month.goal_events, plan.events_per_month),
        ("tryouts", quarter.tryouts, plan.tryouts_per_quarter),
        ("hours", hours, plan.hours_per_month),
    ):
        if allowed is not None:
            lines.append(
                {
                    "kind": kind,
                    "done": format_decimal(done, locale=locale),
                    "allowed": format_decimal(allowed, locale=locale),
                    "over": done > allowed,
                }
            )
    start, end = quarter_bounds(moment, zone)
    last_month = (end - timedelta(days=1)).astimezone(zone)
    return {
        "month": format_date(moment.astimezone(zone), "LLLL", locale=locale),
        "quarter": (
            f"{format_date(start.astimezone(zone), 'LLL', locale=locale)}–"
            f"{format_date(last_month, 'LLL', locale=locale)}"
        ),
        "lines": lines,
        "over": any(line["over"] for line in lines),
        "tryout": bool(adding and adding.tryout),
    }
