"""Dialog files (`dialogs/*.yaml`) as typed, validated models.

A coach edits these files without programming, so every problem is reported with the file, the
state and what is wrong, at start-up, never in the middle of a user's conversation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.engine.errors import DialogSpecError
from bot.engine.source_lines import SourceLines, did_you_mean, load_with_lines

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
VIEW_PREFIX = "view."
STATS_NAME = re.compile(r"^(view\.)?[a-z][a-z0-9_]{0,31}$")
Identifier = Annotated[str, Field(pattern=IDENTIFIER.pattern)]


# Dialogs the engine itself starts (the others start by command, button or reminder).
MENU, ONBOARDING, RESUME = "menu", "onboarding", "resume"


class InputKind(StrEnum):
    """What a step expects from the user."""

    NONE = "none"  # a message only; the dialog moves on by itself
    CHOICE = "choice"  # one button
    MULTI = "multi"  # several buttons, then "done"
    TEXT = "text"
    NUMBER = "number"
    RATING = "rating"  # 1..5 as buttons
    DATETIME = "datetime"
    DURATION = "duration"


# Inputs whose answer is what a user typed: never kept in the step history.
TYPED_INPUTS = frozenset({InputKind.TEXT, InputKind.NUMBER, InputKind.DATETIME, InputKind.DURATION})


class Route(BaseModel):
    """One way on: to a state, optionally only if a named condition holds."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    to: Identifier
    when: Identifier | None = Field(default=None, alias="if")


def _routes(value: Any) -> Any:
    """Accept `next: state` as shorthand for `next: [{to: state}]`."""
    if value is None:
        return []
    if isinstance(value, str):
        return [{"to": value}]
    return value


class Option(BaseModel):
    """A button. `label` is a key in `prompts/<lang>/buttons.yaml` (default: the id)."""

    model_config = ConfigDict(extra="forbid")

    id: Identifier
    label: str | None = None
    next: list[Route] = []
    effects: list[Identifier] = []
    start: Identifier | None = None  # leave this dialog and start another one
    # With `start`: answers of this dialog the started one begins with (e.g. the event a
    # reflection is about, for the contact noted from it).
    carry: list[Identifier] = []

    _norm_next = field_validator("next", mode="before")(_routes)

    @model_validator(mode="after")
    def _carry_needs_start(self) -> Option:
        if self.carry and not self.start:
            raise ValueError(f"option '{self.id}': 'carry' needs 'start' (a dialog to carry to)")
        return self

    @property
    def label_key(self) -> str:
        return self.label or self.id


class StateSpec(BaseModel):
    """One step of a dialog."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    prompt: str | None = None  # template name under prompts/<lang>/, without `.html`
    input: InputKind = InputKind.NONE
    options: list[Option] = []
    # A named provider of buttons (e.g. exit situations); `options` given as well come after them.
    options_from: Identifier | None = None
    # At a choice step: a named reader for typed text that is no button's label ("weiß nicht",
    # "I'm in Leeds"): it names the button it means, or none.
    typed: Identifier | None = None
    save_as: Identifier | None = None
    max_length: int = Field(300, ge=1, le=4000)
    min: float | None = None
    max: float | None = None
    optional: bool = False  # shows a "skip" button
    view: Identifier | None = None  # named provider of extra template data
    effects: list[Identifier] = []  # run when the answer is accepted (or on entry if input: none)
    next: list[Route] = []
    back: Identifier | None = None
    final: bool = False
    then: Identifier | None = None  # dialog to start when this final state is reached
    # The dialog's work is done at this step and its buttons are extras (the cheat sheet with
    # "add to calendar"): a dialog that comes in meanwhile (a reminder, 🚪) ends it instead of
    # pausing it, so the step is not shown again when that one finishes.
    settled: bool = False
    # Kept with this step in the step history for `exit-coach stats`: answers (`situation`) and
    # view values (`view.line_id`), our own ids and numbers, never text a user typed.
    stats: list[Annotated[str, Field(pattern=STATS_NAME.pattern)]] = []

    _norm_next = field_validator("next", mode="before")(_routes)

    @field_validator("options", mode="before")
    @classmethod
    def _short_options(cls, value: Any) -> Any:
        """Accept `options: [a, b]` as shorthand for `[{id: a}, {id: b}]`."""
        if isinstance(value, list):
            return [{"id": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> StateSpec:
        choice_like = self.input in (InputKind.CHOICE, InputKind.MULTI)
        if choice_like and not (self.options or self.options_from):
            raise ValueError(f"input '{self.input}' needs 'options' or 'options_from'")
        if not choice_like and (self.options or self.options_from):
            raise ValueError(f"input '{self.input}' takes no options (use input: choice)")
        if self.typed and self.input != InputKind.CHOICE:
            raise ValueError("'typed' reads typed text at a choice step (input: choice)")
        if self.input != InputKind.NONE and not self.prompt:
            raise ValueError(f"input '{self.input}' needs a 'prompt' template to ask with")
        if self.final and (self.next or self.input != InputKind.NONE):
            raise ValueError("a final state takes no input and has no 'next'")
        ids = [option.id for option in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(
                f"duplicate option ids: {sorted({i for i in ids if ids.count(i) > 1})}"
            )
        return self

    @property
    def buttons_route(self) -> bool:
        """True when the way on is chosen per button rather than by the state."""
        return any(option.next or option.start for option in self.options)


class DialogSpec(BaseModel):
    """A whole journey: its states and where it starts."""

    model_config = ConfigDict(extra="forbid")

    dialog: Identifier
    start: Identifier
    command: Identifier | None = None  # e.g. `exit` makes /exit start this dialog
    overlay: bool = False  # starting it suspends the current dialog; finishing resumes that one
    resumable: bool = True  # offer "continue or start fresh" after a long pause
    # What a user may share to start this dialog with answers filled in (e.g. `contact`: a
    # shared Telegram contact); the values arrive in answers as `shared`.
    accepts: list[Identifier] = Field(default_factory=list)
    states: dict[Identifier, StateSpec]
    # Renamed or removed states: users stored in the old one go on in the new one.
    moved: dict[Identifier, Identifier] = {}
    source: str = ""

    _lines: SourceLines | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _graph(self, info: ValidationInfo) -> DialogSpec:
        for name, state in self.states.items():
            state.name = name
        if info.context and info.context.get("graph_later"):
            return self  # load_dialog reports each problem with its line
        problems = [
            f"state '{state}': {message}" if state else message
            for _, state, message in self.graph_problems()
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def graph_problems(self) -> list[tuple[tuple[str, ...], str | None, str]]:
        """(key path, state, message) for each way the steps do not fit together: unknown
        targets, dead ends, `moved` entries that make no sense, then unreachable steps."""
        problems: list[tuple[tuple[str, ...], str | None, str]] = []
        names = list(self.states)
        if self.start not in self.states:
            message = f"start state '{self.start}' is not defined{did_you_mean(self.start, names)}"
            problems.append((("start",), None, message))
        for name, state in self.states.items():
            targets = [("next", r.to) for r in state.next]
            targets += [("options", r.to) for o in state.options for r in o.next]
            if state.back:
                targets.append(("back", state.back))
            for field, target in targets:
                if target not in self.states:
                    message = f"unknown target state '{target}'{did_you_mean(target, names)}"
                    problems.append((("states", name, field), name, message))
            if not state.final and not self._has_way_on(state):
                problems.append(
                    (
                        ("states", name),
                        name,
                        "not final and has no way on (next/options): add `next: <state>`, "
                        "or `final: true` if the dialog ends here",
                    )
                )
        typed = {
            state.save_as or state.name: state.name
            for state in self.states.values()
            if state.input in TYPED_INPUTS
        }
        for name, state in self.states.items():
            for answer in state.stats:
                if answer.startswith(VIEW_PREFIX) and not answer.endswith("_id"):
                    message = (
                        f"stats: '{answer}' may hold text a user typed; only view values "
                        "named …_id (ids the code makes) may be counted"
                    )
                    problems.append((("states", name, "stats"), name, message))
                elif answer in typed:
                    message = (
                        f"stats: '{answer}' is typed by users (state '{typed[answer]}'); only "
                        "button answers and values the code sets may be counted"
                    )
                    problems.append((("states", name, "stats"), name, message))
        for old, new in self.moved.items():
            if old in self.states:
                message = f"moved: '{old}' is still a state; only a gone state can move"
                problems.append((("moved", old), None, message))
            elif new not in self.states:
                message = f"moved: '{old}' moves to unknown state '{new}'{did_you_mean(new, names)}"
                problems.append((("moved", old), None, message))
        if not problems:
            for name in [n for n in names if n not in self.reachable()]:
                message = (
                    f"unreachable from '{self.start}': no step's next, option or back leads "
                    "here; link it from another step or remove it"
                )
                problems.append((("states", name), name, message))
        return problems

    def where(self, *path: object) -> str:
        """'dialogs/exit.yaml:12 state 'line'' for a message about `path` (states, name, …)."""
        line = self._lines.line(*path) if self._lines else None
        place = f"dialogs/{self.source}" + (f":{line}" if line else "")
        if len(path) >= 2 and path[0] == "states":
            place += f" state '{path[1]}'"
        return place

    def remember_lines(self, lines: SourceLines) -> None:
        self._lines = lines

    @staticmethod
    def _has_way_on(state: StateSpec) -> bool:
        if state.next:
            return True
        return bool(state.options) and all(o.next or o.start for o in state.options)

    def reachable(self) -> set[str]:
        seen: set[str] = set()
        todo = [self.start]
        while todo:
            name = todo.pop()
            if name in seen or name not in self.states:
                continue
            seen.add(name)
            state = self.states[name]
            todo += [r.to for r in state.next] + [r.to for o in state.options for r in o.next]
            if state.back:
                todo.append(state.back)
        return seen


def load_dialog(path: Path) -> DialogSpec:
    """Read and validate one dialog file; every problem is one line naming file, line, state."""
    text = path.read_text(encoding="utf-8")
    try:
        raw, lines = load_with_lines(text)
    except yaml.YAMLError as exc:
        raise DialogSpecError(f"dialogs/{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise DialogSpecError(
            f"dialogs/{path.name}: expected a mapping with 'dialog', 'start', 'states'"
        )
    try:
        spec = DialogSpec.model_validate(
            {**raw, "source": path.name}, context={"graph_later": True}
        )
    except ValidationError as exc:
        raise DialogSpecError("\n".join(_describe_with_lines(exc, path.name, lines))) from exc
    spec.remember_lines(lines)
    problems = [f"{spec.where(*where)}: {message}" for where, _, message in spec.graph_problems()]
    if spec.dialog != path.stem:
        problems.append(
            f"{spec.where('dialog')}: 'dialog: {spec.dialog}' must match the file name "
            f"(dialog: {path.stem})"
        )
    if problems:
        raise DialogSpecError("\n".join(problems))
    return spec


def load_dialogs(directory: Path) -> dict[str, DialogSpec]:
    """Every `*.yaml` in `directory`, keyed by dialog name; the problems of all files at once."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise DialogSpecError(f"{directory}: no dialog files (*.yaml) found")
    specs, problems = {}, []
    for path in files:
        try:
            spec = load_dialog(path)
        except DialogSpecError as exc:
            problems.append(str(exc))
        else:
            specs[spec.dialog] = spec
    if problems:
        raise DialogSpecError("\n".join(problems))
    return specs


def unknown_dialogs(
    specs: Mapping[str, DialogSpec], needed_by_code: Mapping[str, str] | None = None
) -> list[str]:
    """Every dialog named elsewhere must exist: a final state's `then:`, an option's `start:`,
    and the dialogs the code starts by name (`needed_by_code`: name → who needs it). A missing
    one would only fail when a user reaches that step, so it is found here, with file and state."""
    problems = []
    for spec in specs.values():
        for state in spec.states.values():
            if state.then and state.then not in specs:
                problems.append(
                    f"{spec.where('states', state.name, 'then')}: then: unknown dialog "
                    f"'{state.then}'{did_you_mean(state.then, specs)}"
                )
            for index, option in enumerate(state.options):
                if option.start and option.start not in specs:
                    where = spec.where("states", state.name, "options", index, "start")
                    problems.append(
                        f"{where} option '{option.id}': start: unknown dialog "
                        f"'{option.start}'{did_you_mean(option.start, specs)}"
                    )
    for name, who in sorted((needed_by_code or {}).items()):
        if name not in specs:
            problems.append(
                f"dialog '{name}' is needed by {who}, but dialogs/{name}.yaml is missing"
            )
    return problems


def _describe(exc: ValidationError) -> str:
    """Turn pydantic's errors into lines a coach can act on: 'states → goals → input: …'."""
    lines = []
    for error in exc.errors():
        where = " → ".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)


def _describe_with_lines(exc: ValidationError, file: str, lines: SourceLines) -> list[str]:
    """One line per problem: 'dialogs/exit.yaml:14 state 'line' → input: …', with a guess
    for a misspelt field or value."""
    described = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        line = lines.line(*loc)
        place = f"dialogs/{file}" + (f":{line}" if line else "")
        field = loc
        if len(loc) >= 2 and loc[0] == "states":
            place += f" state '{loc[1]}'"
            field = loc[2:]
        message = error["msg"].removeprefix("Value error, ") + _guess(error["type"], loc, error)
        described.append(f"{place}" + (f" → {' → '.join(field)}" if field else "") + f": {message}")
    return described


def _guess(kind: str, loc: list[str], error: Any) -> str:
    """A 'did you mean' for an unknown field name or input kind."""
    if kind == "extra_forbidden":
        model: type[BaseModel] = DialogSpec
        if len(loc) >= 3 and loc[0] == "states":
            model = StateSpec
            if len(loc) >= 5 and loc[2] == "options":
                model = Option
            elif len(loc) >= 5 and loc[2] == "next":
                model = Route
        fields = [info.alias or name for name, info in model.model_fields.items()]
        return did_you_mean(loc[-1], [f for f in fields if f not in ("name", "source")])
    if kind == "enum" and loc[-1:] == ["input"]:
        return did_you_mean(str(error.get("input")), [kind.value for kind in InputKind])
    return ""
