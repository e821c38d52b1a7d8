"""The engine: one user input plus that user's session in, replies and a changed session out.

Synchronous, and knows nothing of Telegram or SQL, but not pure: the domain's effects, views and
conditions read and write the user's records through the `records` the store hands in (the
turn's own transaction, `store/journal/`). So `Engine.handle` runs inside that transaction:
the store loads the session, runs the engine, commits the session, the records and the rendered
reply together, and only then is anything sent, so a crash at any moment loses no answered step.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from bot.engine import callback_data
from bot.engine.builtins import builtin_effects, builtin_option_providers
from bot.engine.domain import Domain
from bot.engine.errors import DialogSpecError, ExitCoachError
from bot.engine.inputs import InvalidInput, check_range, parse_typed
from bot.engine.io import (
    SHARED_KEY,
    Command,
    Document,
    Due,
    OutgoingMessage,
    Reply,
    Shared,
    Tap,
    Text,
    Unsupported,
    UserInput,
)
from bot.engine.machines import (
    BACK,
    BEGIN,
    BEGIN_TRIGGER,
    SUBMIT,
    DialogMachine,
    build_machines,
    has_own_trigger,
    option_trigger,
)
from bot.engine.names import unknown_names
from bot.engine.presenter import BACK_ID, DONE_ID, RATING_PREFIX, SKIP_ID, Presenter
from bot.engine.render import Renderer
from bot.engine.session import START_PAYLOAD_KEY, Frame, Session
from bot.engine.spec import (
    MENU,
    ONBOARDING,
    RESUME,
    DialogSpec,
    InputKind,
    StateSpec,
    unknown_dialogs,
)
from bot.engine.turn import (
    KEYBOARD_FLAG,
    LEFT,
    Move,
    Outcome,
    Turn,
    require_active,
    stats_value,
    step_context,
)

log = logging.getLogger(__name__)

BUILTIN_COMMANDS = ("start", "help", "cancel", "exit")
MAX_AUTO_STEPS = 50  # guards against a cycle of input-less steps in a dialog file


class Engine:
    """Runs the dialogs described in `dialogs/` for one user's input at a time."""

    def __init__(
        self,
        specs: dict[str, DialogSpec],
        renderer: Renderer,
        domain: Domain,
        resume_after: timedelta = timedelta(hours=1),
    ) -> None:
        self.specs = specs
        self.renderer = renderer
        self.domain = Domain(
            effects={**builtin_effects(renderer), **domain.effects},
            conditions=domain.conditions,
            views=domain.views,
            option_providers={**builtin_option_providers(renderer), **domain.option_providers},
            parsers=domain.parsers,
            readers=domain.readers,
            documents=domain.documents,
            dialogs=domain.dialogs,
        )
        self.commands = {spec.command: name for name, spec in specs.items() if spec.command}
        self.accepting: dict[str, str] = {}
        for name, spec in specs.items():
            for kind in spec.accepts:
                if kind in self.accepting:
                    raise DialogSpecError(
                        f"dialogs/{spec.source}: '{kind}' is accepted by {self.accepting[kind]} too"
                    )
                self.accepting[kind] = name
        self.exit_dialog = self.commands.get("exit", "exit")
        problems = unknown_dialogs(specs, self._dialogs_needed())
        problems += unknown_names(specs, self.domain)
        if problems:
            raise DialogSpecError("\n".join(problems))
        self.machines: dict[str, DialogMachine] = build_machines(specs, self.domain)
        self.present = Presenter(specs, renderer, self.domain)
        self.resume_after = resume_after
        self._exit_labels = {
            renderer.label(lang, "exit_button").casefold() for lang in renderer.languages
        }

    def _dialogs_needed(self) -> dict[str, str]:
        """Dialogs started by name from code rather than from a dialog file."""
        return {
            MENU: "the engine (the main menu)",
            ONBOARDING: "the engine (/start for a new user)",
            RESUME: "the engine (continuing after a pause)",
            self.exit_dialog: "the engine (the 🚪 exit button)",
            **{name: "the coach's reminders" for name in self.domain.dialogs},
        }

    # -- public -------------------------------------------------------------------------------

    def new_session(self, user_id: int, language_code: str | None) -> Session:
        return Session(user_id=user_id, language=self.renderer.language(language_code))

    def handle(
        self,
        session: Session,
        user_input: UserInput,
        now: datetime,
        records_store: Any = None,
    ) -> Outcome:
        """Apply one input to `session` (changed in place) and say what to send.

        `records_store` gives the domain the user's records (inside the caller's transaction).
        """
        if session.language not in self.renderer.languages:  # its folder was removed since
            session.language = self.renderer.language(session.language)
        turn = Turn(session=session, now=now, records_store=records_store)
        # Whatever this turn sends shows the user where they are, so the flag is spent here.
        unseen, session.unseen = session.unseen, False
        try:
            active_gone = self._move_on_from_vanished_steps(turn)
            match user_input:
                case Command(name=name, args=args):
                    self._command(turn, name, args)
                case Document(file_name=file_name, content=file_content):
                    self._document(turn, file_name, file_content)
                case Text(text=text) if unseen and not active_gone and not self.is_exit_label(text):
                    self._missed(turn)
                case Text(text=text) if not active_gone or self.is_exit_label(text):
                    self._text(turn, text)
                case Tap(data=data) if not active_gone:
                    self._tap(turn, data)
                case Due(dialog=dialog) if dialog not in self.specs:
                    # planned before a coach removed the dialog: nothing left to send
                    log.warning("reminder dialog '%s' no longer exists; skipped", dialog)
                case Due(dialog=dialog, answers=answers):
                    self._start_dialog(turn, dialog, answers=dict(answers), overlay=True)
                case Shared(kind=kind, values=values) if kind in self.accepting:
                    # like the dialog's command, with what was shared already answered
                    prefilled: dict[str, Any] = {SHARED_KEY: dict(values)}
                    self._start_dialog(turn, self.accepting[kind], answers=prefilled)
                case _ if active_gone:
                    # the input was meant for a step that no longer exists: on to the menu
                    self._reshow(turn)
                case Shared(kind=kind):  # nothing takes it: like any other unexpected content
                    self.present.say(turn, "invalid/not_text")
                    self._reshow(turn)
                case Unsupported(what=what):
                    self.present.say(
                        turn, "invalid/edited" if what == "edited" else "invalid/not_text"
                    )
                    self._reshow(turn)
        except ExitCoachError as exc:
            frame = session.active
            exc.with_context(
                user=session.user_id, dialog=frame and frame.dialog, state=frame and frame.state
            )
            raise
        for attachment in turn.attachments:
            content = attachment.content
            turn.reply.messages.append(
                OutgoingMessage(
                    "",
                    file=content if isinstance(content, bytes) else None,
                    make_file=None if isinstance(content, bytes) else content,
                    file_name=attachment.filename,
                    file_kind=attachment.kind,
                )
            )
        if KEYBOARD_FLAG in turn.flags:
            self.present.attach_exit_keyboard(turn)
        session.last_seen = now
        return Outcome(turn.reply, turn.records, turn.steps, turn.moves)

    def error_reply(self, session_language: str | None) -> Reply:
        """What a user reads when something broke on our side: kind, and nothing is lost."""
        reply = Reply()
        template = "system/error"
        lang = self.renderer.language(session_language)
        reply.say(self.renderer.render(lang, template), template=template)
        return reply

    def preview(
        self,
        session: Session,
        dialog: str,
        state: str,
        answers: dict[str, Any],
        now: datetime,
        records_store: Any = None,
    ) -> list[OutgoingMessage]:
        """Render one step as a user would see it, for `exit-coach check` and tests."""
        session.active = Frame(dialog=dialog, state=state, answers=answers)
        turn = Turn(session=session, now=now, records_store=records_store)
        spec = self.present.state(session.active)
        if spec.input != InputKind.NONE:
            self.present.show_step(turn)
        elif spec.prompt:
            self.present.say(turn, spec.prompt, **self.present.context(turn, spec))
        return turn.reply.messages

    def preview_options(
        self, session: Session, dialog: str, state: str, records_store: Any = None
    ) -> list[tuple[str, str]]:
        """The buttons a step would show, for `exit-coach check`."""
        session.active = Frame(dialog=dialog, state=state)
        turn = Turn(session=session, now=session.last_seen, records_store=records_store)
        return self.present.options(turn, self.present.state(session.active))

    def command_names(self) -> list[str]:
        """Commands for Telegram's menu, in the order users need them."""
        return list(dict.fromkeys([*BUILTIN_COMMANDS, *self.commands]))

    def is_exit_label(self, text: str) -> bool:
        return text.strip().casefold() in self._exit_labels

    # -- commands -----------------------------------------------------------------------------

    def _command(self, turn: Turn, name: str, args: str) -> None:
        session = turn.session
        if name == "start":
            if args:  # a deep link's payload, for the domain to pick up (see dialogs/menu.yaml)
                session.data[START_PAYLOAD_KEY] = args[:64]
            self._start_command(turn)
        elif name == "cancel":
            had_dialog = session.active is not None and session.active.dialog != MENU
            session.active, session.suspended = None, []
            self.present.say(turn, "system/cancelled" if had_dialog else "system/nothing_to_cancel")
            self._start_dialog(turn, MENU if session.onboarded else ONBOARDING)
        elif name in self.commands:
            self._start_dialog(turn, self.commands[name])
        else:
            self.present.say(
                turn, "system/unknown_command", command=name[:40], commands=self.command_names()
            )
            self._reshow(turn)

    def _start_command(self, turn: Turn) -> None:
        session = turn.session
        self.present.say(turn, "system/welcome", returning=session.onboarded)
        if session.onboarded:
            # The welcome back carries the one-tap exit button (so stays a message of its own).
            turn.reply.messages[-1].exit_keyboard = self.renderer.label(turn.lang, "exit_button")
        # A newcomer's welcome joins the language question: one message, not two, spends less
        # of the bot's shared flood budget; the exit button arrives with the next step.
        if not session.onboarded:
            if session.active is None or session.active.dialog != ONBOARDING:
                self._start_dialog(turn, ONBOARDING)
            else:
                self.present.show_step(turn)
        elif self._resumable(session.active):
            self._start_dialog(turn, RESUME)
        else:
            self._start_dialog(turn, MENU)

    # -- files ---------------------------------------------------------------------------------

    def _document(self, turn: Turn, file_name: str, content: bytes | None) -> None:
        """A file the domain can read (by its suffix) starts the dialog it names; any other
        file, or one that cannot be read, gets a friendly word and the step the user was on."""
        suffix = file_name.rpartition(".")[2].casefold() if "." in file_name else ""
        reader = self.domain.documents.get(suffix)
        if reader is None:
            self.present.say(turn, "invalid/unknown_file")
            self._reshow(turn)
            return
        if content is None:
            self.present.say(turn, "invalid/file_too_big")
            self._reshow(turn)
            return
        try:
            start = reader(content, turn.session, turn.now)
        except InvalidInput as invalid:
            self.present.say(turn, f"invalid/{invalid.reason}", **invalid.details)
            self._reshow(turn)
            return
        self._start_dialog(turn, start.dialog, answers=dict(start.answers))

    # -- taps ---------------------------------------------------------------------------------

    def _tap(self, turn: Turn, data: str) -> None:
        button = callback_data.decode(data)
        frame = turn.active
        if button is None or frame is None or button.step != turn.session.step:
            turn.reply.toast = self.renderer.label(turn.lang, "stale_toast")
            self.present.say(turn, "system/stale")
            self._reshow(turn)
            return
        turn.tapped = (frame.dialog, frame.state)
        self._choose(turn, button.option)

    def _choose(self, turn: Turn, option_id: str) -> None:
        frame = require_active(turn)
        state = self.present.state(frame)
        if option_id == BACK_ID and state.back:
            self._move(turn, BACK)
        elif option_id == SKIP_ID and state.optional:
            self._answer(turn, state, None, SUBMIT)
        elif state.input == InputKind.MULTI:
            self._toggle(turn, state, option_id)
        elif state.input == InputKind.RATING and option_id.startswith(RATING_PREFIX):
            self._answer(turn, state, int(option_id[1:]), SUBMIT)
        elif state.input == InputKind.CHOICE and option_id in self.present.option_ids(turn, state):
            option = next((o for o in state.options if o.id == option_id), None)
            if option is not None and option.start:
                turn.moves.append(Move(frame.dialog, frame.state, option_trigger(option_id), LEFT))
                carried = {key: frame.answers[key] for key in option.carry if key in frame.answers}
                if self.specs[frame.dialog].overlay:
                    # leaving an overlay for another dialog: what it paused stays paused, and
                    # the overlay itself is done (not paused under the new one)
                    turn.session.active = None
                self._start_dialog(turn, option.start, answers=carried)
            else:
                trigger = (
                    option_trigger(option_id) if option and has_own_trigger(option) else SUBMIT
                )
                self._answer(turn, state, option_id, trigger)
        else:
            self.present.say(turn, "system/stale")
            self._reshow(turn)

    def _toggle(self, turn: Turn, state: StateSpec, option_id: str) -> None:
        frame = require_active(turn)
        key = state.save_as or state.name
        chosen: list[str] = list(frame.answers.get(key) or [])
        if option_id == DONE_ID:
            fewest = 1 if state.min is None else int(state.min)
            if len(chosen) < fewest:
                self.present.say(turn, "invalid/choose_more", min=fewest)
                self.present.show_step(turn)
                return
            self._move(turn, SUBMIT)
            return
        if option_id not in self.present.option_ids(turn, state):
            self.present.say(turn, "system/stale")
            self._reshow(turn)
            return
        if option_id not in chosen and state.max is not None and len(chosen) >= state.max:
            self.present.say(turn, "invalid/choose_fewer", max=int(state.max))
            self.present.show_step(turn)
            return
        frame.answers[key] = (
            [i for i in chosen if i != option_id] if option_id in chosen else [*chosen, option_id]
        )
        self.present.show_step(turn)

    # -- typed text ---------------------------------------------------------------------------

    def _text(self, turn: Turn, text: str) -> None:
        session = turn.session
        if self.is_exit_label(text):
            self._start_dialog(turn, self.exit_dialog)
            return
        frame = session.active
        if frame is None:
            if not session.onboarded:
                self._start_command(turn)
            else:
                self._start_dialog(turn, MENU)
            return
        if self._resumable(frame) and turn.now - session.last_seen > self.resume_after:
            self._start_dialog(turn, RESUME)
            return
        state = self.present.state(frame)
        if state.input in (InputKind.CHOICE, InputKind.MULTI):
            option_id = self._option_by_label(turn, state, text)
            if option_id is None and state.typed:
                read = self.domain.readers[state.typed](text, step_context(turn))
                option_id = read if read in self.present.option_ids(turn, state) else None
            if option_id is None:
                self.present.say(turn, "invalid/use_buttons")
                self.present.show_step(turn)
            else:
                self._choose(turn, option_id)
            return
        if state.optional and self._is_label(turn, "skip", text):
            self._choose(turn, SKIP_ID)  # typed "skip" means the button, not an answer "skip"
            return
        try:
            parser = self.domain.parsers.get(state.input)
            value = parser(text, step_context(turn)) if parser else parse_typed(state, text)
            if parser and state.input == InputKind.NUMBER:
                value = check_range(state, float(value))
        except InvalidInput as invalid:
            self.present.say(turn, f"invalid/{invalid.reason}", **invalid.details)
            self.present.show_step(turn)
            return
        self._answer(turn, state, value, SUBMIT)

    def _is_label(self, turn: Turn, key: str, text: str) -> bool:
        """Whether `text` is the label `key`, typed without its symbols ("skip" for "Skip ▶")."""
        letters = _letters(text)
        return bool(letters) and letters == _letters(self.renderer.label(turn.lang, key))

    def _option_by_label(self, turn: Turn, state: StateSpec, text: str) -> str | None:
        typed = text.strip().casefold()
        wanted = typed.removeprefix("✅").strip()  # a chosen button of a multi-step, retyped
        options = self.present.options(turn, state)
        for option_id, label in options:
            if label.casefold() in (typed, wanted) or option_id == wanted:
                return option_id
        # Typed without the button's symbols ("fertig" for „Fertig ✔“, "Kunden gewinnen!").
        letters = _letters(wanted)
        for option_id, label in options:
            if letters and _letters(label) == letters:
                return option_id
        if state.input == InputKind.MULTI and self._is_label(turn, "done", wanted):
            return DONE_ID
        return None

    # -- moving through a dialog --------------------------------------------------------------

    def _answer(self, turn: Turn, state: StateSpec, value: Any, trigger: str) -> None:
        frame = require_active(turn)
        frame.answers[state.save_as or state.name] = value
        self._move(turn, trigger)

    def _start_dialog(
        self,
        turn: Turn,
        name: str,
        answers: dict[str, Any] | None = None,
        overlay: bool | None = None,
    ) -> None:
        """Start `name`; an overlay pauses the active dialog, anything else replaces it."""
        session = turn.session
        overlay = self.specs[name].overlay if overlay is None else overlay
        active = session.active
        if overlay and active is not None and active.dialog != name:
            if not self.present.state(active).settled:
                session.suspended.append(active)
        elif not overlay:
            session.suspended = []
        session.active = Frame(dialog=name, state=BEGIN, answers=answers or {})
        self._move(turn, BEGIN_TRIGGER)

    def _move(self, turn: Turn, trigger: str) -> None:
        """Fire `trigger`, then walk through input-less steps until one waits for the user."""
        for _ in range(MAX_AUTO_STEPS):
            frame = require_active(turn)
            ctx = step_context(turn)
            new_state = self.machines[frame.dialog].fire(frame.state, trigger, ctx)
            if new_state is None:
                raise ExitCoachError(f"no route out of '{frame.state}' on '{trigger}' held")
            turn.moves.append(Move(frame.dialog, frame.state, trigger, new_state))
            frame.state = new_state
            state = self.present.state(frame)
            turn.view = None
            if state.final:
                if state.prompt:
                    self.present.say(turn, state.prompt, **self.present.context(turn, state))
                self._entered(turn, frame, state)
                self._finish(turn, state)
                return
            if state.input != InputKind.NONE:
                self.present.show_step(turn)
                self._entered(turn, frame, state)
                return
            if state.prompt:
                self.present.say(turn, state.prompt, **self.present.context(turn, state))
            self._entered(turn, frame, state)
            trigger = SUBMIT
        raise ExitCoachError(f"more than {MAX_AUTO_STEPS} steps without input: a cycle?")

    @staticmethod
    def _entered(turn: Turn, frame: Frame, state: StateSpec) -> None:
        """Note the step for the step history, once shown (its `stats:` may read the view)."""
        turn.steps.append((frame.dialog, state.name, stats_value(state, frame.answers, turn.view)))

    def _finish(self, turn: Turn, state: StateSpec) -> None:
        session = turn.session
        session.active = None
        if session.suspended:
            session.active = session.suspended.pop()
            if session.active.state == BEGIN:
                self._move(turn, BEGIN_TRIGGER)
            else:
                self.present.show_step(turn)
        elif state.then:
            self._start_dialog(turn, state.then)

    def _missed(self, turn: Turn) -> None:
        """The user's last reply never arrived, so their text answers a question they did not
        see: say so and show the current step, without taking the text as an answer. (A tap on
        the current step's button proves they saw it and is applied as usual.)"""
        self.present.say(turn, "system/missed")
        self._reshow(turn)

    def _move_on_from_vanished_steps(self, turn: Turn) -> bool:
        """Frames whose dialog or step a coach renamed or removed since they were stored are
        repaired, so the user is never stuck in an error on every input: a step the dialog file
        declares `moved` goes on in its new step, silently; any other gone step restarts its
        dialog from the start with the answers kept (with a short apology if it was the active
        one); a gone dialog is dropped (the active one for the menu). True when the active step
        cannot take the input (restarted or gone)."""
        session = turn.session
        frames = [*session.suspended, *([session.active] if session.active else [])]
        for frame in frames:
            spec = self.specs.get(frame.dialog)
            if spec is not None and frame.state in spec.moved:
                log.info(
                    "user %s: step %s/%s was renamed to %s",
                    session.user_id,
                    frame.dialog,
                    frame.state,
                    spec.moved[frame.state],
                )
                frame.state = spec.moved[frame.state]
        restarted = False
        for frame in frames:
            if frame.dialog in self.specs and not self._exists(frame):
                log.info(
                    "user %s: step %s/%s no longer exists; dialog restarted",
                    session.user_id,
                    frame.dialog,
                    frame.state,
                )
                frame.state = BEGIN  # entered afresh from its start; the answers stay
                restarted = restarted or frame is session.active
        gone = [frame for frame in frames if not self._exists(frame)]
        for frame in gone:
            log.info("user %s: dialog %s no longer exists; moved on", session.user_id, frame.dialog)
        session.suspended = [frame for frame in session.suspended if self._exists(frame)]
        active_gone = session.active is not None and not self._exists(session.active)
        if active_gone:
            session.active = None
        if restarted and session.active is not None:
            title = self.renderer.label(turn.lang, f"dialog_{session.active.dialog}")
            self.present.say(turn, "system/restarted", title=title)
        if gone:
            self.present.say(turn, "system/moved_on", to_menu=active_gone)
        return active_gone or restarted

    def _exists(self, frame: Frame) -> bool:
        spec = self.specs.get(frame.dialog)
        return spec is not None and (frame.state == BEGIN or frame.state in spec.states)

    def _reshow(self, turn: Turn) -> None:
        """Show the current step again (or the menu when nothing is going on; or the first
        step of a dialog restarted because its stored step is gone)."""
        if turn.active is None:
            self._start_dialog(turn, MENU if turn.session.onboarded else ONBOARDING)
        elif turn.active.state == BEGIN:
            self._move(turn, BEGIN_TRIGGER)
        else:
            self.present.show_step(turn)

    def _resumable(self, frame: Frame | None) -> bool:
        return frame is not None and self.specs[frame.dialog].resumable


def _letters(text: str) -> str:
    """A label as typed on a phone compares by its letters and digits only, case aside."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
