"""The log handler an operator gets: the bot's own lines at LOG_LEVEL, libraries from WARNING
up unless DEBUG, JSON lines on request, and every secret masked, tracebacks included."""

from __future__ import annotations

import io
import json
import logging

from bot.config import get_settings
from bot.logs import log_handler, secrets_of

TOKEN = "123456:SECRET-TOKEN-in-a-traceback"
PASSWORD = "db-password-4711"


def emitted(records: list[logging.LogRecord], **settings: str) -> list[str]:
    handler = log_handler(
        get_settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_url=f"postgresql+asyncpg://exit:{PASSWORD}@db/exit",
            **settings,
        )
    )
    stream = io.StringIO()
    handler.setStream(stream)
    for record in records:
        handler.handle(record)
    return stream.getvalue().splitlines()


def record(name: str, level: int, message: str, error: Exception | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error is not None else None
    return logging.LogRecord(name, level, __file__, 1, message, (), exc_info)


def test_libraries_are_heard_from_warning_up_and_the_bot_at_its_level() -> None:
    records = [
        record("apscheduler.executors.default", logging.INFO, "Running job reminders"),
        record("telegram.ext.Application", logging.INFO, "Application started"),
        record("telegram.ext.Updater", logging.WARNING, "Network unreachable"),
        record("bot.telegram.application", logging.INFO, "polling for updates"),
    ]
    lines = emitted(records, log_level="INFO")
    assert [line.split(" ", 3)[3] for line in lines] == [
        "telegram.ext.Updater: Network unreachable",
        "bot.telegram.application: polling for updates",
    ]
    assert len(emitted(records, log_level="DEBUG")) == 4  # debugging hears everything


def test_json_lines_carry_the_fields_and_mask_every_secret() -> None:
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected; password {PASSWORD}")
    except RuntimeError as error:
        failed = record("telegram.ext.Updater", logging.ERROR, f"failed with {TOKEN}", error)
    (line,) = emitted([failed], log_format="json")
    entry = json.loads(line)
    assert entry.keys() == {"time", "level", "logger", "message", "exception"}
    assert entry["time"].endswith("+00:00") and entry["level"] == "ERROR"
    assert entry["message"] == "failed with [redacted]"
    assert "RuntimeError: The token `[redacted]` was rejected; password [redacted]" in entry[
        "exception"
    ]
    assert TOKEN not in line and PASSWORD not in line


def test_a_short_database_password_is_not_masked_everywhere() -> None:
    """Masking "pw" would garble every line that contains those two letters."""
    settings = get_settings(_env_file=None, database_url="postgresql+asyncpg://u:pw@db/x")
    assert secrets_of(settings) == []
