"""Which help /exit shows first: the event the user is at right now (from 30 minutes before its
start to its end) decides between the help for the room and the online help; its goal picks
the openers. The cheat sheet names the situation of every line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.coach.exit_coach import Room, event_in_hand, menu_items
from bot.coach.exit_lines import LEAVE, ONLINE, ROOM, ExitLibrary
from bot.coach.journal import Event
from bot.engine.conversation import Engine
from bot.engine.telegram_html import visible_text
from bot.store.scratch import scratch_journal

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
LINES = ExitLibrary(Path(__file__).resolve().parents[2] / "prompts", ("de", "en"))["en"]


def event(
    name: str,
    starts_in: int,
    minutes: int = 120,
    online: bool | None = None,
    goal: str = "exchange",
) -> Event:
    starts = NOW + timedelta(minutes=starts_in)
    return Event(
        name=name,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        goal=goal,
        online=online,
        created_at=NOW - timedelta(days=3),
        exit_situations=["self_talker", "silence"],
    )


@pytest.mark.parametrize(
    ("starts_in", "minutes", "in_hand"),
    [
        (31, 60, False),  # too early to be "at" it
        (30, 60, True),  # arriving half an hour early counts
        (0, 60, True),
        (-59, 60, True),
        (-60, 60, True),  # its last minute
        (-61, 60, False),  # over
        (-24 * 60, 60, False),  # yesterday's
        (-23 * 60, 24 * 60, True),  # the longest event there is, in its last hour
    ],
)
def test_the_event_in_hand_runs_from_half_an_hour_before_to_its_end(
    starts_in: int, minutes: int, in_hand: bool
) -> None:
    with scratch_journal() as records:
        records.save_event(event("Talk", starts_in, minutes))
        found = event_in_hand(records, NOW)
    assert (found is not None) == in_hand


def test_of_overlapping_events_the_latest_started_counts() -> None:
    with scratch_journal() as records:
        records.save_event(event("All-day fair", -300, 600, online=False))
        records.save_event(event("Online panel", -10, 60, online=True))
        records.save_event(event("Tomorrow", 24 * 60, 60, online=False))
        found = event_in_hand(records, NOW)
    assert found is not None and found.name == "Online panel"


@pytest.mark.parametrize(
    ("online", "first", "has_online_button"),
    [(None, ROOM, True), (False, ROOM, False), (True, ONLINE, False)],
)
def test_the_first_screen_follows_what_is_known_about_the_event(
    online: bool | None, first: str, has_online_button: bool
) -> None:
    room = Room(event("Talk", 0, online=online))
    assert room.online is online and room.first_menu() == first
    items = menu_items(LINES, room.first_menu(), room, first=True)
    assert (ONLINE in items) is has_online_button
    assert "join_group" in items if first == ROOM else "breakout_join" in items
    assert LEAVE in items if first == ROOM else ROOM in items


def test_no_event_is_like_an_event_nobody_said_anything_about() -> None:
    room = Room(None)
    assert room.online is None and room.first_menu() == ROOM
    assert ONLINE in menu_items(LINES, ROOM, room, first=True)


def test_a_submenu_never_leads_to_a_first_screen_again() -> None:
    online_event = Room(event("Talk", 0, online=True))
    assert ROOM not in menu_items(LINES, ONLINE, Room(None), first=False)
    assert ONLINE not in menu_items(LINES, ROOM, online_event, first=False)
    assert LEAVE in menu_items(LINES, ROOM, online_event, first=False)


def test_openers_follow_the_events_goal_then_the_profiles() -> None:
    assert Room(event("Talk", 0, goal="customers")).goals(["inspiration"]) == ["customers"]
    assert Room(event("Try-out", 0, goal="tryout")).goals(["inspiration"]) == ["inspiration"]
    assert Room(None).goals(["exchange", "customers"]) == ["exchange", "customers"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "• If they only talk about themselves: “Thank you",
                "• If the conversation dries up: “I think",
            ],
        ),
        (
            "de",
            [
                "• Wenn jemand nur über sich redet: „Vielen Dank",
                "• Wenn das Gespräch versandet: „Ich glaube",
            ],
        ),
    ],
)
def test_the_reminders_cheat_sheet_names_each_lines_situation(
    engine: Engine, lang: str, expected: list[str]
) -> None:
    with scratch_journal() as records:
        prepared = event("Retail Meetup", 60)
        records.save_event(prepared)
        session = engine.new_session(1, lang)
        messages = engine.preview(
            session, "cheatsheet", "show", {"event_id": prepared.id}, NOW, records
        )
    text = "\n".join(visible_text(m.html) for m in messages)
    position = 0
    for part in expected:
        position = text.index(part, position)
