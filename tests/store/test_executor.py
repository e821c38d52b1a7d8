"""The storage executor on SQLite: writes batched on one supervised writer thread (one commit a
batch, nobody answered before it, a failing write rolled back alone, a writer that fails is
started again and its callers told at once), reads beside it, and the health probe on the
writers' path."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, event, select, text

import bot.store.executor as executor
from bot.store.database import open_database
from bot.store.executor import SqliteDatabase, StoreUnavailable
from bot.store.schema import users

NEW_USER = text(
    "INSERT INTO users (id, session, version, blocked, updated_at)"
    " VALUES (:id, '{}', 0, 0, '2026-12-01 10:00:00')"
)
USER_IDS = select(users.c.id).order_by(users.c.id)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[SqliteDatabase]:
    opened = await open_database(f"sqlite:///{tmp_path}/bot.db")
    assert isinstance(opened, SqliteDatabase)
    yield opened
    await opened.dispose()


def insert_user(user_id: int, pause: float = 0.0):  # type: ignore[no-untyped-def]
    def write(connection: Connection) -> int:
        time.sleep(pause)  # on the writer's thread: the writes arriving meanwhile queue up
        connection.execute(NEW_USER, {"id": user_id})
        return user_id

    return write


async def stored_ids(database: SqliteDatabase) -> list[int]:
    return await database.run(lambda connection: list(connection.execute(USER_IDS).scalars()))


def count_commits(database: SqliteDatabase) -> list[int]:
    counted = [0]
    event.listen(database.write_engine, "commit", lambda _c: counted.__setitem__(0, counted[0] + 1))
    return counted


async def test_the_aiosqlite_url_of_earlier_releases_opens_the_same_way(tmp_path: Path) -> None:
    opened = await open_database(f"sqlite+aiosqlite:///{tmp_path}/old.db")
    assert isinstance(opened, SqliteDatabase) and opened.dialect_name == "sqlite"
    await opened.dispose()


async def test_concurrent_writes_share_a_few_commits(database: SqliteDatabase) -> None:
    counted = count_commits(database)
    ids = range(1, 61)
    results = await asyncio.gather(
        *(database.run(insert_user(n, 0.001), write=True) for n in ids)
    )
    assert results == list(ids)
    assert await stored_ids(database) == list(ids)
    assert 1 <= counted[0] < len(ids) / 4, counted  # batched, not one commit per write


async def test_a_failing_write_is_rolled_back_alone(database: SqliteDatabase) -> None:
    def broken(connection: Connection) -> None:
        connection.execute(NEW_USER, {"id": 2})  # must not stand
        raise RuntimeError("a bug in one dialog")

    counted = count_commits(database)
    slow = asyncio.create_task(database.run(insert_user(1, 0.2), write=True))
    await asyncio.sleep(0.05)  # the writer is busy with the first: the next two share a batch
    results = await asyncio.gather(
        database.run(broken, write=True),
        database.run(insert_user(3), write=True),
        return_exceptions=True,
    )
    await slow
    assert isinstance(results[0], RuntimeError) and results[1] == 3
    # The slow write's; the shared batch rolled back; the good write again, alone, committed.
    assert counted[0] == 2
    assert await stored_ids(database) == [1, 3]


async def test_nobody_hears_back_before_the_commit(database: SqliteDatabase) -> None:
    committed = threading.Event()
    event.listen(database.write_engine, "commit", lambda _c: committed.set())
    await database.run(insert_user(1), write=True)
    assert committed.is_set()


async def test_every_commit_is_synced_to_disk(database: SqliteDatabase) -> None:
    """synchronous=FULL: a committed batch survives a power cut, not only a kill."""
    level = await database.run(lambda c: c.exec_driver_sql("PRAGMA synchronous").scalar(), write=True)
    assert level == 2  # FULL


async def test_a_failed_commit_fails_every_write_of_the_batch(database: SqliteDatabase) -> None:
    def refuse(_connection: object) -> None:
        raise OSError("disk full")

    event.listen(database.write_engine, "commit", refuse)
    with pytest.raises(OSError, match="disk full"):
        await database.run(insert_user(1), write=True)
    event.remove(database.write_engine, "commit", refuse)
    assert await stored_ids(database) == []


async def test_the_writer_thread_ends_when_idle_and_comes_back(
    database: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor, "IDLE_SECONDS", 0.05)
    await database.run(insert_user(1), write=True)
    writer = database.writer._thread
    assert writer is not None
    await asyncio.to_thread(writer.join, 5)
    assert not writer.is_alive()
    await database.run(insert_user(2), write=True)
    assert await stored_ids(database) == [1, 2] and database.writer._thread is not writer


async def test_a_writer_that_fails_tells_its_callers_and_starts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure outside the writes themselves (here: the connection cannot be opened) would
    leave every later caller waiting forever if the thread died of it."""
    monkeypatch.setattr(executor, "IDLE_SECONDS", 0.05)
    database = await open_database(f"sqlite:///{tmp_path}/bot.db")
    assert isinstance(database, SqliteDatabase)
    if (idle := database.writer._thread) is not None:  # the migration's connection is let go
        await asyncio.to_thread(idle.join, 5)
    real_connect = database.write_engine.connect
    failures = iter([OSError("the file went away")])

    def connect_once_broken() -> Connection:
        for failure in failures:
            raise failure
        return real_connect()

    monkeypatch.setattr(database.write_engine, "connect", connect_once_broken)
    with pytest.raises(StoreUnavailable):
        await asyncio.wait_for(database.run(insert_user(1), write=True), timeout=5)
    assert await asyncio.wait_for(database.run(insert_user(2), write=True), timeout=5) == 2
    assert database.writer.restarts == 1
    assert await stored_ids(database) == [2]
    await database.dispose()


async def test_a_caller_whose_loop_closed_does_not_stop_the_writer(
    database: SqliteDatabase,
) -> None:
    """The writer answers on the caller's loop; one that closed meanwhile (a caller in another
    thread that gave up) must not take the writer down with it."""

    def caller_that_leaves() -> None:
        async def leave_early() -> None:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(database.run(insert_user(1, 0.3), write=True), 0.05)

        asyncio.run(leave_early())  # closes its loop while the write still runs

    await asyncio.to_thread(caller_that_leaves)
    assert await asyncio.wait_for(database.run(insert_user(2), write=True), timeout=5) == 2
    assert await stored_ids(database) == [1, 2]  # the abandoned write stands
    assert database.writer.restarts == 0


async def test_reads_go_on_while_a_long_write_runs(database: SqliteDatabase) -> None:
    await database.run(insert_user(1), write=True)
    writing = asyncio.create_task(database.run(insert_user(2, 0.5), write=True))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    assert await stored_ids(database) == [1]  # the snapshot before the write commits
    assert time.monotonic() - started < 0.4
    await writing
    assert await stored_ids(database) == [1, 2]


async def test_the_health_probe_takes_the_writers_path(
    database: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that hangs leaves reads working: the probe must see it all the same."""
    assert await database.probe()
    monkeypatch.setattr(executor, "PROBE_TIMEOUT", 0.1)
    stuck = asyncio.create_task(database.run(insert_user(1, 0.6), write=True))
    await asyncio.sleep(0.05)
    assert not await database.probe()
    await stuck
    assert await database.probe()


def test_a_bot_on_sqlite_never_imports_the_asyncio_extension(tmp_path: Path) -> None:
    """It would bring SQLAlchemy's ORM along: about 7 MB of an idle bot, unused."""
    program = f"""
import asyncio, sys
from bot.config import get_settings
from bot.bootstrap import open_service
from bot.telegram.application import build_application

async def main():
    settings = get_settings(telegram_bot_token="1:x", database_url="sqlite:///{tmp_path}/b.db",
                            _env_file=None)
    service = await open_service(settings)
    build_application(settings, service.engine, service)
    await service.store.database.dispose()

asyncio.run(main())
loaded = [m for m in ("sqlalchemy.ext.asyncio", "sqlalchemy.orm", "aiosqlite") if m in sys.modules]
assert not loaded, loaded
"""
    subprocess.run([sys.executable, "-c", program], check=True, cwd=Path(__file__).parents[2])
