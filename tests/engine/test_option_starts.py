"""A step's own buttons come after its provider's; a button that starts another dialog can
carry answers into it; leaving an overlay that way ends the overlay instead of pausing it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bot.config import get_settings
from bot.engine import callback_data
from bot.engine.conversation import Engine
from bot.engine.io import Command, Tap
from bot.engine.spec import DialogSpec, Option, load_dialogs

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def with_dialog(engine: Engine, spec: dict[str, object]) -> Engine:
    specs = load_dialogs(get_settings(_env_file=None).dialogs_dir)
    dialog = DialogSpec.model_validate(spec)
    specs[dialog.dialog] = dialog
    return Engine(specs, engine.renderer, engine.domain)


def picker(overlay: bool) -> dict[str, object]:
    """An overlay (like /exit) whose first screen has provided buttons and two of its own."""
    return {
        "dialog": "picker",
        "command": "picker",
        "overlay": overlay,
        "start": "pick",
        "states": {
            "pick": {
                "prompt": "help/show",
                "input": "choice",
                "options_from": "languages",
                "options": [
                    {"id": "note", "label": "exit_done", "start": "followup",
                     "carry": ["contact_name"]},
                    {"id": "help", "label": "exit_done", "start": "help"},
                ],
            },
        },
    }  # fmt: skip


def tap(engine: Engine, session: object, option: str) -> None:
    engine.handle(session, Tap(callback_data.encode(session.step, option)), NOW)  # type: ignore[attr-defined]


def test_a_steps_own_buttons_follow_the_provided_ones(engine: Engine) -> None:
    engine = with_dialog(engine, picker(overlay=True))
    session = engine.new_session(7, "en")
    session.profile.name = "Ada"
    outcome = engine.handle(session, Command("picker"), NOW)
    buttons = [b.data.rsplit(".", 1)[1] for row in outcome.reply.messages[-1].buttons for b in row]
    assert buttons == ["de", "en", "note", "help"]


def test_a_button_carries_answers_into_the_dialog_it_starts(engine: Engine) -> None:
    engine = with_dialog(engine, picker(overlay=False))
    session = engine.new_session(7, "en")
    session.profile.name = "Ada"
    engine.handle(session, Command("picker"), NOW)
    assert session.active is not None
    session.active.answers.update(contact_name="Anna Schmidt", other="not carried")
    tap(engine, session, "note")
    assert session.active is not None and session.active.dialog == "followup"
    assert session.active.state == "address"  # the name was known: not asked again
    assert session.active.answers.get("contact_name") == "Anna Schmidt"
    assert "other" not in session.active.answers


def test_leaving_an_overlay_for_another_dialog_ends_the_overlay(engine: Engine) -> None:
    engine = with_dialog(engine, picker(overlay=True))
    session = engine.new_session(7, "en")
    session.profile.name = "Ada"
    engine.handle(session, Command("followup"), NOW)  # a dialog the overlay pauses
    engine.handle(session, Command("picker"), NOW)
    assert [f.dialog for f in session.suspended] == ["followup"]
    tap(engine, session, "help")  # help is an overlay that ends at once
    # back to what the picker paused, and the picker is gone: not paused under help
    assert session.active is not None and session.active.dialog == "followup"
    assert session.suspended == []


def test_carry_needs_a_dialog_to_carry_to() -> None:
    with pytest.raises(ValidationError, match="'carry' needs 'start'"):
        Option.model_validate({"id": "x", "carry": ["event_id"]})


def test_a_provided_button_still_saves_and_moves_on_beside_the_steps_own(engine: Engine) -> None:
    """The shipped 🚪 screen: its situations, then "Met someone"; a situation still opens its
    line."""
    session = engine.new_session(42, "en")
    session.profile.name = "Ada"
    reply = engine.handle(session, Command("exit"), NOW).reply
    buttons = [b for row in reply.messages[-1].buttons for b in row]
    assert buttons[0].label == "🤝 Join a group" and buttons[-1].label == "🙂 Met someone"
    engine.handle(session, Tap(buttons[0].data), NOW)
    assert session.active is not None and session.active.state == "line"
    assert session.active.answers.get("situation") == buttons[0].data.rsplit(".", 1)[1]
