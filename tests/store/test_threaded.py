"""SQLite behind the `AsyncEngine` interface without SQLAlchemy's asyncio extension: a thread per
connection, results readable after the call, nothing left half-done by a cancelled caller."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, select, text

from bot.store.database import open_database
from bot.store.schema import users
from bot.store.threaded import ThreadedEngine

NEW_USER = text(
    "INSERT INTO users (id, session, version, blocked, updated_at)"
    " VALUES (:id, '{}', 0, 0, '2026-12-01 10:00:00')"
)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[ThreadedEngine]:
    engine = await open_database(f"sqlite:///{tmp_path}/bot.db")
    assert isinstance(engine, ThreadedEngine)
    yield engine
    await engine.dispose()


async def test_the_aiosqlite_url_of_earlier_releases_opens_the_same_way(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path}/old.db")
    assert isinstance(engine, ThreadedEngine) and engine.dialect.name == "sqlite"
    await engine.dispose()


async def test_rows_are_read_after_the_call(database: ThreadedEngine) -> None:
    async with database.begin() as connection:
        await connection.execute(NEW_USER, {"id": 1})
        await connection.execute(NEW_USER, {"id": 2})
    async with database.connect() as connection:
        result = await connection.execute(select(users.c.id).order_by(users.c.id))
        assert result.scalars().all() == [1, 2]
        assert await connection.scalar(select(users.c.id).where(users.c.id == 2)) == 2


async def test_a_transaction_waiting_for_the_write_lock_does_not_block_the_one_holding_it(
    database: ThreadedEngine,
) -> None:
    """Both take SQLite's write lock at BEGIN; the second waits on its own thread while the
    first goes on and commits. On one shared thread the first could never commit."""
    first_holds = asyncio.Event()

    async def first() -> None:
        async with database.begin() as connection:
            await connection.execute(NEW_USER, {"id": 1})
            first_holds.set()
            await asyncio.sleep(0.2)  # the second is waiting for the lock meanwhile
            await connection.execute(NEW_USER, {"id": 2})

    async def second() -> None:
        await first_holds.wait()
        async with database.begin() as connection:
            await connection.execute(NEW_USER, {"id": 3})

    await asyncio.wait_for(asyncio.gather(first(), second()), timeout=5)
    async with database.connect() as connection:
        ids = (await connection.execute(select(users.c.id).order_by(users.c.id))).scalars()
        assert ids.all() == [1, 2, 3]


async def test_a_cancelled_caller_leaves_its_transaction_rolled_back(
    database: ThreadedEngine,
) -> None:
    def slow_insert(connection: Connection) -> None:
        connection.execute(NEW_USER, {"id": 1})
        time.sleep(0.3)  # still running on the connection's thread when the caller gives up

    async def write() -> None:
        async with database.begin() as connection:
            await connection.run_sync(slow_insert)

    task = asyncio.create_task(write())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with database.begin() as connection:  # waits for the lock the abandoned call held
        await connection.execute(NEW_USER, {"id": 2})
    async with database.connect() as connection:
        ids = (await connection.execute(select(users.c.id))).scalars().all()
    assert ids == [2]


async def test_threads_are_kept_for_the_next_connections(database: ThreadedEngine) -> None:
    for _ in range(20):
        async with database.connect() as connection:
            await connection.scalar(text("SELECT 1"))
    assert len(database._idle) == 1  # one at a time: one thread made, and kept


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
    await service.store.engine.dispose()

asyncio.run(main())
loaded = [m for m in ("sqlalchemy.ext.asyncio", "sqlalchemy.orm", "aiosqlite") if m in sys.modules]
assert not loaded, loaded
"""
    subprocess.run([sys.executable, "-c", program], check=True, cwd=Path(__file__).parents[2])


async def test_a_caller_cancelled_while_connecting_leaves_no_connection_checked_out(
    database: ThreadedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = database.sync_engine
    opened: list[Connection] = []
    connect = engine.connect

    def slow_connect() -> Connection:
        time.sleep(0.2)  # the caller gives up meanwhile
        opened.append(connect())
        return opened[-1]

    monkeypatch.setattr(engine, "connect", slow_connect)
    task = asyncio.create_task(database.begin().__aenter__())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.4)  # opened all the same, then closed on its thread
    assert len(opened) == 1 and opened[0].closed
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_caller_whose_time_runs_out_leaves_at_once(database: ThreadedEngine) -> None:
    """A health check with a timeout must not wait for the call it gave up on: its rollback
    and release run after that call, on the connection's thread."""

    def stuck(connection: Connection) -> None:
        connection.execute(NEW_USER, {"id": 1})
        time.sleep(0.6)  # SQLite busy, a slow disk: the caller's time runs out meanwhile

    started = time.perf_counter()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.1), database.begin() as connection:
            await connection.run_sync(stuck)
    assert time.perf_counter() - started < 0.4
    await asyncio.sleep(0.8)
    assert database.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    async with database.connect() as connection:
        assert (await connection.execute(select(users.c.id))).all() == []  # rolled back
