"""Kill the real bot process (SIGKILL) mid-dialog, start it again: the dialog goes on with every
answer kept, and no update is answered twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from functools import cache
from pathlib import Path
from typing import Any

from bot.bootstrap import build_engine
from bot.config import get_settings
from bot.testkit.client import FILL_IN_LIMIT, ask_again_notes
from bot.testkit.fake_bot_api import FakeBotApi, SentMessage
from tests.telegram.harness import first_answer_button, newest_with_buttons

ROOT = Path(__file__).resolve().parents[2]
USER = 2001


async def start_bot(
    fake: FakeBotApi, tmp_path: Path, *, database_url: str | None = None
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path}/data/bot.db",
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


async def kill(process: asyncio.subprocess.Process, *, settle: float = 0.3) -> None:
    """SIGKILL, after `settle` seconds. A kill in the millisecond between Telegram taking a
    message and the bot deleting it from its outbox sends that message again after the restart
    (delivery is at least once: tests/telegram/test_crash_recovery.py counts those); this test
    is about answers kept, so it lets the bot finish the message it just sent."""
    await asyncio.sleep(settle)
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
                lambda: "What do you do for a living" in fake.last_message(USER).plain_text,
                timeout=15,
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

        # Again in the middle of /prepare, after the start time was typed.
        bot = await start_bot(fake, tmp_path)
        try:
            await tap(fake, "Win customers")
            await tap(fake, "Done", expect="where are you?")
            await tap(fake, "Berlin / Central Europe", expect="What can I do for you")
            fake.send_text(USER, "/prepare")
            await fake.wait_for(
                lambda: "Let's get you ready" in fake.last_message(USER).plain_text, timeout=15
            )
            await say(fake, "Retail Meetup", "online or in person")
            for label in ("In person", "Yes", "Yes", "Win customers", "3"):
                await tap(fake, label)
            for text, expect in (
                ("Owners of small shops", "Give first"),
                ("A checklist", "use it"),
            ):
                await say(fake, text, expect)
            for label in ("Use this", "different world", "Awkward silence", "Done"):
                await tap(fake, label)
            for text, expect in (
                ("Retail Club", "When does it start"),
                ("tomorrow 6:30pm", "How long"),
            ):
                await say(fake, text, expect)
        finally:
            await kill(bot)
        bot = await start_bot(fake, tmp_path)
        try:
            fake.send_text(USER, "2h")
            await fake.wait_for(
                lambda: "Here's what I understood" in fake.last_message(USER).plain_text, timeout=15
            )
            await tap(fake, "That's right", expect="Retail Meetup")
        finally:
            await kill(bot)
        saved = next(m.plain_text for m in reversed(fake.messages(USER)) if "Saved" in m.plain_text)
        assert "Contacts to look for: Owners of small shops" in saved and "Retail Club" in saved
        assert fake.errors == [], fake.dump()


@cache
def asked_again() -> tuple[str, ...]:
    return ask_again_notes(build_engine(get_settings(_env_file=None)).renderer)


async def say(fake: FakeBotApi, text: str, expect: str) -> None:
    """Send `text` and wait until the bot's newest message contains `expect`; a step this test
    does not know (one a coach added) that asks for a button gets its first answer first."""
    for _ in range(FILL_IN_LIMIT + 1):
        fake.send_text(USER, text)
        await fake.wait_for(
            lambda: expect in (last := fake.last_message(USER).plain_text)
            or last.startswith(asked_again()),
            timeout=15,
        )
        if expect in fake.last_message(USER).plain_text:
            return
        message = newest_with_buttons(fake, USER)
        await tap_button(fake, message, first_answer_button(message), None)
    raise AssertionError(f"{text!r} was not taken: {fake.last_message(USER).plain_text!r}")


async def tap(fake: FakeBotApi, label: str, expect: str | None = None) -> None:
    """Tap the newest button containing `label` and wait until the bot has answered; steps this
    test does not know before it get their first answer."""
    for _ in range(FILL_IN_LIMIT):
        message = newest_with_buttons(fake, USER)
        if any(label in b["text"] for b in message.buttons):
            break
        await tap_button(fake, message, first_answer_button(message), None)
    message = newest_with_buttons(fake, USER)
    await tap_button(fake, message, next(b for b in message.buttons if label in b["text"]), expect)


async def tap_button(
    fake: FakeBotApi, message: SentMessage, button: dict[str, Any], expect: str | None
) -> None:
    before = (len(fake.messages(USER)), message.edit_count)
    query = fake.tap(USER, message.message_id, button["callback_data"])
    await fake.wait_for(lambda: query not in fake.unanswered_callback_queries(), timeout=15)
    await fake.wait_for(
        lambda: (
            (len(fake.messages(USER)), message.edit_count) != before
            and (expect is None or expect in fake.last_message(USER).plain_text)
        ),
        timeout=15,
    )
