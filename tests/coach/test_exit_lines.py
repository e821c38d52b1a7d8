"""The exit-line library keeps the promises its header makes: no dated obligations, nothing that
assumes an evening (breakfasts and online events exist), and claims about the room only with an
only_if hint. The word limit and the parity of languages are enforced by `exit-coach check`
(tests/test_check.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.coach.exit_lines import ExitLibrary

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
LIBRARY = ExitLibrary(PROMPTS, ("de", "en"))

DATED = {
    "de": r"\b(?:morgen|übermorgen|nächste[nr]? Woche|Montag|Dienstag|Mittwoch|Donnerstag"
    r"|Freitag|Samstag|Sonntag|bis \w+tag)\b",
    "en": r"\b(?:tomorrow|next week|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|by \w+day)\b",
}
EVENING = {"de": r"\b(?:Abend|Abends|heute Abend)\b", "en": r"\b(?:evening|tonight|night)\b"}
# Claims about other people in the room: only true in some rooms.
CLAIMS = {
    "de": r"\b(?:jemand dort drüben|dort drüben steht|Kollege|Kollegin|ich kenne hier"
    r"|jemand hier|Hobby)\b",
    "en": r"\b(?:someone over there|colleague|I know someone here|someone here|hobby)\b",
}


def lines(lang: str) -> list[tuple[str, int, str, str | None]]:
    return [
        (key, number, text, line.only_if)
        for key, situation in LIBRARY[lang].situations.items()
        for number, line in enumerate(situation.lines, start=1)
        for text in (line.warm, line.brief)
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_line_promises_anything_with_a_date(lang: str) -> None:
    assert [(k, n, t) for k, n, t, _ in lines(lang) if re.search(DATED[lang], t, re.I)] == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_lines_suit_any_time_of_day(lang: str) -> None:
    assert [(k, n, t) for k, n, t, _ in lines(lang) if re.search(EVENING[lang], t, re.I)] == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_claims_about_the_room_carry_an_only_if_hint(lang: str) -> None:
    missing = [
        (k, n, t) for k, n, t, hint in lines(lang) if re.search(CLAIMS[lang], t, re.I) and not hint
    ]
    assert missing == []


def test_at_least_eight_situations_of_six_lines() -> None:
    for lang in ("de", "en"):
        situations = LIBRARY[lang].situations
        assert len(situations) >= 8
        assert all(len(s.lines) >= 6 for s in situations.values())
