"""Transcript tests: a conversation written down in YAML, replayed through the real bot.

A transcript is what a coach expects to happen: each step is one thing the user does (`send`,
`tap`, wait, let reminders come) and what the bot must then show (`expect`: pieces of text, in
order). `exit-coach test-dialogs` replays them on a fresh temporary SQLite database with a fake
clock, and pytest runs every file in tests/transcripts/ through this same code. The format is
described in docs/authoring.md.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.coach.journal import Event, Reflection
from bot.config import Settings
from bot.engine.conversation import Engine
from bot.engine.io import Reply
from bot.engine.turn import Move, Outcome
from bot.reminders import ReminderRunner
from bot.service import ConversationService
from bot.store.journal.sql_journal import SqlJournal
from bot.store.reminders import ReminderStore
from bot.testkit.client import NoSuchButton, TranscriptClient, asked_again

START = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # a Tuesday; 18:00 in Berlin
ACTIONS = (
    "reminders", "send", "tap", "tap_data", "other", "share_contact", "document", "event",
    "seed_events",
)  # fmt: skip
SCRIPT_KEYS = {"language", "offers", "start", "steps"}
KNOWN_KEYS = {
    *ACTIONS, "wait_minutes", "replies_ago", "file_name", "expect", "absent", "toast", "buttons",
}  # fmt: skip


class Clock:
    """A 'now' the transcript moves forward (`wait_minutes`), so nothing ever sleeps."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Failure:
    """Where a transcript and the bot parted ways, with what the user saw at that moment."""

    step: int
    action: str
    problem: str
    text: str = ""
    buttons: list[str] = field(default_factory=list)

    def report(self, name: str) -> str:
        lines = [f"✗ {name}, step {self.step}", f"  the user: {self.action}", f"  {self.problem}"]
        lines.append("  the bot showed:")
        lines += [f"    │ {line}" for line in (self.text or "(nothing)").splitlines()]
        offered = " ".join(f"[{label}]" for label in self.buttons) or "(none)"
        lines.append(f"  buttons offered: {offered}")
        return "\n".join(lines)


@dataclass
class Result:
    name: str
    steps: int
    failure: Failure | None = None
    moves: list[Move] = field(default_factory=list)  # what the engine did, for coverage

    @property
    def passed(self) -> bool:
        return self.failure is None

    def report(self) -> str:
        if self.failure is None:
            return f"✓ {self.name} ({self.steps} steps)"
        return self.failure.report(self.name)


class TranscriptError(ValueError):
    """The file itself is not a transcript (a typo in a key, no steps…)."""


def offers_file(path: Path, script: dict[str, Any]) -> Path | None:
    """The optional `offers:` of a transcript: an offers file, relative to the transcript."""
    return (path.parent / script["offers"]).resolve() if script.get("offers") else None


def engine_for(path: Path, script: dict[str, Any], settings: Settings) -> Engine:
    """An engine with the transcript's offers file (the bot's OFFERS_FILE)."""
    from bot.bootstrap import build_engine

    return build_engine(settings.model_copy(update={"offers_file": offers_file(path, script)}))


def load(path: Path) -> dict[str, Any]:
    try:
        script = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TranscriptError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(script, dict) or not isinstance(script.get("steps"), list):
        raise TranscriptError(f"{path.name}: expected 'language' and a list of 'steps'")
    if set(script) - SCRIPT_KEYS:
        raise TranscriptError(
            f"{path.name}: unknown key(s) {sorted(set(script) - SCRIPT_KEYS)}; "
            f"a transcript has {', '.join(sorted(SCRIPT_KEYS))}"
        )
    for number, step in enumerate(script["steps"], start=1):
        unknown = set(step) - KNOWN_KEYS if isinstance(step, dict) else {"?"}
        if unknown:
            raise TranscriptError(
                f"{path.name} step {number}: unknown key(s) {sorted(unknown)}; "
                f"a step has one of {', '.join(ACTIONS)} or wait_minutes, then expect/absent/"
                "buttons/toast"
            )
        if not any(key in step for key in (*ACTIONS, "wait_minutes")):
            raise TranscriptError(f"{path.name} step {number}: no action in {step}")
    return script


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _action(step: dict[str, Any]) -> str:
    """What the user did, as a coach would say it."""
    parts = []
    if "wait_minutes" in step:
        parts.append(f"waits {step['wait_minutes']} minutes")
    if "reminders" in step:
        parts.append(f"expects {step['reminders']} reminder(s) to arrive")
    elif "send" in step:
        parts.append(f"sends {str(step['send'])!r}")
    elif "tap" in step:
        ago = step.get("replies_ago", 0)
        parts.append(f"taps {str(step['tap'])!r}" + (f" ({ago} replies back)" if ago else ""))
    elif "tap_data" in step:
        parts.append(f"taps a button with data {step['tap_data']!r}")
    elif "other" in step:
        parts.append(f"sends something that is not text ({step['other']})")
    elif "share_contact" in step:
        parts.append(f"shares the Telegram contact {step['share_contact']!r}")
    elif "document" in step:
        parts.append(f"sends the file {step.get('file_name') or step['document']!r}")
    elif "event" in step:
        parts.append(f"has prepared the event {step['event'].get('name')!r} earlier")
    elif "seed_events" in step:
        parts.append(f"has a history of {len(step['seed_events'])} past event(s)")
    return ", then ".join(parts)


async def replay(
    script: dict[str, Any],
    name: str,
    service: ConversationService,
    clock: Clock,
    folder: Path | None = None,
) -> Result:
    """Play `script` against `service` (whose clock is `clock`); stops at the first step that
    does not show what the transcript expects."""
    if script.get("start"):  # a recorded session keeps its own date and time
        clock.now = start_time(script["start"])
    client = TranscriptClient(service, language=script.get("language", "en"))
    reminders = ReminderRunner(service, ReminderStore(service.store.database))
    result = Result(name, len(script["steps"]))

    def watch(outcome: Outcome) -> None:
        result.moves.extend(outcome.moves)

    service.observers.append(watch)
    try:
        for number, step in enumerate(script["steps"], start=1):
            problem = await _play(step, client, reminders, clock, folder or Path.cwd())
            set_up_only = len(step) == 1 and any(
                key in step for key in ("wait_minutes", "event", "seed_events")
            )
            if problem is None and not set_up_only:
                problem = _check(step, client)
            if problem is not None:
                reply = problem[1] if problem[1] is not None else _last(client)
                text, buttons = client.shown(reply)
                result.failure = Failure(number, _action(step), problem[0], text, buttons)
                break
    finally:
        service.observers.remove(watch)
    return result


def start_time(value: Any) -> datetime:
    """`start:` as written (YAML may already have read it as a date and time)."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _last(client: TranscriptClient) -> Reply:
    return client.replies[-1] if client.replies else Reply()


async def _play(
    step: dict[str, Any],
    client: TranscriptClient,
    reminders: ReminderRunner,
    clock: Clock,
    folder: Path,
) -> tuple[str, Reply | None] | None:
    """Do the step's action; a problem (and the reply to show with it), or None."""
    if "wait_minutes" in step:
        clock.advance(minutes=step["wait_minutes"])
    try:
        if "reminders" in step:
            delivered: list[Reply] = []

            async def collect(reply: Reply) -> None:
                delivered.append(reply)

            sent = await reminders.run_due(user_id=client.user_id, show=collect)
            client.replies.append(Reply([m for reply in delivered for m in reply.messages]))
            if sent != step["reminders"]:
                return f"expected {step['reminders']} reminder(s), {sent} came", None
        elif "send" in step:
            await client.send(str(step["send"]))
        elif "tap" in step:
            await client.tap(str(step["tap"]), replies_ago=step.get("replies_ago", 0))
        elif "tap_data" in step:
            await client.tap_data(str(step["tap_data"]))
        elif "other" in step:
            await client.send_other(str(step["other"]))
        elif "share_contact" in step:
            await client.share_contact(str(step["share_contact"]))
        elif "document" in step:  # a path relative to the transcript's folder
            await client.send_document(folder / str(step["document"]), step.get("file_name"))
        elif "event" in step:
            await _add_event(client.service, client.user_id, clock.now, step["event"])
        elif "seed_events" in step:
            await _seed_events(client.service, client.user_id, clock.now, step["seed_events"])
    except NoSuchButton as missing:
        return f"there is no button {missing.label!r} to tap", missing.reply
    return None


async def _add_event(
    service: ConversationService, user_id: int, now: datetime, spec: dict[str, Any]
) -> None:
    """`event: {name, starts_in_minutes, minutes, online, goal, exit_situations, confidence,
    network}`: an event in the user's journal, as if prepared earlier (the user must exist:
    after /start); `confidence` is the one given in /prepare (1–5)."""
    starts = now + timedelta(minutes=spec.get("starts_in_minutes", 0))
    event = Event(
        name=spec["name"],
        starts_at=starts,
        ends_at=starts + timedelta(minutes=spec.get("minutes", 120)),
        goal=spec.get("goal", "exchange"),
        online=spec.get("online"),
        exit_situations=spec.get("exit_situations", []),
        confidence_before=spec.get("confidence"),
        network=spec.get("network"),
        created_at=now,
    )
    await _save_events(service, user_id, [event])


async def _seed_events(
    service: ConversationService, user_id: int, now: datetime, events: list[dict[str, Any]]
) -> None:
    """`seed_events: [{name, network, days_ago, usefulness, goal}]`: past events written
    straight into the journal (a history the journey starts from); without `usefulness` not
    yet reflected on."""
    saved = []
    for item in events:
        starts = now - timedelta(days=item["days_ago"])
        reflection = None
        if "usefulness" in item:
            reflection = Reflection(
                usefulness=item["usefulness"],
                goals_met="partly",
                energy=3,
                go_again="maybe",
                at=starts + timedelta(hours=4),
            )
        saved.append(
            Event(
                name=item["name"],
                network=item.get("network"),
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                goal=item.get("goal", "customers"),
                reflection=reflection,
                created_at=starts - timedelta(days=1),
            )
        )
    await _save_events(service, user_id, saved)


async def _save_events(service: ConversationService, user_id: int, events: list[Event]) -> None:
    """Write events straight into the user's journal (set-up steps), in one transaction."""

    def write(journal: SqlJournal) -> None:
        for event in events:
            journal.save_event(event)

    await service.store.database.run(
        lambda connection: write(SqlJournal(connection, user_id)), write=True
    )


def _check(step: dict[str, Any], client: TranscriptClient) -> tuple[str, None] | None:
    shown = client.text
    if "expect" not in step and asked_again(_last(client)):
        # Without this, a new step in a dialog fails a transcript only some steps later, at
        # the next `expect:`, and a coach looks for the change in the wrong place.
        return "the bot did not take this answer and asked again (add `expect:` if meant)", None
    position = 0
    for expected in _as_list(step.get("expect")):
        found = shown.find(expected, position)
        if found < 0:
            where = "anywhere" if shown.find(expected) < 0 else "after the text before it"
            return f"expected (in order): {expected!r}, not found {where}", None
        position = found + len(expected)
    for unexpected in _as_list(step.get("absent")):
        if unexpected in shown:
            return f"must not show: {unexpected!r}, but it does", None
    labels = client.shown(_last(client))[1]
    for wanted in _as_list(step.get("buttons")):
        if not any(wanted.casefold() in label.casefold() for label in labels):
            return f"expected a button {wanted!r}", None
    if "toast" in step:
        toast = _last(client).toast
        if not toast or str(step["toast"]) not in toast:
            return f"expected the pop-up note {step['toast']!r}, got {toast!r}", None
    return None


async def replay_file(path: Path, engine: Engine, settings: Settings | None = None) -> Result:
    """One transcript on a database of its own (a fresh temporary SQLite file); a transcript
    with `offers:` gets an engine of its own built from `settings`."""
    from bot.store.database import open_database
    from bot.store.sessions import SessionStore

    script = load(path)
    if offers_file(path, script) is not None:
        engine = engine_for(path, script, settings or Settings.model_construct())
    with tempfile.TemporaryDirectory(prefix="exit-coach-transcript-") as folder:
        database = await open_database(f"sqlite:///{folder}/transcript.db")
        clock = Clock()
        try:
            service = ConversationService(engine, SessionStore(database), clock=clock)
            return await replay(script, path.name, service, clock, path.parent)
        finally:
            await database.dispose()


def transcript_settings(settings: Settings) -> Settings:
    """The configured dialogs and prompts with every other setting at its default: what a
    transcript expects (the reminder times, the time zone, no offers file) must not depend on a
    local .env."""
    return Settings.model_construct(
        dialogs_dir=settings.dialogs_dir, prompts_dir=settings.prompts_dir
    )


def transcript_files(paths: Iterable[Path], default_dir: Path) -> list[Path]:
    """Files named (folders expanded), or every transcript in `default_dir`."""
    found: list[Path] = []
    for path in list(paths) or [default_dir]:
        found += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return found
