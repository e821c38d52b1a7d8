"""Buttons that fit a phone: the rule `exit-coach check` applies to every rendered step.

Telegram cuts a button's text that does not fit its share of the screen ("Veranstaltung vorb…").
On a narrow phone a full-width button shows about 30 characters, and buttons in one row share
that width. So: a label has at most 30 characters, and the labels of one row together, plus 3
for each gap between two buttons, at most 30. Buttons showing a user's own text (an event's
name) are left out: their length is not the coach's to choose.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.engine.io import Button
from bot.engine.render import LABELS_FILE, Renderer
from bot.engine.source_lines import SourceLines

MAX_ROW_WIDTH = 30  # characters a phone shows across the screen
GAP = 3  # what the space between two buttons in a row costs, in characters
CHOSEN = "✅ "  # marks a chosen button of a multiple choice (bot/engine/presenter.py)


def button_problems(
    renderer: Renderer, lang: str, rows: list[list[Button]], user_text: str
) -> Iterator[str]:
    for row in rows:
        for button in row:
            if not button.label.strip():
                yield "a button has an empty label"
            elif user_text not in button.label and len(button.label) > MAX_ROW_WIDTH:
                yield (
                    f"button “{button.label}” has {len(button.label)} characters, a phone shows "
                    f"about {MAX_ROW_WIDTH}: shorten {label_source(renderer, lang, button.label)}"
                )
        labels = [button.label for button in row]
        width = sum(map(len, labels)) + GAP * (len(labels) - 1)
        if len(row) > 1 and width > MAX_ROW_WIDTH and not any(user_text in x for x in labels):
            shown = ", ".join(f"“{label}”" for label in labels)
            yield (
                f"buttons {shown} share one row and need {width} characters with the gaps, "
                f"a phone shows about {MAX_ROW_WIDTH}: shorten them"
            )


def label_source(renderer: Renderer, lang: str, text: str) -> str:
    """Where a label's text is written: 'prompts/en/buttons.yaml:12 (key)' when it is there."""
    path = renderer.prompts_dir / lang / LABELS_FILE
    text = text.removeprefix(CHOSEN)
    for key, value in renderer.labels(lang).items():
        if value == text:
            line = SourceLines(path.read_text(encoding="utf-8")).line(key)
            return f"prompts/{lang}/{LABELS_FILE}:{line} ({key})"
    return "its label"
