"""Sending reminders that have come due, for either adapter.

The runner claims due reminders in batches (each claimed by exactly one instance, see
store/reminders.py) and keeps going until nothing is due. A reminder claimed for the first time
becomes an engine input (`Due`): the user's session moves into the planned dialog exactly as if
they had asked for it, and the rendered reply is stored with the reminder in the same commit; a
retry sends that stored reply again. Only a delivered reminder is marked sent.

Pacing: reminders go out at most `rate` per second, a little under Telegram's ~30 messages per
second for a bot, and make way for replies to users: a nervous user waiting for a line in a room
comes before a cheat sheet for next week.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from aiolimiter import AsyncLimiter
from sqlalchemy import Connection

from bot import metrics
from bot.engine.io import Due, Reply
from bot.engine.turn import Outcome
from bot.service import ConversationService
from bot.store.reminders import DueReminder, ReminderStore

log = logging.getLogger(__name__)

Deliverer = Callable[[int], Callable[[Reply], Awaitable[None]]]  # user id → deliver function

BATCH = 100
CONCURRENCY = 10  # reminders being sent at once; more would only queue at the rate limit
YIELD_TO_REPLIES = 0.25  # seconds a reminder waits at most while replies to users are going out


class ReminderRunner:
    def __init__(
        self, service: ConversationService, store: ReminderStore, *, rate: float = 28.0
    ) -> None:
        self.service = service
        self.store = store
        self._pace = AsyncLimiter(max_rate=rate, time_period=1.0)
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self._running = asyncio.Lock()

    async def run_due(self, deliver_to: Deliverer, *, user_id: int | None = None) -> int:
        """Send everything that is due now (for one user, or all); returns how many were sent.
        A run already under way (a slow burst outlasting the poll interval) is not doubled."""
        if self._running.locked():
            return 0
        async with self._running:
            sent = 0
            while batch := await self.store.claim(self.service.clock(), BATCH, user_id):
                results = await asyncio.gather(*(self._send(r, deliver_to) for r in batch))
                sent += sum(results)
            return sent

    async def _send(self, reminder: DueReminder, deliver_to: Deliverer) -> bool:
        async with self._slots:
            await self._make_way_for_replies()
            async with self._pace:
                deliver = deliver_to(reminder.user_id)
                try:
                    if reminder.message is None:
                        keep = partial(self._keep_message, reminder)
                        due = Due(reminder.dialog, reminder.answers)
                        await self.service.handle(reminder.user_id, due, deliver=deliver, also=keep)
                    else:
                        await self.service.deliver_again(
                            reminder.user_id, reminder.message, deliver
                        )
                except Exception:
                    log.exception("reminder %s (%s) could not be sent", reminder.id, reminder.key)
                    metrics.REMINDERS_FAILED.inc()
                    await self.store.mark_failed(reminder, self.service.clock())
                    return False
        await self.store.mark_sent(reminder, self.service.clock())
        metrics.REMINDERS_SENT.inc()
        return True

    def _keep_message(
        self, reminder: DueReminder, connection: Connection, outcome: Outcome
    ) -> None:
        self.store.store_message(connection, reminder, outcome.reply)

    async def _make_way_for_replies(self) -> None:
        waited = 0.0
        while self.service.replies_in_flight and waited < YIELD_TO_REPLIES:
            await asyncio.sleep(0.02)
            waited += 0.02
