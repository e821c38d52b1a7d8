"""The fake Bot API server (bot/testkit/fake_bot_api.py) with Telegram's flood limits enforced.

Telegram answers 429 "Too Many Requests: retry after N" when a bot sends more than about 30
messages per second overall, or more than a few per second into one chat. This fake counts every
call that puts or changes a message in a chat (send*, edit*) in sliding one-second windows and
refuses the ones over the limit the same way, so a bot that does not pace or retry loses replies
here as it would on Telegram. It also notes when each message arrived, for latency figures.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from bench.inmemory import fresh_update_id
from bot.testkit.fake_bot_api import FakeBotApi, FileInfo

OVERALL_PER_SECOND = 30  # Telegram: "no more than 30 messages per second" (bot FAQ)
PER_CHAT_PER_SECOND = 3  # "a few": Telegram tolerates short bursts above one per second


@dataclass(frozen=True)
class Delivery:
    at: float  # time.monotonic()
    chat_id: int
    method: str
    text: str


def counted(method: str) -> bool:
    name = method.lower()
    return name.startswith(("send", "edit", "copy", "forward"))


class FloodLimitedBotApi(FakeBotApi):
    def __init__(
        self,
        token: str = "123456:BENCH-FLOOD",
        *,
        overall: int = OVERALL_PER_SECOND,
        per_chat: int = PER_CHAT_PER_SECOND,
        window: float = 1.0,
    ) -> None:
        super().__init__(token)
        self.overall, self.per_chat, self.window = overall, per_chat, window
        self._recent: deque[float] = deque()
        self._recent_by_chat: dict[int, deque[float]] = {}
        self.deliveries: list[Delivery] = []
        self.by_chat: dict[int, list[Delivery]] = {}
        self.refused = 0  # 429s for calls over the limits
        self.injected = 0  # 429s `flood_once` asked for
        self._flood: int | None = None
        self._arrived: dict[int, asyncio.Event] = {}
        # Sessions stored by an earlier bot run remember the newest update id they applied.
        self._update_ids = itertools.count(fresh_update_id())

    def _wait_needed(self, chat_id: Any, now: float) -> float:
        """0 when the call may pass (and is counted), else the seconds until it could."""
        horizon = now - self.window
        while self._recent and self._recent[0] <= horizon:
            self._recent.popleft()
        chat = self._recent_by_chat.setdefault(chat_id, deque())
        while chat and chat[0] <= horizon:
            chat.popleft()
        waits = [q[0] + self.window - now for q, limit in ((self._recent, self.overall),
                 (chat, self.per_chat)) if len(q) >= limit]  # fmt: skip
        if waits:
            return max(waits)
        self._recent.append(now)
        chat.append(now)
        return 0.0

    def flood_once(self, seconds: int) -> None:
        """Refuse the next message with 429 `retry_after=seconds`, whatever the windows say:
        Telegram's own accounting is not the client's, and a bot must cope with a 429 it did
        not earn."""
        self._flood = seconds

    async def _handle(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, FileInfo]
    ) -> tuple[int, dict[str, Any]]:
        if counted(method) and self._flood is not None:
            seconds, self._flood = self._flood, None
            self.injected += 1
            self.fail_next(
                method, 429, f"Too Many Requests: retry after {seconds}", seconds, first=True
            )
        elif counted(method):
            wait = self._wait_needed(params.get("chat_id"), time.monotonic())
            if wait:
                self.refused += 1
                seconds = max(1, math.ceil(wait))  # Telegram's retry_after is whole seconds
                # The parent takes it before its first await, so no other call can.
                self.fail_next(
                    method, 429, f"Too Many Requests: retry after {seconds}", seconds, first=True
                )
        status, payload = await super()._handle(token, method, params, files)
        if status == 200 and counted(method):
            chat_id = params.get("chat_id")
            text = str(params.get("text") or params.get("caption") or "")
            delivery = Delivery(time.monotonic(), int(chat_id or 0), method, text)
            self.deliveries.append(delivery)
            self.by_chat.setdefault(delivery.chat_id, []).append(delivery)
            self.arrived(delivery.chat_id).set()
        return status, payload

    async def __aenter__(self) -> FloodLimitedBotApi:
        await self.start()
        return self

    def arrived(self, chat_id: int) -> asyncio.Event:
        """Set whenever a message reaches the chat; a waiting user clears it and checks."""
        return self._arrived.setdefault(chat_id, asyncio.Event())

    def first_after(self, chat_id: int, moment: float) -> float | None:
        """When the first message reached `chat_id` at or after `moment`, if one did."""
        return next((d.at for d in self.by_chat.get(chat_id, []) if d.at >= moment), None)

    def polling(self) -> bool:
        """The bot has asked for updates: it is up."""
        return any(call.method == "getUpdates" for call in self.calls)

    def unretried_429s(self) -> int:
        """Refused calls never followed by the same call succeeding: replies lost to flood
        control rather than merely delayed."""
        left = 0
        for number, call in enumerate(self.calls):
            if call.status != 429:
                continue
            same = (call.method, call.params.get("chat_id"), call.params.get("text"),
                    call.params.get("message_id"))  # fmt: skip
            if not any(
                later.ok
                and (
                    later.method,
                    later.params.get("chat_id"),
                    later.params.get("text"),
                    later.params.get("message_id"),
                )
                == same  # fmt: skip
                for later in self.calls[number + 1 :]
            ):
                left += 1
        return left
