"""Tools for the people who write the dialogs: checks, the states lock, diagrams, transcript
tests and their coverage, recording, statistics."""
