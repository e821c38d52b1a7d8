"""Database outages for tests: PostgreSQL behind a TCP proxy that a test can cut (every
connection dropped, new ones refused, as when the server stops or the network between goes
away), and an SQLite store whose every call fails while it is "down"."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.store.executor import SqliteDatabase


class CuttableProxy:
    """Forwards 127.0.0.1:`port` to the database server until `cut`, and again after `mend`."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.down = False
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._links.update((writer, up_writer))
        await asyncio.gather(
            _pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True
        )
        self._links.difference_update((writer, up_writer))

    def cut(self) -> None:
        """The server is gone: open connections break, new ones are refused."""
        self.down = True
        for writer in list(self._links):
            writer.transport.abort()
        self._links.clear()

    def mend(self) -> None:
        self.down = False

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        with contextlib.suppress(Exception):
            writer.close()


@asynccontextmanager
async def through_proxy(url: str) -> AsyncIterator[tuple[str, CuttableProxy]]:
    """`url` (PostgreSQL) rewritten to pass through a cuttable proxy."""
    parsed = make_url(url)
    proxy = CuttableProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    await proxy.start()
    try:
        yield parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    finally:
        await proxy.close()


class SqliteOutage:
    """Every call of an SQLite store fails while `down`, as when its disk went away."""

    def __init__(self, database: SqliteDatabase) -> None:
        self.database = database
        self.down = False
        self._run = database.run

        async def run(fn: Any, *, write: bool = False) -> Any:
            if self.down:
                raise OperationalError("(injected)", None, Exception("disk I/O error"))
            return await self._run(fn, write=write)

        database.run = run  # type: ignore[method-assign]

    def cut(self) -> None:
        self.down = True

    def mend(self) -> None:
        self.down = False
