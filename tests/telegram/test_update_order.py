"""One user's burst of updates neither overtakes itself nor holds the slots other users need."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.telegram.update_order import PerUserUpdateProcessor


def update_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, date=None, chat=chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_a_burst_keeps_its_order_and_leaves_slots_for_others() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=4)
    release = asyncio.Event()  # user 1's first update hangs until the others are through
    burst_done = asyncio.Event()
    done: list[tuple[int, int]] = []

    async def work(user_id: int, number: int) -> None:
        if user_id == 1 and number == 0:
            await release.wait()
        done.append((user_id, number))
        if (user_id, number) == (1, 39):
            burst_done.set()

    burst = [
        asyncio.create_task(processor.process_update(update_from(1, n), work(1, n)))
        for n in range(40)
    ]
    await asyncio.sleep(0)  # the burst is in before the other users
    others = [processor.process_update(update_from(u, 100 + u), work(u, 0)) for u in range(2, 9)]
    # Seven other users get through on four slots while user 1's first update still hangs.
    await asyncio.wait_for(asyncio.gather(*others), timeout=5)
    assert {u for u, _ in done} == set(range(2, 9))
    release.set()
    await asyncio.wait_for(burst_done.wait(), timeout=5)
    await asyncio.gather(*burst)
    assert [n for u, n in done if u == 1] == list(range(40))  # in order
    assert processor.current_concurrent_updates == 0
