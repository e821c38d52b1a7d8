"""Delivering one committed turn to a private chat: the tap is answered, the reply arrives, or
the service is told it did not.

The service calls a `Delivery` only after the turn is committed. It then

1. answers the callback query (if the update was a tap) before anything is sent, so the button
   stops spinning at once and shows the reply's toast; `answer_query` makes sure every query is
   answered exactly once, also when the service never delivered (a redelivered update, an error);
2. sends the reply, each Bot API call retried where that is safe (`RetryPolicy`);
3. if the user blocked the bot (`Forbidden`), remembers that and sends nothing more;
4. if the reply could not be delivered, raises `ReplyNotDelivered`: the service records that the
   user has not seen the step, and their next typed text shows it again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, CallbackQuery
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot import metrics
from bot.engine.io import Reply, ReplyNotDelivered
from bot.telegram.retry import RetryPolicy
from bot.telegram.sender import send_reply

log = logging.getLogger(__name__)


class Delivery:
    """The deliver function for one update (or one reminder) of one private chat."""

    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        on_blocked: Callable[[int], Awaitable[None]],
        query: CallbackQuery | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.bot = bot
        self.chat_id = chat_id  # in a private chat, the user's id
        self.on_blocked = on_blocked
        self.query = query
        self.policy = policy or RetryPolicy.for_bot(bot)
        self._answered = query is None

    async def __call__(self, reply: Reply) -> None:
        await self.answer_query(reply.toast)
        tapped = self.query.message if self.query is not None else None
        try:
            await send_reply(self.bot, self.chat_id, reply, tapped, self.policy.run)
        except Forbidden:
            log.info("user %s blocked the bot; nothing more is sent to them", self.chat_id)
            metrics.REPLIES_FAILED.labels("blocked").inc()
            await self.on_blocked(self.chat_id)
        except TelegramError as error:
            metrics.REPLIES_FAILED.labels(failure_reason(error)).inc()
            log.warning(
                "reply to user %s not delivered (%s: %s); their next input shows the step again",
                self.chat_id,
                type(error).__name__,
                error.message,
            )
            raise ReplyNotDelivered(f"reply to user {self.chat_id}: {error.message}") from error
        except Exception as error:
            # A bug of ours, not Telegram's: log it loudly, and still protect the user from
            # answering a question they never saw.
            log.exception("reply to user %s failed", self.chat_id)
            metrics.REPLIES_FAILED.labels("internal").inc()
            raise ReplyNotDelivered(f"reply to user {self.chat_id}: {error!r}") from error
        else:
            metrics.REPLIES_SENT.inc()

    async def answer_query(self, toast: str | None = None) -> None:
        """Answer the tap, once: Telegram shows a spinner on the button until then. Never
        raises: a tap left unanswered must not also cost the user their reply."""
        if self._answered or self.query is None:
            return
        self._answered = True
        query = self.query
        try:
            await self.policy.run("answerCallbackQuery", lambda: query.answer(text=toast))
        except TelegramError as error:
            log.info("callback query %s not answered: %s", query.id, error.message)


def failure_reason(error: TelegramError) -> str:
    """Why Telegram did not take a reply, as `exit_coach_replies_failed_total` labels it."""
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
