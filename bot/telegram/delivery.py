"""Delivering committed messages to a private chat: the outbox's Telegram transport, and the
answer to a tapped button.

The outbox (bot/outbox.py) hands over one message at a time, in order, after the turn that made
it committed. Here each Bot API call is retried where that is safe, for a couple of seconds
(`RetryPolicy`); what still fails is told to the outbox in its terms:

- blocked (`Forbidden`): `RecipientGone`; the user is marked blocked, nothing more goes to them;
- flood control (`RetryAfter`, once the rate limiter gave up retrying it): `TryLater(after=
  retry_after)`; the user's messages wait that long;
- network error, 5xx, timeout: `TryLater`; tried again after a pause that doubles;
- any other refusal (`BadRequest`): `Refused`; dropped and logged, their next input shows the
  step again.

The answer to a tap is not in the outbox: it is made right after the commit, before the reply
is sent, so the button stops spinning at once; one too late to answer (a retry after a restart)
is of no use to anyone.

Each message waits for the rate limiter (bot/telegram/ratelimit.py) with its kind's priority:
replies ahead of reminders.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Bot, CallbackQuery
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot import metrics
from bot.engine.io import OutgoingMessage
from bot.outbox import Kind, RecipientGone, Refused, TryLater
from bot.telegram.ratelimit import Priority, sending_as
from bot.telegram.retry import RetryPolicy
from bot.telegram.sender import send_message

log = logging.getLogger(__name__)

# What waits for the rate limiter's budget ahead of what: the user who just did something (the
# apology after a failed turn answers them too) before a reminder.
PRIORITY = {
    Kind.REPLY: Priority.REPLY,
    Kind.NOTICE: Priority.REPLY,
    Kind.REMINDER: Priority.REMINDER,
}


class TelegramTransport:
    """How the outbox reaches a private chat (chat id == user id)."""

    def __init__(self, bot: Bot, policy: RetryPolicy | None = None) -> None:
        self.bot = bot
        self.policy = policy or RetryPolicy.for_bot(bot)

    async def send(
        self, user_id: int, message: OutgoingMessage, *, kind: Kind, tapped_message_id: int | None
    ) -> None:
        try:
            with sending_as(PRIORITY[kind]):
                await send_message(self.bot, user_id, message, tapped_message_id, self.policy.run)
        except TelegramError as error:
            metrics.REPLIES_FAILED.labels(failure_reason(error)).inc()
            if isinstance(error, Forbidden):
                raise RecipientGone(error.message) from error
            if isinstance(error, RetryAfter):
                raise TryLater(error.message, after=_seconds(error.retry_after)) from error
            if isinstance(error, BadRequest):  # a NetworkError, but the same request fails again
                raise Refused(error.message) from error
            raise TryLater(error.message) from error  # NetworkError, TimedOut: the network
        except Exception:
            metrics.REPLIES_FAILED.labels("internal").inc()
            raise
        metrics.REPLIES_SENT.inc()


async def answer_tap(query: CallbackQuery, toast: str | None, policy: RetryPolicy) -> None:
    """Answer the tap, once: Telegram shows a spinner on the button until then. Never raises:
    a tap left unanswered must not also cost the user their reply."""
    try:
        await policy.run("answerCallbackQuery", lambda: query.answer(text=toast))
    except TelegramError as error:
        log.info("callback query %s not answered: %s", query.id, error.message)


def failure_reason(error: TelegramError) -> str:
    """Why Telegram did not take a message, as `exit_coach_replies_failed_total` labels it."""
    if isinstance(error, Forbidden):
        return "blocked"
    if isinstance(error, RetryAfter):
        return "flood_control"
    if isinstance(error, BadRequest):  # before NetworkError: BadRequest is one of them
        return "bad_request"
    if isinstance(error, TimedOut):
        return "timed_out"
    if isinstance(error, NetworkError):
        return "network"
    return "telegram_error"


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
