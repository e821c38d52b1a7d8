"""Showing Telegram HTML in a terminal: bold, italics and quotes as ANSI, where supported."""

from __future__ import annotations

import html
import os
import re
from typing import TextIO

_STYLES = {"b": "1", "strong": "1", "i": "3", "em": "3", "u": "4", "ins": "4", "code": "36"}


def supports_colour(stream: TextIO) -> bool:
    """Colours only on a real terminal, and never when NO_COLOR is set (no-color.org)."""
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def to_terminal(markup: str, colour: bool) -> str:
    """Telegram HTML → terminal text; quotes get a bar so a line to say stands out."""

    def quote(match: re.Match[str]) -> str:
        return "\n".join(f"  │ {line}" for line in match.group(1).splitlines())

    text = re.sub(r"<blockquote[^>]*>(.*?)</blockquote>", quote, markup, flags=re.S)

    def tag(match: re.Match[str]) -> str:
        closing, name = match.group(1), match.group(2)
        if not colour or name not in _STYLES:
            return ""
        return "\033[0m" if closing else f"\033[{_STYLES[name]}m"

    text = re.sub(r"<(/?)([a-z-]+)[^>]*>", tag, text)
    return html.unescape(text)


def dim(text: str, colour: bool) -> str:
    return f"\033[2m{text}\033[0m" if colour else text
