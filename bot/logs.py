"""Logging for operators: ids and kinds of events at INFO and above, never what a user typed,
and never the bot token.

Our own log lines name users by id and inputs by kind. Libraries that log more are held at
WARNING: httpx logs every request URL at INFO (Bot API URLs contain the token), transitions logs
every callback at INFO. As a last guard the handler masks the token and
the webhook secret should any line still carry them (an exception text, a library's DEBUG line).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.config import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "[redacted]"
# Libraries whose INFO lines carry URLs, payloads or noise rather than events an operator needs.
QUIET_AT_WARNING = (
    "httpx",
    "httpcore",
    "transitions",
    "alembic.runtime.plugins",  # start-up noise
)
# python-telegram-bot's Bot logs its API URLs, token included, at DEBUG when it is built.
TOKEN_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot")


def quiet_noisy_loggers() -> None:
    for name in QUIET_AT_WARNING:
        logging.getLogger(name).setLevel(logging.WARNING)


class RedactSecrets(logging.Filter):
    """Replaces each secret in a record's final text (message and traceback) with a mask."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, MASK)
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, MASK)
            if record.stack_info:
                record.stack_info = record.stack_info.replace(secret, MASK)
        record.msg, record.args = message, ()
        return True


def mask_token_at_source(token: str) -> None:
    """Mask the token in the records of the loggers that log it, before any handler (also one
    we did not configure, such as a test's) sees them. Idempotent."""
    for name in TOKEN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) and token in f.secrets for f in logger.filters):
            logger.addFilter(RedactSecrets([token]))


def secrets_of(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.webhook_secret]
    return [value.get_secret_value() for value in values if value is not None]


def configure_logging(settings: Settings) -> None:
    """The process's logging: one handler on stderr that masks secrets; noisy libraries quiet."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecrets(secrets_of(settings)))
    logging.basicConfig(level=settings.log_level, format=FORMAT, handlers=[handler])
    quiet_noisy_loggers()
