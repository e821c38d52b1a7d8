"""Reviewing a whole network with respect: keep it, or talk to the organisers first; check back
a few weeks later how the talk went; only then an orderly withdrawal at the end of the membership
period, with a thankful message to send, and a reminder before the period ends, so that no
network the user committed to is simply left hanging.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from statistics import mean
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.coach.journal import NetworkSummary, journal_of
from bot.coach.policy import CoachPolicy
from bot.coach.when import babel_locale
from bot.coach.wording import network as network_label
from bot.coach.wording import shorten
from bot.engine.domain import CancelReminders, Domain, PlanReminder, StepContext

REVIEW_DIALOG = "network_review"
LOW_USEFULNESS = 2.5  # average of the latest events at or below this: the network is worth a look
CHECKIN_AFTER = timedelta(days=21)  # after planning the talk with the organisers
CHECKIN_AGAIN = timedelta(days=14)  # "not yet": ask again
LEAVE_REMINDER_BEFORE = timedelta(days=14)  # before the end of the membership period
LEAVE_REMINDER_OPEN = timedelta(days=7)  # no fixed period: ask again whether the message went
OFFER_KEY = "network_review"  # in Session.data: the network /reflect offered to review
OFFER_VALID = timedelta(hours=1)
MAX_LISTED = 8
DATE_PATTERN = {"de": "d. MMMM yyyy", "en": "d MMMM yyyy"}


def button_label(lang: str, name: str, longest: int = 30) -> str:
    """A network's name on a button, as a label (no leading preposition or German article):
    whole when it fits, else cut with an ellipsis."""
    return shorten(lang, network_label(lang, name), longest)


def by_label(option: tuple[str, str]) -> str:
    """Buttons in the order a reader expects: by the name shown, whatever case or article."""
    return option[1].casefold()


def network_reminder_prefix(network_id: str) -> str:
    return f"network:{network_id}:"


def low_over_time(recent: list[int], events: int) -> bool:
    """Usefulness low over several events: the latest `events` scores average ≤ LOW_USEFULNESS.
    Fewer events say too little; one bad evening never makes a network look bad."""
    return len(recent) >= events and mean(recent[-events:]) <= LOW_USEFULNESS


def period_end(choice: str, today: date) -> date | None:
    """The last day of the membership period the user named (None: no fixed period)."""
    if choice == "month_end":
        first_next = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    if choice == "quarter_end":
        quarter_last_month = (today.month - 1) // 3 * 3 + 3
        first_next = date(today.year + quarter_last_month // 12, quarter_last_month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    if choice == "year_end":
        return date(today.year, 12, 31)
    return None


def leave_reminder_due(now: datetime, leave_on: datetime | None) -> datetime:
    """Two weeks before the period ends; when that is (nearly) past, halfway there. Without a
    period, or once it has (almost) ended, a week on: a gentle question, never a daily one."""
    if leave_on is None or leave_on <= now + timedelta(days=1):
        return now + LEAVE_REMINDER_OPEN
    due = leave_on - LEAVE_REMINDER_BEFORE
    if due <= now + timedelta(days=2):
        due = now + (leave_on - now) / 2
    return due


def network_review_domain(policy: CoachPolicy) -> Domain:
    def show_date(moment: datetime | None, ctx: StepContext) -> str | None:
        if moment is None:
            return None
        local = moment.astimezone(policy.zone(ctx))
        return format_date(
            local.date(), DATE_PATTERN.get(ctx.lang, "d MMMM yyyy"), babel_locale(ctx.lang)
        )

    def chosen(ctx: StepContext) -> NetworkSummary | None:
        return journal_of(ctx).network(ctx.answers.get("network_id"), policy.network_review_after)

    def take_offered(ctx: StepContext) -> None:
        """/reflect offered this network's review a moment ago: start with it."""
        offered = ctx.session.data.pop(OFFER_KEY, None)
        if not isinstance(offered, dict) or "network_id" in ctx.answers:
            return
        at = datetime.fromisoformat(str(offered.get("at")))
        if ctx.now - at <= OFFER_VALID:
            ctx.answers["network_id"] = offered.get("network_id")

    def networks_to_review(ctx: StepContext) -> list[tuple[str, str]]:
        listed = journal_of(ctx).all_networks(policy.network_review_after)
        labelled = sorted(((n.id, button_label(ctx.lang, n.name)) for n in listed), key=by_label)
        return labelled[:MAX_LISTED]

    def stage_is(stage: str) -> Any:
        def condition(ctx: StepContext) -> bool:
            network = chosen(ctx)
            return network is not None and network.stage == stage

        return condition

    def review_view(ctx: StepContext) -> dict[str, Any]:
        network = chosen(ctx)
        if network is None:
            return {"network": None}
        recent = network.scores
        return {
            "network": network,
            "name": network.name,
            "recent": len(recent),
            "recent_usefulness": format_decimal(
                round(mean(recent), 1), locale=babel_locale(ctx.lang)
            )
            if recent
            else None,
            "low": low_over_time(recent, policy.network_review_after),
            "since": show_date(network.stage_at, ctx),
            "leave_on": show_date(network.leave_on, ctx),
            "checkin_on": show_date(ctx.now + CHECKIN_AFTER, ctx),
            "reminder_on": show_date(leave_reminder_due(ctx.now, network.leave_on), ctx)
            if network.stage == "withdraw"
            else None,
        }

    def keep(ctx: StepContext) -> None:
        network = chosen(ctx)
        if network is not None:
            journal_of(ctx).set_network_stage(network.id, "kept", ctx.now)
            ctx.records.append(CancelReminders(network_reminder_prefix(network.id)))

    def plan_checkin(after: timedelta) -> Any:
        def effect(ctx: StepContext) -> None:
            network = chosen(ctx)
            if network is None:
                return
            journal_of(ctx).set_network_stage(network.id, "talk", ctx.now)
            prefix = network_reminder_prefix(network.id)
            ctx.records.append(CancelReminders(prefix))
            ctx.records.append(
                PlanReminder(
                    f"{prefix}checkin", ctx.now + after, REVIEW_DIALOG, {"network_id": network.id}
                )
            )

        return effect

    def plan_withdrawal(ctx: StepContext) -> None:
        """Withdraw at the end of the period the user named (or the one named before), and
        come back before it ends to ask whether the message went."""
        network = chosen(ctx)
        if network is None:
            return
        leave_on = network.leave_on
        if "period" in ctx.answers:
            zone = policy.zone(ctx)
            last_day = period_end(ctx.answers["period"], ctx.now.astimezone(zone).date())
            leave_on = (
                datetime.combine(last_day, time(12), zone).astimezone(ctx.now.tzinfo)
                if last_day
                else None
            )
        journal_of(ctx).set_network_stage(network.id, "withdraw", ctx.now, leave_on)
        prefix = network_reminder_prefix(network.id)
        ctx.records.append(CancelReminders(prefix))
        ctx.records.append(
            PlanReminder(
                f"{prefix}leave",
                leave_reminder_due(ctx.now, leave_on),
                REVIEW_DIALOG,
                {"network_id": network.id},
            )
        )

    def mark_left(ctx: StepContext) -> None:
        network = chosen(ctx)
        if network is not None:
            journal_of(ctx).set_network_stage(network.id, "left", ctx.now, network.leave_on)
            ctx.records.append(CancelReminders(network_reminder_prefix(network.id)))

    return Domain(
        effects={
            "take_review_network": take_offered,
            "review_keep": keep,
            "plan_review_checkin": plan_checkin(CHECKIN_AFTER),
            "plan_review_checkin_again": plan_checkin(CHECKIN_AGAIN),
            "plan_withdrawal": plan_withdrawal,
            "mark_network_left": mark_left,
        },
        conditions={
            "review_network_chosen": lambda ctx: chosen(ctx) is not None,
            "has_networks": lambda ctx: bool(networks_to_review(ctx)),
            "review_talk_pending": stage_is("talk"),
            "review_withdraw_pending": stage_is("withdraw"),
        },
        views={"network_review": review_view},
        option_providers={"networks_to_review": networks_to_review},
        dialogs={REVIEW_DIALOG},  # the check-in and the reminder before the period ends
    )
