"""Group commit for SQLite: the turns of users who write at the same moment share one
transaction on one writer thread.

SQLite lets one writer in at a time, so concurrent turns queue for its lock anyway. Through an
asyncio driver every statement of a turn would be a hop to the connection's thread and back to
the event loop (a turn has about five), and with a hundred users in flight those hops, not
SQLite, set the pace.
Here a turn is handed to a thread of its own that runs it start to end with plain, synchronous
statements; turns that arrive while one batch runs are taken together as the next: `BEGIN
IMMEDIATE`, the turns one after another, one COMMIT. If a turn fails, the batch is rolled back
and its turns run again, a transaction each: the failing one gets its error, the others stand.
Nobody is answered before their commit, so durability is unchanged: nothing is sent before its
turn is on disk.

PostgreSQL needs none of this: its turns run concurrently on connections of their own, under a
per-user advisory lock.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from dataclasses import dataclass

from sqlalchemy import Engine

from bot import metrics
from bot.engine.turn import Outcome
from bot.store.turns import TurnRequest, run_turn

log = logging.getLogger(__name__)

MAX_BATCH = 64  # turns per transaction: enough to share a commit, short enough to answer soon
IDLE_SECONDS = 5.0  # the writer thread ends after this long without work, and starts again


@dataclass
class _Waiting:
    request: TurnRequest
    future: asyncio.Future[Outcome | None]
    loop: asyncio.AbstractEventLoop


class GroupCommit:
    """Runs turns on one writer thread, a batch per transaction (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        """`engine`: the store's own SQLite engine (its pragmas and BEGIN IMMEDIATE included);
        the writer takes one of its pooled connections per batch."""
        self._engine = engine
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._guard = threading.Lock()
        self._running = False
        self._thread: threading.Thread | None = None

    async def submit(self, request: TurnRequest) -> Outcome | None:
        """Run `request` in the next batch; returns once its transaction committed."""
        loop = asyncio.get_running_loop()
        waiting = _Waiting(request, loop.create_future(), loop)
        with self._guard:
            self._queue.put(waiting)
            metrics.STORE_QUEUE.inc()  # until its transaction ends (`_settle`)
            if not self._running:
                self._running = True
                self._thread = threading.Thread(
                    target=self._serve, name="sqlite-writer", daemon=True
                )
                self._thread.start()
        return await waiting.future

    def _serve(self) -> None:
        while (batch := self._next_batch()) is not None:
            self._run(batch)

    def _next_batch(self) -> list[_Waiting] | None:
        try:
            batch = [self._queue.get(timeout=IDLE_SECONDS)]
        except queue.Empty:
            with self._guard:  # `submit` puts under the same lock: nothing can slip through
                if self._queue.empty():
                    self._running = False
                    return None
            batch = []
        while len(batch) < MAX_BATCH:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self, batch: list[_Waiting]) -> None:
        """The batch in one transaction; if a turn fails, the batch is rolled back and its turns
        run again, each in a transaction of its own, so only the failing turn is lost. Turns
        fail rarely (a bug), and a SAVEPOINT around every turn cost two statements a turn."""
        try:
            with self._engine.begin() as connection:
                outcomes = [run_turn(connection, waiting.request) for waiting in batch]
        except Exception as error:
            if len(batch) == 1:
                log.debug("a turn failed alone: %s", type(error).__name__)
                self._settle(batch[0], None, error)
                return
            log.info("a batch of %s turns failed; running them one by one", len(batch))
            for waiting in batch:
                self._run([waiting])
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            self._settle(waiting, outcome, None)

    @staticmethod
    def _settle(waiting: _Waiting, outcome: Outcome | None, error: BaseException | None) -> None:
        metrics.STORE_QUEUE.dec()
        waiting.loop.call_soon_threadsafe(_settle, waiting.future, outcome, error)


def _settle(
    future: asyncio.Future[Outcome | None], outcome: Outcome | None, error: BaseException | None
) -> None:
    if future.done():  # the caller gave up waiting (cancelled); the turn stands regardless
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(outcome)
