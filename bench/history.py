"""Scenario `history`: does a long history make the bot slow for its owner, or for others?

One user with 2,000 events (reflected, with contacts) against onboarded users with none, all
through the real Application in this process over the in-memory Bot API.
"""

from __future__ import annotations

import asyncio
import time

from bench.context import Context
from bench.inmemory import EXIT_ONLY, SimUser, UpdateIds
from bench.inprocess import coach_app, drive, timed
from bench.report import Figure, p50, percentile
from bench.seed import seed_heavy_user

HEAVY, LIGHT, BYSTANDER = 500_001, 500_002, 500_003


async def run(ctx: Context) -> list[Figure]:
    events = ctx.count(2000, 50)
    # 600 updates a side: a p99 of fewer (there were 90) is little more than their maximum
    rounds = ctx.count(200, 3)
    url = f"sqlite+aiosqlite:///{ctx.folder('history')}/history.db"
    ctx.say(f"history: seeding a user with {events} events")
    await seed_heavy_user(url, HEAVY, events=events)
    for user_id in (LIGHT, BYSTANDER):
        await seed_heavy_user(url, user_id, events=0)
    ids = UpdateIds()
    heavy_exit: list[float] = []
    light_exit: list[float] = []
    async with coach_app(url) as (app, request):
        heavy, light = SimUser(HEAVY, request), SimUser(LIGHT, request)
        bystander = SimUser(BYSTANDER, request)
        # Warm-up, untimed: the first /exit and /journal of a process load what they need.
        await drive(app, request, bystander, EXIT_ONLY, ids, [])
        await timed(app, bystander.update(("send", "/journal"), ids()), [])
        ctx.say(f"history: /exit path × {rounds}, heavy and new user in turn")
        for _ in range(rounds):
            await drive(app, request, heavy, EXIT_ONLY, ids, heavy_exit)
            await drive(app, request, light, EXIT_ONLY, ids, light_exit)

        async def first_reply(user: SimUser, text: str) -> tuple[float, float]:
            """Seconds to the first message sent, and to the end of the update."""
            request.first_send.pop(user.user_id, None)
            into: list[float] = []
            started = time.perf_counter()
            await timed(app, user.update(("send", text), ids()), into)
            return request.first_send.get(user.user_id, float("nan")) - started, into[0]

        ctx.say("history: /journal, heavy and new user")
        light_journal, _ = await first_reply(light, "/journal")
        heavy_journal, heavy_journal_total = await first_reply(heavy, "/journal")

        ctx.say("history: a new user's /exit while the heavy user's /journal renders")
        alone: list[float] = []
        for _ in range(max(3, rounds // 3)):
            await timed(app, bystander.update(("send", "/exit"), ids()), alone)
            await timed(app, bystander.update(("send", "/cancel"), ids()), [])
        during: list[float] = []

        async def arrives_meanwhile(arrival: float) -> None:
            """An update that reaches the bot at `arrival`, while the journal's update runs:
            its delay counts from then, even if the busy loop only gets to it later."""
            await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
            await timed(app, bystander.update(("send", "/exit"), ids()), [])
            during.append(time.perf_counter() - arrival)

        arrival = time.perf_counter() + 0.005
        await asyncio.gather(first_reply(heavy, "/journal"), arrives_meanwhile(arrival))
    ms = 1000.0
    common = {"scenario": "history"}
    return [
        Figure(name=f"/exit path p50, {events} events", ours=p50(heavy_exit) * ms,
               baseline=p50(light_exit) * ms, baseline_name="new user", unit="ms",
               target="≤ 1.5×", note="per update: /exit, tap, done", **common),
        Figure(name=f"/exit path p99, {events} events", ours=percentile(heavy_exit, 0.99) * ms,
               baseline=percentile(light_exit, 0.99) * ms, baseline_name="new user", unit="ms",
               target="≤ 1.5×", **common),
        Figure(name="/journal first reply", ours=heavy_journal, baseline=light_journal,
               baseline_name="new user", unit="s", target="≤ 1 s",
               note=f"whole update {heavy_journal_total:.2f} s", **common),
        Figure(name="new user's /exit during heavy /journal", ours=during[0] * ms,
               baseline=p50(alone) * ms, baseline_name="alone", unit="ms",
               target="delay ≤ 50 ms", note=f"delay {(during[0] - p50(alone)) * ms:.0f} ms",
               **common),
    ]  # fmt: skip
