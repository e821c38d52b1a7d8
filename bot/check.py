"""`exit-coach check`: everything a coach can break in `dialogs/` and `prompts/`, found at once.

Run in CI and before deploying: schema and graph of every dialog, effects and views known, every
template in every language, every step rendered with sample answers into valid Telegram HTML
within limits, every button's data within 64 bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.authoring.buttons import button_problems
from bot.authoring.states_lock import vanished_states
from bot.authoring.template_vars import drifted_variables
from bot.authoring.translations import missing_translations
from bot.coach.journal import JournalRecords
from bot.coach.samples import sample_records
from bot.config import Settings
from bot.engine import callback_data
from bot.engine.conversation import Engine
from bot.engine.errors import ExitCoachError
from bot.engine.languages import LANGUAGE_FILE
from bot.engine.render import Renderer
from bot.engine.session import Session
from bot.engine.spec import DialogSpec, InputKind, StateSpec
from bot.engine.telegram_html import MAX_MESSAGE_LENGTH, TelegramHtmlError, telegram_length
from bot.store.scratch import scratch_journal

REFERENCE_LANGUAGE = "en"  # every other language is compared with it
LARGEST_STEP = 10**12 - 1  # callback data must still fit when the step counter is this large
SAMPLE_TEXT = 'Ada <b>&</b> {{ "Lovelace" }}'  # user text that must come out escaped, not run
# Context for templates the engine renders outside dialog steps.
SYSTEM_SAMPLES: dict[str, dict[str, Any]] = {
    "system/welcome": {"returning": True},
    "system/unknown_command": {"command": "<x>", "commands": ["start", "exit"]},
    "invalid/too_long": {"max": 40, "length": 4096},
    "invalid/out_of_range": {"min": 1, "max": 5},
    "invalid/choose_more": {"min": 1},
    "invalid/choose_fewer": {"max": 2},
    "system/private_only": {"bot": "ExitCoachBot"},
    "system/moved_on": {"to_menu": True},
    "system/restarted": {"title": SAMPLE_TEXT},
}


def run_check(settings: Settings) -> list[str]:
    """All problems found, as lines naming the file; empty when everything is fine."""
    return check_report(settings).problems


@dataclass
class Report:
    """What `exit-coach check` found: problems fail it, warnings (a language still being
    translated) are listed and do not."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_report(settings: Settings) -> Report:
    from bot.bootstrap import build_engine  # late: a broken dialog must be reported, not raised

    try:
        engine = build_engine(settings)
    except ExitCoachError as exc:
        return Report(str(exc).splitlines())  # several problems come one per line
    report = Report(vanished_states(settings.dialogs_dir, engine.specs))
    problems = list(_problems(engine))  # renders every template once: their trees are kept
    _compare_languages(engine.renderer, report)
    report.problems += problems
    return report


def _compare_languages(renderer: Renderer, report: Report) -> None:
    """Every language against English: what is missing fails the check, or, for a language
    still being translated (`draft: true`), is listed as a warning."""
    reference = _reference(renderer)
    for lang in renderer.languages:
        info = renderer.info[lang]
        if not (renderer.prompts_dir / lang / LANGUAGE_FILE).exists():
            report.problems.append(
                f"prompts/{lang}/{LANGUAGE_FILE} is missing: copy prompts/{reference}/"
                f"{LANGUAGE_FILE} and write the language's own name in it"
            )
        if lang == reference:
            continue
        missing = list(missing_translations(renderer, reference, lang))
        if info.draft:
            report.warnings += missing
            report.warnings.append(
                f"prompts/{lang} is a draft ({len(missing)} left): users read English where a "
                f"translation is missing; when it is done, remove `draft: true` from "
                f"prompts/{lang}/{LANGUAGE_FILE}"
            )
        else:
            report.problems += missing
        report.problems += drifted_variables(renderer, reference, lang)


def _reference(renderer: Renderer) -> str:
    return REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in renderer.languages else renderer.languages[0]


def _problems(engine: Engine) -> Iterator[str]:
    renderer = engine.renderer
    languages = renderer.languages
    reference = _reference(renderer)
    rendered = set()
    lengths: dict[tuple[str, str], int] = {}

    def measure(lang: str, template: str, length: int) -> None:
        lengths[lang, template] = max(length, lengths.get((lang, template), 0))

    renderer.on_render = measure
    now = datetime.now(UTC)
    with scratch_journal() as records:
        sample = Sample(now, records, sample_records(records, now, SAMPLE_TEXT))
        for spec in engine.specs.values():
            for state in spec.states.values():
                rendered.add(state.prompt)
                for lang in languages:
                    yield from _check_step(engine, spec, state, lang, sample)
    standalone = {name for name in renderer.template_names(reference) if not _is_partial(name)}
    for template in sorted(standalone - rendered):
        for lang in languages:
            try:
                context = {"profile": {"name": SAMPLE_TEXT}, "lang": lang}
                context.update(SYSTEM_SAMPLES.get(template, {}))
                for part in renderer.render(lang, template, **context):
                    _check_length(part)
            except ExitCoachError as exc:
                yield str(exc)  # names the file and line
            except (TelegramHtmlError, ValueError) as exc:
                yield f"prompts/{lang}/{template}.html: {exc}"
    renderer.on_render = None
    for (lang, template), length in sorted(lengths.items()):
        if length > MAX_MESSAGE_LENGTH:
            yield (
                f"prompts/{lang}/{template}.html: {length} characters with sample data, over "
                f"Telegram's {MAX_MESSAGE_LENGTH} per message, so it arrives in parts: shorten it"
            )
    for name in engine.command_names():
        for lang in languages:
            try:
                renderer.label(lang, f"cmd_{name}")
            except ExitCoachError:
                yield f"prompts/{lang}/buttons.yaml: no description 'cmd_{name}' for /{name}"
    for name in engine.specs:  # named in "continue with …?" when another dialog paused it
        for lang in languages:
            try:
                renderer.label(lang, f"dialog_{name}")
            except ExitCoachError:
                yield f"prompts/{lang}/buttons.yaml: no title 'dialog_{name}' for {name}.yaml"


@dataclass(frozen=True)
class Sample:
    """One set of sample records, shared by every step so ids in answers match the data."""

    now: datetime
    records: JournalRecords
    answers: dict[str, Any]


def _check_step(
    engine: Engine, spec: DialogSpec, state: StateSpec, lang: str, sample: Sample
) -> Iterator[str]:
    where = f"{spec.where('states', state.name)} ({lang})"
    session = _sample_session(engine, lang, sample)
    session.step = LARGEST_STEP - 1
    try:
        answers = _sample_answers(engine, spec, lang, sample)
        messages = engine.preview(
            session, spec.dialog, state.name, answers, sample.now, sample.records
        )
    except (ExitCoachError, ValueError) as exc:  # ValueError: callback data too long
        yield f"{where}: {exc}"
        return
    for message in messages:
        try:
            _check_length(message.html)
        except (TelegramHtmlError, ValueError) as exc:
            yield f"{where}: {exc}"
        for problem in button_problems(engine.renderer, lang, message.buttons, SAMPLE_TEXT):
            yield f"{where}: {problem}"
        for row in message.buttons:
            for button in row:
                if callback_data.decode(button.data) is None:
                    yield f"{where}: button data {button.data!r} does not decode"


def _is_partial(template: str) -> bool:
    """`_name.html` is only included by other templates, and checked through them."""
    return template.rsplit("/", 1)[-1].startswith("_")


def _check_length(markup: str) -> None:
    if telegram_length(markup) > MAX_MESSAGE_LENGTH:
        raise ValueError(f"a message part is longer than {MAX_MESSAGE_LENGTH} characters")


def _sample_session(engine: Engine, lang: str, sample: Sample) -> Session:
    session = engine.new_session(0, lang)
    session.profile.name, session.profile.business = SAMPLE_TEXT, SAMPLE_TEXT
    return session


def _sample_answers(engine: Engine, spec: DialogSpec, lang: str, sample: Sample) -> dict[str, Any]:
    """Plausible answers for every step of `spec`, user text deliberately hostile."""
    answers: dict[str, Any] = {"language": lang, "tone": "warm", "line_index": 0}
    session = _sample_session(engine, lang, sample)
    for state in spec.states.values():
        key = state.save_as or state.name
        if state.input == InputKind.TEXT:
            answers[key] = SAMPLE_TEXT
        elif state.input in (InputKind.NUMBER, InputKind.RATING):
            answers[key] = 3
        elif state.options_from:
            options = engine.preview_options(session, spec.dialog, state.name, sample.records)
            if options:
                first = options[0][0]
                answers[key] = first if state.input == InputKind.CHOICE else [first]
        elif state.options:
            ids = [option.id for option in state.options]
            answers[key] = ids if state.input == InputKind.MULTI else ids[0]
    answers.update(sample.answers, language=lang)
    return answers
