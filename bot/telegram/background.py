"""The bot's own loops beside python-telegram-bot's: the outbox sweep, the reminder runner, the
inbox, the instances' presence and the hourly housekeeping.

Started when the application is initialised, stopped after it stopped taking updates (so the
replies of the updates in hand are sent first), before the database is closed.
"""

from __future__ import annotations

import asyncio
import logging

from bot.pause import Loop

log = logging.getLogger(__name__)


class Background:
    def __init__(self) -> None:
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, *loops: Loop) -> None:
        self._stop.clear()
        for loop in loops:
            self._tasks.append(asyncio.create_task(self._guarded(loop)))

    async def _guarded(self, loop: Loop) -> None:
        try:
            await loop(self._stop)
        except Exception:  # each loop handles its own failures; this is a bug
            log.exception("a background loop ended with an error")

    async def stop(self) -> None:
        self._stop.set()
        tasks, self._tasks = self._tasks, []
        await asyncio.gather(*tasks, return_exceptions=True)
