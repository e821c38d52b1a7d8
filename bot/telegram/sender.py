"""Engine reply → Telegram messages: HTML, inline buttons, the persistent exit button.

Telegram errors that only text distinguishes ("message is not modified", "can't parse
entities") are recognised in `refusal` and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.engine.io import OutgoingMessage, Reply
from bot.engine.telegram_html import strip_tags

log = logging.getLogger(__name__)

# How one Bot API call is made: `attempt("sendMessage", call)`; delivery passes one that retries.
Attempt = Callable[[str, Callable[[], Awaitable[Any]]], Awaitable[Any]]
# One way of sending a message's text: (text, parse_mode) → the Bot API call.
TextCall = Callable[[str, str | None], Awaitable[Any]]


class Refusal(Enum):
    """The `BadRequest`s that python-telegram-bot gives no class of their own."""

    NOT_MODIFIED = "message is not modified"  # an edit that changes nothing: harmless
    CANT_PARSE = "can't parse entities"  # invalid HTML: a bug in a template or in escaping


def refusal(error: BadRequest) -> Refusal | None:
    """Which of the known refusals `error` is, by Telegram's description (there is no code)."""
    text = error.message.lower()
    return next((kind for kind in Refusal if kind.value in text), None)


async def _once(what: str, call: Callable[[], Awaitable[Any]]) -> Any:
    return await call()


def markup_for(message: OutgoingMessage) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    if message.buttons:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                for row in message.buttons
            ]
        )
    if message.exit_keyboard:
        return ReplyKeyboardMarkup(
            [[message.exit_keyboard]], resize_keyboard=True, is_persistent=True
        )
    return None


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    attempt: Attempt = _once,
) -> None:
    """Send every message of `reply` in order (outside the outbox: the error handler's
    apology). Each Bot API call goes through `attempt` (retries are the caller's policy); the
    first error it gives up on stops the reply and is raised.
    """
    for message in reply.messages:
        await send_message(bot, chat_id, message, attempt=attempt)


async def send_message(
    bot: Bot,
    chat_id: int,
    message: OutgoingMessage,
    tapped_message_id: int | None = None,
    attempt: Attempt = _once,
) -> None:
    """Send one message; an `edit` message replaces the one whose button was tapped."""
    markup = markup_for(message)
    if message.file is not None:
        file, name = message.file, message.file_name
        send_file = bot.send_photo if message.file_kind == "photo" else bot.send_document
        what = "sendPhoto" if message.file_kind == "photo" else "sendDocument"

        async def upload(caption: str, mode: str | None) -> Any:
            return await send_file(
                chat_id,
                InputFile(file, filename=name),
                caption=caption or None,
                parse_mode=mode,
                reply_markup=markup,
            )

        await _html_or_plain(message, what, upload, attempt)
        return
    if (
        message.edit
        and tapped_message_id is not None
        and isinstance(markup, InlineKeyboardMarkup | None)
    ):
        message_id = tapped_message_id

        async def edit(text: str, mode: str | None) -> Any:
            return await bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode=mode, reply_markup=markup
            )

        try:
            await _html_or_plain(message, "editMessageText", edit, attempt)
            return
        except BadRequest as error:
            if refusal(error) is Refusal.NOT_MODIFIED:
                return
            # Too old to edit, or deleted: the user still gets the step as a new message.
            log.info("could not edit message %s: %s", message_id, error.message)

    async def send(text: str, mode: str | None) -> Any:
        return await bot.send_message(chat_id, text, parse_mode=mode, reply_markup=markup)

    await _html_or_plain(message, "sendMessage", send, attempt)


async def _html_or_plain(
    message: OutgoingMessage, what: str, call: TextCall, attempt: Attempt
) -> None:
    """Send as HTML; if Telegram cannot parse it, log the template at fault and send the same
    words as plain text, so the user still gets their step."""
    try:
        await attempt(what, lambda: call(message.html, ParseMode.HTML))
    except BadRequest as error:
        if refusal(error) is not Refusal.CANT_PARSE:
            raise
        log.error(
            "template %s gave HTML Telegram cannot parse (%s); sent as plain text instead",
            message.template or "(unnamed)",
            error.message,
        )
        await attempt(what, lambda: call(strip_tags(message.html), None))
