"""The bot's own periodic loop (the hourly pruning): it runs after its first delay and then
every interval, a failing round is logged and the next comes as planned, and it stops when told."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.pause import every
from bot.telegram.background import Background


async def test_a_periodic_task_runs_on_time_survives_a_failure_and_stops(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds: list[float] = []
    fourth = asyncio.Event()
    loop = asyncio.get_running_loop()
    began = loop.time()

    async def prune() -> None:
        rounds.append(loop.time() - began)
        if len(rounds) == 4:
            fourth.set()
        if len(rounds) == 2:
            raise ConnectionError("the database blinked")

    background = Background()
    background.start(every(0.05, prune, first=0.1))
    await asyncio.sleep(0.02)
    assert rounds == []  # not before its first delay
    await asyncio.wait_for(fourth.wait(), timeout=5)
    await background.stop()
    done = len(rounds)
    await asyncio.sleep(0.15)

    assert rounds[0] >= 0.1
    assert len(rounds) == done  # nothing after stop
    assert [r.levelno for r in caplog.records if "prune failed" in r.getMessage()] == [
        logging.WARNING
    ]
    assert "ConnectionError" in caplog.text and "runs again in 0 s" in caplog.text


async def test_stopping_during_the_first_delay_runs_nothing() -> None:
    ran: list[int] = []

    async def prune() -> None:
        ran.append(1)

    background = Background()
    background.start(every(3600, prune, first=60))
    await asyncio.sleep(0)
    await asyncio.wait_for(background.stop(), timeout=1)
    assert ran == []
