"""`exit-coach run` in polling mode as a real process, watched as an operator would: the log is
one JSON object a line with no library chatter (the job scheduler used to write two lines per
reminder poll), and SIGTERM finishes the updates in hand and exits 0."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from bot.testkit.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
USER = 9101


async def test_polling_logs_json_quietly_and_stops_on_sigterm(tmp_path: Path) -> None:
    async with FakeBotApi() as fake:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "LOG_"))},
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": fake.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path}/data/bot.db",
            "LOG_LEVEL": "INFO",
            "LOG_FORMAT": "json",
            "REMINDER_POLL_SECONDS": "1",
            "PYTHONPATH": str(ROOT),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            # start-up (imports, migrations) takes a few seconds; then it polls
            await fake.wait_for(lambda: fake.calls_of("getUpdates") or process.returncode, 60)
            assert process.returncode is None, "the bot did not start"

            def said(text: str) -> bool:
                return any(text in m.plain_text for m in fake.messages(USER))

            fake.user(USER)
            fake.send_text(USER, "/start")
            await fake.wait_for(lambda: said("Which language"), 15)
            question = fake.last_message(USER)
            english = next(b for b in question.buttons if "English" in b["text"])
            fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1)
            fake.tap(USER, question.message_id, english["callback_data"])
            await fake.wait_for(lambda: said("call you"), 15)
            fake.send_text(USER, "Ada")
            await fake.wait_for(lambda: said("for a living"), 15)
            await asyncio.sleep(2.5)  # two reminder polls or more, each once two INFO lines

            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), timeout=20) == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.stderr is not None
        log = (await process.stderr.read()).decode()

    lines = [json.loads(line) for line in log.splitlines()]  # every line is JSON
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    chatter = [
        line for line in lines
        if not line["logger"].startswith("bot") and line["level"] in ("DEBUG", "INFO")
    ]  # fmt: skip
    assert chatter == [], chatter  # no scheduler, PTB or httpx lines below WARNING
    messages = [line["message"] for line in lines]
    assert any(m.startswith("polling for updates") for m in messages), messages
    assert "every update in hand is done; shutting down" in messages
    assert len(lines) < 15, messages  # a quiet log: start, stop, little else
    assert fake.token not in log and "Ada" not in log
