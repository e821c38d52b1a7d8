"""Machines are built once with model=None; a cursor is attached per update and removed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.conversation import Engine
from bot.engine.domain import StepContext
from bot.engine.errors import DialogSpecError
from bot.engine.machines import BEGIN, DialogMachine
from bot.engine.session import Frame, Session
from bot.engine.spec import DialogSpec


def context() -> StepContext:
    session = Session(user_id=1)
    return StepContext(session, Frame(dialog="x", state="a"), "en", datetime.now(UTC))


def test_no_auto_transitions_and_no_lasting_models(engine: Engine) -> None:
    machine = engine.machines["exit"]
    assert machine.machine.models == []  # model=None: the machine owns no model
    assert not any(t.startswith("to_") for t in machine.machine.events)
    ctx = context()
    for _ in range(100):
        assert machine.fire("line", "pick_another", ctx) == "line"
    assert machine.machine.models == []  # no cursor was ever added


def test_unknown_trigger_is_an_error_not_a_silent_move(engine: Engine) -> None:
    from transitions import MachineError

    with pytest.raises(MachineError):
        engine.machines["exit"].fire("situation", "pick_another", context())


def test_conditions_pick_the_first_route_that_holds() -> None:
    from bot.engine.domain import Domain

    spec = DialogSpec.model_validate(
        {
            "dialog": "x",
            "start": "a",
            "states": {
                "a": {
                    "prompt": "p",
                    "input": "text",
                    "next": [{"to": "b", "if": "is_big"}, {"to": "c"}],
                },
                "b": {"final": True},
                "c": {"final": True},
            },
        }
    )
    machine = DialogMachine(spec, Domain(conditions={"is_big": lambda ctx: ctx.answers["n"] > 5}))
    ctx = context()
    assert machine.fire(BEGIN, "begin", ctx) == "a"
    ctx.frame.answers["n"] = 9
    assert machine.fire("a", "submit", ctx) == "b"
    ctx.frame.answers["n"] = 1
    assert machine.fire("a", "submit", ctx) == "c"


def test_unknown_effect_is_named() -> None:
    from bot.engine.domain import Domain

    spec = DialogSpec.model_validate(
        {"dialog": "x", "start": "a", "states": {"a": {"final": True, "effects": ["nope"]}}}
    )
    with pytest.raises(DialogSpecError, match="unknown effect"):
        DialogMachine(spec, Domain())

