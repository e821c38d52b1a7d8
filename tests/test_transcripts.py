"""Replay the conversations in tests/transcripts/*.yaml through the real engine and store.

Each step is one user action and what the bot must show (substrings of the visible text, in
order). A coach can read and write these files. A step `event: {name, starts_in_minutes,
minutes, online, goal, exit_situations}` puts an event in the user's journal, as if prepared earlier.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.coach.journal import Event
from bot.engine.io import Reply
from bot.reminders import ReminderRunner
from bot.service import ConversationService
from bot.store.reminders import ReminderStore
from tests.conftest import Clock, write_records
from tests.dialog_client import DialogClient

TRANSCRIPTS = sorted((Path(__file__).parent / "transcripts").glob("*.yaml"))
SCRIPTS = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in TRANSCRIPTS}


async def _add_event(service: ConversationService, user_id: int, now: Any, spec: dict) -> None:
    starts = now + timedelta(minutes=spec.get("starts_in_minutes", 0))
    event = Event(
        name=spec["name"],
        starts_at=starts,
        ends_at=starts + timedelta(minutes=spec.get("minutes", 120)),
        goal=spec.get("goal", "exchange"),
        online=spec.get("online"),
        exit_situations=spec.get("exit_situations", []),
        created_at=now,
    )
    await write_records(service, user_id, lambda records: records.save_event(event))


def _as_list(value: Any) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
async def test_transcript(path: Path, service: ConversationService, clock: Clock) -> None:
    script = SCRIPTS[path]
    client = DialogClient(service, language=script.get("language", "en"))
    reminders = ReminderRunner(service, ReminderStore(service.store.engine))
    for number, step in enumerate(script["steps"], start=1):
        if "wait_minutes" in step:
            clock.advance(minutes=step["wait_minutes"])
        if "event" in step:
            await _add_event(service, client.user_id, clock.now, step["event"])
            continue
        if "reminders" in step:
            delivered: list[Reply] = []

            async def collect(reply: Reply, delivered: list[Reply] = delivered) -> None:
                delivered.append(reply)

            sent = await reminders.run_due(lambda _user: collect, user_id=client.user_id)
            assert sent == step["reminders"], (
                f"{path.name} step {number}: {sent} sent:\n{client.describe(Reply([m for r in delivered for m in r.messages]))}"
            )
            client.replies.append(Reply([m for reply in delivered for m in reply.messages]))
        elif "send" in step:
            await client.send(str(step["send"]))
        elif "tap" in step:
            await client.tap(str(step["tap"]), replies_ago=step.get("replies_ago", 0))
        elif "tap_data" in step:
            await client.tap_data(step["tap_data"])
        elif "other" in step:
            await client.send_other(step["other"])
        elif "wait_minutes" not in step and "reminders" not in step:
            raise AssertionError(f"{path.name} step {number}: no action in {step}")
        if "wait_minutes" in step and len(step) == 1:
            continue
        where = f"{path.name} step {number} ({step})\n--- bot said ---\n{client.text}\n---"
        position = 0
        for expected in _as_list(step.get("expect")):
            found = client.text.find(expected, position)
            assert found >= 0, f"{where}\nexpected (in order): {expected!r}"
            position = found + len(expected)
        for unexpected in _as_list(step.get("absent")):
            assert unexpected not in client.text, f"{where}\nmust not contain: {unexpected!r}"
        if "toast" in step:
            assert client.replies[-1].toast and step["toast"] in client.replies[-1].toast, where
