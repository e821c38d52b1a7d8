"""/export gives all of a user's data as JSON; /delete erases it all after a confirmation."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, select

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
