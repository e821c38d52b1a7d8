"""`exit-coach bench` / `python -m bench`: run the scenarios, print the table, write BENCHMARKS.md.

exit-coach bench                 # every scenario, full counts (several minutes)
exit-coach bench --quick         # small counts: keeps the script working (CI)
exit-coach bench --only http     # one scenario
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import shlex
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.checkout import ROOT
from bench.context import Context
from bench.report import Figure, markdown, text_table

# name → module with `async def run(ctx) -> list[Figure]`, in the order they run
SCENARIOS = {
    "per_update": "bench.per_update",
    "http": "bench.http_e2e",
    "history": "bench.history",
    "many_users": "bench.many_users",
    "reminders": "bench.reminder_burst",
    "flood": "bench.flood_burst",
    "recovery": "bench.recovery",
    "startup": "bench.startup",
}
CACHE = Path.home() / ".cache" / "exit-coach-bench"  # the PTB sdist; outside the repository


class ErrorCount(logging.Handler):
    """Errors the bot logs while a scenario runs: a fast wrong answer is no result."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def parser() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(
        prog="exit-coach bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_argument("--quick", action="store_true", help="small counts (a CI smoke run)")
    options.add_argument("--only", choices=sorted(SCENARIOS), help="run one scenario")
    options.add_argument(
        "--output",
        type=Path,
        default=ROOT / "BENCHMARKS.md",
        help="where to write the Markdown table (default: BENCHMARKS.md)",
    )
    return options


async def run_all(names: Sequence[str], ctx: Context) -> list[Figure]:
    figures: list[Figure] = []
    for name in names:
        scenario: Callable[[Context], Awaitable[list[Figure]]] = importlib.import_module(
            SCENARIOS[name]
        ).run
        errors = ErrorCount()
        logging.getLogger().addHandler(errors)
        try:
            found = await scenario(ctx)
        except Exception as error:  # one broken scenario must not hide the others' numbers
            logging.getLogger(__name__).exception("scenario %s failed", name)
            why = f"{type(error).__name__}: {error}"[:200]
            found = [Figure(name, "scenario failed", None, "", note=why)]
        finally:
            logging.getLogger().removeHandler(errors)
        if errors.count:
            found.append(Figure(name, "errors logged in process", errors.count, "count",
                                target="0", note="see the log above"))  # fmt: skip
        figures += found
    return figures


def main(argv: Sequence[str] | None = None, prog: str = "exit-coach bench") -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    names = [args.only] if args.only else list(SCENARIOS)
    started, clock = datetime.now(UTC), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="exit-coach-bench-") as scratch:
        ctx = Context(quick=args.quick, workdir=Path(scratch), cache=CACHE)
        figures = asyncio.run(run_all(names, ctx))
    given = sys.argv[1:] if argv is None else argv
    command = " ".join([prog, *(shlex.quote(a) for a in given)])
    print(text_table(figures))
    args.output.write_text(markdown(figures, command, started, time.perf_counter() - clock))
    print(f"\nwritten to {args.output}", file=sys.stderr)
    failed = [f for f in figures if f.name == "scenario failed"]
    return 1 if failed else 0
