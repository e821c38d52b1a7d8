"""Calendar files: reading what real calendars export (Google, Outlook, Meetup, Apple, Zoom),
and writing a saved event that every calendar reads back the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.coach.calendar import entry_answers, event_calendar, event_uid, read_calendar
from bot.coach.events import calendar_file_name
from bot.coach.journal import Event
from bot.engine.inputs import InvalidInput

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("file", "name", "starts", "minutes", "online"),
    [
        # TZID with its VTIMEZONE, a Meet link in X-GOOGLE-CONFERENCE, an empty LOCATION
        (
            "google_meet.ics",
            "Köpfchen-Talk: Netzwerken für Stille",
            utc(2026, 12, 3, 17, 30),
            90,
            True,
        ),
        # a Windows zone name ("W. Europe Standard Time"), LANGUAGE parameters, an alarm
        ("outlook.ics", "Unternehmerfrühstück", utc(2026, 12, 10, 7, 0), 90, False),
        # UTC times ('Z'), an address as LOCATION, the event page as URL
        ("meetup.ics", "The Meetup at Factory", utc(2026, 12, 1, 17, 30), 150, False),
        # an all-day event: the day is known, the hour is not, so the user is asked
        ("all_day.ics", "Gründertag NRW", None, None, False),
        # no DTEND but a DURATION, a floating time (the user's zone), a Zoom link as LOCATION,
        # and LF line endings
        ("zoom_duration_floating.ics", "Stammtisch online", utc(2026, 12, 8, 18, 0), 90, True),
    ],
)
def test_reads_what_calendars_export(
    file: str, name: str, starts: datetime | None, minutes: int | None, online: bool
) -> None:
    entry = read_calendar((FILES / file).read_bytes(), BERLIN, NOW)
    assert (entry.name, entry.starts_at, entry.minutes, entry.online) == (
        name,
        starts,
        minutes,
        online,
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ((FILES / "broken.ics").read_bytes(), "ics_unreadable"),
        (b"", "ics_unreadable"),
        (b"Hello, this is not a calendar", "ics_unreadable"),
        (b"%PDF-1.4\x00\xff\xfe", "ics_unreadable"),
        ((FILES / "todo_only.ics").read_bytes(), "ics_no_event"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "ics_no_event"),
    ],
)
def test_a_file_that_is_no_event_says_why(content: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_calendar(content, BERLIN, NOW)
    assert raised.value.reason == reason


def _calendar(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{i}\r\nSUMMARY:Event {i}\r\n{e}END:VEVENT\r\n"
        for i, e in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


def test_a_past_or_garbled_time_is_left_for_the_user_to_say() -> None:
    past = read_calendar(_calendar("DTSTART:20261101T180000Z\r\n"), BERLIN, NOW)
    assert (past.name, past.starts_at, past.minutes) == ("Event 0", None, None)
    garbled = read_calendar(_calendar("DTSTART:garbage\r\n"), BERLIN, NOW)
    assert garbled.starts_at is None
    too_long = read_calendar(
        _calendar("DTSTART:20261201T180000Z\r\nDTEND:20261203T180000Z\r\n"), BERLIN, NOW
    )
    assert (too_long.starts_at, too_long.minutes) == (utc(2026, 12, 1, 18), None)


def test_of_several_events_the_first_upcoming_one_is_taken() -> None:
    entry = read_calendar(
        _calendar("DTSTART:20261101T180000Z\r\n", "DTSTART:20261201T180000Z\r\n"), BERLIN, NOW
    )
    assert (entry.name, entry.starts_at) == ("Event 1", utc(2026, 12, 1, 18))


def test_answers_hold_only_what_the_file_says() -> None:
    entry = read_calendar((FILES / "all_day.ics").read_bytes(), BERLIN, NOW)
    assert entry_answers(entry) == {
        "name": "Gründertag NRW",
        "from_calendar": True,
        "online": "in_person",
        "online_given": True,
    }
    meet = read_calendar((FILES / "google_meet.ics").read_bytes(), BERLIN, NOW)
    answers = entry_answers(meet)
    assert answers["starts_at"] == "2026-12-03T17:30:00+00:00" and answers["duration"] == 90


def _event(name: str = "Köpfchen-Talk") -> Event:
    start = utc(2026, 12, 3, 17, 30)
    return Event(
        id="i0a1b2c3d",
        name=name,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        goal="customers",
        created_at=NOW,
    )


def test_a_saved_event_as_ics_reads_back_in_utc_with_a_stable_uid() -> None:
    event = _event()
    sheet = "📋 Köpfchen-Talk\n🎯 Goal: Win customers\n• “Thank you, that was helpful.”"
    first = event_calendar(event, sheet, NOW)
    again = event_calendar(event, sheet, NOW + timedelta(days=1))
    parsed = Calendar.from_ical(first)
    (entry,) = parsed.walk("VEVENT")
    assert str(entry["UID"]) == event_uid(event) == "i0a1b2c3d@exit-coach"
    assert str(Calendar.from_ical(again).walk("VEVENT")[0]["UID"]) == event_uid(event)
    assert entry["DTSTART"].dt == utc(2026, 12, 3, 17, 30)
    assert entry["DTEND"].dt == utc(2026, 12, 3, 19, 0)
    assert b"DTSTART:20261203T173000Z" in first  # UTC, no zone a calendar might not know
    assert str(entry["SUMMARY"]) == "Köpfchen-Talk"
    assert str(entry["DESCRIPTION"]) == sheet
    # and our own reader takes it back
    back = read_calendar(first, BERLIN, NOW)
    assert (back.name, back.starts_at, back.minutes) == ("Köpfchen-Talk", event.starts_at, 90)


@pytest.mark.parametrize(
    ("name", "file_name"),
    [
        ("Köpfchen-Talk", "Köpfchen-Talk.ics"),
        ("the Meetup at Factory", "the-Meetup-at-Factory.ics"),
        ("Stammtisch / IHK: 2026!", "Stammtisch-IHK-2026.ics"),
        ("🎉🎉", "event.ics"),
    ],
)
def test_calendar_file_names_are_safe(name: str, file_name: str) -> None:
    assert calendar_file_name(_event(name)) == file_name
