"""SQLite group commit: concurrent turns share transactions, a failing turn is rolled back
alone, and nobody hears back before their turn is committed."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

import bot.store.group_commit as group_commit
from bot.engine.io import Reply
from bot.engine.session import Session
from bot.engine.turn import Outcome
from bot.store.database import open_database
from bot.store.journal import SqlJournal
from bot.store.sessions import SessionStore

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SessionStore]:
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    yield SessionStore(database)
    await database.dispose()


def named(name: str, pause: float = 0.0):  # type: ignore[no-untyped-def]
    def work(session: Session | None, _records: SqlJournal) -> tuple[Session, Outcome]:
        time.sleep(pause)  # on the writer's thread: the turns arriving meanwhile queue up
        assert session is None
        new = Session(user_id=0, language="de")
        new.profile.name = name
        return new, Outcome(Reply(), [])

    return work


def with_user(user_id: int, work):  # type: ignore[no-untyped-def]
    def run(session: Session | None, records: SqlJournal) -> tuple[Session, Outcome]:
        new, outcome = work(session, records)
        new.user_id = user_id
        return new, outcome

    return run


def commits(store: SessionStore) -> list[int]:
    """Counts the writer's COMMITs from now on."""
    counted = [0]
    assert store._group is not None
    event.listen(
        store._group._engine, "commit", lambda _c: counted.__setitem__(0, counted[0] + 1)
    )
    return counted


async def test_concurrent_turns_share_a_few_transactions(store: SessionStore) -> None:
    counted = commits(store)
    users = range(1, 61)
    outcomes = await asyncio.gather(
        *(store.turn(u, with_user(u, named(f"user {u}", 0.001)), now=NOW) for u in users)
    )
    assert all(isinstance(outcome, Outcome) for outcome in outcomes)
    for user in users:
        stored = await store.load(user)
        assert stored is not None and stored.profile.name == f"user {user}"
    assert 1 <= counted[0] < len(users) / 4, counted  # batched, not one commit per turn


async def test_a_failing_turn_is_rolled_back_alone(store: SessionStore) -> None:
    def broken(session: Session | None, records: SqlJournal) -> tuple[Session, Outcome]:
        records.connection.exec_driver_sql("DELETE FROM users")  # must not stand
        raise RuntimeError("a bug in one dialog")

    counted = commits(store)
    slow = asyncio.create_task(store.turn(1, with_user(1, named("first", 0.2)), now=NOW))
    await asyncio.sleep(0.05)  # the writer is busy with the first: the next two share a batch
    results = await asyncio.gather(
        store.turn(2, broken, now=NOW),
        store.turn(3, with_user(3, named("third")), now=NOW),
        return_exceptions=True,
    )
    await slow
    assert isinstance(results[0], RuntimeError) and isinstance(results[1], Outcome)
    # The slow turn's; the shared batch rolled back; the good turn again, alone, committed.
    assert counted[0] == 2
    assert await store.load(2) is None
    first, third = await store.load(1), await store.load(3)
    assert first is not None and third is not None and third.profile.name == "third"


async def test_nobody_hears_back_before_the_commit(store: SessionStore) -> None:
    committed = threading.Event()
    assert store._group is not None
    event.listen(store._group._engine, "commit", lambda _c: committed.set())
    await store.turn(1, with_user(1, named("one")), now=NOW)
    assert committed.is_set()


async def test_a_failed_commit_fails_every_turn_of_the_batch(store: SessionStore) -> None:
    assert store._group is not None

    def refuse(_connection: object) -> None:
        raise OSError("disk full")

    event.listen(store._group._engine, "commit", refuse)
    with pytest.raises(OSError, match="disk full"):
        await store.turn(1, with_user(1, named("one")), now=NOW)
    event.remove(store._group._engine, "commit", refuse)
    assert await store.load(1) is None


async def test_the_writer_thread_ends_when_idle_and_comes_back(
    store: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(group_commit, "IDLE_SECONDS", 0.05)
    await store.turn(1, with_user(1, named("one")), now=NOW)
    assert store._group is not None and store._group._thread is not None
    writer = store._group._thread
    await asyncio.to_thread(writer.join, 5)
    assert not writer.is_alive() and not store._group._running
    await store.turn(2, with_user(2, named("two")), now=NOW)
    assert (await store.load(2)) is not None and store._group._thread is not writer
