"""Trying one Bot API call again where that is safe, and only for a few seconds.

How python-telegram-bot 22 reports a failed call (telegram.error), and what is done here:

- `RetryAfter` (flood control: 429 with `retry_after`). The bot's rate limiter
  (bot/telegram/ratelimit.py) already pauses every send and retries these itself, so one that
  reaches us through a limiter is final. Without a limiter it is waited out here, if the wait
  is short.
- `NetworkError`: any HTTP-layer failure (httpx errors become `NetworkError`) and any answer PTB
  has no better class for, among them 5xx such as 502 Bad Gateway. Telegram did not act on the
  request: tried again after a short, doubling pause.
- `TimedOut` (a `NetworkError`): see `RetryPolicy.run`.
- `BadRequest` (also a `NetworkError`!), `Forbidden` (the user blocked the bot) and every other
  `TelegramError`: sending the same again cannot help, so the caller gets them at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import httpx
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """A nervous user in a room needs the line now: three attempts within about two seconds
    (plus the calls themselves), then the caller is told the call failed."""

    attempts: int = 3
    backoff: float = 0.5  # seconds before the second attempt, doubled before each further one
    max_flood_wait: float = 5.0  # a longer RetryAfter is not waited for here
    flood_retried: bool = False  # the bot's rate limiter already retried RetryAfter: not again

    @classmethod
    def for_bot(cls, bot: Bot) -> RetryPolicy:
        """The policy for `bot`: flood control is left to its rate limiter, if it has one."""
        return cls(flood_retried=getattr(bot, "rate_limiter", None) is not None)

    async def run(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """Await `call()` (the Bot API method `what`), again where safe; raises the last error.

        A `TimedOut` while connecting or waiting for a free connection means nothing was sent:
        tried again like any network error. A `TimedOut` after the request went out (read or
        write timeout) may well have been delivered, only the answer is missing. Sending it once
        more risks a rare duplicate; not sending it risks a rare loss. For a nervous user standing
        in a room a loss is worse: they wait for a line that never comes, and would type their
        next answer to a question they never saw. A duplicate is harmless (its buttons work the
        same; a repeated edit is "not modified"). So such a call is sent once more, but only
        once: after a second such timeout it counts as not delivered, and the user's next input
        shows the step again.
        """
        resent_after_timeout = False
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                return await call()
            except BadRequest:  # a NetworkError subclass, but the same request fails the same
                raise
            except RetryAfter as error:
                if self.flood_retried or last or _seconds(error) > self.max_flood_wait:
                    raise
                wait, reason = _seconds(error) + 0.1, error.message  # a little after, as PTB does
            except TimedOut as error:
                if last or (_maybe_sent(error) and resent_after_timeout):
                    raise
                resent_after_timeout = resent_after_timeout or _maybe_sent(error)
                wait, reason = self._pause(attempt), error.message
            except NetworkError as error:
                if last:
                    raise
                wait, reason = self._pause(attempt), error.message
            log.info(
                "%s failed (%s); attempt %s of %s in %.1fs",
                what,
                reason,
                attempt + 1,
                self.attempts,
                wait,
            )
            await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _pause(self, attempt: int) -> float:
        return self.backoff * 2 ** (attempt - 1)


def _seconds(error: RetryAfter) -> float:
    value = error.retry_after  # a timedelta: bot.telegram sets PTB_TIMEDELTA
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _maybe_sent(error: TimedOut) -> bool:
    """False only when the request certainly never left (connect or pool timeout)."""
    return not isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)
