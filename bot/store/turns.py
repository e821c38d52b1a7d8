"""One turn's statements, start to end, on the caller's transaction: lock the user, recognise a
redelivered update, load the session and profile, let the engine work on the user's records,
write it all. Synchronous, so a turn runs without a hop between threads or coroutines per
statement: on PostgreSQL through `AsyncConnection.run_sync`, on SQLite on the writer's thread
(`bot.store.executor`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, text, update

from bot.engine.errors import ExitCoachError
from bot.engine.session import Profile, Session
from bot.engine.turn import Outcome, Step
from bot.store import inbox
from bot.store.journal.sql_journal import SqlJournal
from bot.store.records import apply_records
from bot.store.reminders import to_db
from bot.store.schema import profiles, step_history, users
from bot.store.statements import save_profile

# The engine's work on a loaded session (None: a new user) and the user's records.
TurnWork = Callable[[Session | None, SqlJournal], tuple[Session, Outcome]]
# More to write in the turn's transaction, once the engine has produced its outcome.
AlsoInTurn = Callable[[Connection, Outcome], None]

EMPTY_PROFILE = Profile().model_dump_json()  # nothing to write for a user who told us nothing

# A turn's statements, built once with their values as parameters (see bot/store/statements.py).
_LOCK = text("SELECT pg_advisory_xact_lock(:id)")
_LOAD = (
    select(
        users.c.session,
        users.c.version,
        profiles.c.name,
        profiles.c.business,
        profiles.c.goals,
        profiles.c.reminders_off,
        profiles.c.exit_tone,
    )
    .outerjoin(profiles, profiles.c.user_id == users.c.id)
    .where(users.c.id == bindparam("user_id"))
)
_NEW_USER = insert(users).values(session="{}", version=0, blocked=False)
_SAVE_SESSION = (
    update(users)
    .where(users.c.id == bindparam("user_id"), users.c.version == bindparam("expected"))
    .values(blocked=False)
)
_FLAG_UNSEEN = (
    update(users).where(users.c.id == bindparam("user_id")).values(version=users.c.version + 1)
)
_RECORD_STEP = insert(step_history)


class SessionConflict(ExitCoachError):
    """The session changed under a turn that held the user's lock: a bug, never a race."""


@dataclass(frozen=True)
class Loaded:
    session: Session
    profile: str | None  # the profile as stored (JSON), to write it only when it changed


@dataclass(frozen=True)
class TurnRequest:
    """One turn to run: what `SessionStore.turn` was asked."""

    user_id: int
    work: TurnWork
    now: datetime
    update_id: int | None
    input_kind: str
    also: AlsoInTurn | None


def run_turn(connection: Connection, request: TurnRequest) -> Outcome | None:
    """The whole turn on the caller's transaction, statements one after another without a
    hop between threads or coroutines (see bot/store/executor.py)."""
    user_id, now = request.user_id, request.now
    _lock(connection, user_id)
    if request.update_id is not None and not inbox.first_application(
        connection, request.update_id, user_id, now
    ):
        return None
    loaded = load(connection, user_id)
    if loaded is None:  # the records' foreign keys need the user's row first
        connection.execute(_NEW_USER, {"id": user_id, "updated_at": now})
    session, outcome = request.work(
        loaded.session if loaded else None, SqlJournal(connection, user_id)
    )
    _write(connection, session, loaded, now)
    _record_steps(connection, user_id, outcome.steps, request.input_kind, now)
    apply_records(connection, user_id, outcome.records, request.update_id, now)
    if request.also is not None:
        request.also(connection, outcome)
    return outcome


def _lock(connection: Connection, user_id: int) -> None:
    if connection.dialect.name == "postgresql":
        # Released at commit or rollback, so a crashed turn never leaves the user locked.
        connection.execute(_LOCK, {"id": user_id})


def load(connection: Connection, user_id: int) -> Loaded | None:
    row = connection.execute(_LOAD, {"user_id": user_id}).first()
    if row is None or row.session == "{}":  # "{}": a row made for a turn that failed
        return None
    session = Session.from_json(row.session)
    session.version = row.version
    stored_profile = None
    if row.goals is not None:
        session.profile = Profile(
            name=row.name,
            business=row.business,
            goals=json.loads(row.goals),
            reminders_off=json.loads(row.reminders_off),
            exit_tone=row.exit_tone,
        )
        stored_profile = session.profile.model_dump_json()
    return Loaded(session, stored_profile)


def _write(
    connection: Connection,
    session: Session,
    loaded: Loaded | None,
    now: datetime,
) -> None:
    expected = session.version
    result = connection.execute(
        _SAVE_SESSION,
        {
            "user_id": session.user_id,
            "expected": expected,
            "session": session.to_json(),
            "version": expected + 1,
            "updated_at": now,
        },
    )
    if result.rowcount != 1:
        raise SessionConflict(f"session of user {session.user_id} changed under its lock")
    session.version = expected + 1
    profile = session.profile.model_dump_json()
    before = loaded.profile if loaded else None
    if profile != (before or EMPTY_PROFILE):
        connection.execute(
            save_profile(connection.dialect.name),
            {
                "user_id": session.user_id,
                "name": session.profile.name,
                "business": session.profile.business,
                "goals": json.dumps(session.profile.goals),
                "reminders_off": json.dumps(session.profile.reminders_off),
                "exit_tone": session.profile.exit_tone,
            },
        )


def _record_steps(
    connection: Connection,
    user_id: int,
    steps: list[Step],
    input_kind: str,
    now: datetime,
) -> None:
    """Which steps the turn entered, for the coaches' analytics: never what was typed."""
    if steps:
        at = to_db(now)
        connection.execute(
            _RECORD_STEP,
            [
                {
                    "user_id": user_id,
                    "dialog": dialog,
                    "state": state,
                    "input_kind": input_kind,
                    "choice": choice,
                    "at": at,
                }
                for dialog, state, choice in steps
            ],
        )


def flag_unseen(connection: Connection, user_id: int, unseen: bool = True) -> None:
    """Whether the user has not seen the current step (their last reply did not arrive). An
    update of the row the turn committed, never an insert: a user whom that very turn erased
    stays erased."""
    _lock(connection, user_id)
    loaded = load(connection, user_id)
    if loaded is None or loaded.session.unseen == unseen:
        return
    loaded.session.unseen = unseen
    connection.execute(_FLAG_UNSEEN, {"user_id": user_id, "session": loaded.session.to_json()})
