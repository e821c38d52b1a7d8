"""The webhook against callers who hold the secret but send what Telegram never would, and
against callers who lie about who they are: unreadable bodies get 400 without a traceback, the
log names the socket's address unless a trusted proxy forwarded the call, and a button tap
naming someone else's chat is answered and ignored."""

from __future__ import annotations

import logging
from ipaddress import ip_network
from typing import Any

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from bot.config import Settings
from bot.service import ConversationService
from bot.telegram.webhook import client_address
from tests.telegram.test_metrics import tap_update
from tests.telegram.test_webhook import SECRET, start_update, webhook

UNREADABLE = {
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "not JSON": b"{not json",
    "not UTF-8": b'\xff\xfe{"update_id": 1}',
    "a list": b"[1, 2, 3]",
    "a number": b"42",
    "empty": b"",
    "an empty object": b"{}",
    "wrong types": b'{"update_id": "x", "message": 5}',
    "a message that is text": b'{"update_id": 7, "message": "hello"}',
    "a huge number": b'{"update_id": 1e999999}',
}


@pytest.mark.parametrize("body", UNREADABLE.values(), ids=UNREADABLE.keys())
async def test_a_body_that_cannot_be_read_gets_400_without_a_traceback(
    settings: Settings,
    service: ConversationService,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with webhook(settings, service) as hook:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        response = await hook.client.post(hook.url, content=body, headers=headers)
        assert (response.status_code, response.text) == (400, "not an update")
        hook.fake.user(41)
        assert await hook.post(start_update(1, 41)) == 200  # and it goes on serving
        await hook.fake.wait_for(lambda: hook.answered(41))
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
    assert any("unreadable update refused" in r.getMessage() for r in caplog.records)


async def test_the_log_names_the_socket_not_what_a_caller_claims(
    settings: Settings, service: ConversationService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.telegram.webhook")
    async with webhook(settings, service) as hook:
        spoofed = {"X-Forwarded-For": "6.6.6.6", "X-Real-Ip": "6.6.6.6"}
        assert (await hook.client.post(hook.url, json={}, headers=spoofed)).status_code == 403
    refused = [r.getMessage() for r in caplog.records if r.getMessage().startswith("403")]
    assert refused == ["403 POST /telegram/hook (127.0.0.1)"]


async def test_a_trusted_proxy_names_the_caller(
    settings: Settings, service: ConversationService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.telegram.webhook")
    proxied = settings.model_copy(update={"trusted_proxies": (ip_network("127.0.0.1/32"),)})
    async with webhook(proxied, service) as hook:
        forwarded = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
        assert (await hook.client.post(hook.url, json={}, headers=forwarded)).status_code == 403
    refused = [r.getMessage() for r in caplog.records if r.getMessage().startswith("403")]
    assert refused == ["403 POST /telegram/hook (203.0.113.7)"]


def request_from(peer: str, forwarded: str | None = None) -> HTTPServerRequest:
    headers = HTTPHeaders({"Host": "bot.example.org"})
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    start = RequestStartLine("POST", "/hook", "HTTP/1.1")
    request = HTTPServerRequest(start_line=start, headers=headers)
    request.remote_ip = peer
    return request


@pytest.mark.parametrize(
    ("peer", "forwarded", "caller"),
    [
        ("10.0.0.2", "203.0.113.7", "203.0.113.7"),  # through one proxy
        ("10.0.0.2", "203.0.113.7, 10.0.0.5", "203.0.113.7"),  # through two
        ("10.0.0.2", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the first is the caller's
        ("192.0.2.9", "203.0.113.7", "192.0.2.9"),  # not from a proxy: its header means nothing
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "10.0.0.9", "10.0.0.9"),  # proxies all the way: the farthest
    ],
)
def test_client_address(peer: str, forwarded: str | None, caller: str) -> None:
    trusted = (ip_network("10.0.0.0/8"),)
    assert client_address(request_from(peer, forwarded), trusted) == caller
    assert client_address(request_from(peer, forwarded), ()) == peer


def group_tap(update_id: int, user_id: int) -> dict[str, Any]:
    update = tap_update(update_id, user_id, chat_id=-100123, message_id=1, data="v1.x.y")
    update["callback_query"]["message"]["chat"] = {"id": -100123, "type": "group", "title": "G"}
    return update


def inline_tap(update_id: int, user_id: int) -> dict[str, Any]:
    update = tap_update(update_id, user_id, chat_id=user_id, message_id=1, data="v1.x.y")
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "inline-1"
    return update


@pytest.mark.parametrize(
    "forged",
    [
        lambda n, user: tap_update(n, user, chat_id=4202, message_id=1, data="v1.x.y"),
        group_tap,
        inline_tap,
    ],
    ids=["another user's chat", "a group", "an inline message"],
)
async def test_a_tap_outside_the_tappers_private_chat_is_answered_and_ignored(
    settings: Settings, service: ConversationService, forged: Any
) -> None:
    async with webhook(settings, service) as hook:
        hook.fake.user(4201)
        hook.fake.user(4202)
        assert await hook.post(start_update(1, 4201)) == 200
        await hook.fake.wait_for(lambda: hook.answered(4201))
        before = await service.session(4201)
        sent = len(hook.fake.calls_of("sendMessage", "editMessageText"))

        assert await hook.post(forged(2, 4201)) == 200
        await hook.fake.wait_for(lambda: hook.fake.calls_of("answerCallbackQuery"))
        answered = hook.fake.calls_of("answerCallbackQuery")
        assert [call.params["callback_query_id"] for call in answered] == ["q2"]
        assert await hook.post(start_update(3, 4202)) == 200  # the next update is handled…
        await hook.fake.wait_for(lambda: hook.answered(4202))
    # …and the tap before it sent nothing, to anyone, and changed nothing
    assert len(hook.fake.calls_of("sendMessage", "editMessageText")) == sent + 1
    after = await service.session(4201)
    assert before is not None and after is not None and after.version == before.version
