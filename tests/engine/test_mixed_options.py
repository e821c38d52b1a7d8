"""A step may take buttons from a provider (`options_from`) and add its own (`options`) after
them, each with its own way on: a list that changes (the 🚪 first screen) can end with a fixed
button that starts another dialog."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from bot.bootstrap import build_engine
from bot.config import get_settings
from bot.engine.io import Command, Reply, Tap
from bot.engine.telegram_html import visible_text

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def test_provided_buttons_come_first_then_the_steps_own(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "dialogs", tmp_path / "dialogs")
    path = tmp_path / "dialogs/exit.yaml"
    text = path.read_text(encoding="utf-8")
    fixed = "    options_from: exit_first_screen\n"
    assert fixed in text
    path.write_text(
        text.replace(
            fixed, fixed + "    options:\n      - {id: help, label: menu_help, start: help}\n", 1
        ),
        encoding="utf-8",
    )
    engine = build_engine(get_settings(dialogs_dir=tmp_path / "dialogs", _env_file=None))
    session = engine.new_session(42, "en")
    session.profile.name = "Ada"
    reply: Reply = engine.handle(session, Command("exit"), NOW).reply
    labels = [button.label for row in reply.messages[-1].buttons for button in row]
    assert labels[0] == "🤝 Join a group" and labels[-1] == "❓ Help"
    help_button = reply.messages[-1].buttons[-1][0]
    text_after = engine.handle(session, Tap(help_button.data), NOW).reply
    shown = "\n".join(visible_text(m.html) for m in text_after.messages)
    assert "How I can help" in shown  # the fixed button started its own dialog
    # a provided button still saves its answer and moves on as before
    reply = engine.handle(session, Command("exit"), NOW).reply
    join = reply.messages[-1].buttons[0][0]
    engine.handle(session, Tap(join.data), NOW)
    assert session.active is not None and session.active.state == "line"
