"""What a load balancer and Prometheus ask a running bot: `GET /healthz` and `GET /metrics`.

In webhook mode both are served on the webhook's own port (`webhook.py`); `METRICS_PORT` adds a
server of their own, which polling mode needs to be watched at all. The gauges read from the
database at each scrape are registered here, in one place (`watch_the_store`).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot import metrics
from bot.engine.errors import CannotStart
from bot.store import inbox, outbox
from bot.store.executor import Database, SqliteDatabase
from bot.store.reminders import due_reminders, oldest_due_reminder_age, overdue_reminders

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


class MetricsPortUnavailable(CannotStart):
    """METRICS_PORT cannot be listened on."""


def watch_the_store() -> None:
    """Register the gauges read from the database when Prometheus scrapes (idempotent). A new
    one is one line: a name, its help text, and a function `(connection, now) -> number`."""
    metrics.STORE_READINGS.add(
        "exit_coach_reminders_due",
        "Reminders due now and not yet sent, of users who have not blocked the bot (the whole "
        "database: every instance reports the same)",
        due_reminders,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_reminders_overdue",
        "Reminders still unsent five minutes or more after they were due (the whole database)",
        overdue_reminders,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_oldest_due_reminder_age_seconds",
        "How long the oldest due reminder has been waiting to run; 0 when none is due",
        oldest_due_reminder_age,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_outbox_waiting",
        "Messages committed and not yet sent (the whole database)",
        lambda connection, now: outbox.pending_count(connection),
    )
    metrics.STORE_READINGS.add(
        "exit_coach_oldest_undelivered_reply_age_seconds",
        "How long the oldest message in the outbox has waited to be sent; 0 when none waits",
        outbox.oldest_age,
    )
    metrics.STORE_READINGS.add(
        "exit_coach_inbox_waiting",
        "Updates kept and not yet applied (the whole database)",
        inbox.waiting_count,
    )


def watch_the_writer(database: Database) -> None:
    """The SQLite writer's queue, read when Prometheus scrapes (PostgreSQL has none: 0)."""
    if isinstance(database, SqliteDatabase):
        writer = database.writer
        metrics.STORE_QUEUE.set_function(lambda: writer.queued)


class HealthSource(Protocol):
    async def health_problem(self) -> str | None:
        """None when healthy; otherwise a short reason for the load balancer's log."""


class HealthHandler(RequestHandler):
    def initialize(self, server: HealthSource) -> None:
        self.server = server

    async def get(self) -> None:
        problem = await self.server.health_problem()
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_status(503 if problem else 200)
        self.finish(problem or "ok")


class MetricsHandler(RequestHandler):
    """Prometheus's text format; the database's gauges are read for each scrape."""

    def initialize(self, database: Database | None, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.clock = clock

    async def get(self) -> None:
        body = await metrics.render(self.database, self.clock())
        self.set_header("Content-Type", metrics.CONTENT_TYPE)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)


def monitoring_routes(
    health: HealthSource, database: Database | None, clock: Callable[[], datetime]
) -> list[Any]:
    """The tornado routes for `/healthz` and `/metrics`, for any server of ours."""
    return [
        (HEALTH_PATH, HealthHandler, {"server": health}),
        (METRICS_PATH, MetricsHandler, {"database": database, "clock": clock}),
    ]


def listening_socket(address: str, port: int) -> socket.socket:
    """Like tornado's bind_sockets, but closes the socket when binding fails (tornado leaks it)."""
    family, kind, proto, _, sockaddr = socket.getaddrinfo(
        address, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(sockaddr)
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class MonitoringServer:
    """`/healthz` and `/metrics` on METRICS_PORT: healthy while the bot runs and the database
    answers."""

    def __init__(
        self,
        running: Callable[[], bool],
        database: Database,
        clock: Callable[[], datetime],
        database_ok: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        self.running = running
        self.database_ok = database_ok or (lambda: database.probe())
        routes = monitoring_routes(self, database, clock)
        self._web = WebApplication(routes, log_function=_quiet)
        self._http: HTTPServer | None = None

    async def listen(self, address: str, port: int) -> None:
        try:
            sock = listening_socket(address, port)
        except OSError as exc:
            raise MetricsPortUnavailable(
                f"METRICS_PORT: cannot listen on {address}:{port} for /metrics: {exc.strerror}. "
                "Is another process using it? Choose another port, or stop that process."
            ) from None
        self._http = HTTPServer(self._web)
        self._http.add_sockets([sock])
        log.info("metrics at http://%s:%s%s, health at %s", address, port, METRICS_PATH,
                 HEALTH_PATH)  # fmt: skip

    async def health_problem(self) -> str | None:
        if not self.running():
            return "stopping"
        if not await self.database_ok():
            return "database not answering"
        return None

    async def close(self) -> None:
        if self._http is not None:
            self._http.stop()
            await self._http.close_all_connections()
            self._http = None


def _quiet(handler: RequestHandler) -> None:
    """Scrapes and probes are not events: only failures are logged."""
    if handler.get_status() >= 500 and handler.get_status() != 503:
        log.error("%s %s %s", handler.get_status(), handler.request.method, handler.request.path)
