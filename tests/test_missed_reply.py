"""A reply that never arrived: the user's next typed text shows the step again instead of being
taken as the answer to a question they never saw; taps on the step and commands work as usual."""

from __future__ import annotations

import pytest

from bot.engine.io import Command, Tap, Text, UserInput
from bot.service import ConversationService, ToOutbox
from bot.store.sessions import SessionStore
from tests.dialog_client import DialogClient
from tests.outbox_line import RecordingLine, send_through

USER = 42
MISSED = "my last message did not reach you"


@pytest.fixture
def line(service: ConversationService) -> RecordingLine:
    return send_through(service, RecordingLine())


async def handle(service: ConversationService, line: RecordingLine, user_input: UserInput) -> None:
    line.mark = len(line.delivered)
    await service.handle(USER, user_input, "en", to_outbox=ToOutbox())
    await service.deliver(USER)


async def lose_next(service: ConversationService, line: RecordingLine, user_input: UserInput) -> None:
    line.fail_next = True
    await handle(service, line, user_input)
    assert not line.fail_next, "nothing was sent"


async def stored_unseen(service: ConversationService) -> bool:
    """What the database holds (not this process's memory of it)."""
    session = await SessionStore(service.store.database).load(USER)
    assert session is not None
    return session.unseen


async def at_business_question(service: ConversationService, line: RecordingLine) -> None:
    client = DialogClient(service, user_id=USER)
    await client.send("/start")
    await client.tap("English")
    await lose_next(service, line, Text("Ada"))  # "What do you do for a living?" never arrives


async def test_text_after_a_lost_step_is_not_taken_as_its_answer(
    service: ConversationService, line: RecordingLine
) -> None:
    await at_business_question(service, line)
    assert await stored_unseen(service)

    await handle(service, line, Text("Web design"))  # answers a question they never saw
    assert MISSED in line.text.lower() and "What do you do for a living" in line.text
    session = await service.session(USER)
    assert session is not None and not session.unseen
    assert session.active is not None and session.active.state == "business"
    assert "business" not in session.active.answers

    await handle(service, line, Text("Web design"))  # now they saw it: the answer counts
    assert "What do you want it to bring you?" in line.text
    session = await service.session(USER)
    assert session is not None and session.active is not None
    assert session.active.answers["business"] == "Web design"


async def test_a_tap_on_the_lost_steps_button_proves_it_was_seen(
    service: ConversationService, line: RecordingLine
) -> None:
    await lose_next(service, line, Command("start"))
    language = next(
        b for m in line.lost for row in m.buttons for b in row if "English" in b.label
    )
    await handle(service, line, Tap(language.data))
    assert MISSED not in line.text.lower() and "What should I call you?" in line.text
    assert not await stored_unseen(service)


async def test_commands_and_the_exit_button_work_as_always(
    service: ConversationService, line: RecordingLine
) -> None:
    await at_business_question(service, line)
    await handle(service, line, Command("help"))
    assert MISSED not in line.text.lower() and "How I can help" in line.text

    await lose_next(service, line, Text("Web design"))  # lost again
    await handle(service, line, Text("🚪 Get me out"))
    assert MISSED not in line.text.lower() and "What's going on?" in line.text


async def test_a_user_erased_by_the_lost_turn_stays_erased(
    service: ConversationService, line: RecordingLine
) -> None:
    client = DialogClient(service, user_id=USER)
    await client.onboard()
    await client.send("/delete")
    await lose_next(service, line, Tap(client.button("Yes").data))
    assert await service.session(USER) is None
    assert await SessionStore(service.store.database).load(USER) is None


async def test_a_failed_engine_turn_is_not_marked_unseen(
    service: ConversationService, line: RecordingLine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing was committed, so the step the user saw last is still the current one."""
    await at_business_question(service, line)
    await handle(service, line, Text("Web design"))  # clears the flag, shows the step again

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(service.engine, "handle", explode)
    await lose_next(service, line, Text("Web design"))  # even the apology did not arrive
    assert not await stored_unseen(service)
