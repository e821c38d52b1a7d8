"""Every message names the template(s) it came from, so a delivery error can point at the file."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.engine.conversation import Engine
from bot.engine.io import Command, Text

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def test_messages_name_their_templates(engine: Engine) -> None:
    session = engine.new_session(1, "en")
    start = engine.handle(session, Command("start"), NOW).reply
    # a newcomer's welcome and the first question: one message
    assert [m.template for m in start.messages] == ["system/welcome+onboarding/language"]
    joined = engine.handle(session, Text("hello"), NOW).reply  # a note and the step, one message
    assert [m.template for m in joined.messages] == ["invalid/use_buttons+onboarding/language"]
    assert engine.error_reply("de").messages[0].template == "system/error"
