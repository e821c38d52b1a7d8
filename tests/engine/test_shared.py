"""Shared content (a Telegram contact) starts the dialog that accepts it, with what was shared in
its answers; content no dialog accepts gets the usual "only text" answer; two dialogs accepting
one kind is a dialog-file error found at start-up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import get_settings
from bot.engine.conversation import Engine
from bot.engine.errors import DialogSpecError
from bot.engine.io import Shared
from bot.engine.spec import load_dialogs
from bot.engine.telegram_html import visible_text

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def test_a_shared_contact_starts_the_follow_up_mid_another_dialog(engine: Engine) -> None:
    session = engine.new_session(42, "en")
    session.profile.name = "Ada"
    engine.handle(session, Shared("calendar", {}), NOW)  # nothing accepts it
    engine.handle(session, Shared("contact", {"name": "Anna Schmidt"}), NOW)
    assert session.active is not None
    assert (session.active.dialog, session.active.state) == ("followup", "address")
    assert session.active.answers["contact_name"] == "Anna Schmidt"


def test_content_nobody_accepts_is_answered_like_a_sticker(engine: Engine) -> None:
    session = engine.new_session(42, "en")
    session.profile.name = "Ada"
    reply = engine.handle(session, Shared("calendar", {"name": "x"}), NOW).reply
    text = "\n".join(visible_text(m.html) for m in reply.messages)
    assert "I can only read text" in text


def test_an_empty_shared_name_asks_for_it(engine: Engine) -> None:
    session = engine.new_session(42, "en")
    engine.handle(session, Shared("contact", {"name": "  "}), NOW)
    assert session.active is not None and session.active.state == "contact_name"


def test_two_dialogs_accepting_one_kind_fail_at_start(engine: Engine) -> None:
    specs = load_dialogs(get_settings(_env_file=None).dialogs_dir)
    specs["journal"].accepts = ["contact"]
    with pytest.raises(DialogSpecError, match="'contact' is accepted by"):
        Engine(specs, engine.renderer, engine.domain)
