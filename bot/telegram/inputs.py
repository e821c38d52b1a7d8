"""Telegram update → engine input. Knows nothing of coaching, only of message kinds."""

from __future__ import annotations

from telegram import Message

from bot.engine.io import Shared, Text, Unsupported, UserInput, parse_command

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
