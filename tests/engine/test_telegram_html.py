"""Telegram's HTML subset: what is refused, how length is counted, how long texts are split."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.telegram_html import (
    MAX_MESSAGE_LENGTH,
    TelegramHtmlError,
    fits,
    split_message,
    strip_tags,
    telegram_length,
    visible_text,
)


@pytest.mark.parametrize(
    "markup",
    [
        "a < b",
        "<br>",
        "<p>x</p>",
        "<b>open",
        "<b>x</i>",
        "Tom & Jerry",
        "&nbsp;",
        "<span>x</span>",
        "<a>no href</a>",
        "<b/>",
        "<!-- c -->",
    ],
)
def test_refused_like_telegram(markup: str) -> None:
    with pytest.raises(TelegramHtmlError):
        visible_text(markup)


def test_allowed_markup_and_entities() -> None:
    markup = (
        '<b>x</b> <i>y</i> <a href="https://e.org">l</a> <tg-spoiler>s</tg-spoiler> &lt;&amp;&#33;'
    )
    assert visible_text(markup) == "x y l s <&!"


def test_length_counts_utf16_units_after_parsing() -> None:
    assert telegram_length("<b>ab</b>") == 2
    assert telegram_length("😀") == 2  # outside the BMP: two UTF-16 code units
    assert telegram_length("ä&amp;") == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=700), min_size=1, max_size=30))
def test_split_parts_are_valid_and_fit(paragraphs: list[str]) -> None:
    markup = "\n\n".join(
        f"<b>{i}</b> {html.escape(p, quote=False)}" for i, p in enumerate(paragraphs)
    )
    parts = split_message(markup, limit=1000)
    for part in parts:
        assert telegram_length(part) <= 1000
        visible_text(part)  # each part parses on its own
    joined = "".join(visible_text(part) for part in parts)
    assert "".join(joined.split()) == "".join(visible_text(markup).split())


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=0, max_size=120),
    st.sampled_from(["", "<b>", "<i>"]),
    st.integers(min_value=1, max_value=200),
)
def test_fits_agrees_with_the_length_telegram_counts(text: str, tag: str, limit: int) -> None:
    """The shortcut that skips parsing short markup never disagrees with parsing it: emoji
    (two UTF-16 units each), entities and tags included."""
    body = html.escape(text, quote=False) + "😀&amp;&#128512;"
    markup = f"{tag}{body}{tag.replace('<', '</')}"
    assert fits(markup, limit) == (telegram_length(markup) <= limit)


def test_short_text_is_not_split() -> None:
    assert split_message("<b>hi</b>") == ["<b>hi</b>"]
    assert len(split_message("word " * 2000)) == 3
    assert MAX_MESSAGE_LENGTH == 4096


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("<b>Tom &amp; Jerry</b>", "Tom & Jerry"),
        ("<b>unclosed & bare", "unclosed & bare"),  # what Telegram refuses still reads well
        ('<a href="https://x.org">link</a> a < b', "link a < b"),
        ("<hi>there</i>", "there"),
    ],
)
def test_strip_tags_gives_plain_text_even_from_broken_markup(markup: str, plain: str) -> None:
    assert strip_tags(markup) == plain
