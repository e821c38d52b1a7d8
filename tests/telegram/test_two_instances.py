"""Two real bot processes (`exit-coach run`, webhook mode) on one PostgreSQL database, behind
one webhook URL: this test plays Telegram and the load balancer, posting every update to one
instance or the other, concurrently for different users, and sometimes to both at once (a retry
that reached the other instance). Every update is answered exactly once and in order per user;
an erasure through one instance holds on the other; 200 reminders due at once go out once each."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, insert

from bot.store.database import open_database
from bot.store.schema import reminders, users
from bot.testkit.fake_bot_api import FakeBotApi
from tests.postgres import fresh_postgres_database
from tests.telegram.test_webhook import SECRET, free_port
from tests.telegram.waiting_replies import until_committed

ROOT = Path(__file__).resolve().parents[2]
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
USERS = range(5101, 5121)
update_ids = itertools.count(1)  # one after another, as Telegram numbers them
query_ids = itertools.count(1)


@asynccontextmanager
async def instance(fake: FakeBotApi, url: str, tmp_path: Path) -> AsyncIterator[str]:
    """One `exit-coach run` process; yields its webhook base address once it is healthy."""
    async with instance_process(fake, url, tmp_path) as (base, _process):
        yield base


@asynccontextmanager
async def instance_process(
    fake: FakeBotApi, url: str, tmp_path: Path
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    """`instance`, with its process (for a test that kills it)."""
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DATABASE_URL": url,
        "WEBHOOK_URL": "https://bot.example.org/hook",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "PORT": str(port),
        "REMINDER_POLL_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    log = (tmp_path / f"instance-{port}.log").open("wb")  # a file: a full pipe would block it
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            for _ in range(1500):
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.returncode is None, log.name
                await asyncio.sleep(0.02)
        yield base, process
    finally:
        if process.returncode is None:
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=20)
        except TimeoutError:
            process.kill()
            await process.wait()
        log.close()


def message(fake: FakeBotApi, user_id: int, text: str) -> dict[str, Any]:
    number = next(update_ids)
    body: dict[str, Any] = {
        "message_id": 10_000 + number, "date": 0, "text": text,
        "chat": {"id": user_id, "type": "private", "first_name": "Ada"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en"},
    }  # fmt: skip
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": number, "message": body}


def tap(fake: FakeBotApi, user_id: int, label: str) -> dict[str, Any]:
    shown = next(m for m in reversed(fake.messages(user_id)) if m.buttons)
    button = next(b for b in shown.buttons if label in b["text"])
    query_id = f"q{next(query_ids)}"
    fake._open_queries.add(query_id)  # the fake checks that every query is answered
    return {
        "update_id": next(update_ids),
        "callback_query": {
            "id": query_id, "from": fake._users[user_id], "chat_instance": str(user_id),
            "message": fake._message_json(shown), "data": button["callback_data"],
        },
    }  # fmt: skip


async def post(client: httpx.AsyncClient, base: str, update: dict[str, Any]) -> None:
    answer = await client.post(f"{base}/hook", json=update, headers=HEADERS)
    assert answer.status_code == 200


async def test_two_instances_behind_one_webhook_url(tmp_path: Path) -> None:
    async with fresh_postgres_database() as url, FakeBotApi() as fake:
        await (await open_database(url)).dispose()  # migrated once, before both start
        async with (
            instance(fake, url, tmp_path) as first,
            instance(fake, url, tmp_path) as second,
            httpx.AsyncClient(timeout=10) as client,
        ):
            bases = (first, second)
            for user_id in USERS:
                fake.user(user_id, "Ada", "en")

            async def onboard(user_id: int) -> None:
                steps = [
                    (lambda: message(fake, user_id, "/start"), "Which language"),
                    (lambda: tap(fake, user_id, "English"), "What should I call you?"),
                    (lambda: message(fake, user_id, f"Ada {user_id}"), "What do you do for a living"),
                    (lambda: message(fake, user_id, "Web design"), "bring you?"),
                ]
                for number, (make, expect) in enumerate(steps):
                    update = make()
                    mark = len(fake.messages(user_id))
                    base = bases[(user_id + number) % 2]
                    if number == 2:  # delivered to both instances at once: applied once
                        await asyncio.gather(*(post(client, b, update) for b in bases))
                    else:
                        await post(client, base, update)
                    await fake.wait_for(
                        lambda m=mark, e=expect: any(  # type: ignore[misc]
                            e in x.plain_text for x in fake.messages(user_id)[m:]
                        ),
                        timeout=30,
                    )

            await asyncio.gather(*(onboard(user_id) for user_id in USERS))
            await asyncio.sleep(1)  # time for a duplicate to show, if one were coming
            for user_id in USERS:
                texts = [m.plain_text for m in fake.messages(user_id)]
                asked = [t for t in texts if "What do you do for a living" in t]
                assert len(asked) == 1, texts  # exactly once, though delivered twice
                order = [
                    next(i for i, t in enumerate(texts) if key in t)
                    for key in ("Which language", "What should I call you?", "bring you?")
                ]
                assert order == sorted(order)
            assert fake.errors == [] and fake.unanswered_callback_queries() == []

            # Erased through one instance, the next update through the other brings nothing back.
            eraser = USERS[0]
            mark = len(fake.messages(eraser))
            await post(client, first, message(fake, eraser, "/delete"))
            await fake.wait_for(
                lambda: any(
                    "erases everything" in m.plain_text for m in fake.messages(eraser)[mark:]
                ),
                timeout=30,
            )
            mark = len(fake.messages(eraser))
            await post(client, first, tap(fake, eraser, "erase"))
            await fake.wait_for(lambda: len(fake.messages(eraser)) > mark, timeout=30)
            mark = len(fake.messages(eraser))
            await post(client, second, message(fake, eraser, "hello"))
            await fake.wait_for(
                lambda: any("Which language" in m.plain_text for m in fake.messages(eraser)[mark:]),
                timeout=30,
            )

            # 200 reminders due at once: both instances claim and send, each goes out once.
            for n in range(200):
                fake.user(6000 + n)  # Telegram knows the chats of users who once wrote
            engine = await open_database(url)
            now = datetime.now(UTC).replace(tzinfo=None)

            def plan(connection: Connection) -> None:
                connection.execute(
                    insert(users),
                    [{"id": 6000 + n, "session": f'{{"user_id": {6000 + n}, "language": "en"}}',
                      "version": 1, "blocked": False, "updated_at": datetime.now(UTC)}
                     for n in range(200)],
                )  # fmt: skip
                connection.execute(
                    insert(reminders),
                    [{"user_id": 6000 + n, "key": "k", "due_at": now - timedelta(seconds=1),
                      "dialog": "help", "answers": "{}", "attempts": 0} for n in range(200)],
                )  # fmt: skip

            await engine.run(plan, write=True)
            await engine.dispose()
            started = asyncio.get_running_loop().time()
            await fake.wait_for(
                lambda: all(fake.messages(6000 + n) for n in range(200)), timeout=60
            )
            took = asyncio.get_running_loop().time() - started
            await asyncio.sleep(2)  # a second poll of both instances: nothing more goes out
            counts = [len(fake.messages(6000 + n)) for n in range(200)]
            assert counts == [1] * 200
            print(f"200 reminders through two instances: {took:.1f} s, each sent once")
            assert fake.errors == []


async def test_an_instance_killed_mid_burst_leaves_its_replies_to_the_other(
    tmp_path: Path,
) -> None:
    """30 users talk to the first instance while Telegram's flood control holds every reply;
    the first is killed (SIGKILL). The second delivers what the first had committed once its
    claims run out, each reply once."""
    people = range(5201, 5231)
    async with fresh_postgres_database() as url, FakeBotApi() as fake:
        await (await open_database(url)).dispose()  # migrated once, before both start
        async with (
            instance_process(fake, url, tmp_path) as (first, process),
            instance(fake, url, tmp_path),
            httpx.AsyncClient(timeout=10) as client,
        ):
            for user_id in people:
                fake.user(user_id, "Ada", "en")
            fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 10", 10,
                           times=10_000)  # fmt: skip
            for user_id in people:
                await post(client, first, message(fake, user_id, "/start"))
            await fake.wait_for(lambda: fake.calls_of("sendMessage"), timeout=60)  # refused
            await until_committed(url, people)  # every reply waits, none got through
            process.kill()
            await process.wait()
            fake.clear_failures("sendMessage")
            started = asyncio.get_running_loop().time()
            await fake.wait_for(
                lambda: all(
                    any("Which language" in m.plain_text for m in fake.messages(user_id))
                    for user_id in people
                ),
                timeout=90,
            )
            took = asyncio.get_running_loop().time() - started
            await asyncio.sleep(1)  # time for a wrong second copy
            assert [len(fake.messages(user_id)) for user_id in people] == [1] * len(people)
            print(f"the other instance delivered the dead one's {len(people)} replies "
                  f"{took:.1f} s after the kill")  # fmt: skip
