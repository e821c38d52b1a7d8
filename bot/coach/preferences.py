"""/settings: time zone and which reminders a user wants (language has its own dialog); and the
time zone at /start for users whose language does not tell it (an English speaker may be in
London, New York or Sydney: they are asked, and may type their city).

Reminders a user turned off are not planned at all (so none pile up); turning a kind on or off
plans or cancels that kind for every event and open follow-up.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
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
# Button ids in dialogs/settings.yaml and onboarding.yaml → IANA names; others can be typed.
ZONE_BUTTONS = {
    "europe_berlin": "Europe/Berlin",
    "europe_vienna": "Europe/Vienna",
    "europe_zurich": "Europe/Zurich",
    "europe_london": "Europe/London",
    "america_new_york": "America/New_York",
    "america_chicago": "America/Chicago",
    "america_los_angeles": "America/Los_Angeles",
    "australia_sydney": "Australia/Sydney",
    "utc": "UTC",
}
OTHER_ZONE = "other"  # the button for a place to type
ZONE_SAID = "zone_said"  # a zone read from a place typed at the buttons
# Languages whose speakers mostly live in the operator's default zone: not asked at /start
# (they can change it in /settings). Everyone else is asked.
DEFAULT_ZONE_LANGUAGES = ("de",)
# What people type for a zone besides its IANA name: countries with one zone, abbreviations,
# cities the time-zone database does not name ("Leeds" is on London's time).
ZONE_NAMES = {
    "Europe/London": "uk united kingdom england scotland wales britain great britain gmt bst "
    "leeds manchester birmingham glasgow edinburgh bristol liverpool cardiff newcastle "
    "sheffield nottingham brighton oxford cambridge belfast",
    "Europe/Dublin": "ireland cork galway",
    "America/New_York": "nyc new york city est edt et eastern eastern time boston washington "
    "dc philadelphia atlanta miami",
    "America/Chicago": "cst cdt ct central central time dallas houston austin minneapolis",
    "America/Denver": "mst mdt mt mountain mountain time salt lake city",
    "America/Phoenix": "arizona",
    "America/Los_Angeles": "pst pdt pt pacific pacific time la l.a. sf san francisco seattle "
    "portland san diego silicon valley",
    "Europe/Berlin": "germany deutschland cet cest mez mesz munich münchen muenchen cologne "
    "köln koeln frankfurt hamburg düsseldorf duesseldorf stuttgart leipzig dresden",
    "Europe/Vienna": "austria österreich oesterreich wien graz linz salzburg innsbruck",
    "Europe/Zurich": "switzerland schweiz zürich bern basel",
    "Europe/Paris": "france",
    "Europe/Amsterdam": "netherlands holland",
    "Asia/Kolkata": "india ist mumbai delhi bangalore bengaluru",
    "Asia/Singapore": "sg",
    "Australia/Sydney": "aest aedt canberra",
    "Pacific/Auckland": "new zealand nz wellington",
    "Africa/Johannesburg": "south africa cape town",
}
# What people put around the place: "I'm in Leeds", „in München“, "London time".
_AROUND_A_PLACE = re.compile(
    r"^(?:(?:i'?m|i am|i live|we're|we are|based|living|ich bin|ich wohne|wir sind)\s+)?"
    r"(?:in|near|around|from|at|bei|aus|nahe)?\s*(.*?)(?:\s+(?:time|zeit|area|uk|usa|us))?$",
    re.I,
)


def preferences_domain(policy: CoachPolicy) -> Domain:
    def set_zone_from_button(ctx: StepContext) -> None:
        ctx.session.timezone = ZONE_BUTTONS.get(ctx.answers.get("zone", ""), ctx.session.timezone)

    def valid_typed_zone(ctx: StepContext) -> bool:
        return match_zone(str(ctx.answers.get("zone_text", ""))) is not None

    def set_typed_zone(ctx: StepContext) -> None:
        said = ctx.answers.pop(ZONE_SAID, None)  # typed at the buttons, read by `read_place`
        ctx.session.timezone = said or match_zone(str(ctx.answers.get("zone_text", "")))

    def read_place(text: str, ctx: StepContext) -> str | None:
        """A place typed instead of tapping a zone ("I'm in Leeds"): noted for `zone_typed`,
        and taken as the button for another place."""
        zone = match_zone(text)
        if zone is None:
            return None
        ctx.answers[ZONE_SAID] = zone
        return OTHER_ZONE

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
        conditions={
            "valid_typed_zone": valid_typed_zone,
            "zone_to_ask": lambda ctx: ask_zone(ctx.lang, ctx.session.timezone),
            "zone_said": lambda ctx: bool(ctx.answers.get(ZONE_SAID)),
            "zone_other": lambda ctx: ctx.answers.get("zone") == OTHER_ZONE,
        },
        readers={"place": read_place},
        views={"settings": settings_view},
    )


def match_zone(text: str) -> str | None:
    """An IANA zone for what the user typed: its name, forgiving case and spaces
    ("europe/paris"), a city the time-zone database names ("Toronto", "new york"), or a
    country, abbreviation or city it does not ("UK", "EST", "I'm in Leeds")."""
    cleaned = " ".join(text.strip(" .!?,;").replace("_", " ").split()).casefold()
    place = _AROUND_A_PLACE.match(cleaned)
    wanted = (place.group(1) if place else cleaned).strip(" .!?,;")
    first = wanted.split(",")[0].strip()  # "Paris, France"
    for candidate in dict.fromkeys((cleaned, wanted, first)):
        found = _zone_names().get(candidate)
        if found:
            return found
    return None


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Every name a zone answers to, casefolded: "europe/paris", "paris", "new york", "uk"."""
    names: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if zone.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")):
            continue
        names.setdefault(zone.casefold().replace("_", " "), zone)
        if "/" in zone and zone.split("/")[0] in _REGIONS:
            names.setdefault(zone.rsplit("/", 1)[1].casefold().replace("_", " "), zone)
    names["utc"] = "UTC"
    for zone, spoken in ZONE_NAMES.items():
        for name in _names_in(spoken):
            names[name] = zone
    return names


_REGIONS = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
_MULTI_WORD = (
    "united kingdom", "great britain", "new york city", "eastern time", "central time",
    "mountain time", "pacific time", "salt lake city", "san francisco", "san diego",
    "silicon valley", "new zealand", "south africa", "cape town",
)  # fmt: skip


def _names_in(spoken: str) -> list[str]:
    """The names in a ZONE_NAMES entry: its multi-word names, then the single words left."""
    names = [name for name in _MULTI_WORD if name in spoken]
    rest = spoken
    for name in names:
        rest = rest.replace(name, " ")
    return names + rest.split()


def ask_zone(language: str, timezone: str | None) -> bool:
    """Ask at /start where the user is: unless they chose a zone already or speak a language
    whose speakers the operator's default zone suits."""
    return timezone is None and not language.startswith(DEFAULT_ZONE_LANGUAGES)


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
