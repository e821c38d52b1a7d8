"""The library of ready-to-say exit lines (`prompts/<lang>/exit_lines.yaml`).

Content lives with the prompts so coaches edit it; this module loads it, checks the rules a
line must keep (short enough to say at a glance, the same situations and lines in every
language, a line that is not true for everyone says when it is), and picks lines. Lines rotate
in file order, so "another line" never repeats one until all of a situation's lines were shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.engine.errors import ContentError

EXIT_LINES_FILE = "exit_lines.yaml"
Tone = Literal["warm", "brief"]
MAX_WORDS = 25  # said in one breath, read at a glance in a noisy room
_WORD = re.compile(r"[\w’'-]*\w[\w’'-]*")


def word_count(text: str) -> int:
    """Words as a reader counts them: dashes and punctuation are not words."""
    return len(_WORD.findall(text))


class ExitLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    technique: str
    # When the line is only true in some rooms ("I know someone here in your field"): shown
    # with it, so nobody says something untrue. Lines true for anyone leave it out.
    only_if: str | None = Field(default=None, min_length=1, max_length=120)
    warm: str = Field(min_length=1, max_length=300)
    brief: str = Field(min_length=1, max_length=200)


class Situation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=40)
    tip: str = Field(min_length=1, max_length=300)
    lines: list[ExitLine] = Field(min_length=1)


class ExitLines(BaseModel):
    """One language's library."""

    model_config = ConfigDict(extra="forbid")

    techniques: dict[str, str]
    situations: dict[str, Situation]

    def line(self, situation: str, index: int) -> ExitLine:
        lines = self.situations[situation].lines
        return lines[index % len(lines)]


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


def _differences(lang_a: str, a: ExitLines, lang_b: str, b: ExitLines) -> Iterator[str]:
    """Where two languages' libraries differ in situations, lines, or which lines have a hint."""
    files = f"prompts/{lang_a}/{EXIT_LINES_FILE} and prompts/{lang_b}/{EXIT_LINES_FILE}"
    for key in sorted(set(a.situations) ^ set(b.situations)):
        yield f"{files}: situation '{key}' is in only one of them"
    for key in a.situations.keys() & b.situations.keys():
        lines_a, lines_b = a.situations[key].lines, b.situations[key].lines
        if len(lines_a) != len(lines_b):
            yield f"{files}: situation '{key}' has {len(lines_a)} vs {len(lines_b)} lines"
            continue
        for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=True), start=1):
            if line_a.technique != line_b.technique or bool(line_a.only_if) != bool(line_b.only_if):
                yield (f"{files}: situation '{key}' line {number} differs in technique or only_if")
