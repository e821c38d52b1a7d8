"""A whole conversation through the real Telegram adapter with every log record captured at
DEBUG: the token appears nowhere, and what the user typed never reaches INFO or above, even on
the error paths (the engine failing on an input, a handler raising)."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.logs import quiet_noisy_loggers
from bot.service import ConversationService
from tests.log_scan import leaks, record_text
from tests.telegram.harness import running_bot

ZED = 3001
NAME = "Zebulon Quartermaine"
BUSINESS = "Marzipan for astronauts"
CONTACT = "Philippa Moonbeam"
TOPIC = "heliotrope pricing"
BROKEN = "this breaks the engine: Quokka"
UNLUCKY = "this breaks the handler: Wombat"
USER_TEXTS = (NAME, BUSINESS, CONTACT, TOPIC, BROKEN, UNLUCKY)


async def test_a_conversation_logs_ids_and_kinds_never_texts_or_the_token(
    settings: Settings,
    engine: Engine,
    service: ConversationService,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiet_noisy_loggers()  # as the app configures logging
    caplog.set_level(logging.DEBUG)
    async with running_bot(settings, engine, service) as bot:
        token = bot.fake.token
        bot.fake.user(ZED, "Zebulon", "en")
        await bot.say(ZED, "/start", expect="Which language")
        await bot.tap(ZED, "English", expect="What should I call you?")
        await bot.say(ZED, NAME, expect="What do you do for a living")
        await bot.say(ZED, BUSINESS, expect="What do you want it to bring you?")
        await bot.tap(ZED, "Win customers", expect="bring you?")
        await bot.tap(ZED, "Done", expect="where are you?")
        await bot.say(ZED, "I'm in Leeds", expect="What can I do for you")
        await bot.say(ZED, "/followup", expect="Who did you meet?")
        await bot.say(ZED, CONTACT, expect="address each other")
        await bot.tap(ZED, "Formal", expect="How should the draft greet")
        await bot.tap(ZED, "Ms", expect="Where did you meet")
        await bot.tap(ZED, "Skip", expect="What did you talk about?")
        await bot.say(ZED, TOPIC, expect="What could you give")
        await bot.tap(ZED, "Skip", expect="Three ideas")
        await bot.tap(ZED, "Skip", expect="How would you like to get in touch?")
        await bot.say(ZED, "🚪 Get me out", expect="What's going on?")

        real_handle = service.engine.handle

        def engine_fails_on(session, user_input, *args, **kwargs):  # type: ignore[no-untyped-def]
            if getattr(user_input, "text", None) == BROKEN:
                raise RuntimeError("the engine broke on an input")
            return real_handle(session, user_input, *args, **kwargs)

        monkeypatch.setattr(service.engine, "handle", engine_fails_on)
        await bot.say(ZED, BROKEN, expect="something went wrong")

        real_service_handle = service.handle

        async def handler_fails_on(user_id, user_input, *args, **kwargs):  # type: ignore[no-untyped-def]
            if getattr(user_input, "text", None) == UNLUCKY:
                raise RuntimeError("a handler broke")
            return await real_service_handle(user_id, user_input, *args, **kwargs)

        monkeypatch.setattr(service, "handle", handler_fails_on)
        await bot.say(ZED, UNLUCKY, expect="something went wrong")
        assert bot.fake.unanswered_callback_queries() == []

    records = caplog.records
    everything = "\n".join(record_text(record) for record in records)
    # The capture sees what a leak would look like: PTB logs whole updates at DEBUG, and the
    # error paths were logged at ERROR with ids and kinds.
    assert all(text in everything for text in (NAME, BROKEN, UNLUCKY)), "DEBUG not captured"
    assert leaks(records, secrets=[token], user_texts=USER_TEXTS) == []
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert f"text input of user {ZED} failed" in errors
    assert any(f"(message) of user {ZED}" in message for message in errors)
    # transitions would log every callback at INFO; held at WARNING like httpx
    assert not [r for r in records if r.name.startswith(("transitions", "httpx"))]
