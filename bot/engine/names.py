"""Names a dialog file uses that the code must provide: effects, conditions, views, buttons.

Checked for every dialog at once before the machines are built, so a coach sees each misspelt
name with its file, line and step and a guess, instead of the first one only.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.domain import Domain
from bot.engine.source_lines import did_you_mean
from bot.engine.spec import DialogSpec


def unknown_names(specs: Mapping[str, DialogSpec], domain: Domain) -> list[str]:
    problems = []
    for spec in specs.values():
        for name, state in spec.states.items():
            uses: list[tuple[tuple[object, ...], str, str, Mapping[str, object]]] = [
                (("effects",), "effect", effect, domain.effects) for effect in state.effects
            ]
            for index, option in enumerate(state.options):
                uses += [
                    (("options", index, "effects"), "effect", effect, domain.effects)
                    for effect in option.effects
                ]
                uses += [
                    (("options", index, "next"), "condition", r.when, domain.conditions)
                    for r in option.next
                    if r.when
                ]
            uses += [
                (("next", index, "if"), "condition", route.when, domain.conditions)
                for index, route in enumerate(state.next)
                if route.when
            ]
            if state.view:
                uses.append((("view",), "view", state.view, domain.views))
            if state.options_from:
                uses.append(
                    (
                        ("options_from",),
                        "button provider",
                        state.options_from,
                        domain.option_providers,
                    )  # fmt: skip
                )
            if state.typed:
                uses.append((("typed",), "reader", state.typed, domain.readers))
            for path, kind, used, known in uses:
                if used not in known:
                    guess = did_you_mean(used, known) or " (docs/dialogs.md lists the names)"
                    problems.append(
                        f"{spec.where('states', name, *path)}: unknown {kind} '{used}'{guess}"
                    )
    return problems
