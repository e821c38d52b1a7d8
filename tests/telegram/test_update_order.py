"""One user's updates are applied in update id order wherever they land.

Two instances (in one process, each with its own database connections and webhook server) on
one PostgreSQL database, behind one URL: Telegram pushes concurrently, so a user's tap can reach
one instance while the message they typed right after it reaches the other. Fifty users do that
at once, twice; every chat must read as if each had waited for the bot between the two."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from pydantic import SecretStr

from bot.bootstrap import open_service
from bot.config import Settings
from bot.telegram.application import serve_webhook
from bot.testkit.fake_bot_api import FakeBotApi
from tests.postgres import fresh_postgres_database
from tests.telegram.test_webhook import HOOK_URL, SECRET, free_port

USERS = range(8001, 8051)
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


class Telegram:
    """Numbers updates one after another, for all users together, as Telegram does."""

    def __init__(self, fake: FakeBotApi) -> None:
        self.fake = fake
        self.ids = itertools.count(1)
        self.queries = itertools.count(1)

    def text(self, user_id: int, text: str) -> dict[str, Any]:
        number = next(self.ids)
        chat = {"id": user_id, "type": "private", "first_name": "Ada"}
        body: dict[str, Any] = {
            "message_id": 10_000 + number, "date": 0, "text": text, "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en"},
        }  # fmt: skip
        if text.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        return {"update_id": number, "message": body}

    def tap(self, user_id: int, label: str) -> dict[str, Any]:
        shown = next(m for m in reversed(self.fake.messages(user_id)) if m.buttons)
        button = next(b for b in shown.buttons if label in b["text"])
        query_id = f"q{next(self.queries)}"
        self.fake._open_queries.add(query_id)  # the fake checks that every query is answered
        return {
            "update_id": next(self.ids),
            "callback_query": {
                "id": query_id, "from": self.fake._users[user_id],
                "chat_instance": str(user_id), "message": self.fake._message_json(shown),
                "data": button["callback_data"],
            },
        }  # fmt: skip


@asynccontextmanager
async def instance(settings: Settings, fake: FakeBotApi, url: str) -> AsyncIterator[str]:
    """One instance's webhook, serving until the block ends; yields its hook address."""
    port = free_port()
    settings = settings.model_copy(
        update={
            "database_url": url, "telegram_base_url": fake.base_url, "webhook_url": HOOK_URL,
            "webhook_secret": SecretStr(SECRET), "webhook_listen": "127.0.0.1", "port": port,
        }
    )  # fmt: skip
    service = await open_service(settings, exclusive=False)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(settings, stop, service=service))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            for _ in range(500):
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert not task.done(), task.result()
                await asyncio.sleep(0.02)
        yield f"{base}/telegram/hook"
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=20)
        await service.store.database.dispose()


async def test_a_tap_and_the_message_typed_right_after_it_are_applied_in_order(
    settings: Settings,
) -> None:
    async with AsyncExitStack() as stack:
        fake = await stack.enter_async_context(FakeBotApi())
        url = await stack.enter_async_context(fresh_postgres_database())
        first = await stack.enter_async_context(instance(settings, fake, url))
        second = await stack.enter_async_context(instance(settings, fake, url))
        client = await stack.enter_async_context(httpx.AsyncClient(timeout=20))
        telegram = Telegram(fake)

        async def post(hook: str, update: dict[str, Any]) -> None:
            answer = await client.post(hook, json=update, headers=HEADERS)
            assert answer.status_code == 200

        async def last_says(user_id: int, text: str) -> None:
            await fake.wait_for(
                lambda: bool(fake.messages(user_id))
                and text in fake.messages(user_id)[-1].plain_text,
                timeout=30,
            )

        for user in USERS:
            fake.user(user)
        await asyncio.gather(*(post(first, telegram.text(user, "/start")) for user in USERS))
        await asyncio.gather(*(last_says(user, "Which language") for user in USERS))

        # The tap to one instance, the name typed right after it to the other, all at once.
        pairs = [(telegram.tap(user, "English"), telegram.text(user, "Ada")) for user in USERS]
        await asyncio.gather(
            *(post(first, tap) for tap, _ in pairs), *(post(second, name) for _, name in pairs)
        )
        await asyncio.gather(*(last_says(user, "What do you do for a living") for user in USERS))

        # Again: a goal tapped at the first, "Done" typed right after it at the second.
        business = [telegram.text(user, "Web design for small shops") for user in USERS]
        await asyncio.gather(*(post(second, update) for update in business))
        await asyncio.gather(*(last_says(user, "bring you?") for user in USERS))
        pairs = [(telegram.tap(user, "Win customers"), telegram.text(user, "Done ✔")) for user in USERS]
        await asyncio.gather(
            *(post(first, tap) for tap, _ in pairs), *(post(second, done) for _, done in pairs)
        )
        await asyncio.gather(*(last_says(user, "where are you?") for user in USERS))
        # The time zone, asked of English speakers at /start, typed as a city to either one.
        await asyncio.gather(*(post(first, telegram.text(user, "London")) for user in USERS))
        await asyncio.gather(*(last_says(user, "What can I do for you") for user in USERS))
        await asyncio.sleep(0.5)  # time for a wrong extra answer

        for user in USERS:
            texts = [m.plain_text for m in fake.messages(user)]
            assert not any("earlier" in t or "did not reach" in t for t in texts), texts
            assert "Nice to meet you, Ada!" in "\n".join(texts)
        assert fake.unanswered_callback_queries() == []
        assert fake.errors == [], fake.dump()
