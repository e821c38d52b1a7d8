"""Durable reminders with a controllable clock: run once when due, kept across a restart, sent
through the outbox (a failed send waits there, the dialog never runs twice), a failing dialog
tried again later and given up after a few, never an apology, never for a user who blocked the
bot."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.engine.domain import PlanReminder
from bot.engine.session import Session
from bot.reminders import BATCH, ReminderRunner
from bot.service import ConversationService
from bot.store import outbox
from bot.store.database import open_database
from bot.store.reminders import LEASE, MAX_ATTEMPTS, RETRY_AFTER, ReminderStore
from bot.store.sessions import SessionStore
from tests.conftest import Clock
from tests.outbox_line import RecordingLine, send_through


@pytest.fixture
def line(service: ConversationService) -> RecordingLine:
    return send_through(service, RecordingLine())


def runner_of(service: ConversationService) -> ReminderRunner:
    return ReminderRunner(service, ReminderStore(service.store.database))


async def plan(service: ConversationService, user_id: int, minutes: int, key: str = "k") -> None:
    due = service.clock() + timedelta(minutes=minutes)
    session = await service.session(user_id) or Session(user_id=user_id)
    await service.store.save(session, [PlanReminder(key, due, "help")])


async def waiting(service: ConversationService, user_id: int) -> int:
    return await service.store.database.run(
        lambda connection: outbox.pending_count(connection, user_id)
    )


async def test_sent_once_when_due_and_not_before(
    service: ConversationService, clock: Clock, line: RecordingLine
) -> None:
    runner = runner_of(service)
    await plan(service, 1, minutes=10)
    assert await runner.run_due() == 0
    clock.advance(minutes=10)
    assert await runner.run_due() == 1
    assert await runner.run_due() == 0
    [message] = line.messages(1)
    assert "How I can help" in message.html
    assert await waiting(service, 1) == 0


async def test_a_restart_loses_no_reminder(
    settings: Settings, engine: Engine, clock: Clock
) -> None:
    first = await open_database(settings.database_url)
    await plan(ConversationService(engine, SessionStore(first), clock=clock), 1, minutes=5)
    await first.dispose()  # the process ends (the store is a file: nothing is in memory)
    clock.advance(minutes=30)
    second = await open_database(settings.database_url)
    service = ConversationService(engine, SessionStore(second), clock=clock)
    line = send_through(service, RecordingLine())
    assert await ReminderRunner(service, ReminderStore(second)).run_due() == 1
    assert len(line.messages(1)) == 1
    await second.dispose()


async def test_a_failed_send_waits_in_the_outbox_and_the_dialog_never_runs_twice(
    service: ConversationService, clock: Clock, line: RecordingLine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    runner = runner_of(service)
    await plan(service, 1, minutes=0)
    runs = []
    original = service.engine.handle
    monkeypatch.setattr(
        service.engine, "handle", lambda *a, **k: runs.append(a[1]) or original(*a, **k)
    )
    line.down = True
    assert await runner.run_due() == 1  # run, and its message committed to the outbox
    assert line.messages(1) == [] and await waiting(service, 1) == 1
    assert await ReminderStore(service.store.database).pending(1) == []  # done: never again
    line.down = False
    clock.advance(minutes=1)
    assert service.sender is not None
    await service.sender.sweep()
    assert len(runs) == 1  # the dialog ran once; the retry sent what it had rendered
    assert "How I can help" in line.messages(1)[0].html and await waiting(service, 1) == 0


async def test_a_failing_dialog_is_tried_again_later_never_apologised_for_and_given_up(
    service: ConversationService, clock: Clock, line: RecordingLine,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    store = ReminderStore(service.store.database)
    runner = runner_of(service)
    await plan(service, 1, minutes=0)
    original = service.engine.handle

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the reminder's dialog")

    monkeypatch.setattr(service.engine, "handle", explode)
    assert await runner.run_due() == 0
    assert await runner.run_due() == 0  # not at once: the cause may need a moment to go away
    monkeypatch.setattr(service.engine, "handle", original)
    clock.advance(seconds=RETRY_AFTER.total_seconds())
    assert await runner.run_due() == 1  # a later run tries again
    assert ["How I can help" in m.html for m in line.messages(1)] == [True]  # and no apology

    monkeypatch.setattr(service.engine, "handle", explode)
    await plan(service, 2, minutes=0)
    with caplog.at_level(logging.ERROR):
        for attempt in range(MAX_ATTEMPTS):
            await runner.run_due()
            clock.advance(seconds=RETRY_AFTER.total_seconds() * 2**attempt)
    assert await store.pending(2) == []  # given up, not retried for ever
    assert line.messages(2) == []  # never "sorry, something went wrong" for a reminder
    assert any("giving up" in r.getMessage() for r in caplog.records)


async def test_a_claim_of_a_dead_instance_runs_out_and_another_takes_over(
    service: ConversationService, clock: Clock, line: RecordingLine
) -> None:
    store = ReminderStore(service.store.database)
    await plan(service, 1, minutes=0)
    [claimed] = await store.claim(clock.now)  # an instance claims it, then dies
    assert await runner_of(service).run_due() == 0  # its lease holds
    clock.advance(seconds=LEASE.total_seconds())
    assert await runner_of(service).run_due() == 1
    assert await store.pending(1) == [] and len(line.messages(1)) == 1


async def test_a_burst_is_sent_until_nothing_is_due(
    service: ConversationService, clock: Clock, line: RecordingLine
) -> None:
    """More reminders due than one batch: one run sends them all, each once."""
    for user_id in range(1, BATCH + 31):
        await plan(service, user_id, minutes=0)
    assert await runner_of(service).run_due() == BATCH + 30
    got = sorted(user for user, _ in line.delivered)
    assert got == list(range(1, BATCH + 31))  # each user one message


async def test_blocked_user_gets_none_and_none_pile_up(
    service: ConversationService, line: RecordingLine
) -> None:
    store = ReminderStore(service.store.database)
    await plan(service, 1, minutes=0, key="a")
    await plan(service, 1, minutes=60, key="b")
    await service.store.mark_blocked(1)
    assert await store.pending(1) == []
    assert await runner_of(service).run_due() == 0


async def test_planning_again_moves_but_never_resends(
    service: ConversationService, clock: Clock, line: RecordingLine
) -> None:
    runner = runner_of(service)
    await plan(service, 1, minutes=0)
    assert await runner.run_due() == 1
    session = await service.session(1)
    assert session is not None
    await service.store.save(session, [PlanReminder("k", clock.now, "help")])  # same time again
    assert await runner.run_due() == 0
    session = await service.session(1)
    assert session is not None
    await service.store.save(session, [PlanReminder("k", clock.now + timedelta(hours=1), "help")])
    clock.advance(hours=1)
    assert await runner.run_due() == 1  # moved: due again at the new time
    assert len(line.messages(1)) == 2


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
async def test_reminder_times_survive_a_dst_change(zone: str, tmp_path: Path) -> None:
    """Stored in UTC: the cheat sheet before an event right after the DST change is still
    exactly REMINDER_BEFORE_MINUTES before its start."""
    from datetime import UTC, datetime

    from bot.coach.events import plan_event_reminders
    from bot.coach.journal import Event
    from bot.coach.policy import CoachPolicy
    from bot.coach.when import parse_when

    now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)  # before both zones change (8 and 29 March)
    start = parse_when(
        "3.4. 18:30" if zone == "Europe/Berlin" else "Apr 3 6:30pm",
        "de" if zone == "Europe/Berlin" else "en",
        zone,
        now,
    )
    event = Event(
        name="x",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        goal="exchange",
        created_at=now,
    )
    plans = [
        p for p in plan_event_reminders(event, now, CoachPolicy()) if isinstance(p, PlanReminder)
    ]
    assert plans[0].due_at == start - timedelta(minutes=60)
    assert start.hour == (16 if zone == "Europe/Berlin" else 22)  # summer time: UTC+2 / UTC-4


async def test_open_followups_are_nudged_until_done(
    service: ConversationService, clock: Clock, line: RecordingLine
) -> None:
    from bot.engine.io import Reply
    from tests.dialog_client import DialogClient

    client = DialogClient(service, user_id=4)
    await client.onboard()
    await client.followup()
    await client.tap("Later")
    runner = runner_of(service)
    for _ in range(2):  # ignored: it comes again
        clock.advance(days=2)
        assert await runner.run_due() == 1
        assert "have you followed up with <b>Ben</b> yet" in line.messages(4)[-1].html
    client.replies.append(Reply([line.messages(4)[-1]]))
    await client.tap("Sent")
    clock.advance(days=30)
    assert await runner.run_due() == 0
