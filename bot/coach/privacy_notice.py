"""/privacy: the facts the privacy notice states that depend on the operator's settings."""

from __future__ import annotations

from typing import Any

from bot.coach.policy import CoachPolicy
from bot.engine.domain import Domain, StepContext


def privacy_notice_domain(policy: CoachPolicy) -> Domain:
    def notice(ctx: StepContext) -> dict[str, Any]:
        """How long the step history is kept, so the notice never promises another period."""
        return {"history_days": policy.step_history_days}

    return Domain(views={"privacy_notice": notice})
