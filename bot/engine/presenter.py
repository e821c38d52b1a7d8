"""Showing a step: its template rendered with the answers so far, and its buttons.

Buttons carry the session's step number (see callback_data), so a tap on an older message is
recognised as stale.
"""

from __future__ import annotations

from typing import Any

from bot.engine import callback_data
from bot.engine.domain import Domain
from bot.engine.io import Button, OutgoingMessage, fits_one_message
from bot.engine.render import Renderer
from bot.engine.session import Frame
from bot.engine.spec import MENU, DialogSpec, InputKind, StateSpec
from bot.engine.turn import Turn, require_active, step_context

# Buttons the engine adds itself; user-defined ids cannot start with "_".
BACK_ID, SKIP_ID, DONE_ID = "_back", "_skip", "_done"
RATING_PREFIX = "r"


class Presenter:
    def __init__(self, specs: dict[str, DialogSpec], renderer: Renderer, domain: Domain) -> None:
        self.specs = specs
        self.renderer = renderer
        self.domain = domain

    def state(self, frame: Frame) -> StateSpec:
        return self.specs[frame.dialog].states[frame.state]

    def show_step(self, turn: Turn) -> None:
        frame = require_active(turn)
        state = self.state(frame)
        turn.session.step += 1
        assert state.prompt is not None  # the spec guarantees a prompt for input states
        parts = self.renderer.render(turn.lang, state.prompt, **self.context(turn, state))
        edit = (
            not turn.reply.messages
            and len(parts) == 1
            and turn.tapped == (frame.dialog, frame.state)
        )
        turn.reply.say(parts, self.buttons(turn, state), template=state.prompt)
        turn.reply.messages[-1].edit = edit

    def context(self, turn: Turn, state: StateSpec) -> dict[str, Any]:
        frame = require_active(turn)
        view: dict[str, Any] = {}
        if state.view:
            view = self.domain.views[state.view](step_context(turn))
        turn.view = view
        return {
            "profile": turn.session.profile,
            "answers": frame.answers,
            "view": view,
            "lang": turn.lang,
            "resume_title": self.resume_title(turn),
        }

    def resume_title(self, turn: Turn) -> str | None:
        """What the interrupted dialog is called, for "continue with …?" texts; None for the
        menu, which introduces itself ("Back to 'Menu'" above it is noise)."""
        if not turn.session.suspended:
            return None
        dialog = turn.session.suspended[-1].dialog
        if dialog == MENU:
            return None
        return self.renderer.label(turn.lang, f"dialog_{dialog}")

    def options(self, turn: Turn, state: StateSpec) -> list[tuple[str, str]]:
        """The step's buttons: those its provider gives (`options_from`), then its own
        (`options`, each with its own `next`/`start`), so a provided list can end with a fixed
        button."""
        provided: list[tuple[str, str]] = []
        if state.options_from:
            provided = self.domain.option_providers[state.options_from](step_context(turn))
        answers = require_active(turn).answers
        own = [
            (o.id, self.renderer.label(turn.lang, o.label_key, answers=answers))
            for o in state.options
        ]
        return provided + own

    def option_ids(self, turn: Turn, state: StateSpec) -> set[str]:
        return {option_id for option_id, _ in self.options(turn, state)}

    def buttons(self, turn: Turn, state: StateSpec) -> list[list[Button]]:
        step = turn.session.step
        frame = require_active(turn)

        def button(option_id: str, label: str) -> Button:
            return Button(label, callback_data.encode(step, option_id))

        rows: list[list[Button]] = []
        if state.input == InputKind.RATING:
            rows.append([button(f"{RATING_PREFIX}{n}", str(n)) for n in range(1, 6)])
        elif state.input == InputKind.MULTI:
            chosen = set(frame.answers.get(state.save_as or state.name) or [])
            rows += [
                [button(i, f"✅ {label}" if i in chosen else label)]
                for i, label in self.options(turn, state)
            ]
            rows.append([button(DONE_ID, self.renderer.label(turn.lang, "done"))])
        elif state.input == InputKind.CHOICE:
            rows += [[button(i, label)] for i, label in self.options(turn, state)]
        controls = []
        if state.back:
            controls.append(button(BACK_ID, self.renderer.label(turn.lang, "back")))
        if state.optional:
            controls.append(button(SKIP_ID, self.renderer.label(turn.lang, "skip")))
        if controls:
            rows.append(controls)
        return rows

    def say(self, turn: Turn, template: str, **context: Any) -> None:
        base = {"profile": turn.session.profile, "lang": turn.lang}
        turn.reply.say(
            self.renderer.render(turn.lang, template, **{**base, **context}), template=template
        )

    def attach_exit_keyboard(self, turn: Turn) -> None:
        """Put the one-tap exit button on a message without inline buttons (Telegram allows one
        keyboard per message); add a short message for it if every message has buttons."""
        label = self.renderer.label(turn.lang, "exit_button")
        template = "system/exit_keyboard"
        note = self.renderer.render(turn.lang, template)[0]
        for message in turn.reply.messages:
            if not message.buttons and not message.edit and message.plain_or_keyboard():
                message.exit_keyboard = label
                if fits_one_message(note, message.html):  # the button comes with its note
                    message.html = f"{note}\n\n{message.html}"
                    message.template = f"{template}+{message.template}"
                return
        turn.reply.messages.insert(0, OutgoingMessage(note, exit_keyboard=label, template=template))
