"""The bot under test for the Telegram adapter's tests: the real Application against the fake
Bot API. A test module with other needs (delivery failures on purpose) defines its own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.service import ConversationService
from tests.telegram.harness import BotUnderTest, running_bot


@pytest.fixture
async def bot(
    settings: Settings, engine: Engine, service: ConversationService
) -> AsyncIterator[BotUnderTest]:
    """Every Bot API call well formed, every tap answered."""
    async with running_bot(settings, engine, service) as running:
        yield running
        assert running.fake.errors == [], running.fake.dump()
        assert running.fake.unanswered_callback_queries() == []
