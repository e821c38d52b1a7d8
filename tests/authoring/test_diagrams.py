"""`exit-coach graph` in three formats, and the diagrams in docs/dialogs.md kept current."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.authoring.diagrams import BEGIN, END, WRITE_DOCS, stale_docs, with_diagrams, write_docs
from bot.cli import main
from bot.engine.graph import dot, edges, mermaid
from bot.engine.spec import load_dialogs

ROOT = Path(__file__).resolve().parents[2]
SPECS = load_dialogs(ROOT / "dialogs")


def test_committed_docs_show_the_dialogs_as_they_are() -> None:
    assert stale_docs(ROOT / "dialogs") is None, stale_docs(ROOT / "dialogs")


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_step_and_arrow_is_drawn(name: str) -> None:
    spec = SPECS[name]
    text, graphviz = mermaid(spec), dot(spec)
    assert f"[*] --> {spec.start}" in text
    assert f'"__start__" -> "{spec.start}"' in graphviz
    for edge in edges(spec):
        assert f"{edge.source} --> {edge.target}" in text
        target = "__end__" if edge.target == "[*]" else edge.target
        assert f'"{edge.source}" -> "{target}"' in graphviz
    for state_name, state in spec.states.items():
        assert f'"{state_name}" [label=' in graphviz
        assert ("peripheries=2" in graphviz.split(f'"{state_name}" [label=')[1].split("\n")[0]) == state.final


def test_arrows_carry_buttons_conditions_and_back() -> None:
    text = mermaid(SPECS["prepare"])
    assert "people_fit --> cost_time: if advise_skip" in text
    assert "intro_choice --> intro_text: own" in text
    assert "fit --> load: back" not in text and "people_fit --> fit: back" in text
    assert "calendar --> [*]: then menu" in text
    assert "dashed" in dot(SPECS["prepare"]) or "style=dashed" in dot(SPECS["prepare"])


def test_svg_is_a_picture_with_the_steps_and_labels_as_text(tmp_path: Path, capsys) -> None:
    output = tmp_path / "prepare.svg"
    assert main(["graph", "prepare", "--format", "svg", "--output", str(output)]) == 0
    root = ET.fromstring(output.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    texts = {"".join(node.itertext()).strip() for node in root.iter() if node.tag.endswith("text")}
    assert set(SPECS["prepare"].states) <= texts
    assert {"if advise_skip", "back", "own", "then menu"} <= texts


def test_svg_of_all_dialogs_needs_a_folder(tmp_path: Path, capsys) -> None:
    assert main(["graph", "--format", "svg"]) == 2
    assert "name it" in capsys.readouterr().err
    assert main(["graph", "--format", "svg", "--output", str(tmp_path / "all")]) == 0
    assert sorted(p.stem for p in (tmp_path / "all").glob("*.svg")) == sorted(SPECS)


def test_dot_on_stdout_and_unknown_dialog(capsys) -> None:
    assert main(["graph", "exit", "--format", "dot"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('digraph "exit" {') and '"line" -> "situation" [label="other_situation"];' in out
    assert main(["graph", "exitt"]) == 2
    assert "no dialog 'exitt'" in capsys.readouterr().err


def test_write_docs_keeps_the_text_around_the_diagrams(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "dialogs", tmp_path / "dialogs")
    (tmp_path / "docs").mkdir()
    docs = tmp_path / "docs" / "dialogs.md"
    docs.write_text("# Writing dialogs\n\nHand-written text.\n", encoding="utf-8")
    assert "run `exit-coach graph --write-docs`" in str(stale_docs(tmp_path / "dialogs"))
    assert write_docs(tmp_path / "dialogs") is True
    first = docs.read_text(encoding="utf-8")
    assert first.startswith("# Writing dialogs\n\nHand-written text.\n\n" + BEGIN)
    assert first.count("```mermaid") == len(SPECS) and first.rstrip().endswith(END)
    docs.write_text(first + "\nMore text after.\n", encoding="utf-8")
    exit_file = tmp_path / "dialogs" / "exit.yaml"
    exit_file.write_text(exit_file.read_text(encoding="utf-8").replace("other_situation", "elsewhere"), encoding="utf-8")
    assert stale_docs(tmp_path / "dialogs") is not None
    assert write_docs(tmp_path / "dialogs") is True and write_docs(tmp_path / "dialogs") is False
    second = docs.read_text(encoding="utf-8")
    assert "line --> situation: elsewhere" in second and "other_situation" not in second
    assert second.endswith(END + "\n\nMore text after.\n") and second.count(BEGIN) == 1
    assert WRITE_DOCS in with_diagrams("", SPECS)
