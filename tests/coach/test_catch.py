"""Catch a contact in ten seconds: a name and a few words, filed under the event in hand; the
next morning, at nine in the user's time zone, one message lists the evening's contacts, each a
tap away from its follow-up draft with what is known filled in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.catch import morning_after, split_name
from bot.coach.journal import Event
from bot.engine.domain import PlanReminder
from bot.reminders import ReminderRunner
from bot.service import ConversationService
from bot.store.journal import SqlJournal
from bot.store.reminders import ReminderStore
from tests.conftest import Clock, write_records
from tests.dialog_client import DialogClient
from tests.test_reminders import Inbox


@pytest.mark.parametrize(
    ("typed", "name", "note"),
    [
        ("Ben Carter", "Ben Carter", None),
        (
            "Ben Carter, bike shop, wants pricing tips",
            "Ben Carter",
            "bike shop, wants pricing tips",
        ),
        ("Anna Weber – Kanzlei, sucht neue Website", "Anna Weber", "Kanzlei, sucht neue Website"),
        ("Dr. Weber: Förderung", "Dr. Weber", "Förderung"),
        ("Priya\nphotographer", "Priya", "photographer"),
        ("Anna Schmidt-Meier", "Anna Schmidt-Meier", None),
        ("Tom, ", "Tom", None),
    ],
)
def test_a_name_and_a_few_words_in_one_go(typed: str, name: str, note: str | None) -> None:
    assert split_name(typed) == (name, note)


BERLIN, LONDON, NEW_YORK = (
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Europe/London"),
    ZoneInfo("America/New_York"),
)


@pytest.mark.parametrize(
    ("caught_local", "zone", "morning_local"),
    [
        (datetime(2026, 11, 24, 21, 30), BERLIN, datetime(2026, 11, 25, 9, 0)),
        (datetime(2026, 11, 25, 1, 0), BERLIN, datetime(2026, 11, 25, 9, 0)),  # after midnight
        (datetime(2026, 11, 25, 10, 0), BERLIN, datetime(2026, 11, 26, 9, 0)),  # a breakfast
        (datetime(2026, 11, 24, 19, 0), LONDON, datetime(2026, 11, 25, 9, 0)),
        (datetime(2026, 11, 24, 19, 0), NEW_YORK, datetime(2026, 11, 25, 9, 0)),
        (datetime(2026, 3, 28, 22, 0), BERLIN, datetime(2026, 3, 29, 9, 0)),  # clocks go forward
    ],
)
def test_the_morning_after_is_nine_in_the_users_zone(
    caught_local: datetime, zone: ZoneInfo, morning_local: datetime
) -> None:
    caught = caught_local.replace(tzinfo=zone).astimezone(UTC)
    morning = morning_after(caught, zone)
    assert morning.tzinfo == UTC
    assert morning.astimezone(zone).replace(tzinfo=None) == morning_local


async def start_catch(service: ConversationService, runner: ReminderRunner, user: int) -> None:
    """Opens the catch dialog as the 🚪 screen would (dialogs/exit.yaml)."""
    session = await service.session(user)
    assert session is not None
    key = f"open:{session.step}"  # a new key each time: one already sent is not sent again
    await service.store.save(session, [PlanReminder(key, service.clock(), "catch")])
    inbox = Inbox()
    assert await runner.run_due(inbox.to) == 1


async def test_a_contact_caught_at_an_event_comes_back_the_next_morning(
    service: ConversationService, clock: Clock
) -> None:
    """Tue 24 Nov 2026, 17:00 UTC is 18:00 in Berlin; the event runs 17:30–20:00 there."""
    client = DialogClient(service, user_id=21)
    await client.onboard()
    start = clock() + timedelta(minutes=30)
    event = Event(
        name="Retail Meetup", starts_at=start, ends_at=start + timedelta(hours=2.5),
        goal="customers", online=False, created_at=clock(),
    )  # fmt: skip

    def prepared(journal: SqlJournal) -> None:
        journal.save_event(event)

    await write_records(service, 21, prepared)
    runner = ReminderRunner(service, ReminderStore(service.store.engine))
    clock.advance(minutes=60)  # 19:00 in Berlin, in the room
    await start_catch(service, runner, 21)
    saved = await client.send("Ben Carter, bike shop, wants pricing tips")
    assert "Noted: <b>Ben Carter</b> (Retail Meetup)" in saved.messages[0].html
    assert "Tomorrow morning" in saved.messages[0].html
    await start_catch(service, runner, 21)
    await client.send("Priya")
    asked = await client.tap("Skip")  # no note: fine, the name is enough
    assert "Noted: <b>Priya</b>" in asked.messages[0].html

    inbox = Inbox()
    clock.advance(hours=13, minutes=59)  # 08:59 in Berlin
    assert await runner.run_due(inbox.to) == 0
    clock.advance(minutes=1)
    assert await runner.run_due(inbox.to) == 1  # one message for the evening
    morning = inbox.replies[21][-1].messages[-1]
    assert "Good morning!" in morning.html and "at the Retail Meetup:" in morning.html
    assert "<b>Ben Carter</b>: bike shop, wants pricing tips" in morning.html
    assert [b.label for row in morning.buttons for b in row] == ["Ben Carter", "Priya", "Not now"]

    client.replies.append(inbox.replies[21][-1])
    await client.tap("Ben Carter")
    await client.tap("First names")  # where they met is known: not asked
    topic = client.replies[-1].messages[-1].html
    assert "What did you talk about?" in topic and "bike shop, wants pricing tips" in topic
    await client.send("pricing for small shops")
    await client.tap("Skip")
    draft = await client.tap("LinkedIn")
    text = draft.messages[-1].html
    assert "Hi Ben, it was good to meet you at the Retail Meetup." in text
    assert "• Noted on the spot: bike shop, wants pricing tips" in text
    another = await client.tap("Another contact")  # the next one of the evening
    assert [b.label for row in another.messages[-1].buttons for b in row] == ["Priya", "Not now"]


async def test_no_morning_message_for_users_who_turn_follow_up_reminders_off(
    service: ConversationService, clock: Clock
) -> None:
    client = DialogClient(service, user_id=22)
    await client.onboard()
    runner = ReminderRunner(service, ReminderStore(service.store.engine))
    await start_catch(service, runner, 22)
    saved = await client.send("Ben, bike shop")
    assert "Tomorrow morning" in saved.messages[0].html
    await client.send("/settings")
    await client.tap("Reminders")
    await client.tap("Follow-up nudges")  # off: the planned morning list goes too
    await client.tap("Done")
    clock.advance(days=1)
    assert await runner.run_due(Inbox().to) == 0
    await start_catch(service, runner, 22)
    saved = await client.send("Priya, photographer")
    assert "/followup helps you write to them" in saved.messages[0].html
    clock.advance(days=1)
    assert await runner.run_due(Inbox().to) == 0
