"""Replay the conversations in tests/transcripts/*.yaml through the real engine and store, with
the same code as `exit-coach test-dialogs` (bot/authoring/transcripts.py).

Each step is one user action and what the bot must show (substrings of the visible text, in
order). A coach can read and write these files; docs/authoring.md describes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.authoring.transcripts import Clock, engine_for, load, offers_file, replay
from bot.config import Settings
from bot.service import ConversationService

TRANSCRIPTS = sorted((Path(__file__).parent / "transcripts").glob("*.yaml"))


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
async def test_transcript(
    path: Path, service: ConversationService, clock: Clock, settings: Settings
) -> None:
    script = load(path)
    if offers_file(path, script) is not None:  # the same database, an engine with the offers
        service = ConversationService(engine_for(path, script, settings), service.store, clock)
    result = await replay(script, path.name, service, clock, path.parent)
    assert result.passed, "\n" + result.report()
