"""Scenario `http`: many people at once, end to end over HTTP, under Telegram's flood limits.

Each bot runs as its own process (`exit-coach run`, and python-telegram-bot's
`persistentconversationbot` example as the baseline) and talks HTTP to the fake Bot API server
in this process, which refuses messages over about 30 per second overall and a few per second
per chat with a 429 and `retry_after`. Every simulated person takes three steps, each once the
previous reply is there.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.context import Context
from bench.flood_api import FloodLimitedBotApi
from bench.processes import BotProcess, coach_bot
from bench.ptb_example import ExampleUnavailable, example_bot
from bench.report import Figure, p50, percentile
from bench.users import Outcome, Step, person

FIRST_USER = 200_000
OURS: list[Step] = [
    ("send", "/start", "Which language"),
    ("tap", "English", "What should I call you?"),
    ("send", "Ada", "What do you do for a living"),
]
EXAMPLE: list[Step] = [
    ("send", "/start", "Doctor Botter"),
    ("send", "Age", "Your age?"),
    ("send", "35", "Neat!"),
]


@dataclass
class Run:
    outcome: Outcome
    wall: float
    sent: int  # messages that reached the chats
    refused: int  # 429 answers
    unretried: int  # 429s never followed by the same call succeeding


async def crowd(
    start: Callable[[FloodLimitedBotApi], BotProcess],
    users: int,
    steps: list[Step],
    patience: float,
) -> Run:
    """Start the bot on a fresh flood-limited server, then let `users` people go at once."""
    async with FloodLimitedBotApi() as fake:
        bot = start(fake)
        bot.start()
        try:
            await bot.wait_until(fake.polling, 60, "bot start")
            outcome = Outcome()
            began = time.monotonic()
            people = (person(fake, FIRST_USER + n, steps, patience, outcome) for n in range(users))
            await asyncio.gather(*people)
            wall = time.monotonic() - began
            await asyncio.sleep(1.5)  # retries still under way count as retried, not lost
        finally:
            await bot.stop()
        return Run(outcome, wall, len(fake.deliveries), fake.refused, fake.unretried_429s())


def figures(users: int, ours: Run, base: Run | None, why: str) -> list[Figure]:
    name = "PTB example" if base else why

    def fig(label: str, measure: Callable[[Run], float], unit: str, **kw: str) -> Figure:
        theirs = measure(base) if base else None
        return Figure("http", label, measure(ours), unit, theirs, name, **kw)

    steps = users * len(OURS)
    return [
        fig("first reply p50", lambda r: p50(r.outcome.first_reply), "s", target="≤ 1.0×",
            note=f"{users} users × 3 steps"),
        fig("first reply p95", lambda r: percentile(r.outcome.first_reply, 0.95), "s"),
        fig("all steps done (wall)", lambda r: r.wall, "s"),
        fig("lost replies", lambda r: r.outcome.lost, "count", target="0",
            note=f"of {steps} steps"),
        fig("429s left unretried", lambda r: r.unretried, "count", target="0",
            note=f"429s answered: ours {ours.refused}, baseline {base.refused if base else 'n/a'}"),
        fig("messages per step", lambda r: r.sent / steps, "count",
            note="each spends the shared 30/s budget"),
    ]  # fmt: skip


async def run(ctx: Context) -> list[Figure]:
    users = ctx.count(100, 5)
    patience = 60.0 if not ctx.quick else 30.0  # seconds a person waits for a reply
    base: Run | None = None
    why = ""
    try:
        ctx.say("http: fetching python-telegram-bot's persistentconversationbot example")
        folder = ctx.folder("http-example")

        def start_example(fake: FloodLimitedBotApi) -> BotProcess:
            return example_bot(ctx.cache, folder, fake.token, fake.base_url)

        ctx.say(f"http: {users} users, PTB example")
        base = await crowd(start_example, users, EXAMPLE, patience)
    except ExampleUnavailable as error:
        why = f"baseline unavailable: {error}"
        ctx.say(f"http: {why}")
    ours_dir = ctx.folder("http-ours")

    def start_ours(fake: FloodLimitedBotApi) -> BotProcess:
        return coach_bot(ours_dir, fake.token, fake.base_url, sqlite_url(ours_dir / "bot.db"))

    ctx.say(f"http: {users} users, exit coach")
    ours = await crowd(start_ours, users, OURS, patience)
    return figures(users, ours, base, why)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"
