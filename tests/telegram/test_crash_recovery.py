"""Kill the real bot process (SIGKILL) while its replies wait on Telegram's flood control, start
it again: every reply that was committed is delivered after the restart, none is lost, and the
users' next answers are taken as answers to questions they did see. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.testkit.fake_bot_api import FakeBotApi
from tests.postgres import fresh_postgres_database
from tests.telegram.test_restart import kill, start_bot

USERS = range(5001, 5031)  # 30 users who send /start at the same moment
LANGUAGE_QUESTION = "Which language"


@asynccontextmanager
async def database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/data/bot.db"
        return
    async with fresh_postgres_database() as url:
        yield url


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_replies_waiting_on_flood_control_survive_a_kill(kind: str, tmp_path: Path) -> None:
    async with FakeBotApi() as fake, database(kind, tmp_path) as url:
        for user in USERS:
            fake.user(user, "Ada", "en")
        bot = await start_bot(fake, tmp_path, database_url=url)
        try:
            # Flood control: every attempt is refused with "retry after 10 s", so the bot
            # waits with the replies in hand.
            fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 10", 10,
                           times=10_000)  # fmt: skip
            for user in USERS:
                fake.send_text(user, "/start")
            await fake.wait_for(
                lambda: {c.params["chat_id"] for c in fake.calls_of("sendMessage")} >= set(USERS),
                timeout=60,
            )
        finally:
            await kill(bot, settle=0)  # with every reply waiting out the 10 s
        assert not any(fake.messages(user) for user in USERS), fake.dump()  # nothing got through
        fake.clear_failures("sendMessage")  # Telegram takes messages again

        bot = await start_bot(fake, tmp_path, database_url=url)
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
            await fake.wait_for(
                lambda: "What should I call you?" in fake.last_message(user).plain_text,
                timeout=15,
            )
        finally:
            await kill(bot)
