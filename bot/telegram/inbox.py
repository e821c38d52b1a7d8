"""Telegram updates taken only when they can be kept, and applied per user in update id order on
whichever instance they land.

Once Telegram has been told an update arrived (a webhook call answered 200, a polling offset
confirmed) it never sends it again. So an update is first kept in the database (`keep`): only
then does the webhook answer 200 (while the database is away it answers 503, and Telegram tries
again later), and only then does the polling loop confirm its offset. Then the update is applied:
one task per user works through that user's kept updates, oldest first, each through
python-telegram-bot's handlers (`Application.process_update`), whose turn marks it applied in
its own transaction.

Order across instances. Telegram pushes webhook calls concurrently: a user's tap may reach one
instance while the message typed right after it reaches another. So before applying an update
the inbox makes sure nothing earlier of this user can still be on its way:
- an earlier update of the user that another instance kept is waited for until that instance
  applied it (or took longer than ORPHANED: then it has died, and this one applies it);
- an update id just below this one that is not kept anywhere yet (Telegram numbers updates one
  after another, for all users together) may be this user's, still in flight: it is waited for,
  at most `settle` seconds (webhook mode; long polling delivers in order and needs none).

A turn that fails for a reason a retry can fix (the database went away) leaves its update kept
and unapplied: it is applied again after a pause, with no apology, since nothing was lost. An
update left by an instance that died is taken over by another instance's sweep.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot import metrics
from bot.pause import pause as pause_for
from bot.store import inbox
from bot.store.executor import Database

log = logging.getLogger(__name__)

ORPHANED = timedelta(seconds=10)  # an update kept this long and not applied: its keeper died
SWEEP_SECONDS = 2.0
SWEEP_USERS = 200
APPLYING_AT_ONCE = 256  # users whose updates are applied at the same time
CHECK_EVERY = 0.02  # seconds between looks while an earlier update is on its way
MAX_PAUSE = 30.0  # seconds at most between tries of an update whose turn failed


def ordering_key(update: object) -> int | None:
    """Whose updates must not overtake each other: the user's (or the chat's)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


def wall_clock() -> datetime:
    return datetime.now(UTC)


class UpdateInbox:
    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        database: Database,
        *,
        settle: float = 0.0,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        self.application = application
        self.database = database
        self.settle = settle
        self.clock = clock  # real time: Telegram's redeliveries and a dead keeper are real
        self.keeper = uuid.uuid4().hex  # this instance, in the updates it kept
        # What the handlers tell of each update they got from here: its turn settled it (applied
        # it, or found it applied before), or failed for a reason a retry fixes. An update that
        # is neither (a group's message, a kind of update nobody handles, a handler's bug that
        # got an apology) is marked applied here, so it is not tried for ever.
        self.settled: set[int] = set()
        self.deferred: set[int] = set()
        self._draining: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()  # users whose drain must look once more before it ends
        self._slots = asyncio.Semaphore(APPLYING_AT_ONCE)
        self._stopping = asyncio.Event()

    @property
    def busy(self) -> bool:
        """Updates of some user are being applied (or waited for) in this process."""
        return bool(self._draining)

    async def keep(self, updates: Sequence[Update]) -> None:
        """Keep `updates` durably, then start applying them. Raises when the database cannot
        keep them: the caller must not tell Telegram they arrived."""
        rows: list[inbox.Kept] = [
            (update.update_id, ordering_key(update) or 0, update.to_dict()) for update in updates
        ]
        new = await self.database.run(
            partial(inbox.keep, updates=rows, kept_by=self.keeper, now=self.clock()), write=True
        )
        if new < len(rows):
            metrics.UPDATES_REDELIVERED.inc(len(rows) - new)
        for user_id in dict.fromkeys(row[1] for row in rows):
            self.wake(user_id)

    def wake(self, user_id: int) -> None:
        """Apply the user's kept updates (a drain already under way looks once more)."""
        if self._stopping.is_set():
            return
        if user_id in self._draining:
            self._again.add(user_id)
            return
        self._draining[user_id] = asyncio.create_task(self._drain(user_id))

    async def _drain(self, user_id: int) -> None:
        try:
            await self._drain_in_turn(user_id)
        finally:  # no await between the last look and this: a wake-up after it starts anew
            if self._draining.get(user_id) is asyncio.current_task():
                del self._draining[user_id]

    async def _drain_in_turn(self, user_id: int) -> None:
        async with self._slots:
            failures = 0
            while not self._stopping.is_set():
                self._again.discard(user_id)
                try:
                    waiting = await self.database.run(
                        partial(inbox.waiting_of, user_id=user_id)
                    )
                except Exception:
                    log.warning("kept updates of user %s could not be read", user_id)
                    return  # the sweep comes back to them
                if not waiting:
                    if user_id in self._again:
                        continue
                    return
                for kept in waiting:
                    if self._stopping.is_set() or not await self._turn_of(kept):
                        break  # something earlier arrived meanwhile: read again
                    if not await self._apply(kept):
                        failures += 1
                        await self._pause(failures)
                        break
                    failures = 0

    async def _apply(self, kept: inbox.Waiting) -> bool:
        """Run the update through the handlers; False if it must be tried again later."""
        update_id = kept.update_id
        try:
            await self.application.process_update(
                Update.de_json(kept.payload, self.application.bot)
            )
        except Exception:  # python-telegram-bot reports handler errors itself: this is ours
            log.exception("update %s could not be processed", update_id)
            self.deferred.add(update_id)
        if update_id in self.deferred:
            self.deferred.discard(update_id)
            return False
        if update_id in self.settled:
            self.settled.discard(update_id)
            return True
        try:
            await self.database.run(
                partial(inbox.first_application, update_id=update_id, user_id=kept.user_id,
                        now=self.clock()),
                write=True,
            )  # fmt: skip
        except Exception:
            return False
        return True

    async def _turn_of(self, kept: inbox.Waiting) -> bool:
        """Wait until nothing of this user's from before `kept` can still be on its way; False
        when the user's kept updates must be read again first."""
        if kept.kept_by not in (None, self.keeper):  # another instance is applying it
            while self.clock() - kept.received_at < ORPHANED and not self._stopping.is_set():
                first = await self._run(partial(inbox.first_waiting, user_id=kept.user_id))
                if first != kept.update_id:
                    return False  # done there, or an earlier one arrived: read again
                await asyncio.sleep(CHECK_EVERY)
            return True  # that instance has died meanwhile: it is ours now
        if self.settle <= 0:
            return True
        if self.clock() - kept.received_at < ORPHANED and not await self._gap_closed(kept):
            log.info("update %s is applied with an earlier update id still missing", kept.update_id)
        # Kept meanwhile, here or elsewhere, after this user's updates were read: that first.
        return not await self._run(
            partial(inbox.earlier_waiting, user_id=kept.user_id, update_id=kept.update_id),
            failed=False,
        )

    async def _gap_closed(self, kept: inbox.Waiting) -> bool:
        """Wait (at most `settle` seconds) until every update id just below this one has
        arrived; False if one never did (an update of no user's, a lost one)."""
        deadline = time.monotonic() + self.settle
        while not await self._run(partial(inbox.nothing_missing_before, update_id=kept.update_id)):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(CHECK_EVERY)
        return True

    async def _run(self, fn: Callable[..., Any], failed: Any = True) -> Any:
        """A read for the order checks; `failed` when the database is away (the turn that
        follows will fail and be tried again: no order check to be had meanwhile)."""
        try:
            return await self.database.run(fn)
        except Exception as error:
            log.info("an order check could not read the database (%s)", type(error).__name__)
            return failed

    async def _pause(self, failures: int) -> None:
        seconds = min(0.5 * 2 ** (failures - 1), MAX_PAUSE)
        log.info("an update of a failed turn is tried again in %.1f s", seconds)
        await pause_for(seconds, self._stopping)

    async def sweep(self) -> None:
        """Apply what nobody has applied for a while: kept by an instance that died, or left
        by a drain that stopped (the database went away while reading)."""
        users = await self.database.run(
            partial(inbox.users_waiting, received_before=self.clock() - ORPHANED / 2,
                    limit=SWEEP_USERS)
        )  # fmt: skip
        for user_id in users:
            self.wake(user_id)

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep every SWEEP_SECONDS until `stop`."""
        if self.database.dialect_name == "sqlite":  # one process: every other keeper is dead
            await self.database.run(inbox.forget_keepers, write=True)
        while not stop.is_set():
            try:
                await self.sweep()
            except Exception:
                log.warning("the inbox sweep could not read the database; trying again")
            await pause_for(SWEEP_SECONDS, stop)

    async def stop(self) -> None:
        """Take no more; let every update being applied finish (a drain between updates, or
        waiting to try one again, ends: what it left is kept for the next start or instance)."""
        self._stopping.set()
        await asyncio.gather(*self._draining.values(), return_exceptions=True)
