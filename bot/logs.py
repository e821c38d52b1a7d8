"""Logging for operators: ids and kinds of events at INFO and above, never what a user typed,
and never a secret.

Our own log lines (loggers `bot.*`) name users by id and inputs by kind. Libraries are heard from
at WARNING and above only, unless LOG_LEVEL=DEBUG: their INFO lines are chatter for an operator
(the job scheduler alone wrote two every 30 seconds) and some carry more than they should: httpx
logs every request URL at INFO (Bot API URLs contain the token), transitions every callback.
As a last guard the handler masks the token, the webhook secret and the database password
should any line still carry them (an exception text, a library's DEBUG line). Python's warnings
and a dying thread's traceback go through the same handler.

`LOG_FORMAT=json` writes one JSON object a line for log collectors (`JsonLines`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.config import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OWN_LOGGER = "bot"
MIN_PASSWORD_MASKED = 4  # masking a shorter one would garble every line and protect nothing
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


def mask(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret in it replaced by MASK (the longest first)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class RedactSecrets(logging.Filter):
    """Replaces each secret in a record's final text (message and traceback) with a mask."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = mask(record.getMessage(), self.secrets), ()
        if record.exc_text:
            record.exc_text = mask(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = mask(record.stack_info, self.secrets)
        return True


def mask_token_at_source(token: str) -> None:
    """Mask the token in the records of the loggers that log it, before any handler (also one
    we did not configure, such as a test's) sees them. Idempotent."""
    for name in TOKEN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) and token in f.secrets for f in logger.filters):
            logger.addFilter(RedactSecrets([token]))


def secrets_of(settings: Settings) -> list[str]:
    """The token, the webhook secret and the database's password, where set."""
    from sqlalchemy.engine import make_url

    values = [settings.telegram_bot_token, settings.webhook_secret]
    found = [value.get_secret_value() for value in values if value is not None]
    password = make_url(settings.database_url).password
    if password is not None and len(str(password)) >= MIN_PASSWORD_MASKED:
        found.append(str(password))
    return found


class LibraryChatter(logging.Filter):
    """Lets our own records through at the configured level, other libraries' only from
    WARNING up (all of them at DEBUG)."""

    def __init__(self, debug: bool) -> None:
        super().__init__()
        self.debug = debug

    def filter(self, record: logging.LogRecord) -> bool:
        own = record.name == OWN_LOGGER or record.name.startswith(OWN_LOGGER + ".")
        return self.debug or own or record.levelno >= logging.WARNING


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and exception or
    stack where there is one. The text has been masked by then (`RedactSecrets`)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def log_handler(settings: Settings) -> logging.Handler:
    """A stderr handler that masks secrets, hears libraries from WARNING up, in the format
    asked for."""
    handler = logging.StreamHandler()
    handler.addFilter(LibraryChatter(debug=settings.log_level == "DEBUG"))
    handler.addFilter(RedactSecrets(secrets_of(settings)))
    json_lines = settings.log_format == "json"
    handler.setFormatter(JsonLines() if json_lines else logging.Formatter(FORMAT))
    return handler


def configure_logging(settings: Settings) -> None:
    """The process's logging: one handler on stderr (`log_handler`); noisy libraries quiet;
    warnings and a dying thread's traceback logged through it."""
    logging.basicConfig(level=settings.log_level, handlers=[log_handler(settings)])
    quiet_noisy_loggers()
    logging.captureWarnings(True)
    threading.excepthook = _log_thread_death


def _log_thread_death(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    logging.getLogger(OWN_LOGGER).critical(
        "thread %s died",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
    )
