"""`exit-coach run` in polling mode as a real process, watched as an operator would: `/metrics`
and `/healthz` on METRICS_PORT count what a short session did, the log is one JSON object a
line with no library chatter (the job scheduler used to write two lines per reminder poll), and
SIGTERM finishes the updates in hand and exits 0."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import httpx

from bot.testkit.fake_bot_api import FakeBotApi
from tests.telegram.test_metrics import parse, value
from tests.telegram.test_webhook import free_port
from tests.telegram.test_webhook_process import bot_process, until_healthy

USER = 9101


async def test_polling_is_watched_by_metrics_and_logs_json_quietly(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeBotApi() as fake, httpx.AsyncClient(timeout=10) as client:
        process = await bot_process(
            tmp_path,
            fake,
            METRICS_PORT=str(port),
            METRICS_LISTEN="127.0.0.1",
            LOG_LEVEL="INFO",
            LOG_FORMAT="json",
            REMINDER_POLL_SECONDS="1",
        )
        try:
            await until_healthy(client, f"{base}/healthz", process)

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

            scraped = await client.get(f"{base}/metrics")
            assert scraped.status_code == 200
            (tmp_path / "metrics.txt").write_text(scraped.text)  # to look at, when it fails

            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), timeout=20) == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.stderr is not None
        log = (await process.stderr.read()).decode()

    samples = parse(scraped.text)
    assert value(samples, "exit_coach_updates_total", kind="command", outcome="ok") == 1
    assert value(samples, "exit_coach_updates_total", kind="tap", outcome="ok") == 1
    assert value(samples, "exit_coach_updates_total", kind="text", outcome="ok") == 1
    assert value(samples, "exit_coach_turn_duration_seconds_count", kind="text") == 1
    assert value(samples, "exit_coach_replies_sent_total") == 3
    assert value(samples, "exit_coach_telegram_429_total", method="sendMessage") == 1
    assert value(samples, "exit_coach_reminders_due") == 0
    assert value(samples, "exit_coach_database_up") == 1

    lines = [json.loads(line) for line in log.splitlines()]  # every line is JSON
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    chatter = [
        line for line in lines
        if not line["logger"].startswith("bot") and line["level"] in ("DEBUG", "INFO")
    ]  # fmt: skip
    assert chatter == [], chatter  # no scheduler, PTB or httpx lines below WARNING
    messages = [line["message"] for line in lines]
    assert any(m.startswith("polling for updates") for m in messages), messages
    assert any(m.startswith("metrics at http://127.0.0.1") for m in messages), messages
    assert "every update in hand is done; shutting down" in messages
    assert len(lines) < 15, messages  # a quiet log: start, stop, little else
    assert fake.token not in log and "Ada" not in log
