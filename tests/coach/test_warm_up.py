"""The two-minute warm-up on the day: the introduction to say once, three first lines that fit
the event (its goal; the breakout room at an online event), the chosen one again with a calm-down
cue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.conversation import Engine
from tests.coach.previews import event, shown

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def show(engine: Engine, lang: str, step: str, online: bool, goal: str, **answers: str) -> str:
    prepared = event(
        "Retail Meetup",
        NOW + timedelta(hours=1),
        goal,
        online=online,
        exit_situations=["silence", "need_break"],
    )
    return shown(
        engine,
        lang,
        "cheatsheet",
        step,
        NOW,
        {"event_id": prepared.id, **answers},
        [prepared],
        name="Ada",
        business="I design websites for shops",
    )


@pytest.mark.parametrize(
    ("lang", "online", "goal", "first"),
    [
        ("en", False, "customers", "1. “Hello! What are you working on at the moment"),
        ("en", False, "cooperations", "1. “Hello! Who do you usually team up with"),
        ("en", True, "exchange", "1. “Hello, everyone! Shall we do a quick round of introductions"),
        ("de", False, "customers", "1. „Hallo! Woran arbeiten Sie gerade"),
        ("de", True, "exchange", "1. „Hallo zusammen! Wollen wir eine kurze Runde machen"),
    ],
)
def test_the_first_lines_fit_the_events_goal_and_place(
    engine: Engine, lang: str, online: bool, goal: str, first: str
) -> None:
    text = show(engine, lang, "opener", online, goal)
    assert first in text and "3. " in text and "4. " not in text, text
    assert ("Only if" not in text) and ("Nur, wenn" not in text)  # true for anyone


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_calm_down_cue_repeats_the_chosen_line(engine: Engine, lang: str) -> None:
    text = show(engine, lang, "calm", True, "exchange", opener="o2")
    chosen = {
        "en": "Your first line: “Hello! I'm happy to start",
        "de": "Dein erster Satz: „Hallo!",
    }
    assert chosen[lang] in text
    assert {"en": "leaving early is allowed", "de": "früher gehen ist erlaubt"}[lang] in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_introduction_to_say_once_is_the_one_from_the_cheat_sheet(
    engine: Engine, lang: str
) -> None:
    text = show(engine, lang, "say_intro", False, "customers")
    expected = {
        "en": "I'm Ada and I design websites for shops. What are you working on at the moment?",
        "de": "Ich bin Ada, I design websites for shops. Woran arbeiten Sie gerade?",
    }
    assert expected[lang] in text
