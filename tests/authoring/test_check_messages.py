"""Each problem `exit-coach check` reports names file, line, step and a way to fix it.

Every test breaks one thing in a copy of dialogs/ and prompts/ and reads the exact message.
"""

from __future__ import annotations

from pathlib import Path

from bot.check import run_check
from tests.test_check import copy_content, line_of


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_template_in_one_language_only(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    (tmp_path / "prompts/de/help/show.html").rename(tmp_path / "prompts/de/help/shwo.html")
    problems = run_check(settings)
    assert (
        "prompts/de/help/show.html is missing: copy prompts/en/help/show.html and translate it"
        in problems
    )
    assert (
        "prompts/de/help/shwo.html has no prompts/en/help/shwo.html: rename or remove it, or add "
        "it to prompts/en too (did you mean 'help/show'?)" in problems
    )


def test_an_unreachable_state(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    edit(
        tmp_path / "dialogs/help.yaml",
        "    then: menu\n",
        "    then: menu\n  extra:\n    prompt: help/show\n    final: true\n",
    )
    assert run_check(settings) == [
        f"dialogs/help.yaml:{line_of(tmp_path / 'dialogs/help.yaml', '  extra:')} state 'extra': unreachable from 'show': no step's next, option or "
        "back leads here; link it from another step or remove it"
    ]


def test_a_dead_end(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    edit(tmp_path / "dialogs/settings.yaml", "    prompt: settings/saved\n    next: main\n",
         "    prompt: settings/saved\n")  # fmt: skip
    problems = run_check(settings)
    assert (
        f"dialogs/settings.yaml:{line_of(tmp_path / 'dialogs/settings.yaml', '  saved:')} state 'saved': not final and has no way on (next/options): "
        "add `next: <state>`, or `final: true` if the dialog ends here"
    ) in problems


def test_an_unknown_target_state_gets_a_guess(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    edit(
        tmp_path / "dialogs/settings.yaml",
        "    back: main\n    next: saved",
        "    back: mian\n    next: saved",
    )
    assert run_check(settings) == [
        f"dialogs/settings.yaml:{line_of(tmp_path / 'dialogs/settings.yaml', 'mian')} state 'reminders': unknown target state 'mian' (did you mean 'main'?)"
    ]


def test_a_button_label_too_long_for_a_phone(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    edit(
        tmp_path / "prompts/en/buttons.yaml",
        'settings_close: "',
        'settings_close: "Close these settings and go back to ',
    )
    problems = [p for p in run_check(settings) if "characters, a phone" in p]
    assert problems == [
        f"dialogs/settings.yaml:{line_of(tmp_path / 'dialogs/settings.yaml', '  main:')} state 'main' (en): button “Close these settings and go back to "
        "✅ Close” has 43 characters, a phone shows about 30: shorten prompts/en/buttons.yaml:"
        f"{line_of(tmp_path / 'prompts/en/buttons.yaml', 'settings_close:')} "
        "(settings_close)"
    ]


def test_a_row_of_buttons_that_would_wrap(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    edit(tmp_path / "prompts/de/buttons.yaml", 'back: "◀ Zurück"', 'back: "◀ Einen Schritt zurück"')
    problems = [p for p in run_check(settings) if "share one row" in p]
    assert (
        f"dialogs/followup.yaml:{line_of(tmp_path / 'dialogs/followup.yaml', '  where:')} state 'where' (de): buttons “◀ Einen Schritt zurück”, "
        "“Überspringen ▶” share one row and need 39 characters with the gaps, a phone shows "
        "about 30: shorten them"
    ) in problems


def test_a_message_over_4096_characters(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    long_text = "{% for n in range(500) %}Say goodbye kindly. {% endfor %}"
    (tmp_path / "prompts/en/help/show.html").write_text(long_text, encoding="utf-8")
    assert run_check(settings) == [
        "prompts/en/help/show.html: 9999 characters with sample data, over Telegram's 4096 per "
        "message, so it arrives in parts: shorten it"
    ]


def test_an_undefined_variable_names_the_line_and_a_guess(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    for lang in ("de", "en"):
        edit(tmp_path / f"prompts/{lang}/help/show.html", "\n", "\n{{ profil.name }}\n")
    problems = run_check(settings)
    assert (
        f"dialogs/help.yaml:{line_of(tmp_path / 'dialogs/help.yaml', '  show:')} state 'show' (en): prompts/en/help/show.html:2: 'profil' is "
        "undefined (did you mean 'profile'?)" in problems
    )


def test_languages_using_different_variables(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    edit(tmp_path / "prompts/de/help/show.html", "\n", "\n{{ profile.business }}\n")
    edit(tmp_path / "prompts/en/help/show.html", "\n", "\n{{ profile.name }}\n")
    problems = run_check(settings)
    assert problems == [
        "prompts/de/help/show.html:2: uses 'profile.business', which prompts/en/help/show.html "
        "does not: same variables in every language",
        "prompts/de/help/show.html: does not use 'profile.name', which "
        "prompts/en/help/show.html:2 does: same variables in every language",
    ]
