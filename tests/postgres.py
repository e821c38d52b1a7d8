"""The PostgreSQL server the tests use for what only PostgreSQL can show (several instances,
migrations on PostgreSQL): `TEST_POSTGRES_URL`, or the project's standard local server.

Where it cannot be reached the tests skip with the reason, except in CI (`CI=true`), where a
skipped PostgreSQL test would hide exactly what CI is for, so they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL") or DEFAULT_URL


async def require_postgres() -> str:
    """The server's URL, or skip (fail in CI) with the reason it cannot be used."""
    url = postgres_url()
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any reason: refused, unknown host, auth
        reason = f"PostgreSQL at {make_url(url).render_as_string()} is not reachable: {exc!r}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)")
        pytest.skip(reason)
    finally:
        await engine.dispose()
    return url


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new, empty database on the test server for one test, dropped afterwards."""
    server = make_url(await require_postgres())
    name = f"exit_coach_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
