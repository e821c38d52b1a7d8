"""Sending reminders that have come due, for either adapter.

Each due reminder becomes an engine input (`Due`): the user's session moves into the planned
dialog exactly as if they had asked for it, is committed, the reply is delivered, and only then
is the reminder marked sent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.engine.io import Due, Reply
from bot.service import ConversationService
from bot.store.reminders import ReminderStore

log = logging.getLogger(__name__)

Deliverer = Callable[[int], Callable[[Reply], Awaitable[None]]]  # user id → deliver function


class ReminderRunner:
    def __init__(self, service: ConversationService, store: ReminderStore) -> None:
        self.service = service
        self.store = store

    async def run_due(
        self, deliver_to: Deliverer, *, user_id: int | None = None, limit: int = 50
    ) -> int:
        """Send what is due now (for one user, or all); returns how many were sent."""
        now = self.service.clock()
        sent = 0
        for reminder in await self.store.due(now, limit=limit, user_id=user_id):
            try:
                await self.service.handle(
                    reminder.user_id,
                    Due(reminder.dialog, reminder.answers),
                    deliver=deliver_to(reminder.user_id),
                )
            except Exception:
                log.exception("reminder %s (%s) could not be sent", reminder.id, reminder.key)
                await self.store.mark_failed(reminder.id, now)
                continue
            await self.store.mark_sent(reminder, now)
            sent += 1
        return sent
