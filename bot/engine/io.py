"""What goes into the engine (one user's input) and what comes out (messages to send).

Adapters translate Telegram updates or terminal lines into these and back; the engine never sees
a transport.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.engine.errors import ExitCoachError
from bot.engine.telegram_html import fits


@dataclass(frozen=True)
class Command:
    name: str  # without the slash and without @BotName
    args: str = ""


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Tap:
    data: str


@dataclass(frozen=True)
class Unsupported:
    """A sticker, photo, voice note, location… where the bot expects words or a button."""

    what: str


SHARED_KEY = "shared"  # in answers: the values of what the user shared


@dataclass(frozen=True)
class Shared:
    """Something the user shared that can start a dialog with answers filled in: `kind` names
    it (a dialog lists the kinds it `accepts`), `values` are what the adapter could read from it
    (a shared contact: its `name`)."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)


MAX_DOCUMENT_BYTES = 100_000  # a calendar entry is a few kB; adapters fetch nothing bigger


@dataclass(frozen=True)
class Document:
    """A file the user sent (a calendar entry…); `content` None when it was too big to fetch."""

    file_name: str
    content: bytes | None


@dataclass(frozen=True)
class Due:
    """A planned reminder has come due: start `dialog` with `answers` (pausing any other)."""

    dialog: str
    answers: dict[str, object] = field(default_factory=dict)


UserInput = Command | Text | Tap | Unsupported | Shared | Document | Due


def parse_command(text: str) -> Command | None:
    """`/start@SomeBot payload` → Command("start", "payload"); None when it is not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].casefold()
    if not name.replace("_", "").isalnum() or not name.isascii():
        return None
    return Command(name=name, args=args.strip())


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass
class OutgoingMessage:
    html: str
    buttons: list[list[Button]] = field(default_factory=list)
    exit_keyboard: str | None = None  # (re)sets the persistent one-tap exit button with this label
    edit: bool = False  # replace the message whose button was tapped instead of sending anew
    file: bytes | None = None  # a picture or document sent with `html` as its caption
    file_name: str = "file"
    file_kind: str = "photo"  # or "document"
    # Makes `file` later, in a worker thread after the commit (a chart); None: nothing to send.
    make_file: Callable[[], bytes | None] | None = None
    template: str = ""  # the template(s) `html` was rendered from, named in delivery errors

    def plain_or_keyboard(self) -> bool:
        """Carries no file, so the persistent exit keyboard may ride on it."""
        return self.file is None and self.make_file is None

    def plain(self) -> bool:
        """Text only, so more text may join it."""
        return not (
            self.buttons
            or self.exit_keyboard
            or self.edit
            or self.file is not None
            or self.make_file is not None
        )


def fits_one_message(first: str, second: str) -> bool:
    """`first` and `second` joined by a blank line still fit in one Telegram message."""
    return fits(f"{first}\n\n{second}")


@dataclass
class Reply:
    messages: list[OutgoingMessage] = field(default_factory=list)
    toast: str | None = None  # short answer to a button tap (shown as a notification)

    def say(
        self,
        html_parts: list[str],
        buttons: list[list[Button]] | None = None,
        template: str = "",
    ) -> None:
        """Append one rendered template (maybe split into parts); buttons go on the last part.

        A part joins the message before it when that one is plain text (no buttons, file or
        keyboard) and both fit in one Telegram message: "that was not a date" and the question
        again arrive as one message, not two notifications.
        """
        for index, part in enumerate(html_parts):
            last = index == len(html_parts) - 1
            message = OutgoingMessage(part, (buttons or []) if last else [], template=template)
            previous = self.messages[-1] if self.messages else None
            if previous is not None and previous.plain() and fits_one_message(previous.html, part):
                previous.html = f"{previous.html}\n\n{part}"
                previous.buttons = message.buttons
                if template and template not in previous.template.split("+"):
                    previous.template = "+".join(filter(None, (previous.template, template)))
            else:
                self.messages.append(message)


def message_to_dict(message: OutgoingMessage) -> dict[str, Any]:
    """One message as plain data, to be sent later exactly as it was (the outbox)."""
    return {
        "html": message.html,
        "buttons": [[[b.label, b.data] for b in row] for row in message.buttons],
        "exit_keyboard": message.exit_keyboard,
        "edit": message.edit,
        "file": base64.b64encode(message.file).decode() if message.file is not None else None,
        "file_name": message.file_name,
        "file_kind": message.file_kind,
        "template": message.template,
    }


def message_from_dict(data: dict[str, Any]) -> OutgoingMessage:
    return OutgoingMessage(
        data["html"],
        buttons=[[Button(label, value) for label, value in row] for row in data["buttons"]],
        exit_keyboard=data["exit_keyboard"],
        edit=data["edit"],
        file=base64.b64decode(data["file"]) if data["file"] is not None else None,
        file_name=data["file_name"],
        file_kind=data["file_kind"],
        template=data.get("template", ""),
    )


def reply_to_json(reply: Reply) -> str:
    """A reply as JSON, to be sent again later exactly as it was."""
    return json.dumps(
        {"toast": reply.toast, "messages": [message_to_dict(m) for m in reply.messages]},
        ensure_ascii=False,
    )


def reply_from_json(raw: str) -> Reply:
    data: dict[str, Any] = json.loads(raw)
    return Reply([message_from_dict(m) for m in data["messages"]], toast=data["toast"])


class ReplyNotDelivered(ExitCoachError):
    """A reply was committed but could not be delivered, even after the transport's retries.

    Raised by an adapter's deliver function; the service then records that the user has not seen
    the current step, so their next typed text shows it again instead of answering it.
    """
