"""Sending what turns committed to the outbox, for any transport (Telegram; a test's fake).

A turn writes its rendered reply into the outbox in its own commit (bot/store/outbox.py); then
the adapter asks for the user's rows to be delivered at once. Whatever is still in the outbox
after that (the process died, Telegram's flood control made it wait, the network failed) is
delivered by the sweep that every instance runs: at start and continuously. A user's messages
go out in order, by one instance at a time (a claim with a lease that runs out if its holder
dies), and each is deleted once Telegram took it.

Delivery is at least once: a process that dies after Telegram took a message and before its row
is deleted sends it again after the restart. Nobody answers a question they never saw: a
message that failed is tried again after a pause; as soon as one failed, the user's session is
flagged `unseen`, so their next typed text shows the step again instead of answering it; a reply
older than `max_age` is not sent stale at all.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from enum import Enum, StrEnum
from functools import partial
from typing import Protocol

from bot.engine.io import OutgoingMessage
from bot.pause import pause
from bot.store import outbox
from bot.store.executor import Database
from bot.store.outbox import OutboxRow

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)  # outlives a flood-control wait; a dead holder's soon runs out
SWEEP_SECONDS = 2.0  # how often the sweep looks for rows nobody is sending
SWEEP_USERS = 200  # users taken per sweep
SENDING_AT_ONCE = 64  # users whose rows are sent concurrently by one sweep (the limiter paces)
REMINDER_MAX_AGE = timedelta(hours=6)  # a reminder later than this is of no use any more


class Kind(StrEnum):
    """Why a message is sent: replies to what a user did go ahead of reminders."""

    REPLY = "reply"
    REMINDER = "reminder"
    # Says something without moving the user on (the apology after a failed turn): one that
    # never arrives leaves them at the step they saw last.
    NOTICE = "notice"


class TryLater(Exception):
    """The transport could not send now; `after` seconds is when it may work (None: unknown)."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class RecipientGone(Exception):
    """The user blocked the bot: nothing more is sent to them."""


class Refused(Exception):
    """The transport refused this message for good (sending it again cannot help)."""


class Transport(Protocol):
    async def send(
        self, user_id: int, message: OutgoingMessage, *, kind: Kind, tapped_message_id: int | None
    ) -> None:
        """Send one message or raise `TryLater`, `RecipientGone` or `Refused`."""
        ...


class Result(Enum):
    SENT = "sent"  # taken by the transport; the row is gone
    DROPPED = "dropped"  # never to be sent (stale, refused); the user's next input shows the step
    STOP = "stop"  # the user's later rows wait (a pause after a failure, or nothing more to send)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … seconds after each failed attempt, at most a minute."""
    return timedelta(seconds=min(2 ** (attempts - 1), 60))


class OutboxSender:
    def __init__(
        self,
        database: Database,
        transport: Transport,
        *,
        max_age: timedelta,
        mark_unseen: Callable[[int], Awaitable[None]],
        mark_seen: Callable[[int], Awaitable[None]],
        mark_blocked: Callable[[int], Awaitable[None]],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.database = database
        self.transport = transport
        self.max_age = max_age
        self.mark_unseen = mark_unseen
        self.mark_seen = mark_seen
        self.mark_blocked = mark_blocked
        self.clock = clock
        self.claimer = uuid.uuid4().hex  # this process, in the claims it holds
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._wake = asyncio.Event()
        self.sent = 0  # messages the transport took (for metrics and the bench)
        self.failures = 0  # failed attempts
        # Users whose delivery stopped at rows a turn here had claimed: the delivery sending
        # those goes on with the rest (it would otherwise wait for the next sweep).
        self._held_off: set[int] = set()

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = self._locks[user_id] = asyncio.Lock()
        return lock

    def wake(self) -> None:
        """Something is waiting to be sent: sweep now rather than at the next interval."""
        self._wake.set()

    def turn_claim(self) -> tuple[str, datetime]:
        """A claim of its own for a turn to write its reply with (`outbox.enqueue`), so that
        the delivery right after the commit needs no claim of its own: one write less for every
        reply. Its own, not this process's: another delivery of the same user here must leave
        those rows to the one they were claimed for."""
        return f"{self.claimer[:16]}{uuid.uuid4().hex[:16]}", self.clock() + LEASE

    async def deliver_user(self, user_id: int, claimed: list[OutboxRow] | None = None) -> None:
        """Send the user's waiting rows, in order, until none is left that may go now. With
        `claimed`, the rows the turn just committed claimed for this delivery (oldest first,
        older waiting ones included): those first, then more only if a delivery of this user
        found them held meanwhile."""
        lock = self._lock(user_id)  # a strong reference keeps it alive while we wait
        async with lock:
            late = False  # a message that had failed before arrived now
            if claimed:
                sent = await self._send_held(claimed)
                if sent is None:
                    return
                late = sent
                if user_id not in self._held_off:
                    return
            self._held_off.discard(user_id)
            while True:
                taken = await self.database.run(
                    partial(outbox.claim_user, user_id=user_id, claimer=self.claimer,
                            now=self.clock(), lease=LEASE),
                    write=True,
                )  # fmt: skip
                if taken.blocked:  # held by a turn's claim here (or another instance)
                    self._held_off.add(user_id)
                if not taken.rows:
                    break
                sent = await self._send_held(taken.rows)
                if sent is None:
                    return
                late = late or sent
            if late:  # everything arrived in the end: they see the step they are at
                await self.mark_seen(user_id)

    async def _send_held(self, rows: list[OutboxRow]) -> bool | None:
        """Send claimed rows in order; None if the user's later rows must wait (a failure, or
        another instance took them over), else whether one that had failed before arrived."""
        late = False
        claimed_at = self.clock()
        for index, row in enumerate(rows):
            held = rows[index:]
            if self.clock() - claimed_at > LEASE / 2:  # a long flood-control wait
                if not await self._extend(held):
                    return None  # taken over by another instance meanwhile
                claimed_at = self.clock()
            result = await self._send(row, held)
            if result is Result.STOP:
                return None
            late = late or (result is Result.SENT and row.attempts > 0)
        return late

    async def _extend(self, held: list[OutboxRow]) -> bool:
        return await self.database.run(
            partial(outbox.extend_claim, row_ids=[r.id for r in held], claimer=held[0].claimer,
                    until=self.clock() + LEASE),
            write=True,
        )  # fmt: skip

    async def _send(self, row: OutboxRow, held: list[OutboxRow]) -> Result:
        now = self.clock()
        if now - row.created_at > (
            REMINDER_MAX_AGE if row.kind == Kind.REMINDER else self.max_age
        ):
            log.warning("a %s to user %s is %s old: not sent stale", row.kind, row.user_id,
                        now - row.created_at)  # fmt: skip
            return await self._drop(row)
        try:
            await self.transport.send(
                row.user_id, row.message, kind=Kind(row.kind),
                tapped_message_id=row.tapped_message_id,
            )  # fmt: skip
        except RecipientGone:
            log.info("user %s blocked the bot; nothing more is sent to them", row.user_id)
            await self.mark_blocked(row.user_id)
            await self.database.run(partial(outbox.drop_user, user_id=row.user_id), write=True)
            return Result.STOP
        except Refused as refusal:
            self.failures += 1
            log.error("a %s to user %s was refused: %s", row.kind, row.user_id, refusal)
            return await self._drop(row)
        except TryLater as failure:
            self.failures += 1
            return await self._retry(row, held, failure)
        except Exception:  # a bug of ours: loud, and the row is tried again like a failure
            self.failures += 1
            log.exception("sending a %s to user %s failed", row.kind, row.user_id)
            return await self._retry(row, held, TryLater("unexpected error"))
        self.sent += 1
        # Ahead of any later write (a claim of this user's next rows included), not waited for.
        await self.database.write_behind(partial(outbox.delivered, row_id=row.id))
        return Result.SENT

    async def _drop(self, row: OutboxRow) -> Result:
        await self.database.run(partial(outbox.delivered, row_id=row.id), write=True)
        if row.kind != Kind.NOTICE:
            await self.mark_unseen(row.user_id)
        return Result.DROPPED

    async def _retry(self, row: OutboxRow, held: list[OutboxRow], failure: TryLater) -> Result:
        attempts = row.attempts + 1
        pause = backoff(attempts)
        if failure.after is not None:
            pause = max(pause, timedelta(seconds=failure.after))
        log.warning("a %s to user %s failed (%s); attempt %s in %.0fs", row.kind, row.user_id,
                    failure, attempts + 1, pause.total_seconds())  # fmt: skip
        await self.database.run(
            partial(outbox.try_again_later, row_id=row.id, attempts=attempts,
                    at=self.clock() + pause),
            write=True,
        )  # fmt: skip
        later = [r.id for r in held if r.id != row.id]
        if later:
            await self.database.run(
                partial(outbox.release, row_ids=later, claimer=row.claimer), write=True
            )
        if attempts == 1 and row.kind != Kind.NOTICE:  # their next text must not answer it
            await self.mark_unseen(row.user_id)
        return Result.STOP

    async def sweep(self) -> int:
        """Deliver every user's rows that nobody is sending; returns how many users had some."""
        users = await self.database.run(
            partial(outbox.due_users, now=self.clock(), limit=SWEEP_USERS)
        )
        slots = asyncio.Semaphore(SENDING_AT_ONCE)

        async def deliver(user_id: int) -> None:
            async with slots:
                try:
                    await self.deliver_user(user_id)
                except Exception:  # the database went away: the next sweep tries again
                    log.exception("delivering to user %s failed", user_id)

        await asyncio.gather(*(deliver(user_id) for user_id in users))
        return len(users)

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep until `stop`: now (what a dead process left), then whenever woken, at the
        next retry's time, and every SWEEP_SECONDS."""
        if self.database.dialect_name == "sqlite":  # one process: every claim is a dead one's
            await self.database.run(outbox.release_all_claims, write=True)
        while not stop.is_set():
            self._wake.clear()
            try:
                while await self.sweep() == SWEEP_USERS:
                    pass
            except Exception:
                log.exception("the outbox sweep failed; trying again shortly")
            await self._sleep(stop)

    async def _sleep(self, stop: asyncio.Event) -> None:
        wait = SWEEP_SECONDS
        try:
            due = await self.database.run(partial(outbox.next_due, now=self.clock()))
        except Exception:
            due = None
        if due is not None:
            wait = min(wait, max((due - self.clock()).total_seconds(), 0.0))
        await pause(wait, self._wake, stop)
