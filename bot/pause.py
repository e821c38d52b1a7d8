"""Sleeping in the bot's own loops (outbox sweep, reminder runner, inbox): a pause that ends
early when one of the events it names is set (woken for new work, or told to stop)."""

from __future__ import annotations

import asyncio


async def pause(seconds: float, *events: asyncio.Event) -> None:
    """Sleep `seconds`, or less if one of `events` is (or becomes) set."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=max(seconds, 0.0), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
