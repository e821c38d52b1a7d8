"""Catch a contact in ten seconds: a name and a few words, filed under the event in hand; the
next morning, at nine in the user's time zone, one message lists the evening's contacts, each a
tap away from its follow-up draft with what is known filled in."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.authoring.transcripts import Clock, replay
from bot.coach.catch import morning_after, split_name
from bot.service import ConversationService


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


ONBOARD = """\
language: en
steps:
  - send: /start
  - tap: English
  - send: Ada
  - send: I design websites for small shops.
  - tap: Win customers
  - tap: Done
  - tap: Berlin / Central Europe
"""


async def replay_steps(service: ConversationService, clock: Clock, steps: str) -> None:
    """A transcript (docs/authoring.md) after onboarding, on the test's service and clock."""
    script = yaml.safe_load(ONBOARD + steps)
    result = await replay(script, "inline", service, clock)
    assert result.passed, "\n" + result.report()


async def test_on_the_way_home_still_counts_and_the_list_names_each_event(
    service: ConversationService, clock: Clock
) -> None:
    """Met at an event that ended two hours ago: filed under it; seven hours after the end it
    is no longer the event in hand. The morning list names the event of each, since they
    differ. (Tue 24 Nov 2026, 17:00 UTC is 18:00 in Berlin.)"""
    await replay_steps(
        service,
        clock,
        """\
  - event: {name: Retail Meetup, starts_in_minutes: -240, minutes: 120}
  - event: {name: Breakfast Club, starts_in_minutes: -660, minutes: 120}
  - send: "🚪 Get me out"
  - tap: Met someone
  - send: Ben Carter, bike shop
    expect: ["✅ Noted: Ben Carter, met at “Retail Meetup”."]
  - wait_minutes: 300
  - send: "🚪 Get me out"
  - tap: Met someone
  - send: Sam, the baker
    expect: ["✅ Noted: Sam."]
    absent: ["Retail Meetup", "Breakfast Club"]
  # 23:00 in Berlin: the list comes at nine the next morning, 08:00 UTC
  - wait_minutes: 599
  - reminders: 0
  - wait_minutes: 1
  - reminders: 1
    expect: ["These are the people you noted:", "• Ben Carter (Retail Meetup): bike shop", "• Sam: the baker",
             "[Ben Carter]", "[Sam]", "[Not now]"]
    absent: ["noted at"]
  - tap: Sam
  - tap: First names
    expect: ["Where did you meet Sam?"]
""",
    )


async def test_no_morning_list_for_users_who_turn_follow_up_reminders_off(
    service: ConversationService, clock: Clock
) -> None:
    await replay_steps(
        service,
        clock,
        """\
  - event: {name: Retail Meetup, starts_in_minutes: -30, minutes: 150}
  - send: "🚪 Get me out"
  - tap: Met someone
  - send: Ben, bike shop
    expect: ["Tomorrow morning I'll bring them back to you"]
  - send: /settings
  - tap: Reminders
  - tap: Follow-up nudges
  - tap: Done
  - wait_minutes: 1440
  - reminders: 0
  - send: "🚪 Get me out"
  - tap: Met someone
  - send: Priya, photographer
    expect: ["✅ Noted: Priya.", "When you're ready, /followup helps you write to them."]
    absent: ["Tomorrow morning"]
  - wait_minutes: 1440
  - reminders: 0
""",
    )
