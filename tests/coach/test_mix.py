"""The mix of events (COACHING.md §1): skipped events and try-outs are kept, counted over the
last 12 months, and try-outs "take over" when they are more than a third of attended events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.journal import Event
from bot.coach.mix import Mix, event_mix
from bot.store.scratch import scratch_journal

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("goal_events", "tryouts", "take_over"),
    [
        (0, 0, False),
        (0, 2, False),  # two events say little about a mix
        (2, 1, False),  # exactly a third: fine
        (1, 2, True),
        (3, 2, True),  # 2 of 5 is more than a third
        (4, 2, False),  # 2 of 6 is a third
        (0, 3, True),
        (10, 4, False),
        (10, 6, True),
    ],
)
def test_tryouts_take_over_above_a_third(goal_events: int, tryouts: int, take_over: bool) -> None:
    assert Mix(goal_events, tryouts, skipped=5).tryouts_take_over is take_over


def test_skipped_events_do_not_count_as_attended() -> None:
    mix = Mix(goal_events=2, tryouts=1, skipped=9)
    assert (mix.attended, mix.total, mix.tryouts_take_over) == (3, 12, False)


def _event(days: int, **fields: object) -> Event:
    start = NOW + timedelta(days=days)
    values: dict[str, object] = {"goal": "customers", **fields}
    return Event(
        name=f"Event {days}",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        created_at=NOW,
        **values,  # type: ignore[arg-type]
    )


def test_the_mix_counts_the_last_twelve_months_and_whats_planned() -> None:
    with scratch_journal() as records:
        for event in (
            _event(-400),  # older than a year: not in the mix
            _event(-300),
            _event(-30, tryout=True, goal="tryout"),
            _event(-10, status="skipped", goal=""),
            _event(-5, status="skipped", goal=""),
            _event(3, tryout=True, goal="exchange"),
        ):
            records.save_event(event)
        mix = event_mix(records, NOW)
        assert (mix.goal_events, mix.tryouts, mix.skipped) == (1, 2, 2)
        assert mix.tryouts_take_over is True  # 2 of 3 attended events were try-outs


def test_skipped_events_stay_out_of_lists_reminders_and_reflections_but_are_exported() -> None:
    with scratch_journal() as records:
        went = _event(-3)
        skipped = _event(-2, status="skipped", goal="")
        upcoming_skip = _event(2, status="skipped", goal="")
        for event in (went, skipped, upcoming_skip):
            records.save_event(event)
        assert [e.id for e in records.latest_events(10)] == [went.id]
        assert records.count_events() == 1 and records.has_events()
        assert records.upcoming_events(NOW, 10) == []
        assert [e.id for e in records.events_to_reflect(NOW, 10)] == [went.id]
        assert records.event(skipped.id) is not None  # still there, by its id
        exported = records.export()["events"]
        assert [e["status"] for e in exported] == ["planned", "skipped", "skipped"]
