"""Which variables a template reads, and whether the languages' versions read the same ones.

A German template that shows `answers.goal` while the English one shows `answers.goals` is
a translation that drifted: one of them prints the wrong thing or fails for a user. jinja's
syntax tree names every variable; dotted paths (`view.line`) are compared, loop variables and
`{% set %}` names are not (they are the template's own, and a partial may read a name its
language sets for itself, such as German's `du` for Du or Sie).
"""

from __future__ import annotations

from jinja2 import meta, nodes

from bot.engine.render import Renderer


def variable_paths(tree: nodes.Template) -> dict[str, int]:
    """Each variable path read from outside the template (`answers.goal`) → its first line."""
    outside = meta.find_undeclared_variables(tree)
    paths: dict[str, int] = {}
    attribute_roots: set[int] = set()
    for node in tree.find_all(nodes.Getattr):
        chain, inner = [node.attr], node.node
        while isinstance(inner, nodes.Getattr):
            chain.append(inner.attr)
            attribute_roots.add(id(inner))
            inner = inner.node
        if isinstance(inner, nodes.Name) and inner.name in outside:
            attribute_roots.add(id(inner))
            if id(node) not in attribute_roots:
                path = ".".join([inner.name, *reversed(chain)])
                paths.setdefault(path, node.lineno)
    for name_node in tree.find_all(nodes.Name):
        if name_node.name in outside and id(name_node) not in attribute_roots:
            paths.setdefault(name_node.name, name_node.lineno)
    return paths


def drifted_variables(renderer: Renderer, reference: str, lang: str) -> list[str]:
    """Templates of `lang` that read other variables than the same template of `reference`."""
    problems = []
    shared = sorted(renderer.template_names(reference) & renderer.template_names(lang))
    trees = {(x, t): renderer.parse(x, t) for x in (reference, lang) for t in shared}
    own: dict[str, set[str]] = {reference: set(), lang: set()}
    for (x, _), tree in trees.items():
        own[x] |= _set_names(tree)
    for template in shared:
        ours = _without(variable_paths(trees[reference, template]), own[reference])
        theirs = _without(variable_paths(trees[lang, template]), own[lang])
        for path in sorted(set(theirs) - set(ours)):
            problems.append(
                f"prompts/{lang}/{template}.html:{theirs[path]}: uses '{path}', which "
                f"prompts/{reference}/{template}.html does not: same variables in every language"
            )
        for path in sorted(set(ours) - set(theirs)):
            problems.append(
                f"prompts/{lang}/{template}.html: does not use '{path}', which "
                f"prompts/{reference}/{template}.html:{ours[path]} does: same variables in every "
                "language"
            )
    return problems


def _set_names(tree: nodes.Template) -> set[str]:
    """Names a template sets with `{% set name = … %}`."""
    names = set()
    for assign in tree.find_all(nodes.Assign):
        if isinstance(assign.target, nodes.Name):
            names.add(assign.target.name)
        names |= {name.name for name in assign.target.find_all(nodes.Name)}
    return names


def _without(paths: dict[str, int], local: set[str]) -> dict[str, int]:
    return {path: line for path, line in paths.items() if path.split(".", 1)[0] not in local}
