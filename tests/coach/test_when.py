"""bot.coach.when: what users type for dates, times and durations, in German and English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.coach.when import WhenError, format_duration, format_when, parse_duration, parse_when

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tuesday, 16:00 in Berlin (UTC+1)


def local(tz: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in `tz`, as the UTC datetime parse_when returns."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def berlin(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return local(BERLIN, year, month, day, hour, minute)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("morgen 18:30", berlin(11, 25, 18, 30)),
        ("morgen um 18:30", berlin(11, 25, 18, 30)),
        ("heute 20 Uhr", berlin(11, 24, 20)),
        ("Do 19 Uhr", berlin(11, 26, 19)),
        ("Donnerstag 19 Uhr", berlin(11, 26, 19)),
        ("nächsten Donnerstag 19 Uhr", berlin(11, 26, 19)),
        ("3.12. 18:30", berlin(12, 3, 18, 30)),
        ("03.12.2026 18:30", berlin(12, 3, 18, 30)),
        ("3.12. um 18.30 Uhr", berlin(12, 3, 18, 30)),
        ("in 2 Stunden", berlin(11, 24, 18)),
        ("in 2 Minuten", berlin(11, 24, 16, 2)),
        ("in 90 Minuten", berlin(11, 24, 17, 30)),
        ("übermorgen 9 Uhr", berlin(11, 26, 9)),
        ("18:30", berlin(11, 24, 18, 30)),  # still ahead today
        ("9:00", berlin(11, 25, 9)),  # already past today: tomorrow
        # beyond the must-have list
        ("Di 17 Uhr", berlin(11, 24, 17)),  # today's weekday, time still ahead: today
        ("Dienstag 10 Uhr", berlin(12, 1, 10)),  # today's weekday, time passed: next week
        ("am Freitag um 19", berlin(11, 27, 19)),
        ("Do, 3.12. 18:30", berlin(12, 3, 18, 30)),
        ("heute abend 8 Uhr", berlin(11, 24, 20)),
        ("morgen früh 7:30", berlin(11, 25, 7, 30)),
        ("1.1. 10:00", berlin(1, 1, 10, year=2027)),  # next occurrence of a date without year
        ("3.12.26 18:30", berlin(12, 3, 18, 30)),
        ("12/3 18:30", berlin(3, 12, 18, 30, year=2027)),  # de reads day/month
        ("in einer Stunde", berlin(11, 24, 17)),
        ("in 1,5 Stunden", berlin(11, 24, 17, 30)),
        ("in 2 Tagen 18 Uhr", berlin(11, 26, 18)),
        ("morgen 18.30", berlin(11, 25, 18, 30)),
        ("3.12 18:30", berlin(12, 3, 18, 30)),
        ("Sa. 10 Uhr", berlin(11, 28, 10)),
        ("tomorrow 6:30pm", berlin(11, 25, 18, 30)),  # English phrasing in a German chat
    ],
)
def test_parse_when_german(text: str, expected: datetime) -> None:
    assert parse_when(text, "de", BERLIN, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 6:30pm", berlin(11, 25, 18, 30)),
        ("tomorrow at 18:30", berlin(11, 25, 18, 30)),
        ("next Thursday 7pm", berlin(11, 26, 19)),
        ("Thursday 7pm", berlin(11, 26, 19)),
        ("Thu 7 pm", berlin(11, 26, 19)),
        ("Dec 3 6:30pm", berlin(12, 3, 18, 30)),
        ("3 December 18:30", berlin(12, 3, 18, 30)),
        ("in 2 hours", berlin(11, 24, 18)),
        ("in 2 minutes", berlin(11, 24, 16, 2)),
        ("tonight 8pm", berlin(11, 24, 20)),
        ("today 9pm", berlin(11, 24, 21)),
        # beyond the must-have list
        ("12/3 6:30pm", berlin(12, 3, 18, 30)),  # en reads month/day
        ("3.12. 18:30", berlin(12, 3, 18, 30)),  # dotted dates are day.month in English too
        ("Thu, Dec 3, 7pm", berlin(12, 3, 19)),
        ("in an hour", berlin(11, 24, 17)),
        ("tomorrow 6.30pm", berlin(11, 25, 18, 30)),
        ("tomorrow 12pm", berlin(11, 25, 12)),
        ("tomorrow 7 a.m.", berlin(11, 25, 7)),
        ("morgen 18:30", berlin(11, 25, 18, 30)),  # German phrasing in an English chat
    ],
)
def test_parse_when_english(text: str, expected: datetime) -> None:
    assert parse_when(text, "en", BERLIN, NOW) == expected


@pytest.mark.parametrize(
    ("text", "lang", "tz", "now", "expected"),
    [
        # New York is UTC-5 in November: NOW is 10:00 there
        ("tomorrow 6:30pm", "en", NEW_YORK, NOW, local(NEW_YORK, 2026, 11, 25, 18, 30)),
        ("18:30", "en", NEW_YORK, NOW, local(NEW_YORK, 2026, 11, 24, 18, 30)),
        ("9:00", "en", NEW_YORK, NOW, local(NEW_YORK, 2026, 11, 25, 9)),
        ("Thursday 7pm", "en", NEW_YORK, NOW, local(NEW_YORK, 2026, 11, 26, 19)),
        ("heute 20 Uhr", "de", NEW_YORK, NOW, local(NEW_YORK, 2026, 11, 24, 20)),
        # Berlin switches to UTC+2 on 29 March 2026
        (
            "morgen 18:30",
            "de",
            BERLIN,
            datetime(2026, 3, 28, 12, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 16, 30, tzinfo=UTC),
        ),
        (  # 01:30 CET + 2 real hours is 04:30 CEST
            "in 2 Stunden",
            "de",
            BERLIN,
            datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 2, 30, tzinfo=UTC),
        ),
        # New York goes back to UTC-5 on 1 November 2026
        (
            "tomorrow 9am",
            "en",
            NEW_YORK,
            datetime(2026, 10, 31, 12, 0, tzinfo=UTC),
            datetime(2026, 11, 1, 14, 0, tzinfo=UTC),
        ),
        # seconds of now are dropped, relative or not
        (
            "in 2 minutes",
            "en",
            BERLIN,
            datetime(2026, 11, 24, 15, 0, 42, 123, tzinfo=UTC),
            datetime(2026, 11, 24, 15, 2, tzinfo=UTC),
        ),
        (  # typed at 16:00:40 local: within the minute of grace, not the past
            "16:00",
            "de",
            BERLIN,
            datetime(2026, 11, 24, 15, 0, 40, tzinfo=UTC),
            datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
        ),
    ],
)
def test_parse_when_zones_and_clock_changes(
    text: str, lang: str, tz: str, now: datetime, expected: datetime
) -> None:
    assert parse_when(text, lang, tz, now) == expected


@pytest.mark.parametrize(
    ("text", "lang", "reason"),
    [
        ("gestern 18 Uhr", "de", "past"),
        ("yesterday 6pm", "en", "past"),
        ("heute 10 Uhr", "de", "past"),
        ("24.11. 10:00", "de", "past"),  # today's date, time passed: not next year
        ("blabla", "de", "unclear"),
        ("blabla", "en", "unclear"),
        ("", "de", "unclear"),
        ("   ", "en", "unclear"),
        ("morgen", "de", "unclear"),
        ("tomorrow", "en", "unclear"),
        ("Donnerstag", "de", "unclear"),
        ("3.12.", "de", "unclear"),
        ("in 2 Tagen", "de", "unclear"),
        ("🙂", "de", "unclear"),
        ("🙂", "en", "unclear"),
        ("32.13. 18:00", "de", "unclear"),
        ("31.2. 18:00", "de", "unclear"),
        ("in 5 years", "en", "too_far"),
        ("in 5 Jahren", "de", "too_far"),
        ("3.12.2029 18:00", "de", "too_far"),
        ("morgen 25:00", "de", "unclear"),  # dateparser would silently keep the current time
        ("Mo 3.12. 18:30", "de", "unclear"),  # 3 December 2026 is a Thursday
        ("nächste Woche Montag 18 Uhr", "de", "unclear"),  # dateparser lands on a Tuesday
        ("in 45", "de", "unclear"),
        ("45", "en", "unclear"),
        ("gestern", "de", "unclear"),
    ],
)
def test_parse_when_refuses(text: str, lang: str, reason: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, lang, BERLIN, NOW)
    assert caught.value.reason == reason


def test_when_error_keeps_reason_and_reads_for_developers() -> None:
    error = WhenError("past", "2026-11-23 is before now")
    assert isinstance(error, ValueError)
    assert error.reason == "past"
    assert str(error) == "past: 2026-11-23 is before now"


def test_parse_when_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("morgen 18:30", "de", BERLIN, datetime(2026, 11, 24, 15, 0))


START = berlin(11, 24, 18, 30)


@pytest.mark.parametrize(
    ("text", "lang", "tz", "start", "expected"),
    [
        ("90 min", "de", BERLIN, START, timedelta(minutes=90)),
        ("2h", "de", BERLIN, START, timedelta(hours=2)),
        ("2 Std", "de", BERLIN, START, timedelta(hours=2)),
        ("2 Std.", "de", BERLIN, START, timedelta(hours=2)),
        ("2 Stunden", "de", BERLIN, START, timedelta(hours=2)),
        ("1 min", "en", BERLIN, START, timedelta(minutes=1)),
        ("1,5 Std", "de", BERLIN, START, timedelta(minutes=90)),
        ("1.5 hours", "en", BERLIN, START, timedelta(minutes=90)),
        ("45", "de", BERLIN, START, timedelta(minutes=45)),
        ("eine Stunde", "de", BERLIN, START, timedelta(hours=1)),
        ("an hour", "en", BERLIN, START, timedelta(hours=1)),
        ("2 Stunden 30 Minuten", "de", BERLIN, START, timedelta(minutes=150)),
        ("1 hour and 15 minutes", "en", BERLIN, START, timedelta(minutes=75)),
        ("eine halbe Stunde", "de", BERLIN, START, timedelta(minutes=30)),
        ("half an hour", "en", BERLIN, START, timedelta(minutes=30)),
        ("anderthalb Stunden", "de", BERLIN, START, timedelta(minutes=90)),
        ("24 h", "en", BERLIN, START, timedelta(hours=24)),
        ("bis 21 Uhr", "de", BERLIN, START, timedelta(hours=2, minutes=30)),
        ("until 9pm", "en", BERLIN, START, timedelta(hours=2, minutes=30)),
        ("21:00", "de", BERLIN, START, timedelta(hours=2, minutes=30)),
        ("till 21:30", "en", BERLIN, START, timedelta(hours=3)),
        ("bis 22.30 Uhr", "de", BERLIN, START, timedelta(hours=4)),
        ("bis 21", "de", BERLIN, START, timedelta(hours=2, minutes=30)),
        ("bis 1 Uhr", "de", BERLIN, berlin(11, 24, 22), timedelta(hours=3)),  # past midnight
        # the night Berlin moves its clocks from 02:00 to 03:00: only 3 real hours
        ("bis 4 Uhr", "de", BERLIN, local(BERLIN, 2026, 3, 29, 0), timedelta(hours=3)),
        (
            "until 9pm",
            "en",
            NEW_YORK,
            local(NEW_YORK, 2026, 11, 24, 18, 30),
            timedelta(hours=2, minutes=30),
        ),
    ],
)
def test_parse_duration(
    text: str, lang: str, tz: str, start: datetime, expected: timedelta
) -> None:
    assert parse_duration(text, lang, tz, start) == expected


@pytest.mark.parametrize(
    ("text", "lang", "reason"),
    [
        ("0 min", "de", "too_short"),
        ("0", "en", "too_short"),
        ("30 h", "de", "too_long"),
        ("25 hours", "en", "too_long"),
        ("bis 17 Uhr", "de", "too_short"),  # would be 22.5 h overnight
        ("until 18:30", "en", "too_short"),  # the start itself
        ("lange", "de", "unclear"),
        ("ages", "en", "unclear"),
        ("", "de", "unclear"),
        ("ah", "en", "unclear"),
        ("bis morgen", "de", "unclear"),
        ("bis 25 Uhr", "de", "unclear"),
    ],
)
def test_parse_duration_refuses(text: str, lang: str, reason: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_duration(text, lang, BERLIN, START)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("moment", "lang", "tz", "expected"),
    [
        (berlin(12, 3, 18, 30), "de", BERLIN, "Do., 3. Dez. 2026, 18:30"),
        (berlin(12, 3, 18, 30), "en", BERLIN, "Thu 3 Dec 2026, 18:30"),
        (berlin(12, 3, 18, 30), "en", NEW_YORK, "Thu 3 Dec 2026, 12:30"),
        (berlin(1, 1, 9, 5, year=2027), "de", BERLIN, "Fr., 1. Jan. 2027, 09:05"),
        (berlin(5, 4, 9, 5, year=2027), "de", BERLIN, "Di., 4. Mai 2027, 09:05"),
        (berlin(3, 29, 16, 30), "en", BERLIN, "Sun 29 Mar 2026, 16:30"),
    ],
)
def test_format_when(moment: datetime, lang: str, tz: str, expected: str) -> None:
    assert format_when(moment, lang, tz) == expected


@pytest.mark.parametrize(
    ("duration", "lang", "expected"),
    [
        (timedelta(minutes=90), "de", "1 Std. 30 Min."),
        (timedelta(minutes=90), "en", "1 hr 30 mins"),
        (timedelta(hours=2), "de", "2 Std."),
        (timedelta(hours=2), "en", "2 hrs"),
        (timedelta(minutes=45), "de", "45 Min."),
        (timedelta(minutes=1), "en", "1 min"),
        (timedelta(hours=24), "de", "24 Std."),
        (timedelta(minutes=45, seconds=59), "en", "45 mins"),
    ],
)
def test_format_duration(duration: timedelta, lang: str, expected: str) -> None:
    assert format_duration(duration, lang) == expected


def test_round_trip_reads_back_what_was_typed() -> None:
    moment = parse_when("3.12. um 18.30 Uhr", "de", BERLIN, NOW)
    assert format_when(moment, "de", BERLIN) == "Do., 3. Dez. 2026, 18:30"
    assert (
        format_duration(parse_duration("1,5 Std", "de", BERLIN, moment), "de") == "1 Std. 30 Min."
    )


def test_clock_and_same_day() -> None:
    from bot.coach.when import format_clock, same_local_day

    moment = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert format_clock(moment, "de", "Europe/Berlin") == "23:30"
    assert format_clock(moment, "en", "Europe/Berlin") == "23:30"
    assert same_local_day(moment, moment.replace(hour=22, minute=59), "Europe/Berlin")
    assert not same_local_day(moment, moment.replace(hour=23, minute=0), "Europe/Berlin")


@pytest.mark.parametrize(
    "typed",
    [
        "tomorrow 18:30", "today 21:00", "morgen 18:30", "heute 9:05", "übermorgen 7:00",
        "2026-12-03 18:30", "2027-02-28 0:15", "tomorrow 6:30pm", "morgen 6pm", "today 12:00am",
    ],
)  # fmt: skip
@pytest.mark.parametrize("lang", ["de", "en"])
def test_plain_answers_are_read_as_dateparser_reads_them(typed: str, lang: str) -> None:
    """The direct reading of the commonest answers (fast) agrees with dateparser (slow)."""
    from bot.coach.when import _dateparser, _plain_moment

    local_now = datetime(2026, 11, 25, 8, 0)
    assert _plain_moment(typed, local_now.date()) == _dateparser(typed, lang, local_now)


@pytest.mark.parametrize("typed", ["tomorrow 25:00", "2026-13-01 18:00", "morgen abend", "fri 18:00"])
def test_odd_answers_are_left_to_dateparser(typed: str) -> None:
    from bot.coach.when import _plain_moment

    assert _plain_moment(typed, datetime(2026, 11, 25).date()) is None
