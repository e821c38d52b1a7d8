"""`exit-coach test-dialogs [FILE ...] [--coverage]`: replay the transcripts without pytest.

Prints one line per transcript, and for a failing one the step, what the user did, what was
expected and what the bot showed instead; exit code 1 if any failed.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from bot.authoring.transcripts import (
    Result,
    TranscriptError,
    replay_file,
    transcript_files,
    transcript_settings,
)
from bot.config import Settings


def default_transcripts(settings: Settings) -> Path:
    return settings.dialogs_dir.parent / "tests" / "transcripts"


async def run_all(settings: Settings, files: list[Path]) -> list[Result]:
    from bot.bootstrap import build_engine

    plain = transcript_settings(settings)
    engine = build_engine(plain)
    return [await replay_file(path, engine, plain) for path in files]


def dialog_tests_command(settings: Settings, paths: list[Path], coverage: bool) -> int:
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    files = transcript_files(paths, default_transcripts(settings))
    missing = [path for path in files if not path.is_file()]
    if missing or not files:
        print(f"no transcript file(s): {', '.join(map(str, missing)) or 'none found'}",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        results = asyncio.run(run_all(settings, files))
    except TranscriptError as problem:
        print(f"✗ {problem}", file=sys.stderr)
        return 2
    failed = [result for result in results if not result.passed]
    for result in results:
        print(result.report())
    print(f"\n{len(results) - len(failed)} of {len(results)} transcripts passed")
    if coverage:
        from bot.authoring.coverage import measure
        from bot.engine.spec import load_dialogs

        report = measure(load_dialogs(settings.dialogs_dir), results)
        print("\n" + report.describe())
        if failed:
            print(f"({len(failed)} transcript(s) failed: they count only up to the failing step)")
    return 1 if failed else 0
