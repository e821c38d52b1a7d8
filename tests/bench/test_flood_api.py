"""The benchmark's flood-limited fake Bot API refuses what Telegram would, and says so."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from bench.flood_api import FloodLimitedBotApi


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns inside RetryAfter without PTB_TIMEDELTA; filterwarnings=error would fail."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_messages_over_the_per_chat_limit_get_429_with_retry_after() -> None:
    async with FloodLimitedBotApi(overall=30, per_chat=3) as fake:
        fake.user(1)
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for n in range(3):
                await bot.send_message(1, f"fine {n}")
            with pytest.raises(RetryAfter) as refused:
                await bot.send_message(1, "one too many")
        assert refused.value.retry_after == timedelta(seconds=1)
        assert [d.text for d in fake.by_chat[1]] == ["fine 0", "fine 1", "fine 2"]
        assert fake.refused == 1 and fake.unretried_429s() == 1


async def test_overall_limit_spans_chats_and_a_retry_counts_as_retried() -> None:
    async with FloodLimitedBotApi(overall=2, per_chat=10, window=0.2) as fake:
        for user in (1, 2, 3):
            fake.user(user)
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            await bot.send_message(1, "a")
            await bot.send_message(2, "b")
            with pytest.raises(RetryAfter):
                await bot.send_message(3, "c")
            await asyncio.sleep(0.25)  # the window has passed
            await bot.send_message(3, "c")  # the same call again, after waiting
        assert fake.unretried_429s() == 0
        assert fake.first_after(3, 0.0) is not None


async def test_an_injected_429_refuses_the_next_message_whatever_the_windows_say() -> None:
    async with FloodLimitedBotApi() as fake:
        fake.user(1)
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            fake.flood_once(2)
            with pytest.raises(RetryAfter) as refused:
                await bot.send_message(1, "refused")
            await bot.send_message(1, "taken")
        assert refused.value.retry_after == timedelta(seconds=2)
        assert fake.injected == 1 and fake.refused == 0
        assert [d.text for d in fake.by_chat[1]] == ["taken"]
