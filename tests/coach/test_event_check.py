"""The strategic check's rules: when to weigh up skipping, which answers were doubts, what the
evening costs in time, and how a skipped event is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.event_check import (
    advise_skip,
    doubts,
    evening_minutes,
    fit_unknown,
    skipped_event,
)

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fit", "people", "advise", "find_out"),
    [
        ("yes", "yes", False, False),
        ("yes", "unsure", False, True),
        ("unsure", "yes", False, True),
        ("unsure", "unsure", False, True),  # not knowing is no verdict: find out first
        ("no", "yes", True, False),
        ("yes", "no", True, False),
        ("no", "no", True, False),
        ("unsure", "no", True, False),  # a clear no weighs more than a shrug
        ("no", "unsure", True, False),
    ],
)
def test_weigh_up_on_a_clear_no_and_find_out_when_unsure(
    fit: str, people: str, advise: bool, find_out: bool
) -> None:
    answers = {"fit": fit, "people_fit": people}
    assert advise_skip(answers) is advise
    assert fit_unknown(answers) is find_out


def test_doubts_name_the_answers_that_were_not_yes_in_order() -> None:
    assert doubts({"fit": "yes", "people_fit": "no"}) == [{"question": "people", "answer": "no"}]
    assert doubts({"fit": "unsure", "people_fit": "no"}) == [
        {"question": "fit", "answer": "unsure"},
        {"question": "people", "answer": "no"},
    ]


@pytest.mark.parametrize(
    ("answers", "minutes"),
    [
        ({"duration": 150, "cost_time": "short"}, 150),  # the known length wins
        ({"cost_time": "short"}, 120),
        ({"cost_time": "evening"}, 210),
        ({"cost_time": "long"}, 300),
        ({"cost_time": None}, None),  # skipped the question
        ({}, None),
    ],
)
def test_the_evenings_time(answers: dict[str, object], minutes: int | None) -> None:
    assert evening_minutes(answers) == minutes


def test_a_skipped_event_is_kept_when_it_would_have_been_or_on_the_day_it_was_decided() -> None:
    answers = {"name": "beim Stammtisch", "fit": "no", "people_fit": "yes", "online": "online"}
    kept = skipped_event("de", {**answers, "cost_time": "short"}, NOW)
    assert (kept.name, kept.status, kept.online, kept.tryout) == (
        "Stammtisch",
        "skipped",
        True,
        False,
    )
    assert (kept.starts_at, kept.ends_at) == (NOW, NOW + timedelta(hours=2))
    starts = NOW + timedelta(days=7)
    from_file = {**answers, "starts_at": starts.isoformat(), "duration": 90, "online": "in_person"}
    kept = skipped_event("en", from_file, NOW)
    assert (kept.starts_at, kept.ends_at, kept.online) == (
        starts,
        starts + timedelta(minutes=90),
        False,
    )
