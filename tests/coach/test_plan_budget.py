"""A plan that is used: its numbers are read from what people type, an event is checked against
the month and quarter, and the yearly invitation names the right year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.amounts import read_amount
from bot.coach.budget import month_bounds, plan_budget, quarter_bounds
from bot.coach.journal import Event, YearPlan
from bot.coach.planning import next_invitation, typed_answer, whole
from bot.engine.inputs import InvalidInput
from bot.store.scratch import scratch_journal

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("2", 2),
        ("2 a month", 2),
        ("about 3 a month", 3),
        ("ca. 3", 3),
        ("2-3", 3),  # a budget: the upper end
        ("2–3 lol", 3),
        ("2 bis 3", 3),
        ("zwei", 2),
        ("so zwei", 2),
        ("zwei bis drei", 3),
        ("two", 2),
        ("one", 1),
        ("einen", 1),
        ("eine im Monat", 1),
        ("a couple", 2),
        ("a few", 3),
        ("ein paar", 3),
        ("8h", 8),
        ("8 Std.", 8),
        ("about 8h", 8),
        ("max 10 hours", 10),
        ("1,5", 1.5),
        ("none", 0),
        ("None.", 0),
        ("keine", 0),
        ("gar keine", 0),
        ("0", 0),
        ("nope", 0),
        ("weiß nicht, vielleicht zwei", 2),
    ],
)
def test_a_number_is_read_from_what_people_type(typed: str, amount: float) -> None:
    assert read_amount(typed) == amount


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("idk", "number_unsure"),
        ("keine Ahnung", "number_unsure"),
        ("no idea lol", "number_unsure"),
        ("🤷", "number_unsure"),
        ("lots", "not_a_number"),
        ("as many as I can", "not_a_number"),
    ],
)
def test_no_number_gets_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_amount(typed)
    assert raised.value.reason == reason


def test_kept_answers_drop_shrugs_and_numbers_are_whole() -> None:
    assert typed_answer("no clue honestly") is None and typed_answer(None) is None
    assert typed_answer("Retail Meetup") == "Retail Meetup"
    assert (whole(2), whole(1.5), whole(2.4), whole(None)) == (2, 2, 2, None)


@pytest.mark.parametrize(
    ("now", "planned", "invited", "year"),
    [
        # December 2026, 2027 planned: December 2027, for 2028 (never "January 2028")
        (datetime(2026, 12, 10, 12, tzinfo=UTC), 2027, datetime(2027, 12, 1, 8, tzinfo=UTC), 2028),
        (datetime(2026, 11, 24, 17, tzinfo=UTC), 2027, datetime(2027, 12, 1, 8, tzinfo=UTC), 2028),
        # planned in January for the year begun: invited again in December
        (datetime(2027, 1, 9, 12, tzinfo=UTC), 2027, datetime(2027, 12, 1, 8, tzinfo=UTC), 2028),
        # no plan yet: January, for the year begun
        (datetime(2026, 11, 24, 17, tzinfo=UTC), None, datetime(2027, 1, 8, 8, tzinfo=UTC), 2027),
        (datetime(2027, 1, 5, 12, tzinfo=UTC), None, datetime(2027, 1, 8, 8, tzinfo=UTC), 2027),
        (datetime(2027, 1, 9, 12, tzinfo=UTC), None, datetime(2028, 1, 8, 8, tzinfo=UTC), 2028),
        # an old plan: the next invitation for a year not planned yet
        (datetime(2027, 6, 1, 12, tzinfo=UTC), 2026, datetime(2027, 12, 1, 8, tzinfo=UTC), 2028),
    ],
)
def test_the_invitation_names_the_year_it_plans(
    now: datetime, planned: int | None, invited: datetime, year: int
) -> None:
    assert next_invitation(now, BERLIN, planned) == (invited, year)


def test_months_and_quarters_are_local() -> None:
    new_year_eve = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already January in Berlin
    assert month_bounds(new_year_eve, BERLIN) == (
        datetime(2026, 12, 31, 23, tzinfo=UTC),
        datetime(2027, 1, 31, 23, tzinfo=UTC),
    )
    assert quarter_bounds(datetime(2026, 11, 3, tzinfo=UTC), BERLIN) == (
        datetime(2026, 9, 30, 22, tzinfo=UTC),
        datetime(2026, 12, 31, 23, tzinfo=UTC),
    )


def _event(starts: datetime, hours: float, tryout: bool = False, **extra: object) -> Event:
    return Event(
        name="Talk",
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        goal="tryout" if tryout else "customers",
        tryout=tryout,
        created_at=starts - timedelta(days=10),
        **extra,  # type: ignore[arg-type]
    )


PLAN = YearPlan(
    year=2027,
    networks={},
    saved_at=datetime(2026, 11, 1, tzinfo=UTC),
    events_per_month=2,
    tryouts_per_quarter=1,
    hours_per_month=8,
)


def test_an_event_is_checked_against_its_month_and_quarter() -> None:
    december = datetime(2026, 12, 3, 17, tzinfo=UTC)
    with scratch_journal() as records:
        records.save_event(_event(datetime(2026, 12, 1, 17, tzinfo=UTC), 3))
        records.save_event(_event(datetime(2026, 11, 20, 17, tzinfo=UTC), 2, tryout=True))
        records.save_event(_event(datetime(2026, 11, 30, 17, tzinfo=UTC), 5))  # November
        records.save_event(_event(datetime(2026, 12, 9, 8, tzinfo=UTC), 6, status="skipped"))
        moved = _event(datetime(2026, 12, 20, 17, tzinfo=UTC), 2)
        records.save_event(moved)
        fits = plan_budget(records, PLAN, december, BERLIN, "en", adding=_event(december, 2))
        # the event being moved counts once, at its new time
        again = plan_budget(records, PLAN, december, BERLIN, "de", adding=moved)
        tryout = plan_budget(
            records, PLAN, december, BERLIN, "en", adding=_event(december, 4, tryout=True)
        )
    assert fits is not None and again is not None and tryout is not None
    assert [(line["kind"], line["done"], line["allowed"], line["over"]) for line in fits["lines"]] == [
        ("events", "3", "2", True),
        ("tryouts", "1", "1", False),
        ("hours", "7", "8", False),
    ]
    assert fits["over"] and fits["month"] == "December" and fits["quarter"] == "Oct–Dec"
    assert [line["done"] for line in again["lines"]] == ["2", "1", "5"]
    assert again["month"] == "Dezember" and not again["over"]
    assert [line["done"] for line in tryout["lines"]] == ["2", "2", "9"]
    assert tryout["tryout"] and tryout["over"]


def test_a_plan_without_numbers_has_no_budget() -> None:
    bare = PLAN.model_copy(
        update={"events_per_month": None, "tryouts_per_quarter": None, "hours_per_month": None}
    )
    with scratch_journal() as records:
        assert plan_budget(records, bare, datetime(2026, 12, 3, tzinfo=UTC), BERLIN, "en") is None
        only_hours = bare.model_copy(update={"hours_per_month": 10})
        budget = plan_budget(records, only_hours, datetime(2026, 12, 3, tzinfo=UTC), BERLIN, "en")
    assert budget is not None and [line["kind"] for line in budget["lines"]] == ["hours"]
