"""The handlers: private chats get the coach; groups are told once, and nothing is stored."""

from __future__ import annotations

import html
import logging

from telegram import Bot, CallbackQuery, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import metrics
from bot.engine.conversation import Engine
from bot.engine.io import ReplyNotDelivered, Tap, UserInput
from bot.service import ConversationService
from bot.telegram.delivery import Delivery
from bot.telegram.inputs import document_input, is_document, message_input
from bot.telegram.retry import RetryPolicy
from bot.telegram.sender import send_reply

log = logging.getLogger(__name__)


def describe_update(update: object) -> str:
    """An update for the log: its id, kind and user id, never what the user wrote."""
    if not isinstance(update, Update):
        return type(update).__name__
    kind = next(
        (name for name in Update.ALL_TYPES if getattr(update, name, None) is not None), "update"
    )
    user = update.effective_user
    return f"update {update.update_id} ({kind}) of user {user.id if user else '-'}"


class CoachHandlers:
    """Bound to one service; registered by `build_application`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.service: ConversationService | None = None  # opened in post_init (needs the loop)
        self._groups_told: set[int] = set()  # in memory only: groups get nothing stored

    def _service(self) -> ConversationService:
        if self.service is None:
            raise RuntimeError("the conversation service is opened in post_init")
        return self.service

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or message.chat.id != user.id:
            # A private chat's id is its user's: anything else is not a user talking to us.
            metrics.UPDATES.labels("other", "ignored").inc()
            return
        edited = update.edited_message is not None
        if is_document(message, edited=edited):
            readable = self.engine.domain.documents  # by suffix: an event's .ics
            user_input: UserInput = await document_input(message, readable)
        else:
            user_input = message_input(message, edited=edited)
        await self._run(update, context, user.id, user_input)

    async def on_tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button tapped in the tapper's own private chat with the bot. Any other (a button
        in a group, on an inline message, or a call naming someone else's chat) can only be
        old or forged: it is answered, so no spinner is left, and ignored."""
        query = update.callback_query
        if query is None:
            return
        tapped_in = query.message.chat.id if query.message is not None else None
        if tapped_in != query.from_user.id:
            log.info(
                "tap of user %s on a message outside their private chat ignored",
                query.from_user.id,
            )
            metrics.UPDATES.labels("tap", "ignored").inc()
            await self._answer(query)
            return
        await self._run(update, context, query.from_user.id, Tap(query.data or ""))

    @staticmethod
    async def _answer(query: CallbackQuery) -> None:
        try:
            await RetryPolicy.for_bot(query.get_bot()).run("answerCallbackQuery", query.answer)
        except TelegramError as error:
            log.info("callback query %s not answered: %s", query.id, error.message)

    async def _run(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        user_id: int,
        user_input: UserInput,
    ) -> None:
        """The reply goes to `user_id`, the sender (in a private chat, its id is the chat's)."""
        user = update.effective_user
        delivery = self.deliverer(context.bot, user_id, update.callback_query)
        language = user.language_code if user else None
        try:
            await self._service().handle(
                user_id, user_input, language, deliver=delivery, update_id=update.update_id
            )
        except ReplyNotDelivered:
            pass  # logged by the delivery; the session remembers, the next input shows the step
        finally:
            # A tap is answered when the reply goes out; one that got none (a redelivered
            # update, a failure before the commit) is answered here, or its button spins.
            await delivery.answer_query()

    def deliverer(self, bot: Bot, chat_id: int, query: CallbackQuery | None = None) -> Delivery:
        """How a reply reaches a private chat (chat id == user id); see `Delivery`."""
        return Delivery(bot, chat_id, on_blocked=self._service().store.mark_blocked, query=query)

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram tells us when a user blocks the bot: stop planning and sending at once,
        rather than finding out from the next failed reminder."""
        change = update.my_chat_member
        if change is None or change.chat.type != ChatType.PRIVATE:
            return
        metrics.UPDATES.labels("membership", "ok").inc()
        if change.new_chat_member.status == ChatMemberStatus.BANNED:
            log.info("user %s blocked the bot", change.chat.id)
            await self._service().store.mark_blocked(change.chat.id)

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say once per group (per process) that the coach works in private chats only."""
        chat = update.effective_chat
        metrics.UPDATES.labels("group", "ignored").inc()
        if chat is None or chat.type == ChatType.PRIVATE or chat.id in self._groups_told:
            return
        self._groups_told.add(chat.id)
        user = update.effective_user
        lang = self.engine.renderer.language(user.language_code if user else None)
        text = self.engine.renderer.render_one(
            lang, "system/private_only", bot=html.escape(context.bot.username or "")
        )
        await context.bot.send_message(chat.id, text, parse_mode="HTML")

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the real cause first, with the update's id and kind (never its text); then tell
        the user kindly."""
        log.error("error while handling %s", describe_update(update), exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat and update.effective_user:
            if update.effective_chat.type != ChatType.PRIVATE:
                return
            reply = self.engine.error_reply(update.effective_user.language_code)
            try:
                retrying = RetryPolicy.for_bot(context.bot).run
                await send_reply(context.bot, update.effective_chat.id, reply, attempt=retrying)
            except Exception:  # the error handler must never raise
                log.exception("could not tell user about the error")
