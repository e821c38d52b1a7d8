"""The bot's own loops beside python-telegram-bot's: the outbox sweep, the reminder runner, the
inbox, the instances' presence and the hourly housekeeping.

Started when the application is initialised, stopped after it stopped taking updates (so the
replies of the updates in hand are sent first), before the database is closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.pause import pause

log = logging.getLogger(__name__)

Loop = Callable[[asyncio.Event], Awaitable[None]]  # runs until the event is set


def every(seconds: float, work: Callable[[], Awaitable[None]], *, first: float) -> Loop:
    """A loop that does `work` `first` seconds after it starts and then every `seconds`, until
    told to stop. A failure is logged and the next round comes as planned.

    Why not python-telegram-bot's JobQueue: one hourly job does not warrant APScheduler, which
    an idle bot would carry in memory (about 1 MB) only for it."""

    async def loop(stop: asyncio.Event) -> None:
        await pause(first, stop)
        while not stop.is_set():
            try:
                await work()
            except Exception as error:
                log.warning("%s failed (%s); it runs again in %.0f s",
                            getattr(work, "__name__", "a periodic task"),
                            type(error).__name__, seconds)  # fmt: skip
            await pause(seconds, stop)

    return loop


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
