"""Every word the user reads comes from `prompts/<lang>/`: jinja2 templates and button labels.

One strict, sandboxed environment per language (aiogram_dialog's `_create_env`): autoescape on for
every template, so user text is always data; StrictUndefined, so a typo in a template fails the
check instead of printing nothing to a user.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import yaml
from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    UndefinedError,
    nodes,
)
from jinja2.ext import Extension
from jinja2.sandbox import SandboxedEnvironment

from bot.engine.errors import ContentError
from bot.engine.languages import FALLBACK, Language, discover_languages
from bot.engine.source_lines import did_you_mean
from bot.engine.telegram_html import (
    TelegramHtmlError,
    split_message,
    telegram_length,
    tidy,
    visible_text,
)

TEMPLATE_SUFFIX = ".html"
LABELS_FILE = "buttons.yaml"


def _undefined_name(exc: UndefinedError) -> str | None:
    """The name in jinja's "'profil' is undefined" (None for a missing attribute)."""
    match = re.fullmatch(r"'(\w+)' is undefined", str(exc))
    return match.group(1) if match else None


class TagLinesVanish(Extension):
    """A line holding only `{% … %}` tags (or `{# … #}`) disappears with its line break; every
    other line keeps its break. jinja's trim_blocks also drops the break after a text line that
    ends in a tag ("…{% endif %}"), which silently glued paragraphs together."""

    _TAG_ONLY_LINE = re.compile(
        r"^([ \t]*(?:\{%.*?%\}|\{#.*?#\})(?:[ \t]*(?:\{%.*?%\}|\{#.*?#\}))*[ \t]*)\n", re.M
    )

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return self._TAG_ONLY_LINE.sub(r"\1", source)


class _Environment(SandboxedEnvironment):
    """Keeps each template's syntax tree from compiling it, so `exit-coach check` can read the
    variables of templates it has just rendered without parsing them again."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.trees: dict[str, nodes.Template] = {}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if name is not None:
            self.trees[name] = tree
        return tree


class Renderer:
    """Renders templates and looks up button labels for each language."""

    def __init__(
        self,
        prompts_dir: Path,
        languages: tuple[str, ...] | None = None,
        filters: Mapping[str, Callable[..., Any]] | None = None,
    ) -> None:
        """`languages`: default every folder of `prompts_dir` (see bot/engine/languages.py).
        `filters` are jinja filters called as `filter(lang, value, *arguments)`: the domain's
        helpers for fitting typed answers into sentences and for plurals (the engine itself
        knows no language rules)."""
        self.prompts_dir = prompts_dir
        found = discover_languages(prompts_dir)
        self.languages = languages or tuple(found)
        self.info = {code: found.get(code, Language(code, code)) for code in self.languages}
        # Told each template's whole length before it is split: `exit-coach check` finds texts
        # that would arrive as several messages.
        self.on_render: Callable[[str, str, int], None] | None = None
        self._label_templates: dict[tuple[str, str], Template] = {}
        self._envs = {lang: self._environment(self._folders(lang)) for lang in self.languages}
        for lang, env in self._envs.items():
            env.globals["label"] = partial(self.label, lang)  # button texts inside templates
            for name, function in (filters or {}).items():
                env.filters[name] = partial(function, lang)

    def _folders(self, lang: str) -> list[Path]:
        """Where `lang`'s templates are looked up: a draft language falls back to English."""
        if self.info[lang].draft and lang != FALLBACK and FALLBACK in self.languages:
            return [self.prompts_dir / lang, self.prompts_dir / FALLBACK]
        return [self.prompts_dir / lang]

    @staticmethod
    def _environment(directories: list[Path]) -> _Environment:
        return _Environment(
            loader=FileSystemLoader(directories),
            autoescape=True,  # forced: select_autoescape would skip unknown suffixes
            undefined=StrictUndefined,
            extensions=[TagLinesVanish],
            trim_blocks=False,  # TagLinesVanish does it, without eating text lines' breaks
            lstrip_blocks=True,
            keep_trailing_newline=False,
            # Texts are read once, like the dialogs: a restart takes an edit live. Checking
            # every file's time on every message cost more than rendering it.
            auto_reload=False,
        )

    def language(self, lang: str | None) -> str:
        """A supported language for `lang` (Telegram's `de-AT`, a locale's `de_DE.UTF-8`, a
        language button's id); English, or the first language, for any other."""
        wanted = re.split(r"[-_.]", (lang or "").lower(), maxsplit=1)[0]
        if wanted in self.languages:
            return wanted
        return FALLBACK if FALLBACK in self.languages else self.languages[0]

    def render(self, lang: str, template: str, /, **context: Any) -> list[str]:
        """Render `template` into one or more Telegram-safe HTML messages (split at 4096)."""
        try:
            markup = tidy(
                self._envs[lang].get_template(template + TEMPLATE_SUFFIX).render(**context)
            )
            visible_text(markup)  # raises where Telegram would refuse the HTML
            if self.on_render is not None:
                self.on_render(lang, template, telegram_length(markup))
        except TemplateError as exc:
            where = self._where(lang, template, exc)
            guess = ""
            if isinstance(exc, UndefinedError) and (name := _undefined_name(exc)):
                guess = did_you_mean(name, [*context, *self._envs[lang].globals])
            raise ContentError(f"{where}: {exc}{guess}") from exc
        except TelegramHtmlError as exc:
            raise ContentError(f"prompts/{lang}/{template}{TEMPLATE_SUFFIX}: {exc}") from exc
        return split_message(markup)

    def _where(self, lang: str, template: str, exc: TemplateError) -> str:
        """'prompts/en/exit/line.html:3': the file and line where rendering failed (jinja
        rewrites the traceback to point at template lines; an included partial is named)."""
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith(TEMPLATE_SUFFIX):
                filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
        path = f"prompts/{lang}/{template}{TEMPLATE_SUFFIX}"
        if filename:
            try:
                relative = Path(filename).resolve().relative_to(self.prompts_dir.resolve())
                path = f"prompts/{relative.as_posix()}"
            except ValueError:
                pass
        return f"{path}:{line}" if line else path

    def render_one(self, lang: str, template: str, /, **context: Any) -> str:
        """Render a template that is short by design (one message)."""
        return "\n\n".join(self.render(lang, template, **context))

    def label(self, lang: str, key: str, /, **context: Any) -> str:
        """A button label (plain text; Telegram shows button text literally)."""
        try:
            raw = self._labels[lang][key]
        except KeyError:
            raise ContentError(f"prompts/{lang}/{LABELS_FILE}: no label '{key}'") from None
        if "{" not in raw:
            return raw
        return self._label_template(lang, raw).render(**context)

    def _label_template(self, lang: str, source: str) -> Template:
        """A label with `{{ … }}` compiled once: compiling it for every button of every
        message was a tenth of a turn."""
        key = (lang, source)
        if key not in self._label_templates:
            self._label_templates[key] = self._envs[lang].from_string(source)
        return self._label_templates[key]

    def labels(self, lang: str) -> dict[str, str]:
        return dict(self._labels[lang])

    def parse(self, lang: str, template: str) -> nodes.Template:
        """A template's syntax tree, for `exit-coach check` to see which variables it uses."""
        env = self._envs[lang]
        name = template + TEMPLATE_SUFFIX
        if name not in env.trees:
            env.get_template(name)  # compiling it keeps its tree
        return env.trees[name]

    def template_names(self, lang: str) -> set[str]:
        root = self.prompts_dir / lang
        return {
            path.relative_to(root).with_suffix("").as_posix()
            for path in root.rglob(f"*{TEMPLATE_SUFFIX}")
        }

    @cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = {}
        for lang in sorted(self.languages, key=lambda code: code != FALLBACK):  # English first
            path = self.prompts_dir / lang / LABELS_FILE
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise ContentError(f"prompts/{lang}/{LABELS_FILE}: {exc}") from exc
            if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
                raise ContentError(f"prompts/{lang}/{LABELS_FILE}: expected 'key: label' lines")
            fallback = labels.get(FALLBACK, {}) if self.info[lang].draft else {}
            labels[lang] = {**fallback, **data}
        return labels
