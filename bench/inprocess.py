"""The bot's real `Application` in this process, over the in-memory Bot API, and PTB's no-op
baseline: the same `Application` class with one handler that does nothing."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bench.inmemory import TOKEN, InMemoryRequest, NoSuchButton, SimUser, Step, UpdateIds
from bot.bootstrap import build_engine, open_service
from bot.config import get_settings
from bot.engine.conversation import Engine
from bot.telegram.application import build_application, running
from bot.testkit.client import FILL_IN_LIMIT, ask_again_notes

App = Application  # type: ignore[type-arg]

_ENGINE: Engine | None = None


def shared_engine() -> Engine:
    """Dialogs and templates are loaded once per run, as the bot does once per process."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = build_engine(get_settings(_env_file=None))
    return _ENGINE


@asynccontextmanager
async def coach_app(database_url: str) -> AsyncIterator[tuple[App, InMemoryRequest]]:
    """Our Application on `database_url`, initialised (post_init ran: service, commands, jobs),
    with AIORateLimiter off: there are no flood limits to respect in memory."""
    settings = get_settings(telegram_bot_token=TOKEN, database_url=database_url, _env_file=None)
    engine = shared_engine()
    service = await open_service(settings, engine, exclusive=False)  # bot processes may follow
    request = InMemoryRequest()
    app = build_application(settings, engine, service, request=request, rate_limit=False)
    try:
        async with running(app):
            yield app, request
    finally:
        await service.store.database.dispose()


@asynccontextmanager
async def noop_app() -> AsyncIterator[App]:
    async def nothing(update: Update, context: Any) -> None:
        return None

    app = Application.builder().token(TOKEN).request(InMemoryRequest()).build()
    app.add_handler(TypeHandler(Update, nothing))
    async with app:
        yield app


@dataclass
class Timings:
    """Per-update latencies (seconds) and the wall time they took together."""

    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else float("nan")


async def timed(app: App, raw: dict[str, Any], into: list[float]) -> None:
    """Parse and process one update, timing both: parsing JSON is part of every bot's path."""
    started = time.perf_counter()
    await app.process_update(Update.de_json(raw, app.bot))
    into.append(time.perf_counter() - started)


@cache
def ask_again_texts() -> tuple[str, ...]:
    """Rendered once per run: how the bot starts a message that did not take a typed answer."""
    return ask_again_notes(shared_engine().renderer)


async def drive(
    app: App,
    request: InMemoryRequest,
    user: SimUser,
    steps: Sequence[Step],
    ids: UpdateIds,
    into: list[float],
    record: list[dict[str, Any]] | None = None,
) -> None:
    """One user's steps in order, each built from the bot's previous reply. A step the journey
    does not know (one a coach added to a dialog) gets its first answer, as tests do."""
    notes = ask_again_texts()

    async def step_out(raw: dict[str, Any]) -> None:
        if record is not None:
            record.append(raw)
        await timed(app, raw, into)

    for step in steps:
        for attempt in range(FILL_IN_LIMIT + 1):
            try:
                await step_out(user.update(step, ids()))
            except NoSuchButton:
                if attempt == FILL_IN_LIMIT:
                    raise
                await step_out(user.answer_unknown_step(ids()))
                continue
            if step[0] == "send" and attempt < FILL_IN_LIMIT and user.asked_again(notes):
                await step_out(user.answer_unknown_step(ids()))
                continue
            break


async def replay(app: App, updates: Sequence[dict[str, Any]], into: list[float]) -> None:
    for raw in updates:
        await timed(app, raw, into)
