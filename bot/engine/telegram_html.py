"""Telegram's HTML subset: check it, measure it, split it.

Telegram rejects a whole message for one stray tag, and counts its 4096-character limit on the
text after entity parsing, so every rendered message passes through here before it is sent.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_MESSAGE_LENGTH = 4096
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
ALLOWED_ENTITIES = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class TelegramHtmlError(ValueError):
    """The text would be refused by Telegram with "can't parse entities"."""


@dataclass
class _Scanner(HTMLParser):
    """Collects visible text and checks tags against Telegram's list."""

    text: list[str] = field(default_factory=list)
    open_tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise TelegramHtmlError(f"unsupported tag <{tag}>")
        if tag == "span" and ("class", "tg-spoiler") not in attrs:
            raise TelegramHtmlError('<span> needs class="tg-spoiler"')
        if tag == "a" and not dict(attrs).get("href"):
            raise TelegramHtmlError("<a> needs href")
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise TelegramHtmlError(f"self-closing tag <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            raise TelegramHtmlError(f"unexpected end tag </{tag}>")
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        raise TelegramHtmlError("comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        raise TelegramHtmlError("declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        raise TelegramHtmlError("processing instructions are not allowed")


def visible_text(markup: str) -> str:
    """The text Telegram shows for `markup`; raises TelegramHtmlError where Telegram refuses."""
    for match in re.finditer(r"&", markup):
        if not ALLOWED_ENTITIES.match(markup, match.start()):
            raise TelegramHtmlError(f"bare '&' or unsupported entity at offset {match.start()}")
    for match in re.finditer(r"<", markup):
        if not re.match(r"</?[a-z][a-z-]*[\s>/]", markup[match.start() : match.start() + 40]):
            raise TelegramHtmlError(f"stray '<' at offset {match.start()}")
    scanner = _Scanner()
    scanner.feed(markup)
    scanner.close()
    if scanner.open_tags:
        raise TelegramHtmlError(f"unclosed tag <{scanner.open_tags[-1]}>")
    return "".join(scanner.text)


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def strip_tags(markup: str) -> str:
    """Plain text from markup that may be broken: tag-like pieces removed, entities decoded.

    Never raises: it is the fallback for a message Telegram refused to parse.
    """
    return html.unescape(_TAG.sub("", markup))


def telegram_length(markup: str) -> int:
    """Length as Telegram counts it: UTF-16 code units of the visible text."""
    return len(visible_text(markup).encode("utf-16-le")) // 2


def fits(markup: str, limit: int = MAX_MESSAGE_LENGTH) -> bool:
    """Whether `markup` fits in `limit` as Telegram counts. Short markup fits without being
    parsed: each of its characters is at most one visible character of two UTF-16 units."""
    return 2 * len(markup) <= limit or telegram_length(markup) <= limit


def tidy(markup: str) -> str:
    """Trim template whitespace: no trailing spaces, no line break right before a closing tag,
    at most one blank line in a row."""
    lines = [line.rstrip() for line in markup.strip().splitlines()]
    text = re.sub(r"\n+(</[a-z-]+>)", r"\1", "\n".join(lines))  # no blank line inside a quote's end
    return re.sub(r"\n{3,}", "\n\n", text)


def split_message(markup: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split at paragraph, then line, then word boundaries so every part fits `limit`.

    Parts are cut only between top-level pieces so no tag is left open; a single piece longer
    than `limit` (which templates never produce) is cut as plain, escaped text.
    """
    if fits(markup, limit):
        return [markup]
    parts: list[str] = []
    current = ""
    for piece in _pieces(markup):
        candidate = f"{current}{piece}"
        if current and telegram_length(candidate) > limit:
            parts.append(current.strip())
            current = piece.lstrip()
        else:
            current = candidate
        while telegram_length(current) > limit:  # a single oversized piece
            plain = visible_text(current)
            parts.append(html.escape(plain[:limit], quote=False))
            current = html.escape(plain[limit:], quote=False)
    if current.strip():
        parts.append(current.strip())
    return parts


def _pieces(markup: str) -> list[str]:
    """Top-level chunks ending in whitespace, never inside a tag pair."""
    pieces: list[str] = []
    depth = 0
    start = 0
    for match in re.finditer(r"<(/?)[a-z-]+[^>]*>|\s+", markup):
        token = match.group(0)
        if token.startswith("<"):
            depth += -1 if match.group(1) else 1
        elif depth == 0:
            pieces.append(markup[start : match.end()])
            start = match.end()
    pieces.append(markup[start:])
    return [piece for piece in pieces if piece]
