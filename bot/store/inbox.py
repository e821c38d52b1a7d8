"""The inbox's statements: Telegram updates kept before Telegram is told they arrived, and the
mark that an update was applied. Plain synchronous functions on a `Connection`, run through
`Database.run` (bot/store/executor.py); what they are for is in bot/telegram/inbox.py.

One row per update id. A row keeps the update (`payload`) until it is applied; then only its id
stays (for as long as Telegram could deliver it again), so a redelivered update is recognised and
skipped, also after the user erased their data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, true, update
from sqlalchemy.sql.dml import Insert

from bot.store.reminders import from_db, to_db
from bot.store.schema import erasures, inbox
from bot.store.statements import dialect_insert

KEPT = timedelta(days=2)  # Telegram keeps an unconfirmed update for 24 hours
NEWEST_KEPT = 64  # ids never pruned, so the order check always sees the latest ones
ORDER_WINDOW = 32  # how far back the order check looks for an update still on its way


@dataclass(frozen=True)
class Waiting:
    """An update kept and not yet applied."""

    update_id: int
    user_id: int
    payload: dict[str, Any]
    kept_by: str | None  # the instance that took it from Telegram
    received_at: datetime


@cache
def _keep(dialect: str) -> Insert:
    return dialect_insert(dialect)(inbox).on_conflict_do_nothing()


@cache
def _apply(dialect: str) -> Insert:
    """Mark an update applied: a row the inbox kept, or a new one for an update that came
    another way; returns the id only the first time."""
    statement = dialect_insert(dialect)(inbox)
    return statement.on_conflict_do_update(
        index_elements=[inbox.c.update_id],
        set_={"applied_at": statement.excluded.applied_at, "payload": None},
        where=inbox.c.applied_at.is_(None),
    ).returning(inbox.c.update_id)


_ERASED_AFTER = select(erasures.c.update_id).where(erasures.c.user_id == bindparam("user_id"))
_WAITING = (
    select(
        inbox.c.update_id, inbox.c.user_id, inbox.c.payload, inbox.c.kept_by, inbox.c.received_at
    )
    .where(inbox.c.user_id == bindparam("user_id"), inbox.c.applied_at.is_(None))
    .order_by(inbox.c.update_id)
    .limit(bindparam("limit"))
)


Kept = tuple[int, int, dict[str, Any]]  # update id, user id, the update as Telegram sent it


def keep(connection: Connection, updates: list[Kept], kept_by: str, now: datetime) -> int:
    """Keep (update id, user id, update as Telegram sent it); one kept before stays as it is.
    Returns how many were new."""
    if not updates:
        return 0
    kept = connection.execute(
        _keep(connection.dialect.name)
        .values(
            [
                {
                    "update_id": update_id,
                    "user_id": user_id,
                    "payload": json.dumps(payload, ensure_ascii=False),
                    "kept_by": kept_by,
                    "received_at": to_db(now),
                    "applied_at": None,
                }
                for update_id, user_id, payload in updates
            ]
        )
        .returning(inbox.c.update_id)
    )
    return len(kept.all())


def first_application(
    connection: Connection, update_id: int, user_id: int, now: datetime
) -> bool:
    """Mark `update_id` applied, in the turn's transaction; False if it was applied before (a
    redelivery) or is older than the user's erasure (it must not bring them back)."""
    erased_after = connection.scalar(_ERASED_AFTER, {"user_id": user_id})
    at = to_db(now)
    claimed = connection.scalar(
        _apply(connection.dialect.name),
        {"update_id": update_id, "user_id": user_id, "received_at": at, "applied_at": at,
         "payload": None, "kept_by": None},
    )  # fmt: skip
    return claimed is not None and (erased_after is None or update_id > erased_after)


def erase(connection: Connection, user_id: int, update_id: int | None, now: datetime) -> None:
    """The user erased their data with update `update_id`: their waiting updates lose what they
    said, and any update of theirs older than the erasure is ignored from now on. What stays is
    ids and this mark, no content, for as long as Telegram could deliver those updates again."""
    connection.execute(
        update(inbox)
        .where(inbox.c.user_id == user_id, inbox.c.applied_at.is_(None))
        .where(inbox.c.update_id < update_id if update_id is not None else true())
        .values(payload=None, applied_at=to_db(now))
    )
    if update_id is not None:
        statement = dialect_insert(connection.dialect.name)(erasures)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[erasures.c.user_id],
                set_={"update_id": statement.excluded.update_id, "at": statement.excluded.at},
            ),
            {"user_id": user_id, "update_id": update_id, "at": to_db(now)},
        )


def waiting_of(connection: Connection, user_id: int, limit: int = 20) -> list[Waiting]:
    """The user's kept updates not yet applied, oldest first."""
    return [
        Waiting(
            row.update_id, row.user_id, json.loads(row.payload), row.kept_by,
            from_db(row.received_at),
        )  # fmt: skip
        for row in connection.execute(_WAITING, {"user_id": user_id, "limit": limit})
        if row.payload is not None
    ]


def first_waiting(connection: Connection, user_id: int) -> int | None:
    """The user's oldest kept update not yet applied."""
    return connection.scalar(
        select(func.min(inbox.c.update_id)).where(
            inbox.c.user_id == user_id, inbox.c.applied_at.is_(None)
        )
    )


def nothing_missing_before(connection: Connection, update_id: int) -> bool:
    """Every update id just before `update_id` (a few back) has arrived, here or at another
    instance: nothing of this user's that came earlier can still be on its way."""
    lowest = connection.scalar(select(func.min(inbox.c.update_id)))
    if lowest is None:
        return True
    start = max(update_id - ORDER_WINDOW, lowest)
    present = connection.scalar(
        select(func.count())
        .select_from(inbox)
        .where(inbox.c.update_id >= start, inbox.c.update_id < update_id)
    )
    return present == update_id - start


def forget_keepers(connection: Connection) -> None:
    """At the start of the one process an SQLite file serves: whoever kept an update is gone."""
    connection.execute(
        update(inbox)
        .where(inbox.c.applied_at.is_(None), inbox.c.kept_by.is_not(None))
        .values(kept_by=None)
    )


def earlier_waiting(connection: Connection, user_id: int, update_id: int) -> bool:
    """An earlier update of the user is kept and not yet applied."""
    return (
        connection.scalar(
            select(inbox.c.update_id)
            .where(
                inbox.c.user_id == user_id,
                inbox.c.applied_at.is_(None),
                inbox.c.update_id < update_id,
            )
            .limit(1)
        )
        is not None
    )


def waiting_count(connection: Connection, now: datetime) -> float:
    """How many kept updates are not applied yet (for the metrics)."""
    return float(
        connection.scalar(
            select(func.count()).select_from(inbox).where(inbox.c.applied_at.is_(None))
        )
        or 0
    )


def users_waiting(connection: Connection, received_before: datetime, limit: int) -> list[int]:
    """Users with a kept update nobody applied for a while (its instance died, or it failed)."""
    query = (
        select(inbox.c.user_id)
        .where(inbox.c.applied_at.is_(None), inbox.c.received_at <= to_db(received_before))
        .group_by(inbox.c.user_id)
        .order_by(func.min(inbox.c.update_id))
        .limit(limit)
    )
    return list(connection.execute(query).scalars())


def prune(connection: Connection, now: datetime) -> None:
    """Forget ids Telegram can no longer deliver again (but the newest few, for the order check),
    and erasure marks as old."""
    newest = select(inbox.c.update_id).order_by(inbox.c.update_id.desc()).limit(NEWEST_KEPT)
    cutoff = to_db(now - KEPT)
    connection.execute(
        delete(inbox).where(
            inbox.c.received_at < cutoff,
            inbox.c.applied_at.is_not(None),
            inbox.c.update_id.not_in(newest.scalar_subquery()),
        )
    )
    connection.execute(delete(erasures).where(erasures.c.at < cutoff))
