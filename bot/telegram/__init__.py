"""python-telegram-bot adapter: translates updates into engine inputs and replies into messages."""

import os

# Opt in now to python-telegram-bot 23's timedelta durations (RetryAfter.retry_after etc.);
# without it every flood-limit answer logs a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")
