"""The one codec for inline-button data: `v1.<step>.<option>`.

The step number ties a button to the message that showed it, so a tap on an older message is
recognised as stale instead of answering the question asked now. Anything that does not decode
(forged, truncated, another version) is treated the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64
_PATTERN = re.compile(r"^v1\.(\d{1,12})\.([a-z_][a-z0-9_]{0,31})$")


@dataclass(frozen=True)
class ButtonData:
    step: int
    option: str


def encode(step: int, option: str) -> str:
    data = f"{VERSION}.{step}.{option}"
    if not _PATTERN.match(data) or len(data.encode()) > MAX_BYTES:
        raise ValueError(f"cannot encode button data {data!r}")
    return data


def decode(data: str | None) -> ButtonData | None:
    """The button's step and option, or None for anything not made by `encode`."""
    match = _PATTERN.match(data or "")
    if match is None:
        return None
    return ButtonData(step=int(match.group(1)), option=match.group(2))
