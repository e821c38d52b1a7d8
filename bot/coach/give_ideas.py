"""When the user does not know what to give: three ideas that fit the event's goal, to pick or
skip. The cheat sheet then shows the idea in the user's language, never the shrug.

COACHING.md §1: "give first, then take" stays the top principle (an introduction, a tip, a
resource); §3: where the user does not know, the coach helps with concrete ideas.
The words of each idea live in `prompts/<lang>/prepare/_give_idea.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.coach.unsure import is_unsure
from bot.engine.domain import Domain, StepContext

GIVE_IDEAS = ("tip", "introduction", "resource", "question")
# The three ideas offered for each goal of the event, the best fitting first.
IDEAS_BY_GOAL = {
    "customers": ("tip", "resource", "question"),
    "cooperations": ("introduction", "tip", "question"),
    "exchange": ("tip", "resource", "question"),
    "inspiration": ("question", "resource", "introduction"),
    "tryout": ("question", "tip", "introduction"),
}
DEFAULT_IDEA = "question"  # a give anyone can bring: a good question, and listening


def ideas_for(goal: str | None) -> tuple[str, ...]:
    return IDEAS_BY_GOAL.get(goal or "", IDEAS_BY_GOAL["exchange"])


def chosen_give(answers: dict[str, Any]) -> tuple[str | None, str | None]:
    """(what the user typed to give, the idea they picked): the typed give when it names
    something, else the idea (None when they skipped the ideas too)."""
    typed = answers.get("give")
    if typed and not is_unsure(str(typed)):
        return str(typed), None
    idea = answers.get("give_idea")
    return None, idea if idea in GIVE_IDEAS else None


def sheet_give(give: str | None, idea: str | None) -> tuple[str | None, str]:
    """What the cheat sheet shows: the typed give, or an idea (a shrug kept by an older
    version is never shown; with nothing at all, the good question)."""
    if give and not is_unsure(give):
        return give, ""
    return None, idea if idea in GIVE_IDEAS else DEFAULT_IDEA


def give_ideas_domain(labels: Callable[[str, str], str]) -> Domain:
    def unsure(ctx: StepContext) -> bool:
        return is_unsure(ctx.answers.get("give"))

    def options(ctx: StepContext) -> list[tuple[str, str]]:
        return [
            (idea, labels(ctx.lang, f"give_idea_{idea}"))
            for idea in ideas_for(ctx.answers.get("goal"))
        ]

    def view(ctx: StepContext) -> dict[str, Any]:
        return {"ideas": list(ideas_for(ctx.answers.get("goal")))}

    return Domain(
        conditions={"give_unsure": unsure},
        views={"give_ideas": view},
        option_providers={"give_ideas": options},
    )
