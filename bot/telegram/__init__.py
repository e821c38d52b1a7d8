"""python-telegram-bot adapter: translates updates into engine inputs and replies into messages."""

import os
import sys

# Opt in now to python-telegram-bot 23's timedelta durations (RetryAfter.retry_after etc.);
# without it every flood-limit answer logs a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")

# python-telegram-bot imports its own webhook server (tornado, about 3 MB of an idle bot's memory)
# whenever tornado is installed, for `Updater.start_webhook`. The bot has no Updater: updates come
# through its inbox (polling.py, and webhook.py's tornado server of our own, imported only in
# webhook mode). Marking that one module absent before python-telegram-bot is first imported
# makes it skip the import (its WEBHOOKS_AVAILABLE is then False, which only `start_webhook`
# reads); tornado itself stays importable. Too late (already imported), this changes nothing.
sys.modules.setdefault("telegram.ext._utils.webhookhandler", None)  # type: ignore[arg-type]
