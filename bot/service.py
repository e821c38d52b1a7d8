"""What both adapters do with one user input: run the turn in one transaction, then reply.

A user's updates run strictly one after another: across instances the store's per-user lock
orders the turns; in this process a per-user asyncio lock also keeps the replies of consecutive
inputs from overtaking each other on the network. Different users run concurrently. Everything
a turn changes is committed before anything is sent, so a crash after the commit at worst loses
a message and never an answered step.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot import metrics
from bot.engine.conversation import Engine
from bot.engine.io import Reply, ReplyNotDelivered, UserInput
from bot.engine.session import Session
from bot.engine.turn import Outcome
from bot.store.journal import SqlJournal
from bot.store.sessions import SessionStore
from bot.store.turns import AlsoInTurn

log = logging.getLogger(__name__)


def input_kind(user_input: UserInput) -> str:
    """What kind of input it was (command, text, tap…): what the logs and analytics may know."""
    return type(user_input).__name__.lower()


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
        self.replies_in_flight = 0  # replies to users being delivered: reminders wait for them
        # Called with each committed turn's outcome (transcript coverage watches the moves).
        self.observers: list[Callable[[Outcome], None]] = []

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
        also: AlsoInTurn | None = None,
    ) -> Reply | None:
        """Run one input for `user_id`, commit, then `deliver` the reply, all under the user's
        lock so replies to consecutive inputs never interleave. Returns the reply, or None for
        an update that was applied before (a redelivery). `also` writes more in the turn's
        transaction (a reminder keeps its rendered reply). Raises `ReplyNotDelivered` (after the
        commit) when `deliver` gave up; the session then remembers the reply was not seen."""
        kind = input_kind(user_input)
        language = [language_code]  # the session's language, once loaded: for an error reply

        def work(session: Session | None, records: SqlJournal) -> tuple[Session, Outcome]:
            session = session or self.engine.new_session(user_id, language_code)
            language[0] = session.language
            return session, self.engine.handle(session, user_input, now, records)

        lock = self._lock(user_id)  # a strong reference keeps it alive while we wait
        started = time.perf_counter()
        async with lock:
            now = self.clock()
            try:
                outcome = await self.store.turn(
                    user_id, work, now=now, update_id=update_id, input_kind=kind, also=also
                )
            except Exception:
                # Logged with the context notes the engine attached (ids, dialog, state; never
                # the text); the transaction rolled back, so the last answered step stands.
                log.exception("%s input of user %s failed", kind, user_id)
                _count(kind, "failed")
                reply = self.engine.error_reply(language[0])
                if deliver is not None:
                    await deliver(reply)
                return reply
            metrics.TURN_SECONDS.labels(kind).observe(time.perf_counter() - started)
            if outcome is None:
                log.info("update %s of user %s was applied before; skipped", update_id, user_id)
                _count(kind, "duplicate")
                return None
            for observe in self.observers:
                observe(outcome)
            await make_files(outcome.reply)
            if deliver is not None:
                try:
                    await self._deliver(deliver, outcome.reply, to_user=kind != "due")
                except ReplyNotDelivered:
                    # Committed, but the reply never arrived: the user's next typed text shows
                    # the step again rather than answering it (see Engine.handle).
                    _count(kind, "undelivered")
                    await self.store.mark_unseen(user_id)
                    raise
            _count(kind, "ok")
            return outcome.reply

    async def deliver_again(
        self, user_id: int, reply: Reply, deliver: Callable[[Reply], Awaitable[None]]
    ) -> None:
        """Send a reply made earlier (a reminder's stored message), in order with the user's
        other replies."""
        async with self._lock(user_id):
            await deliver(reply)

    async def _deliver(
        self, deliver: Callable[[Reply], Awaitable[None]], reply: Reply, *, to_user: bool
    ) -> None:
        """Replies to what a user just did are counted, so that reminders make way for them."""
        if not to_user:
            await deliver(reply)
            return
        self.replies_in_flight += 1
        try:
            await deliver(reply)
        finally:
            self.replies_in_flight -= 1

    async def session(self, user_id: int) -> Session | None:
        return await self.store.load(user_id)


def _count(kind: str, outcome: str) -> None:
    """An update's outcome, for the metrics; a reminder (`due`) is not an update and is
    counted by the reminder runner."""
    if kind != "due":
        metrics.UPDATES.labels(kind, outcome).inc()


async def make_files(reply: Reply) -> None:
    """Make deferred files (the journal chart) in a worker thread, so drawing never blocks the
    other users' turns; a file that comes out empty is not sent."""
    for message in list(reply.messages):
        if message.make_file is not None:
            message.file = await asyncio.to_thread(message.make_file)
            message.make_file = None
            if message.file is None:
                reply.messages.remove(message)
