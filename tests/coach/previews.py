"""Rendering one step of a dialog for a user with some events, as the bot would show it: for
tests of what a screen says."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.coach.journal import Event
from bot.engine.conversation import Engine
from bot.engine.telegram_html import visible_text
from bot.store.scratch import scratch_journal


def event(name: str, starts: datetime, goal: str = "exchange", **fields: Any) -> Event:
    """A prepared event, two hours long, made three days before it starts."""
    return Event(
        name=name,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        goal=goal,
        created_at=starts - timedelta(days=3),
        **fields,
    )


def shown(
    engine: Engine,
    lang: str,
    dialog: str,
    step: str,
    now: datetime,
    answers: dict[str, Any] | None = None,
    events: Iterable[Event] = (),
    **profile: Any,
) -> str:
    """The visible text of `dialog`'s `step` for a user with `events` (and `profile` fields)."""
    with scratch_journal() as records:
        for item in events:
            records.save_event(item)
        session = engine.new_session(1, lang)
        for key, value in profile.items():
            setattr(session.profile, key, value)
        messages = engine.preview(session, dialog, step, answers or {}, now, records)
    return "\n".join(visible_text(m.html) for m in messages)
