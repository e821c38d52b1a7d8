"""The composition root's building blocks: settings → dialogs, renderer, domain, engine, store.

Adapters call `build_engine` / `open_service`; nothing registers itself by import.
"""

from __future__ import annotations

import gc
from datetime import timedelta

from bot.coach.domain import coach_domain
from bot.coach.offers import load_offers
from bot.coach.policy import CoachPolicy
from bot.coach.wording import template_filters
from bot.config import Settings
from bot.engine.conversation import Engine
from bot.engine.render import Renderer
from bot.engine.spec import load_dialogs
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.sessions import SessionStore


def build_engine(settings: Settings) -> Engine:
    renderer = Renderer(settings.prompts_dir, filters=template_filters())
    return Engine(
        load_dialogs(settings.dialogs_dir),
        renderer,
        coach_domain(
            settings.prompts_dir,
            renderer.languages,
            coach_policy(settings),
            renderer.label,
            load_offers(settings.offers_file, renderer.languages),
            renderer.render_one,
        ),
        resume_after=timedelta(minutes=settings.resume_after_minutes),
    )


def coach_policy(settings: Settings) -> CoachPolicy:
    return CoachPolicy(
        default_timezone=settings.default_timezone,
        reminder_before=timedelta(minutes=settings.reminder_before_minutes),
        reflection_after=timedelta(minutes=settings.reflection_after_minutes),
        followup_nudge=timedelta(days=settings.followup_nudge_days),
        step_history_days=settings.step_history_days,
    )


async def open_service(
    settings: Settings, engine: Engine | None = None, *, exclusive: bool = True
) -> ConversationService:
    """The service on the configured database; `exclusive` (the bot itself, not a short command)
    refuses a second process on one SQLite file."""
    database = await open_database(settings.database_url, exclusive=exclusive)
    return ConversationService(engine or build_engine(settings), SessionStore(database))


_frozen = False


def freeze_start_up() -> None:
    """Hand what start-up built (dialogs, templates, the libraries' own objects: about 150,000)
    to the permanent generation, once per process, so that the collector stops walking them:
    a full collection over them paused every user's update for about 80 ms. Collected first,
    so no start-up garbage is kept for good."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()
