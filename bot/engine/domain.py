"""The seam between the engine and the coaching domain: named effects, conditions and views.

Dialog files name these; the composition root hands the engine a `Domain` that maps each name to
a function, and `exit-coach check` fails when a dialog names one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.engine.session import Frame, Session


@dataclass
class StepContext:
    """What an effect, condition or view may see and change for the update in hand."""

    session: Session
    frame: Frame
    lang: str
    now: datetime
    records: list[Any] = field(default_factory=list)  # domain records to persist with the session
    flags: set[str] = field(default_factory=set)  # engine signals, e.g. "refresh the keyboard"

    @property
    def answers(self) -> dict[str, Any]:
        return self.frame.answers


Effect = Callable[[StepContext], None]
Condition = Callable[[StepContext], bool]
View = Callable[[StepContext], dict[str, Any]]
OptionProvider = Callable[[StepContext], list[tuple[str, str]]]  # (option id, label)


@dataclass
class Domain:
    effects: dict[str, Effect] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    option_providers: dict[str, OptionProvider] = field(default_factory=dict)
