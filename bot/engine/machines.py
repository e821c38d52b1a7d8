"""One `transitions` machine per dialog, built once; a short-lived cursor per update.

transitions keeps per-model state inside the machine and scales badly with many models (its FAQ;
issues #434, #146), so no user ever owns a machine or a lasting model: each update makes a
`Cursor` at the stored state, fires one trigger by name through the machine's `Event` for it and
reads the new state. The cursor is never added to the machine: `add_model` would decorate it
with a method per trigger and per state (`is_<state>`, `may_<trigger>`), dozens of attributes set
and removed again on every update, and it was a quarter of the engine's time per update.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from transitions import EventData, Machine, MachineError, State

from bot.engine.domain import Domain, StepContext
from bot.engine.errors import DialogSpecError
from bot.engine.spec import DialogSpec, Option, Route, StateSpec

BEGIN = "_begin"  # hidden state before the first step, so entering the start state runs its effects
BEGIN_TRIGGER = "begin"
SUBMIT = "submit"
BACK = "back"


def option_trigger(option_id: str) -> str:
    return f"pick_{option_id}"


class Cursor:
    """The short-lived model: just a state, and the step context while a trigger runs."""

    __slots__ = ("state", "ctx")

    def __init__(self, state: str, ctx: StepContext | None) -> None:
        self.state = state
        self.ctx = ctx


class DialogMachine:
    """A dialog's compiled machine; `fire` moves a frame from its state by a named trigger."""

    def __init__(self, spec: DialogSpec, domain: Domain) -> None:
        self.spec = spec
        self._domain = domain
        states = [State(BEGIN)] + [
            State(name, on_enter=self._effects(state.effects) if _runs_on_entry(state) else None)
            for name, state in spec.states.items()
        ]
        self.machine = Machine(
            model=None,
            states=states,
            initial=BEGIN,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )
        self.machine.add_transition(BEGIN_TRIGGER, BEGIN, spec.start)
        for name, state in spec.states.items():
            self._add_routes(SUBMIT, name, state.next, self._answer_effects(state, []))
            for option in state.options:
                if has_own_trigger(option):
                    effects = self._answer_effects(state, option.effects)
                    routes = option.next or state.next
                    self._add_routes(option_trigger(option.id), name, routes, effects)
            if state.back:
                self.machine.add_transition(BACK, name, state.back)

    def _answer_effects(
        self, state: StateSpec, extra: list[str]
    ) -> list[str | Callable[..., bool | None]]:
        """Effects run when an answer moves the dialog on (state's first, then the option's)."""
        names = ([] if _runs_on_entry(state) else state.effects) + extra
        return [self._effects(names)] if names else []

    def _add_routes(
        self,
        trigger: str,
        source: str,
        routes: list[Route],
        after: list[str | Callable[..., bool | None]],
    ) -> None:
        for route in routes:
            conditions: list[str | Callable[..., bool | None]] = (
                [self._condition(route.when)] if route.when else []
            )
            self.machine.add_transition(
                trigger, source, route.to, conditions=conditions, after=after
            )

    def _condition(self, name: str) -> Callable[[EventData], bool]:
        try:
            condition = self._domain.conditions[name]
        except KeyError:
            raise DialogSpecError(f"{self.spec.source}: unknown condition '{name}'") from None
        return lambda event: condition(_context(event))

    def _effects(self, names: list[str]) -> Callable[[EventData], None]:
        missing = [name for name in names if name not in self._domain.effects]
        if missing:
            raise DialogSpecError(f"{self.spec.source}: unknown effect(s) {missing}")
        effects = [self._domain.effects[name] for name in names]

        def run(event: EventData) -> None:
            for effect in effects:
                effect(_context(event))

        return run

    def fire(self, state: str, trigger: str, ctx: StepContext) -> str | None:
        """Fire `trigger` from `state`; the new state, or None if no route's condition held.
        Raises MachineError for a trigger that does not leave `state`, as `model.trigger` would.
        """
        event = self.machine.events.get(trigger)
        if event is None:
            raise MachineError(f"{self.spec.dialog}: no trigger '{trigger}'")
        cursor = Cursor(state, ctx)
        moved = event.trigger(cursor)
        return cursor.state if moved else None

    def triggers(self, state: str) -> list[str]:
        return list(self.machine.get_triggers(state))


def _context(event: EventData) -> StepContext:
    ctx = cast(Cursor, event.model).ctx
    if ctx is None:
        raise RuntimeError("a trigger fired without a step context")
    return ctx


def has_own_trigger(option: Option) -> bool:
    """Options with their own route or effects get a trigger of their own."""
    return bool(option.next or option.effects) and not option.start


def _runs_on_entry(state: StateSpec) -> bool:
    """Steps without input (messages, final steps) run their effects when entered."""
    return state.final or state.input == "none"


def build_machines(specs: dict[str, DialogSpec], domain: Domain) -> dict[str, DialogMachine]:
    return {name: DialogMachine(spec, domain) for name, spec in specs.items()}
