"""One exception base for the bot, carrying context notes (dialog, state, user)."""

from __future__ import annotations


class ExitCoachError(Exception):
    """Base of every error this project raises on purpose."""

    def with_context(self, **context: object) -> ExitCoachError:
        """Attach `key=value` notes (PEP 678) so logs say where it happened."""
        for key, value in context.items():
            self.add_note(f"{key}={value!r}")
        return self


class CannotStart(ExitCoachError):
    """The bot cannot start for a reason the operator can fix (a setting, the database, the
    token): the message is a short paragraph naming the setting and what to do, shown without
    a traceback and never carrying a secret."""


class DialogSpecError(ExitCoachError):
    """A dialog file is invalid; the message names the file, the state and the problem."""


class ContentError(ExitCoachError):
    """A template or content file is missing, broken or renders invalid Telegram HTML."""
