"""Dialog files fail at load with the file, the state and the problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import get_settings
from bot.engine.errors import DialogSpecError
from bot.engine.spec import InputKind, load_dialog, load_dialogs


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_dialogs_load() -> None:
    specs = load_dialogs(get_settings(_env_file=None).dialogs_dir)
    assert {"onboarding", "menu", "exit", "help", "resume", "language"} <= set(specs)
    assert specs["exit"].overlay and specs["exit"].command == "exit"
    assert specs["onboarding"].states["goals"].input == InputKind.MULTI


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: text, next: nowhere}\n",
            "state 'a': unknown target state 'nowhere'",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: text, next: c}\n"
            "  b: {final: true}\n  c: {final: true}\n",
            "state 'b': unreachable from 'a'",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: text}\n",
            "state 'a': not final and has no way on",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: choice, next: b}\n  b: {final: true}\n",
            "states → a: input 'choice' needs 'options'",
        ),
        ("dialog: d\nstart: zz\nstates:\n  a: {final: true}\n", "start state 'zz' is not defined"),
        ("dialog: d\nstart: a\nstates:\n  a: {input: text, next: a}\n", "needs a 'prompt'"),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: sing, next: a}\n",
            "states → a → input",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: choice, options: [x, x], next: a}\n",
            "duplicate option ids",
        ),
        ("dialog: d\nstart: a\nstates:\n  a: {final: true, colour: red}\n", "colour"),
        ("dialog: other\nstart: a\nstates:\n  a: {final: true}\n", "must match the file name"),
        ("dialog: d\nstart: a\nstates: [\n", "not valid YAML"),
    ],
)
def test_invalid_dialogs_name_file_and_state(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(DialogSpecError) as error:
        load_dialog(write(tmp_path, "d", body))
    assert str(error.value).startswith("d.yaml: ")
    assert message in str(error.value)


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DialogSpecError, match="no dialog files"):
        load_dialogs(tmp_path)
