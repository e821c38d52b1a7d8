"""Simulated people in front of the fake Bot API: they send, tap, and wait for the answer like a
person would (the next step only once the reply that asks for it is there)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from bench.flood_api import FloodLimitedBotApi

# (kind, text or button label, a fragment of the reply that completes the step)
Step = tuple[str, str, str]


@dataclass
class Outcome:
    first_reply: list[float] = field(default_factory=list)  # seconds, one per answered step
    complete: list[float] = field(default_factory=list)  # until the expected reply was there
    lost: int = 0  # steps never answered (and the ones a stuck user could not take)


def _shown(fake: FloodLimitedBotApi, user_id: int) -> dict[int, tuple[int, str]]:
    return {m.message_id: (m.edit_count, m.plain_text) for m in fake.messages(user_id)}


def _answered(fake: FloodLimitedBotApi, user_id: int, before: dict, expect: str) -> bool:
    """A new message, or one edited since the step, shows `expect`."""
    for message in fake.messages(user_id):
        old = before.get(message.message_id)
        if (old is None or old[0] != message.edit_count) and expect in message.plain_text:
            return True
    return False


def act(fake: FloodLimitedBotApi, user_id: int, kind: str, value: str) -> None:
    if kind == "send":
        fake.send_text(user_id, value)
        return
    for message in reversed(fake.messages(user_id)):
        for button in message.buttons:
            if value.casefold() in button.get("text", "").casefold():
                fake.tap(user_id, message.message_id, button["callback_data"])
                return
    raise LookupError(f"user {user_id}: no button {value!r} to tap")


async def person(
    fake: FloodLimitedBotApi, user_id: int, steps: list[Step], patience: float, into: Outcome
) -> None:
    """Take `steps` in order; a step unanswered within `patience` seconds ends the attempt."""
    for number, (kind, value, expect) in enumerate(steps):
        before = _shown(fake, user_id)
        arrived = fake.arrived(user_id)
        arrived.clear()
        sent = time.monotonic()
        act(fake, user_id, kind, value)
        deadline = sent + patience
        while not _answered(fake, user_id, before, expect):
            left = deadline - time.monotonic()
            if left <= 0:
                into.lost += len(steps) - number
                first = fake.first_after(user_id, sent)
                if first is not None:
                    into.first_reply.append(first - sent)
                return
            arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), left)
        into.complete.append(time.monotonic() - sent)
        first = fake.first_after(user_id, sent)
        into.first_reply.append((first or time.monotonic()) - sent)
