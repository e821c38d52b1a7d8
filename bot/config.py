"""Settings from the environment or `.env`, built on demand by `get_settings()`.

Built by a function rather than at import time so that tests and `exit-coach chat` never need a
token (python-discord/bot's lesson: import-time settings force CI to fake secrets).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything an operator can configure; `.env.example` lists the same names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    database_url: str = "sqlite+aiosqlite:///data/exitcoach.db"
    default_timezone: str = "Europe/Berlin"
    reminder_before_minutes: int = Field(60, ge=0)
    reflection_after_minutes: int = Field(120, ge=0)
    followup_nudge_days: int = Field(2, ge=1)
    reminder_poll_seconds: int = Field(30, ge=1)
    resume_after_minutes: int = Field(60, ge=1)
    step_history_days: int = Field(365, ge=1)  # how long the step history (no texts) is kept
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = 8443
    dialogs_dir: Path = PROJECT_ROOT / "dialogs"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    log_level: str = "INFO"
    offers_file: Path | None = None  # the operator's own events and programmes (YAML)


def get_settings(**overrides: object) -> Settings:
    """Read settings now (environment, then `.env`); keyword overrides win, for tests."""
    return Settings(**overrides)  # type: ignore[arg-type]
