"""Sleeping in the bot's own loops (outbox sweep, reminder runner, inbox, presence, pruning): a
pause that ends early when one of the events it names is set (woken for new work, or told to
stop), and `every`, the loop of work done at an interval."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Loop = Callable[[asyncio.Event], Awaitable[None]]  # runs until the event is set


async def pause(seconds: float, *events: asyncio.Event) -> None:
    """Sleep `seconds`, or less if one of `events` is (or becomes) set."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=max(seconds, 0.0), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


def every(seconds: float, work: Callable[[], Awaitable[object]], *, first: float) -> Loop:
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
