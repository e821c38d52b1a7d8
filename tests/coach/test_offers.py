"""The operator's offers: a deep link prepares a listed event, a low-value reflection or a skipped
event leads to a fitting offer, and the waitlist needs explicit consent and prints as CSV."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bootstrap import build_engine
from bot.coach.offers import load_offers
from bot.config import Settings
from bot.engine.errors import ContentError
from bot.service import ConversationService
from bot.store.database import open_database
from bot.store.sessions import SessionStore
from bot.store.waitlist import waitlist_csv
from tests.conftest import Clock
from tests.dialog_client import DialogClient

ROOT = Path(__file__).resolve().parents[2]
OFFERS = ROOT / "tests/fixtures/offers.yaml"


@pytest.fixture
async def offer_service(settings: Settings, clock: Clock):
    settings = settings.model_copy(update={"offers_file": OFFERS})
    database = await open_database(settings.database_url)
    yield ConversationService(build_engine(settings), SessionStore(database), clock=clock)
    await database.dispose()


async def test_deep_link_prepares_the_listed_event(offer_service: ConversationService) -> None:
    client = DialogClient(offer_service)
    await client.onboard()
    await client.send("/start monthly_round")
    assert "Welcome back, Ada!" in client.text
    # the offer says it is online: straight to the fit, named
    assert "Let's get you ready for “Monthly online networking round” (💻 Online)." in client.text
    assert "Does the event “Monthly online networking round” fit your business (coaching)?" in client.text
    for tap in (
        "Yes",
        "Yes",
        "Exchange with peers",
        "4",
        "Skip",
        "Skip",
        "Use this",
        "Different world",
        "Awkward silence",
        "Done",
    ):
        await client.tap_through(tap)
    assert "Here's what I understood" in client.text
    assert "Thu 10 Dec 2026, 18:00 until 19:30" in client.text
    await client.tap("That's right")
    assert "Monthly online networking round" in client.text and "Quiet Networkers" in client.text
    await client.tap("All set")
    assert "What can I do for you, Ada?" in client.text


async def test_unknown_deep_link_just_greets(offer_service: ConversationService) -> None:
    client = DialogClient(offer_service)
    await client.onboard()
    await client.send("/start no_such_offer")
    assert "What can I do for you, Ada?" in client.text


async def test_new_user_with_deep_link_is_onboarded_first(
    offer_service: ConversationService,
) -> None:
    client = DialogClient(offer_service)
    await client.send("/start monthly_round")
    assert "Which language" in client.text
    await client.tap("English")
    await client.send("Ada")
    await client.send("Coaching")
    await client.tap("Inspiration")
    await client.tap("Done")
    await client.tap("Berlin / Central Europe")
    assert "Let's get you ready" in client.text


async def test_skipped_event_leads_to_an_offer_and_waitlist_needs_consent(
    offer_service: ConversationService,
) -> None:
    client = DialogClient(offer_service, user_id=7)
    await client.onboard(goal="Win customers")
    await client.send("/prepare")
    await client.send("Stammtisch")
    await client.tap("In person")
    await client.tap("No")
    await client.tap("No")
    await client.tap("1–2 hours")
    await client.tap("Done")
    assert "that time is better spent elsewhere" in client.text
    await client.tap("Skip this one")
    assert "Good call" in client.text
    assert "Something that might suit you: Course: networking for shy people" in client.text
    await client.tap("Tell me more")
    assert "join the waitlist" in client.text and "sees your name (Ada)" in client.text
    csv = await waitlist_csv(offer_service.store.database)
    assert csv.strip() == "offer_key,user_id,name,language,joined_at"  # nothing without consent
    await client.tap("Yes, add me to the list")
    assert "You're on the waitlist for Course: networking for shy people" in client.text
    lines = (await waitlist_csv(offer_service.store.database)).strip().splitlines()
    assert lines[1].startswith("shy_course,7,Ada,en,")


def test_waitlist_command_prints_csv(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/w.db",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "waitlist"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offer_key,user_id,name,language,joined_at"


def test_broken_offers_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "offers.yaml"
    path.write_text(
        "offers:\n  - key: x\n    kind: event\n    title: {en: X}\n    description: {en: Y, de: Z}\n",
        "utf-8",
    )
    with pytest.raises(ContentError, match="has no title in"):
        load_offers(path, ("de", "en"))
