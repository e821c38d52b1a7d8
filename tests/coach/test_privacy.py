"""/export gives all of a user's data as JSON; /delete erases it all after a confirmation."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, select

from bot.engine.io import Command, Tap, Text
from bot.service import ConversationService
from bot.store.reminders import ReminderStore
from bot.store.schema import metadata
from tests.dialog_client import DialogClient


async def rows_about(service: ConversationService, user_id: int) -> dict[str, int]:
    """Rows in any table that name the user (by `user_id`, or `id` in users)."""

    def count(connection: Connection) -> dict[str, int]:
        found = {}
        for table in metadata.sorted_tables:
            column = table.c.get("user_id")
            if column is None and table.name == "users":
                column = table.c.id
            if column is not None:
                count = connection.scalar(
                    select(func.count()).select_from(table).where(column == user_id)
                )
                if count:
                    found[table.name] = count
        return found

    return await service.store.database.run(count)


async def test_export_then_delete(service: ConversationService) -> None:
    client = DialogClient(service, user_id=9)
    await client.onboard()
    await client.followup()
    assert len(await ReminderStore(service.store.database).pending(9)) == 1

    reply = await client.send("/export")
    document = next(m for m in reply.messages if m.file is not None)
    assert document.file_kind == "document" and document.file_name.endswith(".json")
    exported = json.loads(document.file or b"")
    assert exported["profile"]["name"] == "Ada"
    assert exported["contacts"][0]["name"] == "Ben"
    assert [r["dialog"] for r in exported["reminders"]] == ["nudge"]
    assert {"dialog": "onboarding", "state": "name"}.items() <= exported["step_history"][1].items()

    await client.send("/delete")
    assert "erases everything" in client.text
    await client.tap("No, keep my data")
    assert await service.session(9) is not None
    await client.send("/delete")
    await client.tap("Yes, erase everything")
    assert "everything is erased" in client.text
    assert await service.session(9) is None
    assert await ReminderStore(service.store.database).pending(9) == []
    assert await rows_about(service, 9) == {}
    await client.send("hello")
    assert "Which language" in client.text  # a stranger again


async def test_an_update_from_before_the_erasure_never_brings_the_user_back(
    service: ConversationService,
) -> None:
    """Telegram delivers an update again when it did not hear in time that it arrived, and
    taps travel apart from messages: after /delete, neither an update applied before nor one
    older than the erasure that arrives only now may re-create the user."""
    client = DialogClient(service, user_id=9)
    await client.onboard()
    asked = await service.handle(9, Command("delete"), "en", update_id=200)
    assert asked is not None
    yes = next(b for m in asked.messages for row in m.buttons for b in row if "Yes" in b.label)
    await service.handle(9, Tap(yes.data), "en", update_id=201)
    assert await service.session(9) is None

    assert await service.handle(9, Command("delete"), "en", update_id=200) is None  # again
    assert await service.handle(9, Text("hello"), "en", update_id=150) is None  # late, older
    assert await service.session(9) is None
    left = await rows_about(service, 9)
    assert set(left) <= {"inbox", "erasures"}, left  # ids and the mark: nothing they said

    welcome = await service.handle(9, Text("hello"), "en", update_id=202)  # after: a new start
    assert welcome is not None and "Which language" in welcome.messages[0].html
