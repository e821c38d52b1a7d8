"""The library of ready-to-say lines for the room (`prompts/<lang>/exit_lines.yaml`).

Content lives with the prompts so coaches edit it; this module loads it, checks the rules a
line must keep (short enough to say at a glance, the same situations, menus and lines in every
language, a line that is not true for everyone says when it is), and picks lines. Lines rotate
in file order, so "another line" never repeats one until all of a situation's lines were shown;
lines written for some networking goals come first for a user with that goal.
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


class Situation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=30)  # its button
    cue: str = Field(min_length=1, max_length=80)  # on the cheat sheet: "If they only talk…"
    tip: str = Field(min_length=1, max_length=300)  # how to say it (body language)
    next: str = Field(min_length=1, max_length=300)  # what to do right after
    lines: list[ExitLine] = Field(min_length=1)


class Menu(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=30)  # its button where another menu offers it
    items: list[str] = Field(min_length=1)  # situation keys or menu keys, in button order


class ExitLines(BaseModel):
    """One language's library."""

    model_config = ConfigDict(extra="forbid")

    sheet_line: str = Field(min_length=1)  # a line on the cheat sheet: "{cue}: „{line}“"
    techniques: dict[str, str]
    menus: dict[str, Menu]
    situations: dict[str, Situation]

    def lines_for(self, situation: str, goals: Collection[str] = ()) -> list[ExitLine]:
        """The situation's lines in the order to show them: those written for one of `goals`
        first, then those for any goal; lines for other goals only when nothing else is left
        (or no goal is known)."""
        lines = self.situations[situation].lines
        fitting = [line for line in lines if set(line.goals) & set(goals)]
        general = [line for line in lines if not line.goals]
        if not goals:
            return lines
        return (fitting + general) or lines

    def line(self, situation: str, index: int, goals: Collection[str] = ()) -> ExitLine:
        lines = self.lines_for(situation, goals)
        return lines[index % len(lines)]

    def on_sheet(self, situation: str) -> str:
        """The situation's first line as the cheat sheet shows it, with its cue."""
        return self.sheet_line.format(
            cue=self.situations[situation].cue, line=self.situations[situation].lines[0].warm
        )


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
                for number, line in enumerate(situation.lines, start=1):
                    where = f"prompts/{lang}/{EXIT_LINES_FILE}: situation '{key}' line {number}"
                    for tone in ("warm", "brief"):
                        words = word_count(getattr(line, tone))
                        if words > MAX_WORDS:
                            yield f"{where} ({tone}): {words} words, at most {MAX_WORDS}"
                    if number == 1 and line.only_if:
                        yield f"{where}: the first line goes on the cheat sheet; needs no only_if"
        first_lang, first = next(iter(self.by_language.items()))
        for lang, library in self.by_language.items():
            yield from _differences(first_lang, first, lang, library)

    def __getitem__(self, lang: str) -> ExitLines:
        return self.by_language[lang]


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
        for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=True), start=1):
            if (
                line_a.technique != line_b.technique
                or bool(line_a.only_if) != bool(line_b.only_if)
                or line_a.goals != line_b.goals
            ):
                yield (
                    f"{files}: situation '{key}' line {number} differs in technique, only_if "
                    "or goals"
                )
