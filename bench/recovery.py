"""Scenario `recovery`: the bot killed (SIGKILL) in the middle of a burst of replies, started again.

300 people send /start at once; Telegram's limit of 30 messages a second means their replies
take ten seconds to go out. A third of the way through, the process is killed: the turns are
committed, the replies still in the outbox. The bot starts again; the figure is the time from
the restart until every one of the 300 has their reply, beside the time Telegram's limit alone
needs for what was left (the baseline), and what was lost (must be 0) or arrived twice (only a
message in flight at the kill can).
"""

from __future__ import annotations

import asyncio
import time

from bench.context import Context
from bench.flood_api import OVERALL_PER_SECOND, FloodLimitedBotApi
from bench.processes import coach_bot
from bench.report import Figure

FIRST = 900_000
QUESTION = "Which language"


async def run(ctx: Context) -> list[Figure]:
    count = ctx.count(300, 40)
    folder = ctx.folder("recovery")
    url = f"sqlite:///{folder}/recovery.db"
    people = range(FIRST, FIRST + count)
    async with FloodLimitedBotApi() as fake:
        for user_id in people:
            fake.user(user_id)

        def arrived() -> dict[int, int]:
            got: dict[int, int] = {}
            for delivery in fake.deliveries:
                if delivery.chat_id in people and QUESTION in delivery.text:
                    got[delivery.chat_id] = got.get(delivery.chat_id, 0) + 1
            return got

        ctx.say(f"recovery: {count} replies, the bot killed a third of the way through")
        bot = coach_bot(folder, fake.token, fake.base_url, url)
        bot.start()
        try:
            await bot.wait_until(fake.polling, 60, "bot start")
            for user_id in people:
                fake.send_text(user_id, "/start")
            await bot.wait_until(lambda: len(arrived()) >= count // 3, 120, "a third delivered")
        finally:
            bot.kill()
        left = count - len(arrived())
        restart = coach_bot(folder, fake.token, fake.base_url, url)
        restart.start()
        began = time.monotonic()
        try:
            await restart.wait_until(lambda: len(arrived()) >= count, 120, "the backlog")
            took = time.monotonic() - began
            await asyncio.sleep(1.0)  # time for a wrong second copy
        finally:
            await restart.stop()
        got = arrived()
    lost = count - len(got)
    twice = sum(copies - 1 for copies in got.values())
    return [
        Figure("recovery", f"restart to all {count} replies ({left} left at the kill)", took,
               "s", baseline=left / OVERALL_PER_SECOND,
               baseline_name="the backlog at Telegram's 30/s",
               note="includes the restart itself (imports, migrations check, first poll)"),
        Figure("recovery", "replies lost", float(lost), "count", target="0"),
        Figure("recovery", "replies arrived twice", float(twice), "count",
               note="only a message in flight at the kill can"),
    ]  # fmt: skip
