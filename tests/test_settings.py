"""A wrong setting stops every command with a clear paragraph and exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

ENV_NAMES = (
    "TELEGRAM_BOT_TOKEN",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "DEFAULT_TIMEZONE",
    "LOG_LEVEL",
    "PORT",
    "TRUSTED_PROXIES",
    "METRICS_PORT",
    "DATABASE_URL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No `.env` and none of the operator's variables: each test sets what it needs."""
    monkeypatch.chdir(tmp_path)
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("command", ["check", "run", "chat"])
def test_unknown_default_timezone_is_named_not_a_traceback(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Berlim")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert "DEFAULT_TIMEZONE: 'Europe/Berlim' is not a time zone name" in err
    assert "Europe/Berlin" in err and "Traceback" not in err


def test_webhook_url_without_secret_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram/hook")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "WEBHOOK_URL is set, but WEBHOOK_SECRET is not" in err
    assert "set WEBHOOK_SECRET=" in err
    assert "Traceback" not in err and "123456:TEST-TOKEN" not in err


def test_secret_telegram_would_refuse_is_named_without_its_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "my secret!")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "WEBHOOK_SECRET: Telegram accepts 1-256 characters" in err
    assert "my secret!" not in err


def test_several_problems_are_reported_together(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "loud")
    monkeypatch.setenv("PORT", "http")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "LOG_LEVEL: 'loud' is not a log level" in err
    assert "PORT: Input should be a valid integer" in err


def test_valid_webhook_settings_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import get_settings

    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret-Token_1")
    settings = get_settings()
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "s3cret-Token_1"


def test_env_example_lists_every_operator_setting() -> None:
    from bot.config import PROJECT_ROOT, Settings

    lines = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    listed = {line.split("=")[0] for line in lines if "=" in line and not line.startswith("#")}
    internal = {"DIALOGS_DIR", "PROMPTS_DIR"}  # the project's own folders, not for operators
    assert {name.upper() for name in Settings.model_fields} - internal == listed


def test_trusted_proxies_are_addresses_or_networks_separated_by_commas(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ipaddress import ip_network

    from bot.config import get_settings

    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")
    assert get_settings().trusted_proxies == (
        ip_network("127.0.0.1/32"), ip_network("10.0.0.0/8"), ip_network("::1/128"),
    )  # fmt: skip
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "TRUSTED_PROXIES: 'proxy.local' does not appear to be an IPv4 or IPv6 network" in err
