"""Catch a contact in ten seconds: "Met someone" on the 🚪 screen takes a name and a few words
and files them under the event in hand; the next morning one message lists the evening's
contacts, each a tap away from its follow-up draft (dialogs/catch.yaml, dialogs/followup.yaml).

The morning message is a reminder planned in the same turn as the catch, at nine in the
user's time zone, and only for users who keep follow-up reminders on (/settings).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.coach.addressee import name_like, organisation_name, person_name
from bot.coach.catch_note import split_caught
from bot.coach.exit_coach import EARLY
from bot.coach.followups import load_into_answers
from bot.coach.journal import (
    Contact,
    Event,
    JournalRecords,
    journal_of,
    new_id,
    reminders_off,
)
from bot.coach.policy import CoachPolicy
from bot.coach.when import MAX_DURATION
from bot.coach.wording import first_name, person, salutation, shorten
from bot.engine.domain import Domain, PlanReminder, StepContext

MORNING_KEY = "caught:morning"  # one per user: every catch moves it to the next morning
MORNING_DIALOG = "followup"  # its first step lists the caught contacts (`morning_list`)
SINCE_KEY = "caught_since"  # in the reminder's answers: the evening's contacts are those since
EVENING = timedelta(hours=12)  # a catch lists what was caught up to this long before it
MORNING_HOUR = 9
NIGHT = timedelta(hours=4)  # the morning comes at least this long after the catch
AFTERWARDS = timedelta(hours=6)  # on the way home still counts as the event just ended
LISTED = 8
BUTTON_MAX = 30  # a name on a button of the morning list, cut between words


def morning_after(moment: datetime, zone: ZoneInfo) -> datetime:
    """The morning after an evening: the first MORNING_HOUR o'clock in the user's zone at
    least NIGHT after `moment` (21:30 → 09:00 the next day; 01:00 → 09:00 the same day; a
    breakfast event at 10:00 → 09:00 the next day)."""
    local = (moment + NIGHT).astimezone(zone)
    morning = local.replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    if morning <= local:
        next_day = local + timedelta(days=1)
        morning = next_day.replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    return morning.astimezone(moment.tzinfo)


def event_for_catch(records: JournalRecords, now: datetime) -> Event | None:
    """The event the user is at (from shortly before its start), or the one that ended in the
    last few hours: met there, noted on the way home."""
    found = records.events_on(now - MAX_DURATION, now + EARLY, now - AFTERWARDS, 3)
    return found[0] if found else None


def split_name(text: str) -> tuple[str, str | None]:
    """ "Ben Carter, bike shop, wants pricing tips" → ("Ben Carter", "bike shop, wants pricing
    tips"): a name and the few words after it, typed in one go (bot/coach/catch_note.py)."""
    caught = split_caught(text)
    return caught.name, caught.note


def spoken_of(lang: str, name: str) -> str | None:
    """How the coach names a caught contact when it asks the user about them: a company as
    typed; a person with a title or Frau/Herr by it and the surname („Prof. Wiesner“, "Dr
    Rahman"), else by the first name; None for a description, which is no name to repeat."""
    if organisation_name(name):
        return person(lang, name)
    if not name_like(name):
        return None
    parts = person_name(name)
    if not (parts.titles or parts.honorific) or parts.first is None or parts.surname is None:
        return first_name(lang, name)
    if not lang.startswith("de"):
        return salutation(lang, name)  # "Mr Carter", "Professor Wiesner": British letters
    words = parts.full.split()
    before_first = words[: words.index(parts.first)]  # „Frau Dr.“ as typed
    return " ".join([*before_first, parts.surname])


def catch_domain(policy: CoachPolicy) -> Domain:
    def read_caught(ctx: StepContext) -> None:
        name, note = split_name(str(ctx.answers.get("caught_name") or ""))
        ctx.answers["caught_name"] = name
        ctx.answers.pop("caught_note", None)
        if note:
            ctx.answers["caught_note"] = note

    def save_caught(ctx: StepContext) -> None:
        """Saved as soon as the name is typed: a user pulled back into a conversation, who taps
        🚪 or anything else before the few words, keeps the contact. Typed again after "Back",
        the name replaces the one just saved."""
        journal = journal_of(ctx)
        earlier = journal.contact(ctx.answers.get("contact_id"))
        event = event_for_catch(journal, ctx.now)
        note = ctx.answers.get("caught_note")
        contact = Contact(
            id=earlier.id if earlier else new_id(),
            name=ctx.answers["caught_name"],
            note=" ".join(note.split()) if note else None,
            event_id=event.id if event else None,
            met_online=bool(event.online) if event else None,
            created_at=earlier.created_at if earlier else ctx.now,
        )
        journal.save_contact(contact)
        ctx.answers["contact_id"] = contact.id
        if "followup_nudge" not in reminders_off(ctx):
            due = morning_after(ctx.now, policy.zone(ctx))
            since = (ctx.now - EVENING).isoformat()
            ctx.records.append(PlanReminder(MORNING_KEY, due, MORNING_DIALOG, {SINCE_KEY: since}))

    def add_caught_note(ctx: StepContext) -> None:
        """The few words typed after the name, added to the contact saved with it (saved now,
        for a user who typed the name before it was saved at once)."""
        journal = journal_of(ctx)
        contact = journal.contact(ctx.answers.get("contact_id"))
        note = " ".join(str(ctx.answers.get("caught_note") or "").split())
        if contact is None:
            save_caught(ctx)
        elif note:
            journal.save_contact(contact.model_copy(update={"note": note}))

    def caught_view(ctx: StepContext) -> dict[str, Any]:
        journal = journal_of(ctx)
        contact = journal.contact(ctx.answers.get("contact_id"))
        event = journal.event(contact.event_id) if contact else None
        return {
            "contact": contact,
            "event": event.name if event else None,
            "call": spoken_of(ctx.lang, contact.name) if contact else None,
            "morning": "followup_nudge" not in reminders_off(ctx),
        }

    def caught(ctx: StepContext) -> list[Contact]:
        since = ctx.answers.get(SINCE_KEY)
        if not since:
            return []
        return journal_of(ctx).caught_contacts(datetime.fromisoformat(since), LISTED)

    def morning_view(ctx: StepContext) -> dict[str, Any]:
        journal = journal_of(ctx)
        listed = caught(ctx)
        names = {e.id: e.name for e in (journal.event(c.event_id) for c in listed) if e}
        at = [names.get(c.event_id or "") for c in listed]
        return {
            "contacts": [
                {"contact": c, "event": event} for c, event in zip(listed, at, strict=True)
            ],
            # the event all of them were met at, named once in the greeting
            "shared_event": at[0] if at and at[0] and len(set(at)) == 1 else None,
        }

    def morning_buttons(ctx: StepContext) -> list[tuple[str, str]]:
        """The clean name, cut between words: "Schreinerei Holzwurm & Söhne…"."""
        names = ((c.id, person(ctx.lang, c.name)) for c in caught(ctx))
        return [(key, shorten(ctx.lang, name, BUTTON_MAX)) for key, name in names]

    def load_caught(ctx: StepContext) -> None:
        contact = journal_of(ctx).contact(ctx.answers.get("contact_id"))
        if contact is not None and contact.channel is None:
            load_into_answers(contact, ctx.answers)

    return Domain(
        effects={
            "read_caught_name": read_caught,
            "save_caught_contact": save_caught,
            "add_caught_note": add_caught_note,
            "load_caught_contact": load_caught,
        },
        conditions={
            "caught_note_given": lambda ctx: bool(ctx.answers.get("caught_note")),
            "morning_list": lambda ctx: bool(caught(ctx)),
            "morning_started": lambda ctx: bool(ctx.answers.get(SINCE_KEY)),
        },
        views={"caught": caught_view, "caught_contacts": morning_view},
        option_providers={"caught_contacts": morning_buttons},
        dialogs={MORNING_DIALOG},  # the morning list, planned by save_caught_contact
    )
