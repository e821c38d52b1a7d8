"""Which failed Bot API calls are tried again, how often, and which never are."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.retry import RetryPolicy

FAST = RetryPolicy(backoff=0.001)


def script(*outcomes: Exception | str) -> tuple[Callable[[], Awaitable[str]], list[int]]:
    """A call that raises or returns the given outcomes in turn, and counts its calls."""
    calls: list[int] = []

    async def call() -> str:
        calls.append(1)
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return call, calls


def read_timeout() -> TimedOut:
    """A timeout after the request went out: Telegram may have carried it out."""
    error = TimedOut()
    error.__cause__ = httpx.ReadTimeout("read")
    return error


def connect_timeout() -> TimedOut:
    error = TimedOut()
    error.__cause__ = httpx.ConnectTimeout("connect")
    return error


async def test_bad_gateway_and_connection_errors_are_tried_again() -> None:
    call, calls = script(NetworkError("Bad Gateway"), NetworkError("Connection reset"), "ok")
    assert await FAST.run("sendMessage", call) == "ok"
    assert len(calls) == 3


async def test_three_attempts_at_most() -> None:
    call, calls = script(*[NetworkError("Bad Gateway")] * 5)
    with pytest.raises(NetworkError):
        await FAST.run("sendMessage", call)
    assert len(calls) == 3


@pytest.mark.parametrize(
    "error",
    [BadRequest("Bad Request: message is too long"), Forbidden("Forbidden: bot was blocked")],
)
async def test_refusals_are_never_tried_again(error: Exception) -> None:
    call, calls = script(error, "ok")
    with pytest.raises(type(error)):
        await FAST.run("sendMessage", call)
    assert len(calls) == 1


async def test_a_possibly_delivered_timeout_is_sent_once_more_only() -> None:
    call, calls = script(read_timeout(), "ok")
    assert await FAST.run("sendMessage", call) == "ok"
    call, calls = script(read_timeout(), read_timeout(), "ok")
    with pytest.raises(TimedOut):  # a second duplicate is not risked
        await FAST.run("sendMessage", call)
    assert len(calls) == 2


async def test_a_timeout_before_sending_is_an_ordinary_network_error() -> None:
    call, calls = script(connect_timeout(), connect_timeout(), "ok")
    assert await FAST.run("sendMessage", call) == "ok"
    assert len(calls) == 3


async def test_flood_control_is_left_to_the_rate_limiter() -> None:
    call, calls = script(RetryAfter(timedelta(seconds=0)), "ok")
    with pytest.raises(RetryAfter):  # AIORateLimiter retried it already
        await RetryPolicy(flood_retried=True).run("sendMessage", call)
    assert len(calls) == 1


async def test_flood_control_is_waited_out_without_a_rate_limiter() -> None:
    call, calls = script(RetryAfter(timedelta(milliseconds=10)), "ok")
    assert await FAST.run("sendMessage", call) == "ok"
    assert len(calls) == 2
    call, calls = script(RetryAfter(timedelta(seconds=60)), "ok")
    with pytest.raises(RetryAfter):  # a minute is longer than a user in a room can wait
        await FAST.run("sendMessage", call)
    assert len(calls) == 1


async def test_the_bot_decides_who_retries_flood_control() -> None:
    from telegram import Bot
    from telegram.ext import AIORateLimiter, ExtBot

    token = "123456:TEST-TOKEN"
    assert not RetryPolicy.for_bot(Bot(token)).flood_retried
    assert not RetryPolicy.for_bot(ExtBot(token)).flood_retried
    limited = ExtBot(token, rate_limiter=AIORateLimiter(max_retries=3))
    assert RetryPolicy.for_bot(limited).flood_retried
