"""Tools for coaches who write dialogs and prompts: checks, locks, statistics."""
