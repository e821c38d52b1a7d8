"""`exit-coach chat`: talk to the coach in a terminal.

Buttons are numbered; type the number (or the button's text). `0` is the one-tap exit button.
Works with input piped in and ends cleanly at the end of input.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.console.terminal import dim, supports_colour, to_terminal
from bot.engine.io import Button, Command, Reply, Tap, Text, UserInput, parse_command
from bot.service import ConversationService

CONSOLE_USER_ID = 0  # Telegram user ids are positive, so the terminal user never collides


class ConsoleChat:
    def __init__(
        self,
        service: ConversationService,
        *,
        user_id: int = CONSOLE_USER_ID,
        language: str | None = None,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
    ) -> None:
        self.service = service
        self.user_id = user_id
        self.language = language
        self.stdin = stdin
        self.stdout = stdout
        self.colour = supports_colour(stdout)
        self.buttons: list[Button] = []
        self.exit_label: str | None = None

    async def run(self) -> None:
        """Greet (as /start does), then answer line by line until end of input or /quit."""
        await self.send(Command("start"))
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
                await self.send(user_input)

    def parse(self, line: str) -> UserInput | None:
        text = line.strip()
        if not text:
            return None
        if text == "0" and self.exit_label:
            return Text(self.exit_label)
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            return Tap(self.buttons[int(text) - 1].data)
        return parse_command(text) or Text(line)

    async def send(self, user_input: UserInput) -> None:
        reply = await self.service.handle(self.user_id, user_input, self.language)
        if reply is not None:
            self.show(reply)

    def show(self, reply: Reply) -> None:
        if reply.toast:
            self.write(dim(f"({reply.toast})", self.colour))
        self.buttons = []  # numbers always refer to the newest buttons
        for message in reply.messages:
            self.write("")
            self.write(to_terminal(message.html, self.colour))
            if message.buttons:
                self.buttons = [button for row in message.buttons for button in row]
                for number, button in enumerate(self.buttons, start=1):
                    self.write(f"  [{number}] {button.label}")
            if message.exit_keyboard:
                self.exit_label = message.exit_keyboard
        if self.exit_label:
            self.write(dim(f"  [0] {self.exit_label}", self.colour))

    def write(self, text: str, end: str = "\n") -> None:
        self.stdout.write(text + end)
        self.stdout.flush()
