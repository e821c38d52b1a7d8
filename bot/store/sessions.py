"""One turn in one transaction: lock the user, recognise a redelivered update, load the session
and profile, let the engine work on the user's records, write it all, commit.

Nothing of a user's data is remembered between turns: every turn reads what it needs inside its
own transaction, so no process keeps a copy that another instance could make stale (and erased
data cannot come back from a cache). The lock makes one user's turns run one at a time across
instances: a transaction-level advisory lock on PostgreSQL; on SQLite (one process) the write
lock BEGIN IMMEDIATE takes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.engine.errors import ExitCoachError
from bot.engine.io import Reply
from bot.engine.session import Profile, Session
from bot.engine.turn import Outcome, Step
from bot.store.journal import SqlJournal
from bot.store.records import apply_records
from bot.store.reminders import to_db
from bot.store.schema import processed_updates, profiles, reminders, step_history, users

# The engine's work on a loaded session (None: a new user) and the user's records.
TurnWork = Callable[[Session | None, SqlJournal], tuple[Session, Outcome]]
# More to write in the turn's transaction, once the engine has produced its outcome.
AlsoInTurn = Callable[[AsyncConnection, Outcome], Awaitable[None]]


EMPTY_PROFILE = Profile().model_dump_json()  # nothing to write for a user who told us nothing


class SessionConflict(ExitCoachError):
    """The session changed under a turn that held the user's lock: a bug, never a race."""


@dataclass(frozen=True)
class _Loaded:
    session: Session
    profile: str | None  # the profile as stored (JSON), to write it only when it changed


class SessionStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    async def turn(
        self,
        user_id: int,
        work: TurnWork,
        *,
        now: datetime,
        update_id: int | None = None,
        input_kind: str = "text",
        also: AlsoInTurn | None = None,
    ) -> Outcome | None:
        """Run `work` for `user_id` and commit everything it changed in one transaction;
        None when `update_id` was applied before (a redelivery), with nothing changed."""
        async with self.engine.begin() as connection:
            await self._lock(connection, user_id)
            if update_id is not None and not await self._first_time(
                connection, update_id, user_id, now
            ):
                return None
            loaded = await self._load(connection, user_id)
            if loaded is None:  # the records' foreign keys need the user's row first
                await connection.execute(
                    insert(users).values(
                        id=user_id, session="{}", version=0, blocked=False, updated_at=now
                    )
                )
            session, outcome = await connection.run_sync(
                _run, work, loaded.session if loaded else None, user_id
            )
            await self._write(connection, session, loaded, now)
            await self._record_steps(connection, user_id, outcome.steps, input_kind, now)
            await apply_records(connection, user_id, outcome.records)
            if also is not None:
                await also(connection, outcome)
        return outcome

    async def save(self, session: Session, records: Iterable[Any] = ()) -> None:
        """Commit `session` as it is, with records (set-up for tests, benchmarks, tools)."""
        stored = await self.load(session.user_id)
        session.version = stored.version if stored else 0

        def keep(_loaded: Session | None, _records: SqlJournal) -> tuple[Session, Outcome]:
            return session, Outcome(Reply(), list(records))

        await self.turn(session.user_id, keep, now=datetime.now(UTC))

    async def load(self, user_id: int) -> Session | None:
        """The user's session with profile as committed (for tests, `chat` and the journal)."""
        async with self.engine.connect() as connection:
            loaded = await self._load(connection, user_id)
        return loaded.session if loaded else None

    async def _lock(self, connection: AsyncConnection, user_id: int) -> None:
        if connection.dialect.name == "postgresql":
            # Released at commit or rollback, so a crashed turn never leaves the user locked.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": user_id})

    async def _first_time(
        self, connection: AsyncConnection, update_id: int, user_id: int, now: datetime
    ) -> bool:
        """Note `update_id` as applied; False if it was already (Telegram redelivers updates
        that were handled but not yet confirmed when a bot stopped)."""
        claimed = await connection.scalar(
            self._insert(processed_updates)
            .values(update_id=update_id, user_id=user_id, at=to_db(now))
            .on_conflict_do_nothing()
            .returning(processed_updates.c.update_id)
        )
        return claimed is not None

    async def _load(self, connection: AsyncConnection, user_id: int) -> _Loaded | None:
        row = (
            await connection.execute(
                select(
                    users.c.session,
                    users.c.version,
                    profiles.c.name,
                    profiles.c.business,
                    profiles.c.goals,
                    profiles.c.reminders_off,
                )
                .outerjoin(profiles, profiles.c.user_id == users.c.id)
                .where(users.c.id == user_id)
            )
        ).first()
        if row is None or row.session == "{}":  # "{}": a row made for a turn that failed
            return None
        session = Session.from_json(row.session)
        session.version = row.version
        stored_profile = None
        if row.goals is not None:
            session.profile = Profile(
                name=row.name,
                business=row.business,
                goals=json.loads(row.goals),
                reminders_off=json.loads(row.reminders_off),
            )
            stored_profile = session.profile.model_dump_json()
        return _Loaded(session, stored_profile)

    async def _write(
        self,
        connection: AsyncConnection,
        session: Session,
        loaded: _Loaded | None,
        now: datetime,
    ) -> None:
        expected = session.version
        result = await connection.execute(
            update(users)
            .where(users.c.id == session.user_id, users.c.version == expected)
            .values(
                session=session.to_json(), version=expected + 1, blocked=False, updated_at=now
            )
        )
        if result.rowcount != 1:
            raise SessionConflict(f"session of user {session.user_id} changed under its lock")
        session.version = expected + 1
        profile = session.profile.model_dump_json()
        before = loaded.profile if loaded else None
        if profile != (before or EMPTY_PROFILE):
            values = {
                "name": session.profile.name,
                "business": session.profile.business,
                "goals": json.dumps(session.profile.goals),
                "reminders_off": json.dumps(session.profile.reminders_off),
            }
            statement = self._insert(profiles).values(user_id=session.user_id, **values)
            await connection.execute(
                statement.on_conflict_do_update(index_elements=[profiles.c.user_id], set_=values)
            )

    async def _record_steps(
        self,
        connection: AsyncConnection,
        user_id: int,
        steps: list[Step],
        input_kind: str,
        now: datetime,
    ) -> None:
        """Which steps the turn entered, for the coaches' analytics: never what was typed."""
        if steps:
            at = to_db(now)
            await connection.execute(
                insert(step_history),
                [
                    {
                        "user_id": user_id,
                        "dialog": dialog,
                        "state": state,
                        "input_kind": input_kind,
                        "choice": choice,
                        "at": at,
                    }
                    for dialog, state, choice in steps
                ],
            )

    async def mark_unseen(self, user_id: int) -> None:
        """The last reply never reached the user: flag their session (`Session.unseen`). An
        update of the row the turn committed, never an insert, so a user whom that very turn
        erased stays erased."""
        async with self.engine.begin() as connection:
            await self._lock(connection, user_id)
            loaded = await self._load(connection, user_id)
            if loaded is None:
                return
            loaded.session.unseen = True
            await connection.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(session=loaded.session.to_json(), version=users.c.version + 1)
            )

    async def mark_blocked(self, user_id: int) -> None:
        """The user blocked the bot: remember it, and drop their unsent reminders so none pile
        up; writing to the bot again unblocks (the next turn clears the flag)."""
        async with self.engine.begin() as connection:
            await connection.execute(
                update(users).where(users.c.id == user_id).values(blocked=True)
            )
            await connection.execute(
                delete(reminders).where(
                    reminders.c.user_id == user_id, reminders.c.sent_at.is_(None)
                )
            )

    async def is_blocked(self, user_id: int) -> bool:
        async with self.engine.connect() as connection:
            value = await connection.scalar(select(users.c.blocked).where(users.c.id == user_id))
        return bool(value)

    async def prune(self, now: datetime, step_history_days: int) -> None:
        """Forget step history older than its retention period, and processed update ids once
        Telegram can no longer redeliver them (it keeps updates for 24 hours)."""
        async with self.engine.begin() as connection:
            await connection.execute(
                delete(step_history).where(
                    step_history.c.at < to_db(now - timedelta(days=step_history_days))
                )
            )
            await connection.execute(
                delete(processed_updates).where(
                    processed_updates.c.at < to_db(now - timedelta(days=2))
                )
            )


def _run(
    connection: Connection, work: TurnWork, session: Session | None, user_id: int
) -> tuple[Session, Outcome]:
    return work(session, SqlJournal(connection, user_id))

