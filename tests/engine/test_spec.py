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
            "dialogs/d.yaml:4 state 'a': unknown target state 'nowhere'",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: text, next: c}\n"
            "  b: {final: true}\n  c: {final: true}\n",
            "dialogs/d.yaml:5 state 'b': unreachable from 'a'",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: text}\n",
            "dialogs/d.yaml:4 state 'a': not final and has no way on",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: choice, next: b}\n  b: {final: true}\n",
            "dialogs/d.yaml:4 state 'a': input 'choice' needs 'options'",
        ),
        ("dialog: d\nstart: zz\nstates:\n  a: {final: true}\n", "dialogs/d.yaml:2: start state 'zz' is not defined"),
        ("dialog: d\nstart: a\nstates:\n  a: {input: text, next: a}\n", "needs a 'prompt'"),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: sing, next: a}\n",
            "dialogs/d.yaml:4 state 'a' → input: Input should be",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: choice, options: [x, x], next: a}\n",
            "duplicate option ids",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {final: true, colour: red}\n",
            "dialogs/d.yaml:4 state 'a' → colour: Extra inputs are not permitted",
        ),
        ("dialog: other\nstart: a\nstates:\n  a: {final: true}\n", "must match the file name"),
        ("dialog: d\nstart: a\nstates: [\n", "not valid YAML"),
    ],
)
def test_invalid_dialogs_name_file_and_state(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(DialogSpecError) as error:
        load_dialog(write(tmp_path, "d", body))
    assert str(error.value).startswith("dialogs/d.yaml")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: text, next: b}\n"
            "  b:\n    final: true\n    thn: menu\n",
            "dialogs/d.yaml:7 state 'b' → thn: Extra inputs are not permitted (did you mean 'then'?)",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: txt, next: a}\n",
            "(did you mean 'text'?)",
        ),
        (
            "dialog: d\nstart: a\nstates:\n  a: {prompt: p, input: text, next: dne}\n"
            "  done: {final: true}\n",
            "dialogs/d.yaml:4 state 'a': unknown target state 'dne' (did you mean 'done'?)",
        ),
        (
            "dialog: d\nstart: strt\nstates:\n  start: {final: true}\n",
            "dialogs/d.yaml:2: start state 'strt' is not defined (did you mean 'start'?)",
        ),
    ],
)
def test_misspelt_names_get_a_guess(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(DialogSpecError) as error:
        load_dialog(write(tmp_path, "d", body))
    assert message in str(error.value)


def test_every_broken_file_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "a", "dialog: a\nstart: x\nstates:\n  x: {prompt: p, input: text}\n")
    write(tmp_path, "b", "dialog: b\nstart: y\nstates:\n  y: {final: true}\n  z: {final: true}\n")
    with pytest.raises(DialogSpecError) as error:
        load_dialogs(tmp_path)
    lines = str(error.value).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["dialogs/a.yaml:4", "dialogs/b.yaml:5"]


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DialogSpecError, match="no dialog files"):
        load_dialogs(tmp_path)
