"""Replies that really arrive, or an honest recovery: faults injected into the fake Bot API.

For each fault: nothing is lost, nothing is answered twice (a possibly delivered timeout may
duplicate a message, on purpose: see bot/telegram/retry.py), and the user never answers a
question they did not see. A reply that failed waits in the outbox until its next attempt; the
service's clock is the test's, so the test says when that time has come (`retry_now`).
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
from bot.engine.io import OutgoingMessage
from bot.outbox import Kind
from bot.service import ConversationService
from bot.telegram.delivery import TelegramTransport
from bot.telegram.ratelimit import RETRIES
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


async def retry_now(bot: BotUnderTest) -> None:
    """The pause after a failed attempt is over: the outbox sends what waited."""
    bot.service.clock.advance(minutes=1)  # type: ignore[attr-defined]
    assert bot.service.sender is not None
    bot.service.sender.wake()


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


# ------------------------------------------------------------------ faults that last longer
async def test_a_step_that_did_not_arrive_is_sent_again_and_not_answered_meanwhile(
    bot: BotUnderTest,
) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    before = counted("exit_coach_replies_failed_total", reason="network")
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway", times=3)
    bot.fake.send_text(ADA, "Ada")
    await until(lambda: unseen(bot), bot)
    figures = mark.figures()
    assert figures.statuses == [502, 502, 502] and figures.delivered == []
    assert counted("exit_coach_replies_failed_total", reason="network") == before + 1

    # Typed before the question arrived: kept in order behind it, and not taken as its answer.
    bot.fake.send_text(ADA, "Web design")
    await asyncio.sleep(0.2)
    assert mark.figures().delivered == []  # the failed reply holds the user's later ones
    await retry_now(bot)
    again = await bot.answer_after(ADA, mark.messages, MISSED)
    assert "What do you do for a living" in bot.texts_since(ADA, mark.messages).split(MISSED)[0]
    assert "What do you do for a living" in again.plain_text
    assert await business(bot) is None and not await unseen(bot)
    await bot.say(ADA, "Web design", expect="What do you want it to bring you?")
    assert await business(bot) == "Web design"


async def test_a_reply_that_arrives_late_is_answered_as_usual(bot: BotUnderTest) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway", times=3)
    bot.fake.send_text(ADA, "Ada")
    await until(lambda: unseen(bot), bot)
    await retry_now(bot)
    await bot.answer_after(ADA, mark.messages, "What do you do for a living")

    async def seen() -> bool:
        return not await unseen(bot)

    await until(seen, bot)  # it did arrive: the next text is its answer
    await bot.say(ADA, "Web design", expect="What do you want it to bring you?")


async def test_flood_control_the_limiter_gave_up_on_waits_its_time_in_the_outbox(
    bot: BotUnderTest,
) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    # The limiter makes 1 + RETRIES calls, then RetryAfter reaches the outbox.
    calls = 1 + RETRIES
    refused = counted("exit_coach_telegram_429_total", method="sendMessage")
    gave_up = counted("exit_coach_replies_failed_total", reason="flood_control")
    bot.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1, times=calls)
    bot.fake.send_text(ADA, "Ada")
    await until(lambda: unseen(bot), bot)
    await asyncio.sleep(0.3)  # time enough for a wrong further call
    figures = mark.figures()
    assert figures.statuses == [429] * calls and figures.delivered == []
    assert counted("exit_coach_telegram_429_total", method="sendMessage") == refused + calls
    assert counted("exit_coach_replies_failed_total", reason="flood_control") == gave_up + 1
    await retry_now(bot)
    await bot.answer_after(ADA, mark.messages, "What do you do for a living")
    assert mark.figures().statuses == [429] * calls + [200]


async def test_a_reply_older_than_its_max_age_is_not_sent_stale(bot: BotUnderTest) -> None:
    await at_name_question(bot)
    mark = Mark(bot)
    bot.fake.fail_next("sendMessage", 502, "Bad Gateway", times=3)
    bot.fake.send_text(ADA, "Ada")
    await until(lambda: unseen(bot), bot)
    bot.service.clock.advance(hours=1)  # type: ignore[attr-defined]  # longer than the max age
    again = await bot.say(ADA, "Web design", expect=MISSED)
    assert "What do you do for a living" in again.plain_text
    assert bot.texts_since(ADA, mark.messages).count("What do you do for a living") == 1
    assert await business(bot) is None


async def test_a_tap_whose_reply_did_not_arrive_is_answered_once(bot: BotUnderTest) -> None:
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
    await retry_now(bot)
    await bot.answer_after(ADA, mark.messages, "What should I call you?")
    assert len(bot.fake.callback_answers) == 1


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
async def test_a_redelivered_tap_is_recognised_and_neither_applied_nor_answered_again(
    bot: BotUnderTest,
) -> None:
    """Telegram sends an update again when it did not hear in time that it arrived: it was
    kept and applied, and its tap answered, the first time."""
    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")
    await bot.tap(ADA, "English", expect="What should I call you?")
    before = await bot.service.session(ADA)
    mark = Mark(bot)
    bot.fake.send_again(max(bot.fake._sent_updates))  # the tap's update, once more
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates)
    await asyncio.sleep(0.3)  # time enough for a wrong answer or reply
    calls = [c.method for c in bot.fake.calls[mark.calls :] if c.method != "getUpdates"]
    assert calls == [] and await bot.service.session(ADA) == before


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
    transport = TelegramTransport(bot.application.bot)
    broken = OutgoingMessage("<b>Tom & Jerry</b> – <i>unclosed", template="prepare/_sheet")
    mark = Mark(bot)
    with caplog.at_level(logging.ERROR):
        await transport.send(ADA, broken, kind=Kind.REPLY, tapped_message_id=None)
    calls = [c for c in bot.fake.calls[mark.calls :] if c.method == "sendMessage"]
    assert [c.status for c in calls] == [400, 200]
    assert calls[0].description and calls[0].description.startswith(PARSE_ERROR)
    assert calls[1].params.get("parse_mode") is None
    assert bot.fake.last_message(ADA).plain_text == "Tom & Jerry – unclosed"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "prepare/_sheet" in errors[0].getMessage()
