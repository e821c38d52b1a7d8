"""Why the database cannot be used, in words an operator can act on.

`open_database` turns what the drivers raise on a first connection (asyncpg's errors with
their SQLSTATE, the OS's refusals, SQLite's) into one `DatabaseUnavailable` paragraph that
names DATABASE_URL, shows it without its password, and says what to do.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator

from sqlalchemy.engine import make_url

from bot.engine.errors import CannotStart

SETTING = "DATABASE_URL"
URL_FORM = "postgresql+asyncpg://user:password@host:5432/database"


class DatabaseUnavailable(CannotStart):
    """The database named by DATABASE_URL cannot be reached or used."""


def shown(url: str) -> str:
    """The URL as it may be printed: its password replaced by ***."""
    return make_url(url).render_as_string(hide_password=True)


def explain(url: str, error: BaseException) -> DatabaseUnavailable | None:
    """A paragraph for `error`, raised while first connecting to `url`; None for anything
    that is not about reaching the database (a bug: it keeps its traceback)."""
    parsed = make_url(url)
    where = f"{SETTING} ({shown(url)})"
    if parsed.get_backend_name() == "sqlite":
        return _sqlite(parsed.database or "", where, error)
    server = f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}"
    user, name = parsed.username or "(none)", parsed.database or "(none)"
    for cause in _causes(error):
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate == "28P01":
            return DatabaseUnavailable(
                f'{where}: {server} refused the password of user "{user}". Put the right '
                f"password in {SETTING} ({URL_FORM}; write @, :, / or % in it as %40, %3A, %2F, "
                "%25), or set the user's password on the server (ALTER ROLE … PASSWORD …)."
            )
        if sqlstate == "28000":
            return DatabaseUnavailable(
                f'{where}: {server} does not let user "{user}" in: {_first_line(cause)}. '
                f"Use an existing user in {SETTING}, or create this one (CREATE ROLE {user} "
                "LOGIN PASSWORD '…'); the server's pg_hba.conf must also admit it from here."
            )
        if sqlstate == "3D000":
            return DatabaseUnavailable(
                f'{where}: {server} has no database "{name}". Create it (createdb -h '
                f"{parsed.host or 'localhost'} -U {user} {name}) or correct the name at the "
                f"end of {SETTING}; Exit Coach creates its tables itself."
            )
        if isinstance(sqlstate, str):
            return DatabaseUnavailable(
                f"{where}: {server} refused Exit Coach: {_first_line(cause)} (SQLSTATE "
                f"{sqlstate}). Check {SETTING} and the server's log."
            )
        if isinstance(cause, OSError):
            return DatabaseUnavailable(
                f"{where}: {server} cannot be reached: {_reason(cause, parsed.host)}. Is the "
                f"server running, and are host and port in {SETTING} right? Start it or "
                f"correct {SETTING}, then start Exit Coach again."
            )
    return None


# What SQLite says when the file itself is the problem (not a statement).
SQLITE_FILE_PROBLEMS = (
    "unable to open database file",
    "readonly database",
    "disk i/o error",
    "file is not a database",
)


def _sqlite(path: str, where: str, error: BaseException) -> DatabaseUnavailable | None:
    for cause in _causes(error):
        file_problem = isinstance(cause, sqlite3.DatabaseError) and any(
            words in str(cause).lower() for words in SQLITE_FILE_PROBLEMS
        )
        if isinstance(cause, OSError) or file_problem:
            if isinstance(cause, FileExistsError | NotADirectoryError):
                reason = "a part of its folder path is a file, not a folder"
            else:
                reason = (cause.strerror if isinstance(cause, OSError) else None) or str(cause)
            return DatabaseUnavailable(
                f"{where}: the SQLite file {path} cannot be created or opened ({reason}). "
                f"Point {SETTING} at a file in a folder this user may write, e.g. "
                "sqlite:///data/exitcoach.db (relative to the folder Exit Coach starts in)."
            )
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, what it wraps (SQLAlchemy's `.orig`) and what caused it, nearest first."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        cause = pending.pop(0)
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        yield cause
        pending += [getattr(cause, "orig", None), cause.__cause__, cause.__context__]


def _reason(error: OSError, host: str | None) -> str:
    if isinstance(error, socket.gaierror):
        return f"the host name {host!r} is not known"
    if isinstance(error, ConnectionRefusedError):
        return "nothing accepts connections there (connection refused)"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    return error.strerror or type(error).__name__


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
