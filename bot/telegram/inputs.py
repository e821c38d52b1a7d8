"""Telegram update → engine input. Knows nothing of coaching, only of message kinds."""

from __future__ import annotations

from collections.abc import Collection

from telegram import Message

from bot.engine.io import (
    MAX_DOCUMENT_BYTES,
    Document,
    Shared,
    Text,
    Unsupported,
    UserInput,
    parse_command,
)

# Message attributes Telegram fills for content other than text, in a stable order.
_NON_TEXT_KINDS = (
    "sticker", "photo", "voice", "video", "video_note", "audio", "document", "animation",
    "location", "venue", "contact", "poll", "dice", "game", "story",
)  # fmt: skip


def message_input(message: Message, *, edited: bool = False) -> UserInput:
    """What the user sent, as the engine understands it."""
    if edited:
        return Unsupported("edited")
    if message.text is not None:
        return parse_command(message.text) or Text(message.text)
    if message.contact is not None:
        contact = message.contact
        name = " ".join(part.strip() for part in (contact.first_name, contact.last_name) if part)
        return Shared("contact", {"name": name.strip()}) if name.strip() else Unsupported("contact")
    kind = next((name for name in _NON_TEXT_KINDS if getattr(message, name, None)), "other")
    return Unsupported(kind)


def is_document(message: Message, *, edited: bool = False) -> bool:
    """A file sent as a document (not an edit of one): the engine may be able to read it."""
    return not edited and message.document is not None and message.text is None


async def document_input(message: Message, readable: Collection[str]) -> Document:
    """The document's name and bytes. A file the engine cannot read (by its suffix) or one over
    the limit is not fetched at all (its content is None); one that turns out bigger than
    Telegram said is dropped the same way."""
    document = message.document
    assert document is not None
    name = document.file_name or ""
    suffix = name.rpartition(".")[2].casefold() if "." in name else ""
    too_big = document.file_size is not None and document.file_size > MAX_DOCUMENT_BYTES
    if suffix not in readable or too_big:
        return Document(name, None)
    file = await document.get_file()
    content = bytes(await file.download_as_bytearray())
    return Document(name, content if len(content) <= MAX_DOCUMENT_BYTES else None)
