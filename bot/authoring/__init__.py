"""Tools for the people who write the dialogs: diagrams, transcript tests, coverage, recording."""
