"""Replies that really arrive, or an honest recovery: faults injected into the fake Bot API.

For each fault: nothing is lost, nothing is answered twice (a possibly delivered timeout may
duplicate a message, on purpose: see bot/telegram/retry.py), and the user never answers a
question they did not see.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from prometheus_client import REGISTRY

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.engine.io import OutgoingMessage, Reply
from bot.service import ConversationService
from bot.telegram.application import FLOOD_RETRIES
from bot.telegram.delivery import Delivery
from bot.testkit.fake_bot_api import PARSE_ERROR
from tests.dialog_client import DialogClient
from tests.telegram.harness import BotUnderTest, running_bot

ADA = 1001


def counted(name: str, **labels: str) -> float:
    """A metric's value in this process now (its delta is what a test caused)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0
SENDS = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")
MISSED = "my last message did not reach you"


@pytest.fixture
async def bot(
    settings: Settings, engine: Engine, service: ConversationService
) -> AsyncIterator[BotUnderTest]:
    async with running_bot(settings, engine, service) as running:
        yield running
        assert running.fake.unanswered_callback_queries() == []


@dataclass
class Figures:
    """What one fault cost: Bot API send calls made, their statuses, messages that arrived."""

    statuses: list[int | None]
    delivered: list[str]

    @property
    def duplicates(self) -> int:
        return len(self.delivered) - len(set(self.delivered))


class Mark:
    """Where the fake's records stood before a fault was injected."""

    def __init__(self, bot: BotUnderTest) -> None:
        self.bot = bot
        self.calls = len(bot.fake.calls)
        self.messages = len(bot.fake.messages(ADA))

    def figures(self) -> Figures:
        calls = [c for c in self.bot.fake.calls[self.calls :] if c.method in SENDS]
        return Figures(
            [c.status for c in calls],
            [m.plain_text for m in self.bot.fake.messages(ADA)[self.messages :]],
        )


async def at_name_question(bot: BotUnderTest) -> None:
    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")
    await bot.tap(ADA, "English", expect="What should I call you?")


async def until(condition: Callable[[], Awaitable[object]], bot: BotUnderTest) -> None:
    """Wait (at most 10 s) until the async predicate holds, for outcomes no message shows."""
    for _ in range(1000):
        if await condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition not met\n{bot.fake.dump()}")


async def unseen(bot: BotUnderTest) -> bool:
    session = await bot.service.session(ADA)
    return session is not None and session.unseen


async def business(bot: BotUnderTest) -> object:
    session = await bot.service.session(ADA)
    assert session is not None and session.active is not None
    return session.active.answers.get("business")


# ------------------------------------------------------------------ faults that retries mend
async def test_help_arrives_despite_a_bad_gateway(bot: BotUnderTest) -> None:
    await DialogClient(bot.service, user_id=ADA).onboard()
    bot.fake.user(ADA)
    mark = Mark(bot)
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway")
    await bot.say(ADA, "/help", expect="How I can help")
    figures = mark.figures()
    assert figures.statuses == [502, 200], bot.fake.dump()
    assert len(figures.delivered) == 1 and figures.duplicates == 0
    assert not await unseen(bot)


async def test_flood_control_is_waited_out_by_the_rate_limiter_alone(bot: BotUnderTest) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    bot.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1, times=2)
    await bot.say(ADA, "Ada", expect="What do you do for a living")
    figures = mark.figures()
    assert figures.statuses == [429, 429, 200]
    assert len(figures.delivered) == 1 and figures.duplicates == 0


async def test_a_late_answer_costs_at_most_one_duplicate_never_a_loss(
    settings: Settings, engine: Engine, service: ConversationService
) -> None:
    async with running_bot(settings, engine, service, read_timeout=2.0) as bot:
        await at_name_question(bot)
        mark = Mark(bot)
        bot.fake.answer_late("sendMessage", 2.5)  # arrives, but the bot times out waiting
        await bot.say(ADA, "Ada", expect="What do you do for a living")
        await bot.fake.wait_for(lambda: len(mark.figures().statuses) == 2)
        figures = mark.figures()
        assert figures.statuses == [200, 200]
        assert len(figures.delivered) == 2 and figures.duplicates == 1  # the price, on purpose
        assert not await unseen(bot)  # it did arrive: the next text is an answer
        await bot.say(ADA, "Web design", expect="What do you want it to bring you?")
        assert await business(bot) == "Web design"


async def test_a_tap_is_answered_before_its_reply_is_sent(bot: BotUnderTest) -> None:
    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")
    mark = Mark(bot)
    bot.fake.fail_next("answerCallbackQuery", 502, "Bad Gateway")  # and is tried again
    await bot.tap(ADA, "English", expect="What should I call you?")
    order = [
        (c.method, c.status)
        for c in bot.fake.calls[mark.calls :]
        if c.method in (*SENDS, "answerCallbackQuery")
    ]
    assert order[:2] == [("answerCallbackQuery", 502), ("answerCallbackQuery", 200)], order
    assert order[2:] and all(call == ("sendMessage", 200) for call in order[2:]), order
    assert len(bot.fake.callback_answers) == 1


# ------------------------------------------------------------------ faults that do not mend
async def test_a_step_that_never_arrived_is_shown_again_before_any_answer(
    bot: BotUnderTest,
) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    before = counted("exit_coach_replies_failed_total", reason="network")
    undelivered = counted("exit_coach_updates_total", kind="text", outcome="undelivered")
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway", times=3)
    bot.fake.send_text(ADA, "Ada")
    await until(lambda: unseen(bot), bot)
    figures = mark.figures()
    assert figures.statuses == [502, 502, 502] and figures.delivered == []
    assert counted("exit_coach_replies_failed_total", reason="network") == before + 1
    assert (
        counted("exit_coach_updates_total", kind="text", outcome="undelivered") == undelivered + 1
    )

    again = await bot.say(ADA, "Web design", expect="What do you do for a living")  # never saw it
    assert MISSED in again.plain_text.lower()
    assert await business(bot) is None and not await unseen(bot)
    await bot.say(ADA, "Web design", expect="What do you want it to bring you?")
    assert await business(bot) == "Web design"


async def test_flood_control_the_limiter_gave_up_on_is_not_retried_twice(
    bot: BotUnderTest,
) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    # The limiter makes 1 + FLOOD_RETRIES calls, then RetryAfter reaches the delivery.
    calls = 1 + FLOOD_RETRIES
    refused = counted("exit_coach_telegram_429_total", method="sendMessage")
    gave_up = counted("exit_coach_replies_failed_total", reason="flood_control")
    bot.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1, times=calls)
    bot.fake.send_text(ADA, "Ada")
    await until(lambda: unseen(bot), bot)
    await asyncio.sleep(0.3)  # time enough for a wrong fifth call
    figures = mark.figures()
    assert figures.statuses == [429] * calls and figures.delivered == []
    assert counted("exit_coach_telegram_429_total", method="sendMessage") == refused + calls
    assert counted("exit_coach_replies_failed_total", reason="flood_control") == gave_up + 1
    again = await bot.say(ADA, "Web design", expect="What do you do for a living")
    assert MISSED in again.plain_text.lower() and await business(bot) is None


async def test_a_tap_whose_reply_never_arrives_is_answered_once(bot: BotUnderTest) -> None:
    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")
    languages = bot.fake.last_message(ADA)
    mark = Mark(bot)
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway", times=3)
    button = next(b for b in languages.buttons if "English" in b["text"])
    query = bot.fake.tap(ADA, languages.message_id, button["callback_data"])
    await until(lambda: unseen(bot), bot)
    assert query in bot.fake.callback_answers
    answers = [c for c in bot.fake.calls[mark.calls :] if c.method == "answerCallbackQuery"]
    assert [c.status for c in answers] == [200]
    await bot.say(ADA, "Ada", expect="What should I call you?")  # shown again, not taken
    session = await bot.service.session(ADA)
    assert session is not None and session.profile.name is None


async def test_a_blocked_user_is_remembered_and_not_retried(bot: BotUnderTest) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    blocked = counted("exit_coach_replies_failed_total", reason="blocked")
    bot.fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    bot.fake.send_text(ADA, "Ada")
    await until(lambda: bot.service.store.is_blocked(ADA), bot)
    await asyncio.sleep(0.3)  # time enough for a wrong retry
    assert mark.figures().statuses == [403]
    assert counted("exit_coach_replies_failed_total", reason="blocked") == blocked + 1
    assert not await unseen(bot)


# ------------------------------------------------------------------ every tap answered once
async def test_a_redelivered_tap_is_answered_and_not_applied(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")
    languages = bot.fake.last_message(ADA)

    async def applied_before(*args: object, **kwargs: object) -> None:
        return None  # what the store answers for an update it has applied already

    monkeypatch.setattr(bot.service.store, "turn", applied_before)
    button = next(b for b in languages.buttons if "English" in b["text"])
    query = bot.fake.tap(ADA, languages.message_id, button["callback_data"])
    await bot.fake.wait_for(lambda: query in bot.fake.callback_answers)
    await asyncio.sleep(0.2)
    assert bot.fake.last_message(ADA).message_id == languages.message_id  # nothing sent
    assert [c.status for c in bot.fake.calls if c.method == "answerCallbackQuery"] == [200]


async def test_a_tap_the_engine_failed_on_is_answered_before_the_apology(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.service.engine, "handle", explode)
    mark = Mark(bot)
    await bot.tap(ADA, "English", expect="Nothing you told me is lost")  # true: nothing saved
    methods = [
        c.method
        for c in bot.fake.calls[mark.calls :]
        if c.method in (*SENDS, "answerCallbackQuery")
    ]
    assert methods == ["answerCallbackQuery", "sendMessage"]


# ------------------------------------------------------------------ HTML Telegram refuses
async def test_html_telegram_cannot_parse_is_logged_with_its_template_and_sent_plain(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.user(ADA)
    blocked: list[int] = []

    async def on_blocked(user_id: int) -> None:
        blocked.append(user_id)

    delivery = Delivery(bot.application.bot, ADA, on_blocked=on_blocked)
    broken = OutgoingMessage("<b>Tom & Jerry</b> – <i>unclosed", template="prepare/_sheet")
    mark = Mark(bot)
    with caplog.at_level(logging.ERROR):
        await delivery(Reply([broken]))
    calls = [c for c in bot.fake.calls[mark.calls :] if c.method == "sendMessage"]
    assert [c.status for c in calls] == [400, 200]
    assert calls[0].description and calls[0].description.startswith(PARSE_ERROR)
    assert calls[1].params.get("parse_mode") is None
    assert bot.fake.last_message(ADA).plain_text == "Tom & Jerry – unclosed"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "prepare/_sheet" in errors[0].getMessage()
    assert blocked == []
