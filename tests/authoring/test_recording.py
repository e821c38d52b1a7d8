"""`exit-coach chat --record/--as-test`: a terminal session kept as Markdown and as a transcript
test that `test-dialogs` passes."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.authoring.recording import SessionRecorder, fragments
from bot.cli import main
from bot.engine.io import Command, OutgoingMessage, Reply, Tap, Text

GERMAN_SESSION = "1\nJens\nIch berate Handwerksbetriebe.\n2\nFertig ✔\n/prepare\n1\n1\n3\n4\n0\n1\n/quit\n"


def run_chat(monkeypatch, tmp_path: Path, stdin: str, *args: str) -> str:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/data/chat.db")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    stdout = io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["chat", *args]) == 0
    return stdout.getvalue()


def test_a_german_session_as_markdown_and_as_a_passing_test(monkeypatch, tmp_path, capsys) -> None:
    out = run_chat(monkeypatch, tmp_path, GERMAN_SESSION, "--lang", "de", "--record",
                   "session.md", "--as-test", "transcripts/de_recorded.yaml")  # fmt: skip
    assert "✓ recorded the session in session.md" in out
    assert "exit-coach test-dialogs transcripts/de_recorded.yaml" in out
    markdown = (tmp_path / "session.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Exit Coach session, ")
    assert "Language: de." in markdown
    assert "**You** sends `/start`" in markdown
    assert "> In welcher Sprache soll ich mit Dir sprechen?\n>\n> `[🇩🇪 Deutsch]` `[🇬🇧 English]`" in markdown
    assert "**You** taps **🇩🇪 Deutsch**" in markdown
    assert "**You** writes: Jens" in markdown and "> Schön, Dich kennenzulernen, Jens!" in markdown
    assert "**You** writes: 🚪 Raus hier" in markdown  # "0", the exit button
    transcript = tmp_path / "transcripts" / "de_recorded.yaml"
    script = yaml.safe_load(transcript.read_text(encoding="utf-8"))
    assert script["language"] == "de" and script["start"]
    steps = script["steps"]
    assert steps[0] == {"send": "/start", "expect": ["Hallo, ich bin Dein Exit-Coach 👋", "In welcher Sprache soll ich mit Dir sprechen?"]}
    assert steps[2] == {"send": "Jens", "expect": ["Schön, Dich kennenzulernen, Jens!", "Was machst Du beruflich, in ein, zwei Sätzen? Zum Beispiel:"]}
    assert steps[1]["tap"] == "🇩🇪 Deutsch" and steps[2]["send"] == "Jens"
    assert {"send": "🚪 Raus hier"}.items() <= steps[-2].items()
    capsys.readouterr()
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert main(["test-dialogs", str(transcript)]) == 0


def test_a_recorded_test_fails_when_the_dialog_changes(monkeypatch, tmp_path) -> None:
    run_chat(monkeypatch, tmp_path, "2\nAda\n/quit\n", "--lang", "en", "--as-test", "en.yaml")
    transcript = tmp_path / "en.yaml"
    text = transcript.read_text(encoding="utf-8").replace("Nice to meet you, Ada!", "Hello, Ada!")
    transcript.write_text(text, encoding="utf-8")
    stdout = io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["test-dialogs", str(transcript)]) == 1
    assert "expected (in order): 'Hello, Ada!'" in stdout.getvalue()


def test_a_plain_recording_keeps_the_configured_database(monkeypatch, tmp_path) -> None:
    run_chat(monkeypatch, tmp_path, "2\nAda\n/quit\n", "--lang", "en", "--record", "one.md")
    run_chat(monkeypatch, tmp_path, "/quit\n", "--lang", "en", "--record", "two.md")
    second = (tmp_path / "two.md").read_text(encoding="utf-8")
    assert "What do you do for a living" in second  # the same user, where they left off
    assert "What should I call you?" not in second
    assert not list(tmp_path.glob("*.yaml"))


def test_waits_and_reminders_are_kept_so_the_replay_sees_them_due() -> None:
    start = datetime(2026, 11, 24, 17, 0, 20, tzinfo=UTC)
    recorder = SessionRecorder("en", start)
    recorder.user(Command("start"), "/start", {}, start)
    recorder.reply(Reply([OutgoingMessage("Hi!\nWhich language?")]))
    recorder.user(Tap("v1.1.en"), "2", {"v1.1.en": "🇬🇧 English"}, start + timedelta(seconds=50))
    recorder.user(Text("Ada"), "Ada", {}, start + timedelta(minutes=3, seconds=30))
    recorder.reminder(Reply([OutgoingMessage("Starting in 60 min: <b>Meetup</b>")]), start + timedelta(minutes=61, seconds=5))
    recorder.reminder(Reply([OutgoingMessage("A gentle reminder")]), start + timedelta(minutes=61, seconds=6))
    recorder.user(Text("later"), "later", {}, start + timedelta(minutes=61, seconds=40))
    steps = yaml.safe_load(recorder.transcript("t"))["steps"]
    assert steps == [
        {"send": "/start", "expect": ["Hi!", "Which language?"]},
        {"tap": "🇬🇧 English"},
        {"wait_minutes": 3, "send": "Ada"},
        {"wait_minutes": 59, "reminders": 2, "expect": ["Starting in 60 min: Meetup", "A gentle reminder"]},
        {"send": "later"},
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\n  Saved. 🎉 Here is your cheat sheet.\n\nWhat next?\n", ["Saved. 🎉 Here is your cheat sheet.", "What next?"]),
        ("Networking is a tool, and a tool needs a purpose. What do you want", ["Networking is a tool, and a tool needs a purpose. What do"]),
        ("Only one line", ["Only one line"]),
        ("", []),
    ],
)
def test_fragments_are_the_first_and_last_line_of_a_message(text: str, expected: list[str]) -> None:
    assert fragments(text) == expected
