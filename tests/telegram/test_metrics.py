"""`GET /metrics` on the webhook's port: after a few updates (one of them refused once with a
429 on the way), the counters, the turn histogram, the database's gauges and the build info
say what happened."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert

from bot.config import Settings
from bot.service import ConversationService
from bot.store.reminders import to_db
from bot.store.schema import reminders
from tests.telegram.test_webhook import start_update, webhook

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def tap_update(update_id: int, user_id: int, chat_id: int, message_id: int, data: str) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "from": user,
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private", "first_name": "Ada"},
                "from": {"id": 123456, "is_bot": True, "first_name": "Exit Coach Test"},
                "text": "Which language?",
            },
        },
    }


async def test_metrics_after_a_short_session(
    settings: Settings, service: ConversationService
) -> None:
    async with webhook(settings, service) as hook:
        metrics_url = hook.health.replace("/healthz", "/metrics")
        before = parse((await hook.client.get(metrics_url)).text)

        hook.fake.user(81)
        hook.fake.user(82)
        hook.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1)
        assert await hook.post(start_update(1, 81)) == 200
        assert await hook.post(start_update(2, 82)) == 200
        await hook.fake.wait_for(lambda: hook.answered(81) and hook.answered(82), timeout=15)
        assert await hook.post(start_update(2, 82)) == 200  # Telegram delivering it again
        forged = tap_update(3, 81, chat_id=82, message_id=1, data="v1.x.y")
        assert await hook.post(forged) == 200
        await hook.fake.wait_for(lambda: hook.fake.calls_of("answerCallbackQuery"))

        # A reminder due ten minutes ago that another instance holds: due, overdue, waiting.
        now = service.clock()  # the time the bot goes by (a test clock here)
        held = insert(reminders).values(
            user_id=81, key="k", due_at=to_db(now - timedelta(minutes=10)), dialog="help",
            answers="{}", attempts=0, claimed_until=to_db(now + timedelta(hours=1)),
        )  # fmt: skip
        await service.store.database.run(lambda connection: connection.execute(held), write=True)

        response = await hook.client.get(metrics_url)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        after = parse(response.text)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("exit_coach_updates_total", kind="command", outcome="ok") == 2
    assert grew("exit_coach_updates_redelivered_total") == 1  # recognised when kept
    assert grew("exit_coach_updates_total", kind="tap", outcome="ignored") == 1
    assert grew("exit_coach_turn_duration_seconds_count", kind="command") == 2
    assert grew("exit_coach_turn_duration_seconds_sum", kind="command") > 0
    assert grew("exit_coach_replies_sent_total") == 2
    assert value(after, "exit_coach_replies_failed_total", reason="blocked") >= 0  # shown at 0
    assert grew("exit_coach_telegram_429_total", method="sendMessage") == 1
    assert value(after, "exit_coach_reminders_due") == 1
    assert value(after, "exit_coach_reminders_overdue") == 1
    assert 600 <= value(after, "exit_coach_oldest_due_reminder_age_seconds") < 700
    assert value(after, "exit_coach_database_up") == 1
    assert value(after, "exit_coach_store_queue_depth") == 0  # nothing waiting any more
    build = next(labels for (name, labels) in after if name == "exit_coach_build_info")
    assert dict(build)["version"] == "0.1.0" and dict(build)["schema_revision"]
    assert value(after, "process_resident_memory_bytes") > 0  # the process's own, for free
    assert not [name for (name, _) in after if name.endswith("_created")]  # no doubled series
