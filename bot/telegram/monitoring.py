"""What a load balancer and Prometheus ask a running bot: `GET /healthz` and `GET /metrics`.

In webhook mode both are served on the webhook's own port (`webhook.py`); `METRICS_PORT` adds a
server of their own, which polling mode needs to be watched at all. The gauges read from the
database at each scrape are registered in `bot.store_gauges`. This module (and tornado with it)
is imported only where a server of ours runs: an idle polling bot does not carry it.
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
from bot.store.executor import Database

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


class MetricsPortUnavailable(CannotStart):
    """METRICS_PORT cannot be listened on."""


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
