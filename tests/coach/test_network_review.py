"""The network review's rules: when it is offered, when the membership period ends, when the
coach comes back; and its records round-trip through the store and /export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.coach.journal import Event, Reflection, YearPlan
from bot.coach.network_review import (
    button_label,
    leave_reminder_due,
    low_over_time,
    period_end,
)
from bot.service import ConversationService
from bot.store.journal.sql_journal import SqlJournal
from tests.conftest import Clock, write_records
from tests.dialog_client import DialogClient


@pytest.mark.parametrize(
    ("scores", "due"),
    [
        ([2, 3, 1], True),  # average 2.0
        ([3, 3, 1], True),  # 2.33
        ([1, 1, 1], True),
        ([5, 5, 1, 2, 2], True),  # only the latest three count: 1.67
        ([2, 3, 3], False),  # 2.67: not low enough
        ([5, 4, 4], False),  # rated highly: never
        ([5, 5, 5, 5, 1], False),  # one bad evening does not make a network bad
        ([1, 1, 5, 5, 5], False),  # it got better
        ([1, 1], False),  # too few events to say
        ([], False),
    ],
)
def test_review_offered_only_when_usefulness_is_low_over_several_events(
    scores: list[int], due: bool
) -> None:
    assert low_over_time(scores, 3) is due


def test_an_average_of_exactly_two_and_a_half_counts_as_low() -> None:
    assert low_over_time([2, 3], 2) is True


@pytest.mark.parametrize(
    ("choice", "today", "end"),
    [
        ("month_end", date(2026, 11, 25), date(2026, 11, 30)),
        ("month_end", date(2026, 12, 3), date(2026, 12, 31)),
        ("month_end", date(2028, 2, 10), date(2028, 2, 29)),
        ("quarter_end", date(2026, 11, 25), date(2026, 12, 31)),
        ("quarter_end", date(2027, 1, 1), date(2027, 3, 31)),
        ("quarter_end", date(2027, 6, 30), date(2027, 6, 30)),
        ("year_end", date(2026, 2, 1), date(2026, 12, 31)),
        ("no_period", date(2026, 2, 1), None),
    ],
)
def test_period_end(choice: str, today: date, end: date | None) -> None:
    assert period_end(choice, today) == end


def test_the_leave_reminder_comes_two_weeks_before_the_period_ends() -> None:
    now = datetime(2026, 11, 25, 10, tzinfo=UTC)
    end = datetime(2027, 3, 31, 11, tzinfo=UTC)
    assert leave_reminder_due(now, end) == end - timedelta(days=14)
    soon = now + timedelta(days=6)  # too close for two weeks: halfway there
    assert leave_reminder_due(now, soon) == now + timedelta(days=3)
    assert leave_reminder_due(now, None) == now + timedelta(days=7)  # no period: a week on
    for ended in (now + timedelta(hours=20), now - timedelta(days=3)):  # over: a week on, too
        assert leave_reminder_due(now, ended) == now + timedelta(days=7)


@pytest.mark.parametrize(
    ("lang", "name", "label"),
    [
        ("de", "den Unternehmerinnen-Stammtisch", "Unternehmerinnen-Stammtisch"),
        ("de", "beim BNI Chapter Wien-Mitte", "BNI Chapter Wien-Mitte"),
        ("en", "the Chamber's Young Professionals", "the Chamber's Young…"),  # at a word
        ("de", "Impact Hub – Unternehmerfrühstück Süd", "Impact Hub…"),
        ("de", "Unternehmerinnenfrühstücksnetzwerk Süd", "Unternehmerinnenfrühstücksnet…"),
        ("en", "at   Founders  Circle ", "Founders Circle"),
    ],
)
def test_network_buttons(lang: str, name: str, label: str) -> None:
    assert button_label(lang, name) == label
    assert len(button_label(lang, name)) <= 30


def _event(name: str, network: str, starts: datetime, usefulness: int | None) -> Event:
    reflection = (
        Reflection(usefulness=usefulness, goals_met="no", energy=3, go_again="maybe", at=starts)
        if usefulness
        else None
    )
    return Event(
        name=name,
        network=network,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        goal="customers",
        reflection=reflection,
        created_at=starts,
    )


async def _reflect(client: DialogClient, event: str, usefulness: str) -> str:
    await client.send("/reflect")
    await client.tap(event)
    for label in (usefulness, "No", "3", "3", "Maybe"):
        await client.tap(label)
    return client.text


@pytest.mark.parametrize("answer", ["keep", "not now"])
async def test_after_keeping_a_network_the_review_waits_for_three_new_low_events(
    service: ConversationService, clock: Clock, answer: str
) -> None:
    """Whether the user kept the network or said "not now": no nagging after every event."""
    client = DialogClient(service, user_id=91)
    await client.onboard()
    now = clock()
    await write_records(
        service,
        91,
        lambda j: [
            j.save_event(_event(f"Lunch {i}", "Guild", now - timedelta(days=40 - i), score))
            for i, score in enumerate((2, 2, None))
        ],
    )
    assert "Look at it now" in await _reflect(client, "Lunch 2", "2")
    if answer == "keep":
        await client.tap("Look at it now")
        await client.tap("Keep it")
        assert "make it count" in client.text
    else:
        await client.tap("Not now")
        await client.tap("Not now")
    for day in range(3):
        clock.advance(days=1)
        await write_records(
            service,
            91,
            lambda j, day=day: j.save_event(
                _event(f"Later {day}", "Guild", clock() - timedelta(hours=3), None)
            ),
        )
        offered = "Look at it now" in await _reflect(client, f"Later {day}", "1")
        assert offered is (day == 2), day  # only the third low event since keeping it
        if not offered:
            await client.tap("Not now")


async def test_review_stage_and_year_plan_round_trip_and_are_exported(
    service: ConversationService, clock: Clock
) -> None:
    client = DialogClient(service, user_id=92)
    await client.onboard()
    now = clock()
    end = now + timedelta(days=60)
    exported: dict[str, object] = {}

    def write(journal: SqlJournal) -> None:
        journal.save_event(_event("Breakfast", "BNI Chapter Wien-Mitte", now, 2))
        network_id = journal.network_id("bni chapter wien-mitte ")
        assert network_id is not None
        journal.set_network_stage(network_id, "withdraw", now, end)
        journal.save_plan(YearPlan(year=2027, contacts="Agencies", saved_at=now))
        journal.save_plan(
            YearPlan(
                year=2027,
                contacts="Architects",
                networks={"BNI Chapter Wien-Mitte": "go"},
                saved_at=now,
            )
        )
        summary = journal.network(network_id)
        assert summary is not None
        assert (summary.stage, summary.leave_on, summary.scores) == ("withdraw", end, [2])
        plan = journal.latest_plan()
        assert plan is not None and plan.contacts == "Architects"
        assert journal.network("n999999") is None and journal.network("BNI") is None
        exported.update(journal.export())

    await write_records(service, 92, write)
    assert exported["networks"] == [
        {
            "name": "BNI Chapter Wien-Mitte",
            "review_stage": "withdraw",
            "leave_on": end.isoformat(),
        }
    ]
    assert exported["network_reviews"] == [
        {"network": "BNI Chapter Wien-Mitte", "decision": "withdraw", "at": now.isoformat()}
    ]
    plans = exported["year_plans"]
    assert isinstance(plans, list) and [p["contacts"] for p in plans] == ["Architects"]
