"""The composition root: one function builds the `Application` and registers every handler;
`running` starts and stops it with the coach's own parts (outbox, reminders, inbox); polling and
webhook mode serve it."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

import httpx
from telegram import BotCommand
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot import metrics
from bot.bootstrap import build_engine, freeze_start_up, open_service
from bot.config import Settings
from bot.engine.conversation import Engine
from bot.logs import mask_token_at_source
from bot.outbox import OutboxSender
from bot.pause import every
from bot.presence import Presence
from bot.reminders import ReminderRunner
from bot.service import ConversationService
from bot.store.migrate import newest_file_revision
from bot.store.reminders import ReminderStore
from bot.store_gauges import watch_the_store, watch_the_writer
from bot.telegram.background import Background
from bot.telegram.delivery import TelegramTransport
from bot.telegram.handlers import CoachHandlers
from bot.telegram.inbox import UpdateInbox
from bot.telegram.polling import poll_updates
from bot.telegram.ratelimit import SendLimiter
from bot.telegram.startup import initialize

if TYPE_CHECKING:  # imported where a server of ours runs: an idle polling bot has no tornado
    from bot.telegram.monitoring import MonitoringServer

log = logging.getLogger(__name__)


class CoachApplication(Application):  # type: ignore[type-arg]
    """python-telegram-bot's `Application` with the coach's parts, typed (not in `bot_data`)."""

    service: ConversationService  # set in post_init, with the database
    inbox: UpdateInbox  # likewise
    background: Background
    settings: Settings


PRUNE_EVERY_SECONDS = 3600.0  # old step history and update ids go once an hour
WEBHOOK_ORDER_WAIT = 3.0  # seconds an update waits at most for an earlier one still on its way


def build_application(
    settings: Settings,
    engine: Engine | None = None,
    service: ConversationService | None = None,
    *,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> CoachApplication:
    """Build the bot; the service (database) is opened in post_init, on the bot's own loop.

    `request` replaces the HTTP layer and `rate_limit=False` drops Telegram's flood limits: both
    only for the benchmark, which measures our per-update path rather than the network.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    engine = engine or build_engine(settings)
    watch_the_store()
    metrics.describe_build(newest_file_revision())
    handlers = CoachHandlers(engine)
    background = Background()

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        assert isinstance(application, CoachApplication)
        opened = application.service = handlers.service = (
            service or await open_service(settings, engine)
        )
        watch_the_writer(opened.store.database)
        # Long polling delivers in order; webhook calls come concurrently (bot/telegram/inbox.py).
        settle = WEBHOOK_ORDER_WAIT if settings.webhook_url else 0.0
        application.inbox = handlers.inbox = UpdateInbox(
            application, opened.store.database, settle=settle
        )
        await set_commands(application, engine)
        opened.sender = OutboxSender(
            opened.store.database,
            TelegramTransport(application.bot),
            max_age=timedelta(minutes=settings.reply_max_age_minutes),
            mark_unseen=opened.store.mark_unseen,
            mark_seen=opened.store.mark_seen,
            mark_blocked=opened.store.mark_blocked,
            clock=opened.clock,
        )
        runner = ReminderRunner(
            opened,
            ReminderStore(opened.store.database),
            poll=timedelta(seconds=settings.reminder_poll_seconds),
        )
        # The live instances share Telegram's budget: counted before this one sends anything.
        limiter = application.bot.rate_limiter
        presence = Presence(
            opened.store.database,
            limiter.share_among if isinstance(limiter, SendLimiter) else lambda count: None,
        )
        await presence.beat()

        async def prune() -> None:
            """Step history past its retention, update ids Telegram can no longer redeliver."""
            await opened.store.prune(opened.clock(), settings.step_history_days)

        background.start(
            opened.sender.run,
            runner.run_forever,
            application.inbox.run,
            presence.run,
            every(PRUNE_EVERY_SECONDS, prune, first=60),
        )
        freeze_start_up()

    async def post_stop(application: Application) -> None:  # type: ignore[type-arg]
        """After the updates in hand are done: the outbox sweep, reminders, the inbox's sweep."""
        await background.stop()

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        if handlers.service is not None and service is None:
            await handlers.service.store.database.dispose()

    mask_token_at_source(settings.telegram_bot_token.get_secret_value())
    builder = (
        Application.builder()
        .application_class(CoachApplication)
        .token(settings.telegram_bot_token.get_secret_value())
        # Updates arrive through the inbox (bot/telegram/polling.py, webhook.py), not PTB's
        # Updater, which confirms them to Telegram before they are stored.
        .updater(None)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if rate_limit:
        # Every message the bot sends, replies and reminders alike, paced under Telegram's limit.
        builder = builder.rate_limiter(SendLimiter(settings.messages_per_second))  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        # PTB's two HTTP clients (sending; long polling) as it makes them, but with one TLS
        # context between them: each loads the CA certificates, 1.5 MB of memory apiece.
        # Every 429 Telegram answers is counted as it arrives, also those the rate limiter
        # waits out and retries (it never tells).
        tls = httpx.create_ssl_context()
        client = {"verify": tls, "event_hooks": {"response": [count_flood_refusals]}}
        builder = builder.request(
            HTTPXRequest(connection_pool_size=256, httpx_kwargs=client)
        ).get_updates_request(HTTPXRequest(connection_pool_size=1, httpx_kwargs=client))
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
        # A self-hosted Bot API server serves files beside its methods: …/bot → …/file/bot
        # (a user's .ics is downloaded from there).
        builder = builder.base_file_url(file_base_url(settings.telegram_base_url))
    application = builder.build()
    assert isinstance(application, CoachApplication)
    application.background = background
    application.settings = settings

    private = filters.ChatType.PRIVATE
    # One group: the first matching handler wins. Private messages get the coach, any other
    # chat's messages the "private only" note; taps check the chat type themselves.
    messages = filters.UpdateType.MESSAGES
    application.add_handler(MessageHandler(messages & private, handlers.on_message))
    application.add_handler(MessageHandler(messages & ~private, handlers.on_group))
    application.add_handler(CallbackQueryHandler(handlers.on_tap))
    application.add_handler(
        ChatMemberHandler(handlers.on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(handlers.on_error)
    return application


async def count_flood_refusals(response: httpx.Response) -> None:
    """httpx's response hook: count a 429, labelled by the Bot API method (the URL's last part;
    the token before it is never looked at)."""
    if response.status_code == 429:
        metrics.FLOOD_REFUSALS.labels(response.request.url.path.rpartition("/")[2]).inc()


async def set_commands(application: Application, engine: Engine) -> None:  # type: ignore[type-arg]
    """The command menu in each language (and English for every other language)."""
    renderer = engine.renderer
    for lang in (*renderer.languages, None):
        label_lang = lang or "en"
        commands = [
            BotCommand(name, renderer.label(label_lang, f"cmd_{name}"))
            for name in engine.command_names()
        ]
        await application.bot.set_my_commands(commands, language_code=lang)


@asynccontextmanager
async def running(application: CoachApplication) -> AsyncIterator[CoachApplication]:
    """The application started with its own parts, until the block ends; then every update in
    hand is finished (its reply sent) before the loops stop and the database closes. A failure
    to start (the token, the Bot API, the database) is said in words (`initialize`)."""
    await initialize(application, application.settings)
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            yield application
        finally:
            await application.inbox.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def serve_polling(
    settings: Settings, stop: asyncio.Event, *, service: ConversationService | None = None
) -> None:
    """Long polling until `stop` (bot/telegram/polling.py), with `/metrics` and `/healthz` on
    METRICS_PORT if one is set. The database is opened first: what is wrong with it is said
    before Telegram is asked anything."""
    own_service = service is None
    service = service or await open_service(settings)
    application = build_application(settings, engine=service.engine, service=service)
    try:
        async with running(application):
            monitor = monitoring_server(application)
            try:
                if monitor is not None:
                    await monitor.listen(settings.metrics_listen, settings.metrics_port or 0)
                log.info("polling for updates (Ctrl-C to stop)")
                await poll_updates(application.bot, application.inbox, stop)
                log.info("stopping: no more updates are fetched; finishing the updates in hand")
            finally:
                if monitor is not None:
                    await monitor.close()
        log.info("every update in hand is done; shutting down")
    finally:
        if own_service:
            await service.store.database.dispose()


def monitoring_server(application: CoachApplication) -> MonitoringServer | None:
    """`/metrics` and `/healthz` on METRICS_PORT, if one is set (the service is open). The
    server's module, and tornado with it, is imported only then."""
    if application.settings.metrics_port is None:
        return None
    from bot.telegram.monitoring import MonitoringServer

    service = application.service
    return MonitoringServer(lambda: application.running, service.store.database, service.clock)


async def serve_webhook(
    settings: Settings,
    stop: asyncio.Event,
    *,
    service: ConversationService | None = None,
) -> None:
    """Webhook mode until `stop` is set, then a graceful stop: new calls get 503 while every
    update in hand is finished, and only then does the server close.

    Each instance registers the webhook at start (the same URL for all instances behind one
    load balancer) and leaves it registered at stop, for the others to go on serving.
    """
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    from bot.telegram.monitoring import METRICS_PATH
    from bot.telegram.webhook import HEALTH_PATH, WebhookServer, register_webhook, webhook_path

    own_service = service is None
    service = service or await open_service(settings)
    secret = settings.webhook_secret.get_secret_value()
    application = build_application(settings, engine=service.engine, service=service)
    database = service.store.database
    server = WebhookServer(
        application,
        path=webhook_path(settings.webhook_url),
        secret=secret,
        database_ok=lambda: database.probe(),  # looked up per probe: tests replace it
        database=database,
        trusted_proxies=settings.trusted_proxies,
        clock=service.clock,
    )
    monitor: MonitoringServer | None = None
    try:
        async with running(application):
            server.inbox = application.inbox
            await server.listen(settings.webhook_listen, settings.port)
            if (monitor := monitoring_server(application)) is not None:
                await monitor.listen(settings.metrics_listen, settings.metrics_port or 0)
            await register_webhook(application, settings.webhook_url, secret)
            log.info(
                "webhook mode: listening on %s:%s, health at %s, metrics at %s",
                settings.webhook_listen,
                settings.port,
                HEALTH_PATH,
                METRICS_PATH,
            )
            await stop.wait()
            log.info("stopping: new webhook calls get 503; finishing the updates in hand")
            await server.stop_accepting()
        log.info("every update in hand is done; shutting down")
    finally:
        await server.close()
        if monitor is not None:
            await monitor.close()
        if own_service:
            await service.store.database.dispose()


async def until_signalled(serve: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """`serve` until SIGTERM (what a container runtime sends) or SIGINT (Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    await serve(stop)


def run_bot(settings: Settings) -> None:
    """Serve until stopped: webhook when WEBHOOK_URL is set, long polling otherwise."""
    if settings.webhook_url:
        asyncio.run(until_signalled(lambda stop: serve_webhook(settings, stop)))
    else:
        asyncio.run(until_signalled(lambda stop: serve_polling(settings, stop)))


def file_base_url(base_url: str) -> str:
    """Where a Bot API server at `base_url` (e.g. http://host:8081/bot) serves files."""
    root, slash, last = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/{last}" if slash and last.startswith("bot") else f"{base_url}/file"
