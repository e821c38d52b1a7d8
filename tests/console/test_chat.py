"""`exit-coach chat`: numbered buttons, 0 for exit, piped input ending cleanly."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.console.chat import ConsoleChat
from bot.console.terminal import to_terminal
from bot.service import ConversationService

ROOT = Path(__file__).resolve().parents[2]


async def test_piped_conversation(service: ConversationService) -> None:
    stdin = io.StringIO("2\nAda\n0\n1\n4\n/cancel\n")
    stdout = io.StringIO()
    await ConsoleChat(service, language="en", stdin=stdin, stdout=stdout).run()
    out = stdout.getvalue()
    assert "[2] 🇬🇧 English" in out
    assert "What's going on?" in out
    assert "🗣 “" in out  # the line to say stands out (bold, in quotes)
    assert "Back to “Getting to know you”" in out
    assert "we'll stop here" in out
    assert "\033[" not in out  # no colours when not a terminal


def test_terminal_rendering() -> None:
    assert to_terminal("<b>a</b> &amp; <i>b</i>", colour=False) == "a & b"
    assert to_terminal("<b>a</b>", colour=True) == "\033[1ma\033[0m"
    assert to_terminal("<blockquote>x\ny</blockquote>", colour=False) == "  │ x\n  │ y"


def test_cli_chat_runs_with_piped_input_and_a_fresh_database(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/c.db",
        "LANG": "de_DE.UTF-8",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="1\nJens\n0\n2\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env here
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]  # one line, at once, says what this is and how to leave
    assert first.startswith("Exit Coach in the terminal, standing in for Telegram")
    assert "set TELEGRAM_BOT_TOKEN" in first and "/quit or Ctrl-D leaves" in first
    assert "In welcher Sprache" in result.stdout
    assert "Schön, Dich kennenzulernen, Jens!" in result.stdout
    assert "🗣 „" in result.stdout
    assert (tmp_path / "data/c.db").exists()


def test_cli_run_without_token_explains_how_to_get_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "exit-coach chat" in result.stderr


class SlowEmptyInput(io.StringIO):
    """Ends after a short pause, so the reminder watcher gets to run meanwhile."""

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        time.sleep(0.3)
        return ""


async def test_due_reminders_appear_in_the_terminal(service: ConversationService, clock) -> None:
    from bot.engine.domain import PlanReminder
    from bot.engine.session import Session
    from bot.reminders import ReminderRunner
    from bot.store.reminders import ReminderStore

    await service.store.save(Session(user_id=0), [PlanReminder("k", clock.now, "help")])
    await service.store.save(Session(user_id=77), [PlanReminder("k", clock.now, "help")])
    stdout = io.StringIO()
    reminders = ReminderStore(service.store.database)
    chat = ConsoleChat(
        service,
        language="en",
        stdin=SlowEmptyInput(),
        stdout=stdout,
        reminders=ReminderRunner(service, reminders),
        poll_seconds=0.05,
    )
    await chat.run()
    assert stdout.getvalue().count("How I can help") == 1
    assert await reminders.pending(0) == []
    assert len(await reminders.pending(77)) == 1  # another (Telegram) user's reminder is left alone


async def test_a_calendar_file_from_disk_starts_prepare(
    service: ConversationService, tmp_path: Path
) -> None:
    """`/file PATH` sends a file as a document; the saved event's .ics lands in the files
    folder; a missing file is named and nothing is sent."""
    ics = ROOT / "tests/fixtures/ics/meetup.ics"
    stdin = io.StringIO(f"2\nAda\nCoaching\n1\n5\nLondon\n/file {tmp_path}/missing.ics\n/file {ics}\n")
    stdout = io.StringIO()
    await ConsoleChat(
        service, language="en", stdin=stdin, stdout=stdout, charts_dir=tmp_path / "files"
    ).run()
    out = stdout.getvalue()
    assert f"(cannot read {tmp_path}/missing.ics" in out
    assert "From your calendar file: The Meetup at Factory (🏢 In person)." in out
    assert "Does the event “The Meetup at Factory” fit your business (coaching)?" in out


def test_a_big_file_is_sent_without_its_content(
    service: ConversationService, tmp_path: Path
) -> None:
    big = tmp_path / "big.ics"
    big.write_bytes(b"x" * 100_001)
    chat = ConsoleChat(service, stdin=io.StringIO(), stdout=io.StringIO())
    document = chat.parse(f"/file {big}")
    assert document is not None and getattr(document, "content", b"") is None
