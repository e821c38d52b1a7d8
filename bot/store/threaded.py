"""SQLite for asyncio code without SQLAlchemy's asyncio extension: the same `begin()`,
`connect()`, `execute`, `scalar` and `run_sync` the store uses on PostgreSQL's `AsyncEngine`,
each connection's calls run in order on a thread of its own.

Why not `create_async_engine("sqlite+aiosqlite://…")`: importing `sqlalchemy.ext.asyncio` imports
SQLAlchemy's ORM with it (about 7 MB of an idle bot's 87), which the bot never uses. The SQLite
file serves one process, whose turns run on the group-commit writer (bot/store/group_commit.py);
what comes here is the rest (reminders, loading a session for `chat`, housekeeping).

A thread per connection, as aiosqlite has: a connection waiting for SQLite's write lock (or for
the pool) then blocks only itself, never the connection that holds the lock and would release
it. Calls queue on that thread, so a caller that stops waiting (a cancelled task, a timeout)
never has its connection used by two threads at once: the rollback and release it leaves behind
run after the call it abandoned, and it does not wait for them. Idle threads are kept for the
next connections, up to `IDLE_THREADS`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Result
from sqlalchemy.engine import URL, Dialect
from sqlalchemy.sql.base import Executable

T = TypeVar("T")
log = logging.getLogger(__name__)


# Threads kept for the next connections, as many as the pool gives out at once (5 + 10
# overflow): starting one waits on the event loop until it runs, and a reminder burst (ten
# sends at a time, each marking its reminder) started hundreds when only 4 were kept.
IDLE_THREADS = 16


class _Worker:
    """One thread that runs calls in the order they come."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._last: Future[Any] | None = None

    def _submit(self, fn: Callable[[], T]) -> Future[T]:
        self._last = self._thread.submit(fn)
        return self._last

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.wrap_future(self._submit(functools.partial(fn, *args, **kwargs)))

    def later(self, fn: Callable[[], Any]) -> None:
        """Run `fn` after the calls queued so far, without waiting for it; a failure is
        logged, as nobody is there to hear it."""
        self._submit(fn).add_done_callback(_log_failure)

    @property
    def idle(self) -> bool:
        """Nothing queued or running: a caller that gave up may have left a call running."""
        return self._last is None or self._last.done()

    def stop(self) -> None:
        self._thread.shutdown(wait=False)


def _log_failure(done: Future[Any]) -> None:
    if not done.cancelled() and (error := done.exception()) is not None:
        log.warning("closing an SQLite connection failed: %s", error)


class ThreadedConnection:
    """A connection of `ThreadedEngine`; its calls run on its worker's thread."""

    def __init__(self, connection: Connection, run: Callable[..., Any]) -> None:
        self.sync_connection = connection
        self._run = run

    async def execute(self, statement: Executable, parameters: Any = None) -> Result[Any]:
        """Runs `statement`; rows it returns are fetched on the thread, so the result can be
        read here without touching the connection again."""

        def execute() -> Result[Any]:
            result = self.sync_connection.execute(statement, parameters)
            return result.freeze()() if result.returns_rows else result

        return await self._run(execute)

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return await self._run(self.sync_connection.scalar, statement, parameters)

    async def run_sync(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(sync_connection, *args, **kwargs)` on the thread, as `AsyncConnection.run_sync`."""
        return await self._run(fn, self.sync_connection, *args, **kwargs)


def _close_when_opened(opening: asyncio.Future[Connection]) -> None:
    if not opening.cancelled() and opening.exception() is None:
        opening.result().close()  # on the loop: the worker may be stopped already


class ThreadedEngine:
    """An SQLAlchemy `Engine` (pysqlite) behind the part of `AsyncEngine`'s interface the store
    uses."""

    def __init__(self, engine: Engine) -> None:
        self.sync_engine = engine
        self._idle: list[_Worker] = []

    @property
    def url(self) -> URL:
        return self.sync_engine.url

    @property
    def dialect(self) -> Dialect:
        return self.sync_engine.dialect

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[ThreadedConnection]:
        """A connection; what it did is rolled back at the end unless committed.

        Its release is queued, never waited for: a caller whose time ran out (a health check)
        leaves at once, and the rollback and release run after the call it abandoned."""
        worker = self._idle.pop() if self._idle else _Worker()
        opening = asyncio.ensure_future(worker.run(self.sync_engine.connect))
        try:
            connection = await asyncio.shield(opening)
        except asyncio.CancelledError:  # it opens all the same: give it back to the pool
            opening.add_done_callback(_close_when_opened)
            worker.stop()
            raise
        try:
            yield ThreadedConnection(connection, worker.run)
        finally:
            reusable = worker.idle  # not still busy with a call its caller gave up on
            worker.later(connection.close)  # rolls back what was not committed
            if reusable and len(self._idle) < IDLE_THREADS:
                self._idle.append(worker)
            else:
                worker.stop()  # ends once its queued calls are done

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[ThreadedConnection]:
        """A connection in a transaction, committed at the end; on an error it is rolled
        back when the connection is released."""
        async with self.connect() as connection:
            transaction = await connection.run_sync(lambda sync: sync.begin())
            yield connection
            await connection.run_sync(lambda _sync: transaction.commit())

    async def dispose(self) -> None:
        """Close the pooled connections and end the idle threads."""
        await asyncio.to_thread(self.sync_engine.dispose)
        while self._idle:
            self._idle.pop().stop()
