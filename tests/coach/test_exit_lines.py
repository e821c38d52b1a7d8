"""The library of lines for the room keeps the promises its header makes: no dated obligations,
nothing that assumes an evening (breakfasts and online events exist), claims about the room only
with an only_if hint, nothing that teaches barging in or handing out cards; every situation two
taps away; openers that fit the user's goal come first. The word limit and the parity of
languages are enforced by `exit-coach check` (tests/test_check.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.coach.exit_lines import LEAVE, ONLINE, ROOM, ExitLibrary, ExitLines

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
# What strategic networking is not (COACHING.md §2): never in a line, a tip or a "what next".
PUSHY = {
    "de": r"(?:Visitenkarte|unterbrech|von Tisch zu Tisch|dazwischen(?!reden))",
    "en": r"(?:business card|sorry to interrupt|table to table|hand out your card)",
}


def lines(lang: str) -> list[tuple[str, int, str, str | None]]:
    return [
        (key, number, text, line.only_if)
        for key, situation in LIBRARY[lang].situations.items()
        for version in (situation, situation.online)
        if version is not None
        for number, line in enumerate(version.lines, start=1)
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


@pytest.mark.parametrize("lang", ["de", "en"])
def test_nothing_teaches_barging_in_or_handing_out_cards(lang: str) -> None:
    texts = [t for _, _, t, _ in lines(lang)] + [
        text
        for s in LIBRARY[lang].situations.values()
        for version in (s, s.online)
        if version is not None
        for text in (version.tip, version.next)
    ]
    assert [t for t in texts if re.search(PUSHY[lang], t, re.I)] == []


def test_enough_lines_per_situation() -> None:
    for lang in ("de", "en"):
        library = LIBRARY[lang]
        leave = [key for key in library.menus[LEAVE].items if key in library.situations]
        # the floor the coach ships: 8 reasons to leave with 6 lines each; a situation a coach
        # adds may start smaller (docs/authoring.md adds one with three lines)
        assert sum(len(library.situations[key].lines) >= 6 for key in leave) >= 8
        assert all(len(s.lines) >= 3 for s in library.situations.values())


def taps_to(library: ExitLines, menu: str, situation: str) -> int | None:
    """Taps from the first screen `menu` to `situation` (None: more than two)."""
    items = library.menus[menu].items
    if situation in items:
        return 1
    submenus = [item for item in items if item in library.menus and item != menu]
    return 2 if any(situation in library.menus[sub].items for sub in submenus) else None


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_situation_is_two_taps_from_the_first_screen_in_person(lang: str) -> None:
    library = LIBRARY[lang]
    far = [key for key in library.situations if taps_to(library, ROOM, key) is None]
    assert far == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_at_an_online_event_the_online_help_is_one_tap_away(lang: str) -> None:
    library = LIBRARY[lang]
    online = [item for item in library.menus[ONLINE].items if item in library.situations]
    assert {"breakout_join", "breakout_leave", "chat", "camera", "overstep"} <= set(online)
    assert all(taps_to(library, ONLINE, key) == 1 for key in online)


def openers(lang: str, goals: list[str]) -> list[str]:
    return [line.warm for line in LIBRARY[lang].lines_for("open_conversation", goals)]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("goal", ["customers", "cooperations", "exchange", "inspiration"])
def test_openers_for_the_users_goal_come_first_and_others_goals_stay_out(
    lang: str, goal: str
) -> None:
    library = LIBRARY[lang]
    chosen = library.lines_for("open_conversation", [goal])
    assert goal in chosen[0].goals
    assert all(not line.goals or goal in line.goals for line in chosen)
    assert len(chosen) >= 3


def test_without_a_goal_openers_come_in_file_order() -> None:
    every = LIBRARY["en"].situations["open_conversation"].lines
    assert LIBRARY["en"].lines_for("open_conversation", []) == every
    # an unknown goal: the lines for everyone, nothing meant for someone else's goal
    general = [line for line in every if not line.goals]
    assert LIBRARY["en"].lines_for("open_conversation", ["knitting"]) == general


def test_another_line_cycles_through_the_fitting_lines_only() -> None:
    library = LIBRARY["en"]
    fitting = library.lines_for("open_conversation", ["customers"])
    shown = [library.line("open_conversation", i, ["customers"]) for i in range(len(fitting) + 1)]
    assert shown[: len(fitting)] == fitting and shown[-1] == fitting[0]


def test_cheat_sheet_line_names_its_situation() -> None:
    en, de = LIBRARY["en"], LIBRARY["de"]
    assert en.on_sheet("self_talker").startswith("If they only talk about themselves: “Thank")
    assert de.on_sheet("self_talker").startswith("Wenn jemand nur über sich redet: „Vielen Dank")
    assert de.on_sheet("self_talker").endswith("ziehe weiter.“")
