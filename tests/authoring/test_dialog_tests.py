"""`exit-coach test-dialogs`: transcripts replayed without pytest, with a readable diff."""

from __future__ import annotations

from pathlib import Path

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]

ONBOARDING = """\
language: en
steps:
  - send: /start
    expect: ["Which language"]
    buttons: [English, Deutsch]
  - tap: English
    expect: ["What should I call you?"]
  - send: Ada
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_passing_transcript(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "en_ok.yaml", ONBOARDING + '    expect: ["Nice to meet you, Ada"]\n')
    assert main(["test-dialogs", str(path)]) == 0
    out = capsys.readouterr().out
    assert "✓ en_ok.yaml (3 steps)" in out and "1 of 1 transcripts passed" in out


def test_a_wrong_expectation_shows_step_action_expected_text_and_buttons(tmp_path, capsys) -> None:
    path = write(tmp_path, "en_wrong.yaml", ONBOARDING + '    expect: ["Nice to meet you, Bob"]\n')
    assert main(["test-dialogs", str(path)]) == 1
    out = capsys.readouterr().out
    assert "✗ en_wrong.yaml, step 3" in out
    assert "the user: sends 'Ada'" in out
    assert "expected (in order): 'Nice to meet you, Bob', not found anywhere" in out
    assert "    │ Nice to meet you, Ada!" in out
    assert "buttons offered: [◀ Back]" in out
    assert "0 of 1 transcripts passed" in out


def test_a_missing_button_and_an_order_mistake(tmp_path: Path, capsys) -> None:
    tap = write(tmp_path, "en_tap.yaml", ONBOARDING.replace("tap: English", "tap: Klingon"))
    order = write(tmp_path, "en_order.yaml", ONBOARDING.replace(
        'expect: ["Which language"]', 'expect: ["Which language", "Hi"]'))  # fmt: skip
    assert main(["test-dialogs", str(tap), str(order)]) == 1
    out = capsys.readouterr().out
    assert "✗ en_tap.yaml, step 2\n  the user: taps 'Klingon'\n  there is no button 'Klingon' to tap" in out
    assert "buttons offered: [🇩🇪 Deutsch] [🇬🇧 English]" in out
    assert "✗ en_order.yaml, step 1" in out and "not found after the text before it" in out


def test_buttons_absent_and_toast_are_checked(tmp_path: Path, capsys) -> None:
    absent = write(tmp_path, "en_absent.yaml", ONBOARDING.replace("buttons: [English, Deutsch]", "absent: [Deutsch]"))
    buttons = write(tmp_path, "en_buttons.yaml", ONBOARDING.replace("[English, Deutsch]", "[Español]"))
    assert main(["test-dialogs", str(absent), str(buttons)]) == 1
    out = capsys.readouterr().out
    assert "must not show: 'Deutsch', but it does" in out
    assert "expected a button 'Español'" in out


def test_an_answer_the_bot_did_not_take_fails_where_it_was_given(tmp_path, capsys) -> None:
    """A new button step in a dialog makes old transcripts type into it: the failure names
    that step, not the next `expect:` several steps later; meant re-asks carry `expect:`."""
    typed = ONBOARDING.replace("  - tap: English", "  - send: English please")
    unmeant = write(tmp_path, "en_unmeant.yaml", typed.replace(
        '    expect: ["What should I call you?"]\n', ""))  # fmt: skip
    meant = write(tmp_path, "en_meant.yaml", typed.replace(
        '["What should I call you?"]\n  - send: Ada\n', '["Please tap one of the buttons"]\n'))  # fmt: skip
    assert main(["test-dialogs", str(unmeant), str(meant)]) == 1
    out = capsys.readouterr().out
    assert "✗ en_unmeant.yaml, step 2\n  the user: sends 'English please'\n" in out
    assert "the bot did not take this answer and asked again" in out
    assert "✓ en_meant.yaml" in out


def test_a_broken_file_is_named_with_its_step(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "en_typo.yaml", ONBOARDING.replace("  - tap: English", "  - tapp: English"))
    assert main(["test-dialogs", str(path)]) == 2
    assert "en_typo.yaml step 2: unknown key(s) ['tapp']" in capsys.readouterr().err
    assert main(["test-dialogs", str(tmp_path / "nothing.yaml")]) == 2


def test_all_shipped_transcripts_pass_from_the_command_line(capsys) -> None:
    assert main(["test-dialogs"]) == 0
    out = capsys.readouterr().out
    count = len(list((ROOT / "tests" / "transcripts").glob("*.yaml")))
    assert f"{count} of {count} transcripts passed" in out
