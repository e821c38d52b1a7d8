"""The user's own self-introduction, as it will be said: at most 20 words is one breath in a
noisy room (COACHING.md: a short introduction that ends with a question back). A longer one is
not refused; the coach shows it as it would be said, counts its words, and lets the user
shorten it or keep it."""

from __future__ import annotations

from typing import Any

from bot.coach.exit_lines import word_count
from bot.coach.wording import spoken
from bot.engine.domain import Domain, StepContext

MOST_SPOKEN_WORDS = 20


def said_aloud(lang: str, text: str | None) -> str:
    """The introduction as the cheat sheet shows it (no emoji or chat slang)."""
    return spoken(lang, text, sentences=True)


def own_intro_domain() -> Domain:
    def too_long(ctx: StepContext) -> bool:
        said = said_aloud(ctx.lang, ctx.answers.get("intro_text"))
        return word_count(said) > MOST_SPOKEN_WORDS

    def view(ctx: StepContext) -> dict[str, Any]:
        said = said_aloud(ctx.lang, ctx.answers.get("intro_text"))
        return {"said": said, "words": word_count(said), "most": MOST_SPOKEN_WORDS}

    return Domain(conditions={"intro_too_long": too_long}, views={"own_intro": view})
