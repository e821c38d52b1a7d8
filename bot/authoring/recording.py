"""`exit-coach chat --record session.md [--as-test transcript.yaml]`: keep a terminal session.

The Markdown file reads like the conversation (what the user typed or tapped, what the bot
said, the buttons it offered); the transcript file is a transcript test of the same session
(docs/authoring.md) that `exit-coach test-dialogs` replays. A session recorded as a test starts
on a fresh temporary database, so the replay, which always starts with a new user, sees the same.
The transcript keeps the session's start time (`start:`) and the minutes that passed
(`wait_minutes:`), so dates and reminders come out the same.
"""

from __future__ import annotations

import math
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot.config import Settings
from bot.engine.io import Command, Reply, Tap, Text, UserInput
from bot.engine.telegram_html import visible_text

FRAGMENT_CHARS = 60  # an expected fragment: the start of a line, cut at a word


def fragments(text: str) -> list[str]:
    """What a recorded test expects of a message: its first line and its last (usually the
    question), each short enough to survive small wording changes elsewhere."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    picked = []
    for line in dict.fromkeys(lines[:1] + lines[-1:]):
        if len(line) > FRAGMENT_CHARS:
            line = line[:FRAGMENT_CHARS].rsplit(" ", 1)[0]
        picked.append(line)
    return picked


@dataclass
class Entry:
    """One thing that happened: the user's action (or a reminder) and what the bot showed."""

    step: dict[str, Any]
    said: str  # how the Markdown shows the user's action
    replies: list[Reply] = field(default_factory=list)


class SessionRecorder:
    """Collects a console session; `ConsoleChat` tells it what was typed and shown."""

    def __init__(self, language: str, started: datetime) -> None:
        self.language = language
        self.started = started
        self.entries: list[Entry] = []
        self._waited = 0  # whole minutes already put into the transcript

    def user(
        self, user_input: UserInput, line: str, buttons: dict[str, str], now: datetime
    ) -> None:
        """The user acted: `buttons` maps the data of the buttons on screen to their labels."""
        step = self._wait(now, math.floor)
        match user_input:
            case Tap(data=data) if data in buttons:
                step["tap"] = buttons[data]
                said = f"taps **{buttons[data]}**"
            case Command(name=name, args=args):
                step["send"] = f"/{name}" + (f" {args}" if args else "")
                said = f"sends `{step['send']}`"
            case Text(text=text):
                step["send"] = text
                said = f"writes: {text}"
            case _:
                step["send"] = line
                said = f"writes: {line}"
        self.entries.append(Entry(step, said))

    def reply(self, reply: Reply) -> None:
        if self.entries:
            self.entries[-1].replies.append(reply)

    def reminder(self, reply: Reply, now: datetime) -> None:
        """A reminder came while chatting; reminders in a row are one transcript step."""
        step = self._wait(now, math.ceil)  # the replay's clock must be past the due time
        last = self.entries[-1] if self.entries else None
        if not step and last is not None and "reminders" in last.step:
            last.step["reminders"] += 1
        else:
            step["reminders"] = 1
            last = Entry(step, "gets a reminder")
            self.entries.append(last)
        last.replies.append(reply)

    def _wait(self, now: datetime, rounding: Any) -> dict[str, Any]:
        minutes = max(0, rounding((now - self.started).total_seconds() / 60) - self._waited)
        self._waited += minutes
        return {"wait_minutes": minutes} if minutes else {}

    # -- writing ------------------------------------------------------------------------------

    def markdown(self) -> str:
        lines = [
            f"# Exit Coach session, {self.started:%Y-%m-%d %H:%M} UTC",
            "",
            f"Language: {self.language}. Recorded with `exit-coach chat --record`.",
        ]
        for entry in self.entries:
            wait = entry.step.get("wait_minutes")
            lines += ["", f"*({wait} min later)*"] if wait else []
            lines += ["", f"**You** {entry.said}" if "reminders" not in entry.step else
                      "**A reminder arrives**"]  # fmt: skip
            for reply in entry.replies:
                for message in reply.messages:
                    lines.append("")
                    if message.file is not None or message.make_file is not None:
                        lines.append(f"> 📎 {message.file_name}")
                    text = visible_text(message.html) if message.html else ""
                    lines += [f"> {line}".rstrip() for line in text.splitlines()]
                    labels = [f"`[{b.label}]`" for row in message.buttons for b in row]
                    if labels:
                        lines += [">", "> " + " ".join(labels)]
        return "\n".join(lines) + "\n"

    def transcript(self, title: str) -> str:
        steps = []
        for entry in self.entries:
            step = dict(entry.step)
            expected = [
                piece
                for reply in entry.replies
                for message in reply.messages
                if message.html
                for piece in fragments(visible_text(message.html))
            ]
            if expected:
                step["expect"] = expected
            elif "reminders" not in step and set(step) <= {"wait_minutes"}:
                continue
            steps.append(step)
        document = {
            "language": self.language,
            "start": self.started.isoformat(),
            "steps": steps,
        }
        header = f"# {title}\n# Recorded by `exit-coach chat --as-test`; test-dialogs replays it.\n"
        return header + yaml.safe_dump(
            document, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
        )


def write_recording(
    recorder: SessionRecorder, markdown: Path | None, transcript: Path | None
) -> list[str]:
    """Write what was asked for; the lines to tell the user where it went."""
    said = []
    if markdown is not None:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(recorder.markdown(), encoding="utf-8")
        said.append(f"✓ recorded the session in {markdown}")
    if transcript is not None:
        transcript.parent.mkdir(parents=True, exist_ok=True)
        title = f"A session recorded on {recorder.started:%Y-%m-%d} ({recorder.language})"
        transcript.write_text(recorder.transcript(title), encoding="utf-8")
        said.append(
            f"✓ wrote the transcript test {transcript}; run `exit-coach test-dialogs {transcript}`"
        )
    return said


async def recorded_chat(
    settings: Settings,
    language: str,
    markdown: Path | None,
    transcript: Path | None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    poll_seconds: float = 5.0,
) -> int:
    """`exit-coach chat` with a recorder; a session kept as a test runs on a fresh temporary
    database (a new user, like every replay), a plain recording on the configured one."""
    from bot.bootstrap import build_engine, open_service
    from bot.console.chat import ConsoleChat
    from bot.reminders import ReminderRunner
    from bot.service import ConversationService
    from bot.store.database import open_database
    from bot.store.reminders import ReminderStore
    from bot.store.sessions import SessionStore

    with tempfile.TemporaryDirectory(prefix="exit-coach-recording-") as folder:
        if transcript is not None:
            from bot.authoring.transcripts import transcript_settings

            database = await open_database(f"sqlite:///{folder}/session.db")
            service = ConversationService(
                build_engine(transcript_settings(settings)), SessionStore(database)
            )
        else:
            service = await open_service(settings)
        recorder = SessionRecorder(language, service.clock().replace(microsecond=0))
        reminders = ReminderRunner(service, ReminderStore(service.store.database))
        chat = ConsoleChat(
            service,
            language=language,
            stdin=stdin or sys.stdin,
            stdout=stdout or sys.stdout,
            reminders=reminders,
            poll_seconds=poll_seconds,
            recorder=recorder,
            introduce=True,
        )
        try:
            await chat.run()
        finally:
            await service.store.database.dispose()
            for line in write_recording(recorder, markdown, transcript):
                chat.write(line)
    return 0
