"""Dates, times and durations as users type them, in German or English, in their own time zone.

dateparser does the reading. Before it, the phrasings it gets wrong are rewritten: German
"19 Uhr"/"18.30 Uhr", "3.12." (always day.month, whatever the language), weekdays (dateparser
skips today's weekday even when the time is still ahead, and returns None for "nächsten
Donnerstag"). "in N minutes/hours" is added on the UTC clock, so it stays exact across DST.
After it, the result is checked against the time typed (dateparser silently drops "25:00").
Everything here is pure: `now`/`start` come in, the clock is never read.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.units import format_unit

Reason = Literal["unclear", "past", "too_far", "too_long", "too_short"]

GRACE = timedelta(minutes=1)  # "18:30" typed at 18:30:40 is still meant as now, not as the past
MAX_AHEAD = timedelta(days=731)  # two years
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(hours=24)
MAX_OVERNIGHT = timedelta(hours=12)  # "bis 1 Uhr" may run past midnight, "bis 17 Uhr" at 18:30 not


class WhenError(ValueError):
    """The user's text was not usable; `reason` tells the dialog which hint to show."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: Reason = reason


_WEEKDAY_WORDS = (  # index = datetime.weekday()
    "montag mo monday mon",
    "dienstag di tuesday tue tues",
    "mittwoch mi wednesday wed",
    "donnerstag do thursday thu thur thurs",
    "freitag fr friday fri",
    "samstag sonnabend sa saturday sat",
    "sonntag so sunday sun",
)
_WEEKDAY = {word: day for day, words in enumerate(_WEEKDAY_WORDS) for word in words.split()}
_WEEKDAY_RE = re.compile(
    r"\b(?:(?:next|this|on|am|n(?:ä|ae)chste[nrs]?|kommende[nrs]?|diese[nrs]?)\s+)?"
    rf"({'|'.join(sorted(_WEEKDAY, key=len, reverse=True))})\b\.?"
)
_DOT_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2})?)?(?![\d:])")
_DOT_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?!\.)")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\b|\b(\d{1,2}):(\d{2})\b")
_EVENING = re.compile(r"\b(?:abends?|nachmittags?)\b")
_FILLER = re.compile(r"\b(?:um|at|gegen|around|früh|morgens|vormittags)\b")
_END_PREFIX = re.compile(r"^(?:bis|until|till|til|to|ende|end)\b\s*|^[-–]\s*")
_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_DAYS_AHEAD = {"today": 0, "heute": 0, "tomorrow": 1, "morgen": 1, "übermorgen": 2}
_PLAIN = re.compile(  # what most answers look like once normalised: a day, then a time
    rf"^(?:(?P<word>{'|'.join(_DAYS_AHEAD)})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})) (?P<clock>.+)$"
)

_UNIT_SECONDS = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden"), 3600),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "minuten"), 60),
}
_NUMBER_WORDS = {
    **dict.fromkeys(("a", "an", "one", "ein", "eine", "einer", "einen", "einem"), 1.0),
    **dict.fromkeys(("anderthalb", "eineinhalb"), 1.5),
    **dict.fromkeys(("two", "zwei"), 2.0),
    **dict.fromkeys(("three", "drei"), 3.0),
}
_AMOUNT = re.compile(  # "2h", "1,5 Std", "eine Stunde" (a word number needs a space: not "ah")
    r"(?:(\d+(?:[.,]\d+)?)\s*|([a-z]+)\s+)"
    rf"({'|'.join(sorted(_UNIT_SECONDS, key=len, reverse=True))})\b\.?"
)


def parse_when(text: str, lang: str, tz: str, now: datetime) -> datetime:
    """Read the moment of an event (a time of day is needed); returns an aware UTC datetime."""
    _require_aware(now)
    cleaned = _clean(text)
    if not cleaned or _BARE_NUMBER.match(cleaned.removeprefix("in ")):  # "45": minutes? a year?
        raise WhenError("unclear", f"no date or time in {text!r}")
    relative = re.match(r"^(?:in|within|binnen) (.+)$", cleaned)
    amount = _duration_amount(relative[1]) if relative else None
    if amount is not None:
        moment, has_time = (now + amount).replace(second=0, microsecond=0).astimezone(UTC), True
    else:
        moment, has_time = _parse_absolute(cleaned, lang, ZoneInfo(tz), now)
    if moment > now + MAX_AHEAD:
        raise WhenError("too_far", f"{moment.isoformat()} is more than two years ahead")
    if not has_time:
        raise WhenError("unclear", f"no time of day in {text!r}")
    if moment < now - GRACE:
        raise WhenError("past", f"{moment.isoformat()} is before {now.isoformat()}")
    return moment


def parse_duration(text: str, lang: str, tz: str, start: datetime) -> timedelta:
    """Read how long something lasts: an amount ("90 min", bare "45" = minutes) or an end time."""
    _require_aware(start)
    cleaned = _clean(text)
    if _BARE_NUMBER.match(cleaned):
        amount: timedelta | None = timedelta(minutes=float(cleaned.replace(",", ".")))
    else:
        amount = _duration_amount(cleaned)
    if amount is None:
        amount = _end_time(cleaned, lang, ZoneInfo(tz), start) - start
    amount = timedelta(minutes=amount // timedelta(minutes=1))
    if amount < MIN_DURATION:
        raise WhenError("too_short", f"{amount} is under a minute")
    if amount > MAX_DURATION:
        raise WhenError("too_long", f"{amount} is over 24 hours")
    return amount


def format_when(moment: datetime, lang: str, tz: str) -> str:
    """Show a moment the way the user reads dates: "Do., 3. Dez. 2026, 18:30" /
    "Thu 3 Dec 2026, 18:30" (British English)."""
    pattern = "EEE, d. MMM y, HH:mm" if _lang(lang) == "de" else "EEE d MMM y, HH:mm"
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(tz), locale=_locale(lang))


def format_clock(moment: datetime, lang: str, tz: str) -> str:
    """Only the time of day ("18:30"), for the end of an event on its start's day."""
    return format_datetime(moment, "HH:mm", tzinfo=ZoneInfo(tz), locale=_locale(lang))


def same_local_day(first: datetime, second: datetime, tz: str) -> bool:
    zone = ZoneInfo(tz)
    return first.astimezone(zone).date() == second.astimezone(zone).date()


def format_duration(duration: timedelta, lang: str) -> str:
    """Show a duration in whole minutes: "1 Std. 30 Min." / "1 hr 30 min"."""
    hours, minutes = divmod(int(duration // timedelta(minutes=1)), 60)
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="short", locale=_locale(lang)))
    if minutes or not hours:
        parts.append(format_unit(minutes, "duration-minute", length="short", locale=_locale(lang)))
    return " ".join(parts)


def _parse_absolute(
    cleaned: str, lang: str, zone: ZoneInfo, now: datetime
) -> tuple[datetime, bool]:
    """Normalise, let dateparser read it in local time, check it kept what was typed.

    Returns the moment and whether a time of day was given.
    """
    # to the minute, so "16:00" typed at 16:00:40 is today (within GRACE), not tomorrow
    local_now = now.astimezone(zone).replace(second=0, microsecond=0, tzinfo=None)
    normalised = _normalise_clock(re.sub(r",(?!\d)", " ", cleaned))
    normalised = _DOT_DATE.sub(lambda m: _iso_date(m, local_now.date()), normalised)
    normalised, weekday, weekday_filled_in = _replace_weekday(normalised, local_now.date())
    parsed = _plain_moment(normalised, local_now.date()) or _dateparser(normalised, lang, local_now)
    clock = _clock(normalised)
    if parsed is None or (clock and clock != (parsed.hour, parsed.minute)):
        raise WhenError("unclear", f"dateparser could not read {normalised!r}")
    if weekday is not None and parsed.weekday() != weekday:  # "Mo 3.12." (a Thursday)
        raise WhenError("unclear", f"{normalised!r} is not on weekday {weekday}")
    if parsed.tzinfo is not None:  # the user typed a zone ("18:30 UTC"): honour it
        parsed = parsed.astimezone(zone).replace(tzinfo=None)
    moment = _localise(parsed, zone)
    if weekday_filled_in and moment < now - GRACE:  # "Di 10 Uhr" on Tuesday afternoon: next week
        moment = _localise(parsed + timedelta(days=7), zone)
    return moment, clock is not None


def _end_time(cleaned: str, lang: str, zone: ZoneInfo, start: datetime) -> datetime:
    """An end time on the start's local date, or the next day if that stays within 12 hours."""
    clock = _normalise_clock(_END_PREFIX.sub("", cleaned))
    clock = re.sub(r"^(\d{1,2})$", r"\1:00", clock)  # "bis 21" means 21:00
    if not clock or _CLOCK.sub("", clock).strip():
        raise WhenError("unclear", f"neither a duration nor an end time: {cleaned!r}")
    local_start = start.astimezone(zone)
    parsed = _dateparser(clock, lang, local_start.replace(tzinfo=None))
    if parsed is None or _clock(clock) != (parsed.hour, parsed.minute):
        raise WhenError("unclear", f"dateparser could not read {clock!r}")
    wall_clock_end = datetime.combine(local_start.date(), parsed.time())
    end = _localise(wall_clock_end, zone)
    if end <= start:  # "bis 1 Uhr" from 22:00: tomorrow
        end = _localise(wall_clock_end + timedelta(days=1), zone)
        if end - start > MAX_OVERNIGHT:
            raise WhenError("too_short", f"end {clock!r} is not after the start")
    return end


def _normalise_clock(text: str) -> str:
    """Clock phrasing to "HH:MM" ("18.30 Uhr", "um 19", "6.30pm"); evenings to afternoon hours."""
    text = re.sub(r"\b(\d{1,2})[.:](\d{2})\s*uhr\b", r"\1:\2", text)  # 18.30 Uhr
    text = re.sub(r"\b(\d{1,2})\s*uhr\b", r"\1:00", text)  # 19 Uhr
    text = re.sub(r"\b(\d{1,2})\.(\d{2})\s*(?=[ap]\.?m\b)", r"\1:\2", text)  # 6.30pm
    text = re.sub(r"\bum\s+(\d{1,2})\b(?![:.])", r"\1:00", text)  # um 19
    if not _CLOCK.search(text) and (dotted := list(_DOT_TIME.finditer(text))):  # morgen 18.30
        last = dotted[-1]
        text = f"{text[: last.start()]}{last[1]}:{last[2]}{text[last.end() :]}"
    evening = bool(_EVENING.search(text)) or "tonight" in text
    text = _EVENING.sub(" ", text.replace("tonight", "today"))
    if evening:
        text = re.sub(r"\b(\d{1,2}):(\d{2})\b", _afternoon, text)
    return " ".join(_FILLER.sub(" ", text).split())


def _afternoon(match: re.Match[str]) -> str:
    hour = int(match[1])
    return f"{hour + 12 if 1 <= hour < 12 else hour}:{match[2]}"


def _iso_date(match: re.Match[str], today: date) -> str:
    """ "3.12." is day.month in both languages; without a year it is the next such day."""
    day, month, year = int(match[1]), int(match[2]), match[3]
    years = (
        [int(year) + (2000 if len(year) == 2 else 0)] if year else range(today.year, today.year + 5)
    )
    for candidate_year in years:  # 29.2. without a year needs the next leap year
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if year or candidate >= today:
            return candidate.isoformat()
    raise WhenError("unclear", f"no such date: {match[0]!r}")


def _replace_weekday(text: str, today: date) -> tuple[str, int | None, bool]:
    """A weekday becomes its next date, today included; next to a date ("Do 3.12.") it is dropped.

    Returns the text, the weekday named (or None) and whether its date was filled in here.
    """
    match = _WEEKDAY_RE.search(text)
    if not match:
        return text, None, False
    weekday, rest = _WEEKDAY[match[1]], f"{text[: match.start()]} # {text[match.end() :]}"
    if _CLOCK.sub("", rest).strip(" #"):  # more than a time: a date is given
        return " ".join(rest.replace("#", "").split()), weekday, False
    target = today + timedelta(days=(weekday - today.weekday()) % 7)
    return " ".join(rest.replace("#", target.isoformat()).split()), weekday, True


def _clock(text: str) -> tuple[int, int] | None:
    """The (hour, minute) typed, to check dateparser kept it; None if there is none."""
    match = _CLOCK.search(text)
    if match and match[3]:  # 6:30pm
        return int(match[1]) % 12 + (12 if match[3] == "p" else 0), int(match[2] or 0)
    return (int(match[4]), int(match[5])) if match else None


def _duration_amount(text: str) -> timedelta | None:
    """Sum of "<number> <unit>" parts ("2 Stunden 30 Minuten"), None if anything else is there."""
    text = re.sub(r"\b(?:eine\s+)?halbe\b|\bhalf\s+an?\b", "0.5", text)
    parts = _AMOUNT.findall(text)
    leftover = re.sub(r"\b(?:und|and)\b|[,&+]", " ", _AMOUNT.sub(" ", text))
    if not parts or leftover.strip():
        return None
    seconds = 0.0
    for digits, word, unit in parts:
        value = float(digits.replace(",", ".")) if digits else _NUMBER_WORDS.get(word)
        if value is None:
            return None
        seconds += value * _UNIT_SECONDS[unit]
    return timedelta(seconds=seconds)


def _plain_moment(text: str, today: date) -> datetime | None:
    """ "morgen 18:30", "2026-12-03 19:00", "tomorrow 6:30pm" read directly (local wall-clock
    time): the commonest answers, which dateparser takes milliseconds to read. Anything else,
    or anything odd ("25:00"), is None and left to dateparser and the checks after it."""
    match = _PLAIN.match(text)
    clock = _clock(match["clock"]) if match and _CLOCK.fullmatch(match["clock"]) else None
    if match is None or clock is None or clock[0] > 23 or clock[1] > 59:
        return None
    if match["word"]:
        day = today + timedelta(days=_DAYS_AHEAD[match["word"]])
    else:
        try:
            day = date.fromisoformat(match["iso"])
        except ValueError:
            return None
    return datetime.combine(day, time(*clock))


def _dateparser(text: str, lang: str, local_now: datetime) -> datetime | None:
    """dateparser in local wall-clock time, the user's language first ("12/3" is 3 Dec in en)."""
    german = _lang(lang) == "de"
    settings = {
        "RELATIVE_BASE": local_now,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY" if german else "MDY",
    }
    languages = ["de", "en"] if german else ["en", "de"]
    import dateparser  # first needed here: most dates are read without it, and it costs memory

    return dateparser.parse(text, languages=languages, settings=settings)


def _clean(text: str) -> str:
    return " ".join(text.lower().split())


def _lang(lang: str) -> str:
    return "de" if lang.lower().startswith("de") else "en"


def _locale(lang: str) -> str:
    return babel_locale(lang)


def babel_locale(lang: str) -> str:
    """How dates and numbers are written in `lang`: the bot's English is British (en_GB); a
    language Babel does not know (a pseudo-language for testing) is written as in English."""
    if lang.lower().startswith("en"):
        return "en_GB"
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return "en_GB"
    return lang


def _localise(local: datetime, zone: ZoneInfo) -> datetime:
    """Wall-clock time in `zone` (to the minute) as UTC."""
    return local.replace(second=0, microsecond=0, tzinfo=zone).astimezone(UTC)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("now/start must be timezone-aware")
