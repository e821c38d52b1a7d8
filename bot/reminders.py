"""Running reminders that have come due, for either adapter.

The runner claims due reminders in batches (each claimed by exactly one instance, see
store/reminders.py) and keeps going until nothing is due. A claimed reminder becomes an engine
input (`Due`): the user's session moves into the planned dialog exactly as if they had asked
for it. On Telegram the rendered message is committed into the outbox and the reminder marked
done in that same transaction, then sent like any reply (bot/outbox.py), behind the replies to
users; in the terminal it is shown at once. A dialog that fails is logged and tried again later,
never turned into an apology the user did not ask for.

The runner wakes at the next due instant (and when a turn plans a reminder sooner than that),
so a cheat sheet leaves when it falls due rather than up to a polling interval later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial

from sqlalchemy import Connection

from bot import metrics
from bot.engine.domain import PlanReminder
from bot.engine.io import Due, Reply
from bot.engine.turn import Outcome
from bot.outbox import Kind
from bot.pause import pause
from bot.service import ConversationService, ToOutbox
from bot.store.reminders import DueReminder, ReminderStore

log = logging.getLogger(__name__)

Show = Callable[[Reply], Awaitable[None]]  # the terminal (and a transcript) shows it at once

BATCH = 100
RUNNING_AT_ONCE = 20  # reminders whose dialogs run at once; their turns share commits


class ReminderRunner:
    def __init__(
        self,
        service: ConversationService,
        store: ReminderStore,
        *,
        poll: timedelta = timedelta(seconds=30),
    ) -> None:
        """`poll`: how often to look for reminders planned elsewhere (by another instance)
        when nothing is due sooner."""
        self.service = service
        self.store = store
        self.poll = poll
        self._slots = asyncio.Semaphore(RUNNING_AT_ONCE)
        self._running = asyncio.Lock()
        self._wake = asyncio.Event()
        service.observers.append(self._notice_planned)

    def _notice_planned(self, outcome: Outcome) -> None:
        if any(isinstance(record, PlanReminder) for record in outcome.records):
            self._wake.set()

    async def run_due(self, *, user_id: int | None = None, show: Show | None = None) -> int:
        """Run everything that is due now (for one user, or all); returns how many ran.
        `show`: the terminal's way to show a reminder at once; without it (Telegram) each goes
        through the outbox. A run already under way (a burst outlasting a wake-up) is not
        doubled."""
        if self._running.locked():
            return 0
        async with self._running:
            done = 0
            while batch := await self.store.claim(self.service.clock(), BATCH, user_id):
                results = await asyncio.gather(*(self._run(r, show) for r in batch))
                done += sum(results)
            return done

    async def _run(self, reminder: DueReminder, show: Show | None) -> bool:
        async with self._slots:
            due = Due(reminder.dialog, reminder.answers)
            done = partial(self._mark_done, reminder)
            try:
                reply = await self.service.handle(
                    reminder.user_id,
                    due,
                    to_outbox=None if show else ToOutbox(Kind.REMINDER),
                    also=done,
                )
            except Exception:
                log.exception("reminder %s (%s) failed; trying again later", reminder.id,
                              reminder.key)  # fmt: skip
                metrics.REMINDERS_FAILED.inc()
                await self.store.mark_failed(reminder, self.service.clock())
                return False
            metrics.REMINDERS_SENT.inc()
        if show is not None:
            if reply is not None:
                await show(reply)
        else:
            await self.service.deliver(reminder.user_id)
        return True

    def _mark_done(self, reminder: DueReminder, connection: Connection, outcome: Outcome) -> None:
        self.store.mark_rendered(connection, reminder, self.service.clock())

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Run what is due, then sleep until the next reminder falls due (at most `poll`), a
        turn plans one, or `stop`."""
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.run_due()
                wait = await self._until_next_due()
            except Exception:  # the database went away: try again shortly
                log.exception("running due reminders failed")
                wait = min(self.poll.total_seconds(), 5.0)
            await pause(wait, self._wake, stop)

    async def _until_next_due(self) -> float:
        now = self.service.clock()
        due = await self.store.next_due(now)
        if due is None:
            return self.poll.total_seconds()
        return min(max((due - now).total_seconds(), 0.0), self.poll.total_seconds())
