"""Everything stored about one user, for /export: the journal's records read through the module of
their concern, and beside them what the bot kept outside the journal (planned reminders, waitlist
entries, the steps taken). The one read that is meant to take a user's whole history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from bot.store.journal import contacts, events, plans, reviews
from bot.store.reminders import from_db
from bot.store.schema import network_reviews, networks, reminders, step_history, waitlist


def export(connection: Connection, user_id: int) -> dict[str, Any]:
    """Every record about the user, for /export."""
    review_rows = connection.execute(
        select(networks.c.name, network_reviews.c.decision, network_reviews.c.at)
        .join(networks, networks.c.id == network_reviews.c.network_id)
        .where(network_reviews.c.user_id == user_id)
        .order_by(network_reviews.c.at, network_reviews.c.id)
    ).all()
    return {
        "events": [e.model_dump(mode="json") for e in events.all_events(connection, user_id)],
        "contacts": [
            c.model_dump(mode="json") for c in contacts.all_contacts(connection, user_id)
        ],
        "network_reviews": [
            {"network": r.name, "decision": r.decision, "at": from_db(r.at).isoformat()}
            for r in review_rows
        ],
        "networks": [
            {
                "name": n.name,
                "review_stage": n.stage,
                "leave_on": n.leave_on.isoformat() if n.leave_on else None,
            }
            for n in reviews.summaries(connection, user_id, 0)
            if n.stage
        ],
        "year_plans": [
            plan.model_dump(mode="json") for plan in plans.all_plans(connection, user_id)
        ],
        "reminders": [
            {
                "key": r.key,
                "due_at": from_db(r.due_at).isoformat(),
                "dialog": r.dialog,
                "sent_at": from_db(r.sent_at).isoformat() if r.sent_at else None,
            }
            for r in connection.execute(
                select(reminders).where(reminders.c.user_id == user_id).order_by(reminders.c.due_at)
            )
        ],
        "waitlists": [
            {"offer": w.offer_key, "name": w.name, "joined_at": from_db(w.joined_at).isoformat()}
            for w in connection.execute(select(waitlist).where(waitlist.c.user_id == user_id))
        ],
        "step_history": [
            {
                "dialog": s.dialog,
                "state": s.state,
                "input": s.input_kind,
                "choice": s.choice,
                "at": from_db(s.at).isoformat(),
            }
            for s in connection.execute(
                select(step_history)
                .where(step_history.c.user_id == user_id)
                .order_by(step_history.c.at, step_history.c.id)
            )
        ],
    }
