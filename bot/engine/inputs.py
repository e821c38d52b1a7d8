"""Turning what a user typed into an answer for the step, or a friendly reason why not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.engine.spec import InputKind, StateSpec


@dataclass
class InvalidInput(Exception):
    """The answer does not fit; `reason` names a template under `prompts/<lang>/invalid/`."""

    reason: str
    details: dict[str, Any] = field(default_factory=dict)


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_typed(state: StateSpec, text: str) -> Any:
    """The value for a typed answer to `state`; raises InvalidInput with a reason."""
    text = text.strip()
    if not text:
        raise InvalidInput("empty")
    if state.input == InputKind.TEXT:
        if len(text) > state.max_length:
            raise InvalidInput("too_long", {"max": state.max_length, "length": len(text)})
        return text
    if state.input in (InputKind.NUMBER, InputKind.RATING):
        if not _NUMBER.match(text):
            raise InvalidInput("not_a_number")
        return check_range(state, float(text.replace(",", ".")))
    raise InvalidInput("use_buttons")


def check_range(state: StateSpec, value: float) -> float | int:
    """`value` if the step's range allows it (also for a number a domain parser read from
    "about 3 a month"); raises InvalidInput("out_of_range") otherwise."""
    low, high = (1.0, 5.0) if state.input == InputKind.RATING else (state.min, state.max)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidInput("out_of_range", {"min": _plain(low), "max": _plain(high)})
    plain = _plain(value)
    assert plain is not None
    return plain


def _plain(value: float | None) -> float | int | None:
    """Show 3 rather than 3.0."""
    return int(value) if value is not None and value.is_integer() else value
