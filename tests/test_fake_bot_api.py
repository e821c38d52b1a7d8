"""Tests for the fake Bot API, driven through a real ``telegram.Bot`` over loopback HTTP.

They pin down that the fake answers the way Telegram does (errors included), so end-to-end
tests built on it fail for the same reasons production would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from bot.testkit.fake_bot_api import FakeBotApi, HtmlParseError, parse_telegram_html

USER = 4242
HTML = ParseMode.HTML


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"btn {d}", callback_data=d)] for d in data])


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        api.user(USER, first_name="Ada", language_code="de")
        yield api


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url) as real_bot:
        yield real_bot


# ------------------------------------------------------------------ basics
async def test_get_me_and_base_url(fake: FakeBotApi, bot: Bot) -> None:
    assert fake.base_url.startswith("http://127.0.0.1:") and fake.base_url.endswith("/bot")
    assert bot.username == "ExitCoachTestBot"
    assert (await bot.get_me()).first_name == "Exit Coach Test"
    assert fake.calls[0].method == "getMe" and fake.calls[0].token == fake.token


async def test_a_token_it_does_not_know_is_refused_as_telegram_does(fake: FakeBotApi) -> None:
    """401 Unauthorized: python-telegram-bot then says the token was rejected."""
    with pytest.raises(InvalidToken):
        async with Bot("999999:NOT-THE-FAKES-TOKEN", base_url=fake.base_url):
            pass
    assert (fake.calls[-1].method, fake.calls[-1].status) == ("getMe", 401)


async def test_valid_html_is_recorded(fake: FakeBotApi, bot: Bot) -> None:
    text = 'Hi <b>Ada</b> &amp; <a href="https://x.org/?a=1&amp;b=2">link</a> &#x1F600;!'
    sent = await bot.send_message(USER, text, parse_mode=HTML, reply_markup=keyboard("yes"))

    msg = fake.last_message(USER)
    assert msg.text == text
    assert msg.plain_text == "Hi Ada & link 😀!" == sent.text
    assert {"type": "bold", "offset": 3, "length": 3} in msg.entities
    assert sent.entities[1].url == "https://x.org/?a=1&b=2"
    assert msg.reply_markup == keyboard("yes").to_dict()
    assert sent.reply_markup == keyboard("yes")
    assert [m.message_id for m in fake.messages(USER)] == [sent.message_id]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("Q&A", "Can't find end of the entity starting at byte offset 1"),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a>x</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
    ],
)
async def test_bad_html_is_rejected(fake: FakeBotApi, bot: Bot, text: str, reason: str) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities") as exc:
        await bot.send_message(USER, text, parse_mode=HTML)
    # PTB strips "Bad Request: " and str.capitalize()s the rest, hence (?i) in matches
    assert exc.value.message == f"can't parse entities: {reason}".capitalize()
    assert fake.errors[-1].description == f"Bad Request: can't parse entities: {reason}"
    assert fake.errors[-1].status == 400
    assert fake.messages(USER) == []


def test_html_parser_matches_tdlib_vectors() -> None:
    """Vectors from tdlib's own test suite (byte offsets count UTF-8 bytes)."""
    with pytest.raises(HtmlParseError, match="Unclosed start tag at byte offset 13"):
        parse_telegram_html("🏟 🏟&lt;<abacaba")
    with pytest.raises(HtmlParseError, match='Unsupported start tag "abac" at byte offset 13'):
        parse_telegram_html("🏟 🏟&lt;<abac aba>")
    with pytest.raises(HtmlParseError, match="Expected equal sign"):
        parse_telegram_html("🏟 🏟&lt;<i    aba>")
    with pytest.raises(HtmlParseError, match="Unexpected end of name token at byte offset 27"):
        parse_telegram_html("🏟 🏟&lt;<i    aba  =  190azAz-.,")
    with pytest.raises(HtmlParseError, match="Unclosed end tag at byte offset 17"):
        parse_telegram_html("🏟 🏟&lt;<i>a</i   ")
    assert parse_telegram_html("🏟 🏟&lt;<i>🏟 🏟&lt;</>") == (
        "🏟 🏟<🏟 🏟<",
        [{"type": "italic", "offset": 6, "length": 6}],
    )
    assert parse_telegram_html('<pre><code class="language-py">x = 1</code></pre>') == (
        "x = 1",
        [{"type": "pre", "offset": 0, "length": 5, "language": "py"}],
    )
    assert parse_telegram_html("<blockquote expandable>q</blockquote><b></b>") == (
        "q",
        [{"type": "expandable_blockquote", "offset": 0, "length": 1}],
    )
    assert parse_telegram_html("Q&A <a>x</a>", strict=False)[0] == "Q&A x"  # Telegram's leniency


# ------------------------------------------------------------------ lengths
async def test_message_length_counts_visible_utf16_units(fake: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode=HTML)
    await bot.send_message(USER, "&lt;" * 4096, parse_mode=HTML)
    await bot.send_message(USER, "😀" * 2048)  # 2 UTF-16 units each
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "😀" * 2048 + "x")
    assert len(fake.messages(USER)) == 3


@pytest.mark.parametrize("text", ["", "   \n", "<b> </b>"])
async def test_empty_text_is_rejected(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(USER, text, parse_mode=HTML)


# ------------------------------------------------------------------ keyboards
@pytest.mark.parametrize("data", ["x" * 65, "ü" * 33, ""])
async def test_callback_data_limit_is_in_utf8_bytes(bot: Bot, data: str) -> None:
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "pick", reply_markup=keyboard(data))


async def test_callback_data_at_the_limit_passes(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(USER, "pick", reply_markup=keyboard("x" * 64, "ü" * 32))
    assert [b["callback_data"] for b in fake.last_message(USER).buttons] == ["x" * 64, "ü" * 32]


async def test_reply_keyboards_and_bad_buttons(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(USER, "a", reply_markup=ReplyKeyboardMarkup([["Yes", "No"]]))
    assert fake.last_message(USER).reply_markup["keyboard"][0][0] == {"text": "Yes"}
    await bot.send_message(USER, "b", reply_markup=ReplyKeyboardRemove())
    with pytest.raises(BadRequest, match="(?i)BUTTON_TEXT_INVALID"):
        await bot.send_message(
            USER,
            "c",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("", url="https://x.org")]]),
        )


# ------------------------------------------------------------------ edits
async def test_edit_rules(fake: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(
        USER, "<b>Step 1</b>", parse_mode=HTML, reply_markup=keyboard("a")
    )
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text(
            "<strong>Step 1</strong>",
            USER,
            sent.message_id,
            parse_mode=HTML,
            reply_markup=keyboard("a"),
        )
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard("a"))

    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard("b"))
    assert fake.last_message(USER).buttons[0]["callback_data"] == "b"

    edited = await bot.edit_message_text("Step 2", USER, sent.message_id)  # drops the keyboard
    msg = fake.last_message(USER)
    assert (msg.plain_text, msg.reply_markup, msg.edit_count) == ("Step 2", None, 2)
    assert edited.text == "Step 2" and edited.edit_date is not None

    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.edit_message_text("a<br/>b", USER, sent.message_id, parse_mode=HTML)

    assert await bot.delete_message(USER, sent.message_id)
    assert fake.messages(USER) == []
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


# ------------------------------------------------------------------ callback queries
async def test_callback_query_can_be_answered_once(fake: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard("yes", "no"))
    query_id = fake.tap(USER, sent.message_id, "yes")
    assert fake.unanswered_callback_queries() == [query_id]

    assert await bot.answer_callback_query(query_id, text="Noted")
    assert fake.unanswered_callback_queries() == []
    assert fake.callback_answers[query_id]["text"] == "Noted"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="(?i)query ID is invalid"):
        await bot.answer_callback_query("123")
    with pytest.raises(AssertionError, match="has no button"):
        fake.tap(USER, sent.message_id, "maybe")


# ------------------------------------------------------------------ chats and failures
async def test_blocked_and_unknown_chats(fake: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "hello")
    fake.block(USER)
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_message(USER, "still there?")
    with pytest.raises(Forbidden):
        await bot.edit_message_text("edit", USER, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(999_999, "who?")


async def test_fail_next_injects_flood_control_once(
    fake: FakeBotApi, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, PTB 22 emits a PTBDeprecationWarning inside RetryAfter.__init__,
    # which filterwarnings=error turns into a failure.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake.fail_next("sendMessage")
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(USER, "first")
    assert exc.value.retry_after == timedelta(seconds=1)
    assert fake.errors[-1].status == 429
    await bot.send_message(USER, "second")  # only the next call fails
    assert [m.text for m in fake.messages(USER)] == ["second"]

    fake.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(USER, "third")


async def test_unknown_method_is_404(fake: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("frobnicate")
    assert fake.errors[-1].status == 404 and fake.errors[-1].description == "Not Found"


# ------------------------------------------------------------------ updates
async def test_get_updates_returns_queued_updates_and_confirms(fake: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard("yes"))
    first = fake.send_text(USER, "/start@ExitCoachTestBot hi", language_code="en")
    fake.send_text(USER, "typo", edited=False)
    fake.send_text(USER, "typo fixed", edited=True)
    query_id = fake.tap(USER, sent.message_id, "yes")

    updates = await bot.get_updates(timeout=0)
    assert all(isinstance(u, Update) for u in updates) and len(updates) == 4
    start, typo, fixed, tap = updates
    assert start.update_id == first
    assert start.message.text == "/start@ExitCoachTestBot hi"
    assert (
        start.message.entities[0].type == "bot_command" and start.message.entities[0].length == 23
    )
    assert start.effective_user.language_code == "en" and start.effective_chat.type == "private"
    assert fixed.edited_message.message_id == typo.message.message_id
    assert tap.callback_query.id == query_id and tap.callback_query.data == "yes"
    assert tap.callback_query.message.message_id == sent.message_id
    assert tap.callback_query.message.reply_markup == keyboard("yes")

    assert len(await bot.get_updates(offset=start.update_id + 1, timeout=0)) == 3
    assert await bot.get_updates(offset=tap.update_id + 1, timeout=0) == ()
    assert fake.pending_updates == []


async def test_long_poll_wakes_up_on_new_update(fake: FakeBotApi, bot: Bot) -> None:
    asyncio.get_running_loop().call_later(0.05, fake.send_text, USER, "late")
    updates = await bot.get_updates(timeout=10)
    assert [u.message.text for u in updates] == ["late"]
    start = asyncio.get_running_loop().time()
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=10) == ()
    assert asyncio.get_running_loop().time() - start < 2  # capped, keeps tests fast


async def test_send_update_makes_group_chat_known(fake: FakeBotApi, bot: Bot) -> None:
    group = {"id": -100123, "type": "supergroup", "title": "Networking"}
    fake.send_update(
        {
            "message": {
                "message_id": 7,
                "date": 0,
                "chat": group,
                "sticker": {
                    "file_id": "s",
                    "file_unique_id": "s",
                    "type": "regular",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                },
            }
        }
    )
    (update,) = await bot.get_updates(timeout=0)
    assert update.message.sticker.file_id == "s"
    sent = await bot.send_message(-100123, "hi all")
    assert sent.message_id == 8 and sent.chat.title == "Networking"


# ------------------------------------------------------------------ files, commands, webhook
async def test_uploads_are_recorded(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_document(
        USER, b"%PDF-1.4 fake", filename="plan.pdf", caption="<i>Plan</i>", parse_mode=HTML
    )
    doc = fake.last_message(USER)
    assert doc.document is not None
    assert (doc.document.filename, doc.document.size, doc.plain_text) == ("plan.pdf", 13, "Plan")

    sent = await bot.send_photo(USER, b"\x89PNG...", filename="card.png")
    assert fake.last_message(USER).photo.size == 7
    await bot.send_photo(USER, sent.photo[-1].file_id)  # re-send by file_id: no upload
    assert fake.last_message(USER).photo.filename is None
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_photo(USER, b"x", caption="c" * 1025)


async def test_commands_menu_and_webhook(fake: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands([BotCommand("start", "Los geht's")], language_code="de")
    assert fake.commands == {
        None: [{"command": "start", "description": "Start"}],
        "de": [{"command": "start", "description": "Los geht's"}],
    }
    assert (await bot.get_my_commands(language_code="de"))[0].description == "Los geht's"
    await bot.delete_my_commands(language_code="de")
    assert list(fake.commands) == [None]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start-Now", "x")])

    assert await bot.set_chat_menu_button()
    await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_wait_for_times_out_with_a_dump(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(USER, "only this")
    with pytest.raises(AssertionError, match="only this"):
        await fake.wait_for(lambda: False, timeout=0.05)


# ------------------------------------------------------------------ a real Application
async def test_real_application_polls_the_fake(fake: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_html("<b>Welcome</b>", reply_markup=keyboard("go"))

    async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(f"You chose {update.callback_query.data}")

    app = Application.builder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_tap))
    async with app:
        await app.updater.start_polling(timeout=10)
        await app.start()
        fake.send_text(USER, "/start")
        await fake.wait_for(lambda: fake.messages(USER))
        fake.tap(USER, fake.last_message(USER).message_id, "go")
        await fake.wait_for(lambda: fake.last_message(USER).plain_text == "You chose go")
        await app.updater.stop()
        await app.stop()
    assert fake.unanswered_callback_queries() == []
    assert fake.errors == []


async def test_fail_next_can_fail_several_calls(fake: FakeBotApi, bot: Bot) -> None:
    fake.fail_next("sendMessage", 502, "Bad Gateway", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "lost")
    await bot.send_message(USER, "arrives")
    assert [c.status for c in fake.calls_of("sendMessage")] == [502, 502, 200]
    assert [m.text for m in fake.messages(USER)] == ["arrives"]


async def test_answer_late_is_a_timeout_for_a_message_that_arrived(fake: FakeBotApi) -> None:
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as impatient:
        fake.answer_late("sendMessage", 0.5)
        with pytest.raises(TimedOut):
            await impatient.send_message(USER, "slow")
        assert [m.text for m in fake.messages(USER)] == ["slow"]  # Telegram did deliver it
        await impatient.send_message(USER, "fast")  # only the next call is late
    assert [m.text for m in fake.messages(USER)] == ["slow", "fast"]
