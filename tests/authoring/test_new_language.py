"""Adding a language is copying prompts/en and translating: a pseudo-language `xx` (English in
brackets) is discovered, offered at onboarding and in /settings, spoken, and gets its command
menu; while it is a draft, `check` lists what is left as warnings and users read English there."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.bootstrap import build_engine
from bot.check import check_report
from bot.cli import main
from bot.config import Settings, get_settings
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.sessions import SessionStore
from bot.telegram.application import set_commands
from tests.conftest import Clock
from tests.dialog_client import DialogClient

ROOT = Path(__file__).resolve().parents[2]


def add_pseudo_language(prompts: Path, draft: bool) -> None:
    """prompts/xx: every English text in ⟦brackets⟧, labels in [brackets]."""
    shutil.copytree(prompts / "en", prompts / "xx")
    for template in (prompts / "xx").rglob("*.html"):
        template.write_text(f"⟦{template.read_text(encoding='utf-8')}⟧", encoding="utf-8")
    buttons = prompts / "xx/buttons.yaml"
    labels = yaml.safe_load(buttons.read_text(encoding="utf-8"))
    labels = {key: f"[{value}]" for key, value in labels.items()}
    labels["reminder_cheat_sheet"] = "[Cheat sheet beforehand]"  # "✅ [Cheat sheet before an
    # event]" would be too long for a phone: check says so (see below), the translator shortens
    buttons.write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    language = {"name": "Pseudo", "flag": "🏳", **({"draft": True} if draft else {})}
    (prompts / "xx/language.yaml").write_text(yaml.safe_dump(language), encoding="utf-8")


def content_with_pseudo(tmp_path: Path, draft: bool = False) -> Settings:
    shutil.copytree(ROOT / "dialogs", tmp_path / "dialogs")
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    add_pseudo_language(tmp_path / "prompts", draft)
    return get_settings(
        dialogs_dir=tmp_path / "dialogs",
        prompts_dir=tmp_path / "prompts",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/test.db",
        _env_file=None,
    )


@pytest.fixture
async def pseudo_service(tmp_path: Path) -> AsyncIterator[ConversationService]:
    settings = content_with_pseudo(tmp_path)
    database = await open_database(settings.database_url)
    yield ConversationService(build_engine(settings), SessionStore(database), clock=Clock())
    await database.dispose()


def test_a_complete_copy_passes_check_and_a_long_translation_is_caught(tmp_path: Path) -> None:
    settings = content_with_pseudo(tmp_path)
    report = check_report(settings)
    assert report.problems == [] and report.warnings == []
    buttons = tmp_path / "prompts/xx/buttons.yaml"
    text = buttons.read_text(encoding="utf-8")
    buttons.write_text(text.replace("[Cheat sheet beforehand]", "[Cheat sheet before an event]"))
    line = _line(buttons, "reminder_cheat_sheet:")
    assert check_report(settings).problems == [
        f"dialogs/settings.yaml:{_line(tmp_path / 'dialogs/settings.yaml', '  reminders:')} state 'reminders' (xx): button “✅ [Cheat sheet before an "
        "event]” has 31 characters, a phone shows about 30: shorten "
        f"prompts/xx/buttons.yaml:{line} (reminder_cheat_sheet)"
    ]


async def test_onboarding_and_settings_in_the_new_language(
    pseudo_service: ConversationService,
) -> None:
    client = DialogClient(pseudo_service, language="xx")  # Telegram says the user reads xx
    await client.send("/start")
    assert client.text.startswith("⟦"), client.text
    assert {"🇩🇪 Deutsch", "🇬🇧 English", "🏳 Pseudo"} <= set(labels(client))
    await client.tap("Pseudo")
    assert "⟦What should I call you?" in client.text
    await client.send("Ada")
    await client.send("Coaching")
    await client.tap("[Exchange with peers]")
    await client.tap("[Done ✔]")
    assert "⟦Last question: where are you?" in client.text  # a new language: asked
    await client.tap("London")
    assert "⟦Thank you, Ada!" in client.text
    stored = await pseudo_service.store.load(client.user_id)
    assert stored is not None and stored.language == "xx"

    await client.send("/settings")
    assert "[🌐 Language]" in labels(client)
    await client.tap("[🌐 Language]")
    assert {"🇩🇪 Deutsch", "🇬🇧 English", "🏳 Pseudo"} <= set(labels(client))
    await client.tap("Deutsch")
    assert "⟦" not in client.text and "Was kann ich für Dich tun, Ada?" in client.text
    await client.send("/settings")
    await client.tap("🌐 Sprache")
    await client.tap("Pseudo")
    assert client.text.startswith("⟦")
    stored = await pseudo_service.store.load(client.user_id)
    assert stored is not None and stored.language == "xx"


async def test_the_command_menu_in_the_new_language(tmp_path: Path) -> None:
    engine = build_engine(content_with_pseudo(tmp_path))
    calls: dict[str | None, list[Any]] = {}

    class Bot:
        async def set_my_commands(self, commands: list[Any], language_code: str | None) -> None:
            calls[language_code] = commands

    class Application:
        bot = Bot()

    await set_commands(Application(), engine)  # type: ignore[arg-type]
    assert set(calls) == {"de", "en", "xx", None}
    pseudo = {command.command: command.description for command in calls["xx"]}
    english = {command.command: command.description for command in calls["en"]}
    assert pseudo.keys() == english.keys()
    assert pseudo["exit"] == f"[{english['exit']}]"


async def test_a_draft_language_lists_what_is_missing_and_falls_back_to_english(
    tmp_path: Path,
) -> None:
    settings = content_with_pseudo(tmp_path, draft=True)
    (tmp_path / "prompts/xx/help/show.html").unlink()
    buttons = tmp_path / "prompts/xx/buttons.yaml"
    text = buttons.read_text(encoding="utf-8")
    buttons.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("settings_close:")),
        encoding="utf-8",
    )
    report = check_report(settings)
    assert report.problems == []
    assert report.warnings[:2] == [
        "prompts/xx/help/show.html is missing: copy prompts/en/help/show.html and translate it",
        f"prompts/xx/buttons.yaml: label 'settings_close' is missing: translate "
        f"prompts/en/buttons.yaml:{_line(ROOT / 'prompts/en/buttons.yaml', 'settings_close:')}",
    ]
    assert report.warnings[2].startswith("prompts/xx is a draft (2 left)")
    database = await open_database(settings.database_url)
    try:
        service = ConversationService(build_engine(settings), SessionStore(database), clock=Clock())
        client = DialogClient(service, language="xx")
        await client.send("/start")
        await client.tap("Pseudo")
        await client.send("/help")  # English where the translation is missing, then onboarding
        assert (
            client.text.startswith("How I can help") and "⟦What should I call you?" in client.text
        )
        await client.send("Ada")
        await client.send("Coaching")
        await client.tap("[Exchange with peers]")
        await client.tap("[Done ✔]")
        await client.tap("London")
        await client.send("/settings")
        assert "✅ Close" in labels(client) and "[🕐 Time zone]" in labels(client)
    finally:
        await database.dispose()


def test_a_user_of_a_language_removed_since_is_answered_in_english(engine) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from bot.engine.io import Command

    session = engine.new_session(7, "en")
    session.language = "xx"  # stored while prompts/xx existed
    reply = engine.handle(session, Command("help"), datetime(2026, 11, 24, tzinfo=UTC)).reply
    assert session.language == "en" and "How I can help" in reply.messages[0].html


def test_check_prints_a_draft_languages_gaps_as_warnings_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content_with_pseudo(tmp_path, draft=True)
    (tmp_path / "prompts/xx/help/show.html").unlink()
    monkeypatch.setenv("DIALOGS_DIR", str(tmp_path / "dialogs"))
    monkeypatch.setenv("PROMPTS_DIR", str(tmp_path / "prompts"))
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "! prompts/xx/help/show.html is missing: copy prompts/en/help/show.html and translate it",
        "! prompts/xx is a draft (1 left): users read English where a translation is missing; "
        "when it is done, remove `draft: true` from prompts/xx/language.yaml",
        "✓ dialogs and prompts are valid",
    ]


def labels(client: DialogClient) -> list[str]:
    """The button labels of the newest reply."""
    return [b.label for m in client.replies[-1].messages for row in m.buttons for b in row]


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))
