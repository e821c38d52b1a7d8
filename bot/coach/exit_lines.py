"""The library of ready-to-say exit lines (`prompts/<lang>/exit_lines.yaml`).

Content lives with the prompts so coaches edit it; this module loads it, checks both languages
match, and picks lines. Lines rotate in file order, so "another line" never repeats one until
all of a situation's lines were shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.engine.errors import ContentError

EXIT_LINES_FILE = "exit_lines.yaml"
Tone = Literal["warm", "brief"]


class ExitLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    technique: str
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
        self._check_same_shape()

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

    def _check_same_shape(self) -> None:
        shapes = {
            lang: {key: len(s.lines) for key, s in library.situations.items()}
            for lang, library in self.by_language.items()
        }
        first_lang, first = next(iter(shapes.items()))
        for lang, shape in shapes.items():
            if shape != first:
                raise ContentError(
                    f"prompts/{lang}/{EXIT_LINES_FILE} and prompts/{first_lang}/{EXIT_LINES_FILE} "
                    f"differ in situations or number of lines: {shape} vs {first}"
                )

    def __getitem__(self, lang: str) -> ExitLines:
        return self.by_language[lang]
