"""The reflection's closing words answer the answers: every combination reads well in both
languages; a poor or draining event gets permission to skip, a good one is named, and the
confidence before and after is shown when both are known."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.coach.journal import Event, Reflection
from bot.coach.reflection import how_it_went
from bot.coach.wording import template_filters
from bot.engine.render import Renderer
from bot.engine.telegram_html import visible_text

NOW = datetime(2026, 12, 10, 21, 0, tzinfo=UTC)
PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
SKIP = {"en": "may skip it", "de": "Nächstes Mal darfst Du sie auslassen"}
GOOD = {"en": "That was a good one", "de": "Das war eine gute Veranstaltung"}


def reflection(
    useful: int, goals: str, energy: int, again: str, after: int | None = 3
) -> Reflection:
    return Reflection(
        usefulness=useful,
        goals_met=goals,
        energy=energy,
        go_again=again,
        confidence_after=after,
        at=NOW,
    )


@pytest.mark.parametrize(
    ("useful", "goals", "energy", "again", "verdict"),
    [
        (1, "no", 5, "no", "poor"),
        (1, "yes", 1, "yes", "poor"),  # useless, whatever else
        (2, "partly", 2, "maybe", "poor"),
        (3, "partly", 3, "no", "poor"),  # not enough to go again
        (3, "partly", 5, "maybe", "draining"),
        (3, "no", 4, "yes", "draining"),
        (4, "no", 5, "no", "good"),  # useful, even if tiring
        (5, "yes", 2, "yes", "good"),
        (3, "yes", 2, "maybe", "good"),  # the goal was met
        (3, "partly", 2, "maybe", "mixed"),
        (3, "no", 3, "yes", "mixed"),
    ],
)
def test_how_it_went(useful: int, goals: str, energy: int, again: str, verdict: str) -> None:
    assert how_it_went(reflection(useful, goals, energy, again)) == verdict


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROMPTS, filters=template_filters())


ANSWERS = list(
    itertools.product((1, 2, 3, 4, 5), ("yes", "partly", "no"), (1, 3, 5), ("yes", "maybe", "no"))
)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(("useful", "goals", "energy", "again"), ANSWERS)
def test_the_closing_words_read_well_for_any_answers(
    renderer: Renderer, lang: str, useful: int, goals: str, energy: int, again: str
) -> None:
    answered = reflection(useful, goals, energy, again, after=(useful % 5) + 1)
    event = Event(
        name="Mixer",
        starts_at=NOW,
        ends_at=NOW,
        goal="customers",
        confidence_before=3,
        created_at=NOW,
    )
    view = {
        "event": event,
        "reflection": answered,
        "verdict": how_it_went(answered),
        "confidence_before": 3,
        "network": "BNI Mitte" if useful == 1 else None,
    }
    html = renderer.render_one(
        lang, "reflect/summary", profile={}, answers={}, view=view, lang=lang, resume_title=None
    )
    text = visible_text(html)
    assert "None" not in text and not re.search(r"[.,:]\s*[.,:]|\s[.,]|: \.", text), text
    verdict = how_it_went(answered)
    assert (SKIP[lang] in text) is (verdict in ("poor", "draining")), text
    assert (GOOD[lang] in text) is (verdict == "good"), text
    before_after = {
        "en": f"3 before → {answered.confidence_after} after",
        "de": "vorher 3 → nachher",
    }
    assert before_after[lang] in text
    if useful == 1:
        assert "BNI Mitte" in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_without_a_confidence_before_only_the_one_after_is_shown(
    renderer: Renderer, lang: str
) -> None:
    answered = reflection(4, "yes", 2, "yes", after=4)
    view = {"event": None, "reflection": answered, "verdict": "good", "confidence_before": None}
    view["network"] = None
    html = renderer.render_one(
        lang, "reflect/summary", profile={}, answers={}, view=view, lang=lang, resume_title=None
    )
    text = visible_text(html)
    assert {"en": "Confidence afterwards: 4/5", "de": "Selbstvertrauen nachher: 4/5"}[lang] in text
