"""`exit-coach check` passes on the project and finds what a coach could break."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.check import run_check
from bot.cli import main
from bot.config import Settings, get_settings

ROOT = Path(__file__).resolve().parent.parent


def line_of(path: Path, fragment: str, after: str = "") -> int:
    """The number of the first line holding `fragment` (after the first holding `after`), so
    tests of messages with line numbers survive edits elsewhere in the shipped files."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines[start:], start=start + 1) if fragment in line)


def copy_content(tmp_path: Path) -> Settings:
    shutil.copytree(ROOT / "dialogs", tmp_path / "dialogs")
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    return get_settings(
        dialogs_dir=tmp_path / "dialogs", prompts_dir=tmp_path / "prompts", _env_file=None
    )


def test_project_content_is_valid(capsys) -> None:
    assert main(["check"]) == 0
    assert "valid" in capsys.readouterr().out


def test_finds_broken_html_missing_translation_and_unknown_variable(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    (tmp_path / "prompts/en/exit/line.html").write_text("Say<br>{{ view.line }}", encoding="utf-8")
    (tmp_path / "prompts/de/help/show.html").unlink()
    (tmp_path / "prompts/de/menu/main.html").write_text("{{ profil.name }}", encoding="utf-8")
    problems = "\n".join(run_check(settings))
    assert "prompts/en/exit/line.html: unsupported tag <br>" in problems
    assert (
        "prompts/de/help/show.html is missing: copy prompts/en/help/show.html and translate it"
        in problems
    )
    assert (
        f"dialogs/menu.yaml:{line_of(ROOT / 'dialogs/menu.yaml', '  main:')} state 'main' (de): prompts/de/menu/main.html:1: 'profil' is "
        "undefined (did you mean 'profile'?)" in problems
    )


def test_finds_missing_label_and_unknown_effect(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    labels = tmp_path / "prompts/de/buttons.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace("\nanother:", "\nanothr:"), "utf-8"
    )
    problems = run_check(settings)
    assert (
        "prompts/de/buttons.yaml: label 'another' is missing: translate "
        f"prompts/en/buttons.yaml:{line_of(ROOT / 'prompts/en/buttons.yaml', 'another:')}"
        in problems
    )
    assert (
        f"prompts/de/buttons.yaml:{line_of(labels, 'anothr:')}: label 'anothr' is not in prompts/en/buttons.yaml "
        "(did you mean 'another'?)" in problems
    )
    dialog = tmp_path / "dialogs/exit.yaml"
    text = dialog.read_text(encoding="utf-8")
    dialog.write_text(text.replace("next_exit_line", "next_exit_lin"), "utf-8")
    assert (
        f"dialogs/exit.yaml:{line_of(dialog, 'next_exit_lin')} state 'line': unknown effect 'next_exit_lin' (did you mean "
        "'next_exit_line'?)" in run_check(settings)
    )


def test_finds_button_data_over_64_bytes(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    dialog = tmp_path / "dialogs/menu.yaml"
    long_id = "a" * 31
    dialog.write_text(
        dialog.read_text(encoding="utf-8").replace("{id: help,", f"{{id: {long_id},"), "utf-8"
    )
    assert run_check(settings) == []  # 31 characters still fit beside the largest step number
    long_id = "a" * 33
    dialog.write_text(dialog.read_text(encoding="utf-8").replace("a" * 31, long_id), "utf-8")
    assert "menu.yaml" in "\n".join(run_check(settings))


def test_dialog_docs_name_everything_the_code_provides() -> None:
    """docs/dialogs.md is what coaches read: it must list every effect, condition and view."""
    from bot.bootstrap import build_engine

    docs = (ROOT / "docs/dialogs.md").read_text(encoding="utf-8")
    domain = build_engine(get_settings(_env_file=None)).domain
    names = [*domain.effects, *domain.conditions, *domain.views, *domain.option_providers]
    assert [name for name in names if f"`{name}`" not in docs] == []


def test_exit_line_over_25_words_is_named_with_situation_and_line(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    lines = tmp_path / "prompts/en/exit_lines.yaml"
    text = lines.read_text(encoding="utf-8")
    long_line = "Thanks, " + " ".join(["really"] * 24) + " – enjoy the evening!"
    text = text.replace(
        'brief: "I think we\'ve covered the main things – thank you, and all the best!"',
        f'brief: "{long_line}"',
        1,  # the room's version; the online one says the same
    )
    lines.write_text(text, encoding="utf-8")
    assert run_check(settings) == [
        "prompts/en/exit_lines.yaml: situation 'silence' line 1 (brief): 28 words, at most 25"
    ]


def test_a_line_screen_over_40_words_is_named(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    lines = tmp_path / "prompts/en/exit_lines.yaml"
    text = lines.read_text(encoding="utf-8")
    long_tip = "Take a breath, " + " ".join(["slowly"] * 20) + ", then say it."
    text = text.replace('tip: "Let the pause be; smile into the camera."', f'tip: "{long_tip}"')
    lines.write_text(text, encoding="utf-8")
    problems = run_check(settings)
    assert problems and all("situation 'silence' online line" in p for p in problems)
    assert (
        "prompts/en/exit_lines.yaml: situation 'silence' online line 1 (warm): its screen "
        "(line, only_if, tip) has 46 words, at most 40: shorten the tip or the line"
    ) in problems


def test_a_situation_met_online_needs_its_online_version(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    for lang in ("en", "de"):
        lines = tmp_path / f"prompts/{lang}/exit_lines.yaml"
        text = lines.read_text(encoding="utf-8")
        start = text.index("    online:\n", text.index("\n  silence:\n"))
        end = text.index("\n\n  need_break:")
        lines.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    problems = run_check(settings)
    assert (
        "prompts/en/exit_lines.yaml: situation 'silence' is offered in the room and online: it "
        "needs an `online:` version (tip, next, lines) for online events"
    ) in problems


def test_exit_lines_must_match_across_languages(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    german = tmp_path / "prompts/de/exit_lines.yaml"
    text = german.read_text(encoding="utf-8")
    # drop the last line of one situation, and the only_if hint of another
    start = text.index('      - technique: wrap_up\n        warm: "Dann belasse ich es')
    end = text.index("\n\n  need_break:")
    text = text[:start] + text[end + 1 :]
    text = text.replace('        only_if: "Jemand hier hat wirklich dasselbe Hobby erwähnt."\n', "")
    german.write_text(text, encoding="utf-8")
    problems = run_check(settings)
    files = "prompts/de/exit_lines.yaml and prompts/en/exit_lines.yaml"
    assert f"{files}: situation 'silence' has 5 vs 6 lines" in problems
    assert (
        f"{files}: situation 'private_only' line 4 differs in technique, only_if or goals"
    ) in problems


def test_exit_menus_and_goals_must_match_and_reach_every_situation(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    german = tmp_path / "prompts/de/exit_lines.yaml"
    text = german.read_text(encoding="utf-8")
    text = text.replace(
        "leave, chat, camera, overstep, done_tonight, room]", "leave, camera, overstep, done_tonight, room]"
    )
    text = text.replace("        goals: [inspiration]\n", "        goals: [exchange]\n", 1)
    german.write_text(text, encoding="utf-8")
    problems = run_check(settings)
    files = "prompts/de/exit_lines.yaml and prompts/en/exit_lines.yaml"
    assert f"{files}: menu 'online' lists different items" in problems
    assert (
        "prompts/de/exit_lines.yaml: situation 'chat' is in no menu, so nobody can reach it"
        in problems
    )
    assert (
        f"{files}: situation 'open_conversation' line 5 differs in technique, only_if or goals"
    ) in problems


def test_exit_situation_missing_in_one_language(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    english = tmp_path / "prompts/en/exit_lines.yaml"
    english.write_text(
        english.read_text(encoding="utf-8").replace("  known_person:", "  known_face:"), "utf-8"
    )
    problems = run_check(settings)
    files = "prompts/de/exit_lines.yaml and prompts/en/exit_lines.yaml"
    assert f"{files}: situation 'known_face' is in only one of them" in problems
    assert f"{files}: situation 'known_person' is in only one of them" in problems


def test_first_exit_line_must_be_true_for_anyone(tmp_path: Path) -> None:
    settings = copy_content(tmp_path)
    for lang, hint in (("de", "Nur drinnen."), ("en", "Indoors only.")):
        path = tmp_path / f"prompts/{lang}/exit_lines.yaml"
        text = path.read_text(encoding="utf-8")
        first = text.index("  need_break:")
        at = text.index("      - technique: break\n", first) + len("      - technique: break\n")
        path.write_text(text[:at] + f'        only_if: "{hint}"\n' + text[at:], "utf-8")
    problems = run_check(settings)
    assert (
        "prompts/en/exit_lines.yaml: situation 'need_break' line 1: the first line goes on the "
        "cheat sheet; needs no only_if"
    ) in problems


def test_finds_dialog_references_to_missing_dialogs(tmp_path: Path) -> None:
    """A `then:`, an option's `start:` and a reminder's dialog each name the file and state."""
    settings = copy_content(tmp_path)
    help_dialog = tmp_path / "dialogs/help.yaml"
    help_dialog.write_text(
        help_dialog.read_text(encoding="utf-8").replace("then: menu", "then: menuu"), "utf-8"
    )
    menu = tmp_path / "dialogs/menu.yaml"
    menu.write_text(
        menu.read_text(encoding="utf-8").replace("start: journal}", "start: jurnal}"), "utf-8"
    )
    (tmp_path / "dialogs/nudge.yaml").unlink()
    problems = run_check(settings)
    assert (
        f"dialogs/help.yaml:{line_of(help_dialog, 'then: menuu')} state 'show': then: unknown dialog 'menuu' (did you mean 'menu'?)"
        in problems
    )
    assert (
        f"dialogs/menu.yaml:{line_of(menu, 'start: jurnal')} state 'main' option 'journal': start: unknown dialog 'jurnal' "
        "(did you mean 'journal'?)" in problems
    )
    assert (
        "dialog 'nudge' is needed by the coach's reminders, but dialogs/nudge.yaml is missing"
        in problems
    )


def test_reminder_dialogs_the_coach_plans_are_known_to_check() -> None:
    """The names check verifies are the ones the coach really plans reminders with."""
    from datetime import UTC, datetime, timedelta

    from bot.bootstrap import build_engine, coach_policy
    from bot.coach.events import plan_event_reminders
    from bot.coach.followups import plan_nudge
    from bot.coach.journal import Contact, Event
    from bot.engine.domain import PlanReminder

    settings = get_settings(_env_file=None)
    policy = coach_policy(settings)
    now = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    event = Event.model_validate(
        {
            "id": "e1",
            "name": "Meetup",
            "starts_at": now + timedelta(days=1),
            "ends_at": now + timedelta(days=1, hours=2),
            "goal": "customers",
            "created_at": now,
        }
    )
    contact = Contact(id="c1", name="Ben", topic="pricing", channel="email", created_at=now)
    plans = [*plan_event_reminders(event, now, policy), plan_nudge(contact, now, policy)]
    planned = {plan.dialog for plan in plans if isinstance(plan, PlanReminder)}
    assert planned == {"cheatsheet", "reflect", "nudge"}
    assert planned <= build_engine(settings).domain.dialogs
