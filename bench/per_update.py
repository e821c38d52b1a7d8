"""Per-update throughput: our full path vs. python-telegram-bot with a no-op handler.

Both run real `Application.process_update` on the same machine in the same run, through an
in-memory request layer (no network), one update after another. Ours loads the session, runs
the engine, commits a transaction to a real SQLite file and sends the replies.
Target: ratio ≥ 0.2.

    .venv/bin/python bench/per_update.py [--updates 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler
from telegram.request import BaseRequest, RequestData

from bot.bootstrap import build_engine, open_service
from bot.config import get_settings
from bot.telegram.application import build_application

TOKEN = "123456:BENCH"


class InMemoryRequest(BaseRequest):
    """Answers every Bot API call at once with a plausible result."""

    def __init__(self) -> None:
        self.calls = 0

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        self.calls += 1
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        result: Any = True
        if endpoint == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "BenchBot"}
        elif endpoint in ("sendMessage", "editMessageText"):
            chat = {"id": int(params.get("chat_id", 1)), "type": "private"}
            result = {"message_id": self.calls, "date": 0, "chat": chat, "text": "x"}
        return 200, json.dumps({"ok": True, "result": result}).encode()


def script(user_id: int) -> list[dict[str, Any]]:
    """One user's journey: onboarding with an /exit in the middle (15 updates)."""
    user = {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "en"}
    chat = {"id": user_id, "type": "private"}

    def text(t: str) -> dict[str, Any]:
        entities = (
            [{"type": "bot_command", "offset": 0, "length": len(t)}] if t.startswith("/") else []
        )
        return {
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": chat,
                "from": user,
                "text": t,
                "entities": entities,
            }
        }

    def tap(data: str) -> dict[str, Any]:
        message = {"message_id": 1, "date": 0, "chat": chat, "text": "x"}
        return {
            "callback_query": {
                "id": "1",
                "from": user,
                "chat_instance": "1",
                "message": message,
                "data": data,
            }
        }

    return [
        text("/start"),
        tap("v1.1.en"),
        text("Ada"),
        text("/exit"),
        tap("v1.3.silence"),
        tap("v1.4.another"),
        tap("v1.5.tone"),
        tap("v1.6.done"),
        text("Web design"),
        tap("v1.8.customers"),
        tap("v1.9._done"),
        text("/help"),
        tap("v1.10.exit"),
        tap("v1.11.other_world"),
        tap("v1.12.done"),
    ]


def updates(count: int) -> list[dict[str, Any]]:
    raw: list[dict[str, Any]] = []
    user_id = 10_000
    while len(raw) < count:
        user_id += 1
        raw += script(user_id)
    return [{**u, "update_id": i + 1} for i, u in enumerate(raw[:count])]


async def measure(application: Application, count: int) -> float:  # type: ignore[type-arg]
    async with application:
        if application.post_init:
            await application.post_init(application)
        raw = updates(count)
        started = time.perf_counter()
        for data in raw:  # parsing the JSON update is part of every bot's per-update path
            await application.process_update(Update.de_json(data, application.bot))
        return count / (time.perf_counter() - started)


async def main(count: int) -> None:
    async def noop(update: Update, context: Any) -> None:
        return None

    async def echo(update: Update, context: Any) -> None:
        if update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, "ok")
        if update.callback_query:
            await update.callback_query.answer()

    baseline = Application.builder().token(TOKEN).request(InMemoryRequest()).build()
    baseline.add_handler(TypeHandler(Update, noop))
    echoing = Application.builder().token(TOKEN).request(InMemoryRequest()).build()
    echoing.add_handler(TypeHandler(Update, echo))

    with tempfile.TemporaryDirectory() as folder:
        settings = get_settings(
            telegram_bot_token=TOKEN,
            database_url=f"sqlite+aiosqlite:///{folder}/bench.db",
            _env_file=None,
        )
        engine = build_engine(settings)
        service = await open_service(settings, engine)
        ours = build_application(
            settings, engine, service, request=InMemoryRequest(), rate_limit=False
        )
        base_rate = await measure(baseline, count)
        echo_rate = await measure(echoing, count)
        our_rate = await measure(ours, count)
        await service.store.engine.dispose()
    print(f"updates per run:               {count}")
    print(f"PTB no-op handler:             {base_rate:9.0f} updates/s")
    print(f"PTB echo handler (1 send):     {echo_rate:9.0f} updates/s")
    print(f"exit coach (SQLite file):      {our_rate:9.0f} updates/s")
    print(f"ratio to no-op:                {our_rate / base_rate:9.4f}  (target >= 0.2)")
    print(f"ratio to echo:                 {our_rate / echo_rate:9.4f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=3000)
    asyncio.run(main(parser.parse_args().updates))
