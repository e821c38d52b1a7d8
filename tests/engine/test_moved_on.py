"""A stored step that a coach renamed or removed: the user is moved on kindly, never stuck in an
error on every input (the active frame and a suspended one, a missing state and a missing dialog)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import callback_data
from bot.engine.conversation import Engine
from bot.engine.io import Command, Due, Reply, Tap, Text, UserInput
from bot.engine.session import Frame, Session
from bot.engine.telegram_html import visible_text

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
APOLOGY = {"en": "the step we were on no longer exists", "de": "den Schritt, bei dem wir waren"}
PAUSED = {"en": "the dialog you had paused no longer exists", "de": "den Dialog, den Du unterbrochen"}
MENU = {"en": "What can I do for you, Ada?", "de": "Was kann ich für Dich tun, Ada?"}
SITUATIONS = {"en": "What's going on?", "de": "Was ist los?"}


def onboarded(engine: Engine, lang: str) -> Session:
    session = engine.new_session(42, lang)
    session.profile.name = "Ada"
    return session


def run(engine: Engine, session: Session, user_input: UserInput) -> str:
    reply: Reply = engine.handle(session, user_input, NOW).reply
    return "\n".join(visible_text(message.html) for message in reply.messages)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(
    "vanished",
    [Frame(dialog="prepare", state="old_goal_step"), Frame(dialog="bingo", state="ask")],
    ids=["missing state", "missing dialog"],
)
def test_active_step_gone_goes_to_the_menu_once(engine: Engine, lang: str, vanished: Frame) -> None:
    session = onboarded(engine, lang)
    session.active = vanished.model_copy()
    text = run(engine, session, Text("my answer to the old step"))
    assert APOLOGY[lang] in text and MENU[lang] in text
    assert session.active is not None and session.active.dialog == "menu"
    # no loop: the next input is an ordinary one, without another apology
    text = run(engine, session, Text("/help"))
    assert APOLOGY[lang] not in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_button_of_a_vanished_step_leads_to_the_menu_not_to_stale(
    engine: Engine, lang: str
) -> None:
    session = onboarded(engine, lang)
    session.active = Frame(dialog="prepare", state="old_goal_step")
    session.step = 7
    text = run(engine, session, Tap(callback_data.encode(7, "customers")))
    assert APOLOGY[lang] in text and MENU[lang] in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_commands_and_the_exit_button_still_work_when_the_step_is_gone(
    engine: Engine, lang: str
) -> None:
    session = onboarded(engine, lang)
    session.active = Frame(dialog="bingo", state="ask")
    text = run(engine, session, Command("exit"))
    assert APOLOGY[lang] in text and SITUATIONS[lang] in text
    session.active = Frame(dialog="bingo", state="ask")
    exit_label = engine.renderer.label(lang, "exit_button")
    text = run(engine, session, Text(exit_label))
    assert APOLOGY[lang] in text and SITUATIONS[lang] in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_suspended_frames_gone_are_dropped_and_the_active_step_goes_on(
    engine: Engine, lang: str
) -> None:
    """/exit paused /prepare; meanwhile /prepare's step and a whole dialog were removed."""
    session = onboarded(engine, lang)
    run(engine, session, Command("prepare"))
    run(engine, session, Command("exit"))
    assert session.active is not None and session.active.dialog == "exit"
    session.suspended[0].state = "old_goal_step"
    session.suspended.insert(0, Frame(dialog="bingo", state="ask"))
    situation = engine.preview_options(session.model_copy(deep=True), "exit", "situation")[0][0]
    text = run(engine, session, Tap(callback_data.encode(session.step, situation)))
    assert PAUSED[lang] in text and APOLOGY[lang] not in text
    assert session.suspended == []
    assert session.active is not None and session.active.dialog == "exit"


def test_a_reminder_for_a_removed_dialog_sends_nothing(engine: Engine) -> None:
    session = onboarded(engine, "en")
    assert run(engine, session, Due("bingo_reminder", {})) == ""
    assert session.active is None


def test_a_paused_dialog_restarted_from_its_beginning_still_counts_as_existing(
    engine: Engine,
) -> None:
    session = onboarded(engine, "en")
    session.active = Frame(dialog="exit", state="situation")
    session.suspended = [Frame(dialog="prepare", state="_begin")]
    text = run(engine, session, Text("hello"))
    assert "no longer exists" not in text


async def test_through_the_store_the_moved_on_session_is_saved(service) -> None:  # type: ignore[no-untyped-def]
    """End to end: a stored session whose dialog was removed; the repaired one is committed."""
    from tests.dialog_client import DialogClient

    client = DialogClient(service, language="de")
    await client.send("/start")
    await client.tap("Deutsch")
    await client.send("Ada")
    stored = await service.store.load(client.user_id)
    assert stored is not None
    stored.active = Frame(dialog="onboarding", state="old_business_step")
    await service.store.save(stored)
    await client.send("Steuerberatung")
    assert APOLOGY["de"] in client.text
    again = await service.store.load(client.user_id)
    assert again is not None and again.active is not None
    assert again.active.state != "old_business_step"
