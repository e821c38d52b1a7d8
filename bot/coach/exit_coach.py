"""Effects, views and buttons of the `/exit` dialog: which line to show, in which tone."""

from __future__ import annotations

from typing import Any

from bot.coach.exit_lines import ExitLibrary
from bot.engine.domain import Domain, StepContext

SITUATION, INDEX, TONE = "situation", "line_index", "tone"


def exit_domain(library: ExitLibrary) -> Domain:
    def situations(ctx: StepContext) -> list[tuple[str, str]]:
        return [(key, s.label) for key, s in library[ctx.lang].situations.items()]

    def first_line(ctx: StepContext) -> None:
        ctx.answers[INDEX] = 0
        ctx.answers.setdefault(TONE, "warm")

    def next_line(ctx: StepContext) -> None:
        ctx.answers[INDEX] = int(ctx.answers.get(INDEX, 0)) + 1

    def toggle_tone(ctx: StepContext) -> None:
        ctx.answers[TONE] = "brief" if ctx.answers.get(TONE, "warm") == "warm" else "warm"

    def line_view(ctx: StepContext) -> dict[str, Any]:
        lines = library[ctx.lang]
        key = ctx.answers[SITUATION]
        if key not in lines.situations:  # content edited since: start again with the first one
            key = next(iter(lines.situations))
        situation = lines.situations[key]
        index = int(ctx.answers.get(INDEX, 0))
        line = lines.line(key, index)
        tone = ctx.answers.get(TONE, "warm")
        return {
            "situation": situation.label,
            "line": line.warm if tone == "warm" else line.brief,
            "technique": lines.techniques[line.technique],
            "tip": situation.tip,
            "only_if": line.only_if,
            "tone": tone,
            "number": index % len(situation.lines) + 1,
            "of": len(situation.lines),
        }

    return Domain(
        effects={
            "first_exit_line": first_line,
            "next_exit_line": next_line,
            "toggle_exit_tone": toggle_tone,
        },
        views={"exit_line": line_view},
        option_providers={"exit_situations": situations},
    )
