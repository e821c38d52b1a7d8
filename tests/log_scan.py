"""Finds log records that leak a secret (at any level) or a user's text (at INFO and above)."""

from __future__ import annotations

import logging
from collections.abc import Iterable


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could write for this record: message, traceback, stack."""
    parts = [record.getMessage()]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


def leaks(
    records: Iterable[logging.LogRecord], *, secrets: Iterable[str], user_texts: Iterable[str]
) -> list[str]:
    """One line per leak: which record, and what it leaked."""
    secrets, user_texts = list(secrets), list(user_texts)
    found = []
    for record in records:
        text = record_text(record)
        where = f"{record.levelname} {record.name} {record.getMessage()[:120]!r}"
        found += [f"secret in {where}" for secret in secrets if secret in text]
        if record.levelno >= logging.INFO:
            found += [f"user text {t!r} in {where}" for t in user_texts if t in text]
    return found
