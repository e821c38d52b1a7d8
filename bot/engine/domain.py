"""The seam between the engine and the coaching domain: named effects, conditions and views.

Dialog files name these; the composition root hands the engine a `Domain` that maps each name to
a function, and `exit-coach check` fails when a dialog names one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.engine.session import Frame, Session


@dataclass(frozen=True)
class Attachment:
    """A file to send after the step's text: a picture (a journal chart) or a document.

    `content` may be a function that makes the bytes (None: nothing to send): CPU-heavy work such
    as drawing a chart then runs in a worker thread after the commit, never on the event loop.
    """

    content: bytes | Callable[[], bytes | None]
    filename: str
    kind: str = "photo"  # or "document"


@dataclass
class StepContext:
    """What an effect, condition or view may see and change for the update in hand."""

    session: Session
    frame: Frame
    lang: str
    now: datetime
    records: list[Any] = field(default_factory=list)  # domain records to persist with the session
    flags: set[str] = field(default_factory=set)  # engine signals, e.g. "refresh the keyboard"
    attachments: list[Attachment] = field(default_factory=list)  # pictures to send after the text
    records_store: Any = None  # the user's records, for the domain (opaque to the engine)

    @property
    def answers(self) -> dict[str, Any]:
        return self.frame.answers


@dataclass(frozen=True)
class PlanReminder:
    """Ask the store to send `dialog` (started with `answers`) at `due_at`; one per `key`, so
    planning the same key again moves the reminder instead of adding one."""

    key: str
    due_at: datetime
    dialog: str
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CancelReminders:
    """Drop the user's unsent reminders whose key starts with `key_prefix`."""

    key_prefix: str


@dataclass(frozen=True)
class StartWith:
    """What a file the user sent starts: `dialog`, with `answers` already given."""

    dialog: str
    answers: dict[str, Any] = field(default_factory=dict)


Effect = Callable[[StepContext], None]
Condition = Callable[[StepContext], bool]
View = Callable[[StepContext], dict[str, Any]]
OptionProvider = Callable[[StepContext], list[tuple[str, str]]]  # (option id, label)
Parser = Callable[[str, StepContext], Any]  # typed text → answer; raises InvalidInput
# Typed text at a choice step → the id of the button it means, or None (see StateSpec.typed).
Reader = Callable[[str, StepContext], str | None]
# A file's bytes → the dialog it starts; raises InvalidInput when it cannot be read
DocumentReader = Callable[[bytes, Session, datetime], StartWith]


@dataclass
class Domain:
    effects: dict[str, Effect] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    option_providers: dict[str, OptionProvider] = field(default_factory=dict)
    parsers: dict[str, Parser] = field(default_factory=dict)  # by input kind: datetime, duration
    readers: dict[str, Reader] = field(default_factory=dict)  # by name, for a step's `typed:`
    documents: dict[str, DocumentReader] = field(default_factory=dict)  # by file suffix: "ics"
    # Dialogs the code starts by name (a planned reminder's dialog), so that start-up and
    # `exit-coach check` can tell a coach who renamed or removed one.
    dialogs: set[str] = field(default_factory=set)
