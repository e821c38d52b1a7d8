"""The languages the bot speaks: one folder each in `prompts/`, found rather than listed.

Adding a language is copying `prompts/en` to `prompts/<code>` and translating. The folder's
`language.yaml` gives the name users choose it by (`name: Deutsch`, optionally `flag: 🇩🇪`) and,
while the translation is in progress, `draft: true`: `exit-coach check` then lists what is still
missing as warnings, and users read English wherever a translation is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.engine.errors import ContentError

LANGUAGE_FILE = "language.yaml"
LABELS_FILE = "buttons.yaml"
FALLBACK = "en"  # shown where a draft language has no translation yet; the default language
CODE = re.compile(r"^[a-z]{2,3}$")  # the start of Telegram's IETF language_code ("de", "pt")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    flag: str = ""
    draft: bool = False

    @property
    def button(self) -> str:
        """What the language choice shows: '🇩🇪 Deutsch'."""
        return f"{self.flag} {self.name}".strip()


def discover_languages(prompts_dir: Path) -> dict[str, Language]:
    """Every `prompts/<code>/` with button labels, sorted by code (`exit-coach check` asks for
    a `language.yaml` where one is missing; until then the code is the name)."""
    found = {}
    for labels in sorted(prompts_dir.glob(f"*/{LABELS_FILE}")):
        code = labels.parent.name
        path = labels.parent / LANGUAGE_FILE
        where = f"prompts/{code}/{LANGUAGE_FILE}"
        if not CODE.match(code):
            raise ContentError(f"prompts/{code}: the folder must be a language code such as 'fr'")
        if not path.exists():
            found[code] = Language(code, code)
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ContentError(f"{where}: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise ContentError(f"{where}: needs `name: <the language's own name>`")
        found[code] = Language(
            code, data["name"], str(data.get("flag") or ""), bool(data.get("draft", False))
        )
    if not found:
        raise ContentError(f"{prompts_dir}: no language folders (with {LABELS_FILE}) found")
    return found
