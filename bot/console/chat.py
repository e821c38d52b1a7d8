"""`exit-coach chat`: talk to the coach in a terminal.

Buttons are numbered; type the number (or the button's text). `0` is the one-tap exit button.
`/file PATH` sends a file as a Telegram user would send a document (an event's .ics).
Works with input piped in and ends cleanly at the end of input.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.console.terminal import dim, supports_colour, to_terminal
from bot.engine.io import (
    MAX_DOCUMENT_BYTES,
    Button,
    Command,
    Document,
    Reply,
    Shared,
    Tap,
    Text,
    UserInput,
    parse_command,
)
from bot.reminders import ReminderRunner
from bot.service import ConversationService

if TYPE_CHECKING:
    from bot.authoring.recording import SessionRecorder

CONSOLE_USER_ID = 0  # Telegram user ids are positive, so the terminal user never collides
# Said once at the start, so nobody mistakes this for the bot on Telegram or looks for the door.
STAND_IN = (
    "Exit Coach in the terminal, standing in for Telegram (to serve Telegram, set "
    "TELEGRAM_BOT_TOKEN and run `exit-coach run`). Type a button's number; /quit or Ctrl-D "
    "leaves."
)
FILE_COMMAND = "/file"  # `/file PATH`: send a file from disk


class ConsoleChat:
    def __init__(
        self,
        service: ConversationService,
        *,
        user_id: int = CONSOLE_USER_ID,
        language: str | None = None,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        reminders: ReminderRunner | None = None,
        poll_seconds: float = 5.0,
        charts_dir: Path = Path("exit-coach-files"),
        recorder: SessionRecorder | None = None,
        introduce: bool = False,
    ) -> None:
        self.recorder = recorder  # keeps the session (`chat --record`), if asked
        self.introduce = introduce  # say first what this is and how to leave (`STAND_IN`)
        self.service = service
        self.reminders = reminders
        self.poll_seconds = poll_seconds
        self.charts_dir = charts_dir
        self.user_id = user_id
        self.language = language
        self.stdin = stdin
        self.stdout = stdout
        self.colour = supports_colour(stdout)
        self.buttons: list[Button] = []
        self.exit_label: str | None = None

    async def run(self) -> None:
        """Greet (as /start does), then answer line by line until end of input or /quit,
        showing due reminders in between."""
        if self.introduce:
            self.write(dim(STAND_IN, self.colour))
        self._record(Command("start"), "/start")
        await self.send(Command("start"))
        watcher = asyncio.create_task(self._watch_reminders()) if self.reminders else None
        try:
            await self._read_lines()
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher

    async def _watch_reminders(self) -> None:
        assert self.reminders is not None
        while True:
            await self.reminders.run_due(user_id=self.user_id, show=self._show_reminder)
            await asyncio.sleep(self.poll_seconds)

    async def _show_reminder(self, reply: Reply) -> None:
        if self.recorder is not None:
            self.recorder.reminder(reply, self.service.clock())
        self.write("")
        self.show(reply)
        self.write(dim("> ", self.colour), end="")

    async def _read_lines(self) -> None:
        while True:
            self.write(dim("> ", self.colour), end="")
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:  # end of input (Ctrl-D or the end of a pipe)
                self.write("")
                return
            line = line.rstrip("\n")
            if not self.stdin.isatty():
                self.write(line)  # echo piped input so a transcript reads like a conversation
            if line.strip() in ("/quit", "/bye"):
                return
            user_input = self.parse(line)
            if user_input is not None:
                self._record(user_input, line)
                await self.send(user_input)

    def parse(self, line: str) -> UserInput | None:
        text = line.strip()
        if not text:
            return None
        if text == "0" and self.exit_label:
            return Text(self.exit_label)
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            return Tap(self.buttons[int(text) - 1].data)
        if text.startswith("/contact "):  # stands in for sharing a Telegram contact
            return Shared("contact", {"name": text.removeprefix("/contact ").strip()})
        if text.startswith(FILE_COMMAND + " "):
            return self._document(Path(text[len(FILE_COMMAND) :].strip()).expanduser())
        return parse_command(text) or Text(line)

    def _document(self, path: Path) -> Document | None:
        """A file from disk, sent as a document; one too big is sent without its content, as
        the Telegram adapter does."""
        try:
            size = path.stat().st_size
            content = path.read_bytes() if size <= MAX_DOCUMENT_BYTES else None
        except OSError as error:
            self.write(dim(f"(cannot read {path}: {error.strerror})", self.colour))
            return None
        return Document(path.name, content)

    async def send(self, user_input: UserInput) -> None:
        reply = await self.service.handle(self.user_id, user_input, self.language)
        if reply is not None:
            if self.recorder is not None:
                self.recorder.reply(reply)
            self.show(reply)

    def _record(self, user_input: UserInput, line: str) -> None:
        if self.recorder is not None:
            buttons = {button.data: button.label for button in self.buttons}
            self.recorder.user(user_input, line, buttons, self.service.clock())

    def show(self, reply: Reply) -> None:
        if reply.toast:
            self.write(dim(f"({reply.toast})", self.colour))
        self.buttons = []  # numbers always refer to the newest buttons
        for message in reply.messages:
            self.write("")
            if message.file is not None:
                saved = self._save_file(message.file, message.file_name)
                self.write(dim(f"📎 {saved}", self.colour))
            if message.html:
                self.write(to_terminal(message.html, self.colour))
            if message.buttons:
                self.buttons = [button for row in message.buttons for button in row]
                for number, button in enumerate(self.buttons, start=1):
                    self.write(f"  [{number}] {button.label}")
            if message.exit_keyboard:
                self.exit_label = message.exit_keyboard
        if self.exit_label:
            self.write(dim(f"  [0] {self.exit_label}", self.colour))

    def _save_file(self, content: bytes, name: str) -> Path:
        """Terminals show no pictures or documents: save it and print where."""
        self.charts_dir.mkdir(parents=True, exist_ok=True)
        stamp = self.service.clock().strftime("%Y%m%d-%H%M%S")
        path = (self.charts_dir / f"{Path(name).stem}-{stamp}{Path(name).suffix}").resolve()
        path.write_bytes(content)
        return path

    def write(self, text: str, end: str = "\n") -> None:
        self.stdout.write(text + end)
        self.stdout.flush()
