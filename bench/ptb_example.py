"""python-telegram-bot's own `examples/persistentconversationbot.py`, the HTTP baseline.

Taken at run time from the source release of the installed version on PyPI (the sdist ships
`examples/`), kept in a cache folder outside the repository, and run unchanged but for three
things the benchmark must set: the token, the base URL of the fake Bot API server, and PTB's own
`AIORateLimiter(max_retries=5)` (without retries it drops about half its replies under flood
limits). Its code is never copied into this repository.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

from bench.processes import BotProcess, bot_environment

EXAMPLE = "examples/persistentconversationbot.py"
BUILDER = 'Application.builder().token("TOKEN")'
PATCHED_BUILDER = (
    'Application.builder().token(os.environ["BENCH_TOKEN"])'
    '.base_url(os.environ["BENCH_BASE_URL"]).rate_limiter(AIORateLimiter(max_retries=5))'
)
IMPORTS = "import logging\n"
PATCHED_IMPORTS = (
    "import logging\nimport os  # bench\nfrom telegram.ext import AIORateLimiter  # bench\n"
)


class ExampleUnavailable(RuntimeError):
    """The sdist could not be fetched or no longer looks as expected."""


def fetch_sdist(cache: Path) -> Path:
    """`pip download` the sdist of the installed python-telegram-bot into `cache` (once)."""
    release = version("python-telegram-bot")
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob(f"python_telegram_bot-{release}.tar.gz"))
    if found:
        return found[0]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
               ":all:", f"python-telegram-bot=={release}", "-d", str(cache)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    found = sorted(cache.glob(f"python_telegram_bot-{release}.tar.gz"))
    if done.returncode or not found:
        raise ExampleUnavailable(f"pip download failed: {done.stderr.strip()[-300:]}")
    return found[0]


def patched_example(cache: Path) -> Path:
    """The example's source with token, base URL and rate limiter set (cached beside it)."""
    sdist = fetch_sdist(cache)
    target = cache / f"{sdist.name.removesuffix('.tar.gz')}-persistentconversationbot.py"
    if target.is_file():
        return target
    with tarfile.open(sdist) as archive:
        member = f"{sdist.name.removesuffix('.tar.gz')}/{EXAMPLE}"
        try:
            extracted = archive.extractfile(member)
        except KeyError:
            raise ExampleUnavailable(f"{sdist.name} does not ship {EXAMPLE}") from None
        assert extracted is not None
        source = extracted.read().decode()
    if source.count(BUILDER) != 1 or source.count(IMPORTS) != 1:
        raise ExampleUnavailable(f"{EXAMPLE} changed: cannot set token and base URL unchanged")
    source = source.replace(BUILDER, PATCHED_BUILDER).replace(IMPORTS, PATCHED_IMPORTS, 1)
    target.write_text(source)
    return target


def example_bot(cache: Path, workdir: Path, token: str, base_url: str) -> BotProcess:
    """The example as a process in `workdir` (its PicklePersistence file lands there)."""
    script = patched_example(cache)
    env = bot_environment({"BENCH_TOKEN": token, "BENCH_BASE_URL": base_url})
    return BotProcess([sys.executable, str(script)], workdir, env, workdir / "example.log")
