"""The handlers: private chats get the coach; groups are told once, and nothing is stored."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from bot import metrics
from bot.engine.conversation import Engine
from bot.engine.io import Tap, UserInput
from bot.service import ConversationService, ToOutbox, TurnDeferred
from bot.telegram.delivery import answer_tap
from bot.telegram.inbox import UpdateInbox
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
        self.inbox: UpdateInbox | None = None  # where updates are kept (set with the service)
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
            await answer_tap(query, None, RetryPolicy.for_bot(context.bot))
            return
        await self._run(update, context, query.from_user.id, Tap(query.data or ""))

    async def _run(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        user_id: int,
        user_input: UserInput,
    ) -> None:
        """Commit the turn with its reply in the outbox; answer the tap; then send the reply
        (and anything older still waiting for this user)."""
        user = update.effective_user
        query = update.callback_query
        tapped = query.message.message_id if query is not None and query.message else None
        service = self._service()
        try:
            reply = await service.handle(
                user_id,
                user_input,
                user.language_code if user else None,
                update_id=update.update_id,
                to_outbox=ToOutbox(tapped_message_id=tapped),
            )
        except TurnDeferred:  # kept in the inbox: applied again later, the tap answered then
            if self.inbox is not None:
                self.inbox.deferred.add(update.update_id)
            return
        if self.inbox is not None:
            self.inbox.settled.add(update.update_id)
        # Every tap is answered once, also one whose update was applied before (a redelivery)
        # or whose turn failed: its button would spin otherwise.
        if query is not None:
            toast = reply.toast if reply is not None else None
            await answer_tap(query, toast, RetryPolicy.for_bot(context.bot))
        await service.deliver(user_id)

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
