"""One update in the making: the session it changes, the reply it builds, what it stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.engine.domain import Attachment, StepContext
from bot.engine.errors import ExitCoachError
from bot.engine.io import Reply
from bot.engine.session import Frame, Session
from bot.engine.spec import VIEW_PREFIX, StateSpec

KEYBOARD_FLAG = "refresh_exit_keyboard"  # set by an effect: (re)send the one-tap exit button
LEFT = "[*]"  # a Move's target when a button left the dialog to start another one


@dataclass(frozen=True)
class Move:
    """One transition the engine took: in `dialog`, from `source` by `trigger` to `target`
    (the trigger says which button, `submit` or `back`; see engine/machines.py). Kept for the
    coaches' transcript coverage, never stored."""

    dialog: str
    source: str
    trigger: str
    target: str


STATS_LENGTH = 64  # the step history's `choice` column

# A step entered: dialog, state, and the values its `stats:` names (or None), for the history.
Step = tuple[str, str, str | None]


def stats_value(
    state: StateSpec, answers: dict[str, Any], view: dict[str, Any] | None
) -> str | None:
    """What the step's `stats:` names, joined by '/': answers (`situation`) and view values
    (`view.line_id`). Our own ids and numbers only: the dialog file may not name a typed answer
    or a view value other than an `…_id` (see DialogSpec.graph_problems)."""
    if not state.stats:
        return None
    values = []
    for name in state.stats:
        if name.startswith(VIEW_PREFIX):
            values.append(str((view or {}).get(name.removeprefix(VIEW_PREFIX), "")))
        else:
            values.append(str(answers.get(name, "")))
    return "/".join(values)[:STATS_LENGTH]


@dataclass
class Turn:
    """Everything one update changes: the session, the reply, records to store."""

    session: Session
    now: datetime
    reply: Reply = field(default_factory=Reply)
    records: list[Any] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    attachments: list[Attachment] = field(default_factory=list)
    tapped: tuple[str, str] | None = None  # (dialog, state) whose button was tapped
    records_store: Any = None  # the user's records, handed through to the domain
    steps: list[Step] = field(default_factory=list)  # (dialog, state, stats) entered
    view: dict[str, Any] | None = None  # the view of the step shown last, for its stats
    moves: list[Move] = field(default_factory=list)  # the transitions taken, in order

    @property
    def lang(self) -> str:
        return self.session.language

    @property
    def active(self) -> Frame | None:
        return self.session.active


@dataclass
class Outcome:
    reply: Reply
    records: list[Any]
    steps: list[Step] = field(default_factory=list)  # for the step history
    moves: list[Move] = field(default_factory=list)  # for transcript coverage


def require_active(turn: Turn) -> Frame:
    if turn.session.active is None:
        raise ExitCoachError("no active dialog")
    return turn.session.active


def step_context(turn: Turn) -> StepContext:
    """What effects, conditions and views see of the update in hand."""
    return StepContext(
        turn.session,
        require_active(turn),
        turn.lang,
        turn.now,
        turn.records,
        turn.flags,
        turn.attachments,
        turn.records_store,
    )
