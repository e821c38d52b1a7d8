"""The yearly planning journey: decide deliberately where the networking year's time goes —
which contacts, where to find them, which networks stay and which go, which new topics to try,
and how much: events for the goals per month, try-outs per quarter, hours per month — and keep
the plan in the journal. Unsure answers get ideas (COACHING.md §3). Offered by a reminder: in
January to a user who has no plan yet, then every December for the coming year.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.coach.budget import plan_budget
from bot.coach.journal import YearPlan, journal_of
from bot.coach.network_review import button_label
from bot.coach.policy import CoachPolicy
from bot.coach.unsure import is_unsure
from bot.coach.when import babel_locale
from bot.coach.wording import network as network_label
from bot.engine.domain import Domain, PlanReminder, StepContext

PLAN_DIALOG = "plan"
PLAN_REMINDER_KEY = "plan:yearly"
PLANS_NEXT_YEAR_FROM = 10  # from October on, the plan is for the coming year
# (month, day) of the invitations, each for the year it plans: the year just begun (the second
# week of January, once the holidays are over), and the coming one (early December).
INVITE_FOR_THIS_YEAR = (1, 8)
INVITE_FOR_NEXT_YEAR = (12, 1)
REMINDER_HOUR = 9
MAX_NETWORKS = 8
UNSURE_ANSWERS = ("plan_contacts", "plan_places", "plan_topics")  # conditions `<name>_unsure`
NUMBERS = ("events_per_month", "tryouts_per_quarter", "hours_per_month")


def plan_year(now: datetime) -> int:
    return now.year + 1 if now.month >= PLANS_NEXT_YEAR_FROM else now.year


def next_invitation(now: datetime, zone: ZoneInfo, planned: int | None) -> tuple[datetime, int]:
    """When to invite the user to plan next, and for which year. The first invitation comes in
    January, for the year begun; once a year is planned, the next comes in the December before
    the following year (in December 2026, with 2027 planned: December 2027, for 2028)."""
    local = now.astimezone(zone)
    for year in range(local.year, local.year + 3):
        invitations = [(INVITE_FOR_THIS_YEAR, year)]
        if planned is not None:
            invitations.append((INVITE_FOR_NEXT_YEAR, year + 1))
        for (month, day), target in invitations:
            due = datetime.combine(date(year, month, day), time(REMINDER_HOUR), zone)
            if due > local and (planned is None or target > planned):
                return due.astimezone(now.tzinfo), target
    raise AssertionError("an invitation within three years")  # pragma: no cover


def next_yearly_reminder(
    ctx: StepContext, policy: CoachPolicy, planned: int | None
) -> PlanReminder:
    """The yearly invitation to plan (see `next_invitation`). Planning it again under the same
    key only moves it to the same moment, so every reflection may (re)plan it."""
    due, _ = next_invitation(ctx.now, policy.zone(ctx), planned)
    return PlanReminder(PLAN_REMINDER_KEY, due, PLAN_DIALOG, {})


def yearly_reminder(ctx: StepContext, policy: CoachPolicy) -> PlanReminder:
    """`next_yearly_reminder` for the user in hand (after the plan they last made, if any)."""
    plan = journal_of(ctx).latest_plan()
    return next_yearly_reminder(ctx, policy, plan.year if plan else None)


def typed_answer(value: Any) -> str | None:
    """A typed plan answer as kept: None for a shrug, so the plan never shows one."""
    return None if value is None or is_unsure(str(value)) else str(value)


def whole(value: Any) -> int | None:
    """A number answer as kept: whole (1.5 events a month is kept as 2)."""
    return None if value is None else int(round(float(value) + 1e-9))


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
        journal = journal_of(ctx)
        plan = journal.latest_plan()
        chosen = plan.networks if plan else {}
        zone = policy.zone(ctx)
        invite_at, invite_year = next_invitation(ctx.now, zone, plan.year if plan else None)
        return {
            "year": plan_year(ctx.now),
            "plan": plan,
            "stay": [name for name, choice in chosen.items() if choice == "stay"],
            "go": [name for name, choice in chosen.items() if choice == "go"],
            "networks": networks(ctx),
            # "in December 2027, for 2028": the next invitation, as the saved plan names it
            "invite_month": format_date(
                invite_at.astimezone(zone), "LLLL y", locale=babel_locale(ctx.lang)
            ),
            "invite_year": invite_year,
            "budget": plan_budget(journal, plan, ctx.now, zone, ctx.lang) if plan else None,
        }

    def save_plan(ctx: StepContext) -> None:
        answers = ctx.answers
        staying = set(answers.get("plan_stay") or [])
        plan = YearPlan(
            year=plan_year(ctx.now),
            contacts=typed_answer(answers.get("plan_contacts")),
            places=typed_answer(answers.get("plan_places")),
            networks={n["name"]: "stay" if n["id"] in staying else "go" for n in networks(ctx)},
            topics=typed_answer(answers.get("plan_topics")),
            saved_at=ctx.now,
            **{name: whole(answers.get(f"plan_{name}")) for name in NUMBERS},
        )
        journal_of(ctx).save_plan(plan)
        ctx.records.append(next_yearly_reminder(ctx, policy, plan.year))

    def plan_in_mind(ctx: StepContext) -> dict[str, Any]:
        """The latest plan, for /prepare's question whether an event fits it."""
        return {"plan": journal_of(ctx).latest_plan()}

    unsure = {
        f"{name}_unsure": (lambda ctx, name=name: is_unsure(ctx.answers.get(name)))
        for name in UNSURE_ANSWERS
    }
    return Domain(
        effects={"save_plan": save_plan},
        conditions={"plan_has_networks": lambda ctx: bool(networks(ctx)), **unsure},
        views={"year_plan": plan_view, "plan_in_mind": plan_in_mind},
        option_providers={"plan_networks": network_options},
        dialogs={PLAN_DIALOG},  # the yearly reminder
    )
