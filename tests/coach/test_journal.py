"""/journal: from three events on, a chart comes with the text (a real PNG, drawn off the loop)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coach.charts import journal_chart
from bot.coach.samples import sample_records
from bot.service import ConversationService
from bot.store.scratch import scratch_journal
from tests.conftest import Clock, write_records
from tests.dialog_client import DialogClient

PNG = b"\x89PNG\r\n\x1a\n"
TITLES = {"usefulness": "U", "confidence": "C", "before": "b", "after": "a", "no_network": "-"}


def test_chart_needs_three_events() -> None:
    with scratch_journal() as records:
        sample_records(records, datetime(2026, 11, 24, tzinfo=UTC), "x")
        reflected = records.reflected_events(40)
        total = records.count_events()
    png = journal_chart(total, reflected, TITLES)
    assert png is not None and png.startswith(PNG)
    assert journal_chart(2, reflected, TITLES) is None


async def test_journal_sends_text_and_chart(service: ConversationService, clock: Clock) -> None:
    client = DialogClient(service, user_id=5)
    await client.onboard()
    reply = await client.send("/journal")
    assert "Nothing here yet" in client.text
    assert all(m.file is None for m in reply.messages)

    await write_records(service, 5, lambda records: sample_records(records, clock.now, "Club <b>"))
    reply = await client.send("/journal")
    assert "Club <b>: 4/5 over 3 events (4 → 4 → 4)" in client.text
    pictures = [m for m in reply.messages if m.file is not None]
    assert len(pictures) == 1 and (pictures[0].file or b"").startswith(PNG)
