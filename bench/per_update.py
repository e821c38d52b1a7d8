"""Scenario `per_update`: realistic updates through the real Application, in this process.

Simulated users go through a journey of about 30 updates (onboarding interrupted by /exit,
/prepare with typed dates, /exit in the room, /help), building each update from the bot's last
reply. Our bot commits every update's turn to a SQLite file before answering (turns that arrive
together share one commit of the writer's) and answers through an in-memory Bot API. The
baseline replays the very same updates through PTB's `Application` with a handler that does
nothing: the floor any python-telegram-bot bot stands on.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench.context import Context
from bench.inmemory import JOURNEY, SimUser, UpdateIds
from bench.inprocess import Timings, coach_app, drive, noop_app, replay
from bench.report import Figure, p50, percentile

FIRST_USER = 10_000


async def ours(database_url: str, users: int, concurrent: bool) -> tuple[Timings, list[list[Any]]]:
    """Run `users` journeys, one after another or all in flight at once; returns the timings
    and each user's updates as sent (for the baseline to replay)."""
    timings = Timings()
    recorded: list[list[Any]] = [[] for _ in range(users)]
    ids = UpdateIds()
    loop = asyncio.get_running_loop()
    async with coach_app(database_url) as (app, request):
        # One journey first, untimed: the first date parsed and templates compiled on first
        # use are start-up costs (measured in `startup`), not per-update ones.
        await drive(app, request, SimUser(FIRST_USER - 1, request), JOURNEY, ids, [])
        sims = [SimUser(FIRST_USER + n, request) for n in range(users)]
        started = loop.time()
        if concurrent:
            await asyncio.gather(
                *(
                    drive(app, request, sim, JOURNEY, ids, timings.latencies, recorded[n])
                    for n, sim in enumerate(sims)
                )
            )
        else:
            for n, sim in enumerate(sims):
                await drive(app, request, sim, JOURNEY, ids, timings.latencies, recorded[n])
        timings.wall = loop.time() - started
    return timings, recorded


async def baseline(recorded: list[list[Any]], concurrent: bool) -> Timings:
    timings = Timings()
    loop = asyncio.get_running_loop()
    async with noop_app() as app:
        started = loop.time()
        if concurrent:
            await asyncio.gather(*(replay(app, updates, timings.latencies) for updates in recorded))
        else:
            for updates in recorded:
                await replay(app, updates, timings.latencies)
        timings.wall = loop.time() - started
    return timings


def figures(mode: str, our: Timings, base: Timings, targets: dict[str, str]) -> list[Figure]:
    common = {"scenario": "per_update", "baseline_name": "PTB no-op"}
    ms = 1000.0
    return [
        Figure(
            name=f"updates/s, {mode}",
            ours=our.rate,
            baseline=base.rate,
            unit="/s",
            target=targets.get("rate", ""),
            note=f"{len(our.latencies)} updates",
            **common,
        ),
        Figure(
            name=f"p50 per update, {mode}",
            ours=p50(our.latencies) * ms,
            baseline=p50(base.latencies) * ms,
            unit="ms",
            **common,
        ),
        Figure(
            name=f"p99 per update, {mode}",
            ours=percentile(our.latencies, 0.99) * ms,
            baseline=percentile(base.latencies, 0.99) * ms,
            unit="ms",
            target=targets.get("p99", ""),
            **common,
        ),
    ]


async def run(ctx: Context) -> list[Figure]:
    sequential_users = ctx.count(80, 2)  # 2,720 updates: a steadier p99
    flight_users = ctx.count(100, 10)
    out: list[Figure] = []
    ctx.say(f"per_update: {sequential_users} journeys one after another")
    url = f"sqlite+aiosqlite:///{ctx.folder('per_update')}/sequential.db"
    our, recorded = await ours(url, sequential_users, concurrent=False)
    base = await baseline(recorded, concurrent=False)
    out += figures("sequential", our, base, {"p99": "≤ 5 ms"})
    ctx.say(f"per_update: {flight_users} users' journeys in flight at once")
    url = f"sqlite+aiosqlite:///{ctx.folder('per_update')}/concurrent.db"
    our, recorded = await ours(url, flight_users, concurrent=True)
    base = await baseline(recorded, concurrent=True)
    out += figures(f"{flight_users} users in flight", our, base, {"rate": "≥ 0.2×"})
    return out
