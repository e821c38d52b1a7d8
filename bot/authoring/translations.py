"""What a language lacks compared with the reference language (English): templates and labels.

A coach adds a language by copying `prompts/en` and translating; until every file is there this
lists what is left, each with the file to copy or the key to add and where it is in English.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from bot.engine.render import LABELS_FILE, Renderer
from bot.engine.source_lines import SafeLoader, SourceLines, did_you_mean


def missing_translations(renderer: Renderer, reference: str, lang: str) -> Iterator[str]:
    ours, theirs = renderer.template_names(reference), renderer.template_names(lang)
    for name in sorted(ours - theirs):
        yield (
            f"prompts/{lang}/{name}.html is missing: copy prompts/{reference}/{name}.html "
            "and translate it"
        )
    for name in sorted(theirs - ours):
        yield (
            f"prompts/{lang}/{name}.html has no prompts/{reference}/{name}.html: rename or "
            f"remove it, or add it to prompts/{reference} too{did_you_mean(name, ours - theirs)}"
        )
    ref_lines, lines = _lines(renderer, reference), _lines(renderer, lang)
    ref_labels, labels = _own_labels(renderer, reference), _own_labels(renderer, lang)
    for key in [k for k in ref_labels if k not in labels]:
        yield (
            f"prompts/{lang}/{LABELS_FILE}: label '{key}' is missing: translate "
            f"prompts/{reference}/{LABELS_FILE}:{ref_lines.line(key)}"
        )
    for key in [k for k in labels if k not in ref_labels]:
        guess = did_you_mean(key, set(ref_labels) - set(labels))
        yield (
            f"prompts/{lang}/{LABELS_FILE}:{lines.line(key)}: label '{key}' is not in "
            f"prompts/{reference}/{LABELS_FILE}{guess}"
        )


def _own_labels(renderer: Renderer, lang: str) -> dict[str, object]:
    """The labels in the language's own file (a draft language borrows the missing ones)."""
    path = renderer.prompts_dir / lang / LABELS_FILE
    return dict(yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or {})


def _lines(renderer: Renderer, lang: str) -> SourceLines:
    return SourceLines((renderer.prompts_dir / lang / LABELS_FILE).read_text(encoding="utf-8"))
