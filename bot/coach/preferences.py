"""/settings: time zone and which reminders a user wants (language has its own dialog).

Reminders a user turned off are not planned at all (so none pile up); turning a kind on or off
plans or cancels that kind for every event and open follow-up.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import available_timezones

from bot.coach.catch import MORNING_KEY
from bot.coach.events import plan_event_reminders
from bot.coach.followups import nudge_key, plan_nudge
from bot.coach.journal import journal_of, reminders_off
from bot.coach.policy import CoachPolicy
from bot.engine.domain import CancelReminders, Domain, StepContext

REMINDER_KINDS = ("cheat_sheet", "reflection", "followup_nudge")
REPLAN_WINDOW = timedelta(days=14)
# Button ids in dialogs/settings.yaml → IANA names; other zones can be typed.
ZONE_BUTTONS = {
    "europe_berlin": "Europe/Berlin",
    "europe_vienna": "Europe/Vienna",
    "europe_zurich": "Europe/Zurich",
    "europe_london": "Europe/London",
    "america_new_york": "America/New_York",
    "utc": "UTC",
}


def preferences_domain(policy: CoachPolicy) -> Domain:
    def set_zone_from_button(ctx: StepContext) -> None:
        ctx.session.timezone = ZONE_BUTTONS.get(ctx.answers.get("zone", ""), ctx.session.timezone)

    def valid_typed_zone(ctx: StepContext) -> bool:
        return match_zone(str(ctx.answers.get("zone_text", ""))) is not None

    def set_typed_zone(ctx: StepContext) -> None:
        ctx.session.timezone = match_zone(str(ctx.answers.get("zone_text", "")))

    def load_reminder_choices(ctx: StepContext) -> None:
        off = reminders_off(ctx)
        ctx.answers["reminders"] = [kind for kind in REMINDER_KINDS if kind not in off]

    def save_reminder_choices(ctx: StepContext) -> None:
        before = reminders_off(ctx)
        after = set(REMINDER_KINDS) - set(ctx.answers.get("reminders") or [])
        ctx.session.profile.reminders_off = sorted(after)
        ctx.records.extend(_replan(ctx, policy, changed=before ^ after))

    def settings_view(ctx: StepContext) -> dict[str, Any]:
        off = reminders_off(ctx)
        return {
            "timezone": policy.timezone(ctx),
            "reminders_on": [kind for kind in REMINDER_KINDS if kind not in off],
        }

    return Domain(
        effects={
            "set_zone_from_button": set_zone_from_button,
            "set_typed_zone": set_typed_zone,
            "load_reminder_choices": load_reminder_choices,
            "save_reminder_choices": save_reminder_choices,
        },
        conditions={"valid_typed_zone": valid_typed_zone},
        views={"settings": settings_view},
    )


def match_zone(text: str) -> str | None:
    """An IANA zone for what the user typed, forgiving case and spaces ("europe/paris")."""
    wanted = text.strip().replace(" ", "_").casefold()
    return next((zone for zone in available_timezones() if zone.casefold() == wanted), None)


def _replan(ctx: StepContext, policy: CoachPolicy, changed: set[str]) -> list[Any]:
    """Plan or cancel the kinds whose setting changed, for recent events and open follow-ups
    (events that ended long ago keep no reminders: a reflection weeks late helps nobody)."""
    journal = journal_of(ctx)
    off = reminders_off(ctx)
    records: list[Any] = []
    if changed & {"cheat_sheet", "reflection"}:
        for event in journal.events_ending_after(ctx.now - REPLAN_WINDOW):
            records.extend(plan_event_reminders(event, ctx.now, policy, off))
    if "followup_nudge" in changed:
        for contact in journal.open_contacts():
            if "followup_nudge" in off:
                records.append(CancelReminders(nudge_key(contact.id)))
            elif contact.channel is not None:  # caught in the room, not drafted: nothing to nudge
                records.append(plan_nudge(contact, ctx.now, policy))
        if "followup_nudge" in off:
            records.append(CancelReminders(MORNING_KEY))  # the list of last night's contacts
    return records
