"""A stand-in PostgreSQL server that asks for a password and refuses every one, as a real
server does for a wrong one (SQLSTATE 28P01), for testing how the bot reports it.

The machine's own server trusts local connections and never checks a password, so a wrong one
could not be shown there. This speaks just enough of the protocol (version 3): it declines
TLS, asks for a clear-text password, reads it, answers with the error, and hangs up.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104


async def _startup_packet(reader: asyncio.StreamReader) -> int:
    """Reads one length-prefixed start-up packet; returns its code (protocol or request)."""
    length = struct.unpack("!I", await reader.readexactly(4))[0]
    body = await reader.readexactly(length - 4)
    return int(struct.unpack("!I", body[:4])[0])


def _error(code: str, message: str) -> bytes:
    fields = b"".join(
        kind + value.encode() + b"\0"
        for kind, value in ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", code), (b"M", message))
    )
    body = fields + b"\0"
    return b"E" + struct.pack("!I", len(body) + 4) + body


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while await _startup_packet(reader) in (SSL_REQUEST, GSS_REQUEST):
            writer.write(b"N")  # no TLS, no GSSAPI: go on in the clear
            await writer.drain()
        writer.write(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
        await writer.drain()
        kind = await reader.readexactly(1)
        length = struct.unpack("!I", await reader.readexactly(4))[0]
        await reader.readexactly(length - 4)  # the password, never looked at
        if kind == b"p":
            writer.write(_error("28P01", 'password authentication failed for user "exit"'))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@asynccontextmanager
async def refusing_postgres() -> AsyncIterator[int]:
    """A server on a free loopback port that refuses every password; yields the port."""
    server = await asyncio.start_server(_serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()
