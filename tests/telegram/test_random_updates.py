"""Property-based: random updates (any text, commands, taps on real and forged buttons, stickers,
edited messages, group chats) pushed through the real Telegram adapter at users in whatever
state the previous updates left them. Whatever happens: no unhandled error, every call the bot
makes is valid for Telegram (the fake refuses anything Telegram would), every tap is answered,
and the buttons a user sees last belong to the step the bot stored, so nobody answers a question
they never saw."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.engine import callback_data
from bot.engine.conversation import Engine
from bot.service import ConversationService
from tests.telegram.harness import BotUnderTest, running_bot

USERS = (3001, 3002)
GROUP = -4001
COMMANDS = ["/start", "/exit", "/help", "/cancel", "/prepare", "/followup", "/reflect",
            "/journal", "/events", "/settings", "/export", "/delete", "/nonsense", "/start koepfchen"]  # fmt: skip

texts = st.one_of(
    st.text(min_size=1, max_size=300),
    st.sampled_from(["Ada", "<b>&amp;", "{{ x }}", "morgen 19 Uhr", "in 2 hours", "3", "ja",
                     "🚪 Get me out", "🚪 Raus hier", "x" * 4096]),  # fmt: skip
)
actions = st.one_of(
    st.tuples(st.just("text"), st.sampled_from(USERS), texts),
    st.tuples(st.just("command"), st.sampled_from(USERS), st.sampled_from(COMMANDS)),
    st.tuples(st.just("tap"), st.sampled_from(USERS), st.integers(0, 20)),
    st.tuples(st.just("forged_tap"), st.sampled_from(USERS), st.text(max_size=64)),
    st.tuples(st.just("sticker"), st.sampled_from(USERS), st.just("")),
    st.tuples(st.just("edited"), st.sampled_from(USERS), texts),
    st.tuples(st.just("group"), st.sampled_from(USERS), texts),
)


@pytest.fixture
async def bot(
    settings: Settings, engine: Engine, service: ConversationService
) -> AsyncIterator[BotUnderTest]:
    async with running_bot(settings, engine, service) as running:
        for user_id in USERS:
            running.fake.user(user_id, "Ada", "en" if user_id % 2 else "de")
        yield running


async def settle(bot: BotUnderTest) -> None:
    """Wait until the bot fetched, handled and answered everything sent so far."""
    application = bot.application
    await bot.fake.wait_for(
        lambda: not bot.fake.pending_updates
        and not bot.fake.unanswered_callback_queries()
        and not application.inbox.busy,
        timeout=15,
    )


def act(bot: BotUnderTest, kind: str, user_id: int, value: Any) -> None:
    fake = bot.fake
    if kind in ("text", "command"):
        fake.send_text(user_id, value)
    elif kind == "edited":
        fake.send_text(user_id, value, edited=True)
    elif kind == "tap":
        shown = [(m, b) for m in fake.messages(user_id) for b in m.buttons]
        if shown:
            message, button = shown[value % len(shown)]
            fake.tap(user_id, message.message_id, button["callback_data"])
    elif kind == "forged_tap":
        messages = fake.messages(user_id)
        if messages:
            fake.tap(user_id, messages[-1].message_id, value, require_button=False)
    elif kind == "sticker":
        fake.send_update(
            {"message": {"message_id": 1, "date": 0, "from": {"id": user_id, "is_bot": False,
             "first_name": "Ada"}, "chat": {"id": user_id, "type": "private"},
             "sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular",
                         "width": 1, "height": 1, "is_animated": False, "is_video": False}}}
        )  # fmt: skip
    elif kind == "group":
        fake.send_update(
            {"message": {"message_id": 1, "date": 0, "from": {"id": user_id, "is_bot": False,
             "first_name": "Ada"}, "chat": {"id": GROUP, "type": "group", "title": "G"},
             "text": value}}
        )  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(actions, min_size=1, max_size=8))
async def test_random_updates_break_nothing(
    bot: BotUnderTest, steps: list[tuple[str, int, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    caplog.clear()
    for kind, user_id, value in steps:
        act(bot, kind, user_id, value)
        await settle(bot)
    assert bot.fake.errors == [], bot.fake.dump()
    assert bot.fake.unanswered_callback_queries() == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    for user_id in USERS:
        session = await bot.service.session(user_id)
        messages = bot.fake.messages(user_id)
        with_buttons = [m for m in messages if m.buttons]
        if session is None or not with_buttons:
            continue
        decoded = callback_data.decode(with_buttons[-1].buttons[0]["callback_data"])
        assert decoded is not None and decoded.step <= session.step, bot.fake.dump()
        if messages[-1].buttons:  # a step with buttons was shown last: it is the stored one
            # (a step typed into, like a name, has none: older buttons are then rightly stale)
            assert decoded.step == session.step, bot.fake.dump()
