"""The user's networks and their reviews: a network is made the first time an event or a review
names it, summarised over its reflected events (count, average usefulness, the latest scores),
and moved through its review stage by stage, each step kept in the review history. Apart from the
events because /review and /journal judge a network as a whole, never one event of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, func, insert, select, update

from bot.coach.journal import NetworkSummary, ReviewStage
from bot.store.reminders import from_db, to_db
from bot.store.schema import events, network_reviews, networks, reflections

# Built once, run with their values (see bot/store/statements.py): saving an event runs them.
_NETWORK_ID = select(networks.c.id).where(
    networks.c.user_id == bindparam("user_id"), networks.c.name_key == bindparam("name_key")
)
_NEW_NETWORK = insert(networks).returning(networks.c.id)


def network_key(name: str) -> str:
    """"BNI Wien" and "bni wien " are one network."""
    return name.strip().casefold()[:200]


def network_row_id(network_id: str | None) -> int | None:
    """"n12" (the id buttons and reminders carry) → 12; None for anything else."""
    if not network_id or not network_id.startswith("n") or not network_id[1:].isdigit():
        return None
    return int(network_id[1:])


def ensure_network(connection: Connection, user_id: int, name: str | None) -> int | None:
    """The row id of the user's network of that name, made on first use; None for no name."""
    if not name or not name.strip():
        return None
    key = network_key(name)
    found = connection.scalar(_NETWORK_ID, {"user_id": user_id, "name_key": key})
    if found is not None:
        return int(found)
    values = {"user_id": user_id, "name": name.strip(), "name_key": key}
    return int(connection.execute(_NEW_NETWORK, values).scalar_one())


def network_scores(
    connection: Connection, user_id: int, network: str, since: datetime | None = None
) -> list[int]:
    """Usefulness of every reflected event of `network` (reflected after `since`), oldest
    first."""
    query = (
        select(reflections.c.usefulness)
        .select_from(events)
        .join(reflections, reflections.c.event_id == events.c.id)
        .join(networks, networks.c.id == events.c.network_id)
        .where(events.c.user_id == user_id, networks.c.name_key == network_key(network))
        .order_by(events.c.starts_at)
    )
    if since is not None:
        query = query.where(reflections.c.at > to_db(since))
    return [int(value) for value in connection.scalars(query)]


def summaries(
    connection: Connection, user_id: int, scores: int, row_id: int | None = None
) -> list[NetworkSummary]:
    """The user's networks (all, or the one with `row_id`), by name, with their reflected
    events' count and average usefulness, their latest `scores` and their review stage."""
    stats = (
        select(
            events.c.network_id,
            func.count(reflections.c.event_id).label("events"),
            func.avg(reflections.c.usefulness).label("average"),
        )
        .join(reflections, reflections.c.event_id == events.c.id)
        .where(events.c.user_id == user_id)
        .group_by(events.c.network_id)
        .subquery()
    )
    query = (
        select(networks, stats.c.events, stats.c.average)
        .outerjoin(stats, stats.c.network_id == networks.c.id)
        .where(networks.c.user_id == user_id)
        .order_by(networks.c.name)
    )
    if row_id is not None:
        query = query.where(networks.c.id == row_id)
    found = []
    for row in connection.execute(query).all():
        latest = connection.scalars(
            select(reflections.c.usefulness)
            .select_from(events)
            .join(reflections, reflections.c.event_id == events.c.id)
            .where(events.c.network_id == row.id)
            .order_by(events.c.starts_at.desc())
            .limit(scores)
        ).all()
        found.append(
            NetworkSummary(
                id=f"n{row.id}",
                name=row.name,
                count=row.events or 0,
                average=float(row.average) if row.average is not None else None,
                scores=[int(value) for value in reversed(latest)],
                stage=row.review_stage,
                stage_at=from_db(row.review_at) if row.review_at else None,
                leave_on=from_db(row.leave_on) if row.leave_on else None,
            )
        )
    return found


def network_summaries(connection: Connection, user_id: int, scores: int) -> list[NetworkSummary]:
    """Each network with reflected events: count, average, and its latest `scores`."""
    return [summary for summary in summaries(connection, user_id, scores) if summary.count]


def all_networks(connection: Connection, user_id: int, scores: int) -> list[NetworkSummary]:
    """Every network of the user, reflected on or not, by name."""
    return summaries(connection, user_id, scores)


def network(
    connection: Connection, user_id: int, network_id: str | None, scores: int = 3
) -> NetworkSummary | None:
    row_id = network_row_id(network_id)
    if row_id is None:
        return None
    found = summaries(connection, user_id, scores, row_id)
    return found[0] if found else None


def network_id(connection: Connection, user_id: int, name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    found = connection.scalar(
        select(networks.c.id).where(
            networks.c.user_id == user_id, networks.c.name_key == network_key(name)
        )
    )
    return f"n{found}" if found is not None else None


def set_network_stage(
    connection: Connection,
    user_id: int,
    network_id: str,
    stage: ReviewStage,
    at: datetime,
    leave_on: datetime | None = None,
) -> None:
    """Move the network's review on, and keep the step in the review history."""
    row_id = network_row_id(network_id)
    if row_id is None:
        return
    changed = connection.execute(
        update(networks)
        .where(networks.c.id == row_id, networks.c.user_id == user_id)
        .values(
            review_stage=stage,
            review_at=to_db(at),
            leave_on=to_db(leave_on) if leave_on else None,
        )
    )
    if changed.rowcount:
        connection.execute(
            insert(network_reviews).values(
                user_id=user_id, network_id=row_id, decision=stage, at=to_db(at)
            )
        )


def add_network_review(
    connection: Connection, user_id: int, network: str, decision: str, at: datetime
) -> None:
    """Keep a decision about a network (by name, made on first use) in the review history."""
    row_id = ensure_network(connection, user_id, network)
    if row_id is not None:
        connection.execute(
            insert(network_reviews).values(
                user_id=user_id, network_id=row_id, decision=decision, at=to_db(at)
            )
        )
