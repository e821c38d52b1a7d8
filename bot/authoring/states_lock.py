"""`dialogs/states.lock`: the states every dialog had at the last release.

Users' sessions store the name of the step they are on. When a coach renames or removes a step,
users stored there must be moved (`moved: {old: new}` in the dialog file) or they restart the
dialog; `exit-coach check` compares the dialogs with this lock so that neither happens by accident.
`exit-coach lock-states` rewrites it (at a release, or to accept a removal).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.engine.source_lines import SafeLoader
from bot.engine.spec import DialogSpec

LOCK_FILE = "states.lock"
HEADER = """\
# The states of every dialog as of the last release, written by `exit-coach lock-states`.
# `exit-coach check` fails when one of them disappears without a `moved:` entry in its dialog
# file, because users may be stored in it. Commit this file; do not edit it by hand.
"""


def lock_path(dialogs_dir: Path) -> Path:
    return dialogs_dir / LOCK_FILE


def current_states(specs: Mapping[str, DialogSpec]) -> dict[str, list[str]]:
    """Each dialog's states in file order, dialogs sorted by name."""
    return {name: list(specs[name].states) for name in sorted(specs)}


def write_lock(dialogs_dir: Path, specs: Mapping[str, DialogSpec]) -> Path:
    path = lock_path(dialogs_dir)
    body = yaml.safe_dump(current_states(specs), sort_keys=False, allow_unicode=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def read_lock(dialogs_dir: Path) -> dict[str, list[str]] | None:
    """The locked states, or None when there is no lock yet (nothing to compare with)."""
    path = lock_path(dialogs_dir)
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name): [str(state) for state in states or []] for name, states in data.items()}


def vanished_states(dialogs_dir: Path, specs: Mapping[str, DialogSpec]) -> list[str]:
    """Every locked state that is gone without a `moved` entry, with what to do about it."""
    locked = read_lock(dialogs_dir)
    if locked is None:
        return []
    lines = _lock_lines(lock_path(dialogs_dir))
    accept = "or run `exit-coach lock-states` to accept"
    problems = []
    for name, states in locked.items():
        spec = specs.get(name)
        if spec is None:
            problems.append(
                f"dialogs/{name}.yaml is gone (listed in dialogs/{LOCK_FILE}:"
                f"{lines.get((name, None), 1)}): users in it go to the menu; restore it, {accept}"
            )
            continue
        new_states = [s for s in spec.states if s not in states]
        for state in states:
            if state in spec.states or state in spec.moved:
                continue
            guess = difflib.get_close_matches(state, new_states or list(spec.states), n=1)
            if not guess and len(new_states) == 1:
                guess = new_states  # the one state that is new is the likeliest rename
            target = guess[0] if guess else "<new state>"
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            problems.append(
                f"dialogs/{spec.source} state '{state}' (dialogs/{LOCK_FILE}:"
                f"{lines.get((name, state), 1)}) is gone without a `moved` entry: users stored "
                f"there would restart '{name}' from its start. If it was renamed or replaced, "
                f"add `moved: {{{state}: {target}}}`{hint}, {accept} the restart"
            )
    return problems


def _lock_lines(path: Path) -> dict[tuple[str, str | None], int]:
    """Line numbers of each dialog and state in the lock file, for messages."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    lines: dict[tuple[str, str | None], int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key, value in node.value:
        lines[(key.value, None)] = key.start_mark.line + 1
        if isinstance(value, yaml.SequenceNode):
            for item in value.value:
                lines[(key.value, item.value)] = item.start_mark.line + 1
    return lines
