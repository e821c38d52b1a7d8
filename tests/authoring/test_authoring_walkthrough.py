"""docs/authoring.md stays true: its examples, applied to a copy of the dialogs and prompts the
way a coach would, pass `exit-coach check` and show up in the graph and in the chat."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import yaml

from bot.authoring.recording import recorded_chat
from bot.check import run_check
from bot.config import get_settings
from bot.engine.graph import mermaid
from bot.engine.spec import load_dialogs

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", DOC, flags=re.S)
YAML = [text for kind, text in BLOCKS if kind == "yaml"]
HTML = [text for kind, text in BLOCKS if kind == "html"]

def follow_the_walkthrough(folder: Path) -> None:
    shutil.copytree(ROOT / "dialogs", folder / "dialogs")
    shutil.copytree(ROOT / "prompts", folder / "prompts")
    english, german, step, buttons = YAML[1], YAML[2], YAML[3], YAML[4]
    for lang, block in (("en", english), ("de", german)):
        lines = folder / "prompts" / lang / "exit_lines.yaml"
        text = lines.read_text(encoding="utf-8")
        text = text.replace("situations:\n", f"situations:\n{block}\n", 1)
        text = re.sub(r"(\n  leave:\n(?:    .*\n)*?    items: \[.*?)\]", r"\1, too_loud]", text, count=1)
        lines.write_text(text, encoding="utf-8")
    prepare = folder / "dialogs" / "prepare.yaml"
    spec = yaml.safe_load(prepare.read_text(encoding="utf-8"))
    spec["states"]["confidence"]["next"] = "warm_up"
    spec["states"]["whom"]["back"] = "warm_up"
    spec["states"].update(yaml.safe_load(step))
    prepare.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for lang, question in (("en", HTML[0]), ("de", HTML[1])):
        (folder / "prompts" / lang / "prepare" / "warm_up.html").write_text(question, encoding="utf-8")
    english = yaml.safe_load(buttons)
    german = dict(re.findall(r'^(\w+):.*# de: (".*")$', buttons, flags=re.M))
    for lang, labels in (("en", english), ("de", {k: yaml.safe_load(v) for k, v in german.items()})):
        with (folder / "prompts" / lang / "buttons.yaml").open("a", encoding="utf-8") as file:
            file.write(yaml.safe_dump(labels, allow_unicode=True))


async def test_the_walkthrough_passes_check_and_shows_in_graph_and_chat(tmp_path: Path) -> None:
    follow_the_walkthrough(tmp_path)
    settings = get_settings(
        dialogs_dir=tmp_path / "dialogs",
        prompts_dir=tmp_path / "prompts",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/chat.db",
        _env_file=None,
    )
    assert run_check(settings) == []
    diagram = mermaid(load_dialogs(tmp_path / "dialogs")["prepare"])
    assert "confidence --> warm_up" in diagram and "warm_up --> whom" in diagram
    stdout = io.StringIO()
    stdin = io.StringIO(
        "1\nJens\nIch berate Handwerksbetriebe.\n1\nFertig ✔\n"
        "0\n3\n"  # the exit button, then "leave a conversation …"
        "/prepare\nStammtisch\n1\n1\n1\n1\n3\n/quit\n"  # name, in person, fit, people, goal, 3
    )
    await recorded_chat(settings, "de", tmp_path / "s.md", None, stdin=stdin, stdout=stdout)
    out = stdout.getvalue()
    assert "[9] 🔊 Zu laut zum Reden" in out
    assert "Wie startest Du in den Abend?" in out and "[2] 👋 Gastgeber begrüßen" in out


def test_the_documented_transcript_keys_are_the_ones_the_runner_knows() -> None:
    from bot.authoring.transcripts import KNOWN_KEYS, SCRIPT_KEYS

    table = DOC.split("## Test conversations")[1].split("### When a test fails")[0]
    documented = set(re.findall(r"^\| `(\w+)", table, flags=re.M))
    assert documented == KNOWN_KEYS
    assert all(f"`{key}:" in table for key in SCRIPT_KEYS - {"steps", "language"})
