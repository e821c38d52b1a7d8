"""What both adapters do with one user input: run the turn in one transaction, then reply.

A user's updates run strictly one after another: across instances the store's per-user lock
orders the turns; in this process a per-user asyncio lock also keeps two of one user's turns from
racing for the store. Different users run concurrently.

Telegram replies go through the outbox (bot/outbox.py): the turn commits its rendered reply
with everything else it changed, and only then is it sent, so a crash, a restart or flood
control between the commit and the send loses nothing. The terminal (`exit-coach chat`) and
the tests show the returned reply themselves: nothing can fail between them and the screen.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import Connection

from bot import metrics
from bot.engine.conversation import Engine
from bot.engine.errors import ExitCoachError
from bot.engine.io import Due, Reply, UserInput
from bot.engine.session import Session
from bot.engine.turn import Outcome
from bot.outbox import Kind, OutboxSender
from bot.store import inbox, outbox
from bot.store.executor import is_transient
from bot.store.journal.sql_journal import SqlJournal
from bot.store.sessions import SessionStore
from bot.store.turns import AlsoInTurn

log = logging.getLogger(__name__)


def input_kind(user_input: UserInput) -> str:
    """What kind of input it was (command, text, tap…): what the logs and analytics may know."""
    return type(user_input).__name__.lower()


class TurnDeferred(ExitCoachError):
    """The turn failed for a reason a retry can fix (the database went away): nothing was
    committed and nobody is told; the update is applied again later (bot/telegram/inbox.py)."""


@dataclass(frozen=True)
class ToOutbox:
    """The turn's reply is committed into the outbox with the turn, to be sent afterwards."""

    kind: Kind = Kind.REPLY
    tapped_message_id: int | None = None  # the message whose button was tapped (to edit it)


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
        self.sender: OutboxSender | None = None  # set by an adapter that sends through the outbox
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._claimed: dict[int, list[outbox.OutboxRow]] = {}  # committed, for `deliver`
        # Called with each committed turn's outcome (transcript coverage watches the moves;
        # the reminder runner wakes for a reminder planned sooner than it knew).
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
        *,
        update_id: int | None = None,
        to_outbox: ToOutbox | None = None,
        also: AlsoInTurn | None = None,
    ) -> Reply | None:
        """Run one input for `user_id` and commit it; returns the reply, or None for an update
        that was applied before (a redelivery). With `to_outbox` the reply is committed into the
        outbox with the turn: `deliver` sends it. `also` writes more in the turn's transaction
        (a reminder marks itself done).

        A turn that fails is rolled back, so the last answered step stands. A reminder's
        failure is raised for its runner to try again later. A Telegram update (`to_outbox`)
        that failed for a reason a retry can fix raises `TurnDeferred`: it is kept and applied
        again, with no apology, since nothing was lost. Otherwise the user gets a kind apology
        (and the update counts as applied: the same input would fail the same way)."""
        kind = input_kind(user_input)
        language = [language_code]  # the session's language, once loaded: for an error reply

        def work(session: Session | None, records: SqlJournal) -> tuple[Session, Outcome]:
            session = session or self.engine.new_session(user_id, language_code)
            language[0] = session.language
            return session, self.engine.handle(session, user_input, now, records)

        claimed: list[outbox.OutboxRow] = []  # what the turn claimed for `deliver` to send

        def keep(connection: Connection, outcome: Outcome) -> None:
            assert to_outbox is not None
            claimed[:] = outbox.enqueue(
                connection, user_id, outcome.reply.messages, kind=to_outbox.kind, now=now,
                tapped_message_id=to_outbox.tapped_message_id,
                claim=self.sender.turn_claim() if self.sender is not None else None,
            )  # fmt: skip
            if also is not None:
                also(connection, outcome)

        lock = self._lock(user_id)  # a strong reference keeps it alive while we wait
        started = time.perf_counter()
        async with lock:
            now = self.clock()
            try:
                outcome = await self.store.turn(
                    user_id, work, now=now, update_id=update_id, input_kind=kind,
                    also=keep if to_outbox is not None else also,
                )  # fmt: skip
            except Exception as error:
                if isinstance(user_input, Due):
                    raise  # never an apology for a message the user did not ask for
                if to_outbox is not None and is_transient(error):
                    log.warning("%s input of user %s deferred: %s", kind, user_id,
                                type(error).__name__)  # fmt: skip
                    _count(kind, "deferred")
                    raise TurnDeferred(f"update {update_id} of user {user_id}") from error
                # Logged with the context notes the engine attached (ids, dialog, state; never
                # the text); the transaction rolled back, so the last answered step stands.
                log.exception("%s input of user %s failed", kind, user_id)
                _count(kind, "failed")
                reply = self.engine.error_reply(language[0])
                if to_outbox is not None:
                    await self._apologise(user_id, reply, update_id, now)
                return reply
            metrics.TURN_SECONDS.labels(kind).observe(time.perf_counter() - started)
            if outcome is None:
                log.info("update %s of user %s was applied before; skipped", update_id, user_id)
                _count(kind, "duplicate")
                return None
            if claimed:
                self._claimed.setdefault(user_id, []).extend(claimed)
            for observe in self.observers:
                observe(outcome)
            await self._make_files(user_id, outcome.reply, in_outbox=to_outbox is not None)
            _count(kind, "ok")
            return outcome.reply

    async def deliver(self, user_id: int) -> None:
        """Send what the outbox holds for the user (their reply just committed, and anything
        older still waiting), in order. Never raises: what cannot go now (the database went
        away after the commit) stays in the outbox for the sender's sweep."""
        if self.sender is None:
            return
        try:
            await self.sender.deliver_user(user_id, self._claimed.pop(user_id, None))
        except Exception:
            log.warning("delivery to user %s left to the sweep", user_id, exc_info=True)
            self.sender.wake()

    async def _apologise(
        self, user_id: int, reply: Reply, update_id: int | None, now: datetime
    ) -> None:
        """The apology into the outbox, and the update marked applied, in one commit."""

        def apologise(connection: Connection) -> None:
            outbox.enqueue(connection, user_id, reply.messages, kind=Kind.NOTICE, now=now)
            if update_id is not None:
                inbox.first_application(connection, update_id, user_id, now)

        try:
            await self.store.database.run(apologise, write=True)
        except Exception:  # the database is what failed: the log has it already
            log.warning("could not keep the apology for user %s", user_id)

    async def _make_files(self, user_id: int, reply: Reply, *, in_outbox: bool) -> None:
        """Make deferred files (the journal chart) in a worker thread, so drawing never blocks
        the other users' turns; a file that comes out empty is not sent. In the outbox the
        message waits for its file (bot/store/outbox.py, `attach_file`)."""
        for message in list(reply.messages):
            if message.make_file is not None:
                message.file = await asyncio.to_thread(message.make_file)
                message.make_file = None
                if in_outbox:
                    await self.store.database.run(
                        partial(outbox.attach_file, user_id=user_id, file=message.file),
                        write=True,
                    )
                if message.file is None:
                    reply.messages.remove(message)

    async def session(self, user_id: int) -> Session | None:
        return await self.store.load(user_id)


def _count(kind: str, outcome: str) -> None:
    """An update's outcome, for the metrics; a reminder (`due`) is not an update and is
    counted by the reminder runner."""
    if kind != "due":
        metrics.UPDATES.labels(kind, outcome).inc()
