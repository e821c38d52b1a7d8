"""Effects every dialog can use, whatever the domain: they change the engine's own state."""

from __future__ import annotations

from typing import Any

from bot.engine.domain import StepContext
from bot.engine.machines import BEGIN
from bot.engine.render import Renderer
from bot.engine.turn import KEYBOARD_FLAG


def builtin_effects(renderer: Renderer) -> dict[str, Any]:
    def set_language(ctx: StepContext) -> None:
        ctx.session.language = renderer.language(ctx.answers.get("language"))
        ctx.flags.add(KEYBOARD_FLAG)

    def start_fresh(ctx: StepContext) -> None:
        ctx.frame.answers.clear()

    def restart_suspended(ctx: StepContext) -> None:
        if ctx.session.suspended:
            interrupted = ctx.session.suspended[-1]
            interrupted.state = BEGIN  # entered afresh (with its entry effects) on resume
            interrupted.answers = {}

    return {
        "set_language": set_language,
        "restart_suspended": restart_suspended,
        "start_fresh": start_fresh,
    }


def builtin_option_providers(renderer: Renderer) -> dict[str, Any]:
    """`options_from: languages`: one button per folder in `prompts/`, named by its
    `language.yaml`, so a new language is offered without touching a dialog."""

    def languages(ctx: StepContext) -> list[tuple[str, str]]:
        return [(code, renderer.info[code].button) for code in renderer.languages]

    return {"languages": languages}
