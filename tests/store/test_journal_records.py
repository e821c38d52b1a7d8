"""Event fields round-trip through their table, including those added after the first release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coach.journal import Event
from bot.service import ConversationService
from bot.store.journal import SqlJournal
from tests.conftest import write_records
from tests.dialog_client import DialogClient


async def test_online_flag_round_trips(service: ConversationService) -> None:
    client = DialogClient(service, user_id=77)
    await client.onboard()
    start = datetime(2026, 12, 1, 17, tzinfo=UTC)
    events = [
        Event(name=name, starts_at=start, ends_at=start + timedelta(hours=2), goal="exchange",
              online=online, created_at=start)
        for name, online in (("Köpfchen-Talk", True), ("Stammtisch", False), ("Old", None))
    ]  # fmt: skip

    def save(journal: SqlJournal) -> None:
        for event in events:
            journal.save_event(event)

    await write_records(service, 77, save)
    read: list[Event] = []
    await write_records(service, 77, lambda journal: read.extend(journal.latest_events(5)))
    assert {e.name: e.online for e in read} == {
        "Köpfchen-Talk": True,
        "Stammtisch": False,
        "Old": None,
    }
