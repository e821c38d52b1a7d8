"""Reading the waitlists of the operator's offers (written as records, see records.py)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.store.reminders import from_db
from bot.store.schema import waitlist

if TYPE_CHECKING:
    from bot.store.executor import Database

COLUMNS = ("offer_key", "user_id", "name", "language", "joined_at")


async def waitlist_csv(database: Database, offer_key: str | None = None) -> str:
    """All entries (or one offer's) as CSV with a header, oldest first."""
    query = select(*(waitlist.c[name] for name in COLUMNS)).order_by(
        waitlist.c.offer_key, waitlist.c.joined_at, waitlist.c.id
    )
    if offer_key:
        query = query.where(waitlist.c.offer_key == offer_key)
    rows = await database.run(lambda connection: connection.execute(query).all())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([*row[:4], from_db(row.joined_at).isoformat()])
    return buffer.getvalue()
