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
from bot.coach.give_ideas import GIVE_IDEAS
from bot.coach.journal import Contact, Event
from bot.coach.notes import Give, is_shrug, read_give, read_topic
from bot.coach.wording import event_short, first_name, person

# An older contact (saved before the event was confirmed by the user) names its event only when
# it was noted during it or within two days after it: its event was a guess.
LEGACY_MET_WINDOW = timedelta(days=2)
# A give the user picked from the coach's ideas (they did not know what to give) is kept in the
# contact's `give` as this mark and the idea: it is no note of theirs, and the draft phrases it.
IDEA_MARK = "idea:"
_IDEA_GIVES = {
    "tip": Give(tip=True),
    "introduction": Give(introduction=True),
    "resource": Give(resource="link"),  # "this link might come in handy: [add the link]"
    "question": Give(question=True),
}


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


def call_name(lang: str, name: str | None, to: Addressee, address: str | None) -> str | None:
    """What the coach calls the person in its own questions ("What could you give …?"), as a
    native speaker would once the form of address is known: the first name between first-name
    terms; formally the title or Frau/Herr with the surname („Prof. Wiesner“, „Frau Dr.
    Möller“, "Dr Rahman"). An English coach still says "Ben" for Mr Carter, as one does when
    talking about someone. German questions use the name as an object (dative or accusative),
    so Herr is „Herrn“. None: the team, or no name typed ("them" will do)."""
    if to.team or not name_like(name):
        return None
    first = person_name(name).first or first_name(lang, name)
    german = lang.startswith("de")
    # A title or Frau/Herr typed with the name is formal before it is asked (German only:
    # in English "Aisha" reads fine until the user says they write formally).
    formal = address == "formal" or (address is None and german and bool(to.titles or to.honorific))
    if address == "informal" or not formal or to.surname is None:
        return first
    title = to.titles.split()[0] if to.titles else ""  # spoken: „Prof. Meier“, not „Prof. Dr.“
    if german and to.honorific in ("female", "male"):
        lead = "Frau" if to.honorific == "female" else "Herrn"
        return " ".join(part for part in (lead, title, to.surname) if part)
    if title:
        return f"{title} {to.surname}"
    if german and to.honorific == "neutral" and to.first:
        return f"{to.first} {to.surname}"
    return first


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


def give_answer(typed: str | None, idea: str | None) -> str | None:
    """What a contact keeps as its give: what the user typed, or (after a shrug) the idea they
    picked, as `IDEA_MARK` and the idea; None when they skipped both."""
    if typed and not is_shrug(typed):
        return typed
    if idea in GIVE_IDEAS:
        return f"{IDEA_MARK}{idea}"
    return typed


def picked_idea(give: str | None) -> str | None:
    idea = give[len(IDEA_MARK) :] if give and give.startswith(IDEA_MARK) else None
    return idea if idea in GIVE_IDEAS else None


def give_of(contact: Contact) -> Give:
    """The give by kind: a picked idea as such, else read from what was typed."""
    idea = picked_idea(contact.give)
    return _IDEA_GIVES[idea] if idea else read_give(contact.give)


def notes_of(contact: Contact) -> list[tuple[str, str]]:
    """What the user typed, to show beside the draft: (kind, text); a shrug ("idk") is no note,
    and neither is an idea picked from the coach's."""
    notes = [
        ("where", contact.where),
        ("topic", contact.topic),
        ("give", None if picked_idea(contact.give) else contact.give),
        ("caught", contact.note),
        ("intro_to", None if name_like(contact.intro_to) else contact.intro_to),
    ]
    return [(kind, " ".join(text.split())) for kind, text in notes if text and not is_shrug(text)]


def intro_name_in_give(contact: Contact) -> str | None:
    """Whom the give names for an introduction ("kontakt zu jonas"), unless that is the
    contact themself (a slip, or a note about them): then the name is asked."""
    named = give_of(contact).intro_name
    own = {contact.name.casefold(), (person_name(contact.name).first or "").casefold()}
    return named if named and named.casefold() not in own else None


def needs_intro_name(contact: Contact) -> bool:
    """An introduction is to be offered and nobody named whom to: ask."""
    introduction = contact.channel == "introduction" or give_of(contact).introduction
    return introduction and not intro_name_in_give(contact) and not name_like(contact.intro_to)


def draft_plan(lang: str, contact: Contact, event: Event | None) -> dict[str, Any]:
    """Everything `followup/draft.html` needs to write the message, and the notes beside it."""
    give = give_of(contact)
    met = met_event(contact, event)
    intro = contact.channel == "introduction" or give.introduction
    typed = person(lang, contact.intro_to) if name_like(contact.intro_to) else None
    named = typed or intro_name_in_give(contact)
    intro_to = " ".join(named.split()) if named else None
    topic = read_topic(lang, contact.topic)
    return {
        "to": asdict(addressee(lang, contact)),
        "du": contact.address == "informal",
        "event": event_short(lang, met.name) if met else None,  # as a message names it
        "online": bool(contact.met_online) or bool(met and met.online),
        "topic": asdict(topic) if topic else None,
        "give": {
            "resource": give.resource,
            "tip": give.tip and not give.resource,  # "podcast tip": the podcast is the give
            "other": give.other,
            "send": give.send,
            "question": give.question,
            "introduction": intro,
        },
        "intro_to": intro_to,
        # after the first mention the other person is called by first name ("I'll check with
        # Klaus too"), never by the full name a second and third time
        "intro_first": (person_name(intro_to).first or intro_to) if intro_to else None,
        "promised": bool(contact.promised),
        "channel": contact.channel,
        "notes": notes_of(contact),
    }
