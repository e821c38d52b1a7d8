"""Transcript coverage: measured from the engine's moves; the CI gate over the shipped dialogs."""

from __future__ import annotations

from pathlib import Path

from bot.authoring.coverage import TRANSITIONS_REQUIRED, measure
from bot.authoring.transcripts import replay_file
from bot.cli import main
from bot.engine.conversation import Engine
from bot.engine.spec import load_dialogs

ROOT = Path(__file__).resolve().parents[2]
SPECS = load_dialogs(ROOT / "dialogs")
TRANSCRIPTS = sorted((ROOT / "tests" / "transcripts").glob("*.yaml"))
# Steps no user can reach today, kept as safety nets; each needs a reason.
SAFETY_NETS = {
    # A nudge whose contact is no longer open: marking a follow-up done cancels its nudge in the
    # same turn and erasing the user erases the reminders, so only a future change reaches it.
    "nudge.gone",
    # The morning list of contacts caught in the room, when none is left to draft: they can only
    # be drafted from that list, so only a future way to draft them elsewhere reaches it.
    "followup.nothing_caught",
}

EXIT_ONCE = """\
language: en
steps:
  - send: /start
  - tap: English
  - send: Ada
  - send: I design websites
  - tap: Win customers
  - tap: Done
  - send: /exit
  - tap: Leave a conversation
  - tap: Different world
  - tap: Another line
  - tap: Other situation
  - tap: Join a group
  - tap: Done
"""


async def test_coverage_counts_what_the_engine_did(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "en_exit.yaml"
    path.write_text(EXIT_ONCE, encoding="utf-8")
    result = await replay_file(path, engine)
    assert result.passed, result.report()
    exit_dialog = measure(SPECS, [result]).dialogs["exit"]
    assert exit_dialog.missing_states == []
    assert {e.describe() for e in exit_dialog.missing_transitions} == {
        "menu → menu (if exit_menu_chosen)",
        "menu → situation (back)",
        "line → line (tone)",
        "situation → [*] (met_someone (starts catch))",
    }
    taken = {e.describe() for e in exit_dialog.taken}
    assert {"line → line (another)", "line → situation (other_situation)", "line → done (done)"} <= taken
    prepare = measure(SPECS, [result]).dialogs["prepare"]
    assert prepare.missing_states == list(SPECS["prepare"].states) and not prepare.taken
    menu = measure(SPECS, [result]).dialogs["menu"]
    assert "main → [*] (prepare (starts prepare))" in {e.describe() for e in menu.missing_transitions}


async def test_the_gate_names_dialog_files_steps_and_transitions() -> None:
    coverage = measure(SPECS, [])
    problems = "\n".join(coverage.gate(excused={"exit.line"}))
    assert "dialogs/exit.yaml: step 'situation' is never reached by a transcript" in problems
    assert "step 'line'" not in problems
    assert "the transcripts take 0 of" in problems and "fewer than 90 %" in problems
    assert "  dialogs/prepare.yaml: people_fit → cost_time (if advise_skip)" in problems


def test_the_report_lists_what_is_missing_per_dialog_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "en_exit.yaml"
    path.write_text(EXIT_ONCE, encoding="utf-8")
    assert main(["test-dialogs", "--coverage", str(path)]) == 0
    out = capsys.readouterr().out
    assert "exit               4/4 100 %     6/10  60 %" in out
    assert "dialogs/exit.yaml: transitions never taken: situation → [*] (met_someone (starts " in out
    assert "dialogs/prepare.yaml: steps never reached: load, name," in out


async def test_transcripts_reach_every_step_and_most_transitions(engine: Engine) -> None:
    """The CI gate: every step of every shipped dialog is reached by some transcript, and
    at least 90 % of all transitions are taken."""
    results = [await replay_file(path, engine) for path in TRANSCRIPTS]
    failed = [result.report() for result in results if not result.passed]
    assert not failed, "\n".join(failed)
    problems = measure(SPECS, results).gate(excused=SAFETY_NETS)
    assert not problems, (
        "\nThe transcripts in tests/transcripts/ do not exercise the dialogs enough (every step, "
        f"and {100 * TRANSITIONS_REQUIRED:.0f} % of the transitions); add steps or transcripts "
        "for these (`exit-coach test-dialogs --coverage` shows the whole table):\n"
        + "\n".join(problems)
    )
