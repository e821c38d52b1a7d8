"""`exit-coach stats`: reach, finish and drop-off per dialog step, and which exit lines were used,
from the step history the bot writes (never message contents); on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.authoring.stats import Stats, compute, csv_text, table
from bot.cli import main
from bot.engine.spec import DialogSpec
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.sessions import SessionStore
from bot.store.step_stats import StepRow, step_rows
from tests.conftest import Clock
from tests.dialog_client import DialogClient
from tests.postgres import fresh_postgres_database

T0 = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def rows(user: int, *steps: str, choices: dict[int, str] | None = None) -> list[StepRow]:
    """`dialog/state` steps of one user, a minute apart."""
    return [
        StepRow(user, *step.split("/"), (choices or {}).get(n), T0 + timedelta(minutes=n))  # type: ignore[arg-type]
        for n, step in enumerate(steps)
    ]


def test_finished_dropped_and_an_overlay_in_between(engine) -> None:  # type: ignore[no-untyped-def]
    history = [
        # finished onboarding; /exit during it does not end it
        *rows(
            1,
            "onboarding/language",
            "onboarding/name",
            "exit/situation",
            "exit/line",
            "exit/done",
            "onboarding/business",
            "onboarding/goals",
            "onboarding/done",
            choices={3: "other_world/2"},
        ),  # fmt: skip
        # stopped at "name"
        *rows(2, "onboarding/language", "onboarding/name"),
        # went back a step (not a new run), stopped at business, started again, stopped at once
        *rows(
            3,
            "onboarding/language",
            "onboarding/name",
            "onboarding/business",
            "onboarding/name",
            "onboarding/business",
            "onboarding/language",
        ),  # fmt: skip
        # /settings loops back to its first step after saving: one run, closed at the end
        *rows(4, "settings/main", "settings/zone", "settings/saved", "settings/main",
              "settings/closed"),  # fmt: skip
    ]
    stats = compute(history, engine.specs)
    onboarding = stats.dialogs["onboarding"]
    assert (len(onboarding.started_users), len(onboarding.finished_users)) == (3, 1)
    assert (onboarding.runs, onboarding.finished_runs) == (4, 1)
    steps = onboarding.steps
    assert list(steps)[:3] == ["language", "name", "business"]  # the dialog file's order
    assert {s: (len(c.users), c.dropped) for s, c in steps.items()} == {
        "language": (3, 1),
        "name": (3, 1),
        "business": (2, 1),
        "goals": (1, 0),
        "zone": (0, 0),  # every step of the dialog is listed, reached or not
        "zone_text": (0, 0),
        "zone_unknown": (0, 0),
        "zone_typed": (0, 0),
        "done": (1, 0),
    }
    assert stats.exit_situations == {"other_world": 1}
    assert stats.exit_lines == {("other_world", 2): 1}
    settings = stats.dialogs["settings"]
    assert (settings.runs, settings.finished_runs, settings.steps["main"].runs) == (1, 1, 1)


def test_a_step_no_longer_in_the_dialog_is_still_counted(engine) -> None:  # type: ignore[no-untyped-def]
    stats = compute(rows(1, "prepare/load", "prepare/old_goal"), engine.specs)
    assert stats.dialogs["prepare"].steps["old_goal"].dropped == 1
    assert "old_goal (gone)" in table(stats, engine.specs, {})


async def walk(service: ConversationService, clock: Clock) -> None:
    """Three users: one finishes onboarding and uses /exit, one stops at the name, one at
    the goals (in German)."""
    ada = DialogClient(service, user_id=1)
    await ada.onboard()
    await ada.send("/exit")
    await ada.tap("Leave a conversation")
    await ada.tap("A different world")
    await ada.tap("Another line")
    await ada.tap("Another line")
    await ada.tap("Done")
    ben = DialogClient(service, user_id=2)
    await ben.send("/start")
    await ben.tap("English")
    clock.advance(minutes=5)
    cem = DialogClient(service, user_id=3, language="de")
    await cem.send("/start")
    await cem.tap("Deutsch")
    await cem.send("Cem")
    await cem.send("Beratung")


def assert_walked(stats: Stats, specs: dict[str, DialogSpec]) -> None:
    onboarding = stats.dialogs["onboarding"]
    assert (len(onboarding.started_users), len(onboarding.finished_users)) == (3, 1)
    assert {s: (len(c.users), c.dropped) for s, c in onboarding.steps.items()} == {
        "language": (3, 0),
        "name": (3, 1),
        "business": (2, 0),
        "goals": (2, 1),
        "zone": (1, 0),  # Ada, in English, was asked where she is
        "zone_text": (0, 0),
        "zone_unknown": (0, 0),
        "zone_typed": (0, 0),
        "done": (1, 0),
    }
    assert stats.exit_situations == {"other_world": 1}
    # three different lines of the situation, each shown once (which ones: the user's goal)
    assert [situation for situation, _ in stats.exit_lines] == ["other_world"] * 3
    assert list(stats.exit_lines.values()) == [1, 1, 1]
    exit_dialog = stats.dialogs["exit"]
    assert (exit_dialog.runs, exit_dialog.finished_runs) == (1, 1)


async def test_stats_from_the_step_history_the_bot_writes(
    service: ConversationService, clock: Clock
) -> None:
    await walk(service, clock)
    history = await step_rows(service.store.database)
    shown = [row.choice for row in history if row.choice]
    assert len(shown) == 3 and all(choice.startswith("other_world/") for choice in shown)
    assert all(row.choice is None for row in history if row.state != "line")
    assert_walked(compute(history, service.engine.specs), service.engine.specs)
    later = await step_rows(service.store.database, since=clock.now - timedelta(minutes=1))
    assert {row.user_id for row in later} == {3}


async def test_stats_on_postgresql(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async with fresh_postgres_database() as url:
        database = await open_database(url)
        try:
            clock = Clock()
            await walk(ConversationService(engine, SessionStore(database), clock=clock), clock)
            assert_walked(compute(await step_rows(database), engine.specs), engine.specs)
        finally:
            await database.dispose()


async def test_the_command_prints_a_table_a_csv_and_draws_a_chart(
    service: ConversationService, clock: Clock, settings, tmp_path: Path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    await walk(service, clock)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.chdir(tmp_path)
    chart = tmp_path / "funnel.png"
    assert await _main(["stats", "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "Step history: 3 users" in out
    assert "onboarding: 3 users started, 1 finished (33%); 3 runs, 1 finished" in out
    assert "  name                        3      3            1" in out
    assert "  other_world                   1" in out
    assert re.search(r"\n    line \d+ +1  \w", out)  # a line's place, times shown, technique
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert await _main(["stats", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "section,dialog,step,users,runs,dropped_off"
    assert "step,onboarding,goals,2,2,1" in lines
    assert "finished,onboarding,,1,1," in lines
    assert len([x for x in lines if x.startswith("exit_line,exit,other_world/")]) == 3
    assert await _main(["stats", "--since", "2026-12-01"]) == 0
    assert "Step history since 2026-12-01: 0 users, 0 steps" in capsys.readouterr().out
    assert await _main(["stats", "--since", "yesterday"]) == 2


async def _main(argv: list[str]) -> int:
    """The command runs its own event loop: call it from a worker thread."""
    import asyncio

    return await asyncio.to_thread(main, argv)


def test_the_table_and_csv_name_every_step_in_file_order(engine) -> None:  # type: ignore[no-untyped-def]
    stats = compute(rows(1, "help/show"), engine.specs)
    assert "help: 1 user started, 1 finished (100%)" in table(stats, engine.specs, {})
    assert "step,help,show,1,1,0" in csv_text(stats, engine.specs)


def test_stats_may_name_only_our_own_ids(tmp_path: Path) -> None:
    """A dialog file cannot make the step history keep what a user typed."""
    from bot.check import run_check
    from tests.test_check import copy_content, line_of

    settings = copy_content(tmp_path)
    path = tmp_path / "dialogs/settings.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  zone_text:\n", "  zone_text:\n    stats: [zone_text, view.zone]\n")
    path.write_text(text, encoding="utf-8")
    line = line_of(path, "    stats:")
    assert run_check(settings) == [
        f"dialogs/settings.yaml:{line} state 'zone_text': stats: 'zone_text' is typed by users "
        "(state 'zone_text'); only button answers and values the code sets may be counted",
        f"dialogs/settings.yaml:{line} state 'zone_text': stats: 'view.zone' may hold text a "
        "user typed; only view values named …_id (ids the code makes) may be counted",
    ]
