"""The store: a real SQLite file, one row per user, versions guard against lost updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.session import Frame, Session
from bot.store.database import open_database
from bot.store.sessions import SessionConflict, SessionStore


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
    session.active = Frame(
        dialog="exit", state="line", answers={"situation": "silence", "n": [1, 2]}
    )
    session.suspended.append(Frame(dialog="onboarding", state="business", answers={"name": "J"}))
    await store.save(session)
    loaded = await store.load(7)
    assert loaded == session


async def test_a_stale_writer_gets_a_conflict(store: SessionStore) -> None:
    await store.save(Session(user_id=1))
    first, second = await store.load(1), await store.load(1)
    assert first and second
    first.step = 5
    await store.save(first)
    second.step = 9
    with pytest.raises(SessionConflict):
        await store.save(second)
    loaded = await store.load(1)
    assert loaded is not None and loaded.step == 5


async def test_blocked_flag(store: SessionStore) -> None:
    await store.save(Session(user_id=3))
    assert not await store.is_blocked(3)
    await store.mark_blocked(3)
    assert await store.is_blocked(3)
    session = await store.load(3)
    assert session is not None
    await store.save(session)  # the user wrote again: they unblocked us
    assert not await store.is_blocked(3)
