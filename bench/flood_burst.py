"""Scenario `flood`: a reminder burst during which Telegram answers one 429, ten times over.

200 reflection prompts fall due at once (`exit-coach run`, its own process, on the flood-limited
fake Bot API). When half of them arrived, the fake refuses the next message with 429 and
`retry_after` (`FloodLimitedBotApi.flood_once`): a refusal the bot did not earn, as Telegram's
own accounting sometimes gives. What the limit allows is the burst at 30 messages a second plus
the pause: n / 30 + retry_after. A bot that, when the pause ends, sends every message that waited
at once earns the next 429 (python-telegram-bot's `AIORateLimiter` does: its baseline runs the
same, sending the messages itself); one that resumes at the steady rate gets no other 429.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from statistics import median

from telegram.ext import AIORateLimiter, ExtBot

from bench.context import Context
from bench.flood_api import OVERALL_PER_SECOND, FloodLimitedBotApi
from bench.processes import coach_bot
from bench.report import Figure
from bench.seed import DueBatch, seed_due_reminders

RETRY_AFTER = 3  # seconds the injected 429 asks for


async def flood_when_half_arrived(fake: FloodLimitedBotApi, chats: set[int], half: int) -> None:
    while sum(1 for d in fake.deliveries if d.chat_id in chats) < half:  # noqa: ASYNC110
        await asyncio.sleep(0.005)
    fake.flood_once(RETRY_AFTER)


async def coach_run(ctx: Context, url: str, batch: DueBatch, number: int) -> tuple[float, int]:
    """Seconds from the first prompt's arrival to the last one's, and the 429s answered."""
    chats = set(batch.user_ids)
    async with FloodLimitedBotApi() as fake:
        for user_id in batch.user_ids:
            fake.user(user_id)
        folder = ctx.folder(f"flood/run-{number}")
        bot = coach_bot(folder, fake.token, fake.base_url, url, REMINDER_POLL_SECONDS="1")
        flooding = asyncio.ensure_future(flood_when_half_arrived(fake, chats, len(chats) // 2))
        bot.start()
        try:
            await bot.wait_until(fake.polling, 60, "bot start")
            began = time.monotonic()
            while (  # noqa: ASYNC110
                len({d.chat_id for d in fake.deliveries if d.chat_id in chats}) < len(chats)
                and time.monotonic() - began < 120
            ):
                await asyncio.sleep(0.05)
        finally:
            flooding.cancel()
            await bot.stop()
        arrivals = [d.at for d in fake.deliveries if d.chat_id in chats]
        if len({d.chat_id for d in fake.deliveries if d.chat_id in chats}) < len(chats):
            raise RuntimeError(f"run {number}: {len(arrivals)} of {len(chats)} prompts arrived")
        return max(arrivals) - min(arrivals), fake.refused + fake.injected


async def ptb_run(count: int) -> tuple[float, int]:
    """python-telegram-bot's AIORateLimiter sending `count` messages at once, with the same one
    injected 429: seconds from the first arrival to the last, and the 429s answered."""
    async with FloodLimitedBotApi() as fake:
        chats = {900_000 + n for n in range(count)}
        for chat in chats:
            fake.user(chat)
        bot = ExtBot(fake.token, base_url=fake.base_url, rate_limiter=AIORateLimiter(max_retries=5))
        async with bot:
            flooding = asyncio.ensure_future(flood_when_half_arrived(fake, chats, count // 2))
            sends = (bot.send_message(chat, "Hi") for chat in sorted(chats))
            await asyncio.gather(*sends, return_exceptions=True)
            flooding.cancel()
        arrivals = [d.at for d in fake.deliveries]
        return max(arrivals) - min(arrivals), fake.refused + fake.injected


async def run(ctx: Context) -> list[Figure]:
    count, runs = ctx.count(200, 40), ctx.count(10, 2)
    allowed = count / OVERALL_PER_SECOND + RETRY_AFTER
    url = f"sqlite+aiosqlite:///{ctx.folder('flood')}/flood.db"
    took: list[float] = []
    refusals: list[int] = []
    for number in range(runs):
        ctx.say(f"flood: run {number + 1} of {runs}, {count} reminders, one 429 mid-burst")
        batch = await seed_due_reminders(
            url, count, datetime.now(UTC), first_id=5_000_000 + number * 10_000
        )
        seconds, answered = await coach_run(ctx, url, batch, number)
        took.append(seconds)
        refusals.append(answered)
    ctx.say("flood: python-telegram-bot's AIORateLimiter, the same burst (baseline)")
    limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
    level = limiter_log.level
    limiter_log.setLevel(logging.CRITICAL)  # its give-ups are counted, not errors of ours
    try:
        baseline = [await ptb_run(count) for _ in range(ctx.count(3, 1))]
    finally:
        limiter_log.setLevel(level)
    base_took = median(seconds for seconds, _ in baseline)
    oscillated = sum(1 for answered in refusals if answered > 1)
    return [
        Figure("flood", f"{count} reminders with one 429, median of {runs}", median(took), "s",
               baseline=allowed, baseline_name=f"the limit: n/30 + {RETRY_AFTER} s",
               target="≤ 1.05×", note=f"first to last arrival; runs {fmt(took)}"),
        Figure("flood", f"{count} reminders with one 429, slowest of {runs}", max(took), "s",
               baseline=allowed, baseline_name=f"the limit: n/30 + {RETRY_AFTER} s",
               target="≤ 1.05×"),
        Figure("flood", "runs with another 429 (oscillation)", oscillated, "count", target="0",
               note=f"429s per run: {refusals}"),
        Figure("flood", f"PTB AIORateLimiter, {count} with one 429", base_took, "s",
               baseline=allowed, baseline_name=f"the limit: n/30 + {RETRY_AFTER} s",
               note=f"429s per run: {[answered for _, answered in baseline]}"),
    ]  # fmt: skip


def fmt(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)
