"""Kill the real bot process (SIGKILL) while its replies wait on Telegram's flood control, start
it again: every reply that was committed is delivered after the restart, none is lost, and the
users' next answers are taken as answers to questions they did see. Long polling and webhook
mode, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from bot.testkit.fake_bot_api import FakeBotApi
from tests.postgres import fresh_postgres_database
from tests.telegram.test_restart import ROOT, kill, start_bot
from tests.telegram.test_webhook import SECRET, free_port, start_update
from tests.telegram.test_webhook_process import until_healthy
from tests.telegram.waiting_replies import until_committed

USERS = range(5001, 5031)  # 30 users who send /start at the same moment
LANGUAGE_QUESTION = "Which language"


@asynccontextmanager
async def database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/data/bot.db"
        return
    async with fresh_postgres_database() as url:
        yield url


async def webhook_bot(
    fake: FakeBotApi, tmp_path: Path, url: str, port: int, client: httpx.AsyncClient
) -> asyncio.subprocess.Process:
    """`exit-coach run` in webhook mode on `port`, once it is healthy (its log to a file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "METRICS_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_BASE_URL=fake.base_url, DATABASE_URL=url,
        WEBHOOK_URL="https://bot.example.org/telegram/hook", WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1", PORT=str(port), PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING",
    )  # fmt: skip
    with (tmp_path / f"bot-{port}.log").open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    await until_healthy(client, f"http://127.0.0.1:{port}/healthz", process)
    return process


@pytest.mark.parametrize("mode", ["polling", "webhook"])
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_replies_waiting_on_flood_control_survive_a_kill(
    kind: str, mode: str, tmp_path: Path
) -> None:
    async with (
        FakeBotApi() as fake,
        database(kind, tmp_path) as url,
        httpx.AsyncClient(timeout=10) as client,
    ):
        port = free_port()

        async def start() -> asyncio.subprocess.Process:
            if mode == "polling":
                return await start_bot(fake, tmp_path, database_url=url)
            return await webhook_bot(fake, tmp_path, url, port, client)

        for user in USERS:
            fake.user(user, "Ada", "en")
        bot = await start()
        try:
            # Flood control: every attempt is refused with "retry after 10 s", so the bot
            # waits with the replies in hand.
            fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 10", 10,
                           times=10_000)  # fmt: skip
            for number, user in enumerate(USERS, start=1):
                if mode == "polling":
                    fake.send_text(user, "/start")
                else:
                    answer = await client.post(
                        f"http://127.0.0.1:{port}/telegram/hook", json=start_update(number, user),
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    )  # fmt: skip
                    assert answer.status_code == 200
            await fake.wait_for(lambda: fake.calls_of("sendMessage"), timeout=60)  # refused
            await until_committed(url, USERS)  # every reply waits, none got through
        finally:
            await kill(bot, settle=0)  # with every reply waiting out the 10 s
        assert not any(fake.messages(user) for user in USERS), fake.dump()  # nothing got through
        fake.clear_failures("sendMessage")  # Telegram takes messages again

        bot = await start()
        try:
            await fake.wait_for(
                lambda: all(
                    any(LANGUAGE_QUESTION in m.plain_text for m in fake.messages(user))
                    for user in USERS
                ),
                timeout=90,  # PostgreSQL: the dead process's claims run out first
            )
            await asyncio.sleep(0.5)  # time for a wrong second copy
            copies = [
                sum(LANGUAGE_QUESTION in m.plain_text for m in fake.messages(user))
                for user in USERS
            ]
            assert copies == [1] * len(USERS)  # each delivered once: lost 0, duplicated 0
            # The question arrived, so the answer to it is taken (not "did not reach you").
            user = USERS[0]
            language = fake.last_message(user)
            fake.tap(user, language.message_id, language.buttons[1]["callback_data"])
            if mode == "webhook":  # Telegram pushes it instead of keeping it for getUpdates
                answer = await client.post(
                    f"http://127.0.0.1:{port}/telegram/hook",
                    json={**fake.pending_updates[-1], "update_id": len(USERS) + 1},
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )  # fmt: skip
                assert answer.status_code == 200
            await fake.wait_for(
                lambda: "What should I call you?" in fake.last_message(user).plain_text,
                timeout=15,
            )
        finally:
            await kill(bot)
