"""Settings from the environment or `.env`, built on demand by `get_settings()`.

Built by a function rather than at import time so that tests and `exit-coach chat` never need a
token (python-discord/bot's lesson: import-time settings force CI to fake secrets).
"""

from __future__ import annotations

import re
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

WEBHOOK_SECRET_MISSING = """\
WEBHOOK_URL is set, but WEBHOOK_SECRET is not. Without a secret anyone who finds the URL can post \
updates in your users' names, so Exit Coach refuses to start. Choose a random secret of 1-256 \
letters, digits, _ or - (for example the output of \
python3 -c "import secrets; print(secrets.token_urlsafe(32))"), set WEBHOOK_SECRET=<it> in \
.env, and start again; Telegram then sends it with every call."""
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram's setWebhook accepts
# A bot token as @BotFather gives it: the bot's numeric id, a colon, then letters, digits, _, -.
TOKEN_PATTERN = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{1,200}")
MALFORMED_TOKEN = (
    "this is not a bot token. A token looks like 123456789:AAF…, the bot's number, a colon, "
    "then about 35 letters, digits, _ and - (no spaces, quotes or 'bot' in front). In Telegram, "
    "open @BotFather, send /mybots, choose your bot, then 'API Token', and copy it again."
)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DATABASE_BACKENDS = ("sqlite", "postgresql")  # the dialects the store is written for


class Settings(BaseSettings):
    """Everything an operator can configure; `.env.example` lists the same names."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        hide_input_in_errors=True,  # an error's text never repeats a value: it may be a secret
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    database_url: str = "sqlite:///data/exitcoach.db"
    default_timezone: str = "Europe/Berlin"
    reminder_before_minutes: int = Field(60, ge=0)
    reflection_after_minutes: int = Field(120, ge=0)
    followup_nudge_days: int = Field(2, ge=1)
    reminder_poll_seconds: int = Field(30, ge=1)
    resume_after_minutes: int = Field(60, ge=1)
    # A reply that could not be sent for this long is not sent stale: the user's next input
    # shows the step again instead (bot/outbox.py).
    reply_max_age_minutes: int = Field(15, ge=1)
    # Messages per second the whole bot sends at most (Telegram's bot FAQ: about 30), replies and
    # reminders alike; the live instances share it (bot/telegram/ratelimit.py).
    messages_per_second: int = Field(30, ge=1, le=1000)
    step_history_days: int = Field(365, ge=1)  # how long the step history (no texts) is kept
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(8443, ge=1, le=65535)
    webhook_listen: str = "0.0.0.0"  # the address the webhook server binds to
    dialogs_dir: Path = PROJECT_ROOT / "dialogs"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    # Reverse proxies (addresses or networks) whose X-Forwarded-For names a webhook's caller.
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()
    metrics_port: int | None = Field(None, ge=1, le=65535)  # /metrics and /healthz of their own
    metrics_listen: str = "0.0.0.0"
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    offers_file: Path | None = None  # the operator's own events and programmes (YAML)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        """Checked here, before anything asks Telegram: a pasted space, quotes or a missing
        part are named at once (and the value is never repeated)."""
        if value is not None and not TOKEN_PATTERN.fullmatch(value.get_secret_value()):
            raise ValueError(MALFORMED_TOKEN)
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """A URL SQLAlchemy can parse, for a database and driver the bot has (never echoed:
        it may hold a password)."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise ValueError(
                "not a database URL; use sqlite:///data/exitcoach.db (a file) or "
                "postgresql+asyncpg://user:password@host:5432/database"
            ) from None
        backend, driver = url.get_backend_name(), url.get_driver_name()
        if backend not in DATABASE_BACKENDS:
            raise ValueError(
                f"Exit Coach runs on SQLite or PostgreSQL, not {backend}; use "
                "sqlite:///data/exitcoach.db or postgresql+asyncpg://user:password@host/database"
            )
        if backend == "postgresql" and driver != "asyncpg":
            raise ValueError(
                "PostgreSQL is reached through asyncpg: begin the URL with postgresql+asyncpg://"
            )
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """`10.0.0.1, 192.168.0.0/16`: comma-separated addresses or networks."""
        if isinstance(value, str):
            try:
                return tuple(ip_network(part.strip()) for part in value.split(",") if part.strip())
            except ValueError as error:
                raise ValueError(
                    f"{error}; list addresses or networks, e.g. 127.0.0.1,10.0.0.0/8"
                ) from None
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not a time zone name; use an IANA name such as Europe/Berlin, "
                "Europe/London or UTC"
            ) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"'{value}' is not a log level; use one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("webhook_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        if value is not None and not (urlsplit(value).scheme and urlsplit(value).hostname):
            raise ValueError(
                f"'{value}' is not a full URL; Telegram needs one like https://bot.example.org/hook"
            )
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET_PATTERN.fullmatch(value.get_secret_value()):
            raise ValueError("Telegram accepts 1-256 characters: letters, digits, _ and - only")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(WEBHOOK_SECRET_MISSING)
        return self


def get_settings(**overrides: object) -> Settings:
    """Read settings now (environment, then `.env`); keyword overrides win, for tests.

    Raises `ValidationError`; `describe_problems` turns it into lines an operator can act on."""
    return Settings(**overrides)  # type: ignore[arg-type]


def describe_problems(error: ValidationError) -> str:
    """One paragraph per wrong setting, named as in `.env` (never its value if it is secret)."""
    paragraphs = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        names = [str(part).upper() for part in problem["loc"]]
        paragraphs.append(f"{names[0]}: {message}" if names else message)
    return "\n\n".join(paragraphs)
