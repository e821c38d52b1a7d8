"""The outbox's statements: plain synchronous functions on a `Connection`, run through
`Database.run` (bot/store/executor.py); what they are for is in bot/outbox.py.

Rows of one user are sent in `id` order by one instance at a time: a claim takes the user's
rows up to the first one it may not send yet (claimed by another instance whose lease still
holds, waiting out a failed attempt's pause, or waiting for its picture), and holds them for a
lease that runs out if the claiming process dies.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from bot.engine.io import OutgoingMessage, message_from_dict, message_to_dict
from bot.store.reminders import from_db, to_db
from bot.store.schema import outbox

log = logging.getLogger(__name__)

FILE_GRACE = timedelta(minutes=2)  # a picture not drawn by then never will be (its maker died)
CLAIM_LIMIT = 20  # rows of one user claimed at a time: a reply has one to three

_LOCK_USER = text("SELECT pg_advisory_xact_lock(:id)")  # the same lock a turn takes
_ENQUEUE = insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)
_ANY_WAITING = select(outbox.c.id).where(outbox.c.user_id == bindparam("user_id")).limit(1)
_USER_ROWS = (
    select(
        outbox.c.id,
        outbox.c.kind,
        outbox.c.message,
        outbox.c.tapped_message_id,
        outbox.c.file_pending,
        outbox.c.created_at,
        outbox.c.not_before,
        outbox.c.attempts,
        outbox.c.claimed_until,
        outbox.c.claimed_by,
    )
    .where(outbox.c.user_id == bindparam("user_id"))
    .order_by(outbox.c.id)
    .limit(CLAIM_LIMIT)
)
_CLAIM = (
    update(outbox)
    .where(outbox.c.id.in_(bindparam("ids", expanding=True)))
    .values(claimed_until=bindparam("until"), claimed_by=bindparam("claimer"))
)
_DELETE = delete(outbox).where(outbox.c.id == bindparam("row_id"))


@dataclass(frozen=True)
class OutboxRow:
    """One message claimed for sending."""

    id: int
    user_id: int
    kind: str
    message: OutgoingMessage
    tapped_message_id: int | None
    created_at: datetime
    attempts: int
    claimer: str  # who holds it


@dataclass(frozen=True)
class Claimed:
    """What a claim took, and whether it stopped at a row someone else holds."""

    rows: list[OutboxRow]
    blocked: bool


def enqueue(
    connection: Connection,
    user_id: int,
    messages: list[OutgoingMessage],
    *,
    kind: str,
    now: datetime,
    tapped_message_id: int | None = None,
    claim: tuple[str, datetime] | None = None,
) -> list[OutboxRow]:
    """Keep `messages` to be sent to `user_id`, in the caller's transaction (the turn's).

    With `claim` (a claimer and until when), when nothing else of this user's waits (the usual
    case) the rows are written claimed and returned, for the delivery right after the commit:
    it then needs no claim (a write) of its own. Otherwise they wait in line and none is."""
    if not messages:
        return []
    if claim is not None and (
        any(message.make_file is not None for message in messages)
        or connection.scalar(_ANY_WAITING, {"user_id": user_id}) is not None
    ):
        claim = None
    claimer, until = claim if claim is not None else (None, None)
    at = to_db(now)
    ids = connection.execute(
        _ENQUEUE,
        [
            {
                "user_id": user_id,
                "kind": kind,
                "message": json.dumps(message_to_dict(message), ensure_ascii=False),
                "tapped_message_id": tapped_message_id,
                "file_pending": message.make_file is not None,
                "created_at": at,
                "not_before": at,
                "attempts": 0,
                "claimed_until": to_db(until) if until is not None else None,
                "claimed_by": claimer,
            }
            for message in messages
        ],
    ).scalars()
    if claimer is None:
        return []
    return [
        OutboxRow(row_id, user_id, kind, message, tapped_message_id, now, 0, claimer)
        for row_id, message in zip(ids, messages, strict=True)
    ]


def attach_file(connection: Connection, user_id: int, file: bytes | None) -> None:
    """The picture drawn for the user's oldest row that waits for one; a picture that came out
    empty (nothing to draw) takes its row with it."""
    row = connection.execute(
        select(outbox.c.id, outbox.c.message)
        .where(outbox.c.user_id == user_id, outbox.c.file_pending.is_(True))
        .order_by(outbox.c.id)
        .limit(1)
    ).first()
    if row is None:  # given up on meanwhile (FILE_GRACE)
        return
    if file is None:
        connection.execute(_DELETE, {"row_id": row.id})
        return
    message = message_from_dict(json.loads(row.message))
    message.file = file
    connection.execute(
        update(outbox)
        .where(outbox.c.id == row.id)
        .values(
            message=json.dumps(message_to_dict(message), ensure_ascii=False), file_pending=False
        )
    )


def claim_user(
    connection: Connection, user_id: int, claimer: str, now: datetime, lease: timedelta
) -> Claimed:
    """The user's rows `claimer` may send now, oldest first, claimed until `now + lease`; up to
    a row someone else holds (another instance, or another delivery here: its lease holds).
    Taken under the same per-user lock as a turn on PostgreSQL, so two instances never claim
    one user's rows at once (SQLite: one process, one writer). A turn claims its own reply this
    way, in its own transaction, for the delivery right after it (`ConversationService`)."""
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_USER, {"id": user_id})
    at = to_db(now)
    taken: list[Any] = []
    blocked = False
    for row in connection.execute(_USER_ROWS, {"user_id": user_id}):
        claimed_elsewhere = (
            row.claimed_by not in (None, claimer)
            and row.claimed_until is not None
            and row.claimed_until > at
        )
        if claimed_elsewhere or row.not_before > at:
            blocked = claimed_elsewhere
            break
        if row.file_pending:
            if row.created_at > to_db(now - FILE_GRACE):
                break  # the picture is being drawn: this row and those after it wait
            log.warning("a picture for user %s was never drawn; its message is dropped", user_id)
            connection.execute(_DELETE, {"row_id": row.id})
            continue
        taken.append(row)
    if taken:
        connection.execute(
            _CLAIM,
            {"ids": [row.id for row in taken], "until": to_db(now + lease), "claimer": claimer},
        )
    rows = [
        OutboxRow(
            id=row.id,
            user_id=user_id,
            kind=row.kind,
            message=message_from_dict(json.loads(row.message)),
            tapped_message_id=row.tapped_message_id,
            created_at=from_db(row.created_at),
            attempts=row.attempts,
            claimer=claimer,
        )
        for row in taken
    ]
    return Claimed(rows, blocked)


def extend_claim(
    connection: Connection, row_ids: list[int], claimer: str, until: datetime
) -> bool:
    """Hold the rows longer (a send waits out flood control); False if any was taken over."""
    result = connection.execute(
        update(outbox)
        .where(outbox.c.id.in_(row_ids), outbox.c.claimed_by == claimer)
        .values(claimed_until=to_db(until))
    )
    return result.rowcount == len(row_ids)


def delivered(connection: Connection, row_id: int) -> None:
    """Telegram took the message: it is gone from the outbox (and with it what it said)."""
    connection.execute(_DELETE, {"row_id": row_id})


def try_again_later(connection: Connection, row_id: int, attempts: int, at: datetime) -> None:
    """A failed attempt: the row (and the user's later rows with it) waits until `at`."""
    connection.execute(
        update(outbox)
        .where(outbox.c.id == row_id)
        .values(attempts=attempts, not_before=to_db(at), claimed_until=None, claimed_by=None)
    )


def release(connection: Connection, row_ids: list[int], claimer: str) -> None:
    """Give back rows claimed but not sent (the sender stops: another may take them at once)."""
    connection.execute(
        update(outbox)
        .where(outbox.c.id.in_(row_ids), outbox.c.claimed_by == claimer)
        .values(claimed_until=None, claimed_by=None)
    )


def drop_user(connection: Connection, user_id: int) -> int:
    """Nothing more goes to this user (they blocked the bot); returns how many were dropped."""
    return connection.execute(delete(outbox).where(outbox.c.user_id == user_id)).rowcount


def release_all_claims(connection: Connection) -> None:
    """At the start of the one process an SQLite file serves: every claim is a dead one's."""
    connection.execute(
        update(outbox)
        .where(outbox.c.claimed_by.is_not(None))
        .values(claimed_until=None, claimed_by=None)
    )


def due_users(connection: Connection, now: datetime, limit: int) -> list[int]:
    """Users with a row to send now that nobody holds, the longest waiting first."""
    at = to_db(now)
    query = (
        select(outbox.c.user_id)
        .where(
            outbox.c.not_before <= at,
            outbox.c.file_pending.is_(False),
            outbox.c.claimed_until.is_(None) | (outbox.c.claimed_until <= at),
        )
        .group_by(outbox.c.user_id)
        .order_by(func.min(outbox.c.id))
        .limit(limit)
    )
    return list(connection.execute(query).scalars())


def next_due(connection: Connection, now: datetime) -> datetime | None:
    """When the next row waiting out a pause falls due (to sleep until then)."""
    moment = connection.scalar(
        select(func.min(outbox.c.not_before)).where(outbox.c.not_before > to_db(now))
    )
    return from_db(moment) if moment is not None else None


def oldest_waiting(connection: Connection) -> datetime | None:
    """When the oldest row still to be sent was committed (for metrics and the bench)."""
    moment = connection.scalar(select(func.min(outbox.c.created_at)))
    return from_db(moment) if moment is not None else None


def oldest_age(connection: Connection, now: datetime) -> float:
    """Seconds the oldest row still to be sent has waited; 0 when none waits."""
    oldest = oldest_waiting(connection)
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


def pending_count(connection: Connection, user_id: int | None = None) -> int:
    query = select(func.count()).select_from(outbox)
    if user_id is not None:
        query = query.where(outbox.c.user_id == user_id)
    return int(connection.scalar(query) or 0)
