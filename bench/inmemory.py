"""A Bot API that answers in memory, and simulated users who read its replies and tap buttons.

The request layer answers every call at once, like Telegram would on success, so a benchmark
measures the bot's own per-update path (PTB's parsing and send path, the engine, the commit) and
not the network. It remembers each chat's newest inline keyboard so a simulated user can tap a
button by its label, exactly as a person would, instead of replaying hard-coded callback data
that goes stale when a dialog changes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.engine.telegram_html import visible_text
from bot.testkit.client import first_answer

TOKEN = "123456:BENCH"
SENDS = frozenset(("sendMessage", "sendPhoto", "sendDocument", "editMessageText"))


class InMemoryRequest(BaseRequest):
    """Answers every Bot API call at once with a plausible result."""

    def __init__(self) -> None:
        self.calls = 0
        self.keyboards: dict[int, tuple[int, list[dict[str, Any]]]] = {}  # chat → (msg, buttons)
        self.html: dict[int, str] = {}  # chat → the newest message's text as sent (HTML)
        self.first_send: dict[int, float] = {}  # chat → perf_counter of its first send
        self.sent: dict[int, int] = {}  # chat → messages sent or edited

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        self.calls += 1
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        result: Any = True
        if endpoint == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "BenchBot"}
        elif endpoint in SENDS:
            chat_id = int(str(params.get("chat_id", 1)))
            self.first_send.setdefault(chat_id, time.perf_counter())
            self.sent[chat_id] = self.sent.get(chat_id, 0) + 1
            message_id = int(str(params.get("message_id") or self.calls))
            if "text" in params:
                self.html[chat_id] = str(params["text"])
            markup = params.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                buttons = [b for row in markup["inline_keyboard"] for b in row]
                self.keyboards[chat_id] = (message_id, buttons)
            chat = {"id": chat_id, "type": "private"}
            result = {"message_id": message_id, "date": 0, "chat": chat, "text": "x"}
            if endpoint == "sendPhoto":
                result["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def text(self, chat_id: int) -> str:
        """The newest message's text as the user reads it: Telegram renders the HTML, not the
        bot, so that work stays out of the bot's timings."""
        return visible_text(self.html.get(chat_id, ""))


# A realistic journey (about 30 updates): onboarding interrupted by /exit, preparing an event
# with typed dates, /exit in the room, help. Labels are matched against the buttons shown.
Step = tuple[str, str]  # ("send", text) | ("tap", label)
JOURNEY: list[Step] = [
    ("send", "/start"),
    ("tap", "English"),
    ("send", "Ada"),
    ("send", "/exit"),
    ("tap", "Leave a conversation"),
    ("tap", "Different world"),
    ("tap", "Another line"),
    ("tap", "Done"),
    ("send", "I design websites for small shops."),
    ("tap", "Win customers"),
    ("tap", "Done"),
    ("send", "/prepare"),
    ("send", "Retail Meetup"),
    ("tap", "In person"),
    ("tap", "Yes"),
    ("tap", "Yes"),
    ("tap", "Win customers"),
    ("tap", "2"),
    ("send", "Owners of small shops"),
    ("send", "A checklist for better product pages"),
    ("tap", "Use this"),
    ("tap", "Different world"),
    ("tap", "Awkward silence"),
    ("tap", "Done"),
    ("send", "Retail Club"),
    ("send", "tomorrow 6:30pm"),
    ("send", "2h"),
    ("tap", "That's right"),
    ("tap", "All set"),
    ("send", "/exit"),
    ("tap", "Leave a conversation"),
    ("tap", "Only talks about themselves"),
    ("tap", "Done"),
    ("send", "/help"),
]
EXIT_ONLY: list[Step] = [
    ("send", "/exit"),
    ("tap", "Leave a conversation"),
    ("tap", "Awkward silence"),
    ("tap", "Done"),
]


class NoSuchButton(LookupError):
    """The journey taps a label the bot's newest buttons do not offer."""


@dataclass
class SimUser:
    """One user: builds the next update from the bot's last reply (taps need its buttons)."""

    user_id: int
    request: InMemoryRequest
    language: str = "en"
    _message_id: int = 0
    _query_id: int = field(default=0)

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": "U",
            "language_code": self.language,
        }

    def text(self, text: str) -> dict[str, Any]:
        self._message_id += 1
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {
            "message": {
                "message_id": self._message_id,
                "date": int(time.time()),
                "chat": {"id": self.user_id, "type": "private"},
                "from": self._user(),
                "text": text,
                "entities": entities,
            }
        }

    def tap(self, label: str) -> dict[str, Any]:
        message_id, buttons = self._shown(label)
        wanted = label.casefold()  # as a person reads them: case does not matter
        exact = [b for b in buttons if b.get("text", "").strip().casefold() == wanted]
        near = [b for b in buttons if wanted in b.get("text", "").casefold()]
        if not (exact or near):
            texts = [b.get("text") for b in buttons]
            raise NoSuchButton(f"user {self.user_id}: no button {label!r} in {texts}")
        return self._tap(message_id, (exact or near)[0]["callback_data"])

    def answer_unknown_step(self, update_id: int) -> dict[str, Any]:
        """The first answer to a step the journey does not know (one a coach added)."""
        message_id, buttons = self._shown("(any answer)")
        data = first_answer(b.get("callback_data", "") for b in buttons)
        if data is None:
            raise LookupError(f"user {self.user_id}: no answer to give in {buttons}")
        return {**self._tap(message_id, data), "update_id": update_id}

    def asked_again(self, notes: tuple[str, ...]) -> bool:
        """Whether the bot did not take the typed answer and asked for a button."""
        return self.request.text(self.user_id).startswith(notes)

    def _shown(self, label: str) -> tuple[int, list[dict[str, Any]]]:
        shown = self.request.keyboards.get(self.user_id)
        if shown is None:
            raise LookupError(f"user {self.user_id}: no buttons to tap {label!r}")
        return shown

    def _tap(self, message_id: int, data: str) -> dict[str, Any]:
        self._query_id += 1
        message = {
            "message_id": message_id,
            "date": 0,
            "chat": {"id": self.user_id, "type": "private"},
            "text": "x",
        }
        return {
            "callback_query": {
                "id": f"{self.user_id}-{self._query_id}",
                "from": self._user(),
                "chat_instance": str(self.user_id),
                "message": message,
                "data": data,
            }
        }

    def update(self, step: Step, update_id: int) -> dict[str, Any]:
        kind, value = step
        raw = self.text(value) if kind == "send" else self.tap(value)
        return {**raw, "update_id": update_id}


def fresh_update_id() -> int:
    """Telegram's update ids only grow; every source of updates in a run (this process, each
    fake server) starts from the clock in microseconds, above the ids of any earlier source."""
    return time.time_ns() // 1000


class UpdateIds:
    """Increasing update ids shared by all simulated users of one run, above any a bot process
    of the same run has seen (the bot skips an update id it applied before as a redelivery)."""

    def __init__(self) -> None:
        self.last = fresh_update_id()

    def __call__(self) -> int:
        self.last += 1
        return self.last
