"""One turn in one transaction: lock the user, recognise a redelivered update, load the session
and profile, let the engine work on the user's records, write it all, commit.

Nothing of a user's data is remembered between turns: every turn reads what it needs inside its
own transaction, so no process keeps a copy that another instance could make stale (and erased
data cannot come back from a cache). The lock makes one user's turns run one at a time across
instances: a transaction-level advisory lock on PostgreSQL; on SQLite (one process) the write
lock BEGIN IMMEDIATE takes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, select, update

from bot.engine.io import Reply
from bot.engine.session import Session
from bot.engine.turn import Outcome
from bot.store import inbox
from bot.store.journal.sql_journal import SqlJournal
from bot.store.reminders import to_db
from bot.store.schema import reminders, step_history, users
from bot.store.turns import AlsoInTurn, TurnRequest, TurnWork, flag_unseen, load, run_turn

if TYPE_CHECKING:
    from bot.store.executor import Database


class SessionStore:
    def __init__(self, database: Database) -> None:
        self.database = database

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
        None when `update_id` was applied before (a redelivery), with nothing changed.

        On SQLite the turn joins the writes of other users waiting at the same moment in one
        transaction on the writer's thread; it returns only after that transaction committed
        (bot/store/executor.py)."""
        request = TurnRequest(user_id, work, now, update_id, input_kind, also)
        return await self.database.run(lambda connection: run_turn(connection, request), write=True)

    async def save(self, session: Session, records: Iterable[Any] = ()) -> None:
        """Commit `session` as it is, with records (set-up for tests, benchmarks, tools)."""
        stored = await self.load(session.user_id)
        session.version = stored.version if stored else 0

        def keep(_loaded: Session | None, _records: SqlJournal) -> tuple[Session, Outcome]:
            return session, Outcome(Reply(), list(records))

        await self.turn(session.user_id, keep, now=datetime.now(UTC))

    async def load(self, user_id: int) -> Session | None:
        """The user's session with profile as committed (for tests, `chat` and the journal)."""
        loaded = await self.database.run(lambda connection: load(connection, user_id))
        return loaded.session if loaded else None

    async def mark_unseen(self, user_id: int) -> None:
        """The last reply never reached the user: flag their session (`Session.unseen`). An
        update of the row the turn committed, never an insert, so a user whom that very turn
        erased stays erased."""
        await self.database.run(lambda connection: flag_unseen(connection, user_id), write=True)

    async def mark_seen(self, user_id: int) -> None:
        """A reply that had failed arrived after all: the user's next text is an answer again."""
        await self.database.run(
            lambda connection: flag_unseen(connection, user_id, unseen=False), write=True
        )

    async def mark_blocked(self, user_id: int) -> None:
        """The user blocked the bot: remember it, and drop their unsent reminders so none pile
        up; writing to the bot again unblocks (the next turn clears the flag)."""

        def block(connection: Connection) -> None:
            connection.execute(update(users).where(users.c.id == user_id).values(blocked=True))
            connection.execute(
                delete(reminders).where(
                    reminders.c.user_id == user_id, reminders.c.sent_at.is_(None)
                )
            )

        await self.database.run(block, write=True)

    async def is_blocked(self, user_id: int) -> bool:
        query = select(users.c.blocked).where(users.c.id == user_id)
        return bool(await self.database.run(lambda connection: connection.scalar(query)))

    async def prune(self, now: datetime, step_history_days: int) -> None:
        """Forget step history older than its retention period, and update ids once Telegram
        can no longer deliver them again (it keeps updates for 24 hours)."""

        def prune(connection: Connection) -> None:
            connection.execute(
                delete(step_history).where(
                    step_history.c.at < to_db(now - timedelta(days=step_history_days))
                )
            )
            inbox.prune(connection, now)

        await self.database.run(prune, write=True)
