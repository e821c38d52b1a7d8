"""Every way `exit-coach run` can fail to start ends in a short paragraph that names the setting
and what to do, exit code 2, no traceback (unless LOG_LEVEL=DEBUG), and no token, secret or
password anywhere in what the process printed. Each case runs the real command as a process,
against real causes: a Bot API that rejects the token, PostgreSQL with a missing database or
user, a port nothing listens on, a server that refuses the password, a schema from the future.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.testkit.fake_bot_api import FakeBotApi
from tests.fake_postgres import refusing_postgres
from tests.postgres import require_postgres

ROOT = Path(__file__).resolve().parents[1]
GOOD_TOKEN = "123456:TEST-TOKEN"  # the fake Bot API's own
WRONG_TOKEN = "999999:WRONG-token-nobody-gave-out-4711"
SECRET = "webhook-secret-never-shown-0815"
OPERATOR_SETTINGS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "WEBHOOK_URL",
                     "WEBHOOK_SECRET", "LOG_LEVEL", "LOG_FORMAT", "METRICS_PORT", "PORT")  # fmt: skip


async def run_bot(tmp_path: Path, **settings: str) -> tuple[int, str]:
    """`exit-coach run` with these settings (and no .env): exit code, stdout + stderr."""
    env = {k: v for k, v in os.environ.items() if k not in OPERATOR_SETTINGS}
    env.update(PYTHONPATH=str(ROOT), WEBHOOK_SECRET=SECRET, **settings)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout=90)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, output.decode()


def flat(output: str) -> str:
    """The output with its line breaks (wrapped for a terminal) as spaces."""
    return " ".join(output.split())


def assert_explained(code: int, output: str, setting: str, *never: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output, output
    assert "Exit Coach cannot start" in output, output
    assert setting in output, output
    assert len(output.splitlines()) <= 10, output  # a paragraph, not a page
    for secret in (*never, SECRET):
        assert secret not in output, f"{secret!r} in:\n{output}"


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/data/bot.db"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_malformed_token_is_named_before_anything_is_asked(tmp_path: Path) -> None:
    token = "123456:AAF pasted with spaces"
    code, output = await run_bot(tmp_path, TELEGRAM_BOT_TOKEN=token)
    assert code == 2 and "Traceback" not in output, output
    assert "TELEGRAM_BOT_TOKEN: this is not a bot token" in flat(output) and "@BotFather" in flat(output)
    assert "pasted with spaces" not in output


async def run_with_a_rejected_token(tmp_path: Path, **settings: str) -> tuple[int, str]:
    """`run_bot` against a Bot API that knows only GOOD_TOKEN, with WRONG_TOKEN."""
    async with FakeBotApi(GOOD_TOKEN) as fake:
        code, output = await run_bot(
            tmp_path,
            TELEGRAM_BOT_TOKEN=WRONG_TOKEN,
            TELEGRAM_BASE_URL=fake.base_url,
            DATABASE_URL=sqlite_url(tmp_path),
            **settings,
        )
        assert [(c.method, c.status) for c in fake.calls] == [("getMe", 401)]
    return code, output


async def test_a_rejected_token_is_named_and_never_shown(tmp_path: Path) -> None:
    code, output = await run_with_a_rejected_token(tmp_path)
    assert_explained(code, output, "TELEGRAM_BOT_TOKEN", WRONG_TOKEN, "WRONG-token")
    assert "Telegram rejected the bot token (Unauthorized)" in flat(output)
    assert "/mybots" in flat(output)


async def test_debug_shows_the_traceback_still_without_the_token(tmp_path: Path) -> None:
    code, output = await run_with_a_rejected_token(tmp_path, LOG_LEVEL="DEBUG")
    assert code == 2
    assert "Traceback" in output and "InvalidToken" in output  # the library's own exception…
    assert "[redacted]" in flat(output)  # …whose text carried the token, masked
    assert WRONG_TOKEN not in output and "WRONG-token" not in output
    assert "Telegram rejected the bot token" in flat(output)


async def test_a_bot_api_nobody_answers_at(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{free_port()}/bot"
    code, output = await run_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN=GOOD_TOKEN,
        TELEGRAM_BASE_URL=base_url,
        DATABASE_URL=sqlite_url(tmp_path),
    )
    assert_explained(code, output, "TELEGRAM_BASE_URL", GOOD_TOKEN)
    assert f"cannot reach the Bot API at {base_url}" in flat(output)


async def test_a_database_nobody_answers_at(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://exit:pw-never-shown-1234@127.0.0.1:{free_port()}/exit"
    code, output = await run_bot(tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert_explained(code, output, "DATABASE_URL", "pw-never-shown-1234", GOOD_TOKEN)
    assert "cannot be reached" in flat(output) and "connection refused" in flat(output)
    assert "exit:***@127.0.0.1" in flat(output)  # the URL as it is, but its password


async def test_a_wrong_password(tmp_path: Path) -> None:
    async with refusing_postgres() as port:
        url = f"postgresql+asyncpg://exit:wrong-pass-5678@127.0.0.1:{port}/exit"
        code, output = await run_bot(tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert_explained(code, output, "DATABASE_URL", "wrong-pass-5678")
    assert 'refused the password of user "exit"' in flat(output)


async def test_a_missing_database(tmp_path: Path) -> None:
    server = await require_postgres()
    url = server.rsplit("/", 1)[0] + "/exit_coach_no_such_database"
    code, output = await run_bot(tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert_explained(code, output, "DATABASE_URL")
    assert 'has no database "exit_coach_no_such_database"' in flat(output) and "createdb" in flat(output)


async def test_a_user_the_server_does_not_know(tmp_path: Path) -> None:
    server = await require_postgres()
    host_and_db = server.split("@", 1)[1]
    url = f"postgresql+asyncpg://no_such_exit_coach_role:secret-pw-9012@{host_and_db}"
    code, output = await run_bot(tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert_explained(code, output, "DATABASE_URL", "secret-pw-9012")
    assert 'does not let user "no_such_exit_coach_role" in' in flat(output)


async def test_a_schema_newer_than_the_code(tmp_path: Path) -> None:
    from bot.store.database import open_database

    url = sqlite_url(tmp_path)
    database = await open_database(url)  # a database of this release…
    await database.dispose()
    with sqlite3.connect(tmp_path / "data/bot.db") as connection:  # …that a newer one upgraded
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    code, output = await run_bot(tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert_explained(code, output, "DATABASE_URL")
    assert "revision 0999" in flat(output) and "a newer release has upgraded it" in flat(output)


async def test_an_sqlite_file_that_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the folder should be")
    code, output = await run_bot(
        tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=sqlite_url(tmp_path)
    )
    assert_explained(code, output, "DATABASE_URL")
    assert "cannot be created or opened" in flat(output)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://exit:pw-shown-never-3456@db/exit", "PostgreSQL is reached through asyncpg"),
        ("mysql://exit:pw-shown-never-3456@db/exit", "Exit Coach runs on SQLite or PostgreSQL, not mysql"),
        ("exit:pw-shown-never-3456@db", "not a database URL"),
    ],
)
async def test_a_database_url_the_bot_cannot_use_is_a_setting_error(
    tmp_path: Path, url: str, expected: str
) -> None:
    code, output = await run_bot(tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert code == 2 and "Traceback" not in output, output
    assert f"DATABASE_URL: {expected}" in flat(output), output
    assert "pw-shown-never-3456" not in output
