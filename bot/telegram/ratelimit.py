"""One rate limiter for everything the bot sends: python-telegram-bot's `BaseRateLimiter`, ours.

Every Bot API call of the bot (`ExtBot._do_post`, all but `getUpdates`) passes `process_request`
here. Why not PTB's `AIORateLimiter`: its bucket lets 2× the budget through in the first second
of a rush (a full bucket, then the refill), it has no priorities, and after a 429 every send
that waited has its slot already and goes at once when the pause ends, earning the next 429.

What this one does:

- **The whole budget, never more.** Each instance keeps a log of its send instants and admits a
  message only while fewer than its budget were sent in the last `WINDOW` (a sliding second):
  a rush gets the whole budget at once, and no second ever holds more. A send counts from the
  moment it is admitted until a `WINDOW` after its answer arrived (Telegram counted it somewhere
  in between), so a slow answer never lets the next second's sends overlap this one's.
- **Per chat as well**: at most `CHAT_WINDOWS` messages into one chat (3 within any second).
- **Replies ahead of reminders.** A waiting call goes in priority order (`Priority`, told by the
  caller through `sending_as` or the call's `rate_limit_args`), first come first within one; a
  call whose chat is at its own limit is passed over for the next that may go.
- **Shared between instances**: `share_among(n)` gives this instance `budget // n` of the
  bot's budget (bot/presence.py counts the live instances through the store).
- **A 429 pauses everything** until its `retry_after` has passed, and then there is no burst:
  the log is filled as if the budget had been spent evenly over the second before the pause
  ends, so sends resume at the steady rate (one every `WINDOW / budget`) and only reach a burst
  again once a second went by under the budget. The refused call is tried again first (it keeps
  its place), at most `retries` times; then `RetryAfter` reaches the caller (the outbox).

Calls that put nothing into a chat (no `chat_id`: answering a tap, setting commands) take no
part of the budget but wait out a pause like the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
import time
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from enum import IntEnum
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot import metrics

log = logging.getLogger(__name__)

WINDOW = 1.0  # seconds: Telegram's limits are per second
# Telegram's bot FAQ: "no more than 30 messages per second" for the whole bot (the budget the
# instances share; MESSAGES_PER_SECOND), and into one chat "avoid sending more than one message
# per second. We may allow short bursts that go over this limit". A conversation is such bursts:
# a step's reply of two or three messages at once, then the user reads and answers. So one chat
# gets at most 3 within any second (as the benchmark's fake Telegram enforces), and no window
# longer than that: a quick user must not wait for their own replies (a 10-in-10-seconds rule
# made onboarding at a brisk pace stall). A chat Telegram still refuses pauses sending (429).
BOT_PER_SECOND = 30
CHAT_WINDOWS: tuple[tuple[int, float], ...] = ((3, 1.0),)  # (messages, within seconds), …
RETRIES = 5  # a call refused with 429 is tried again this often before the outbox gets it

Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


class Priority(IntEnum):
    """Who waits for the message: a user who just did something goes first. (Non-zero values:
    python-telegram-bot drops a falsy `rate_limit_args`.)"""

    REPLY = 1
    REMINDER = 2


_priority: ContextVar[Priority] = ContextVar("send_priority", default=Priority.REPLY)


@contextlib.contextmanager
def sending_as(priority: Priority) -> Iterator[None]:
    """Every Bot API call made inside the block (in this task) waits with `priority`."""
    token = _priority.set(priority)
    try:
        yield
    finally:
        _priority.reset(token)


@dataclass
class Send:
    """One admitted call in the logs: in flight until `at` is set to when its answer came."""

    at: float = math.inf


class SlidingLog:
    """The send instants of one scope (the instance, one chat), against `(limit, seconds)`
    windows: one more may go while every window holds fewer than its limit."""

    def __init__(self, windows: tuple[tuple[int, float], ...]) -> None:
        self.windows = windows
        self.sends: list[Send] = []

    def wait(self, now: float) -> float:
        """0 when one more may go at `now`, else the seconds until one could (inf: until a send
        in flight is answered)."""
        longest = max(seconds for _, seconds in self.windows)
        self.sends = [send for send in self.sends if send.at > now - longest]
        needed = 0.0
        for limit, seconds in self.windows:
            inside = sorted(send.at for send in self.sends if send.at > now - seconds)
            if len(inside) >= limit:  # the one that must leave first for another to fit
                needed = max(needed, inside[len(inside) - limit] + seconds - now)
        return needed

    @property
    def empty(self) -> bool:
        return not self.sends


@dataclass(order=True)
class Waiter:
    priority: int
    order: int  # first come first within a priority; a retried call keeps its place
    chat: int | str | None = field(compare=False)
    admitted: asyncio.Future[Send] = field(compare=False)


class Schedule:
    """Which waiting calls may go now: the limiter's decisions, apart from asyncio and the
    clock so that they can be followed step by step."""

    def __init__(self, per_second: int, chat_windows: tuple[tuple[int, float], ...]) -> None:
        self.per_second = per_second
        self.chat_windows = chat_windows
        self.overall = SlidingLog(((per_second, WINDOW),))
        self.chats: dict[int | str, SlidingLog] = {}
        self.waiting: list[Waiter] = []  # a heap: priority, then order
        self.paused_until = -math.inf

    def set_rate(self, per_second: int) -> None:
        self.per_second = per_second
        self.overall.windows = ((per_second, WINDOW),)

    def admit(self, now: float) -> float | None:
        """Admit every waiter that may go at `now`, best first; the time to look again (None:
        nothing waits, or only for an answer in flight)."""
        if now < self.paused_until:
            return self.paused_until if self.waiting else None
        wake = math.inf
        passed_over: list[Waiter] = []
        full = False  # the instance's budget is spent: only calls without a chat may go
        while self.waiting:
            waiter = heapq.heappop(self.waiting)
            if waiter.admitted.done():  # its caller gave up (cancelled)
                continue
            if waiter.chat is None:
                waiter.admitted.set_result(Send(now))
                continue
            if full:
                passed_over.append(waiter)
                continue
            overall_wait = self.overall.wait(now)
            if overall_wait > 0:
                full = True
                passed_over.append(waiter)
                wake = min(wake, now + overall_wait)
                continue
            chat = self.chats.setdefault(waiter.chat, SlidingLog(self.chat_windows))
            chat_wait = chat.wait(now)
            if chat_wait > 0:  # its chat is at its own limit: the next one may go
                passed_over.append(waiter)
                wake = min(wake, now + chat_wait)
                continue
            send = Send()
            self.overall.sends.append(send)
            chat.sends.append(send)
            waiter.admitted.set_result(send)
        for waiter in passed_over:
            heapq.heappush(self.waiting, waiter)
        self._forget_idle_chats(now)
        return None if math.isinf(wake) else wake

    def pause(self, now: float, seconds: float) -> None:
        """Telegram said: nothing for `seconds`. Afterwards the steady rate, not a burst: the log
        is filled as if the whole budget had gone evenly over the last `WINDOW` of the pause."""
        until = now + seconds
        if until <= self.paused_until:
            return
        self.paused_until = until
        step = WINDOW / self.per_second
        self.overall.sends += [Send(until - WINDOW + k * step) for k in range(self.per_second)]

    def _forget_idle_chats(self, now: float) -> None:
        if len(self.chats) > 1024:
            for chat, chat_log in list(self.chats.items()):
                chat_log.wait(now)  # drops what is out of every window
                if chat_log.empty:
                    del self.chats[chat]


class SendLimiter(BaseRateLimiter[Priority]):
    """The bot's rate limiter (see the module's docstring); `budget` is the whole bot's messages
    per second, of which this instance takes its share."""

    def __init__(
        self,
        budget: int = BOT_PER_SECOND,
        *,
        retries: int = RETRIES,
        chat_windows: tuple[tuple[int, float], ...] = CHAT_WINDOWS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
    ) -> None:
        self.budget = budget
        self.retries = retries
        self.clock = clock
        self.sleep = sleep
        self.schedule = Schedule(budget, chat_windows)
        self._order = itertools.count()
        self._timer: asyncio.Task[None] | None = None
        self._timer_at = math.inf
        metrics.SEND_RATE.set(budget)

    @property
    def per_second(self) -> int:
        """Messages per second this instance may send now."""
        return self.schedule.per_second

    def share_among(self, instances: int) -> None:
        """`instances` live instances share the bot's budget: this one takes its part."""
        per_second = max(1, self.budget // max(1, instances))
        if per_second != self.schedule.per_second:
            log.info("sending at most %s messages a second (%s instances share %s)",
                     per_second, instances, self.budget)  # fmt: skip
            self.schedule.set_rate(per_second)
            metrics.SEND_RATE.set(per_second)
            self._admit()

    async def initialize(self) -> None:
        """Nothing to set up: the logs start empty."""

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._timer_at = None, math.inf

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        priority = rate_limit_args or _priority.get()
        chat = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):  # an int given as a string
            chat = int(chat)  # type: ignore[arg-type]
        order = next(self._order)
        asked = self.clock()
        for attempt in range(self.retries + 1):
            send = await self._admitted(priority, order, chat)
            if attempt == 0:
                metrics.SEND_WAIT.labels(priority.name.lower()).observe(self.clock() - asked)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = _seconds(error.retry_after)
                self.schedule.pause(self.clock(), seconds)
                if attempt == self.retries:
                    log.warning("%s refused by flood control %s times; given up for now",
                                endpoint, attempt + 1)  # fmt: skip
                    raise
                log.info("%s refused by flood control: every send waits %.1fs", endpoint, seconds)
            finally:
                send.at = self.clock()  # counted from its answer: Telegram had it by then
                self._admit()
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _admitted(self, priority: int, order: int, chat: int | str | None) -> Send:
        admitted: asyncio.Future[Send] = asyncio.get_running_loop().create_future()
        heapq.heappush(self.schedule.waiting, Waiter(priority, order, chat, admitted))
        self._admit()
        try:
            return await admitted
        except asyncio.CancelledError:
            if admitted.done() and not admitted.cancelled():  # admitted, then cancelled
                admitted.result().at = self.clock()
            admitted.cancel()
            raise

    def _admit(self) -> None:
        wake = self.schedule.admit(self.clock())
        if wake is None or wake >= self._timer_at:
            return  # a timer that fires sooner looks again then
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = wake
        self._timer = asyncio.get_running_loop().create_task(self._look_again(wake))

    async def _look_again(self, at: float) -> None:
        await self.sleep(max(at - self.clock(), 0.0))
        self._timer, self._timer_at = None, math.inf
        self._admit()


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
