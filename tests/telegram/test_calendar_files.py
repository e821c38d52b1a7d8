"""Calendar files through the real Telegram adapter and the fake Bot API: a user sends an
event's .ics (a document) and /prepare starts with it filled in; the saved event comes back as
an .ics document; other files, broken ones and big ones get a kind word and lose nothing."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from tests.telegram.harness import BotUnderTest

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
ADA, JENS = 1101, 1102


async def onboard(bot: BotUnderTest, user: int, lang: str) -> None:
    steps = {
        "en": ("Which language", "English", "What should I call you?", "Ada",
               "What do you do", "bring you?", "Win customers", "Done", "What can I do for you"),
        "de": ("In welcher Sprache", "Deutsch", "Wie darf ich Dich nennen?", "Jens",
               "Was machst Du beruflich", "bringen?", "Kunden gewinnen", "Fertig",
               "Was kann ich für Dich tun"),
    }  # fmt: skip
    asked, language, call, name, work, bring, goal, done, menu = steps[lang]
    bot.fake.user(user, name, lang)
    await bot.say(user, "/start", expect="Exit")
    await bot.answer_after(user, 0, asked)
    await bot.tap(user, language, expect=call)
    await bot.say(user, name, expect=work)
    goals = await bot.say(user, "Web design for small shops", expect=bring)
    await bot.tap(user, goal, expect=bring, message=goals)
    if lang == "de":  # German speakers keep Berlin time; others are asked where they are
        await bot.tap(user, done, expect=menu, message=goals)
    else:
        await bot.tap(user, done, expect="where are you?", message=goals)
        await bot.tap(user, "Berlin / Central Europe", expect=menu)


async def send_file(
    bot: BotUnderTest, user: int, name: str, content: bytes, expect: str, **kwargs: object
) -> str:
    mark = len(bot.fake.messages(user))
    bot.fake.send_document(user, name, content, **kwargs)  # type: ignore[arg-type]
    await bot.answer_after(user, mark, expect)
    return bot.texts_since(user, mark)


async def test_an_ics_starts_prepare_and_the_saved_event_comes_back_as_ics(
    bot: BotUnderTest,
) -> None:
    await onboard(bot, ADA, "en")
    text = await send_file(
        bot, ADA, "invite.ics", (FILES / "google_meet.ics").read_bytes(), expect="fit your business"
    )
    assert "From your calendar file: Köpfchen-Talk: Netzwerken für Stille (💻 Online)" in text
    # asked only what the file does not say: no name, no online/in person, no time
    for label in ("Yes", "Yes", "Win customers", "3"):
        await bot.tap_through(ADA, label, expect="")
    await bot.say_through(ADA, "Owners of small shops", expect="Give first")
    await bot.say_through(ADA, "A checklist", expect="introduction")
    for label in ("Use this", "different world", "Awkward silence"):
        await bot.tap_through(ADA, label, expect="")
    await bot.tap_through(ADA, "Done", expect="network")
    await bot.tap_through(ADA, "Skip", expect="Here's what I understood")
    assert "Thu 3 Dec 2026, 18:30 until 20:00" in bot.fake.last_message(ADA).plain_text
    await bot.tap(ADA, "That's right", expect="Saved")
    mark = len(bot.fake.messages(ADA))
    await bot.tap(ADA, "Add to my calendar", expect="Here's the file")
    await bot.fake.wait_for(lambda: any(m.document for m in bot.fake.messages(ADA)[mark:]))
    sent = next(m.document for m in bot.fake.messages(ADA)[mark:] if m.document)
    assert sent is not None and sent.filename == "Köpfchen-Talk-Netzwerken-für-Stille.ics"
    (event,) = Calendar.from_ical(sent.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Köpfchen-Talk: Netzwerken für Stille"
    assert event["DTSTART"].to_ical() == b"20261203T173000Z"
    description = str(event["DESCRIPTION"])
    assert (
        "Prepared with Exit Coach." in description and "Contacts to look for: Owners of small shops" in description
    )
    assert "<b>" not in description  # plain text, not Telegram's HTML


async def test_other_broken_and_big_files_lose_nothing(bot: BotUnderTest) -> None:
    await onboard(bot, JENS, "de")
    await bot.say(JENS, "/followup", expect="Wen")
    text = await send_file(
        bot, JENS, "Lebenslauf.pdf", b"%PDF-1.4", expect="Wen", mime_type="application/pdf"
    )
    assert "diese Art Datei nicht" in text
    text = await send_file(
        bot, JENS, "kaputt.ics", (FILES / "broken.ics").read_bytes(), expect="Wen"
    )
    assert "Diese Kalenderdatei konnte ich nicht lesen" in text
    text = await send_file(bot, JENS, "riesig.ics", b"x", expect="Wen", file_size=5_000_000)
    assert "zu groß" in text
    text = await send_file(
        bot, JENS, "aufgaben.ics", (FILES / "todo_only.ics").read_bytes(), expect="Wen"
    )
    assert "keine Veranstaltung" in text
    # only the two calendar files of a fitting size were fetched
    assert len(bot.fake.calls_of("getFile")) == 2
    # and the follow-up goes on where it was
    await bot.say(JENS, "Dr. Anna Schmidt", expect="Dr. Schmidt")
