"""Sharing a Telegram contact in the private chat starts /followup with the name filled in, and
the dialog asks only what is left; end to end through the real adapter and the fake Bot API."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Chat, Contact, Message

from bot.engine.io import Shared, Unsupported
from bot.telegram.inputs import message_input
from tests.telegram.harness import BotUnderTest

ADA, MIRA = 1101, 1102


def _contact_update(user_id: int, first: str, last: str | None, lang: str) -> dict[str, Any]:
    contact: dict[str, Any] = {"phone_number": "+43 660 1234567", "first_name": first}
    if last:
        contact["last_name"] = last
    return {
        "message": {
            "message_id": 5000 + user_id % 100,
            "date": 0,
            "chat": {"id": user_id, "type": "private", "first_name": "U"},
            "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": lang},
            "contact": contact,
        }
    }


async def _onboard(bot: BotUnderTest, user_id: int, lang: str) -> None:
    """Onboarding through the adapter, waiting for each question before answering it."""
    en = lang == "en"
    bot.fake.user(user_id, "U", lang)
    await bot.say(user_id, "/start", expect="Which language" if en else "In welcher Sprache")
    await bot.tap(user_id, "English" if en else "Deutsch", expect="?")
    await bot.say(user_id, "Ada" if en else "Mira", expect="?")
    goals_question = "What do you want it to bring you?" if en else "?"
    await bot.say(user_id, "I design websites" if en else "Steuerberaterin", expect=goals_question)
    goals = bot.fake.last_message(user_id)
    goal = "Win customers" if en else "Kunden gewinnen"
    await bot.tap(user_id, goal, expect="?", message=goals)
    done = "What can I do for you, Ada?" if en else "Was kann ich für Dich tun, Mira?"
    if en:  # asked where they are (German speakers keep Berlin time)
        await bot.tap(user_id, "Done", expect="where are you?", message=goals)
        await bot.tap(user_id, "Berlin / Central Europe", expect=done)
    else:
        await bot.tap(user_id, "Fertig", expect=done, message=goals)


async def test_a_shared_contact_starts_the_follow_up_with_the_name_filled_in(
    bot: BotUnderTest,
) -> None:
    await _onboard(bot, ADA, "en")
    await bot.send(
        ADA, _contact_update(ADA, "Anna", "Schmidt", "en"), expect="Follow-up with Anna Schmidt"
    )
    assert "How do you and Anna address each other" in bot.fake.last_message(ADA).plain_text
    assert "Who did you meet?" not in bot.fake.last_message(ADA).plain_text
    await bot.tap(ADA, "Formal", expect="Dear Ms Schmidt")
    await bot.tap(ADA, "Ms", expect="Where did you meet Anna?")
    await bot.tap(ADA, "Somewhere else", expect="Where was it?")
    await bot.say(ADA, "at the Retail Meetup", expect="What did you talk about?")
    await bot.say(ADA, "we talked about pricing for small shops", expect="What could you give")
    await bot.tap(ADA, "Skip", expect="Three ideas")  # nothing to give: ideas, skipped too
    await bot.tap(ADA, "Skip", expect="How would you like")
    draft = await bot.tap(ADA, "Email", expect="Here is a draft")
    assert "Dear Ms Schmidt," in draft.plain_text
    assert "thank you for our conversation about pricing for small shops." in draft.plain_text
    assert "• Where: at the Retail Meetup" in draft.plain_text  # a note, not in the message


async def test_in_german_a_contact_with_only_a_first_name(bot: BotUnderTest) -> None:
    await _onboard(bot, MIRA, "de")
    await bot.send(MIRA, _contact_update(MIRA, "Jonas", None, "de"), expect="Follow-up an Jonas")
    assert "Duzt Du Dich mit Jonas" in bot.fake.last_message(MIRA).plain_text
    await bot.tap(MIRA, "Wir duzen uns", expect="Wo hast Du Jonas kennengelernt?")
    await bot.tap(MIRA, "Woanders", expect="Wo war das?")
    await bot.say(MIRA, "beim Köpfchen-Talk", expect="Worüber habt Ihr gesprochen?")
    session = await bot.service.session(MIRA)
    assert session and session.active and session.active.answers["contact_name"] == "Jonas"
    assert "shared" not in session.active.answers


def _message(**fields: Any) -> Message:
    return Message(1, None, Chat(1, "private"), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Anna", "Schmidt", Shared("contact", {"name": "Anna Schmidt"})),
        ("Dr. Anna ", None, Shared("contact", {"name": "Dr. Anna"})),
        (" ", "", Unsupported("contact")),
    ],
)
def test_contact_messages_become_shared_input(
    first: str, last: str | None, expected: object
) -> None:
    contact = Contact("+4366012345", first, last)
    assert message_input(_message(contact=contact)) == expected
