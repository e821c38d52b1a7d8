"""The yearly planning journey: decide deliberately where next year's networking time goes —
which contacts, where to find them, which networks stay and which go, which new topics to try —
and keep the plan in the journal. Offered once a year by a reminder in January.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from babel.numbers import format_decimal

from bot.coach.journal import YearPlan, journal_of
from bot.coach.network_review import button_label
from bot.coach.policy import CoachPolicy
from bot.coach.when import babel_locale
from bot.coach.wording import network as network_label
from bot.engine.domain import Domain, PlanReminder, StepContext

PLAN_DIALOG = "plan"
PLAN_REMINDER_KEY = "plan:yearly"
PLANS_NEXT_YEAR_FROM = 10  # from October on, the plan is for the coming year
REMINDER_DAY = (1, 8)  # (month, day): the second week of January, once the holidays are over
REMINDER_HOUR = 9
MAX_NETWORKS = 8


def plan_year(now: datetime) -> int:
    return now.year + 1 if now.month >= PLANS_NEXT_YEAR_FROM else now.year


def next_yearly_reminder(
    ctx: StepContext, policy: CoachPolicy, planned: int | None
) -> PlanReminder:
    """The yearly invitation to plan: the next January, or, when the user already planned year
    `planned`, the January after it. Planning it again under the same key only moves it to the
    same moment, so every reflection may (re)plan it."""
    zone = policy.zone(ctx)
    local = ctx.now.astimezone(zone)
    month, day = REMINDER_DAY
    due = datetime.combine(local.date().replace(month=month, day=day), time(REMINDER_HOUR), zone)
    if due <= local:
        due = due.replace(year=due.year + 1)
    if planned is not None and due.year <= planned:
        due = due.replace(year=planned + 1)
    return PlanReminder(PLAN_REMINDER_KEY, due.astimezone(ctx.now.tzinfo), PLAN_DIALOG, {})


def yearly_reminder(ctx: StepContext, policy: CoachPolicy) -> PlanReminder:
    """`next_yearly_reminder` for the user in hand (after the plan they last made, if any)."""
    plan = journal_of(ctx).latest_plan()
    return next_yearly_reminder(ctx, policy, plan.year if plan else None)


def planning_domain(policy: CoachPolicy) -> Domain:
    def networks(ctx: StepContext) -> list[dict[str, Any]]:
        listed = sorted(
            journal_of(ctx).all_networks(0),
            key=lambda n: network_label(ctx.lang, n.name).casefold(),
        )[:MAX_NETWORKS]
        return [
            {
                "id": n.id,
                "name": n.name,
                "count": n.count,
                "usefulness": format_decimal(round(n.average, 1), locale=babel_locale(ctx.lang))
                if n.average is not None
                else None,
                "stage": n.stage,
            }
            for n in listed
            if n.stage != "left"
        ]

    def network_options(ctx: StepContext) -> list[tuple[str, str]]:
        return [(n["id"], button_label(ctx.lang, n["name"])) for n in networks(ctx)]

    def plan_view(ctx: StepContext) -> dict[str, Any]:
        plan = journal_of(ctx).latest_plan()
        chosen = plan.networks if plan else {}
        return {
            "year": plan_year(ctx.now),
            "plan": plan,
            "stay": [name for name, choice in chosen.items() if choice == "stay"],
            "go": [name for name, choice in chosen.items() if choice == "go"],
            "networks": networks(ctx),
        }

    def save_plan(ctx: StepContext) -> None:
        answers = ctx.answers
        staying = set(answers.get("plan_stay") or [])
        plan = YearPlan(
            year=plan_year(ctx.now),
            contacts=answers.get("plan_contacts"),
            places=answers.get("plan_places"),
            networks={n["name"]: "stay" if n["id"] in staying else "go" for n in networks(ctx)},
            topics=answers.get("plan_topics"),
            saved_at=ctx.now,
        )
        journal_of(ctx).save_plan(plan)
        ctx.records.append(next_yearly_reminder(ctx, policy, plan.year))

    return Domain(
        effects={"save_plan": save_plan},
        conditions={"plan_has_networks": lambda ctx: bool(networks(ctx))},
        views={"year_plan": plan_view},
        option_providers={"plan_networks": network_options},
        dialogs={PLAN_DIALOG},  # the yearly reminder
    )
