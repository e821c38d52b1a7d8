"""Long polling that confirms an update to Telegram only once it is kept.

python-telegram-bot's `Updater` confirms a batch (by asking for the next offset) as soon as it
has put the batch on its queue, before anything is stored: a crash or a database that is away
then loses those updates for good, and there is no setting to change that. So this loop calls
`getUpdates` on the `Bot` itself: it keeps each batch in the inbox (bot/telegram/inbox.py) and
only then asks for the next offset. While the database is away the batch stays with Telegram
and is asked for again.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, TimedOut

from bot.pause import pause
from bot.telegram.inbox import UpdateInbox

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates call open while nothing happens
MAX_PAUSE = 10.0  # seconds at most between tries while Telegram or the database is away


async def poll_updates(
    bot: Bot, inbox: UpdateInbox, stop: asyncio.Event, *, hold: int = POLL_TIMEOUT
) -> None:
    """Fetch, keep, confirm, until `stop`. A wrong token or a second bot polling with the same
    token ends it with the error: nothing a retry could mend."""
    await bot.delete_webhook()
    offset: int | None = None
    failures = 0
    while not stop.is_set():
        try:
            updates = await _fetch(bot, offset, hold, stop)
        except (InvalidToken, Forbidden, Conflict):
            raise
        except TimedOut:
            continue
        except NetworkError as error:
            failures += 1
            log.warning("getUpdates failed (%s); trying again", error.message)
            await pause(min(0.5 * 2**failures, MAX_PAUSE), stop)
            continue
        failures = 0
        if not updates:
            continue
        if not await _keep(inbox, updates, stop):
            return  # stopped while the database was away: Telegram keeps the batch
        offset = updates[-1].update_id + 1
    if offset is not None:  # confirm the last batch now, not at the next start
        try:
            await bot.get_updates(offset=offset, timeout=0, limit=1)
        except Exception:
            log.info("could not confirm the last updates; they come again and are recognised")


async def _fetch(
    bot: Bot, offset: int | None, hold: int, stop: asyncio.Event
) -> tuple[Update, ...]:
    """One getUpdates call, given up when `stop` is set (what it fetched then is not confirmed,
    so Telegram sends it again)."""
    fetch = asyncio.ensure_future(
        bot.get_updates(offset=offset, timeout=hold, allowed_updates=Update.ALL_TYPES)
    )
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not fetch.done():
        fetch.cancel()
        return ()
    return fetch.result()


async def _keep(inbox: UpdateInbox, updates: tuple[Update, ...], stop: asyncio.Event) -> bool:
    """Keep the batch, trying again while the database is away; False if stopped first."""
    failures = 0
    while not stop.is_set():
        try:
            await inbox.keep(updates)
            return True
        except Exception as error:
            failures += 1
            log.warning(
                "the database did not keep %s update(s) (%s); Telegram keeps them meanwhile",
                len(updates),
                type(error).__name__,
            )
            await pause(min(0.5 * 2**failures, MAX_PAUSE), stop)
    return False
