"""After meeting someone: note the contact, draft a follow-up that gives first, nudge until done."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.coach.journal import Contact, Event, journal_of, reminders_off
from bot.coach.policy import CoachPolicy
from bot.engine.domain import CancelReminders, Domain, PlanReminder, StepContext
from bot.engine.io import SHARED_KEY

NUDGE_DIALOG = "nudge"
SHARED_NAME_MAX = 80  # as long as a typed name may be (dialogs/followup.yaml)
MET_WINDOW = timedelta(days=2)


def nudge_key(contact_id: str) -> str:
    return f"contact:{contact_id}:nudge"


def plan_nudge(contact: Contact, now: datetime, policy: CoachPolicy) -> PlanReminder:
    return PlanReminder(
        nudge_key(contact.id), now + policy.followup_nudge, NUDGE_DIALOG, {"contact_id": contact.id}
    )


def met_at(contact: Contact | None, event: Event | None) -> str | None:
    """The journal's name for where they met, when the contact was noted during the linked
    event or within two days after it (a typed place is only a fallback)."""
    if contact is None or event is None:
        return None
    if event.starts_at - timedelta(hours=1) <= contact.created_at <= event.ends_at + MET_WINDOW:
        return event.name
    return None


def followups_domain(policy: CoachPolicy) -> Domain:
    def nudge_later(ctx: StepContext, contact: Contact) -> None:
        if "followup_nudge" not in reminders_off(ctx):
            ctx.records.append(plan_nudge(contact, ctx.now, policy))

    def save_contact(ctx: StepContext) -> None:
        answers = ctx.answers
        journal = journal_of(ctx)
        fields: dict[str, Any] = {
            "name": answers["contact_name"],
            "where": answers.get("where"),
            "topic": answers["topic"],
            "give": answers.get("give"),
            "promised": bool(answers.get("give")) and answers.get("promised") == "yes",
            "address": answers.get("address"),
            "channel": answers["channel"],
        }
        found = journal.contact(answers.get("contact_id"))
        if found is None:
            latest = [] if answers.get("event_id") else journal.latest_events(1)
            event_id = answers.get("event_id") or (latest[0].id if latest else None)
            contact = Contact(created_at=ctx.now, event_id=event_id, **fields)
        else:
            contact = found.model_copy(update=fields)
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
        if contact is not None and contact.status == "open":
            nudge_later(ctx, contact)

    def take_shared(ctx: StepContext) -> None:
        """A shared contact's name becomes the answer to "who did you meet?"."""
        shared = ctx.answers.pop(SHARED_KEY, None)
        name = (shared or {}).get("name", "").strip() if isinstance(shared, dict) else ""
        if name:
            ctx.answers["contact_name"] = name[:SHARED_NAME_MAX]

    def contact_exists(ctx: StepContext) -> bool:
        contact = journal_of(ctx).contact(ctx.answers.get("contact_id"))
        return contact is not None and contact.status == "open"

    def draft_view(ctx: StepContext) -> dict[str, Any]:
        journal = journal_of(ctx)
        contact = journal.contact(ctx.answers.get("contact_id"))
        event = journal.event(contact.event_id) if contact else None
        return {
            "contact": contact,
            "event": event,
            "met_at": met_at(contact, event),
            "nudge_days": policy.followup_nudge.days,
        }

    return Domain(
        effects={
            "save_contact": save_contact,
            "mark_followup_done": mark_done,
            "snooze_followup": snooze,
            "take_shared_contact": take_shared,
        },
        conditions={
            "open_contact": contact_exists,
            "contact_shared": lambda ctx: bool(ctx.answers.get("contact_name")),
            "has_give": lambda ctx: bool((ctx.answers.get("give") or "").strip()),
        },
        views={"followup_draft": draft_view},
        dialogs={NUDGE_DIALOG},  # the nudge planned by plan_nudge
    )
