"""Kill the real bot process (SIGKILL) mid-dialog, start it again: the dialog goes on with every
answer kept, and no update is answered twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
USER = 2001


async def start_bot(fake: FakeBotApi, tmp_path: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/bot.db",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    polls_before = sum(c.method == "getUpdates" for c in fake.calls)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await fake.wait_for(
        lambda: sum(c.method == "getUpdates" for c in fake.calls) > polls_before, timeout=30
    )
    return process


async def kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    await process.wait()


async def test_kill_and_restart_mid_dialog_keeps_every_answer(tmp_path: Path) -> None:
    async with FakeBotApi() as fake:
        fake.user(USER, "Ada", "en")
        bot = await start_bot(fake, tmp_path)
        try:
            fake.send_text(USER, "/start")
            await fake.wait_for(
                lambda: (
                    "Which language" in fake.last_message(USER).plain_text
                    if fake.messages(USER)
                    else False
                ),
                timeout=15,
            )
            fake.tap(
                USER,
                fake.last_message(USER).message_id,
                fake.last_message(USER).buttons[1]["callback_data"],
            )
            await fake.wait_for(
                lambda: "What should I call you?" in fake.last_message(USER).plain_text, timeout=15
            )
            fake.send_text(USER, "Ada")
            await fake.wait_for(
                lambda: "What is your business" in fake.last_message(USER).plain_text, timeout=15
            )
        finally:
            await kill(bot)

        sent_before_restart = len(fake.messages(USER))
        bot = await start_bot(fake, tmp_path)
        try:
            fake.send_text(USER, "Web design for small shops")
            await fake.wait_for(
                lambda: "bring you?" in fake.last_message(USER).plain_text, timeout=15
            )
            await fake.wait_for(lambda: not fake.pending_updates, timeout=15)
        finally:
            await kill(bot)
        new_texts = [m.plain_text for m in fake.messages(USER)[sent_before_restart:]]
        assert len(new_texts) == 1, new_texts  # nothing from before the kill was answered again
        assert fake.errors == [], fake.dump()
