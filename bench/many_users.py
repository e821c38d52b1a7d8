"""Scenario `many_users`: does a community of 100,000 stored users make the bot slower or bigger?

Start-up (a fresh `exit-coach run` process until it answers the first /start) and its resident
memory, on a database with 100,000 users with realistic histories against an empty one; then
per-update latency for stored users against a small database, in this process.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.context import Context
from bench.flood_api import FloodLimitedBotApi
from bench.inmemory import EXIT_ONLY, SimUser, UpdateIds
from bench.inprocess import coach_app, drive
from bench.processes import coach_bot
from bench.report import Figure, p50, percentile
from bench.seed import seed_users

NEWCOMER = 900_000_001


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def start_up(
    folder: Path, database_url: str, stored: list[int], writers: int
) -> tuple[float, float, float]:
    """Seconds from spawning `exit-coach run` to its answer to a waiting /start, its RSS (MiB)
    then, and its RSS after `writers` stored users (new ones on an empty database) wrote once."""
    unlimited = 1_000_000
    async with FloodLimitedBotApi(overall=unlimited, per_chat=unlimited) as fake:
        fake.send_text(NEWCOMER, "/start")  # waiting when the bot comes up
        bot = coach_bot(folder, fake.token, fake.base_url, database_url)
        bot.start()
        try:
            seconds = await bot.wait_until(lambda: NEWCOMER in fake.by_chat, 120, "first reply")
            first_rss = bot.rss()
            users = stored[:writers] or [NEWCOMER + n + 1 for n in range(writers)]
            for user_id in users:
                fake.send_text(user_id, "/exit")
            await bot.wait_until(lambda: all(u in fake.by_chat for u in users), 120, "traffic")
            return seconds, first_rss, bot.rss()
        finally:
            await bot.stop()


async def per_update(database_url: str, users: list[int]) -> list[float]:
    """/exit, a tap to a line, done: for stored users who are not in this process's memory."""
    latencies: list[float] = []
    ids = UpdateIds()
    async with coach_app(database_url) as (app, request):
        await drive(app, request, SimUser(users[0], request), EXIT_ONLY, ids, [])  # warm-up
        for user_id in users[1:]:
            await drive(app, request, SimUser(user_id, request), EXIT_ONLY, ids, latencies)
    return latencies


async def run(ctx: Context) -> list[Figure]:
    count = ctx.count(100_000, 2_000)
    measured = ctx.count(300, 30) + 1  # the first one warms up
    folder = ctx.folder("many_users")
    big, small, empty = (sqlite_url(folder / f"{name}.db") for name in ("big", "small", "empty"))
    ctx.say(f"many_users: seeding {count:,} users with histories")
    began = time.perf_counter()
    big_ids = await seed_users(big, count)
    seeded = time.perf_counter() - began
    small_ids = await seed_users(small, measured)
    ctx.say(f"many_users: seeded in {seeded:.0f} s; start-up on the big and an empty database")
    writers = ctx.count(200, 20)
    big_start = await start_up(ctx.folder("many_users/big"), big, big_ids, writers)
    empty_start = await start_up(ctx.folder("many_users/empty"), empty, [], writers)
    ctx.say(f"many_users: per update for {measured} stored users, big and small database")
    pick = big_ids[:: max(1, len(big_ids) // measured)][:measured]  # spread over the table
    big_lat = await per_update(big, pick)
    small_lat = await per_update(small, small_ids)
    ms = 1000.0
    size = (folder / "big.db").stat().st_size / 1e6
    common = {"scenario": "many_users"}
    return [
        Figure(name=f"start-up to first reply, {count:,} users", ours=big_start[0],
               baseline=empty_start[0], baseline_name="empty db", unit="s",
               target="≤ +1 s", note=f"db {size:.0f} MB, seeded in {seeded:.0f} s", **common),
        Figure(name="RSS at first reply", ours=big_start[1], baseline=empty_start[1],
               baseline_name="empty db", unit="MiB", target="≤ 1.2×", **common),
        Figure(name=f"RSS after {writers} users wrote", ours=big_start[2],
               baseline=empty_start[2], baseline_name="empty db (new users)", unit="MiB",
               **common),
        Figure(name="/exit path p50, stored users", ours=p50(big_lat) * ms,
               baseline=p50(small_lat) * ms, baseline_name="small db", unit="ms",
               target="≤ 1.5×", note=f"{len(big_lat)} updates", **common),
        Figure(name="/exit path p99, stored users", ours=percentile(big_lat, 0.99) * ms,
               baseline=percentile(small_lat, 0.99) * ms, baseline_name="small db",
               unit="ms", target="≤ 1.5×", **common),
    ]  # fmt: skip
