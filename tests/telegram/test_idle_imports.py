"""What an idle polling bot carries in memory: not python-telegram-bot's webhook server nor
tornado (about 3 MB), which only webhook mode and METRICS_PORT use; both still work (their own
tests), and tornado stays importable after the bot's modules are loaded."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import bot.cli, bot.telegram.application, bot.telegram.polling
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "tornado"
                or m == "telegram.ext._utils.webhookhandler" and sys.modules[m] is not None)
print(loaded)
import bot.telegram.webhook, tornado.web  # webhook mode imports them when it starts
print("webhook ok")
"""


def test_a_polling_bot_does_not_import_a_webhook_server() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "webhook ok"]
