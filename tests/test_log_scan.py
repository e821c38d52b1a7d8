"""The log scanner the privacy test relies on does see leaks; the redacting filter masks."""

from __future__ import annotations

import logging

import pytest

from bot.logs import MASK, RedactSecrets
from tests.log_scan import leaks

TOKEN = "123456:TEST-TOKEN"


def test_scanner_finds_a_deliberately_leaked_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("bot.leaky")
    log.info("user %s said %r", 7, "Zebulon")  # user text at INFO: a leak
    log.debug("update %s", {"text": "Quokka"})  # user text at DEBUG: allowed
    log.debug("calling https://api.telegram.org/bot%s/getMe", TOKEN)  # token: never allowed
    try:
        raise ValueError("invalid literal: 'Wombat'")
    except ValueError:
        log.exception("input failed")  # user text in a traceback at ERROR: a leak
    found = leaks(caplog.records, secrets=[TOKEN], user_texts=["Zebulon", "Quokka", "Wombat"])
    assert len(found) == 3, found
    assert "user text 'Zebulon'" in found[0]
    assert found[1].startswith("secret in DEBUG")
    assert "user text 'Wombat'" in found[2]


def test_clean_lines_pass(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("bot.clean").info("text input of user %s failed", 7)
    assert leaks(caplog.records, secrets=[TOKEN], user_texts=["Zebulon"]) == []


def test_the_handler_filter_masks_the_token_in_messages_and_tracebacks() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://x/bot{TOKEN}/getMe",), None
    )
    try:
        raise ConnectionError(f"https://x/bot{TOKEN}/getMe refused")
    except ConnectionError as exc:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    assert RedactSecrets([TOKEN, ""]).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted
    assert formatted.count(MASK) == 2
