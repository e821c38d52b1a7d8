"""Reading the step history for `exit-coach stats`: rows in order, per user (no texts exist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from bot.store.reminders import from_db, to_db
from bot.store.schema import step_history

if TYPE_CHECKING:
    from bot.store.executor import Database


@dataclass(frozen=True)
class StepRow:
    user_id: int
    dialog: str
    state: str
    choice: str | None
    at: datetime


async def step_rows(database: Database, since: datetime | None = None) -> list[StepRow]:
    """Every step entered (since `since`), ordered by user and then as it happened."""
    query = select(
        step_history.c.user_id,
        step_history.c.dialog,
        step_history.c.state,
        step_history.c.choice,
        step_history.c.at,
    ).order_by(step_history.c.user_id, step_history.c.at, step_history.c.id)
    if since is not None:
        query = query.where(step_history.c.at >= to_db(since))

    def read(connection: Connection) -> list[StepRow]:
        return [
            StepRow(row.user_id, row.dialog, row.state, row.choice, from_db(row.at))
            for row in connection.execute(query)
        ]

    return await database.run(read)
