"""The one way store code runs: a plain synchronous function on a SQLAlchemy `Connection`,
awaited through `Database.run(fn, write=…)`.

- PostgreSQL: `run_sync` on SQLAlchemy's `AsyncEngine` (asyncpg); each call a connection of its
  own from the pool, in a transaction that commits when `fn` returns (`write=True`) or is rolled
  back (a read). Several instances share the database; one user's turns are ordered by an
  advisory lock inside the turn.
- SQLite: one supervised writer thread takes every write (turns, claims, marks, pruning), a
  batch at a time: `BEGIN IMMEDIATE`, the functions one after another, one COMMIT, so one fsync
  under `synchronous=FULL` stands for everything in the batch. Nobody is answered before the
  commit that holds their write. If a function fails, the batch is rolled back and its
  functions run again, each in a transaction of its own: the failing one gets its error, the
  others stand. Reads go to a reader thread with a connection of its own (WAL lets it read
  beside the writer).

Why a thread and not SQLAlchemy's asyncio extension for SQLite: a write then costs one hop from
the event loop and back, not one per statement, and importing `sqlalchemy.ext.asyncio` imports
the ORM (about 7 MB of an idle bot's memory) for nothing.

The writer is supervised: whatever goes wrong outside the functions it runs (a connection that
breaks, a caller's event loop that closed) fails the callers in hand at once, and the writer
starts again with a fresh connection; a writer thread that died is started anew by the next
call. `probe` runs a write through the same path, for `/healthz`.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from bot.engine.errors import ExitCoachError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_BATCH = 64  # writes per transaction: enough to share a commit, short enough to answer soon
IDLE_SECONDS = 5.0  # the writer thread ends after this long without work, and starts again
PROBE_TIMEOUT = 5.0  # seconds a health probe may take
RESTART_PAUSE, MAX_RESTART_PAUSE = 0.05, 2.0  # seconds between restarts of a failing writer

StoreCall = Callable[[Connection], T]


class StoreUnavailable(ExitCoachError):
    """The store could not run a call for a reason a later try may not share (the writer was
    restarted under it, the database did not answer): safe to retry, nothing was committed."""


def is_transient(error: BaseException) -> bool:
    """The store failed for a reason a later try may not share: the database did not answer, a
    connection broke, the writer was restarted. A bug in a store call is not."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(
        error,
        StoreUnavailable | OperationalError | InterfaceError | PoolTimeout | OSError | TimeoutError,
    )


class Database(Protocol):
    """What the rest of the bot knows of the database."""

    @property
    def url(self) -> URL: ...

    @property
    def dialect_name(self) -> str: ...

    async def run(self, fn: StoreCall[T], *, write: bool = False) -> T:
        """`fn(connection)` in a transaction: committed when it returns if `write`, else rolled
        back; what `fn` raises is raised here (after the rollback)."""
        ...

    async def write_behind(self, fn: StoreCall[Any]) -> None:
        """A write that must come before every later one but need not be waited for (marking a
        message sent): on SQLite queued to the writer and returned from at once (the writer
        runs its queue in order); elsewhere awaited like `run(fn, write=True)`. A failure is
        logged."""
        ...

    async def probe(self) -> bool:
        """True when a write through the path turns take commits within PROBE_TIMEOUT."""
        ...

    async def dispose(self) -> None: ...


def _select_one(connection: Connection) -> None:
    connection.execute(text("SELECT 1"))


async def _probe(database: Database) -> bool:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            await database.run(_select_one, write=True)
    except Exception as exc:  # any reason means "not healthy"; the reason goes to the log
        log.warning("health check: the database did not answer (%s)", type(exc).__name__)
        return False
    return True


class PostgresDatabase:
    """PostgreSQL through SQLAlchemy's `AsyncEngine`: `run_sync` on a pooled connection."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.async_engine = engine

    @property
    def url(self) -> URL:
        return self.async_engine.url

    @property
    def dialect_name(self) -> str:
        return self.async_engine.dialect.name

    async def run(self, fn: StoreCall[T], *, write: bool = False) -> T:
        if write:
            async with self.async_engine.begin() as connection:
                return await connection.run_sync(fn)
        async with self.async_engine.connect() as connection:
            return await connection.run_sync(fn)

    async def write_behind(self, fn: StoreCall[Any]) -> None:
        try:
            await self.run(fn, write=True)
        except Exception:
            log.warning("a write behind failed", exc_info=True)

    async def probe(self) -> bool:
        return await _probe(self)

    async def dispose(self) -> None:
        await self.async_engine.dispose()


@dataclass
class _Job:
    fn: StoreCall[Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


def _log_failed_write(done: asyncio.Future[Any]) -> None:
    if not done.cancelled() and (error := done.exception()) is not None:
        log.warning("a write behind failed: %r", error)


def _settle(job: _Job, result: Any, error: BaseException | None) -> None:
    """Hand the result to the caller's loop; a loop that closed meanwhile has nobody waiting."""
    try:
        job.loop.call_soon_threadsafe(_set, job.future, result, error)
    except RuntimeError:  # the loop is closed: the caller is gone, the write stands
        log.debug("a store call's caller went away before its answer")


def _set(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the caller gave up waiting (cancelled); the write stands regardless
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class SupervisedWriter:
    """The SQLite writer thread: batches of writes, one transaction each (module docstring)."""

    def __init__(self, engine: Engine) -> None:
        """`engine`: configured for writing (pragmas, BEGIN IMMEDIATE); the writer keeps one of
        its connections while it runs and opens a fresh one after a failure."""
        self._engine = engine
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._in_hand: list[_Job] = []  # the batch being run: failed by the supervisor
        self.restarts = 0  # how often the supervisor started the writer again after a failure

    @property
    def queued(self) -> int:
        """Writes waiting for the writer (for metrics): an estimate, as the queue moves."""
        return self._queue.qsize()

    async def submit(self, fn: StoreCall[T]) -> T:
        return await self.queue(fn)  # type: ignore[no-any-return]

    def queue(self, fn: StoreCall[T]) -> asyncio.Future[Any]:
        """Put `fn` in line now (before any write queued after this call) and return its
        future, answered once the batch that holds it committed."""
        loop = asyncio.get_running_loop()
        job = _Job(fn, loop.create_future(), loop)
        with self._guard:
            self._queue.put(job)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._supervise, name="sqlite-writer", daemon=True
                )
                self._thread.start()
        return job.future

    def _supervise(self) -> None:
        """Serve until idle; after any failure outside a job, fail the callers in hand (they
        may retry: nothing of theirs was committed) and go on with a fresh connection, after a
        pause that grows while the failures go on (a database that cannot be opened)."""
        pause = RESTART_PAUSE
        while True:
            try:
                self._serve()
                return
            except BaseException as failure:  # noqa: BLE001 - the writer must survive anything
                self.restarts += 1
                log.exception("the SQLite writer failed; its callers are told, it starts again")
                in_hand, self._in_hand = self._in_hand, []
                for job in in_hand:
                    _settle(job, None, StoreUnavailable(f"the writer failed: {failure!r}"))
                time.sleep(pause)
                pause = min(pause * 2, MAX_RESTART_PAUSE)

    def _serve(self) -> None:
        """Batches until idle, on one connection opened when the first batch comes."""
        connection: Connection | None = None
        try:
            while (batch := self._next_batch()) is not None:
                self._in_hand = batch
                if connection is None:
                    connection = self._engine.connect()
                self._run(connection, batch)
                self._in_hand = []
        finally:
            if connection is not None:
                connection.close()

    def _next_batch(self) -> list[_Job] | None:
        try:
            batch = [self._queue.get(timeout=IDLE_SECONDS)]
        except queue.Empty:
            with self._guard:  # `submit` puts under the same lock: nothing can slip through
                if self._queue.empty():
                    self._thread = None
                    return None
            batch = []
        while len(batch) < MAX_BATCH:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self, connection: Connection, batch: list[_Job]) -> None:
        """The batch in one transaction; if a job fails, the batch is rolled back and its jobs
        run again, each in a transaction of its own, so only the failing one is lost. Jobs
        fail rarely (a bug), and a SAVEPOINT around every job cost two statements a job."""
        if not batch:
            return
        try:
            with connection.begin():
                results = [job.fn(connection) for job in batch]
        except Exception as error:
            if len(batch) == 1:
                log.debug("a store call failed alone: %s", type(error).__name__)
                _settle(batch[0], None, error)
                return
            log.info("a batch of %s writes failed; running them one by one", len(batch))
            for job in batch:
                self._run(connection, [job])
            return
        for job, result in zip(batch, results, strict=True):
            _settle(job, result, None)


class SqliteDatabase:
    """SQLite: a supervised writer thread for writes, a reader thread for reads."""

    def __init__(self, write_engine: Engine, read_engine: Engine) -> None:
        self.write_engine = write_engine
        self.read_engine = read_engine
        self.writer = SupervisedWriter(write_engine)
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-reader")

    @property
    def url(self) -> URL:
        return self.write_engine.url

    @property
    def dialect_name(self) -> str:
        return "sqlite"

    async def run(self, fn: StoreCall[T], *, write: bool = False) -> T:
        if write:
            return await self.writer.submit(fn)
        return await asyncio.get_running_loop().run_in_executor(self._reader, self._read, fn)

    async def write_behind(self, fn: StoreCall[Any]) -> None:
        self.writer.queue(fn).add_done_callback(_log_failed_write)

    def _read(self, fn: StoreCall[T]) -> T:
        with self.read_engine.connect() as connection:
            return fn(connection)  # rolled back when the connection is returned

    async def probe(self) -> bool:
        return await _probe(self)

    async def dispose(self) -> None:
        """Close the pooled connections (the writer's thread ends by itself when idle)."""
        await asyncio.to_thread(self.read_engine.dispose)
        await asyncio.to_thread(self.write_engine.dispose)
