"""The first call to Telegram (getMe, when the application initialises), with its failures said
in words an operator can act on, naming the setting, and never repeating the token.

python-telegram-bot reports a rejected token as "The token `<the token>` was rejected by the
server": that text must not reach a terminal or a log. Each failure becomes a `CannotStart`
whose message is ours; the original stays attached as its cause, for LOG_LEVEL=DEBUG (where the
log handler masks the token).
"""

from __future__ import annotations

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.config import Settings
from bot.engine.errors import CannotStart

TELEGRAM = "https://api.telegram.org"


class TokenRejected(CannotStart):
    """Telegram (or the Bot API server at TELEGRAM_BASE_URL) does not know the token."""


class TelegramUnreachable(CannotStart):
    """The Bot API could not be reached at start."""


async def initialize(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """`application.initialize()` (which asks Telegram who the bot is), explained on failure."""
    try:
        await application.initialize()
    except InvalidToken as error:
        raise TokenRejected(token_rejected(settings, error)) from error
    except NetworkError as error:  # TimedOut included; any HTTP failure becomes one
        raise TelegramUnreachable(unreachable(settings, error)) from error


def token_rejected(settings: Settings, error: InvalidToken) -> str:
    answer = error.__cause__.message if isinstance(error.__cause__, InvalidToken) else "refused"
    text = (
        f"TELEGRAM_BOT_TOKEN: Telegram rejected the bot token ({answer}). The bot may have "
        "been deleted, or its token revoked (/revoke in @BotFather) or copied wrongly. In "
        "Telegram, open @BotFather, send /mybots, choose your bot, then 'API Token'; put that "
        "token in TELEGRAM_BOT_TOKEN (in .env or the environment) and start again."
    )
    if settings.telegram_base_url:
        text += (
            f" TELEGRAM_BASE_URL is set ({settings.telegram_base_url}): the Bot API server "
            "there must know this bot, and the URL must end in /bot."
        )
    return text


def unreachable(settings: Settings, error: NetworkError) -> str:
    where = settings.telegram_base_url or TELEGRAM
    return (
        f"TELEGRAM_BASE_URL: Exit Coach cannot reach the Bot API at {where} ({error.message}). "
        "Check this machine's network, DNS and proxy (HTTPS_PROXY); with a Bot API server of "
        "your own, check that it runs and that TELEGRAM_BASE_URL points at it."
    )
