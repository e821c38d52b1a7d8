"""dialogs/states.lock: `check` catches a state that vanished without `moved`, names the fix."""

from __future__ import annotations

from pathlib import Path

from bot.authoring.states_lock import read_lock, write_lock
from bot.check import run_check
from bot.cli import main
from bot.engine.spec import load_dialogs
from tests.test_check import ROOT, copy_content


def rename_goal(tmp_path: Path, moved: bool) -> None:
    path = tmp_path / "dialogs/prepare.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  goal:\n", "  aim:\n    save_as: goal\n").replace(
        "back: goal", "back: aim"
    )
    text = text.replace("next: goal", "next: aim").replace("{to: goal}", "{to: aim}")
    if moved:
        text = text.replace("states:\n", "moved: {goal: aim}\nstates:\n", 1)
    path.write_text(text, encoding="utf-8")


def test_the_committed_lock_lists_states_of_the_shipped_dialogs() -> None:
    locked = read_lock(ROOT / "dialogs")
    assert locked is not None and "goal" in locked["prepare"]
    specs = load_dialogs(ROOT / "dialogs")
    # nothing in the lock vanished (check says the same, with the fix)
    assert all(
        state in specs[name].states or state in specs[name].moved
        for name, states in locked.items()
        for state in states
    )


def test_a_renamed_state_without_moved_fails_check_naming_file_state_and_fix(
    tmp_path: Path,
) -> None:
    settings = copy_content(tmp_path)
    # the lock as released with the dialogs as they are, so a step a coach has just added (and
    # not yet locked) does not compete with `aim` as the likely rename
    write_lock(tmp_path / "dialogs", load_dialogs(tmp_path / "dialogs"))
    rename_goal(tmp_path, moved=False)
    problems = run_check(settings)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.startswith("dialogs/prepare.yaml state 'goal' (dialogs/states.lock:")
    assert "add `moved: {goal: aim}` (did you mean 'aim'?)" in problem
    assert "`exit-coach lock-states`" in problem


def test_a_moved_entry_satisfies_check(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    rename_goal(tmp_path, moved=True)
    assert run_check(settings) == []


def test_moved_to_an_unknown_state_or_from_an_existing_one_is_refused(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    path = tmp_path / "dialogs/prepare.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("states:\n", "moved: {goal: aimm, fit: goal}\nstates:\n", 1))
    problems = "\n".join(run_check(settings))
    assert "moved: 'goal' is still a state" in problems
    assert "moved: 'fit' is still a state" in problems
    path.write_text(text.replace("states:\n", "moved: {old_goal: aimm}\nstates:\n", 1))
    assert "moved: 'old_goal' moves to unknown state 'aimm'" in "\n".join(run_check(settings))


def test_lock_states_accepts_a_removal_and_a_removed_dialog_is_caught(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    settings = copy_content(tmp_path)
    rename_goal(tmp_path, moved=False)
    monkeypatch.setenv("DIALOGS_DIR", str(tmp_path / "dialogs"))
    monkeypatch.setenv("PROMPTS_DIR", str(tmp_path / "prompts"))
    assert main(["check"]) == 1
    assert main(["lock-states"]) == 0
    out = capsys.readouterr().out
    assert "no longer listed: prepare/goal" in out
    assert main(["check"]) == 0
    locked = read_lock(tmp_path / "dialogs")
    assert locked is not None and "aim" in locked["prepare"] and "goal" not in locked["prepare"]
    lock = tmp_path / "dialogs/states.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "bingo:\n- ask\n", encoding="utf-8")
    problems = "\n".join(run_check(settings))
    assert "dialogs/bingo.yaml is gone (listed in dialogs/states.lock:" in problems
