"""The rate limiter on a clock of the test's own: every send's instant is exact, so "never more
than the budget in any sliding second" is checked send by send, not by luck of timing."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from telegram.error import RetryAfter

from bot.telegram.ratelimit import WINDOW, Priority, SendLimiter, sending_as

T = TypeVar("T")


class FakeTime:
    """Virtual time: `sleep` waits until the test's clock reaches its end; `drive` runs the loop
    until nothing can move, then jumps the clock to the next sleeper's end."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), woken))
        await woken

    async def drive(self, work: Awaitable[T]) -> T:
        task = asyncio.ensure_future(work)
        while True:
            for _ in range(50):  # every task that can run, runs (there is no real I/O here)
                await asyncio.sleep(0)
            if task.done():
                return task.result()
            while self._sleepers and self._sleepers[0][2].done():  # cancelled timers
                heapq.heappop(self._sleepers)
            assert self._sleepers, "stuck: nothing sleeps and the work is not done"
            at, _, woken = heapq.heappop(self._sleepers)
            self.now = max(self.now, at)
            woken.set_result(None)


@dataclass
class FakeTelegram:
    """Records when each call reached it; refuses the calls `refuse` names with 429."""

    time: FakeTime
    answer_after: float = 0.0  # seconds each call takes
    refuse: Callable[[int], float | None] = lambda number: None  # call number → retry_after
    sent: list[tuple[float, Any, str]] = field(default_factory=list)  # (when, chat, label)
    refused: list[float] = field(default_factory=list)
    _calls: itertools.count[int] = field(default_factory=itertools.count)

    def call(self, chat: Any, label: str) -> Callable[[], Awaitable[dict[str, Any]]]:
        async def post() -> dict[str, Any]:
            arrived = self.time.now
            retry_after = self.refuse(next(self._calls))
            if self.answer_after:
                await self.time.sleep(self.answer_after)
            if retry_after is not None:
                self.refused.append(arrived)
                raise RetryAfter(timedelta(seconds=retry_after))
            self.sent.append((arrived, chat, label))
            return {"ok": True}

        return post


def limiter_on(time: FakeTime, **options: Any) -> SendLimiter:
    return SendLimiter(clock=time.clock, sleep=time.sleep, **options)


async def send(
    limiter: SendLimiter, telegram: FakeTelegram, chat: Any, label: str = "", **extra: Any
) -> Any:
    post = telegram.call(chat, label)
    data = {"chat_id": chat} if chat is not None else {}
    return await limiter.process_request(
        callback=lambda: post(), args=(), kwargs={}, endpoint="sendMessage", data=data,
        rate_limit_args=extra.get("priority"),
    )  # fmt: skip


def most_in_any_window(instants: list[float], seconds: float = WINDOW) -> int:
    """The most sends within any half-open window [t, t + seconds) (Telegram's sliding one)."""
    ordered = sorted(instants)
    return max(
        (sum(1 for other in ordered if start <= other < start + seconds) for start in ordered),
        default=0,
    )


async def test_a_rush_gets_the_whole_budget_at_once_and_never_more_in_any_second() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time)
    await time.drive(asyncio.gather(*(send(limiter, telegram, chat) for chat in range(100))))
    instants = [at for at, _, _ in telegram.sent]
    assert len(instants) == 100
    assert instants.count(0.0) == 30  # the whole budget in the first instant, no trickle
    assert most_in_any_window(instants) == 30
    assert max(instants) == pytest.approx(3.0)  # 30, 30, 30, 10: what the limit allows


async def test_a_slow_answer_keeps_its_send_in_the_window_until_it_came() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time, answer_after=0.2)
    await time.drive(asyncio.gather(*(send(limiter, telegram, chat) for chat in range(60))))
    instants = sorted(at for at, _, _ in telegram.sent)
    # Telegram may count a send as late as its answer: the next 30 wait a second after that.
    assert instants[29] == 0.0 and instants[30] == pytest.approx(1.2)


async def test_one_chat_gets_a_short_burst_and_never_more_in_any_second() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time)
    await time.drive(asyncio.gather(*(send(limiter, telegram, 7, str(n)) for n in range(20))))
    instants = [at for at, _, _ in telegram.sent]
    assert [label for _, _, label in telegram.sent] == [str(n) for n in range(20)]  # in order
    assert instants[:3] == [0.0, 0.0, 0.0]
    assert most_in_any_window(instants) == 3


async def test_a_chat_may_have_a_longer_window_too() -> None:
    time = FakeTime()
    limiter = limiter_on(time, chat_windows=((3, 1.0), (10, 10.0)))
    telegram = FakeTelegram(time)
    await time.drive(asyncio.gather(*(send(limiter, telegram, 7, str(n)) for n in range(20))))
    instants = [at for at, _, _ in telegram.sent]
    assert most_in_any_window(instants) == 3
    assert most_in_any_window(instants, 10.0) == 10


async def test_a_busy_chat_does_not_hold_up_the_others() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time)
    busy = [send(limiter, telegram, 7) for _ in range(6)]
    await time.drive(asyncio.gather(*busy, send(limiter, telegram, 8, "other")))
    assert ("other", 0.0) in [(label, at) for at, _, label in telegram.sent]


async def test_a_waiting_reply_goes_before_every_waiting_reminder() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time)

    async def reminder(chat: int) -> None:
        with sending_as(Priority.REMINDER):
            await send(limiter, telegram, chat, "reminder")

    async def reply(chat: int) -> None:
        await time.sleep(0.5)  # asked for while 60 reminders wait for the budget
        await send(limiter, telegram, chat, "reply")

    work = [reminder(chat) for chat in range(90)] + [reply(1000 + n) for n in range(10)]
    await time.drive(asyncio.gather(*work))
    labels = [label for _, _, label in sorted(telegram.sent, key=lambda s: s[0])]
    assert labels[:30] == ["reminder"] * 30  # the rush before any reply was asked for
    assert labels[30:40] == ["reply"] * 10  # the next second's budget: replies first
    assert [at for at, _, label in telegram.sent if label == "reply"] == [1.0] * 10
    assert most_in_any_window([at for at, _, _ in telegram.sent]) == 30


async def test_the_priority_may_be_given_on_the_call_itself() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time)
    first = [send(limiter, telegram, n, "reminder", priority=Priority.REMINDER) for n in range(40)]
    later = [send(limiter, telegram, 100 + n, "reply") for n in range(5)]
    await time.drive(asyncio.gather(*first, *later))
    second = [label for at, _, label in telegram.sent if at == 1.0]
    assert second[:5] == ["reply"] * 5


async def test_a_429_pauses_every_send_and_the_sending_resumes_steadily() -> None:
    time = FakeTime()
    limiter = limiter_on(time)
    telegram = FakeTelegram(time, refuse=lambda number: 3.0 if number == 45 else None)
    await time.drive(asyncio.gather(*(send(limiter, telegram, chat) for chat in range(200))))
    instants = sorted(at for at, _, _ in telegram.sent)
    assert len(instants) == 200 and telegram.refused == [1.0]  # one 429, no second one
    paused_until = 1.0 + 3.0
    assert not [at for at in instants if 1.0 < at < paused_until]  # nothing during the pause
    after = [at for at in instants if at >= paused_until]
    # No burst when the pause ends: one send every 1/30 s, as long as there is work.
    gaps = [b - a for a, b in itertools.pairwise(after)]
    assert min(gaps) == pytest.approx(WINDOW / 30)
    assert most_in_any_window(instants) == 30
    # What the limit allows: the 200 at 30 a second, plus the pause (and the refused call's
    # own slot): within one slot of that.
    assert after[-1] <= 200 / 30 + 3.0 + 2 * WINDOW / 30


async def test_the_refused_call_goes_first_when_the_pause_ends() -> None:
    time = FakeTime()
    limiter = limiter_on(time)
    telegram = FakeTelegram(time, refuse=lambda number: 2.0 if number == 0 else None)
    await time.drive(asyncio.gather(*(send(limiter, telegram, chat) for chat in range(5))))
    assert telegram.refused == [0.0]
    assert [chat for _, chat, _ in telegram.sent][:1] == [0]
    assert telegram.sent[0][0] == pytest.approx(2.0)


async def test_flood_control_is_retried_a_bounded_number_of_times() -> None:
    time = FakeTime()
    limiter = limiter_on(time, retries=2)
    telegram = FakeTelegram(time, refuse=lambda number: 1.0)
    with pytest.raises(RetryAfter):
        await time.drive(send(limiter, telegram, 7))
    assert telegram.refused == [0.0, 1.0, 2.0]


async def test_calls_without_a_chat_take_no_budget_but_wait_out_a_pause() -> None:
    time = FakeTime()
    limiter = limiter_on(time)
    telegram = FakeTelegram(time, refuse=lambda number: 2.0 if number == 31 else None)
    rush = [send(limiter, telegram, chat) for chat in range(30)]
    await time.drive(asyncio.gather(*rush, send(limiter, telegram, None, "tap answer")))
    assert [at for at, _, label in telegram.sent if label == "tap answer"] == [0.0]

    async def during_the_pause() -> None:
        await time.sleep(1.5)
        await send(limiter, telegram, None, "during the pause")

    # The budget is spent until 1.0: then chat 100 goes, and is refused for 2 s.
    await time.drive(asyncio.gather(send(limiter, telegram, 100), during_the_pause()))
    assert telegram.refused == [1.0]
    assert [at for at, _, label in telegram.sent if label == "during the pause"] == [3.0]


async def test_instances_share_the_budget() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time)
    limiter.share_among(2)
    assert limiter.per_second == 15
    await time.drive(asyncio.gather(*(send(limiter, telegram, chat) for chat in range(45))))
    instants = [at for at, _, _ in telegram.sent]
    assert most_in_any_window(instants) == 15 and instants.count(0.0) == 15
    limiter.share_among(7)
    assert limiter.per_second == 4  # rounded down: seven instances never exceed the budget
    limiter.share_among(1)
    assert limiter.per_second == 30


async def test_a_caller_that_gives_up_while_waiting_frees_nothing_it_never_had() -> None:
    time = FakeTime()
    limiter, telegram = limiter_on(time), FakeTelegram(time)
    waiting = [asyncio.ensure_future(send(limiter, telegram, chat)) for chat in range(40)]
    await time.drive(asyncio.sleep(0))
    for task in waiting[30:]:
        task.cancel()
    await time.drive(asyncio.gather(*waiting, return_exceptions=True))
    await time.drive(asyncio.gather(*(send(limiter, telegram, 100 + n) for n in range(30))))
    assert len(telegram.sent) == 60
    assert most_in_any_window([at for at, _, _ in telegram.sent]) == 30
