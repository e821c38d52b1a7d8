"""Event fields round-trip through their table, including those added after the first release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coach.journal import Contact, Event
from bot.service import ConversationService
from bot.store.journal.sql_journal import SqlJournal
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


async def test_the_event_in_hand_is_read_again_after_the_turn_changed_it(
    service: ConversationService,
) -> None:
    """`events_on` is read once per turn (every button of /exit asks for it), yet an event saved,
    reflected or deleted earlier in the same turn is seen at once."""
    client = DialogClient(service, user_id=78)
    await client.onboard()
    now = datetime(2026, 12, 1, 18, tzinfo=UTC)
    event = Event(name="Stammtisch", starts_at=now - timedelta(hours=1),
                  ends_at=now + timedelta(hours=1), goal="exchange", created_at=now)  # fmt: skip
    seen: list[list[str]] = []

    def in_hand(journal: SqlJournal) -> None:
        seen.append([e.name for e in journal.events_on(now - timedelta(hours=6), now, now, 3)])

    def turn(journal: SqlJournal) -> None:
        in_hand(journal)
        journal.save_event(event)
        in_hand(journal)
        in_hand(journal)
        journal.save_event(event.model_copy(update={"name": "Stammtisch Süd"}))
        in_hand(journal)
        journal.delete_event(event.id)
        in_hand(journal)

    await write_records(service, 78, turn)
    assert seen == [[], ["Stammtisch"], ["Stammtisch"], ["Stammtisch Süd"], []]


async def test_cancelling_reminders_matches_the_key_prefix_literally(
    service: ConversationService,
) -> None:
    """`_`, `%` and `/` in a key are plain characters, not LIKE wildcards or escapes."""
    from sqlalchemy import select

    from bot.engine.domain import CancelReminders, PlanReminder
    from bot.store.records import apply_records
    from bot.store.schema import reminders

    client = DialogClient(service, user_id=79)
    await client.onboard()
    due = datetime(2026, 12, 24, 9, tzinfo=UTC)
    keys = ["net_1:a", "netX1:a", "50%:a", "50x:a", "a/b:1", "a/bc:1", "nudge:c1", "nudge:c10"]
    kept: list[str] = []

    def plan_then_cancel(journal: SqlJournal) -> None:
        plans = [PlanReminder(key, due, "reflect") for key in keys]
        cancels = [CancelReminders(p) for p in ("net_1", "50%", "a/b:", "nudge:c1")]
        apply_records(journal.connection, 79, [*plans, *cancels])
        rows = journal.connection.execute(
            select(reminders.c.key).where(reminders.c.user_id == 79).order_by(reminders.c.key)
        )
        kept.extend(rows.scalars())

    await write_records(service, 79, plan_then_cancel)
    assert kept == ["50x:a", "a/bc:1", "netX1:a"]


async def test_contact_details_round_trip_and_caught_contacts_are_listed(
    service: ConversationService,
) -> None:
    """What a follow-up needs beyond the name is kept per contact (asked once); a contact caught
    in the room has no topic and no channel until it is drafted."""
    client = DialogClient(service, user_id=78)
    await client.onboard()
    evening = datetime(2026, 12, 1, 19, tzinfo=UTC)
    drafted = Contact(
        name="Dr. Dana Weber", topic="Fördermittel", channel="email", address="formal",
        honorific="female", organisation="Kanzlei Weber", met_online=False, intro_to="Jonas",
        created_at=evening,
    )  # fmt: skip
    caught = Contact(name="Ben", note="bike shop", created_at=evening + timedelta(hours=1))
    old = Contact(name="Old", created_at=evening - timedelta(days=3))

    def save(journal: SqlJournal) -> None:
        for contact in (drafted, caught, old):
            journal.save_contact(contact)

    await write_records(service, 78, save)
    read: list[Contact] = []
    listed: list[Contact] = []

    def load(journal: SqlJournal) -> None:
        read.extend(c for c in (journal.contact(drafted.id), journal.contact(caught.id)) if c)
        listed.extend(journal.caught_contacts(evening - timedelta(hours=12), 8))

    await write_records(service, 78, load)
    assert read == [drafted, caught]
    assert [c.name for c in listed] == ["Ben"]  # not the drafted one, not last week's


async def test_contacts_noted_in_one_instant_are_listed_in_the_order_they_were_noted(
    service: ConversationService,
) -> None:
    """A quick catch (or a transcript's clock) notes several contacts in the same second; the
    morning list shows them as they were noted, also after one of them got its note later (on
    PostgreSQL an updated row moves, so the time alone left their order to chance)."""
    client = DialogClient(service, user_id=79)
    await client.onboard()
    evening = datetime(2026, 12, 1, 19, tzinfo=UTC)
    noted = [Contact(name=name, created_at=evening) for name in ("Jake", "Aisha", "Ben", "Greta")]

    def save(journal: SqlJournal) -> None:
        for contact in noted:
            journal.save_contact(contact)

    await write_records(service, 79, save)
    # Notes typed after the names, long enough that PostgreSQL moves the rows to another page
    # (what years of other users' rows around them do): each row written again, twice.
    for round_ in range(2):
        for contact in noted[:3]:
            note = " ".join(f"{contact.name} {round_} {n}" for n in range(150))[:1900]
            await write_records(
                service, 79, lambda journal, c=contact, n=note: journal.save_contact(
                    c.model_copy(update={"note": n})
                )
            )  # fmt: skip
    listed: list[Contact] = []
    await write_records(
        service, 79, lambda journal: listed.extend(journal.caught_contacts(evening, 8))
    )
    assert [c.name for c in listed] == ["Jake", "Aisha", "Ben", "Greta"]
