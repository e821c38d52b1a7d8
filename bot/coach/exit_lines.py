"""The library of ready-to-say lines for the room (`prompts/<lang>/exit_lines.yaml`).

Content lives with the prompts so coaches edit it; this module loads it, checks the rules a
line must keep (short enough to say at a glance, a line screen short enough to read mid-
conversation, the same situations, menus and lines in every language, a line that is not true
for everyone says when it is, an online version wherever an online event leads), and picks
lines. Lines rotate in file order, so "another line" never repeats one until all of a
situation's lines were shown; lines written for some networking goals come first for a user
with that goal. A situation met both in the room and online has an `online` version (its own
tip, next step and lines: back to the main room, leave the breakout, the chat, the camera).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.engine.errors import ContentError

EXIT_LINES_FILE = "exit_lines.yaml"
Tone = Literal["warm", "brief"]
MAX_WORDS = 25  # said in one breath, read at a glance in a noisy room
# A line's screen (the line, "Only if it's true: …", the tip) is read mid-conversation: at most
# this many words. ONLY_IF_WORDS is what the screen adds before an `only_if` (4 words in every
# language: "Only if it's true:", „Nur, wenn es stimmt:“); tests measure the rendered screens.
MAX_SCREEN_WORDS = 40
ONLY_IF_WORDS = 4
Venue = Literal["room", "online"]
_WORD = re.compile(r"[\w’'-]*\w[\w’'-]*")
# The menus the code shows: `room` first in person, `online` first when the event in hand is
# online, `leave` holds the reasons to leave a conversation (also picked in /prepare).
ROOM, LEAVE, ONLINE = "room", "leave", "online"
MENUS = (ROOM, LEAVE, ONLINE)


def word_count(text: str) -> int:
    """Words as a reader counts them: dashes and punctuation are not words."""
    return len(_WORD.findall(text))


class ExitLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    technique: str
    # When the line is only true in some rooms ("I know someone here in your field"): shown
    # with it, so nobody says something untrue. Lines true for anyone leave it out.
    only_if: str | None = Field(default=None, min_length=1, max_length=120)
    # Networking goals (onboarding's ids) this line serves best; empty: any goal.
    goals: list[str] = Field(default_factory=list)
    warm: str = Field(min_length=1, max_length=300)
    brief: str = Field(min_length=1, max_length=200)


class OnlineVersion(BaseModel):
    """How a situation goes at an online event: its own tip, next step and lines."""

    model_config = ConfigDict(extra="forbid")

    tip: str = Field(min_length=1, max_length=300)
    next: str = Field(min_length=1, max_length=300)
    lines: list[ExitLine] = Field(min_length=1)


class Situation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=30)  # its button
    cue: str = Field(min_length=1, max_length=80)  # on the cheat sheet: "If they only talk…"
    tip: str = Field(min_length=1, max_length=300)  # how to say it (body language)
    next: str = Field(min_length=1, max_length=300)  # what to do right after
    lines: list[ExitLine] = Field(min_length=1)
    online: OnlineVersion | None = None  # at an online event, when it is met in the room too

    def at(self, venue: Venue) -> Situation | OnlineVersion:
        """The version for `venue`: the online one at an online event, where there is one."""
        return self.online if venue == "online" and self.online is not None else self


class Menu(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=30)  # its button where another menu offers it
    # its button at an online event, where that says it better ("👋 End a one-to-one …")
    online_label: str | None = Field(default=None, min_length=1, max_length=30)
    items: list[str] = Field(min_length=1)  # situation keys or menu keys, in button order

    def label_at(self, venue: Venue) -> str:
        return self.online_label if venue == "online" and self.online_label else self.label


class ExitLines(BaseModel):
    """One language's library."""

    model_config = ConfigDict(extra="forbid")

    sheet_line: str = Field(min_length=1)  # a line on the cheat sheet: "{cue}: „{line}“"
    techniques: dict[str, str]
    menus: dict[str, Menu]
    situations: dict[str, Situation]

    def lines_for(
        self, situation: str, goals: Collection[str] = (), venue: Venue = "room"
    ) -> list[ExitLine]:
        """The situation's lines (for `venue`) in the order to show them: those written for one
        of `goals` first, then those for any goal; lines for other goals only when nothing else
        is left (or no goal is known)."""
        lines = self.situations[situation].at(venue).lines
        fitting = [line for line in lines if set(line.goals) & set(goals)]
        general = [line for line in lines if not line.goals]
        if not goals:
            return lines
        return (fitting + general) or lines

    def line(
        self, situation: str, index: int, goals: Collection[str] = (), venue: Venue = "room"
    ) -> ExitLine:
        lines = self.lines_for(situation, goals, venue)
        return lines[index % len(lines)]

    def on_sheet(self, situation: str, venue: Venue = "room") -> str:
        """The situation's first line (for `venue`) as the cheat sheet shows it, with its cue."""
        found = self.situations[situation]
        return self.sheet_line.format(cue=found.cue, line=found.at(venue).lines[0].warm)

    def reachable(self, menu: str, avoiding: str) -> set[str]:
        """Situations a user reaches from `menu` without going through the menu `avoiding`
        (from the online first screen without the help for the room, and the other way)."""
        found: set[str] = set()
        todo, seen = [menu], {menu, avoiding}
        while todo:
            for item in self.menus[todo.pop()].items:
                if item in self.menus and item not in seen:
                    seen.add(item)
                    todo.append(item)
                elif item in self.situations:
                    found.add(item)
        return found


def screen_words(line: str, only_if: str | None, tip: str) -> int:
    """How many words a line's screen shows: the line, "Only if it's true: …", the tip."""
    extra = ONLY_IF_WORDS + word_count(only_if) if only_if else 0
    return word_count(line) + extra + word_count(tip)


class ExitLibrary:
    """All languages' libraries, loaded once and checked to have the same shape."""

    def __init__(self, prompts_dir: Path, languages: tuple[str, ...]) -> None:
        self.by_language = {
            lang: self._load(prompts_dir / lang / EXIT_LINES_FILE) for lang in languages
        }
        problems = list(self.problems())
        if problems:
            raise ContentError("\n".join(problems))

    @staticmethod
    def _load(path: Path) -> ExitLines:
        try:
            library = ExitLines.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ContentError(f"{path}: {exc}") from exc
        for key, situation in library.situations.items():
            unknown = {line.technique for line in situation.lines} - set(library.techniques)
            if unknown:
                raise ContentError(f"{path}: situation '{key}' uses unknown techniques {unknown}")
        return library

    def problems(self) -> Iterator[str]:
        """Every broken rule, one line each, naming the file, the situation and the line."""
        for lang, library in self.by_language.items():
            yield from _shape_problems(f"prompts/{lang}/{EXIT_LINES_FILE}", library)
            for key, situation in library.situations.items():
                for venue, version in (("", situation), (" online", situation.online)):
                    if version is not None:
                        where = f"prompts/{lang}/{EXIT_LINES_FILE}: situation '{key}'{venue}"
                        yield from _line_problems(where, version)
        first_lang, first = next(iter(self.by_language.items()))
        for lang, library in self.by_language.items():
            yield from _differences(first_lang, first, lang, library)

    def __getitem__(self, lang: str) -> ExitLines:
        return self.by_language[lang]


def _line_problems(where: str, version: Situation | OnlineVersion) -> Iterator[str]:
    """Each line short enough to say, its screen short enough to read, the first one fit for
    the cheat sheet."""
    for number, line in enumerate(version.lines, start=1):
        for tone in ("warm", "brief"):
            said = getattr(line, tone)
            words = word_count(said)
            if words > MAX_WORDS:
                yield f"{where} line {number} ({tone}): {words} words, at most {MAX_WORDS}"
            shown = screen_words(said, line.only_if, version.tip)
            if shown > MAX_SCREEN_WORDS:
                yield (
                    f"{where} line {number} ({tone}): its screen (line, only_if, tip) has "
                    f"{shown} words, at most {MAX_SCREEN_WORDS}: shorten the tip or the line"
                )
        if number == 1 and line.only_if:
            yield f"{where} line 1: the first line goes on the cheat sheet; needs no only_if"


def _shape_problems(where: str, library: ExitLines) -> Iterator[str]:
    """Menus the code needs exist, name only known situations and menus, and reach every
    situation; the cheat-sheet format names its two slots."""
    for menu in MENUS:
        if menu not in library.menus:
            yield f"{where}: menu '{menu}' is missing (the code shows it)"
    named: set[str] = set()
    for key, listed in library.menus.items():
        for item in listed.items:
            named.add(item)
            if item not in library.situations and item not in library.menus:
                yield f"{where}: menu '{key}' names '{item}', neither a situation nor a menu"
    for key in library.situations.keys() - named:
        yield f"{where}: situation '{key}' is in no menu, so nobody can reach it"
    for key in library.situations.keys() & library.menus.keys():
        yield f"{where}: '{key}' is both a situation and a menu"
    if ROOM in library.menus and ONLINE in library.menus:
        both = library.reachable(ONLINE, avoiding=ROOM) & library.reachable(ROOM, avoiding=ONLINE)
        for key in sorted(both):
            if library.situations[key].online is None:
                yield (
                    f"{where}: situation '{key}' is offered in the room and online: it needs an "
                    "`online:` version (tip, next, lines) for online events"
                )
    try:
        library.sheet_line.format(cue="", line="")
    except (KeyError, IndexError, ValueError):
        yield f"{where}: sheet_line may only use {{cue}} and {{line}}"


def _differences(lang_a: str, a: ExitLines, lang_b: str, b: ExitLines) -> Iterator[str]:
    """Where two languages' libraries differ in menus, situations, lines, or line hints."""
    files = f"prompts/{lang_a}/{EXIT_LINES_FILE} and prompts/{lang_b}/{EXIT_LINES_FILE}"
    for key in sorted(set(a.menus) ^ set(b.menus)):
        yield f"{files}: menu '{key}' is in only one of them"
    for key in sorted(a.menus.keys() & b.menus.keys()):
        if a.menus[key].items != b.menus[key].items:
            yield f"{files}: menu '{key}' lists different items"
    for key in sorted(set(a.situations) ^ set(b.situations)):
        yield f"{files}: situation '{key}' is in only one of them"
    for key in a.situations.keys() & b.situations.keys():
        lines_a, lines_b = a.situations[key].lines, b.situations[key].lines
        if len(lines_a) != len(lines_b):
            yield f"{files}: situation '{key}' has {len(lines_a)} vs {len(lines_b)} lines"
            continue
        yield from _line_differences(f"{files}: situation '{key}'", lines_a, lines_b)
        online_a, online_b = a.situations[key].online, b.situations[key].online
        if (online_a is None) != (online_b is None):
            yield f"{files}: situation '{key}' has an online version in only one of them"
        elif online_a is not None and online_b is not None:
            if len(online_a.lines) != len(online_b.lines):
                yield f"{files}: situation '{key}' online has a different number of lines"
            else:
                yield from _line_differences(
                    f"{files}: situation '{key}' online", online_a.lines, online_b.lines
                )
    for key in sorted(a.menus.keys() & b.menus.keys()):
        if (a.menus[key].online_label is None) != (b.menus[key].online_label is None):
            yield f"{files}: menu '{key}' has an online_label in only one of them"


def _line_differences(
    where: str, lines_a: list[ExitLine], lines_b: list[ExitLine]
) -> Iterator[str]:
    for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=True), start=1):
        if (
            line_a.technique != line_b.technique
            or bool(line_a.only_if) != bool(line_b.only_if)
            or line_a.goals != line_b.goals
        ):
            yield f"{where} line {number} differs in technique, only_if or goals"
