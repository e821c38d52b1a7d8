"""Events and calendars: a saved event as an `.ics` file (the cheat sheet in its description),
and an `.ics` file a user sends (from Google, Outlook, Meetup…) as the start of /prepare.

Reading takes what a calendar file can tell: the name, start and end (or length), and whether it
happens online (a meeting link) or in a room (an address). What it cannot tell (an all-day
event's hour, a start already past) is left for the dialog to ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.coach.journal import Event
from bot.coach.when import MAX_AHEAD, MAX_DURATION
from bot.engine.inputs import InvalidInput

PRODUCT_ID = "-//Exit Coach//Event preparation//EN"
UID_DOMAIN = "exit-coach"
NAME_LENGTH = 80  # as long as a typed event name may be
# A location or text that means the event happens online.
_ONLINE = re.compile(
    r"https?://|zoom\.us|teams\.microsoft|meet\.google|webex|whereby|jitsi|\bonline\b"
    r"|\bvirtu(?:al|ell)\b|\bdigital\b",
    re.I,
)
_MEETING_LINK = re.compile(r"zoom\.us/|teams\.microsoft\.com/|meet\.google\.com/|webex\.com/")
# Vendor properties that carry a meeting link (Google Meet, Microsoft Teams, Skype).
_CONFERENCE_PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "CONFERENCE",
)


@dataclass(frozen=True)
class CalendarEntry:
    """What /prepare can take from a calendar file."""

    name: str
    starts_at: datetime | None = None  # UTC; None: not known to the minute (all-day) or past
    minutes: int | None = None
    online: bool | None = None  # None: the file does not say


# -- writing -------------------------------------------------------------------------------


def event_uid(event: Event) -> str:
    """The same event always gets the same UID, so a calendar updates it instead of adding a
    second one when the file is sent again after a change."""
    return f"{event.id}@{UID_DOMAIN}"


def event_calendar(event: Event, description: str, now: datetime) -> bytes:
    """One event as an iCalendar file; times in UTC, so every calendar shows them right."""
    from icalendar import Calendar  # imported when a calendar file is first made or read
    from icalendar import Event as IcsEvent

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = IcsEvent()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.name)
    entry.add("description", description)
    calendar.add_component(entry)
    return bytes(calendar.to_ical())


# -- reading -------------------------------------------------------------------------------


def read_calendar(content: bytes, zone: ZoneInfo, now: datetime) -> CalendarEntry:
    """The first event in the file that has not ended yet (or the first at all).

    Raises InvalidInput("ics_unreadable") for a file that is not a calendar, and
    InvalidInput("ics_no_event") for a calendar without an event (a to-do list, say).
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as error:
        raise InvalidInput("ics_unreadable") from error
    if not isinstance(calendar, Calendar):
        raise InvalidInput("ics_unreadable")
    found = [c for c in calendar.walk("VEVENT") if str(c.get("SUMMARY") or "").strip()]
    if not found:
        raise InvalidInput("ics_no_event")
    entries = [_entry(component, zone, now) for component in found]
    return next((e for e in entries if e.starts_at is not None), entries[0])


def _entry(component: Any, zone: ZoneInfo, now: datetime) -> CalendarEntry:
    name = " ".join(str(component.get("SUMMARY")).split())[:NAME_LENGTH]
    start, minutes = _when(component, zone)
    if start is not None and (start <= now or start > now + MAX_AHEAD):
        start, minutes = None, None  # past or far off: the user says when it really is
    return CalendarEntry(name=name, starts_at=start, minutes=minutes, online=_online(component))


def _when(component: Any, zone: ZoneInfo) -> tuple[datetime | None, int | None]:
    """Start (UTC) and length in minutes; all-day events have no start to the minute, and a
    time the file garbles is left for the user to say."""
    try:
        return _start_and_length(component, zone)
    except ValueError:  # icalendar's BrokenCalendarProperty, an impossible date…
        return None, None


def _start_and_length(component: Any, zone: ZoneInfo) -> tuple[datetime | None, int | None]:
    raw = component.get("DTSTART")
    value = getattr(raw, "dt", None)
    if not isinstance(value, datetime):
        return None, None  # missing, or a date: an all-day event
    start = _utc(value, zone)
    end: datetime | None = None
    raw_end = component.get("DTEND")
    if isinstance(getattr(raw_end, "dt", None), datetime):
        end = _utc(raw_end.dt, zone)
    elif isinstance(getattr(component.get("DURATION"), "dt", None), timedelta):
        end = start + component.get("DURATION").dt
    if end is None or not timedelta(minutes=1) <= end - start <= MAX_DURATION:
        return start, None
    return start, int((end - start).total_seconds() // 60)


def _utc(value: datetime, zone: ZoneInfo) -> datetime:
    """A time with its zone (TZID or 'Z') in UTC; a floating time is in the user's zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _online(component: Any) -> bool | None:
    if any(component.get(name) for name in _CONFERENCE_PROPERTIES):
        return True
    location = " ".join(str(component.get("LOCATION") or "").split())
    if location:
        return bool(_ONLINE.search(location))
    if _MEETING_LINK.search(str(component.get("DESCRIPTION") or "")[:5000]):
        return True  # no place, but a meeting link in the invitation
    return None


def entry_answers(entry: CalendarEntry) -> dict[str, Any]:
    """The calendar entry as /prepare's answers (only what is known)."""
    answers: dict[str, Any] = {"name": entry.name, "from_calendar": True}
    if entry.online is not None:
        answers["online"] = "online" if entry.online else "in_person"
        answers["online_given"] = True
    if entry.starts_at is not None:
        answers["starts_at"] = entry.starts_at.isoformat()
        if entry.minutes is not None:
            answers["duration"] = entry.minutes
    return answers
