"""The authoring subcommands' bodies, kept out of bot/cli.py (which only parses arguments)."""

from __future__ import annotations

import sys

from bot.config import Settings


def lock_states_command(settings: Settings) -> int:
    """Write dialogs/states.lock from the dialog files as they are now."""
    from bot.authoring.states_lock import read_lock, write_lock
    from bot.engine.errors import ExitCoachError
    from bot.engine.spec import load_dialogs

    try:
        specs = load_dialogs(settings.dialogs_dir)
    except ExitCoachError as exc:
        print(f"✗ {exc}\nFix the dialog files first (`exit-coach check`).", file=sys.stderr)
        return 1
    before = read_lock(settings.dialogs_dir) or {}
    path = write_lock(settings.dialogs_dir, specs)
    dropped = [
        f"{name}/{state}"
        for name, states in before.items()
        for state in states
        if name not in specs or state not in specs[name].states
    ]
    print(f"✓ wrote {path} ({sum(len(s.states) for s in specs.values())} states)")
    if dropped:
        print(f"  no longer listed: {', '.join(dropped)}")
    return 0
