"""Templates: sandboxed, strict, escaping user text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.errors import ContentError
from bot.engine.render import Renderer


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    for lang in ("de", "en"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "buttons.yaml").write_text("ok: 'OK'\n", encoding="utf-8")
        (tmp_path / lang / "hello.html").write_text(
            "Hi <b>{{ name }}</b>!\n\n\n\nBye", encoding="utf-8"
        )
        (tmp_path / lang / "broken.html").write_text("a<br>b", encoding="utf-8")
        (tmp_path / lang / "escape.html").write_text("{{ x.__class__ }}", encoding="utf-8")
        (tmp_path / lang / "lines.html").write_text(
            "A{% if x %} and x{% endif %}\n\n{% if x %}\nB\n{% endif %}\n{# note #}\nC\n<blockquote>q\n</blockquote>",
            encoding="utf-8",
        )
    return Renderer(tmp_path)


def test_user_text_is_escaped_and_never_run(renderer: Renderer) -> None:
    out = renderer.render_one("en", "hello", name="<i>{{ 7*7 }}</i> & co")
    assert out == "Hi <b>&lt;i&gt;{{ 7*7 }}&lt;/i&gt; &amp; co</b>!\n\nBye"


def test_missing_variable_fails_instead_of_printing_nothing(renderer: Renderer) -> None:
    with pytest.raises(ContentError, match="prompts/en/hello.html"):
        renderer.render("en", "hello")


def test_invalid_telegram_html_is_reported(renderer: Renderer) -> None:
    with pytest.raises(ContentError, match="unsupported tag <br>"):
        renderer.render("de", "broken")


def test_sandbox_blocks_dunder_access(renderer: Renderer) -> None:
    with pytest.raises(ContentError):
        renderer.render("en", "escape", x="text")


def test_language_choice(renderer: Renderer) -> None:
    """Languages are the folders found; anything else gets English."""
    assert renderer.languages == ("de", "en")
    assert renderer.language("de-AT") == "de"
    assert renderer.language("de_DE.UTF-8") == "de"
    assert renderer.language("fr") == "en"
    assert renderer.language(None) == "en"


def test_tag_only_lines_vanish_and_text_lines_keep_their_breaks(renderer: Renderer) -> None:
    assert (
        renderer.render_one("en", "lines", x=True) == "A and x\n\nB\nC\n<blockquote>q</blockquote>"
    )
    assert renderer.render_one("en", "lines", x=False) == "A\n\nC\n<blockquote>q</blockquote>"
