"""Typed instead of tapped: a button's label typed as shown (also one starting with ✅), and at
a step with a reader (`typed:`), what the user means ("weiß nicht", "I'm in Leeds")."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.engine.conversation import Engine
from bot.engine.io import Command, Tap, Text
from bot.engine.session import Session
from bot.engine.telegram_html import visible_text
from bot.store.scratch import scratch_journal

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def say(engine: Engine, session: Session, text: str, records: object = None) -> str:
    reply = engine.handle(session, Text(text), NOW, records).reply
    return "\n".join(visible_text(m.html) for m in reply.messages)


def test_a_label_starting_with_a_tick_can_be_typed(engine: Engine) -> None:
    session = engine.new_session(5, "en")
    session.profile.name = "Ada"
    reply = engine.handle(session, Command("exit"), NOW).reply
    engine.handle(session, Tap(reply.messages[-1].buttons[0][0].data), NOW)
    assert "Well done" in say(engine, session, "✅ Done")


def test_a_label_typed_without_its_symbols_is_the_button(engine: Engine) -> None:
    """On a phone nobody types „✔“: "fertig" ends a multiple choice, "kunden gewinnen!" picks."""
    session = engine.new_session(8, "de")
    engine.handle(session, Command("start"), NOW)
    assert "Wie darf ich Dich nennen" in say(engine, session, "deutsch")
    say(engine, session, "Lena")
    say(engine, session, "Ich gestalte Websites")
    assert "✅ Kunden gewinnen" in buttons(engine, session, "kunden gewinnen!")
    assert "Fertig ✔" not in buttons(engine, session, "fertig")


def buttons(engine: Engine, session: Session, text: str) -> str:
    reply = engine.handle(session, Text(text), NOW).reply
    return " | ".join(b.label for m in reply.messages for row in m.buttons for b in row)


def test_a_shrug_typed_at_the_event_check_is_the_not_sure_button(engine: Engine) -> None:
    session = engine.new_session(6, "de")
    session.profile.name = "Jens"
    with scratch_journal() as records:
        engine.handle(session, Command("prepare"), NOW, records)
        say(engine, session, "Stammtisch", records)
        assert "Passt die Veranstaltung" in say(engine, session, "🏢 Vor Ort", records)
        assert "Und die Menschen" in say(engine, session, "ja", records)
        shown = say(engine, session, "weiß nich so genau 🤷", records)
    assert "Du weißt es noch nicht? Dann finde es heraus" in shown
    assert session.active is not None and session.active.answers["people_fit"] == "unsure"


def test_something_else_typed_asks_for_the_buttons(engine: Engine) -> None:
    session = engine.new_session(7, "en")
    session.profile.name = "Ada"
    with scratch_journal() as records:
        engine.handle(session, Command("prepare"), NOW, records)
        say(engine, session, "Stammtisch", records)
        say(engine, session, "🏢 In person", records)
        shown = say(engine, session, "the chamber's mixer", records)
    assert "Please tap one of the buttons" in shown
