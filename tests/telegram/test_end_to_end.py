"""The real Telegram adapter, polling a fake Bot API server on loopback that answers like
Telegram (invalid HTML, 4096 characters, 64-byte button data, "not modified", double answers,
blocked users and flood limits are all errors there)."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import Settings
from bot.engine.conversation import Engine
from bot.service import ConversationService
from tests.conftest import write_records
from tests.telegram.harness import BotUnderTest, running_bot

ADA, JENS = 1001, 1002


async def test_commands_menu_is_set_in_both_languages(bot: BotUnderTest) -> None:
    commands = bot.fake.commands
    assert {"de", "en", None} <= set(commands)
    assert [c["command"] for c in commands["de"]][:4] == ["start", "help", "cancel", "exit"]
    assert "höflicher Satz" in next(
        c["description"] for c in commands["de"] if c["command"] == "exit"
    )


async def test_privacy_is_in_the_command_menu_and_answers_in_both_languages(
    bot: BotUnderTest,
) -> None:
    descriptions = {
        lang: next(c["description"] for c in bot.fake.commands[lang] if c["command"] == "privacy")
        for lang in ("de", "en")
    }
    assert descriptions == {
        "de": "Was ich über Dich speichere, und warum",
        "en": "What I store about you, and why",
    }
    bot.fake.user(JENS, "Jens", "de")
    await bot.say(JENS, "/privacy", expect="Was ich über Dich speichere")


async def test_onboarding_exit_mid_dialog_and_resume_in_english(bot: BotUnderTest) -> None:
    bot.fake.user(ADA, "Ada", "en-GB")
    welcome = await bot.say(ADA, "/start", expect="Exit Coach")
    assert "Which language" in welcome.plain_text  # one message: it spends the flood budget
    name = await bot.tap(ADA, "English", expect="What should I call you?")
    keyboard = name.reply_markup  # the exit button comes with the first question it can ride on
    assert (
        keyboard
        and keyboard["keyboard"][0][0]["text"] == "🚪 Get me out"
        and keyboard["is_persistent"]
    )
    await bot.say(ADA, "Ada", expect="What do you do for a living")
    # the persistent button, then two taps (leave a conversation, the reason): a line to say
    help_menu = await bot.say(ADA, "🚪 Get me out", expect="What's going on?")
    reasons = await bot.tap(ADA, "Leave a conversation", expect="Why do you", message=help_menu)
    line = await bot.tap(ADA, "Only small talk", expect="🗣 “", message=reasons)
    assert "It's nice to talk about something other than work" in line.plain_text
    again = await bot.tap(ADA, "Another line", expect="work questions", message=line)
    assert again.message_id == line.message_id and line.edit_count == 1  # edited in place
    await bot.tap(ADA, "Done", expect="What do you do for a living", message=line)
    await bot.say(ADA, "Web design for small shops", expect="What do you want it to bring you?")
    goals = bot.fake.last_message(ADA)
    await bot.tap(ADA, "Win customers", expect="bring you?", message=goals)
    assert any("✅" in b["text"] for b in goals.buttons)
    await bot.tap(ADA, "Done", expect="where are you?", message=goals)
    await bot.tap(ADA, "London", expect="What can I do for you, Ada?")
    session = await bot.service.session(ADA)
    assert session and session.profile.name == "Ada" and session.profile.goals == ["customers"]
    assert session.timezone == "Europe/London"  # asked, not assumed


async def test_german_user_gets_german(bot: BotUnderTest) -> None:
    bot.fake.user(JENS, "Jens", "de")
    await bot.say(JENS, "/start", expect="In welcher Sprache")
    await bot.tap(JENS, "Deutsch", expect="Wie darf ich Dich nennen?")
    await bot.say(JENS, "/exit", expect="Was ist los?")


async def test_stale_and_forged_buttons_get_an_answer_and_the_current_step(
    bot: BotUnderTest,
) -> None:
    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")
    language_question = bot.fake.last_message(ADA)
    await bot.tap(ADA, "English", expect="What should I call you?")
    await bot.tap(ADA, "Deutsch", expect="earlier message", message=language_question)
    assert "What should I call you?" in bot.fake.last_message(ADA).plain_text
    answer = next(c for c in reversed(bot.fake.calls) if c.method == "answerCallbackQuery")
    assert "earlier step" in answer.params["text"]
    mark = len(bot.fake.messages(ADA))
    query = bot.fake.tap(ADA, language_question.message_id, "v1.1.<script>", require_button=False)
    await bot.fake.wait_for(lambda: query not in bot.fake.unanswered_callback_queries())
    await bot.answer_after(ADA, mark, "What should I call you?")


async def test_bad_input_gets_a_friendly_answer_and_valid_html(bot: BotUnderTest) -> None:
    bot.fake.user(ADA)
    await bot.say(ADA, "/start@ExitCoachTestBot", expect="Which language")
    await bot.tap(ADA, "English", expect="What should I call you?")
    chat = {"id": ADA, "type": "private", "first_name": "Ada"}
    user = {"id": ADA, "is_bot": False, "first_name": "Ada", "language_code": "en"}
    sticker = {
        "file_id": "s",
        "file_unique_id": "s",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
    await bot.send(
        ADA,
        {"message": {"message_id": 900, "date": 0, "chat": chat, "from": user, "sticker": sticker}},
        expect="I can only read text",
    )
    await bot.send(
        ADA,
        {
            "message": {
                "message_id": 901,
                "date": 0,
                "chat": chat,
                "from": user,
                "location": {"latitude": 52.5, "longitude": 13.4},
            }
        },
        expect="What should I call you?",
    )
    await bot.say(ADA, "x" * 4096, expect="under 40 characters")
    await bot.say(ADA, "/nonsense", expect="I don't know the command /nonsense")
    await bot.say(ADA, "<b>Ada</b> & {{ 1+1 }} </i>", expect="What do you do for a living")
    assert "Nice to meet you, <b>Ada</b> & {{ 1+1 }} </i>!" in bot.fake.last_message(ADA).plain_text
    await bot.say(ADA, "fixed typo", expect="You edited a message", edited=True)


async def test_groups_are_told_once_and_nothing_is_stored(bot: BotUnderTest) -> None:
    group = {"id": -500, "type": "group", "title": "Networkers"}
    user = {"id": ADA, "is_bot": False, "first_name": "Ada", "language_code": "de"}
    bot.fake.send_update(
        {"message": {"message_id": 1, "date": 0, "chat": group, "from": user, "text": "/start"}}
    )
    await bot.fake.wait_for(lambda: len(bot.fake.messages(-500)) == 1)
    assert "privaten Chat" in bot.fake.messages(-500)[0].plain_text
    bot.fake.send_update(
        {"message": {"message_id": 2, "date": 0, "chat": group, "from": user, "text": "/exit"}}
    )
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates)
    await asyncio.sleep(0.3)  # time enough to answer, if it wrongly would
    assert len(bot.fake.messages(-500)) == 1
    assert await bot.service.session(ADA) is None


async def test_blocked_user_is_remembered_without_errors_reaching_the_user(
    settings: Settings, engine: Engine, service: ConversationService
) -> None:
    async with running_bot(settings, engine, service) as bot:
        bot.fake.user(ADA)
        await bot.say(ADA, "/start", expect="Which language")
        bot.fake.block(ADA)
        bot.fake.send_text(ADA, "hello")
        await bot.fake.wait_for(lambda: any(c.status == 403 for c in bot.fake.errors))
        await bot.fake.wait_for(lambda: not bot.fake.pending_updates)
        for _ in range(100):
            if await service.store.is_blocked(ADA):
                break
            await asyncio.sleep(0.01)
        assert await service.store.is_blocked(ADA)
        assert all(c.status == 403 for c in bot.fake.errors)


async def test_flood_limit_is_waited_out(
    settings: Settings, engine: Engine, service: ConversationService
) -> None:
    async with running_bot(settings, engine, service) as bot:
        bot.fake.user(ADA)
        bot.fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        await bot.say(ADA, "/start", expect="Which language")
        assert [c.status for c in bot.fake.errors] == [429]


async def test_journal_chart_and_export_arrive_as_files(bot: BotUnderTest, clock) -> None:
    from bot.coach.samples import sample_records

    bot.fake.user(ADA)
    await bot.say(ADA, "/start", expect="Which language")
    await bot.tap(ADA, "English", expect="What should I call you?")
    await write_records(bot.service, ADA, lambda r: sample_records(r, clock.now, "Club & <Co>"))
    mark = len(bot.fake.messages(ADA))
    await bot.say(ADA, "/journal", expect="Your journal")
    await bot.fake.wait_for(lambda: any(m.photo for m in bot.fake.messages(ADA)[mark:]))
    photo = next(m.photo for m in bot.fake.messages(ADA)[mark:] if m.photo)
    assert photo.filename == "journal.png" and (photo.size or 0) > 1000
    await bot.say(ADA, "/export", expect="everything I know about you")
    await bot.fake.wait_for(lambda: any(m.document for m in bot.fake.messages(ADA)))
    document = next(m.document for m in bot.fake.messages(ADA) if m.document)
    assert document.filename == "exit-coach-export.json"


async def test_the_token_never_reaches_the_logs(
    bot: BotUnderTest, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from bot.cli import configure_logging

    token = bot.fake.token
    bot.fake.user(ADA)
    httpx_logger = logging.getLogger("httpx")
    caplog.set_level(logging.INFO)
    httpx_logger.setLevel(logging.NOTSET)  # as without our set-up: httpx logs every URL
    await bot.say(ADA, "/start", expect="Which language")
    assert token in caplog.text  # proves this test can see a leak
    caplog.clear()
    configure_logging(settings)
    caplog.set_level(logging.INFO)
    await bot.tap(ADA, "English", expect="What should I call you?")
    assert token not in caplog.text


async def test_blocking_the_bot_is_noticed_at_once(bot: BotUnderTest) -> None:
    """Telegram's my_chat_member update: the user's reminders stop before any send fails."""
    from bot.store.reminders import ReminderStore
    from tests.dialog_client import DialogClient

    client = DialogClient(bot.service, user_id=ADA)
    await client.onboard()
    await client.followup()
    reminders = ReminderStore(bot.service.store.database)
    assert len(await reminders.pending(ADA)) == 1
    user = {"id": ADA, "is_bot": False, "first_name": "Ada"}
    me = {"id": 1, "is_bot": True, "first_name": "Exit Coach Test", "username": "ExitCoachTestBot"}
    bot.fake.send_update(
        {
            "my_chat_member": {
                "chat": {"id": ADA, "type": "private", "first_name": "Ada"},
                "from": user,
                "date": 0,
                "old_chat_member": {"status": "member", "user": me},
                "new_chat_member": {"status": "kicked", "user": me, "until_date": 0},
            }
        }
    )
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates)
    for _ in range(100):
        if await bot.service.store.is_blocked(ADA):
            break
        await asyncio.sleep(0.01)
    assert await bot.service.store.is_blocked(ADA)
    assert await reminders.pending(ADA) == []
