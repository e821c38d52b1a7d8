"""Every screen with a line is read mid-conversation: at most 40 words, measured on the rendered
screen for every situation, line and tone, in both languages, in the room and online. At an
online event every line, tip and next step is the online version: no room to look around in,
no buffet, no handshake."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.coach.exit_lines import (
    MAX_SCREEN_WORDS,
    ONLINE,
    ROOM,
    ExitLibrary,
    word_count,
)
from bot.engine.conversation import Engine
from tests.coach.previews import event, shown

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
LIBRARY = ExitLibrary(Path(__file__).resolve().parents[2] / "prompts", ("de", "en"))
ROOM_WORDS = {
    "en": r"look around|have a look|buffet|drink|glass of water|step outside|fresh air|handshake"
    r"|sit down|walk|head over|over there|outside|stand|table",
    "de": r"\bumschau|\bschaue mich um|Buffet|Getränk|Glas Wasser|frische Luft|\bgehe? (?:kurz )?raus\b"
    r"|\bdie Hand\b|hinsetzen|\brüber\b|\bdrüben\b|\bTisch|\bzurücktreten|\bgeh(?:e)? hin\b",
}


def screens() -> list[tuple[str, str, str, int, str]]:
    """(lang, venue, situation, line number, tone) for every line screen a user can see."""
    found = []
    for lang in ("de", "en"):
        lines = LIBRARY[lang]
        online = lines.reachable(ONLINE, avoiding=ROOM)
        in_room = lines.reachable(ROOM, avoiding=ONLINE)
        for venue, keys in (("room", in_room), ("online", online)):
            for key in sorted(keys):
                count = len(lines.situations[key].at(venue).lines)  # type: ignore[arg-type]
                for number in range(count):
                    for tone in ("warm", "brief"):
                        found.append((lang, venue, key, number, tone))
    return found


@pytest.mark.parametrize(("lang", "venue", "situation", "number", "tone"), screens())
def test_a_line_screen_is_short_enough_to_read_mid_conversation(
    engine: Engine, lang: str, venue: str, situation: str, number: int, tone: str
) -> None:
    answers = {"situation": situation, "line_index": number, "tone": tone, "venue": venue}
    text = shown(engine, lang, "exit", "line", NOW, answers)
    assert word_count(text) <= MAX_SCREEN_WORDS, f"{word_count(text)} words:\n{text}"
    if venue == "online":
        assert not re.search(ROOM_WORDS[lang], text, re.I), text


def test_every_screen_is_measured() -> None:
    measured = screens()
    for lang in ("de", "en"):
        assert {key for lg, _, key, _, _ in measured if lg == lang} == set(LIBRARY[lang].situations)
        assert any(lg == lang and venue == "online" for lg, venue, *_ in measured)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_online_next_steps_never_send_anyone_round_a_room(lang: str) -> None:
    lines = LIBRARY[lang]
    for key in lines.reachable(ONLINE, avoiding=ROOM):
        version = lines.situations[key].at("online")
        assert not re.search(ROOM_WORDS[lang], version.next, re.I), (key, version.next)


def sheet(engine: Engine, lang: str, online: bool, situations: list[str]) -> str:
    """The cheat sheet of an event starting in 50 minutes, prepared for `situations`."""
    prepared = event(
        "Köpfchen-Talk", NOW + timedelta(minutes=50), online=online, exit_situations=situations
    )
    return shown(engine, lang, "cheatsheet", "show", NOW, {"event_id": prepared.id}, [prepared])


LEAVE_REASONS = LIBRARY["en"].menus["leave"].items


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(
    "situations", [LEAVE_REASONS[i : i + 2] for i in range(0, len(LEAVE_REASONS), 2)]
)
def test_an_online_events_cheat_sheet_is_the_online_version(
    engine: Engine, lang: str, situations: list[str]
) -> None:
    text = sheet(engine, lang, True, situations)
    for key in situations:
        assert LIBRARY[lang].situations[key].online is not None
        assert LIBRARY[lang].situations[key].online.lines[0].warm in text  # type: ignore[union-attr]
    assert not re.search(ROOM_WORDS[lang], text.split("💡")[0].split("🚪")[-1], re.I), text
    assert {"de": "Breakout", "en": "breakout"}[lang] in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_an_in_person_cheat_sheet_warns_against_table_hopping(engine: Engine, lang: str) -> None:
    text = sheet(engine, lang, False, ["silence", "need_break"])
    assert {"de": "nicht von Tisch zu Tisch", "en": "no hopping from table to table"}[lang] in text
    assert LIBRARY[lang].situations["silence"].lines[0].warm in text
