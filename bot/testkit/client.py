"""A user that a transcript (or a test) drives: `send()` text or commands, `tap()` buttons by
label, and read back what the bot showed.

It goes through the real service (engine + store), so every step also round-trips the session
through JSON in the database, exactly as on Telegram.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from bot.engine.callback_data import decode
from bot.engine.io import (
    Button,
    Document,
    Reply,
    Shared,
    Tap,
    Text,
    Unsupported,
    UserInput,
    parse_command,
)
from bot.engine.render import Renderer
from bot.engine.telegram_html import visible_text
from bot.service import ConversationService

FILL_IN_LIMIT = 3  # steps in a row a scripted user answers without knowing them


def first_answer(datas: Iterable[str]) -> str | None:
    """The data of the first button that answers the step itself: not Back, Skip or Done,
    whose options start with "_". A scripted user (a test, the benchmark) that meets a step it
    does not know, such as one a coach has just added, answers it with this and goes on."""
    for data in datas:
        button = decode(data)
        if button is not None and not button.option.startswith("_"):
            return data
    return None


def asked_again(reply: Reply) -> bool:
    """Whether the bot answered with one of its `invalid/…` notes (it did not take the answer)."""
    return any(
        part.startswith("invalid/") for m in reply.messages for part in m.template.split("+")
    )


def ask_again_notes(renderer: Renderer) -> tuple[str, ...]:
    """How a message starts that did not take a typed answer and asks for a button, in each
    language, as the user reads it (for scripted users that see only the text)."""
    return tuple(
        visible_text(renderer.render_one(lang, "invalid/use_buttons"))
        for lang in renderer.languages
    )


class NoSuchButton(LookupError):
    """A transcript taps a button the bot did not offer."""

    def __init__(self, label: str, reply: Reply) -> None:
        super().__init__(f"no button {label!r}")
        self.label = label
        self.reply = reply


class TranscriptClient:
    def __init__(self, service: ConversationService, user_id: int = 42, language: str = "en"):
        self.service = service
        self.user_id = user_id
        self.language = language
        self.replies: list[Reply] = []

    async def send(self, text: str) -> Reply:
        return await self._handle(parse_command(text) or Text(text))

    async def send_document(self, path: Path, name: str | None = None) -> Reply:
        """Send a file as a document, as the Telegram adapter passes it on (`name` overrides
        the file name the user's phone gives it)."""
        content = await asyncio.to_thread(path.read_bytes)
        return await self._handle(Document(name or path.name, content))

    async def share_contact(self, name: str) -> Reply:
        """What the Telegram adapter makes of a shared contact (first + last name)."""
        return await self._handle(Shared("contact", {"name": name}))

    async def send_other(self, what: str) -> Reply:
        """Something that is not text (a sticker, a photo, an edited message…)."""
        return await self._handle(Unsupported(what))

    async def tap(self, label: str, *, replies_ago: int = 0) -> Reply:
        """Tap the newest button whose label is (or else contains) `label`, case aside; in an
        older reply if asked."""
        return await self._handle(Tap(self.button(label, replies_ago).data))

    async def tap_data(self, data: str) -> Reply:
        return await self._handle(Tap(data))

    def button(self, label: str, replies_ago: int = 0) -> Button:
        reply = self.replies[-1 - replies_ago] if len(self.replies) > replies_ago else Reply()
        buttons = [b for m in reversed(reply.messages) for row in m.buttons for b in row]
        wanted = label.casefold()
        for matches in (
            lambda b: b.label.casefold() == wanted,
            lambda b: wanted in b.label.casefold(),
        ):
            found = next((b for b in buttons if matches(b)), None)
            if found is not None:
                return found
        raise NoSuchButton(label, reply)

    async def _handle(self, user_input: UserInput) -> Reply:
        reply = await self.service.handle(self.user_id, user_input, self.language)
        assert reply is not None  # a transcript never sends an update twice
        self.replies.append(reply)
        return reply

    @property
    def text(self) -> str:
        """Visible text of the newest reply, buttons as `[label]` lines."""
        return self.describe(self.replies[-1]) if self.replies else ""

    @staticmethod
    def describe(reply: Reply) -> str:
        lines = []
        for message in reply.messages:
            lines.append(visible_text(message.html))
            if message.file is not None or message.make_file is not None:
                lines.append(f"📎 {message.file_name}")  # a file sent with the reply
            lines += [f"[{button.label}]" for row in message.buttons for button in row]
        return "\n".join(lines)

    @staticmethod
    def shown(reply: Reply) -> tuple[str, list[str]]:
        """The text of a reply and the buttons it offers, apart (for a readable report)."""
        text = "\n".join(
            visible_text(m.html) if m.html else f"📎 {m.file_name}"
            for m in reply.messages
            if m.html or m.file is not None
        )
        labels = [button.label for m in reply.messages for row in m.buttons for button in row]
        return text, labels
