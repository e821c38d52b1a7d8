"""Typed dates, times and durations as dialog answers (stored as ISO text / whole minutes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.coach.policy import CoachPolicy
from bot.coach.when import WhenError, format_duration, format_when, parse_duration, parse_when
from bot.engine.domain import Domain, StepContext
from bot.engine.inputs import InvalidInput

START_KEY = "starts_at"  # a duration is measured from the answer saved under this name


def timing_domain(policy: CoachPolicy) -> Domain:
    def read_when(text: str, ctx: StepContext) -> str:
        try:
            return parse_when(text, ctx.lang, policy.timezone(ctx), ctx.now).isoformat()
        except WhenError as error:
            raise InvalidInput(f"when_{error.reason}") from error

    def read_duration(text: str, ctx: StepContext) -> int:
        start = datetime.fromisoformat(ctx.answers[START_KEY])
        try:
            duration = parse_duration(text, ctx.lang, policy.timezone(ctx), start)
        except WhenError as error:
            reason = "duration_unclear" if error.reason == "unclear" else f"when_{error.reason}"
            raise InvalidInput(reason) from error
        return int(duration.total_seconds() // 60)

    return Domain(parsers={"datetime": read_when, "duration": read_duration})


def show_when(moment: datetime | str, ctx: StepContext, policy: CoachPolicy) -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return format_when(moment, ctx.lang, policy.timezone(ctx))


def show_minutes(minutes: int, ctx: StepContext) -> str:
    return format_duration(timedelta(minutes=minutes), ctx.lang)
