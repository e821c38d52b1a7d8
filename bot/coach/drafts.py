"""What a follow-up draft is made of, decided from a contact and the event where they met.

A draft is a message to someone the user met; what the user typed about the conversation is
their note (COACHING.md §3). So the draft is built only from what the coach can phrase itself:

- whom it greets (`Addressee`): a person by first name (Du) or formally (Sie, with Frau/Herr and
  titles; English "Dear Dr Patel", "Dear Ms Carter"), or an organisation's team;
- where they met: the event from the journal, or "online", never a typed place;
- the topic as a short label when the note is one (bot/coach/notes.py), else a placeholder;
- the give by kind (a resource, a tip, an introduction as a double opt-in), each with a
  placeholder for the details, never the typed words;

and the notes are shown beside the draft. The words are in `prompts/<lang>/followup/draft.html`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from bot.coach.addressee import (
    feminine_lead,
    name_like,
    organisation_for_greeting,
    person_name,
)
from bot.coach.journal import Contact, Event
from bot.coach.notes import is_shrug, read_give, topic_label
from bot.coach.wording import person

# An older contact (saved before the event was confirmed by the user) names its event only when
# it was noted during it or within two days after it: its event was a guess.
LEGACY_MET_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class Addressee:
    """Whom the draft greets, taken apart for the greeting templates."""

    team: bool  # an organisation, nobody there named: greet the team
    org: str | None  # the organisation's name for a greeting, without its legal form
    org_feminine: bool  # German: „Team der Schreinerei …“ rather than „Team von …“
    first: str | None  # None: only a surname is known (the template leaves a placeholder)
    surname: str | None  # None: what was typed is no name (the template leaves a placeholder)
    titles: str  # as the language writes them before a surname: "Dr.", "Dr", "Professor"
    honorific: str | None  # female | male | neutral; None: not known (older contacts)


def addressee(lang: str, contact: Contact) -> Addressee:
    team = bool(contact.organisation) and contact.name == contact.organisation
    if team:
        org = organisation_for_greeting(contact.organisation or contact.name)
        return Addressee(True, org, feminine_lead(org), None, org, "", None)
    name = person_name(contact.name)
    return Addressee(
        team=False,
        org=None,
        org_feminine=False,
        first=name.first,
        surname=name.surname,
        titles=name.titles_for(lang),
        honorific=contact.honorific or name.honorific,
    )


def met_event(contact: Contact, event: Event | None) -> Event | None:
    """The event the draft may name: the contact's own (confirmed when it was noted); for an
    older contact, only when it was noted during that event or soon after."""
    if event is None:
        return None
    if contact.met_online is not None:  # asked (or caught at the event): confirmed
        return event
    window_start = event.starts_at - timedelta(hours=1)
    if window_start <= contact.created_at <= event.ends_at + LEGACY_MET_WINDOW:
        return event
    return None


def notes_of(contact: Contact) -> list[tuple[str, str]]:
    """What the user typed, to show beside the draft: (kind, text); a shrug ("idk") is no note."""
    notes = [
        ("where", contact.where),
        ("topic", contact.topic),
        ("give", contact.give),
        ("caught", contact.note),
        ("intro_to", None if name_like(contact.intro_to) else contact.intro_to),
    ]
    return [(kind, " ".join(text.split())) for kind, text in notes if text and not is_shrug(text)]


def intro_name_in_give(contact: Contact) -> str | None:
    """Whom the give names for an introduction ("kontakt zu jonas"), unless that is the
    contact themself (a slip, or a note about them): then the name is asked."""
    named = read_give(contact.give).intro_name
    own = {contact.name.casefold(), (person_name(contact.name).first or "").casefold()}
    return named if named and named.casefold() not in own else None


def needs_intro_name(contact: Contact) -> bool:
    """An introduction is to be offered and nobody named whom to: ask."""
    introduction = contact.channel == "introduction" or read_give(contact.give).introduction
    return introduction and not intro_name_in_give(contact) and not name_like(contact.intro_to)


def draft_plan(lang: str, contact: Contact, event: Event | None) -> dict[str, Any]:
    """Everything `followup/draft.html` needs to write the message, and the notes beside it."""
    give = read_give(contact.give)
    met = met_event(contact, event)
    intro = contact.channel == "introduction" or give.introduction
    typed = person(lang, contact.intro_to) if name_like(contact.intro_to) else None
    intro_to = typed or intro_name_in_give(contact)
    return {
        "to": asdict(addressee(lang, contact)),
        "du": contact.address == "informal",
        "event": met.name if met else None,
        "online": bool(contact.met_online) or bool(met and met.online),
        "topic": topic_label(lang, contact.topic),
        "give": {
            "resource": give.resource,
            "tip": give.tip and not give.resource,  # "podcast tip": the podcast is the give
            "other": give.other,
            "introduction": intro,
        },
        "intro_to": " ".join(intro_to.split()) if intro_to else None,
        "promised": bool(contact.promised),
        "channel": contact.channel,
        "notes": notes_of(contact),
    }
