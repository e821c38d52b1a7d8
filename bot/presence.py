"""How many instances share the bot now, for dividing Telegram's budget between them.

Several instances on one PostgreSQL database send for the same bot token, and Telegram's limit
of about 30 messages a second is the bot's, not each process's. Each instance writes that it is
alive every `BEAT` seconds (bot/store/instances.py) and counts the ones seen within `ALIVE`;
`on_count` gets that number (the rate limiter takes `budget // count`). An instance that stops
removes its row; one that dies is no longer counted after `ALIVE`, and until then the others
send a little below the budget, never above it. A new instance counts itself and the others
before it sends anything; those learn of it within `BEAT`, the one moment the bot may briefly
send above the budget (and the rate limiter waits out the 429 that can bring).

SQLite serves one process only: there the count is always 1 and nothing is written.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from bot.pause import every
from bot.store import instances
from bot.store.executor import Database

log = logging.getLogger(__name__)

BEAT = 5.0  # seconds between two "still here"s of one instance
ALIVE = timedelta(seconds=15)  # an instance not heard from for this long (three beats) is gone


class Presence:
    def __init__(
        self,
        database: Database,
        on_count: Callable[[int], None],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.database = database
        self.on_count = on_count
        self.clock = clock
        self.instance = uuid.uuid4().hex
        self.shared = database.dialect_name != "sqlite"

    async def beat(self) -> int:
        """Say this instance is alive; tell `on_count` how many are. On a failure (the database
        went away) the last count stands."""
        if not self.shared:
            self.on_count(1)
            return 1
        count = await self.database.run(
            partial(instances.beat, instance=self.instance, now=self.clock(), alive=ALIVE),
            write=True,
        )
        self.on_count(count)
        return count

    async def run(self, stop: asyncio.Event) -> None:
        """Beat until `stop`, then leave (the others take this one's part)."""
        if not self.shared:
            return
        # a failed beat is logged and the last count stands until the next one
        await every(BEAT, self.beat, first=0)(stop)
        try:
            await self.database.run(partial(instances.leave, instance=self.instance), write=True)
        except Exception as error:
            log.warning("could not say this instance stops (%s)", type(error).__name__)
