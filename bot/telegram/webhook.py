"""Webhook mode: our own tornado server takes Telegram's calls and answers the load balancer.

python-telegram-bot's built-in webhook server cannot serve other routes, so, as its "custom
webhook" example shows, this server checks each call itself. It answers 200 only once the
update is kept in the database (the inbox, bot/telegram/inbox.py); while the database is away it
answers 503, and Telegram tries again later: nobody gets an apology for an input that was only
delayed. Kept updates are applied concurrently for different users, one user's in update id
order; several instances behind one load balancer each take calls in parallel.

`GET /healthz` answers 200 "ok" while the application runs and a write through the path turns
take commits (`Database.probe`), 503 otherwise; `GET /metrics` is Prometheus's (monitoring.py).
On stop the server first refuses new calls (503: Telegram retries them, at another instance),
then the application finishes every update in hand, and only then does it close.

A call's address in the log is the socket's; a reverse proxy's `X-Forwarded-For` is believed
only when the call comes from one of TRUSTED_PROXIES (anyone else could write anything there).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.engine.errors import CannotStart
from bot.telegram.inbox import UpdateInbox
from bot.telegram.monitoring import HEALTH_PATH, listening_socket, monitoring_routes

if TYPE_CHECKING:
    from bot.store.executor import Database

__all__ = ["HEALTH_PATH", "WebhookServer", "WebhookUnavailable"]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kilobytes; refuse anything far larger


Network = IPv4Network | IPv6Network


class WebhookUnavailable(CannotStart):
    """The webhook cannot be served: the port is taken, or Telegram refused the URL."""


def webhook_path(url: str) -> str:
    """The path Telegram posts to: WEBHOOK_URL's, so a reverse proxy can pass it on as is."""
    return urlsplit(url).path or "/"


async def register_webhook(
    application: Application,  # type: ignore[type-arg]
    url: str,
    secret: str,
) -> None:
    """Tell Telegram where to post, with the secret it must send and every kind of update."""
    try:
        await application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
    except TelegramError as exc:
        raise WebhookUnavailable(
            f"Telegram refused the webhook {url}: {exc.message}. WEBHOOK_URL must be an HTTPS "
            "address Telegram can reach (ports 443, 80, 88 or 8443) that leads to this process."
        ) from None


class WebhookServer:
    """The HTTP side of webhook mode for one application."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        *,
        path: str,
        secret: str,
        database_ok: Callable[[], Awaitable[bool]],
        database: Database | None = None,
        trusted_proxies: Sequence[Network] = (),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """`database`: read for the gauges of `/metrics`; `trusted_proxies`: the reverse
        proxies whose X-Forwarded-For names the caller."""
        self.application = application
        self.secret = secret.encode()
        self.database_ok = database_ok
        self.trusted_proxies = tuple(trusted_proxies)
        self.inbox: UpdateInbox | None = None  # set once the application has started
        self.accepting = False
        self._in_hand = 0  # calls between the secret check and their update being kept
        self._idle = asyncio.Event()
        self._idle.set()
        routes: list[Any] = [
            *monitoring_routes(self, database, clock),
            (path, _UpdateHandler, {"server": self}),
        ]
        self._web = WebApplication(routes, log_function=self._log_request)
        self._http: HTTPServer | None = None

    async def listen(self, address: str, port: int) -> None:
        try:
            sockets = [listening_socket(address, port)]
        except OSError as exc:
            raise WebhookUnavailable(
                f"Cannot listen on {address}:{port} for webhook calls: {exc.strerror}. "
                "Is another process using PORT? Choose another one, or stop that process."
            ) from None
        # No xheaders: tornado would take any caller's X-Forwarded-For as its address.
        self._http = HTTPServer(self._web, max_body_size=MAX_BODY)
        self._http.add_sockets(sockets)
        self.accepting = True

    async def stop_accepting(self) -> None:
        """From now on calls get 503; returns when every call already taken is kept."""
        self.accepting = False
        await self._idle.wait()

    async def close(self) -> None:
        if self._http is not None:
            self._http.stop()
            await self._http.close_all_connections()
            self._http = None

    async def accept(self, update: Update) -> bool:
        """Keep `update`; False when the database could not (the call gets 503)."""
        self._in_hand += 1
        self._idle.clear()
        try:
            if self.inbox is None:
                return False
            await self.inbox.keep([update])
            return True
        except Exception as exc:
            log.warning("update %s not kept, the database did not answer (%s): 503, Telegram "
                        "sends it again", update.update_id, type(exc).__name__)  # fmt: skip
            return False
        finally:
            self._in_hand -= 1
            if not self._in_hand:
                self._idle.set()

    async def health_problem(self) -> str | None:
        """None when healthy; otherwise a short reason for the load balancer's log."""
        if not self.accepting or not self.application.running:
            return "stopping"
        if not await self.database_ok():
            return "database not answering"
        return None

    def _log_request(self, handler: RequestHandler) -> None:
        """Refused calls at WARNING, our own failures at ERROR; the 503s of a planned stop and
        the 200s of every update, probe and scrape only at DEBUG (not events to alert on)."""
        status = handler.get_status()
        if status in (400, 403):
            level = logging.WARNING
        elif status >= 500 and status != 503:
            level = logging.ERROR
        else:
            level = logging.DEBUG
        request = handler.request
        caller = client_address(request, self.trusted_proxies)
        log.log(level, "%s %s %s (%s)", status, request.method, request.path, caller)


def client_address(request: HTTPServerRequest, trusted_proxies: Sequence[Network]) -> str:
    """Who called: the socket's peer; if that is a trusted proxy, the nearest address in
    X-Forwarded-For that is not one (each proxy appends the address it was called from)."""
    peer = request.remote_ip or "-"
    if not trusted_proxies:
        return peer
    forwarded = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    caller = peer
    for hop in [peer, *reversed([hop for hop in forwarded if hop])]:  # the nearest first
        try:
            parsed = ip_address(hop)
        except ValueError:
            return caller  # a malformed hop: the last address a trusted proxy vouched for
        caller = hop
        if not any(parsed in network for network in trusted_proxies):
            return caller
    return caller


class _UpdateHandler(RequestHandler):
    def initialize(self, server: WebhookServer) -> None:
        self.server = server

    async def post(self) -> None:
        server = self.server
        if not server.accepting:
            self._answer(503, "stopping")
            return
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, server.secret):
            self._answer(403, "forbidden")
            return
        try:
            update = Update.de_json(json.loads(self.request.body), server.application.bot)
            if not isinstance(update, Update) or type(update.update_id) is not int:
                raise TypeError("not an update")  # e.g. an update_id of 1e999 (infinity)
        except Exception as exc:  # whatever the reason (bad JSON, nested too deep, wrong types)
            log.warning("webhook call with an unreadable update refused (%s)", type(exc).__name__)
            self._answer(400, "not an update")
            return
        if await server.accept(update):
            self._answer(200, "")
        else:
            self._answer(503, "database not answering")

    def _answer(self, status: int, body: str) -> None:
        self.set_status(status)
        self.finish(body)
