"""Webhook mode: the bot listens on WEBHOOK_URL's path and refuses calls without the secret."""

from __future__ import annotations

import socket

import httpx
from pydantic import SecretStr

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.service import ConversationService
from bot.telegram.application import build_application, webhook_options
from tests.fake_bot_api import FakeBotApi


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_answers_telegram_and_refuses_strangers(
    settings: Settings, engine: Engine, service: ConversationService
) -> None:
    port = free_port()
    async with FakeBotApi() as fake:
        settings = settings.model_copy(
            update={
                "telegram_base_url": fake.base_url,
                "webhook_url": "https://bot.example.org/telegram/hook",
                "webhook_secret": SecretStr("s3cret-token"),
                "port": port,
            }
        )
        options = webhook_options(settings)
        assert options["url_path"] == "telegram/hook"
        application = build_application(settings, engine=engine, service=service)
        async with application:
            await application.post_init(application)  # type: ignore[misc]
            await application.start()
            assert application.updater is not None
            await application.updater.start_webhook(**{**options, "listen": "127.0.0.1"})
            try:
                assert fake.webhook_url == "https://bot.example.org/telegram/hook"
                fake.user(41)
                update = {
                    "update_id": 1,
                    "message": {
                        "message_id": 1,
                        "date": 0,
                        "text": "/start",
                        "chat": {"id": 41, "type": "private", "first_name": "Ada"},
                        "from": {
                            "id": 41,
                            "is_bot": False,
                            "first_name": "Ada",
                            "language_code": "en",
                        },
                        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                    },
                }
                url = f"http://127.0.0.1:{port}/telegram/hook"
                async with httpx.AsyncClient() as client:
                    stranger = await client.post(url, json=update)
                    assert stranger.status_code == 403
                    telegram = await client.post(
                        url,
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
                    )
                    assert telegram.status_code == 200
                await fake.wait_for(
                    lambda: any("Which language" in m.plain_text for m in fake.messages(41))
                )
            finally:
                await application.updater.stop()
                await application.stop()
