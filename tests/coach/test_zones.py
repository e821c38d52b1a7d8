"""Where a user is, as they type it: an IANA name, a city the time-zone database knows, a
country, an abbreviation, or a city it does not know ("I'm in Leeds"). English speakers are
asked at /start; German speakers keep the operator's default and can change it."""

from __future__ import annotations

import pytest

from bot.coach.preferences import ask_zone, match_zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("europe/paris", "Europe/Paris"),
        ("America/New_York", "America/New_York"),
        ("london", "Europe/London"),
        ("London.", "Europe/London"),
        ("I'm in Leeds", "Europe/London"),
        ("based in Bristol", "Europe/London"),
        ("in Manchester", "Europe/London"),
        ("UK", "Europe/London"),
        ("GMT", "Europe/London"),
        ("Dublin", "Europe/Dublin"),
        ("new york", "America/New_York"),
        ("NYC", "America/New_York"),
        ("EST", "America/New_York"),
        ("eastern time", "America/New_York"),
        ("Chicago", "America/Chicago"),
        ("pacific time", "America/Los_Angeles"),
        ("LA", "America/Los_Angeles"),
        ("San Francisco", "America/Los_Angeles"),
        ("toronto ", "America/Toronto"),
        ("Sydney", "Australia/Sydney"),
        ("Melbourne", "Australia/Melbourne"),
        ("tokyo", "Asia/Tokyo"),
        ("India", "Asia/Kolkata"),
        ("Paris, France", "Europe/Paris"),
        ("München", "Europe/Berlin"),
        ("in Köln", "Europe/Berlin"),
        ("MEZ", "Europe/Berlin"),
        ("Graz", "Europe/Vienna"),
        ("Schweiz", "Europe/Zurich"),
        ("UTC", "UTC"),
    ],
)
def test_a_place_as_typed_finds_its_zone(typed: str, zone: str) -> None:
    assert match_zone(typed) == zone


@pytest.mark.parametrize(
    "typed", ["idk", "", "somewhere near the sea lol", "Mars/Olympus", "Springfield"]
)
def test_no_zone_is_guessed(typed: str) -> None:
    assert match_zone(typed) is None


def test_who_is_asked_at_start() -> None:
    assert ask_zone("en", None) and ask_zone("fr", None)
    assert not ask_zone("de", None)  # the operator's default suits: /settings changes it
    assert not ask_zone("en", "Europe/London")  # chosen already
