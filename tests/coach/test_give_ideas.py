"""When the user does not know what to give, the cheat sheet shows an idea that fits the goal,
never the shrug: which give is kept, and how every idea reads on the sheet in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.give_ideas import GIVE_IDEAS, IDEAS_BY_GOAL, chosen_give, ideas_for, sheet_give
from bot.engine.conversation import Engine
from tests.coach.previews import event, shown

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
GOALS = ("customers", "cooperations", "exchange", "inspiration", "tryout")


@pytest.mark.parametrize(
    ("give", "idea", "kept"),
    [
        ("my checklist for shop websites", None, ("my checklist for shop websites", None)),
        ("my checklist", "tip", ("my checklist", None)),  # typed again after going back
        ("idk really", "tip", (None, "tip")),
        ("weiß nicht so genau", "question", (None, "question")),
        ("🤷", "resource", (None, "resource")),
        (None, "introduction", (None, "introduction")),  # skipped, then picked an idea
        ("no clue lol", None, (None, None)),  # skipped the ideas too
        (None, "forged", (None, None)),
    ],
)
def test_the_typed_give_or_the_picked_idea_is_kept_never_the_shrug(
    give: str | None, idea: str | None, kept: tuple[str | None, str | None]
) -> None:
    assert chosen_give({"give": give, "give_idea": idea}) == kept


def test_a_shrug_an_older_version_kept_becomes_the_good_question() -> None:
    assert sheet_give("keine Ahnung", None) == (None, "question")
    assert sheet_give(None, "tip") == (None, "tip")
    assert sheet_give("Kontakt zu Jonas", None) == ("Kontakt zu Jonas", "")


def test_every_goal_gets_three_different_ideas() -> None:
    for goal in (*GOALS, None, "unknown"):
        ideas = ideas_for(goal)
        assert len(set(ideas)) == 3 and set(ideas) <= set(GIVE_IDEAS)
    assert set(IDEAS_BY_GOAL) == set(GOALS)


SHRUGS = {"de": ("weiß", "keine ahnung", "nicht so genau"), "en": ("idk", "no idea", "not sure")}


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("goal", GOALS)
@pytest.mark.parametrize("idea", GIVE_IDEAS)
def test_every_idea_reads_as_one_line_on_the_cheat_sheet(
    engine: Engine, lang: str, goal: str, idea: str
) -> None:
    prepared = event(
        "Impact Hub",
        NOW + timedelta(hours=2),
        goal,
        give_idea=idea,
        exit_situations=["silence", "need_break"],
    )
    text = shown(engine, lang, "cheatsheet", "show", NOW, {"event_id": prepared.id}, [prepared])
    label = {"de": "🎁 Erst geben: ", "en": "🎁 Give first: "}[lang]
    line = next(line for line in text.splitlines() if line.startswith(label))
    given = line.removeprefix(label)
    assert given[0].islower() and given[-1] not in " .,:–", given  # reads on after the colon
    assert "  " not in given and ".." not in given and " ." not in given
    assert not any(shrug in given.lower() for shrug in SHRUGS[lang])


@pytest.mark.parametrize(
    ("lang", "whom", "line"),
    [
        ("de", "hmm weiß nicht so recht, vllt handwerker die grad gründen?", "👥 Gesuchte Kontakte: handwerker die grad gründen"),
        ("de", "keine ahnung 🤷", None),
        ("de", "Inhaberinnen kleiner Läden", "👥 Gesuchte Kontakte: Inhaberinnen kleiner Läden"),
        ("en", "idk maybe practice managers? or agencies who need a dev", "👥 Contacts to look for: practice managers, or agencies who need a dev"),
        ("en", "no clue tbh", None),
    ],
)
def test_whom_to_meet_is_printed_without_the_shrug(
    engine: Engine, lang: str, whom: str, line: str | None
) -> None:
    prepared = event("Impact Hub", NOW + timedelta(hours=2), "customers", whom=whom)
    text = shown(engine, lang, "cheatsheet", "show", NOW, {"event_id": prepared.id}, [prepared])
    label = line.split(":")[0] if line else "👥"
    if line is None:
        assert "👥" not in text, text
    else:
        assert line in text.splitlines(), text
        assert label in text
