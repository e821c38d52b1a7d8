"""After meeting someone: note the contact, draft a follow-up that gives first, nudge until done.

The contact's event is the one where they met: carried in from the reflection on that event,
filed by "Met someone" in the room (bot/coach/catch.py), or picked from the user's recent events
(or "online"); a typed place is only a note. What the draft says is decided in
bot/coach/drafts.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.coach.addressee import organisation_label, organisation_name, person_name
from bot.coach.drafts import addressee, call_name, draft_plan, give_answer, needs_intro_name
from bot.coach.give_ideas import ideas_for
from bot.coach.journal import Contact, journal_of, reminders_off
from bot.coach.notes import is_shrug, sounds_online
from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_when
from bot.engine.domain import CancelReminders, Domain, PlanReminder, StepContext
from bot.engine.io import SHARED_KEY

NUDGE_DIALOG = "nudge"
SHARED_NAME_MAX = 80  # as long as a typed name may be (dialogs/followup.yaml)
MET_EVENTS = 3  # recent events offered as where the two met
ONLINE, ELSEWHERE = "online", "elsewhere"  # the other answers to "where did you meet?"
# Answers about one contact: cleared when the next caught contact is picked.
CONTACT_ANSWERS = (
    "contact_id", "contact_name", "organisation", "org_person", "address", "honorific",
    "where", "where_text", "event_id", "met_online", "topic", "give", "promised", "channel",
    "intro_to", "give_idea", "goal",
)  # fmt: skip


def nudge_key(contact_id: str) -> str:
    return f"contact:{contact_id}:nudge"


def plan_nudge(contact: Contact, now: datetime, policy: CoachPolicy) -> PlanReminder:
    return PlanReminder(
        nudge_key(contact.id), now + policy.followup_nudge, NUDGE_DIALOG, {"contact_id": contact.id}
    )


def answered_contact(ctx: StepContext) -> Contact:
    """The contact as answered so far (not saved), for the questions that depend on it."""
    answers = ctx.answers
    return Contact(
        name=answers.get("contact_name") or "",
        organisation=answers.get("organisation"),
        honorific=answers.get("honorific"),
        address=answers.get("address"),
        created_at=ctx.now,
    )


def load_into_answers(contact: Contact, answers: dict[str, Any]) -> None:
    """A saved contact (one caught in the room) as the answers of the follow-up dialog."""
    for key in CONTACT_ANSWERS:
        answers.pop(key, None)
    answers.update(
        contact_id=contact.id,
        contact_name=contact.name,
        organisation=contact.organisation or organisation_name(contact.name),
    )
    if contact.event_id:
        answers["event_id"] = contact.event_id
    for key in ("address", "honorific", "met_online"):
        if getattr(contact, key) is not None:
            answers[key] = getattr(contact, key)


def followups_domain(policy: CoachPolicy) -> Domain:
    def nudge_later(ctx: StepContext, contact: Contact) -> None:
        if "followup_nudge" not in reminders_off(ctx):
            ctx.records.append(plan_nudge(contact, ctx.now, policy))

    def read_name(ctx: StepContext) -> None:
        """A company typed as the contact: ask who there they spoke to (or greet the team)."""
        ctx.answers["organisation"] = organisation_name(ctx.answers.get("contact_name"))

    def take_org_person(ctx: StepContext) -> None:
        person = ctx.answers.get("org_person")
        organisation = ctx.answers.get("organisation")
        if person and not is_shrug(person) and organisation:
            ctx.answers["contact_name"] = person  # the person; the organisation stays known
        elif organisation:
            ctx.answers["contact_name"] = organisation  # nobody named: the team is greeted

    def take_where(ctx: StepContext) -> None:
        """An event picked by button is where they met; "online" is online; anything else is
        typed as a note."""
        answers = ctx.answers
        choice = answers.get("where")
        answers.pop("event_id", None)
        answers["met_online"] = choice == ONLINE
        if choice not in (ONLINE, ELSEWHERE, None):
            event = journal_of(ctx).event(choice)
            if event is not None:
                answers["event_id"] = event.id

    def take_typed_where(ctx: StepContext) -> None:
        if sounds_online(ctx.answers.get("where_text")):
            ctx.answers["met_online"] = True  # "on zoom": online, whatever the tool

    def take_give(ctx: StepContext) -> None:
        """A new give answer: an idea picked for an earlier one no longer holds. The ideas for
        a shrug fit the goal of the event where they met (else the user's first goal)."""
        answers = ctx.answers
        answers.pop("give_idea", None)
        event = journal_of(ctx).event(answers.get("event_id"))
        goals = list(ctx.session.profile.goals)
        answers["goal"] = event.goal if event else (goals[0] if goals else None)

    def save_contact(ctx: StepContext) -> None:
        answers = ctx.answers
        journal = journal_of(ctx)
        organisation = answers.get("organisation")
        give = give_answer(answers.get("give"), answers.get("give_idea"))
        typed = not is_shrug(answers.get("give"))
        fields: dict[str, Any] = {
            "name": answers["contact_name"],
            "where": answers.get("where_text"),
            "topic": answers["topic"],
            "give": give,
            "promised": typed and answers.get("promised") == "yes",
            "address": answers.get("address"),
            "channel": answers["channel"],
            "organisation": organisation,
            "honorific": answers.get("honorific") or person_name(answers["contact_name"]).honorific,
            "met_online": bool(answers.get("met_online")),
            "intro_to": answers.get("intro_to"),
        }
        found = journal.contact(answers.get("contact_id"))
        event_id = answers.get("event_id") if journal.event(answers.get("event_id")) else None
        if found is None:
            contact = Contact(created_at=ctx.now, event_id=event_id, **fields)
        else:
            contact = found.model_copy(update={**fields, "event_id": event_id or found.event_id})
        journal.save_contact(contact)
        answers["contact_id"] = contact.id
        if contact.status == "open":
            nudge_later(ctx, contact)

    def mark_done(ctx: StepContext) -> None:
        journal = journal_of(ctx)
        contact = journal.contact(ctx.answers.get("contact_id"))
        if contact is None:
            return
        contact.status, contact.done_at = "done", ctx.now
        journal.save_contact(contact)
        ctx.records.append(CancelReminders(nudge_key(contact.id)))

    def snooze(ctx: StepContext) -> None:
        contact = journal_of(ctx).contact(ctx.answers.get("contact_id"))
        if contact is not None and contact.status == "open" and contact.channel:
            nudge_later(ctx, contact)

    def take_shared(ctx: StepContext) -> None:
        """A shared contact's name becomes the answer to "who did you meet?"."""
        shared = ctx.answers.pop(SHARED_KEY, None)
        name = (shared or {}).get("name", "").strip() if isinstance(shared, dict) else ""
        if name:
            ctx.answers["contact_name"] = name[:SHARED_NAME_MAX]

    def contact_open(ctx: StepContext) -> bool:
        """Open and drafted: a contact caught in the room has no draft to nudge about yet."""
        contact = journal_of(ctx).contact(ctx.answers.get("contact_id"))
        return contact is not None and contact.status == "open" and contact.channel is not None

    def needs_honorific(ctx: StepContext) -> bool:
        """Formal, to a person whose Frau/Herr (Ms/Mr) is not known yet. An English letter
        to "Dr Patel" needs none."""
        if ctx.answers.get("address") != "formal":
            return False
        to = addressee(ctx.lang, answered_contact(ctx))
        if to.team or to.honorific or to.surname is None:
            return False
        return ctx.lang.startswith("de") or not to.titles

    def event_unknown(ctx: StepContext) -> bool:
        return journal_of(ctx).event(ctx.answers.get("event_id")) is None

    def met_events(ctx: StepContext) -> list[tuple[str, str]]:
        """The user's latest events that have started (not skipped ones), newest first."""
        started = journal_of(ctx).past_events(ctx.now, MET_EVENTS * 2)
        attended = [e for e in started if e.status == "planned"][:MET_EVENTS]
        return [(e.id, f"{e.name[:30]} · {show_when(e.starts_at, ctx, policy)}") for e in attended]

    def ask_intro_name(ctx: StepContext) -> bool:
        answers = ctx.answers
        contact = Contact(
            name=answers.get("contact_name") or "",
            give=give_answer(answers.get("give"), answers.get("give_idea")),
            channel=answers.get("channel"), created_at=ctx.now,
        )  # fmt: skip
        return needs_intro_name(contact)

    def answers_view(ctx: StepContext) -> dict[str, Any]:
        """Who the questions are about, for their words: the person or the team, and the name
        the coach calls the person by (None: no name was typed, "them" will do)."""
        name = ctx.answers.get("contact_name")
        to = addressee(ctx.lang, answered_contact(ctx))
        organisation = ctx.answers.get("organisation")
        return {
            "to": to,
            "call": call_name(ctx.lang, name, to, ctx.answers.get("address")),
            "organisation": organisation_label(organisation) if organisation else None,
        }

    def where_view(ctx: StepContext) -> dict[str, Any]:
        """…and whether there are events to pick from."""
        return {**answers_view(ctx), "events": bool(met_events(ctx))}

    def topic_view(ctx: StepContext) -> dict[str, Any]:
        """…and the few words noted in the room, when the contact was caught there."""
        contact = journal_of(ctx).contact(ctx.answers.get("contact_id"))
        return {**answers_view(ctx), "note": contact.note if contact else None}

    def give_ideas_view(ctx: StepContext) -> dict[str, Any]:
        """…and the ideas for a shrugged give, in the order /prepare offers them."""
        return {**answers_view(ctx), "ideas": list(ideas_for(ctx.answers.get("goal")))}

    def draft_view(ctx: StepContext) -> dict[str, Any]:
        journal = journal_of(ctx)
        contact = journal.contact(ctx.answers.get("contact_id"))
        if contact is None or contact.channel is None:
            return {"contact": None, "nudge_days": policy.followup_nudge.days}
        event = journal.event(contact.event_id)
        return {
            "contact": contact,
            "draft": draft_plan(ctx.lang, contact, event),
            "nudge_days": policy.followup_nudge.days,
        }

    return Domain(
        effects={
            "read_contact_name": read_name,
            "take_org_person": take_org_person,
            "take_where": take_where,
            "take_typed_where": take_typed_where,
            "save_contact": save_contact,
            "mark_followup_done": mark_done,
            "snooze_followup": snooze,
            "take_shared_contact": take_shared,
            "take_followup_give": take_give,
        },
        conditions={
            "open_contact": contact_open,
            "contact_shared": lambda ctx: bool(ctx.answers.get("contact_name")),
            "has_give": lambda ctx: not is_shrug(ctx.answers.get("give")),
            "is_organisation": lambda ctx: bool(ctx.answers.get("organisation")),
            "needs_honorific": needs_honorific,
            "event_unknown": event_unknown,
            "typed_where": lambda ctx: ctx.answers.get("where") == ELSEWHERE,
            "needs_intro_name": ask_intro_name,
        },
        views={
            "followup_draft": draft_view,
            "followup_contact": answers_view,
            "followup_where": where_view,
            "followup_topic": topic_view,
            "followup_give_ideas": give_ideas_view,
        },
        option_providers={"met_events": met_events},
        dialogs={NUDGE_DIALOG},  # the nudge planned by plan_nudge
    )
