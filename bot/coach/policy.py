"""The operator's settings the coach's rules depend on (from `Settings`, passed in explicitly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.engine.domain import StepContext


@dataclass(frozen=True)
class CoachPolicy:
    default_timezone: str = "Europe/Berlin"
    reminder_before: timedelta = timedelta(minutes=60)
    reflection_after: timedelta = timedelta(minutes=120)
    followup_nudge: timedelta = timedelta(days=2)
    network_review_after: int = 3  # reflected events of one network before a review is offered
    step_history_days: int = 365  # the step history (which steps were used) is kept this long

    def timezone(self, ctx: StepContext) -> str:
        return ctx.session.timezone or self.default_timezone

    def zone(self, ctx: StepContext) -> ZoneInfo:
        return ZoneInfo(self.timezone(ctx))
