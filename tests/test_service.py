"""The service: one user's inputs in order, a crash loses no answered step, errors are kind."""

from __future__ import annotations

import asyncio

import pytest

from bot.engine.io import Command, Text
from bot.service import ConversationService, ToOutbox
from tests.dialog_client import DialogClient
from tests.outbox_line import RecordingLine, send_through


async def test_one_users_inputs_are_handled_in_order(service: ConversationService) -> None:
    line = send_through(service, RecordingLine(pause=0.01))  # a slow network must not let the
    client = DialogClient(service)  # next reply overtake
    await client.send("/start")
    await client.tap("English")

    async def handle(text: str) -> None:
        await service.handle(42, Text(text), "en", to_outbox=ToOutbox())
        await service.deliver(42)

    await asyncio.gather(handle("Ada"), handle("Web design"))
    delivered = [m.html for m in line.messages(42)]
    assert "What do you do for a living" in delivered[0]
    assert "What do you want it to bring you?" in delivered[-1]


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
