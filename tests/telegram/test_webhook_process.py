"""`exit-coach run` in webhook mode as a real process: SIGTERM refuses new calls with 503,
finishes the update in hand, and exits 0."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx

from bot.testkit.fake_bot_api import FakeBotApi
from tests.telegram.test_webhook import SECRET, free_port, start_update

ROOT = Path(__file__).resolve().parents[2]
USER, LATE_USER = 4001, 4002


async def bot_process(
    tmp_path: Path, fake: FakeBotApi, **settings: str
) -> asyncio.subprocess.Process:
    """`exit-coach run` on a fresh SQLite file against `fake`, with these settings (none of
    the environment's WEBHOOK_, LOG_ or METRICS_ ones); stderr piped for the log."""
    prefixes = ("WEBHOOK_", "LOG_", "METRICS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_BASE_URL=fake.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path}/data/bot.db",
        PYTHONPATH=str(ROOT),
        **settings,
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def until_healthy(
    client: httpx.AsyncClient, url: str, process: asyncio.subprocess.Process
) -> None:
    """Wait for `GET url` to say 200; start-up (imports, migrations) takes a few seconds."""
    health = 0
    for _ in range(1500):
        try:
            health = (await client.get(url)).status_code
        except httpx.TransportError:
            health = 0
        if health == 200 or process.returncode is not None:
            break
        await asyncio.sleep(0.02)
    assert health == 200, "the bot did not become healthy"


async def test_sigterm_finishes_the_update_in_hand_then_exits(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeBotApi() as fake, httpx.AsyncClient(timeout=10) as client:
        process = await bot_process(
            tmp_path,
            fake,
            WEBHOOK_URL="https://bot.example.org/hook",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            PORT=str(port),
            LOG_LEVEL="INFO",
        )
        try:
            await until_healthy(client, f"{base}/healthz", process)
            # healthy means it takes updates; registering the webhook may finish a moment later
            await fake.wait_for(lambda: "secret_token" in fake.webhook_params, timeout=15)
            assert fake.webhook_params["secret_token"] == SECRET

            fake.user(USER)
            fake.user(LATE_USER)
            gate = fake.hold("sendMessage")
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            posted = await client.post(f"{base}/hook", json=start_update(1, USER), headers=headers)
            assert posted.status_code == 200
            await fake.wait_for(lambda: gate.waiting == 1, timeout=15)

            process.send_signal(signal.SIGTERM)
            health = 200
            for _ in range(500):  # the load balancer sees the instance leave at once
                health = (await client.get(f"{base}/healthz")).status_code
                if health == 503:
                    break
                await asyncio.sleep(0.01)
            assert health == 503
            late = await client.post(f"{base}/hook", json=start_update(2, LATE_USER), headers=headers)
            assert late.status_code == 503  # Telegram retries it, at another instance
            assert process.returncode is None  # still finishing the update in hand

            gate.release()
            assert await asyncio.wait_for(process.wait(), timeout=20) == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert any("Which language" in m.plain_text for m in fake.messages(USER))
        assert not fake.messages(LATE_USER)
        assert process.stderr is not None
        log = (await process.stderr.read()).decode()
        assert "finishing the updates in hand" in log and "every update in hand is done" in log
        assert fake.token not in log and SECRET not in log
