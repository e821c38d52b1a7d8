"""A transport for the outbox that records what it sends: for tests of the service and the
reminders without Telegram. Its next message can be made to fail for good, and it can be slow."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.engine.io import OutgoingMessage
from bot.engine.telegram_html import visible_text
from bot.outbox import Kind, OutboxSender, Refused, TryLater
from bot.service import ConversationService


class RecordingLine:
    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause  # seconds each send takes: a slow network
        self.fail_next = False  # the next message fails for good
        self.down = False  # every message fails for now, as when the network is down
        self.delivered: list[tuple[int, OutgoingMessage]] = []
        self.lost: list[OutgoingMessage] = []
        self.mark = 0  # where the messages of the latest input start

    async def send(
        self, user_id: int, message: OutgoingMessage, *, kind: Kind, tapped_message_id: int | None
    ) -> None:
        await asyncio.sleep(self.pause)
        if self.down:
            raise TryLater("network down")
        if self.fail_next:
            self.fail_next = False
            self.lost.append(message)
            raise Refused("injected")
        self.delivered.append((user_id, message))

    def messages(self, user_id: int | None = None) -> list[OutgoingMessage]:
        return [m for u, m in self.delivered if user_id is None or u == user_id]

    @property
    def text(self) -> str:
        """What arrived since `mark`."""
        return "\n".join(visible_text(m.html) for _, m in self.delivered[self.mark :])


def send_through(service: ConversationService, line: RecordingLine) -> RecordingLine:
    """Give `service` an outbox sender on `line` (as the Telegram adapter does on Telegram)."""
    store = service.store
    service.sender = OutboxSender(
        store.database, line, max_age=timedelta(minutes=15), mark_unseen=store.mark_unseen,
        mark_seen=store.mark_seen, mark_blocked=store.mark_blocked, clock=service.clock,
    )  # fmt: skip
    return line
