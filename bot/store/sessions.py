"""Loading and saving a user's session: one write per update, and a read only when this process
has not seen the user's latest session.

The write is an upsert guarded by the session's version, so two bot instances on one PostgreSQL
database can never silently overwrite each other's step; the loser gets `SessionConflict`,
forgets what it remembered, and the service replays the update on the fresh session. What this
process remembers is the JSON it last wrote, never a live object, so nothing outside a committed
transaction can leak into the next update.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.engine.errors import ExitCoachError
from bot.engine.session import Session
from bot.store.records import apply_records
from bot.store.schema import reminders, users


class SessionConflict(ExitCoachError):
    """Someone else saved this user's session since we read it."""


class SessionStore:
    def __init__(self, engine: AsyncEngine, remembered: int = 10_000) -> None:
        self.engine = engine
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._insert = insert
        self._written: OrderedDict[int, tuple[int, str]] = OrderedDict()  # user → (version, JSON)
        self._remembered = remembered

    def _remember(self, session: Session, raw: str) -> None:
        self._written[session.user_id] = (session.version, raw)
        self._written.move_to_end(session.user_id)
        while len(self._written) > self._remembered:
            self._written.popitem(last=False)

    def forget(self, user_id: int) -> None:
        self._written.pop(user_id, None)

    async def load(self, user_id: int) -> Session | None:
        if user_id in self._written:
            version, raw = self._written[user_id]
            self._written.move_to_end(user_id)
            session = Session.from_json(raw)
            session.version = version
            return session
        async with self.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(users.c.session, users.c.version).where(users.c.id == user_id)
                )
            ).first()
        if row is None:
            return None
        session = Session.from_json(row.session)
        session.version = row.version
        return session

    async def save(self, session: Session, records: Iterable[Any] = ()) -> None:
        """Commit `session` and the records its update produced in one transaction."""
        expected = session.version
        session.version = expected + 1
        now = datetime.now(UTC)
        raw = session.to_json()
        values = {"session": raw, "version": session.version, "updated_at": now}
        statement = self._insert(users).values(id=session.user_id, blocked=False, **values)
        statement = statement.on_conflict_do_update(
            index_elements=[users.c.id],
            set_={**values, "blocked": False},
            where=users.c.version == expected,
        )
        async with self.engine.begin() as connection:
            result = await connection.execute(statement)
            if result.rowcount != 1:
                session.version = expected
                self.forget(session.user_id)
                raise SessionConflict(f"session of user {session.user_id} changed meanwhile")
            erased = await apply_records(connection, session.user_id, records)
        if erased:
            self.forget(session.user_id)
        else:
            self._remember(session, raw)

    async def mark_unseen(self, user_id: int) -> None:
        """The last reply never reached the user: flag their session (`Session.unseen`). An
        update, never an insert, so a user whom that very turn erased stays erased; a session
        that changed meanwhile is left alone (its newer reply shows the step anyway)."""
        session = await self.load(user_id)
        if session is None:
            return
        expected, session.unseen = session.version, True
        session.version = expected + 1
        raw = session.to_json()
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(users)
                .where(users.c.id == user_id, users.c.version == expected)
                .values(session=raw, version=session.version)
            )
        if result.rowcount == 1:
            self._remember(session, raw)
        else:
            self.forget(user_id)

    async def mark_blocked(self, user_id: int) -> None:
        """The user blocked the bot: remember it, and drop their unsent reminders so none pile
        up; writing to the bot again unblocks (the next save clears the flag)."""
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
