"""Prometheus metrics: what an operator watches (docs/operations.md lists them, with alerts).

Counters, histograms and in-process gauges are prometheus_client instruments in its default
registry, which also carries the process's own memory, CPU time and open files; code counts
where a thing happens (`metrics.UPDATES.labels(kind, outcome).inc()`).

What only the database knows (how many reminders are due, how old the oldest unsent one is) is
read when Prometheus scrapes: `STORE_READINGS.add(name, help, read)` registers such a gauge
with one line, where `read(connection, now)` is a plain synchronous function on a SQLAlchemy
`Connection`, like the rest of the store. The `/metrics` handler refreshes them all in one
short read-only transaction just before it answers (`render`).
"""

from __future__ import annotations

import asyncio
import logging
import platform
from collections.abc import Callable, Iterable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from bot.store.database import Database

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
READ_TIMEOUT = 5.0  # seconds the database gets to answer a scrape's readings

# No `_created` series beside every counter and histogram: they double the series, and the
# text format Prometheus scrapes has no use for them.
disable_created_metrics()

UPDATES = Counter(
    "exit_coach_updates",
    "Updates handled, by kind of input (command, text, tap, document, shared, unsupported; "
    "membership; group) and outcome (ok, duplicate: applied before, failed: answered with an "
    "apology, deferred: its database went away and it is tried again, ignored)",
    ["kind", "outcome"],
)
UPDATES_REDELIVERED = Counter(
    "exit_coach_updates_redelivered",
    "Updates Telegram sent again that were kept before (recognised, not applied twice)",
)
TURN_SECONDS = Histogram(
    "exit_coach_turn_duration_seconds",
    "One input's turn: waiting for the user's earlier turns, the engine and the commit "
    "(not the sending), by kind of input (due: a reminder)",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REPLIES_SENT = Counter(
    "exit_coach_replies_sent", "Messages Telegram took from the outbox, replies and reminders"
)
REPLY_FAILURES = (
    "blocked",  # the user blocked the bot (403): nothing more is sent to them
    "flood_control",  # 429 still refused after the rate limiter's retries
    "bad_request",  # Telegram refused the message itself (400)
    "timed_out",  # no answer in time, twice
    "network",  # Telegram not reachable, or 5xx
    "telegram_error",  # any other refusal
    "internal",  # a bug of ours while sending
)
REPLIES_FAILED = Counter(
    "exit_coach_replies_failed",
    "Attempts to send a message from the outbox that failed, by reason (the message waits and "
    "is tried again; blocked and bad_request are final)",
    ["reason"],
)
FLOOD_REFUSALS = Counter(
    "exit_coach_telegram_429",
    "Bot API calls Telegram answered with 429 Too Many Requests (the rate limiter waits and "
    "retries them), by Bot API method",
    ["method"],
)
SEND_RATE = Gauge(
    "exit_coach_send_rate",
    "Messages per second this instance may send now: its share of MESSAGES_PER_SECOND among "
    "the live instances (bot/telegram/ratelimit.py)",
)
SEND_WAIT = Histogram(
    "exit_coach_send_wait_seconds",
    "How long a Bot API call waited in the rate limiter before it first went out, by priority "
    "(reply: to what a user did, also taps' answers; reminder)",
    ["priority"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
REMINDERS_SENT = Counter(
    "exit_coach_reminders_sent",
    "Reminders this instance ran, their message committed to the outbox (sent from there)",
)
REMINDERS_FAILED = Counter(
    "exit_coach_reminders_failed",
    "Runs of a reminder's dialog that failed on this instance (each is tried again later, up "
    "to five times)",
)
STORE_QUEUE = Gauge(
    "exit_coach_store_queue_depth",
    "Writes (turns, claims, marks) waiting for the SQLite writer thread (0 on PostgreSQL)",
)
BUILD = Info("exit_coach_build", "The running release: versions of Exit Coach, Python, libraries")

for _reason in REPLY_FAILURES:  # every reason shows from the start, at 0
    REPLIES_FAILED.labels(_reason)


def describe_build(schema_revision: str) -> None:
    """Fill `exit_coach_build_info` (once at start; the schema revision the code expects)."""
    BUILD.info(
        {
            "version": _version("exit-coach"),
            "python": platform.python_version(),
            "python_telegram_bot": _version("python-telegram-bot"),
            "schema_revision": schema_revision,
        }
    )


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


Reading = Callable[["Connection", datetime], float | None]


class StoreReadings(Collector):
    """Gauges read from the database at scrape time. Each reading is a plain function of a
    connection and the time; None leaves the gauge out. `exit_coach_database_up` says whether
    the last refresh worked (when it failed, the readings are left out rather than stale)."""

    def __init__(self) -> None:
        self._readings: dict[str, tuple[str, Reading]] = {}
        self._values: dict[str, float] = {}
        self._up: float | None = None

    def add(self, name: str, documentation: str, read: Reading) -> None:
        """Register (or replace) the gauge `name`; safe to call again with the same name."""
        self._readings[name] = (documentation, read)

    async def refresh(self, database: Database, now: datetime) -> None:
        readings = dict(self._readings)

        def read_all(connection: Connection) -> dict[str, float | None]:
            return {name: read(connection, now) for name, (_, read) in readings.items()}

        try:
            async with asyncio.timeout(READ_TIMEOUT):
                values = await database.run(read_all)
        except Exception as error:  # the scrape still answers, saying the database is down
            log.warning("metrics: the database did not answer (%s)", type(error).__name__)
            self._values, self._up = {}, 0.0
            return
        self._values = {name: float(v) for name, v in values.items() if v is not None}
        self._up = 1.0

    def collect(self) -> Iterable[Metric]:
        if self._up is not None:
            yield GaugeMetricFamily(
                "exit_coach_database_up",
                "1 if the database answered this scrape's readings, else 0",
                value=self._up,
            )
        for name, (documentation, _) in self._readings.items():
            if name in self._values:
                yield GaugeMetricFamily(name, documentation, value=self._values[name])

    def describe(self) -> Iterable[Metric]:
        return ()  # names vary with what is added; nothing to check at registration


STORE_READINGS = StoreReadings()
REGISTRY.register(STORE_READINGS)


async def render(database: Database | None, now: datetime) -> bytes:
    """The text a `/metrics` scrape gets: the readings refreshed from `database`, then every
    metric of the process."""
    if database is not None:
        await STORE_READINGS.refresh(database, now)
    return generate_latest(REGISTRY)
