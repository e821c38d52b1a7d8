"""Webhook mode on a real HTTP server on 127.0.0.1: the secret, the health endpoint, calls
handled concurrently, and a graceful stop that finishes the updates in hand."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.service import ConversationService
from bot.telegram.application import serve_webhook
from bot.telegram.webhook import (
    WebhookServer,
    WebhookUnavailable,
    webhook_path,
)
from bot.testkit.fake_bot_api import FakeBotApi

SECRET = "s3cret-token"
HOOK_URL = "https://bot.example.org/telegram/hook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_update(update_id: int, user_id: int) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "text": "/start",
            "chat": {"id": user_id, "type": "private", "first_name": "Ada"},
            "from": user,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


@dataclass
class Webhook:
    fake: FakeBotApi
    client: httpx.AsyncClient
    url: str
    health: str
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        response = await self.client.post(self.url, json=update, headers=headers)
        return response.status_code

    def answered(self, user_id: int) -> bool:
        return any("Which language" in m.plain_text for m in self.fake.messages(user_id))


@asynccontextmanager
async def webhook(settings: Settings, service: ConversationService) -> AsyncIterator[Webhook]:
    port = free_port()
    async with FakeBotApi() as fake, httpx.AsyncClient(timeout=10) as client:
        settings = settings.model_copy(
            update={
                "telegram_base_url": fake.base_url,
                "webhook_url": HOOK_URL,
                "webhook_secret": SecretStr(SECRET),
                "webhook_listen": "127.0.0.1",
                "port": port,
            }
        )
        stop = asyncio.Event()
        task = asyncio.create_task(serve_webhook(settings, stop, service=service))
        base = f"http://127.0.0.1:{port}"
        running = Webhook(fake, client, f"{base}/telegram/hook", f"{base}/healthz", stop, task)
        await fake.wait_for(lambda: task.done() or fake.webhook_url, timeout=15)
        for _ in range(500):
            if task.done() or await _status(client, running.health) == 200:
                break
            await asyncio.sleep(0.02)
        if task.done():
            task.result()  # start-up failed: show why
        try:
            yield running
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=15)


async def _status(client: httpx.AsyncClient, url: str) -> int:
    try:
        return (await client.get(url)).status_code
    except httpx.TransportError:
        return 0


async def test_registers_the_webhook_answers_telegram_and_refuses_strangers(
    settings: Settings, service: ConversationService
) -> None:
    assert webhook_path(HOOK_URL) == "/telegram/hook"
    async with webhook(settings, service) as hook:
        params = hook.fake.webhook_params
        assert params["url"] == HOOK_URL and params["secret_token"] == SECRET
        assert "callback_query" in params["allowed_updates"]
        assert "my_chat_member" in params["allowed_updates"]
        hook.fake.user(41)
        assert await hook.post(start_update(1, 41), secret=None) == 403
        assert await hook.post(start_update(1, 41), secret="guess") == 403
        assert await hook.post({"update_id": "x", "message": 5}) == 400
        assert (await hook.client.post(hook.url, content=b"{not json", headers={
            "X-Telegram-Bot-Api-Secret-Token": SECRET})).status_code == 400
        assert (await hook.client.get(hook.url)).status_code == 405
        other_path = hook.url.replace("/telegram/hook", "/other")
        assert (await hook.client.post(other_path, json={})).status_code == 404
        assert await hook.post(start_update(1, 41)) == 200
        await hook.fake.wait_for(lambda: hook.answered(41))
        health = await hook.client.get(hook.health)
        assert (health.status_code, health.text) == (200, "ok")


async def test_concurrent_calls_are_accepted_at_once_and_handled_concurrently(
    settings: Settings, service: ConversationService
) -> None:
    async with webhook(settings, service) as hook:
        users = [51, 52, 53, 54]
        for user in users:
            hook.fake.user(user)
        gate = hook.fake.hold("sendMessage")  # every answer is held: the updates stay in hand
        statuses = await asyncio.wait_for(
            asyncio.gather(*(hook.post(start_update(n, u)) for n, u in enumerate(users, 1))),
            timeout=5,
        )
        assert statuses == [200] * len(users)  # answered without waiting for the handling
        # all four are being handled at the same time, each waiting for its first send
        await hook.fake.wait_for(lambda: gate.waiting == len(users))
        gate.release()
        await hook.fake.wait_for(lambda: all(hook.answered(u) for u in users))


async def test_stop_refuses_new_calls_and_finishes_the_updates_in_hand(
    settings: Settings, service: ConversationService
) -> None:
    async with webhook(settings, service) as hook:
        hook.fake.user(61)
        hook.fake.user(62)
        gate = hook.fake.hold("sendMessage")
        assert await hook.post(start_update(1, 61)) == 200
        await hook.fake.wait_for(lambda: gate.waiting == 1)  # 61's update is in hand
        hook.stop.set()  # what SIGTERM does
        await hook.fake.wait_for(lambda: not hook.task.done())
        for _ in range(200):  # the server stops accepting at once, yet stays up to say so
            if await _status(hook.client, hook.health) == 503:
                break
            await asyncio.sleep(0.01)
        health = await hook.client.get(hook.health)
        assert (health.status_code, health.text) == (503, "stopping")
        assert await hook.post(start_update(2, 62)) == 503
        await asyncio.sleep(0.2)
        assert not hook.task.done()  # still waiting for 61's update to finish
        gate.release()
        await asyncio.wait_for(hook.task, timeout=10)
        hook.task.result()
        assert hook.answered(61)  # the update in hand was finished, not dropped
        assert not hook.fake.messages(62)  # the refused one was never handled here
        assert await _status(hook.client, hook.health) == 0  # and the server is closed
        session = await service.session(61)  # committed before the process let go
        assert session is not None and session.active is not None


async def test_health_is_503_when_the_database_does_not_answer(
    settings: Settings, service: ConversationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.store.executor import PostgresDatabase

    assert await service.store.database.probe()
    unreachable = PostgresDatabase(
        create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    )
    try:
        assert not await unreachable.probe()
    finally:
        await unreachable.dispose()
    async with webhook(settings, service) as hook:
        assert (await hook.client.get(hook.health)).status_code == 200

        async def database_down() -> bool:
            return False

        monkeypatch.setattr(service.store.database, "probe", database_down)
        health = await hook.client.get(hook.health)
        assert (health.status_code, health.text) == (503, "database not answering")
        hook.fake.user(71)
        assert await hook.post(start_update(1, 71)) == 200  # updates are still taken
        await hook.fake.wait_for(lambda: hook.answered(71))


async def test_a_port_in_use_is_a_clear_error(settings: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        async def up() -> bool:
            return True

        server = WebhookServer(None, path="/hook", secret=SECRET, database_ok=up)  # type: ignore[arg-type]
        with pytest.raises(WebhookUnavailable, match=f"Cannot listen on 127.0.0.1:{port}"):
            await server.listen("127.0.0.1", port)
