"""A dialog test client: `send()` text or commands, `tap()` buttons by label, read what came back.

Goes through the real service (engine + SQLite store), so every step also round-trips the
session through JSON in the database.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.engine.io import (
    Button,
    Document,
    Reply,
    Tap,
    Text,
    Unsupported,
    UserInput,
    parse_command,
)
from bot.engine.telegram_html import visible_text
from bot.service import ConversationService


class DialogClient:
    def __init__(self, service: ConversationService, user_id: int = 42, language: str = "en"):
        self.service = service
        self.user_id = user_id
        self.language = language
        self.replies: list[Reply] = []

    async def onboard(
        self, name: str = "Ada", business: str = "Coaching", goal: str = "Exchange with peers"
    ) -> None:
        """/start through the end of onboarding, in English."""
        await self.send("/start")
        await self.tap("English")
        await self.send(name)
        await self.send(business)
        await self.tap(goal)
        await self.tap("Done")

    async def prepare(self, name: str = "Retail Meetup", starts: str = "tomorrow 6:30pm") -> None:
        """/prepare an event in person (2 hours, no network), answering the quickest way."""
        await self.send("/prepare")
        await self.send(name)
        for label in (
            "In person",
            "Yes",
            "Yes",
            "Win customers",
            "3",
            "Skip",
            "Skip",
            "Use this",
            "Different world",
            "Awkward silence",
            "Done",
        ):
            await self.tap(label)
        await self.tap("Skip")
        await self.send(starts)
        await self.send("2h")
        await self.tap("That's right")
        assert "Saved" in self.text, self.text
        await self.tap("All set")

    async def followup(
        self, name: str = "Ben", topic: str = "pricing", channel: str = "Email"
    ) -> None:
        """/followup up to the draft (no place, nothing to give)."""
        await self.send("/followup")
        await self.send(name)
        await self.tap("Formal")
        await self.tap("Skip")
        await self.send(topic)
        await self.tap("Skip")
        await self.tap(channel)

    async def send(self, text: str) -> Reply:
        return await self._handle(parse_command(text) or Text(text))

    async def send_document(self, path: Path, name: str | None = None) -> Reply:
        """Send a file as a document, as the Telegram adapter passes it on (`name` overrides
        the file name the user's phone gives it)."""
        content = await asyncio.to_thread(path.read_bytes)
        return await self._handle(Document(name or path.name, content))

    async def send_other(self, what: str) -> Reply:
        return await self._handle(Unsupported(what))

    async def tap(self, label: str, *, replies_ago: int = 0) -> Reply:
        """Tap the newest button whose label contains `label` (in an older reply if asked)."""
        return await self._handle(Tap(self.button(label, replies_ago).data))

    async def tap_data(self, data: str) -> Reply:
        return await self._handle(Tap(data))

    def button(self, label: str, replies_ago: int = 0) -> Button:
        reply = self.replies[-1 - replies_ago]
        buttons = [b for m in reversed(reply.messages) for row in m.buttons for b in row]
        wanted = label.casefold()
        for matches in (
            lambda b: b.label.casefold() == wanted,
            lambda b: wanted in b.label.casefold(),
        ):
            found = next((b for b in buttons if matches(b)), None)
            if found is not None:
                return found
        raise AssertionError(f"no button {label!r} in:\n{self.describe(reply)}")

    async def _handle(self, user_input: UserInput) -> Reply:
        reply = await self.service.handle(self.user_id, user_input, self.language)
        assert reply is not None
        self.replies.append(reply)
        return reply

    @property
    def text(self) -> str:
        """Visible text of the newest reply."""
        return self.describe(self.replies[-1])

    @staticmethod
    def describe(reply: Reply) -> str:
        lines = []
        for message in reply.messages:
            lines.append(visible_text(message.html))
            if message.file is not None:
                lines.append(f"📎 {message.file_name}")
            lines += [f"[{button.label}]" for row in message.buttons for button in row]
        return "\n".join(lines)
