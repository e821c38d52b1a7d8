"""Runs the real Telegram adapter (long polling) against the fake Bot API server on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.service import ConversationService
from bot.telegram.application import build_application, running
from bot.telegram.polling import poll_updates
from bot.testkit.client import FILL_IN_LIMIT, ask_again_notes, first_answer
from bot.testkit.fake_bot_api import FakeBotApi, SentMessage


class BotUnderTest:
    """The running bot plus helpers that act as a user and wait for the bot's answer."""

    def __init__(self, fake: FakeBotApi, application: Application, service: ConversationService):  # type: ignore[type-arg]
        self.fake = fake
        self.application = application
        self.service = service

    async def say(self, user_id: int, text: str, expect: str, **kwargs: Any) -> SentMessage:
        mark = len(self.fake.messages(user_id))
        self.fake.send_text(user_id, text, **kwargs)
        return await self.answer_after(user_id, mark, expect)

    async def say_through(self, user_id: int, text: str, expect: str) -> SentMessage:
        """`say` for a test passing through a journey: a step it does not know (one a coach
        added) that asks for a button instead gets its first answer, then `text` again."""
        asked_again = ask_again_notes(self.service.engine.renderer)
        for _ in range(FILL_IN_LIMIT):
            mark = len(self.fake.messages(user_id))
            self.fake.send_text(user_id, text)
            answer = await self.answer_after(user_id, mark, expect, *asked_again)
            if not answer.plain_text.startswith(asked_again):
                return answer
            await self.tap(user_id, first_answer_button(answer)["text"], "", message=answer)
        return await self.say(user_id, text, expect)

    async def tap_through(self, user_id: int, label: str, expect: str) -> SentMessage:
        """`tap` for a test passing through a journey (see `say_through`)."""
        for _ in range(FILL_IN_LIMIT):
            message = newest_with_buttons(self.fake, user_id)
            if any(label in b["text"] for b in message.buttons):
                break
            await self.tap(user_id, first_answer_button(message)["text"], "", message=message)
        return await self.tap(user_id, label, expect)

    async def send(self, user_id: int, update: dict[str, Any], expect: str) -> SentMessage:
        mark = len(self.fake.messages(user_id))
        self.fake.send_update(update)
        return await self.answer_after(user_id, mark, expect)

    async def tap(
        self, user_id: int, label: str, expect: str, message: SentMessage | None = None
    ) -> SentMessage:
        """Tap the button whose text contains `label` on `message` (default: the newest with buttons)."""
        message = message or newest_with_buttons(self.fake, user_id)
        button = next((b for b in message.buttons if label in b["text"]), None)
        assert button is not None, f"no button {label!r} in {message.buttons}"
        edits_before = message.edit_count
        mark = len(self.fake.messages(user_id))
        query_id = self.fake.tap(user_id, message.message_id, button["callback_data"])
        await self.fake.wait_for(lambda: query_id not in self.fake.unanswered_callback_queries())
        await self.fake.wait_for(
            lambda: (
                any(expect in m.plain_text for m in self.fake.messages(user_id)[mark:])
                or (message.edit_count > edits_before and expect in message.plain_text)
            )
        )
        return self._newest_with(user_id, expect, mark) or message

    async def answer_after(
        self, user_id: int, mark: int, expect: str, *or_else: str
    ) -> SentMessage:
        """The newest message since `mark` that contains `expect` (or one of `or_else`)."""

        def found() -> SentMessage | None:
            return next(
                filter(None, (self._newest_with(user_id, e, mark) for e in (expect, *or_else))),
                None,
            )

        await self.fake.wait_for(lambda: found() is not None)
        message = found()
        assert message is not None
        return message

    def _newest_with(self, user_id: int, expect: str, mark: int) -> SentMessage | None:
        for message in reversed(self.fake.messages(user_id)[mark:]):
            if expect in message.plain_text:
                return message
        return None

    def texts_since(self, user_id: int, mark: int) -> str:
        return "\n".join(m.plain_text for m in self.fake.messages(user_id)[mark:])


def newest_with_buttons(fake: FakeBotApi, user_id: int) -> SentMessage:
    return next(m for m in reversed(fake.messages(user_id)) if m.buttons)


def first_answer_button(message: SentMessage) -> dict[str, Any]:
    """The button that answers a step a test does not know (see `first_answer`)."""
    data = first_answer(b["callback_data"] for b in message.buttons)
    assert data is not None, f"no answer to give to {message.plain_text[:80]!r}"
    return next(b for b in message.buttons if b["callback_data"] == data)


@asynccontextmanager
async def running_bot(
    settings: Settings,
    engine: Engine,
    service: ConversationService,
    *,
    read_timeout: float | None = None,
) -> AsyncIterator[BotUnderTest]:
    """`read_timeout` shortens how long the bot waits for an answer (PTB's default is 5 s), for
    tests where the fake answers too late on purpose."""
    async with FakeBotApi() as fake:
        settings = settings.model_copy(update={"telegram_base_url": fake.base_url})
        request = None
        if read_timeout is not None:
            request = HTTPXRequest(connection_pool_size=8, read_timeout=read_timeout)
        application = build_application(settings, engine=engine, service=service, request=request)
        async with running(application):
            stop = asyncio.Event()
            polling = asyncio.create_task(
                poll_updates(application.bot, application.inbox, stop, hold=1)
            )
            try:
                yield BotUnderTest(fake, application, service)
            finally:
                stop.set()
                await polling
