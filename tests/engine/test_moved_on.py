"""A stored step that a coach renamed or removed: the user is moved on kindly, never stuck in an
error on every input (the active frame and a suspended one, a renamed state declared `moved`, a
removed state and a removed dialog)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import build_engine
from bot.config import get_settings
from bot.engine import callback_data
from bot.engine.conversation import Engine
from bot.engine.io import Command, Due, Reply, Tap, Text, UserInput
from bot.engine.session import Frame, Session
from bot.engine.telegram_html import visible_text

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
APOLOGY = {"en": "the step we were on no longer exists", "de": "den Schritt, bei dem wir waren"}
PAUSED = {"en": "the dialog you had paused no longer exists", "de": "den Dialog, den Du unterbrochen"}
RESTART = {"en": "Let's go through “Getting ready for an event” again from the start",
           "de": "Lass uns „Veranstaltung vorbereiten“ noch einmal von vorn durchgehen"}
MENU = {"en": "What can I do for you, Ada?", "de": "Was kann ich für Dich tun, Ada?"}
FIT = {"en": "Which event is it?", "de": "Um welche Veranstaltung geht es?"}  # prepare starts
CONFIDENCE = {"en": "How confident", "de": "Wie sicher"}
ROOT = Path(__file__).resolve().parents[2]
SITUATIONS = {"en": "What's going on?", "de": "Was ist los?"}


def onboarded(engine: Engine, lang: str) -> Session:
    session = engine.new_session(42, lang)
    session.profile.name = "Ada"
    return session


def run(engine: Engine, session: Session, user_input: UserInput) -> str:
    reply: Reply = engine.handle(session, user_input, NOW).reply
    return "\n".join(visible_text(message.html) for message in reply.messages)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_active_dialog_gone_goes_to_the_menu_once(engine: Engine, lang: str) -> None:
    session = onboarded(engine, lang)
    session.active = Frame(dialog="bingo", state="ask")
    text = run(engine, session, Text("my answer to the old step"))
    assert APOLOGY[lang] in text and MENU[lang] in text
    assert session.active is not None and session.active.dialog == "menu"
    # no loop: the next input is an ordinary one, without another apology
    text = run(engine, session, Text("/help"))
    assert APOLOGY[lang] not in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_removed_step_restarts_its_dialog_kindly_with_the_answers_kept(
    engine: Engine, lang: str
) -> None:
    session = onboarded(engine, lang)
    session.active = Frame(dialog="prepare", state="old_goal_step", answers={"fit": "yes"})
    text = run(engine, session, Text("my answer to the old step"))
    assert APOLOGY[lang] in text and RESTART[lang] in text and FIT[lang] in text
    assert session.active is not None and session.active.state == "name"
    assert session.active.answers["fit"] == "yes"  # nothing answered is thrown away
    # no loop: the next input answers the first step, without another apology
    text = run(engine, session, Text("Founders' breakfast"))
    assert APOLOGY[lang] not in text
    assert session.active.state == "online"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_button_of_a_removed_step_restarts_the_dialog_not_stale(
    engine: Engine, lang: str
) -> None:
    session = onboarded(engine, lang)
    session.active = Frame(dialog="prepare", state="old_goal_step")
    session.step = 7
    text = run(engine, session, Tap(callback_data.encode(7, "customers")))
    assert RESTART[lang] in text and FIT[lang] in text
    assert "customers" not in session.active.answers  # type: ignore[union-attr]


def renamed_goal_engine(tmp_path: Path) -> Engine:
    """prepare.yaml after a coach renamed its step `goal` to `aim` and declared the move."""
    shutil.copytree(ROOT / "dialogs", tmp_path / "dialogs")
    path = tmp_path / "dialogs/prepare.yaml"
    text = path.read_text(encoding="utf-8")
    # save_as keeps the answer's name, which templates and effects read
    text = text.replace("  goal:\n", "  aim:\n    save_as: goal\n").replace("back: goal", "back: aim")
    text = text.replace("next: goal", "next: aim").replace("{to: goal}", "{to: aim}")
    text = text.replace("states:\n", "moved: {goal: aim}\nstates:\n", 1)
    path.write_text(text, encoding="utf-8")
    return build_engine(get_settings(dialogs_dir=tmp_path / "dialogs", _env_file=None))


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_renamed_step_declared_moved_goes_on_where_the_user_was(
    tmp_path: Path, lang: str
) -> None:
    engine = renamed_goal_engine(tmp_path)
    assert "goal" not in engine.specs["prepare"].states
    session = onboarded(engine, lang)
    session.active = Frame(dialog="prepare", state="goal", answers={"fit": "yes"})
    session.step = 7
    text = run(engine, session, Tap(callback_data.encode(7, "customers")))
    assert APOLOGY[lang] not in text and CONFIDENCE[lang] in text
    assert session.active is not None and session.active.state == "confidence"
    assert session.active.answers == {"fit": "yes", "goal": "customers"}


def test_a_paused_dialog_in_a_renamed_step_resumes_in_the_new_step(tmp_path: Path) -> None:
    engine = renamed_goal_engine(tmp_path)
    session = onboarded(engine, "en")
    session.active = Frame(dialog="exit", state="situation")
    session.suspended = [Frame(dialog="prepare", state="goal")]
    run(engine, session, Text("hello"))
    assert session.suspended[0].state == "aim"


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
def test_suspended_frames_gone_are_repaired_and_the_active_step_goes_on(
    engine: Engine, lang: str
) -> None:
    """/exit paused /prepare; meanwhile /prepare's step and a whole dialog were removed: the
    removed dialog is dropped, /prepare will start afresh when /exit is done."""
    session = onboarded(engine, lang)
    run(engine, session, Command("prepare"))
    run(engine, session, Command("exit"))
    assert session.active is not None and session.active.dialog == "exit"
    session.suspended[0].state = "old_goal_step"
    session.suspended.insert(0, Frame(dialog="bingo", state="ask"))
    situation = engine.preview_options(session.model_copy(deep=True), "exit", "situation")[0][0]
    text = run(engine, session, Tap(callback_data.encode(session.step, situation)))
    assert PAUSED[lang] in text and APOLOGY[lang] not in text
    assert [(f.dialog, f.state) for f in session.suspended] == [("prepare", "_begin")]
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
    stored.active = Frame(
        dialog="onboarding", state="old_business_step", answers=stored.active.answers  # type: ignore[union-attr]
    )
    await service.store.save(stored)
    await client.send("Steuerberatung")
    assert APOLOGY["de"] in client.text
    again = await service.store.load(client.user_id)
    assert again is not None and again.active is not None
    assert again.active.state == "language"  # onboarding from its start
    assert again.active.answers["name"] == "Ada"
