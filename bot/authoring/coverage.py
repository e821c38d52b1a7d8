"""Which steps and transitions of each dialog the transcripts exercise (`test-dialogs
--coverage`), measured from what the engine did, not from what the transcripts say.

A transition is an arrow of the diagram (bot/engine/graph.py): a step's `next` (with its
condition), a button's own `next` or `start`, or `back`. When two arrows join the same two steps
by the same trigger (two conditions leading to one step), a move counts for the first of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.authoring.transcripts import Result
from bot.engine.graph import Edge, edges
from bot.engine.machines import BACK, option_trigger
from bot.engine.spec import DialogSpec
from bot.engine.turn import Move

TRANSITIONS_REQUIRED = 0.90  # the CI gate (tests/authoring/test_coverage.py)


def edge_of(spec: DialogSpec, move: Move) -> Edge | None:
    """The diagram's arrow a move went along (None for the hidden step before the start)."""
    state = spec.states.get(move.source)
    if state is None:
        return None
    candidates = [e for e in edges(spec) if e.source == move.source and e.target == move.target]
    if move.trigger == BACK:
        kind, option = "back", None
    else:
        option = next((o for o in state.options if option_trigger(o.id) == move.trigger), None)
        own = option is not None and bool(option.start or option.next)
        kind = ("start" if option.start else "option") if option and own else "next"
    for edge in candidates:
        if edge.kind != kind:
            continue
        if option is not None and kind != "next" and edge.label.split(" ")[0] != option.id:
            continue
        return edge
    return None


@dataclass
class DialogCoverage:
    spec: DialogSpec
    visited: set[str] = field(default_factory=set)
    taken: set[Edge] = field(default_factory=set)

    @property
    def transitions(self) -> list[Edge]:
        return [edge for edge in edges(self.spec) if edge.is_transition]

    @property
    def missing_states(self) -> list[str]:
        return [name for name in self.spec.states if name not in self.visited]

    @property
    def missing_transitions(self) -> list[Edge]:
        return [edge for edge in self.transitions if edge not in self.taken]

    @property
    def file(self) -> str:
        return f"dialogs/{self.spec.source}"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} {100 * part / whole:3.0f} %" if whole else "–"


@dataclass
class Coverage:
    dialogs: dict[str, DialogCoverage]

    @property
    def transitions(self) -> tuple[int, int]:
        taken = sum(len(d.transitions) - len(d.missing_transitions) for d in self.dialogs.values())
        return taken, sum(len(d.transitions) for d in self.dialogs.values())

    @property
    def states(self) -> tuple[int, int]:
        visited = sum(len(d.spec.states) - len(d.missing_states) for d in self.dialogs.values())
        return visited, sum(len(d.spec.states) for d in self.dialogs.values())

    def describe(self) -> str:
        """A table per dialog, then what is missing, for a coach to write the next transcript."""
        lines = [f"{'dialog':<14} {'states':>13}  {'transitions':>13}"]
        for name, dialog in sorted(self.dialogs.items()):
            states = _share(len(dialog.spec.states) - len(dialog.missing_states),
                            len(dialog.spec.states))  # fmt: skip
            moves = _share(len(dialog.transitions) - len(dialog.missing_transitions),
                           len(dialog.transitions))  # fmt: skip
            lines.append(f"{name:<14} {states:>13}  {moves:>13}")
        lines.append(f"{'all':<14} {_share(*self.states):>13}  {_share(*self.transitions):>13}")
        for _name, dialog in sorted(self.dialogs.items()):
            if dialog.missing_states:
                lines.append(f"{dialog.file}: steps never reached: "
                             + ", ".join(dialog.missing_states))  # fmt: skip
            if dialog.missing_transitions:
                missing = "; ".join(e.describe() for e in dialog.missing_transitions)
                lines.append(f"{dialog.file}: transitions never taken: {missing}")
        return "\n".join(lines)

    def gate(
        self, required: float = TRANSITIONS_REQUIRED, excused: Iterable[str] = ()
    ) -> list[str]:
        """What keeps the transcripts from the bar: every step reached (but those `excused`,
        as "dialog.step"), and at least `required` of all transitions taken."""
        problems = [
            f"{d.file}: step '{state}' is never reached by a transcript"
            for name, d in self.dialogs.items()
            for state in d.missing_states
            if f"{name}.{state}" not in set(excused)
        ]
        taken, total = self.transitions
        if total and taken / total < required:
            problems.append(
                f"the transcripts take {taken} of {total} transitions ({100 * taken / total:.0f} %"
                f"), fewer than {100 * required:.0f} %; never taken:"
            )
            problems += [
                f"  {d.file}: {edge.describe()}"
                for d in self.dialogs.values()
                for edge in d.missing_transitions
            ]
        return problems


def measure(specs: dict[str, DialogSpec], results: Iterable[Result]) -> Coverage:
    coverage = Coverage({name: DialogCoverage(spec) for name, spec in specs.items()})
    for result in results:
        for move in result.moves:
            dialog = coverage.dialogs.get(move.dialog)
            if dialog is None:
                continue
            if move.target in dialog.spec.states:
                dialog.visited.add(move.target)
            edge = edge_of(dialog.spec, move)
            if edge is not None:
                dialog.taken.add(edge)
    return coverage
