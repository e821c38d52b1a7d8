"""Templates that insert typed answers read correctly for any plausible answer: rendered through
the real renderer (escaping, Telegram HTML check) with the project's prompts and filters.
(Follow-up drafts: tests/coach/test_followup_drafts.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coach.wording import template_filters
from bot.engine.render import Renderer
from bot.engine.telegram_html import visible_text

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROMPTS, filters=template_filters())


@pytest.mark.parametrize(
    ("lang", "me", "business_answer", "first_line"),
    [
        (
            "de",
            "Mira",
            "Ich bin Steuerberaterin für Kreative.",
            "Ich bin Mira, Steuerberaterin für Kreative.",
        ),
        (
            "de",
            "Mira",
            "Steuerberaterin für Kreative",
            "Ich bin Mira, Steuerberaterin für Kreative.",
        ),
        (
            "de",
            "Jens",
            "Ich berate Handwerksbetriebe bei der Digitalisierung.",
            "Ich bin Jens und berate Handwerksbetriebe bei der Digitalisierung.",
        ),
        (
            "de",
            "Jens",
            "ich mache Websites für Handwerker",
            "Ich bin Jens und mache Websites für Handwerker.",
        ),
        (
            "de",
            "Dr. Lea Roth",
            "Wir bauen Apps für Vereine.",
            "Ich bin Dr. Lea Roth. Wir bauen Apps für Vereine.",
        ),
        ("de", "Mira", None, "Ich bin Mira."),
        ("de", "Mira", "<i>Coach</i> & Trainerin", "Ich bin Mira, <i>Coach</i> und Trainerin."),
        ("en", "Ada", "I'm a tax adviser for creatives.", "I'm Ada, a tax adviser for creatives."),
        ("en", "Ada", "Tax adviser for creatives", "I'm Ada, tax adviser for creatives."),
        (
            "en",
            "Ada",
            "I design websites for small shops.",
            "I'm Ada and I design websites for small shops.",
        ),
        ("en", "Ada", "I help founders with funding", "I'm Ada and I help founders with funding."),
        ("en", "Ada", "We build apps for charities.", "I'm Ada. We build apps for charities."),
        (
            "en",
            "Ada",
            "I've run a bakery for ten years",
            "I'm Ada. I've run a bakery for ten years.",
        ),
        ("en", "Ada", "", "I'm Ada."),
    ],
)
def test_self_introduction_never_doubles_i_am(
    renderer: Renderer, lang: str, me: str, business_answer: str | None, first_line: str
) -> None:
    html = renderer.render_one(
        lang,
        "prepare/intro",
        profile={"name": me, "business": business_answer},
        answers={"goal": "customers"},
        view={},
        lang=lang,
        resume_title=None,
    )
    quote = html.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]
    said = visible_text(quote)  # typed tags show as text: escaped
    assert said == f"{first_line} What are you working on at the moment?" or said == (
        f"{first_line} Woran arbeiten Sie gerade?"
    )
