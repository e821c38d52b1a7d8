"""The authoring subcommands' bodies, kept out of bot/cli.py (which only parses arguments)."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.store.step_stats import StepRow


def lock_states_command(settings: Settings) -> int:
    """Write dialogs/states.lock from the dialog files as they are now."""
    from bot.authoring.states_lock import read_lock, write_lock
    from bot.engine.errors import ExitCoachError
    from bot.engine.spec import load_dialogs

    try:
        specs = load_dialogs(settings.dialogs_dir)
    except ExitCoachError as exc:
        print(f"✗ {exc}\nFix the dialog files first (`exit-coach check`).", file=sys.stderr)
        return 1
    before = read_lock(settings.dialogs_dir) or {}
    path = write_lock(settings.dialogs_dir, specs)
    dropped = [
        f"{name}/{state}"
        for name, states in before.items()
        for state in states
        if name not in specs or state not in specs[name].states
    ]
    print(f"✓ wrote {path} ({sum(len(s.states) for s in specs.values())} states)")
    if dropped:
        print(f"  no longer listed: {', '.join(dropped)}")
    return 0


def stats_command(settings: Settings, since: str | None, output: str, chart: str | None) -> int:
    """Print the dialogs' funnels and the exit lines' use; `chart`: also a PNG funnel."""
    from pathlib import Path

    from bot.authoring.stats import compute, csv_text, funnel_chart, table
    from bot.coach.exit_lines import ExitLibrary
    from bot.engine.render import Renderer
    from bot.engine.spec import load_dialogs

    start = None
    if since:
        try:
            start = datetime.fromisoformat(since)
        except ValueError:
            print(f"--since {since!r}: expected a date like 2026-11-01", file=sys.stderr)
            return 2
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
    specs = load_dialogs(settings.dialogs_dir)
    renderer = Renderer(settings.prompts_dir)
    lang = "en" if "en" in renderer.languages else renderer.languages[0]
    library = ExitLibrary(settings.prompts_dir, renderer.languages)[lang]
    line_names = {
        (key, number): library.techniques.get(line.technique, line.technique)
        for key, situation in library.situations.items()
        for number, line in enumerate(situation.lines, start=1)
    }
    rows = asyncio.run(_rows(settings.database_url, start))
    stats = compute(rows, specs)
    if output == "csv":
        sys.stdout.write(csv_text(stats, specs))
    else:
        period = f" since {start.date().isoformat()}" if start else ""
        print(f"Step history{period}: {len({r.user_id for r in rows})} users, {len(rows)} steps\n")
        sys.stdout.write(table(stats, specs, line_names))
    if chart:
        Path(chart).write_bytes(funnel_chart(stats))
        print(f"✓ wrote {chart}", file=sys.stderr)
    return 0


async def _rows(url: str, since: datetime | None) -> list[StepRow]:
    from bot.store.database import open_database
    from bot.store.step_stats import step_rows

    database = await open_database(url)
    try:
        return await step_rows(database, since)
    finally:
        await database.dispose()
