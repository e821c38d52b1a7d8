"""The store: a real SQLite file, one row per user, versions guard against lost updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.session import Frame, Session
from bot.store.database import open_database
from bot.store.sessions import SessionStore


@pytest.fixture
async def store(tmp_path: Path):
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path}/nested/dir/bot.db")
    yield SessionStore(database)
    await database.dispose()


async def test_creates_folder_and_schema_then_round_trips(
    store: SessionStore, tmp_path: Path
) -> None:
    assert (tmp_path / "nested/dir/bot.db").exists()
    assert await store.load(7) is None
    session = Session(user_id=7, language="de")
    session.profile.name = "Jens <&>"
    session.profile.exit_tone = "brief"
    session.active = Frame(
        dialog="exit", state="line", answers={"situation": "silence", "n": [1, 2]}
    )
    session.suspended.append(Frame(dialog="onboarding", state="business", answers={"name": "J"}))
    await store.save(session)
    loaded = await store.load(7)
    assert loaded == session


async def test_blocked_flag(store: SessionStore) -> None:
    await store.save(Session(user_id=3))
    assert not await store.is_blocked(3)
    await store.mark_blocked(3)
    assert await store.is_blocked(3)
    session = await store.load(3)
    assert session is not None
    await store.save(session)  # the user wrote again: they unblocked us
    assert not await store.is_blocked(3)


async def test_two_instances_never_lose_a_step(tmp_path: Path) -> None:
    """No instance keeps a copy of a session: each turn reads what the other one committed."""
    from bot.bootstrap import build_engine
    from bot.config import get_settings
    from bot.engine.io import Command, Tap, Text
    from bot.service import ConversationService

    url = f"sqlite+aiosqlite:///{tmp_path}/shared.db"
    engine = build_engine(get_settings(_env_file=None))
    first_db, second_db = await open_database(url), await open_database(url)
    first = ConversationService(engine, SessionStore(first_db))
    second = ConversationService(engine, SessionStore(second_db))
    await first.handle(5, Command("start"), "en")
    language_step = await first.session(5)
    assert language_step is not None
    await second.handle(5, Tap(f"v1.{language_step.step}.en"), "en")  # the other instance
    reply = await first.handle(5, Text("Ada"), "en")  # sees the other instance's step
    assert reply is not None and "What do you do for a living" in reply.messages[-1].html
    stored = await SessionStore(second_db).load(5)
    assert stored is not None and stored.active and stored.active.state == "business"
    assert stored.active.answers["name"] == "Ada"
    await first_db.dispose()
    await second_db.dispose()


def test_a_second_bot_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    """`chat` while another bot process serves the same file: a clear message, exit code 2."""
    import os
    import subprocess
    import sys

    from bot.store.database import claim_database

    url = f"sqlite+aiosqlite:///{tmp_path}/one.db"
    claim_database(url)  # this process is the first bot
    environment = {**os.environ, "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": ""}
    second = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="",
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert second.returncode == 2
    assert "Another Exit Coach process is already using" in second.stderr
    assert "PostgreSQL" in second.stderr and "Traceback" not in second.stderr
