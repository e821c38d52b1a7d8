"""A dialog as a Mermaid state diagram, so a coach can see the paths they wrote."""

from __future__ import annotations

from bot.engine.spec import DialogSpec


def mermaid(spec: DialogSpec) -> str:
    lines = [
        "stateDiagram-v2",
        f"    %% dialog {spec.dialog} ({spec.source})",
        f"    [*] --> {spec.start}",
    ]
    for name, state in spec.states.items():
        for route in state.next:
            lines.append(
                f"    {name} --> {route.to}" + (f": if {route.when}" if route.when else "")
            )
        for option in state.options:
            for route in option.next:
                lines.append(f"    {name} --> {route.to}: {option.id}")
            if option.start:
                lines.append(f"    {name} --> [*]: {option.id} (starts {option.start})")
        if state.back:
            lines.append(f"    {name} --> {state.back}: back")
        if state.final:
            lines.append(f"    {name} --> [*]" + (f": then {state.then}" if state.then else ""))
    return "\n".join(lines)
