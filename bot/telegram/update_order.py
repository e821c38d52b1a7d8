"""Updates of one user in order, without one user holding the slots that others need.

python-telegram-bot processes updates concurrently up to a number of slots. With a lock per user
inside the handler, a user who sends a burst (taps five buttons in a row, a redelivered backlog)
would fill slots with updates that only wait for that lock, and everybody else would wait for a
slot. Here a user's later updates queue behind the one that is running and give their slot back
at once; the running one works through the queue, in order, holding a single slot.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)


def ordering_key(update: object) -> int | None:
    """Whose updates must not overtake each other: the user's (or the chat's)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """One running update per user at a time, in arrival order; different users concurrently."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._waiting: dict[int, deque[Awaitable[Any]]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        if key is None:
            await coroutine
            return
        waiting = self._waiting.get(key)
        if waiting is not None:  # this user's updates are being worked through: join the line
            waiting.append(coroutine)
            return
        waiting = self._waiting[key] = deque([coroutine])
        try:
            while waiting:
                try:
                    await waiting.popleft()
                except Exception:  # the application reports handler errors itself
                    log.exception("update of user %s failed", key)
        finally:
            del self._waiting[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: a user's line empties with the update that runs it."""
