"""A property over crash points: wherever the process dies between an update and its reply
(before the turn commits, after the commit and before the send, after Telegram took a message
and before the outbox forgot it), the user ends up with every reply of a run that never
crashed, in the same order; a message arrives twice only when the crash fell between
Telegram's acceptance and the mark, and the answers stored are exactly those of the clean run.

The "process" is a service with its outbox sender; a crash drops both and a new one starts on
the same database (as after kill -9): what was committed stays, nothing in memory does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.conversation import Engine
from bot.engine.io import Command, OutgoingMessage, Tap, Text, UserInput
from bot.outbox import Kind, OutboxSender
from bot.service import ConversationService, ToOutbox
from bot.store import outbox
from bot.store.database import open_database
from bot.store.executor import Database
from bot.store.sessions import SessionStore
from tests.conftest import Clock

USER = 77
CRASHES = (None, "before_commit", "before_send", "after_accept")
# The onboarding, as a user goes through it: what they type, or the label they tap.
SCRIPT: list[tuple[str, str]] = [
    ("send", "/start"), ("tap", "English"), ("send", "Ada"),
    ("send", "Web design for small shops"), ("tap", "Win customers"), ("tap", "Done"),
]  # fmt: skip


class Died(BaseException):
    """The process is killed here (not an error any code of ours may catch)."""


class Telegram:
    """What the user's chat shows; `die_after_accepting` kills the process right after the
    next message was taken."""

    def __init__(self) -> None:
        self.shown: list[OutgoingMessage] = []
        self.die_after_accepting = False

    async def send(
        self, user_id: int, message: OutgoingMessage, *, kind: Kind, tapped_message_id: int | None
    ) -> None:
        self.shown.append(message)
        if self.die_after_accepting:
            self.die_after_accepting = False
            raise Died


class Process:
    """One life of the bot: a service and its sender on the shared database."""

    def __init__(self, engine: Engine, database: Database, clock: Clock, chat: Telegram) -> None:
        self.service = ConversationService(engine, SessionStore(database), clock=clock)
        store = self.service.store
        self.service.sender = OutboxSender(
            database, chat, max_age=timedelta(minutes=15), mark_unseen=store.mark_unseen,
            mark_seen=store.mark_seen, mark_blocked=store.mark_blocked, clock=clock,
        )  # fmt: skip

    async def start(self) -> None:
        """What a restart does first: the dead one's claims are let go, and what it left in
        the outbox is sent."""
        await self.service.store.database.run(outbox.release_all_claims, write=True)
        assert self.service.sender is not None
        await self.service.sender.sweep()


def the_input(step: tuple[str, str], chat: Telegram) -> UserInput:
    kind, value = step
    if kind == "send":
        return Command(value[1:]) if value.startswith("/") else Text(value)
    shown = next(m for m in reversed(chat.shown) if m.buttons)
    return Tap(next(b.data for row in shown.buttons for b in row if value in b.label))


async def play(
    engine: Engine, database: Database, clock: Clock, crashes: list[str | None]
) -> tuple[Telegram, int]:
    """The script with a crash point per step (a crash is then followed by a restart, and
    Telegram delivering the same update again); returns the chat and the crashes after
    acceptance."""
    chat = Telegram()
    life = Process(engine, database, clock, chat)
    await life.start()
    accepted_crashes = 0
    for number, (step, crash) in enumerate(zip(SCRIPT, crashes, strict=True), start=1):
        user_input = the_input(step, chat)
        try:
            if crash == "before_commit":  # kept, and the turn never committed (or never ran)
                raise Died
            await life.service.handle(USER, user_input, "en", update_id=number,
                                      to_outbox=ToOutbox())  # fmt: skip
            if crash == "before_send":
                raise Died
            chat.die_after_accepting = crash == "after_accept"
            await life.service.deliver(USER)
        except Died:
            accepted_crashes += crash == "after_accept"
            life = Process(engine, database, clock, chat)  # kill -9, and a restart
            await life.start()
            await life.service.handle(USER, user_input, "en", update_id=number,
                                      to_outbox=ToOutbox())  # fmt: skip
            await life.service.deliver(USER)
    return chat, accepted_crashes


def without_repeats(messages: list[OutgoingMessage]) -> list[str]:
    """The chat as read, a message sent twice in a row read once."""
    texts: list[str] = []
    for message in messages:
        if not texts or texts[-1] != message.html:
            texts.append(message.html)
    return texts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(crashes=st.lists(st.sampled_from(CRASHES), min_size=len(SCRIPT), max_size=len(SCRIPT)))
async def test_no_crash_point_loses_a_reply_or_an_answer(
    crashes: list[str | None], engine: Engine, tmp_path_factory: Any
) -> None:
    folder = tmp_path_factory.mktemp("crash")
    clean_db = await open_database(f"sqlite:///{folder}/clean.db")
    crashed_db = await open_database(f"sqlite:///{folder}/crashed.db")
    try:
        clean, _ = await play(engine, clean_db, Clock(), [None] * len(SCRIPT))
        chat, accepted_crashes = await play(engine, crashed_db, Clock(), crashes)
        assert without_repeats(chat.shown) == without_repeats(clean.shown)
        assert len(chat.shown) - len(clean.shown) == accepted_crashes  # the only duplicates
        await crashed_db.run(lambda c: None, write=True)  # after the marks written behind
        left = await crashed_db.run(lambda c: outbox.pending_count(c))
        assert left == 0
        stored = await SessionStore(crashed_db).load(USER)
        reference = await SessionStore(clean_db).load(USER)
        assert stored is not None and reference is not None
        assert stored.profile == reference.profile and stored.active == reference.active
    finally:
        await clean_db.dispose()
        await crashed_db.dispose()
