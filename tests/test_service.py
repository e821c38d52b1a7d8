"""The service: one user's inputs in order, a crash loses no answered step, errors are kind."""

from __future__ import annotations

import asyncio

import pytest

from bot.engine.io import Command, Reply, Text
from bot.service import ConversationService
from tests.dialog_client import DialogClient


async def test_one_users_inputs_are_handled_in_order(service: ConversationService) -> None:
    delivered: list[str] = []

    async def deliver(reply: Reply) -> None:
        await asyncio.sleep(0.01)  # a slow network must not let the next reply overtake
        delivered.append(reply.messages[-1].html)

    client = DialogClient(service)
    await client.send("/start")
    await client.tap("English")
    await asyncio.gather(
        service.handle(42, Text("Ada"), "en", deliver),
        service.handle(42, Text("Web design"), "en", deliver),
    )
    assert "What is your business" in delivered[0]
    assert "What do you want it to bring you?" in delivered[1]


async def test_engine_failure_is_logged_and_answered_kindly(
    service: ConversationService, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = DialogClient(service)
    await client.send("/start")
    before = await service.session(42)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(service.engine, "handle", explode)
    reply = await service.handle(42, Command("exit"), "en")
    assert "something went wrong on my side" in reply.messages[0].html
    assert "boom" in caplog.text
    assert await service.session(42) == before  # nothing half-done was saved


async def test_a_redelivered_update_is_applied_once(service: ConversationService) -> None:
    first = await service.handle(42, Command("start"), "en", update_id=10)
    assert first is not None
    assert await service.handle(42, Command("start"), "en", update_id=10) is None
    # A lower id that was never applied is not a redelivery: Telegram queues taps apart from
    # messages, and webhooks deliver concurrently, so an older update may arrive later.
    assert await service.handle(42, Command("start"), "en", update_id=9) is not None
    again = await service.handle(42, Text("no"), "en", update_id=11)
    assert again is not None and "Please tap one of the buttons" in again.messages[0].html
