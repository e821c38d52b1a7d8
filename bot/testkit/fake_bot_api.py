"""A local fake of the Telegram Bot API for end-to-end tests.

A real PTB ``Application``/``Bot`` is pointed at :attr:`FakeBotApi.base_url`; the fake runs a
tornado HTTP server on 127.0.0.1 in the test's own event loop, decodes PTB's form/multipart
requests and answers like Telegram, *including its errors* (HTML parse errors, length limits,
"message is not modified", blocked users, flood control...). That way the tests exercise the
bot's real error handling instead of a mock that accepts everything.

The HTML checker is written independently of the bot's own formatting code on purpose: if it
imported the bot's helpers, a bug there would be invisible to the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

BOT_USER: dict[str, Any] = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Exit Coach Test",
    "username": "ExitCoachTestBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}
PARSE_ERROR = "Bad Request: can't parse entities: "
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
MAX_TEXT, MAX_CAPTION = 4096, 1024  # in UTF-16 code units, like Telegram counts
LONG_POLL_CAP = 1.0  # seconds; keeps getUpdates(timeout=10) from slowing tests down
# Form fields PTB JSON-encodes (ints, bools, objects); everything else stays a raw string, so a
# text like "42" or "true" is never mangled.
JSON_FIELDS = frozenset(
    (
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "cache_time",
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "menu_button",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "max_connections",
        "message_thread_id",
        "has_spoiler",
        "show_caption_above_media",
    )
)


class ApiError(Exception):
    """Raised by a method handler; becomes Telegram's ``{"ok": false, ...}`` answer."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


class HtmlParseError(ValueError):
    """The reason Telegram would give after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Telegram measures lengths and entity offsets in UTF-16 code units, not code points."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML checking
_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = " \t\r\n\f\v"
_UNQUOTED_VALUE_RE = re.compile(r"[A-Za-z0-9.\-]+")


def _decode_entity(html: str, pos: int) -> tuple[str, int] | None:
    """Decode the entity at ``pos`` the way Telegram does: (char, end) or None if invalid."""
    m = _ENTITY_RE.match(html, pos)
    if not m:
        return None
    if m.group(3):
        return _NAMED[m.group(3)], m.end()
    code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
    if code == 0 or code > 0x10FFFF:
        return None
    if 0xD800 <= code <= 0xDFFF:
        raise HtmlParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return chr(code), m.end()


def _decode_lenient(value: str) -> str:
    """Attribute values: valid entities are decoded, anything else is kept as is."""
    out, i = [], 0
    while i < len(value):
        hit = _decode_entity(value, i) if value[i] == "&" else None
        out.append(hit[0] if hit else value[i])
        i = hit[1] if hit else i + 1
    return "".join(out)


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the plain text
    byte_offset: int
    language: str | None = None


def parse_telegram_html(html: str, *, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Bot API ``parse_mode=HTML`` text into (plain text, entities) or raise HtmlParseError.

    Follows tdlib's ``parse_html`` (same reasons, UTF-8 byte offsets, ``</>`` closes any tag).
    ``strict`` is stricter than Telegram on purpose: a bare ``&`` that is not an entity and an
    ``<a>`` without href are errors, because a bot that sends them has an escaping bug even
    when Telegram happens to tolerate it.
    """
    out: list[str] = []
    u16 = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    n, i = len(html), 0

    def boff(pos: int) -> int:
        return len(html[:pos].encode())

    def skip_space(j: int) -> int:
        while j < n and html[j] in _SPACE:
            j += 1
        return j

    while i < n:
        ch = html[i]
        if ch == "&":
            hit = _decode_entity(html, i)
            if hit is None and strict:
                raise HtmlParseError(
                    f"Can't find end of the entity starting at byte offset {boff(i)}"
                )
            text, i = hit if hit else ("&", i + 1)
            out.append(text)
            u16 += utf16_len(text)
            continue
        if ch != "<":
            out.append(ch)
            u16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = boff(i)
        if html.startswith("</", i):  # ---- end tag
            j = i + 2
            while j < n and html[j] not in _SPACE and html[j] != ">":
                j += 1
            name, j = html[i + 2 : j].lower(), skip_space(j)
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            if j >= n or html[j] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            tag = stack.pop()
            if name and name != tag.name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
                    f'found "</{name}>"'
                )
            _close_tag(tag, u16, stack, entities)
            i = j + 1
            continue
        j = i + 1  # ---- start tag
        while j < n and html[j] not in _SPACE and html[j] != ">":
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        name = html[i + 1 : j].lower()
        if name not in _TAG_TYPES:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
        attrs: dict[str, str] = {}
        while True:
            j = skip_space(j)
            if j >= n:
                raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
            if html[j] == ">":
                break
            a0 = j
            while j < n and html[j] not in _SPACE and html[j] not in "=>":
                j += 1
            attr = html[a0:j].lower()
            if not attr:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {begin}'
                )
            j = skip_space(j)
            if j >= n or html[j] != "=":
                if name == "blockquote" and attr == "expandable" and j < n:
                    attrs[attr] = ""
                    continue
                if j >= n:
                    raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
                raise HtmlParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" at byte offset {begin}'
                )
            j = skip_space(j + 1)
            if j >= n:
                raise HtmlParseError(f'Unclosed start tag "{name}" at byte offset {begin}')
            if html[j] in "\"'":
                end = html.find(html[j], j + 1)
                if end < 0:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
                attrs[attr] = _decode_lenient(html[j + 1 : end])
                j = end + 1
            else:
                m = _UNQUOTED_VALUE_RE.match(html, j)
                if not m or m.end() >= n or html[m.end()] not in _SPACE + ">":
                    raise HtmlParseError(f"Unexpected end of name token at byte offset {boff(j)}")
                attrs[attr], j = m.group(), m.end()
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        if name == "a" and strict and not attrs.get("href"):
            raise HtmlParseError(f'Tag "a" must have attribute "href" at byte offset {begin}')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise HtmlParseError("Invalid custom emoji identifier specified")
        stack.append(_OpenTag(name, attrs, u16, begin))
        i = j + 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_tag(tag: _OpenTag, u16: int, stack: list[_OpenTag], entities: list[dict]) -> None:
    """Turn a closed tag into a Bot API MessageEntity (empty ranges produce none, like TG)."""
    cls = tag.attrs.get("class", "")
    if tag.name == "code" and stack and stack[-1].name == "pre" and cls.startswith("language-"):
        stack[-1].language = cls.removeprefix("language-") or None
        return  # <pre><code class="language-x"> is one "pre" entity with a language
    length = u16 - tag.start
    if length <= 0:
        return
    entity: dict[str, Any] = {"type": _TAG_TYPES[tag.name], "offset": tag.start, "length": length}
    if tag.name == "a":
        entity["url"] = tag.attrs.get("href", "")
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "pre" and tag.language:
        entity["language"] = tag.language
    entities.append(entity)


# --------------------------------------------------------------------------- reply markup
_INLINE_ACTIONS = frozenset(
    (
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    )
)


def check_reply_markup(markup: Any) -> None:
    """Reject keyboards Telegram rejects; a bot bug here only shows up in production otherwise."""
    bad_json = ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise bad_json
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return
    rows = markup.get("inline_keyboard", markup.get("keyboard"))
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_json
    buttons = [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]
    if len(buttons) > 100:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for button in buttons:
        if not isinstance(button.get("text"), str) or not button["text"].strip():
            raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
        if "inline_keyboard" not in markup:
            continue
        if not _INLINE_ACTIONS & button.keys():
            raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= 64:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        url = button.get("url")
        if url is not None and not re.match(r"(https?|tg)://\S", str(url)):
            raise ApiError(
                400, f"Bad Request: inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
            )


# --------------------------------------------------------------------------- records
@dataclass
class FileInfo:
    """An uploaded file (filename/size/content_type) or a re-sent file_id/URL (file_id only)."""

    file_id: str
    filename: str | None = None
    size: int | None = None
    content_type: str | None = None
    content: bytes = b""  # an upload's bytes (the bot's .ics, a user's document)


@dataclass
class Call:
    """One HTTP request to the fake; ``ok`` stays None while a long poll is still waiting."""

    method: str
    params: dict[str, Any]
    files: dict[str, FileInfo] = field(default_factory=dict)
    token: str = ""
    ok: bool | None = None
    status: int | None = None
    result: Any = None
    description: str | None = None


@dataclass
class SentMessage:
    """A bot message in its current state (after edits)."""

    message_id: int
    chat_id: int
    text: str | None  # as sent: HTML source for parse_mode=HTML; the caption for media
    plain_text: str  # what the user sees
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None  # any markup as sent (inline, reply, remove)
    parse_mode: str | None = None
    date: int = field(default_factory=lambda: int(time.time()))
    photo: FileInfo | None = None
    document: FileInfo | None = None
    edit_count: int = 0

    @property
    def inline_markup(self) -> dict[str, Any] | None:
        """Only inline keyboards stay attached to a message (and can be edited or tapped)."""
        markup = self.reply_markup
        return markup if markup and "inline_keyboard" in markup else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, flattened row by row."""
        markup = self.inline_markup
        return [b for row in markup["inline_keyboard"] for b in row] if markup else []


@dataclass
class _Failure:
    """An injected fault: an error answer, or (``delay``) the real answer given too late."""

    code: int = 0
    description: str = ""
    retry_after: int | None = None
    delay: float | None = None  # carry the call out, but answer only after this many seconds


class _Handler(RequestHandler):
    """Routes ``/bot<token>/<method>`` into :meth:`FakeBotApi._handle`."""

    def initialize(self, fake: FakeBotApi) -> None:
        self.fake = fake

    async def post(self, token: str = "", method: str = "") -> None:
        req = self.request
        params: dict[str, Any] = {}
        for source in (req.query_arguments, req.body_arguments):
            for key, values in source.items():
                raw = values[-1].decode()
                try:
                    params[key] = json.loads(raw) if key in JSON_FIELDS else raw
                except ValueError:
                    params[key] = raw  # e.g. chat_id="@channel"
        files = {
            key: FileInfo(
                f"upload-{key}", f[0].filename, len(f[0].body), f[0].content_type, f[0].body
            )
            for key, f in req.files.items()
        }
        status, payload = await self.fake._handle(token, method, params, files)
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Error"
        self.set_status(status, reason)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    get = post


class _FileHandler(RequestHandler):
    """Serves ``/file/bot<token>/<file_path>``: what a user uploaded, as Telegram does."""

    def initialize(self, fake: FakeBotApi) -> None:
        self.fake = fake

    def get(self, token: str = "", file_path: str = "") -> None:
        content = self.fake._user_files.get(file_path) if token == self.fake.token else None
        if content is None:
            self.set_status(404)
            self.finish(json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}))
            return
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(content)


class Gate:
    """Calls of one method wait here until released; ``waiting`` counts those held now."""

    def __init__(self) -> None:
        self.waiting = 0
        self._open = asyncio.Event()

    def release(self) -> None:
        self._open.set()

    async def pass_through(self) -> None:
        self.waiting += 1
        try:
            await self._open.wait()
        finally:
            self.waiting -= 1


# --------------------------------------------------------------------------- the fake
class FakeBotApi:
    """In-process Telegram Bot API: feed it updates, let the bot poll, inspect what it sent."""

    def __init__(self, token: str = "123456:TEST-TOKEN", *, strict_html: bool = True) -> None:
        self.token = token
        self.strict_html = strict_html
        self.calls: list[Call] = []
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.webhook_url = ""
        self.webhook_params: dict[str, Any] = {}  # the last setWebhook call's parameters
        self._gates: dict[str, Gate] = {}  # method → calls held until the test releases them
        self._users: dict[int, dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._blocked: set[int] = set()
        self._messages: dict[int, list[SentMessage]] = {}
        self._user_messages: dict[int, list[int]] = {}
        self._next_msg_id: dict[int, int] = {}
        self._pending: list[dict[str, Any]] = []
        self._user_files: dict[str, bytes] = {}  # file_path → bytes users sent as documents
        self._file_ids: dict[str, str] = {}  # file_id → file_path
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_200_000_000_000_000_001)
        self._open_queries: set[str] = set()
        self._failures: dict[str, list[_Failure]] = {}
        self._sent_updates: dict[int, dict[str, Any]] = {}  # every update queued, by id
        self._server: HTTPServer | None = None
        self._port = 0
        self._inflight = 0
        self._idle = asyncio.Event()  # set while no request is being handled
        self._idle.set()
        self._waiters: set[asyncio.Event] = set()  # one per waiting getUpdates
        self._stopping = False
        # Method names are case-insensitive in the Bot API; handlers are the _api_<method> defs.
        self._methods: dict[str, Callable[..., Any]] = {
            name[5:].lower(): getattr(self, name) for name in dir(self) if name.startswith("_api_")
        }

    # ---- lifecycle
    async def start(self) -> None:
        """Listen on an ephemeral loopback port in the *current* loop (no threads, no network)."""
        sockets = bind_sockets(0, "127.0.0.1")
        app = Application(
            [
                (r"/file/bot([^/]*)/(.+)", _FileHandler, {"fake": self}),
                (r"/bot([^/]*)/([^/]+)", _Handler, {"fake": self}),
                (r".*", _Handler, {"fake": self}),
            ],
            log_function=lambda handler: None,
        )
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)
        self._port = sockets[0].getsockname()[1]
        self._stopping = False

    async def stop(self) -> None:
        """Finish in-flight long polls, then close listener and connections (no ResourceWarning)."""
        self._stopping = True
        if self._server is None:
            return
        self._server.stop()
        for waiter in self._waiters:
            waiter.set()  # wake long polls so they answer [] now
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), 2)
        await self._server.close_all_connections()
        self._server = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What to pass as ``base_url`` to PTB; it appends ``<token>/<method>`` itself."""
        assert self._server is not None, "FakeBotApi not started"
        return f"http://127.0.0.1:{self._port}/bot"

    # ---- test-side API: users and incoming updates
    def user(self, user_id: int, first_name: str = "Ada", language_code: str = "en") -> None:
        """Register a user and the private chat with them (chat id == user id)."""
        self._users[user_id] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        self._chats[user_id] = {"id": user_id, "type": "private", "first_name": first_name}

    def send_text(
        self, user_id: int, text: str, *, language_code: str | None = None, edited: bool = False
    ) -> int:
        """Queue a private text message (``/command`` gets a bot_command entity); -> update_id.

        ``edited=True`` sends an ``edited_message`` for the user's latest message.
        """
        if user_id not in self._users:
            self.user(user_id)
        sender = dict(self._users[user_id])
        if language_code is not None:
            sender["language_code"] = language_code
        own = self._user_messages.setdefault(user_id, [])
        if not (edited and own):
            own.append(self._new_message_id(user_id))
        message: dict[str, Any] = {
            "message_id": own[-1],
            "from": sender,
            "chat": self._chats[user_id],
            "date": int(time.time()),
            "text": text,
        }
        command = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])", text)
        if command:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}
            ]
        if edited:
            message["edit_date"] = message["date"]
        return self.send_update({"edited_message" if edited else "message": message})

    def send_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        *,
        mime_type: str = "text/calendar",
        file_size: int | None = None,
    ) -> int:
        """Queue a private message carrying a document; the bot can fetch it with getFile and
        the file URL. ``file_size`` overrides the size Telegram reports; -> update_id."""
        if user_id not in self._users:
            self.user(user_id)
        own = self._user_messages.setdefault(user_id, [])
        own.append(self._new_message_id(user_id))
        file_id = f"doc-{user_id}-{own[-1]}"
        path = f"documents/file_{len(self._user_files)}{Path(file_name).suffix}"
        self._user_files[path] = content
        self._file_ids[file_id] = path
        message = {
            "message_id": own[-1],
            "from": self._users[user_id],
            "chat": self._chats[user_id],
            "date": int(time.time()),
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id[-16:],
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(content) if file_size is None else file_size,
            },
        }
        return self.send_update({"message": message})

    def send_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (stickers, locations, groups...); chats in it become known."""
        update = {**update, "update_id": next(self._update_ids)}
        self._learn_chats(update)
        self._sent_updates[update["update_id"]] = update
        self._pending.append(update)
        for waiter in self._waiters:
            waiter.set()
        return update["update_id"]

    def send_again(self, update_id: int) -> None:
        """Deliver an update once more, as Telegram does when it was not confirmed in time."""
        self._pending.append(self._sent_updates[update_id])
        for waiter in self._waiters:
            waiter.set()

    def tap(self, user_id: int, message_id: int, data: str, *, require_button: bool = True) -> str:
        """Queue a callback_query for a bot message's button; returns the query id.

        With ``require_button`` the message must currently show a button with this data, since a
        real user cannot tap a button that is not there.
        """
        msg = self._find(user_id, message_id)
        if msg is None:
            raise AssertionError(f"no bot message {message_id} in chat {user_id}\n{self.dump()}")
        if require_button and data not in [b.get("callback_data") for b in msg.buttons]:
            raise AssertionError(f"message {message_id} has no button {data!r}: {msg.buttons}")
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        self.send_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._users[user_id],
                    "message": self._message_json(msg),
                    "chat_instance": f"-{user_id}",
                    "data": data,
                }
            }
        )
        return query_id

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sends and edits to the chat get 403."""
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """The user unblocked the bot (e.g. to test recovery after a 403)."""
        self._blocked.discard(user_id)

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        description: str = "Too Many Requests: retry after 1",
        retry_after: int | None = 1,
        *,
        times: int = 1,
        first: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (stackable); retry_after only for
        429. E.g. 502 "Bad Gateway", 403 "Forbidden: bot was blocked by the user". ``first``
        puts them before the failures already waiting (a flood limit refusing the call in
        hand, say)."""
        failure = _Failure(error_code, description, retry_after if error_code == 429 else None)
        self._inject(method, failure, times, first=first)

    def clear_failures(self, method: str) -> None:
        """Take back the failures still waiting for ``method`` (Telegram is well again)."""
        self._failures.pop(method.lower(), None)

    def answer_late(self, method: str, delay: float, *, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``method`` (a message is recorded, as Telegram
        would) but answer each only after ``delay`` seconds: longer than the client's read
        timeout, that is a TimedOut for a request that did arrive."""
        self._inject(method, _Failure(delay=delay), times)

    def _inject(self, method: str, failure: _Failure, times: int, *, first: bool = False) -> None:
        if method.lower() not in self._methods:
            raise ValueError(f"unknown Bot API method {method!r}")
        waiting = self._failures.setdefault(method.lower(), [])
        if first:
            waiting[0:0] = [failure] * times
        else:
            waiting.extend([failure] * times)

    def calls_of(self, *methods: str) -> list[Call]:
        """The calls of these Bot API methods, in the order they arrived."""
        return [c for c in self.calls if c.method in methods]

    def hold(self, method: str) -> Gate:
        """Hold every call of ``method`` until ``release()``: to catch the bot mid-update (how
        many updates are in hand at once, what a stop does to them)."""
        if method.lower() not in self._methods:
            raise ValueError(f"unknown Bot API method {method!r}")
        gate = self._gates[method.lower()] = Gate()
        return gate

    # ---- test-side API: inspection
    @property
    def errors(self) -> list[Call]:
        """The calls that got an error answer."""
        return [c for c in self.calls if c.ok is False]

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Bot messages in this chat, oldest first, as they are now (edited, deleted ones gone)."""
        return list(self._messages.get(chat_id, []))

    def last_message(self, chat_id: int) -> SentMessage:
        """The newest bot message; fails with a dump rather than an IndexError."""
        if not self._messages.get(chat_id):
            raise AssertionError(f"the bot sent nothing to chat {chat_id}\n{self.dump()}")
        return self._messages[chat_id][-1]

    def unanswered_callback_queries(self) -> list[str]:
        """Telegram shows a spinner until answered, so every tap should end up answered."""
        return sorted(self._open_queries)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (via getUpdates offset)."""
        return list(self._pending)

    async def wait_for(
        self,
        predicate: Callable[[], object],  # any truthy result counts
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for an assertion, not a cancel
    ) -> None:
        """Poll ``predicate`` every 10 ms; the bot runs in the same loop, so we must yield."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise AssertionError(f"condition not met within {timeout}s\n{self.dump()}")
            await asyncio.sleep(0.01)

    def dump(self) -> str:
        """Human-readable state for assertion messages (empty getUpdates polls are skipped)."""
        lines = ["calls:"]
        for c in self.calls[-40:]:
            if c.method == "getUpdates" and c.ok and not c.result:
                continue
            outcome = "..." if c.ok is None else "ok" if c.ok else f"{c.status} {c.description}"
            shown = {k: v for k, v in c.params.items() if k != "reply_markup"}
            lines.append(f"  {c.method} {shown} -> {outcome}")
        lines.append(f"pending updates: {[u['update_id'] for u in self._pending]}")
        for chat_id, msgs in self._messages.items():
            lines.append(f"chat {chat_id}:")
            lines += [f"  #{m.message_id} {m.plain_text[:80]!r} {m.buttons}" for m in msgs]
        return "\n".join(lines)

    # ---- HTTP entry point
    async def _handle(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, FileInfo]
    ) -> tuple[int, dict[str, Any]]:
        handler = self._methods.get(method.lower())
        call = Call(handler.__name__[5:] if handler else method, params, files, token)
        self.calls.append(call)
        self._inflight += 1
        self._idle.clear()
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            if token != self.token:  # Telegram's answer to a well-formed token it does not know
                raise ApiError(401, "Unauthorized")
            failure = None
            gate = self._gates.get(method.lower())
            if gate is not None:
                await gate.pass_through()
            if self._failures.get(method.lower()):
                failure = self._failures[method.lower()].pop(0)
                if failure.delay is None:
                    raise ApiError(failure.code, failure.description, failure.retry_after)
            result = await handler(params, files)
            if failure is not None and failure.delay is not None:
                # Done (the message is recorded) but answered late: a client whose read timeout
                # is shorter gets TimedOut for a request Telegram did carry out.
                call.ok, call.status, call.result = True, 200, result
                await asyncio.sleep(failure.delay)
        except ApiError as err:
            call.ok, call.status, call.description = False, err.code, err.description
            payload: dict[str, Any] = {
                "ok": False,
                "error_code": err.code,
                "description": err.description,
            }
            if err.retry_after is not None:
                payload["parameters"] = {"retry_after": err.retry_after}
            return err.code, payload
        finally:
            self._inflight -= 1
            if not self._inflight:
                self._idle.set()
        call.ok, call.status, call.result = True, 200, result
        return 200, {"ok": True, "result": result}

    # ---- helpers
    def _learn_chats(self, obj: Any) -> None:
        """Every chat mentioned in an update is one the bot may write to."""
        if isinstance(obj, dict):
            chat = obj.get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                self._chats.setdefault(chat["id"], chat)
                if isinstance(obj.get("message_id"), int):
                    nxt = self._next_msg_id.get(chat["id"], 1)
                    self._next_msg_id[chat["id"]] = max(nxt, obj["message_id"] + 1)
            for value in obj.values():
                self._learn_chats(value)
        elif isinstance(obj, list):
            for value in obj:
                self._learn_chats(value)

    def _new_message_id(self, chat_id: int) -> int:
        """Like Telegram, user and bot messages share one id sequence per private chat."""
        msg_id = self._next_msg_id.get(chat_id, 1)
        self._next_msg_id[chat_id] = msg_id + 1
        return msg_id

    def _chat(self, params: dict[str, Any], *, writing: bool = True) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise ApiError(400, "Bad Request: chat not found")
        if writing and chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _find(self, chat_id: int, message_id: Any) -> SentMessage | None:
        msgs = self._messages.get(chat_id, [])
        return next((m for m in msgs if m.message_id == message_id), None)

    def _bot_message(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not supported by FakeBotApi")
        msg = self._find(self._chat(params), params.get("message_id"))
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return msg

    def _parse(
        self, raw: Any, params: dict[str, Any], entities_key: str, limit: int, what: str
    ) -> tuple[str, list[dict[str, Any]]]:
        """Validate text/caption like Telegram: parse errors first, then empty and length."""
        raw = "" if raw is None else str(raw)
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            try:
                plain, entities = parse_telegram_html(raw, strict=self.strict_html)
            except HtmlParseError as err:
                raise ApiError(400, PARSE_ERROR + str(err)) from None
        elif mode in ("", "markdown", "markdownv2"):  # Markdown is not checked by the fake
            plain, entities = raw, list(params.get(entities_key) or [])
        else:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        if what == "message" and not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        return plain, entities

    def _markup(self, params: dict[str, Any], *, inline_only: bool = False) -> dict | None:
        markup = params.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup)
            if inline_only and "inline_keyboard" not in markup:
                raise ApiError(400, "Bad Request: inline keyboard expected")
        return markup

    def _store(self, msg: SentMessage) -> dict[str, Any]:
        self._messages.setdefault(msg.chat_id, []).append(msg)
        return self._message_json(msg)

    def _message_json(self, msg: SentMessage) -> dict[str, Any]:
        """The Bot API Message object for a stored bot message."""
        out: dict[str, Any] = {
            "message_id": msg.message_id,
            "from": BOT_USER,
            "chat": self._chats[msg.chat_id],
            "date": msg.date,
        }
        media = msg.photo or msg.document
        text_key = "caption" if media else "text"
        if msg.plain_text or not media:
            out[text_key] = msg.plain_text
        if msg.entities:
            out["caption_entities" if media else "entities"] = msg.entities
        if msg.photo:
            out["photo"] = [
                {
                    "file_id": msg.photo.file_id,
                    "file_unique_id": msg.photo.file_id[-16:],
                    "width": 640,
                    "height": 480,
                    "file_size": msg.photo.size,
                }
            ]
        if msg.document:
            out["document"] = {
                "file_id": msg.document.file_id,
                "file_unique_id": msg.document.file_id[-16:],
                "file_name": msg.document.filename,
                "mime_type": msg.document.content_type,
                "file_size": msg.document.size,
            }
        if msg.inline_markup:
            out["reply_markup"] = msg.inline_markup
        if msg.edit_count:
            out["edit_date"] = int(time.time())
        return out

    # ---- Bot API methods (named _api_<method>; each gets decoded params and uploaded files)
    async def _api_getMe(self, params: dict, files: dict) -> Any:
        return BOT_USER

    async def _api_getUpdates(self, params: dict, files: dict) -> Any:
        """Long polling, capped at LONG_POLL_CAP; updates below ``offset`` are confirmed."""
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        wait = min(max(float(params.get("timeout") or 0), 0), LONG_POLL_CAP)
        if not self._pending and not self._stopping and wait:
            waiter = asyncio.Event()
            self._waiters.add(waiter)
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter.wait(), wait)
            finally:
                self._waiters.discard(waiter)
        return self._pending[: max(1, min(limit, 100))]

    async def _api_deleteWebhook(self, params: dict, files: dict) -> Any:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _api_setWebhook(self, params: dict, files: dict) -> Any:
        self.webhook_url = str(params.get("url") or "")
        self.webhook_params = dict(params)
        return True

    async def _api_getWebhookInfo(self, params: dict, files: dict) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _api_sendMessage(self, params: dict, files: dict) -> Any:
        chat_id = self._chat(params)
        markup = self._markup(params)
        plain, entities = self._parse(params.get("text"), params, "entities", MAX_TEXT, "message")
        return self._store(
            SentMessage(
                self._new_message_id(chat_id),
                chat_id,
                params.get("text"),
                plain,
                entities,
                markup,
                params.get("parse_mode"),
            )
        )

    async def _api_editMessageText(self, params: dict, files: dict) -> Any:
        msg = self._bot_message(params)
        if msg.photo or msg.document:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        markup = self._markup(params, inline_only=True)
        plain, entities = self._parse(params.get("text"), params, "entities", MAX_TEXT, "message")
        if (plain, entities, markup) == (msg.plain_text, msg.entities, msg.inline_markup):
            raise ApiError(400, NOT_MODIFIED)
        msg.text, msg.plain_text, msg.entities = params.get("text"), plain, entities
        msg.reply_markup, msg.parse_mode = markup, params.get("parse_mode")  # no markup = removed
        msg.edit_count += 1
        return self._message_json(msg)

    async def _api_editMessageReplyMarkup(self, params: dict, files: dict) -> Any:
        msg = self._bot_message(params)
        markup = self._markup(params, inline_only=True)
        if markup == msg.inline_markup:
            raise ApiError(400, NOT_MODIFIED)
        msg.reply_markup = markup
        msg.edit_count += 1
        return self._message_json(msg)

    async def _api_deleteMessage(self, params: dict, files: dict) -> Any:
        chat_id = self._chat(params, writing=False)
        msg_id = params.get("message_id")
        msg = self._find(chat_id, msg_id)
        if msg is not None:
            self._messages[chat_id].remove(msg)
        elif msg_id in self._user_messages.get(chat_id, []):
            self._user_messages[chat_id].remove(msg_id)
        else:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _api_answerCallbackQuery(self, params: dict, files: dict) -> Any:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_queries.remove(query_id)
        self.callback_answers[query_id] = params
        return True

    async def _api_setMyCommands(self, params: dict, files: dict) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: command description is empty or too long")
        self.commands[params.get("language_code") or None] = commands
        return True

    async def _api_getMyCommands(self, params: dict, files: dict) -> Any:
        return self.commands.get(params.get("language_code") or None, [])

    async def _api_deleteMyCommands(self, params: dict, files: dict) -> Any:
        self.commands.pop(params.get("language_code") or None, None)
        return True

    async def _api_setChatMenuButton(self, params: dict, files: dict) -> Any:
        chat_id = self._chat(params, writing=False) if "chat_id" in params else None
        self.menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
        return True

    async def _api_getChatMenuButton(self, params: dict, files: dict) -> Any:
        return self.menu_buttons.get(params.get("chat_id"), {"type": "default"})

    async def _send_media(self, kind: str, params: dict, files: dict[str, FileInfo]) -> Any:
        chat_id = self._chat(params)
        markup = self._markup(params)
        info = files.get(kind)
        if info is None and isinstance(params.get(kind), str) and params[kind]:
            info = FileInfo(params[kind])  # file_id or URL, nothing uploaded
        if info is None:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if info.size == 0:
            raise ApiError(400, "Bad Request: file must be non-empty")
        plain, entities = self._parse(
            params.get("caption"), params, "caption_entities", MAX_CAPTION, "message caption"
        )
        msg = SentMessage(
            self._new_message_id(chat_id),
            chat_id,
            params.get("caption"),
            plain,
            entities,
            markup,
            params.get("parse_mode"),
        )
        if kind in files:  # a fresh upload gets a file_id, like Telegram assigns one
            info.file_id = f"{kind}-{chat_id}-{msg.message_id}"
        setattr(msg, kind, info)
        return self._store(msg)

    async def _api_getFile(self, params: dict, files: dict) -> Any:
        path = self._file_ids.get(str(params.get("file_id")))
        if path is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        content = self._user_files[path]
        return {
            "file_id": params["file_id"],
            "file_unique_id": str(params["file_id"])[-16:],
            "file_size": len(content),
            "file_path": path,
        }

    async def _api_sendPhoto(self, params: dict, files: dict) -> Any:
        return await self._send_media("photo", params, files)

    async def _api_sendDocument(self, params: dict, files: dict) -> Any:
        return await self._send_media("document", params, files)

    async def _api_close(self, params: dict, files: dict) -> Any:
        return True

    async def _api_logOut(self, params: dict, files: dict) -> Any:
        return True
