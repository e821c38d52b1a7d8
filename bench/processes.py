"""Bots in processes of their own, as an operator runs them: started, watched, measured, stopped.

A bot in its own process has its own interpreter and core, so the fake Bot API and the simulated
users in the bench's process do not slow it down (and its start-up and memory can be measured).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path


def rss_mib(pid: int) -> float:
    """Resident memory of a running process, from /proc (Linux), in MiB; NaN elsewhere."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def bot_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The bench's environment without anything that configures the bot, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update({"PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING", **extra})
    return env


class BotProcess:
    """`args` run in `cwd` (where no .env is read by accident), output kept in a log file."""

    def __init__(self, args: list[str], cwd: Path, env: Mapping[str, str], log: Path) -> None:
        self.args, self.cwd, self.env, self.log_path = args, cwd, dict(env), log
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> None:
        self.started = time.perf_counter()
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.args, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss(self) -> float:
        return rss_mib(self.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def wait_until(self, ready: Callable[[], bool], patience: float, what: str) -> float:
        """Seconds from start until `ready()`; fails with the bot's log if it died or took
        longer than `patience` seconds."""
        deadline = time.perf_counter() + patience
        while not ready():
            if not self.alive() or time.perf_counter() > deadline:
                raise RuntimeError(f"{what}: not ready after {patience:.0f} s\n{self.tail()}")
            await asyncio.sleep(0.01)
        return time.perf_counter() - self.started

    def kill(self) -> None:
        """SIGKILL, as a crash or an out-of-memory killer ends a process: nothing is cleaned up."""
        if self.alive():
            assert self.process is not None
            self.process.kill()
            self.process.wait()

    async def stop(self, grace: float = 15.0) -> None:
        """SIGINT (python-telegram-bot shuts down cleanly on it), then SIGKILL if it hangs."""
        if not self.alive():
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:  # in a thread: the fake server in this loop must keep answering its last calls
            await asyncio.to_thread(self.process.wait, grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def coach_bot(
    workdir: Path, token: str, base_url: str, database_url: str, **extra: str
) -> BotProcess:
    """`exit-coach run` (as `python -m bot run`, the same entry point) on the fake server."""
    env = bot_environment(
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_BASE_URL": base_url,
            "DATABASE_URL": database_url,
            **extra,
        }
    )
    return BotProcess([sys.executable, "-m", "bot", "run"], workdir, env, workdir / "bot.log")
