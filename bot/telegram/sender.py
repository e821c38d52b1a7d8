"""Engine reply → Telegram messages: HTML, inline buttons, the persistent exit button.

Telegram errors that only text distinguishes ("message is not modified") are recognised here and
nowhere else.
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.engine.io import OutgoingMessage, Reply

log = logging.getLogger(__name__)


def is_not_modified(error: BadRequest) -> bool:
    """An edit that would change nothing: harmless, the user already sees the right thing."""
    return "message is not modified" in error.message.lower()


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


async def send_reply(bot: Bot, chat_id: int, reply: Reply, tapped: Message | None = None) -> None:
    """Send every message of `reply` in order; an `edit` message replaces the tapped one."""
    for message in reply.messages:
        markup = markup_for(message)
        if message.file is not None:
            send = bot.send_photo if message.file_kind == "photo" else bot.send_document
            await send(
                chat_id,
                InputFile(message.file, filename=message.file_name),
                caption=message.html or None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
            continue
        if message.edit and tapped is not None and isinstance(markup, InlineKeyboardMarkup | None):
            try:
                await bot.edit_message_text(
                    message.html,
                    chat_id=chat_id,
                    message_id=tapped.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
                continue
            except BadRequest as error:
                if is_not_modified(error):
                    continue
                # Too old to edit, or deleted: the user still gets the step as a new message.
                log.info("could not edit message %s: %s", tapped.message_id, error.message)
        await bot.send_message(
            chat_id, message.html, parse_mode=ParseMode.HTML, reply_markup=markup
        )
