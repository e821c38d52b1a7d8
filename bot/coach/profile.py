"""Effects of onboarding: the answers become the profile the coach uses everywhere."""

from __future__ import annotations

from bot.coach.wording import own_name
from bot.engine.domain import Domain, StepContext


def save_profile(ctx: StepContext) -> None:
    profile = ctx.session.profile
    # "merve" typed in a hurry is greeted "Merve"; capitals the user chose stay
    profile.name = own_name(ctx.lang, ctx.answers.get("name")) or profile.name
    profile.business = ctx.answers.get("business") or profile.business
    profile.goals = list(ctx.answers.get("goals") or profile.goals)


def profile_domain() -> Domain:
    return Domain(effects={"save_profile": save_profile})
