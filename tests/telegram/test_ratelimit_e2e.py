"""The rate limiter on a real `ExtBot`, over HTTP, against the fake Bot API that refuses what
Telegram would (bench/flood_api.py): a rush of messages to many chats, with one 429 the limits
did not call for, arrives whole, within what the limit allows, and earns no second 429."""

from __future__ import annotations

import asyncio

import pytest
from telegram.ext import ExtBot

from bench.flood_api import OVERALL_PER_SECOND, FloodLimitedBotApi
from bot.telegram.ratelimit import Priority, SendLimiter, sending_as


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_a_rush_with_one_injected_429_arrives_whole_with_no_second_429() -> None:
    count, retry_after = 90, 1
    async with FloodLimitedBotApi() as fake:
        for chat in range(count):
            fake.user(1000 + chat)
        bot = ExtBot(fake.token, base_url=fake.base_url, rate_limiter=SendLimiter())
        async with bot:

            async def flood_midway() -> None:
                while len(fake.deliveries) < count // 2:  # noqa: ASYNC110
                    await asyncio.sleep(0.005)
                fake.flood_once(retry_after)

            async def remind(chat: int) -> None:
                with sending_as(Priority.REMINDER):
                    await bot.send_message(1000 + chat, "reminder")

            flooding = asyncio.ensure_future(flood_midway())
            await asyncio.gather(*(remind(chat) for chat in range(count)))
            await flooding
        arrivals = sorted(d.at for d in fake.deliveries)
        assert len(arrivals) == count and fake.unretried_429s() == 0
        assert fake.injected == 1 and fake.refused == 0  # within the limits, before and after
        took = arrivals[-1] - arrivals[0]
        assert took <= 1.1 * (count / OVERALL_PER_SECOND + retry_after) + 0.3
        # The budget was used: the first 30 went together, not spread over the first second.
        assert arrivals[29] - arrivals[0] < 0.9
