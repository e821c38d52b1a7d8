"""What both adapters do with one user input: lock, load, run the engine, commit, reply.

Updates of one user run strictly one after another (a lock per user: transitions' AsyncMachine
would cancel a running transition, and answers must not overtake each other); different users
run concurrently. The session is committed before anything is sent, so a crash after the commit
at worst repeats a message and never loses an answered step.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.engine.conversation import Engine
from bot.engine.io import Reply, UserInput
from bot.engine.session import Session
from bot.store.sessions import SessionConflict, SessionStore

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 3


class ConversationService:
    def __init__(
        self,
        engine: Engine,
        store: SessionStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.store = store
        self.clock = clock
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock

    async def handle(
        self,
        user_id: int,
        user_input: UserInput,
        language_code: str | None = None,
        deliver: Callable[[Reply], Awaitable[None]] | None = None,
        update_id: int | None = None,
    ) -> Reply | None:
        """Run one input for `user_id`, commit, then `deliver` the reply, all under the user's
        lock so replies to consecutive inputs never interleave. Returns the reply, or None for
        an update that was applied before (a redelivery)."""
        lock = self._lock(user_id)  # a strong reference keeps it alive while we wait
        async with lock:
            for _attempt in range(MAX_CONFLICT_RETRIES):
                session = await self.store.load(user_id) or self.engine.new_session(
                    user_id, language_code
                )
                if _already_applied(session, update_id):
                    # Telegram redelivers updates that were handled but not yet confirmed when
                    # the bot stopped; applying one twice would answer a question twice.
                    log.info("update %s of user %s was applied before; skipped", update_id, user_id)
                    return None
                session.last_update_id = update_id or session.last_update_id
                try:
                    outcome = self.engine.handle(session, user_input, self.clock())
                except Exception:
                    # Logged with the context notes the engine attached; the session is not
                    # saved, so the user's last answered step stays as it was.
                    log.exception(
                        "%s input of user %s failed", type(user_input).__name__, user_id
                    )
                    reply = self.engine.error_reply(session.language)
                    if deliver is not None:
                        await deliver(reply)
                    return reply
                try:
                    await self.store.save(session, outcome.records)
                except SessionConflict:
                    log.info("session of user %s changed by another instance; replaying", user_id)
                    continue
                if deliver is not None:
                    await deliver(outcome.reply)
                return outcome.reply
            raise SessionConflict(f"user {user_id}: gave up after {MAX_CONFLICT_RETRIES} conflicts")

    async def session(self, user_id: int) -> Session | None:
        return await self.store.load(user_id)


def _already_applied(session: Session, update_id: int | None) -> bool:
    last = session.last_update_id
    return update_id is not None and last is not None and update_id <= last
