"""Scenario `reminders`: 1,000 reminders due at the same moment, under Telegram's 30 messages/s.

1,000 people went to the same conference; their reflection prompts fall due together. The bot
(`exit-coach run`, its own process, with the operator's default settings) sends them through
the flood-limited fake Bot API while a few other people keep talking to it. Baselines from the
same run: python-telegram-bot with its AIORateLimiter sending as many messages at once to the
same server (what the limit allows), and the talkers' reply latency without a burst.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from telegram.ext import AIORateLimiter, ExtBot

from bench.context import Context
from bench.flood_api import OVERALL_PER_SECOND, FloodLimitedBotApi
from bench.processes import coach_bot
from bench.report import Figure, p50
from bench.seed import DueBatch, seed_due_reminders, seed_heavy_user, sent_reminder_users
from bench.users import Outcome, person

TALKERS = [700_000 + n for n in range(10)]
ASK: list[tuple[str, str, str]] = [("send", "/exit", "What's going on?")]


async def talk(fake: FloodLimitedBotApi, until: asyncio.Event, into: Outcome) -> None:
    """Each talker asks for an exit line about once a second until `until` is set."""

    async def one(user_id: int) -> None:
        while not until.is_set():
            await person(fake, user_id, ASK, 30.0, into)
            await asyncio.sleep(1.0)

    await asyncio.gather(*(one(user_id) for user_id in TALKERS))


async def burst(
    ctx: Context, url: str, batch: DueBatch, cap: float, poll: str, talkers: Outcome | None
) -> tuple[float, dict[int, int], int]:
    """Start the bot with `batch` due; seconds until every prompt arrived (or `cap`), the
    prompts per chat, and the 429s the server answered. With `talkers`, ten people keep asking
    for exit lines meanwhile, and their replies spend the same budget of 30 messages a second."""
    count = len(batch.user_ids)
    async with FloodLimitedBotApi() as fake:
        for user_id in batch.user_ids:
            fake.user(user_id)
        batch_ids = set(batch.user_ids)

        def arrived() -> dict[int, int]:
            """Prompts that reached each chat of the batch (they name the event)."""
            got: dict[int, int] = {}
            for d in fake.deliveries:
                if d.chat_id in batch_ids and batch.event_name in d.text:
                    got[d.chat_id] = got.get(d.chat_id, 0) + 1
            return got

        folder = ctx.folder("reminders/burst" if talkers is not None else "reminders/alone")
        bot = coach_bot(folder, fake.token, fake.base_url, url, REMINDER_POLL_SECONDS=poll)
        bot.start()
        try:
            await bot.wait_until(fake.polling, 60, "bot start")
            began = time.monotonic()
            stop = asyncio.Event()
            talking = asyncio.ensure_future(
                talk(fake, stop, talkers) if talkers is not None else stop.wait()
            )
            while len(arrived()) < count and time.monotonic() - began < cap:  # noqa: ASYNC110
                await asyncio.sleep(0.25)
            took = time.monotonic() - began
            stop.set()
            await talking
            await asyncio.sleep(1.0)  # a send under way is not a loss
        finally:
            await bot.stop()
        return took, arrived(), fake.refused


async def ptb_at_the_limit(count: int) -> tuple[float, int]:
    """Seconds python-telegram-bot needs to send `count` messages to `count` chats at once
    through AIORateLimiter, on the same flood-limited server (the limit's own pace), and how
    many it gave up on after its retries."""
    async with FloodLimitedBotApi() as fake:
        for n in range(count):
            fake.user(800_000 + n)
        bot = ExtBot(fake.token, base_url=fake.base_url, rate_limiter=AIORateLimiter(max_retries=5))
        async with bot:
            began = time.monotonic()
            sends = (bot.send_message(800_000 + n, "Hi") for n in range(count))
            outcomes = await asyncio.gather(*sends, return_exceptions=True)
            failed = sum(isinstance(outcome, Exception) for outcome in outcomes)
            return time.monotonic() - began, failed


async def run(ctx: Context) -> list[Figure]:
    count = ctx.count(1000, 40)
    cap = ctx.count(150, 30)  # seconds we wait for the burst before reporting what arrived
    poll = "30" if not ctx.quick else "2"  # the default; quick mode polls often to stay short
    folder = ctx.folder("reminders")
    url = f"sqlite+aiosqlite:///{folder}/reminders.db"
    for user_id in TALKERS:
        await seed_heavy_user(url, user_id, events=0)

    ctx.say("reminders: talkers alone (baseline latency)")
    quiet = Outcome()
    async with FloodLimitedBotApi() as fake:
        bot = coach_bot(ctx.folder("reminders/quiet"), fake.token, fake.base_url, url)
        bot.start()
        try:
            await bot.wait_until(fake.polling, 60, "bot start")
            stop = asyncio.Event()
            asyncio.get_running_loop().call_later(ctx.count(8, 3), stop.set)
            await talk(fake, stop, quiet)
        finally:
            await bot.stop()

    ctx.say(f"reminders: {count} due at once, REMINDER_POLL_SECONDS={poll}, up to {cap} s")
    batch = await seed_due_reminders(url, count, datetime.now(UTC))
    busy = Outcome()
    took, got, refused = await burst(ctx, url, batch, cap, poll, busy)
    ctx.say(f"reminders: {count} more due at once, no one talking")
    alone_batch = await seed_due_reminders(url, count, datetime.now(UTC), first_id=4_000_000)
    alone_took, alone_got, _ = await burst(ctx, url, alone_batch, cap, poll, None)
    marked = await sent_reminder_users(url, batch.user_ids)
    delivered, duplicates = len(got), sum(n - 1 for n in got.values())
    lost = len(marked - set(got))  # marked sent, never arrived
    ctx.say("reminders: python-telegram-bot sending as many at once (baseline)")
    limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
    level = limiter_log.level
    limiter_log.setLevel(logging.CRITICAL)  # its give-ups are counted, not errors of ours
    try:
        limit_pace, limit_failed = await ptb_at_the_limit(count)
    finally:
        limiter_log.setLevel(level)
    all_in = delivered == count
    rate = delivered / took if took else 0.0
    return [
        Figure(name=f"time to deliver {count}" if all_in else f"delivered in {cap} s (cap)",
               ours=took if all_in else float(delivered), unit="s" if all_in else "count",
               baseline=limit_pace if all_in else None,
               baseline_name="PTB at the limit" if all_in else f"of {count}",
               target=f"≤ {1.15 * count / OVERALL_PER_SECOND:.0f} s",
               note=f"{rate:.1f}/s, beside {len(busy.first_reply)} replies to talkers in the "
               f"same 30/s: {(count + len(busy.first_reply)) / OVERALL_PER_SECOND:.0f} s at best"
               if rate else "",
               scenario="reminders"),
        Figure(name=f"time to deliver {count}, no one talking", ours=alone_took, unit="s",
               baseline=limit_pace, baseline_name="PTB at the limit",
               target=f"≤ {1.15 * count / OVERALL_PER_SECOND:.0f} s",
               note=f"{len(alone_got)} of {count} arrived, "
               f"{sum(n - 1 for n in alone_got.values())} twice",
               scenario="reminders"),
        Figure(name="PTB at the limit", ours=limit_pace, unit="s",
               note=f"{count} messages, {limit_failed} given up after 5 retries; "
               f"the limit allows {count / OVERALL_PER_SECOND:.0f} s",
               scenario="reminders"),
        Figure(name="duplicates", ours=duplicates, unit="count", target="0", scenario="reminders"),
        Figure(name="lost (marked sent, never arrived)", ours=lost, unit="count", target="0",
               note=f"{count - delivered} not yet delivered; 429s answered {refused}",
               scenario="reminders"),
        Figure(name="users' reply p50 during the burst", ours=p50(busy.first_reply),
               baseline=p50(quiet.first_reply), baseline_name="no burst", unit="s",
               target="≤ 1 s", note=f"{len(busy.first_reply)} replies, {busy.lost} lost",
               scenario="reminders"),
    ]  # fmt: skip
