"""Scenario `startup`: how long until a new user sees the first prompt, and what an idle bot costs.

Fresh processes, as a user or an operator starts them: `exit-coach chat` with input piped in
(the first start on a fresh machine, with and without matplotlib's font cache; later starts),
`exit-coach check`, and the resident memory of an idle `exit-coach run`. Baselines from the same
run: importing python-telegram-bot (what any PTB bot pays before its first line), and
python-telegram-bot's persistentconversationbot example idling on the same fake server.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path

from bench.context import Context
from bench.flood_api import FloodLimitedBotApi
from bench.processes import BotProcess, bot_environment, coach_bot
from bench.ptb_example import ExampleUnavailable, example_bot
from bench.report import Figure, p50

FIRST_PROMPT = "Which language"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|^(DEBUG|INFO|WARNING|ERROR)\b|Matplotlib")


async def first_prompt(cwd: Path, mpl: Path) -> tuple[float, int]:
    """Seconds from spawning `exit-coach chat` until the first prompt is on screen, and how many
    lines of the whole output (stdout and stderr: both land in the terminal) are not the coach's."""
    env = bot_environment({"MPLCONFIGDIR": str(mpl), "LANG": "en"})
    env.pop("LOG_LEVEL")  # as a user starts it
    began = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "chat", cwd=cwd, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert process.stdout is not None and process.stdin is not None
    seen: list[str] = []
    took = float("nan")
    async with asyncio.timeout(120):
        while line := (await process.stdout.readline()).decode(errors="replace"):
            seen.append(line)
            if FIRST_PROMPT in line and took != took:
                took = time.perf_counter() - began
                process.stdin.close()  # end of input: the chat says goodbye and exits
        await process.wait()
    return took, sum(bool(LOG_LINE.search(line)) for line in seen)


async def wall(*args: str, cwd: Path, times: int) -> float:
    """Median seconds of `times` runs of a command to its end."""
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *args, cwd=cwd, env=bot_environment({}),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await process.wait()
        spent.append(time.perf_counter() - began)
    return p50(spent)


async def idle_rss(start: BotProcess, fake: FloodLimitedBotApi, idle: float) -> float:
    start.start()
    try:
        await start.wait_until(fake.polling, 60, "bot start")
        await asyncio.sleep(idle)
        return start.rss()
    finally:
        await start.stop()


async def run(ctx: Context) -> list[Figure]:
    times = ctx.count(3, 1)
    folder = ctx.folder("startup")
    ctx.say("startup: first start without and with matplotlib's font cache, later starts")
    mpl = folder / "matplotlib"  # MPLCONFIGDIR: empty at first, so the font cache is built
    cold, foreign = await first_prompt(ctx.folder("startup/cold"), mpl)
    warm_cache, _ = await first_prompt(ctx.folder("startup/fresh"), mpl)
    later = p50([(await first_prompt(ctx.folder("startup/fresh"), mpl))[0]
                 for _ in range(times)])  # fmt: skip
    ctx.say("startup: exit-coach check, importing python-telegram-bot")
    ptb_import = await wall(sys.executable, "-c", "import telegram.ext", cwd=folder, times=times)
    check = await wall(sys.executable, "-m", "bot", "check", cwd=folder, times=times)
    idle = ctx.count(3, 1)
    ctx.say(f"startup: resident memory after {idle} s idle")
    async with FloodLimitedBotApi() as fake:
        url = f"sqlite+aiosqlite:///{ctx.folder('startup/run')}/bot.db"
        first = await idle_rss(coach_bot(ctx.folder("startup/run"), fake.token, fake.base_url,
                                         url), fake, idle)  # fmt: skip
        # an operator's bot runs on after restarts: the database exists and needs no migration
        ours = await idle_rss(coach_bot(ctx.folder("startup/run"), fake.token, fake.base_url, url),
                              fake, idle)  # fmt: skip
        try:
            base: float | None = await idle_rss(
                example_bot(ctx.cache, ctx.folder("startup/example"), fake.token, fake.base_url),
                fake,
                idle,
            )
            base_name = "PTB example"
        except ExampleUnavailable as error:
            base, base_name = None, f"baseline unavailable: {error}"
    common = {"scenario": "startup", "unit": "s"}
    return [
        Figure(name="first start to first prompt, no font cache", ours=cold,
               baseline=ptb_import, baseline_name="PTB import", target="≤ 3 s", **common),
        Figure(name="first start to first prompt, font cache", ours=warm_cache,
               baseline=ptb_import, baseline_name="PTB import", target="≤ 3 s",
               note="fresh database", **common),
        Figure(name="later start to first prompt", ours=later, baseline=ptb_import,
               baseline_name="PTB import", target="≤ 1.5 s", **common),
        Figure(name="exit-coach check", ours=check, baseline=ptb_import,
               baseline_name="PTB import", target="≤ 2 s", **common),
        Figure(scenario="startup", name="lines not from the coach (first start)",
               ours=foreign, unit="count", target="0", note="log lines in the chat"),
        Figure(scenario="startup", name="idle resident memory (exit-coach run)", ours=ours,
               baseline=base, baseline_name=base_name, unit="MiB", target="≤ 80 MB",
               note=f"a restart; {first:.0f} MiB at the very first start, which migrates"),
    ]  # fmt: skip
