"""Opening the database: SQLite tuned for durability under a kill and a power cut, PostgreSQL for
several instances; the schema is brought up to date by Alembic before anything else touches it.
How store code runs on either: bot/store/executor.py."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, Any, NoReturn

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from bot.engine.errors import CannotStart
from bot.store.executor import Database, PostgresDatabase, SqliteDatabase
from bot.store.migrate import upgrade
from bot.store.problems import explain

__all__ = ["Database", "open_database"]

SECOND_PROCESS = """\
Another Exit Coach process is already using the SQLite database {path}.
SQLite serves one bot process only: stop the other one, or run several instances on PostgreSQL
(DATABASE_URL=postgresql+asyncpg://user:password@host/db)."""

_held_locks: dict[str, IO[str]] = {}  # path → open lock file, held for the process's lifetime


class DatabaseInUse(CannotStart):
    """A second bot process on one SQLite file: refused, with what to do instead."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL keeps every committed transaction through a kill -9 and lets the reader run beside
    the writer; synchronous=FULL syncs the WAL at every commit, so a committed batch also
    survives a power cut or an OS crash (one fsync per batch of writes, see executor.py);
    busy_timeout makes a second connection wait instead of failing. SQLAlchemy, not the driver,
    begins transactions (see `_begin_immediate`)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock when a transaction begins, not at its first write: a read that
    later wants to write would otherwise fail with 'database is locked' instead of waiting; and
    DDL becomes transactional, so a migration is all or nothing."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(connection: Any) -> None:
    """A read sees one snapshot of the database from its first statement to its end."""
    connection.exec_driver_sql("BEGIN")


def configure_sqlite(engine: Engine, *, writer: bool = True) -> None:
    """The pragmas on every connection of `engine`, and how its transactions begin: with the
    write lock for the writer, as a snapshot for the reader."""
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin_immediate if writer else _begin_deferred)


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
    database: Database
    if parsed.get_backend_name() == "sqlite":
        if path is None:
            raise CannotStart(
                f"DATABASE_URL {parsed.render_as_string()} names no SQLite file: the bot keeps "
                "its data in one, e.g. sqlite:///data/exitcoach.db"
            )  # any driver named (aiosqlite): the standard one
        standard = parsed.set(drivername="sqlite+pysqlite")
        write_engine, read_engine = create_engine(standard), create_engine(standard)
        configure_sqlite(write_engine)
        configure_sqlite(read_engine, writer=False)
        database = SqliteDatabase(write_engine, read_engine)
    else:
        from sqlalchemy.ext.asyncio import create_async_engine

        # Room for the turns in flight; each holds a connection only while it runs.
        database = PostgresDatabase(
            create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        )
    try:
        if migrate:
            await upgrade(database)
        else:  # the first contact, to explain it
            await database.run(lambda connection: connection.exec_driver_sql("SELECT 1"))
    except Exception as error:
        await database.dispose()
        _raise_explained(url, error)
    return database


def _raise_explained(url: str, error: Exception) -> NoReturn:
    """Raise what an operator can act on (`problems.explain`), else `error` itself."""
    problem = explain(url, error)
    if problem is None:
        raise error
    raise problem from error
