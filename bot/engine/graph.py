"""A dialog's steps and ways on as a graph, so a coach can see the paths they wrote.

`edges` is the one description of the arrows: the Mermaid and Graphviz texts here, the SVG
drawing (bot/authoring/svg.py) and the transcript coverage (bot/authoring/coverage.py) all use
it, so a diagram and a coverage report always name the same transitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.spec import DialogSpec

END = "[*]"  # the dialog ends (a final step, or a button that starts another dialog)


@dataclass(frozen=True)
class Edge:
    """One way from a step: to another step, or out of the dialog (`target` is END)."""

    source: str
    target: str
    label: str  # "" (always), "if <condition>", a button's id, "back", "then <dialog>"…
    kind: str  # "next", "option", "back", "start" (a button starts a dialog), "final"

    @property
    def is_transition(self) -> bool:
        """Arrows a user takes by answering (coverage counts these; a final step's end is
        reached with the step itself)."""
        return self.kind != "final"

    def describe(self) -> str:
        return f"{self.source} → {self.target}" + (f" ({self.label})" if self.label else "")


def edges(spec: DialogSpec) -> list[Edge]:
    """Every arrow of the dialog, in file order."""
    found: list[Edge] = []
    for name, state in spec.states.items():
        for route in state.next:
            found.append(Edge(name, route.to, f"if {route.when}" if route.when else "", "next"))
        for option in state.options:
            for route in option.next:
                label = option.id + (f" if {route.when}" if route.when else "")
                found.append(Edge(name, route.to, label, "option"))
            if option.start:
                found.append(Edge(name, END, f"{option.id} (starts {option.start})", "start"))
        if state.back:
            found.append(Edge(name, state.back, "back", "back"))
        if state.final:
            found.append(Edge(name, END, f"then {state.then}" if state.then else "", "final"))
    return list(dict.fromkeys(found))  # two routes alike (e.g. via a condition) are one arrow


def final_states(spec: DialogSpec) -> list[str]:
    return [name for name, state in spec.states.items() if state.final]


def mermaid(spec: DialogSpec) -> str:
    """A Mermaid state diagram (GitHub renders it in Markdown)."""
    lines = [
        "stateDiagram-v2",
        f"    %% dialog {spec.dialog} ({spec.source})",
        f"    [*] --> {spec.start}",
    ]
    for edge in edges(spec):
        label = f": {edge.label}" if edge.label else ""
        lines.append(f"    {edge.source} --> {edge.target}{label}")
    return "\n".join(lines)


def dot(spec: DialogSpec) -> str:
    """Plain Graphviz text: `dot -Tsvg` (or any Graphviz viewer) draws it."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"digraph {quoted(spec.dialog)} {{",
        f"    // dialog {spec.dialog} ({spec.source})",
        "    rankdir=TB;",
        '    node [shape=box, style=rounded, fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
        '    "__start__" [shape=point, width=0.2, label=""];',
        '    "__end__" [shape=doublecircle, width=0.15, label="", style=filled, fillcolor=black];',
    ]
    finals = set(final_states(spec))
    for name in spec.states:
        style = ", penwidth=2" if name == spec.start else ""
        style += ", peripheries=2" if name in finals else ""
        lines.append(f"    {quoted(name)} [label={quoted(name)}{style}];")
    lines.append(f'    "__start__" -> {quoted(spec.start)} [label="start"];')
    for edge in edges(spec):
        target = "__end__" if edge.target == END else edge.target
        attributes = [f"label={quoted(edge.label)}"] if edge.label else []
        if edge.kind == "back":
            attributes.append("style=dashed")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"    {quoted(edge.source)} -> {quoted(target)}{suffix};")
    lines.append("}")
    return "\n".join(lines)
