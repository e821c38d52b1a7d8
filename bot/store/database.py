"""Opening the database: SQLite tuned for durability under a kill, PostgreSQL for several
instances; the schema is brought up to date by Alembic before anything else touches it."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, Union

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from bot.engine.errors import CannotStart
from bot.store.migrate import upgrade
from bot.store.problems import explain
from bot.store.threaded import ThreadedEngine

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

# The database as the store sees it: SQLAlchemy's `AsyncEngine` on PostgreSQL; on SQLite an
# engine with the same interface that spares the bot SQLAlchemy's asyncio extension and, with
# it, the ORM (bot/store/threaded.py).
Database = Union["AsyncEngine", ThreadedEngine]

SECOND_PROCESS = """\
Another Exit Coach process is already using the SQLite database {path}.
SQLite serves one bot process only: stop the other one, or run several instances on PostgreSQL
(DATABASE_URL=postgresql+asyncpg://user:password@host/db)."""

_held_locks: dict[str, IO[str]] = {}  # path → open lock file, held for the process's lifetime


class DatabaseInUse(CannotStart):
    """A second bot process on one SQLite file: refused, with what to do instead."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL survives a kill -9 with every committed transaction, and lets readers run alongside
    the writer; busy_timeout makes a second connection wait instead of failing. SQLAlchemy, not
    the driver, begins transactions (see `_begin_immediate`)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock when a transaction begins, not at its first write: a read that
    later wants to write would otherwise fail with 'database is locked' instead of waiting; and
    DDL becomes transactional, so a migration is all or nothing."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def configure_sqlite(engine: Engine) -> None:
    """The pragmas and BEGIN IMMEDIATE on every connection of `engine`."""
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin_immediate)


def shared_sqlite_file(engine: Database) -> bool:
    """`engine` is on an SQLite file that a second connection (the group-commit writer) can
    open too; an in-memory database lives and dies with its one connection."""
    return engine.dialect.name == "sqlite" and _sqlite_file(str(engine.url)) is not None


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database)
    return None


def claim_database(url: str) -> None:
    """For a bot process: refuse to share an SQLite file with another one (PostgreSQL is made
    for several instances, nothing to claim)."""
    path = _sqlite_file(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            claim_sqlite_file(path)
        except OSError as error:
            _raise_explained(url, error)


def claim_sqlite_file(path: Path) -> None:
    """Refuse a second bot process on one SQLite file (an advisory lock the OS drops when the
    process dies, even by kill -9). One process may claim the same file more than once."""
    key = str(path.resolve())
    if key in _held_locks:
        return
    handle = open(f"{key}.lock", "w")  # noqa: SIM115 - held open for the process's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DatabaseInUse(SECOND_PROCESS.format(path=key)) from None
    handle.write(str(os.getpid()))
    handle.flush()
    _held_locks[key] = handle


async def open_database(url: str, *, exclusive: bool = False, migrate: bool = True) -> Database:
    """Engine for `url`, its schema upgraded to the newest revision (and a folder for SQLite).

    `exclusive`: this process serves the bot (`run`, `chat`), so a second one on the same SQLite
    file is refused; short commands (`waitlist`, `migrate`) may run beside it.
    """
    parsed = make_url(url)
    if exclusive:
        claim_database(url)
    path = _sqlite_file(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _raise_explained(url, error)
    engine: Database
    if parsed.get_backend_name() == "sqlite":  # any driver named (aiosqlite): the standard one
        sync_engine = create_engine(parsed.set(drivername="sqlite+pysqlite"))
        configure_sqlite(sync_engine)
        engine = ThreadedEngine(sync_engine)
    else:
        from sqlalchemy.ext.asyncio import create_async_engine

        # Room for the turns in flight; each holds a connection only while it runs.
        engine = create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    try:
        if migrate:
            await upgrade(engine)
        else:
            async with engine.connect() as connection:  # the first contact, to explain it
                await connection.execute(text("SELECT 1"))
    except Exception as error:
        await engine.dispose()
        _raise_explained(url, error)
    return engine


def _raise_explained(url: str, error: Exception) -> NoReturn:
    """Raise what an operator can act on (`problems.explain`), else `error` itself."""
    problem = explain(url, error)
    if problem is None:
        raise error
    raise problem from error
