"""Follow-up drafts and the coach's questions around them, over many answers as people really type
them, in both languages: companies typed as "the … team", long event names with brackets and
dashes, gives that mix a promise with an introduction or describe the person in brackets, short
topics about the reader's own thing, titled contacts, and shrugs. Each case asserts what a native
reader accepts: nothing typed pasted in, nothing invented, grammatical wrapping (review items M8,
M9, M14, M15, S8–S12, S17, S18, S20)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.coach.addressee import organisation_label, organisation_name
from bot.coach.drafts import addressee, call_name, draft_plan, give_answer
from bot.coach.journal import Contact, Event
from bot.coach.notes import is_shrug, read_give, read_topic
from bot.coach.wording import event_short, template_filters
from bot.engine.render import Renderer
from bot.engine.telegram_html import visible_text

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
CHANNELS = ("linkedin", "email", "messenger", "coffee", "introduction")
LANGS = ("de", "en")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROMPTS, filters=template_filters())


def event(name: str) -> Event:
    return Event(
        name=name, starts_at=NOW - timedelta(hours=3), ends_at=NOW - timedelta(hours=1),
        goal="customers", created_at=NOW - timedelta(days=2),
    )  # fmt: skip


def contact(**fields: Any) -> Contact:
    base = {"name": "Anna Berg", "channel": "email", "topic": "x", "met_online": False,
            "address": "informal"}  # fmt: skip
    return Contact(created_at=NOW, **{**base, **fields})


def message(renderer: Renderer, lang: str, c: Contact, met: Event | None = None) -> str:
    """The draft's message as the user copies it."""
    view = {"contact": c, "draft": draft_plan(lang, c, met), "nudge_days": 2}
    html = renderer.render_one(
        lang, "followup/draft", profile={"name": "Mira"}, answers={}, view=view, lang=lang,
        resume_title=None,
    )  # fmt: skip
    return visible_text(html.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0])


def question(renderer: Renderer, lang: str, step: str, c: Contact) -> str:
    """One of the coach's questions about the contact (`followup/<step>`)."""
    to = addressee(lang, c)
    view = {
        "to": to,
        "call": call_name(lang, c.name, to, c.address),
        "organisation": organisation_label(c.organisation) if c.organisation else None,
        "events": False,
        "ideas": ["tip", "introduction", "resource", "question"],
    }
    html = renderer.render_one(
        lang, f"followup/{step}", profile={"name": "Mira"}, answers={"contact_name": c.name},
        view=view, lang=lang, resume_title=None,
    )  # fmt: skip
    return visible_text(html)


GRAMMAR = [r"  ", r" [.,!?:]", r"\.\.", r"\bNone\b", r"\bthe the\b", r"\bat the [A-Z][^.]*\(",
           r"\bteam team\b", r"\bTeam von Team\b", r"\bat the \w+ \w+ team\b", r"„“", r",,",
           r"\bHerr (?!Prof|Dr|\[)[A-ZÄÖÜ][a-zäöüß]+ [A-ZÄÖÜ]"]  # fmt: skip
CHAT = re.compile(r"\blol\b|\bidk\b|\btbh\b|\bevtl\b|\bvllt\b|\bnen\b|[\U0001F300-\U0001FAFF]")


def assert_clean(text: str) -> None:
    for pattern in GRAMMAR:
        assert not re.search(pattern, text), (pattern, text)
    assert not CHAT.search(text), text


# -- M14/S20: an organisation typed with "the … team" is wrapped once --------------------------

ORGANISATIONS = {
    "en": [
        ("the Crumbs Bakery team", "Crumbs Bakery"),
        ("The Crumbs Bakery Team", "Crumbs Bakery"),
        ("Crumbs Bakery team", "Crumbs Bakery"),
        ("team at Greenleaf Studios Ltd", "Greenleaf Studios"),
        ("the team from Acme Ltd.", "Acme"),
        ("Crumbs & Co Bakery", "Crumbs & Co Bakery"),
        ("Greenleaf Studios Ltd", "Greenleaf Studios"),
        ("the folks at Northwind Consulting", "Northwind Consulting"),
        ("our Bright Media crew", "Bright Media"),
        ("Bristol Physio Group", "Bristol Physio Group"),
        ("the Riverside Dental Practice team", "Riverside Dental Practice"),
        ("Smith & Sons Ltd", "Smith & Sons"),
        ("the Body Shop team", "Body Shop"),
        ("IBM", "IBM"),
    ],
    "de": [
        ("das Team von Müller & Söhne", "Müller & Söhne"),
        ("Müller & Söhne", "Müller & Söhne"),
        ("die Schreinerei Holzwurm GmbH", "Schreinerei Holzwurm"),
        ("Schreinerei Holzwurm GmbH", "Schreinerei Holzwurm"),
        ("das Holzwurm-Team", "Holzwurm"),
        ("Team der Sparkasse Ulm", "Sparkasse Ulm"),
        ("Werbeagentur Blau e.V.", "Werbeagentur Blau"),
        ("Kanzlei Brandt & Partner", "Kanzlei Brandt & Partner"),
        ("Bäckerei Kamps GmbH & Co. KG", "Bäckerei Kamps"),
        ("das Team vom Impact Hub", "Impact Hub"),
        ("Steuerkanzlei Meier", "Steuerkanzlei Meier"),
        ("die Leute von der Druckerei Weiß", "Druckerei Weiß"),
        ("Verein Gründerinnen e.V.", "Verein Gründerinnen"),
        ("Studio Nord UG (haftungsbeschränkt)", "Studio Nord"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_a_team_typed_as_such_is_greeted_once(renderer: Renderer, lang: str) -> None:
    for typed, name in ORGANISATIONS[lang]:
        assert organisation_name(typed), typed
        for du in (True, False):
            c = contact(name=typed, organisation=typed, address="informal" if du else "formal")
            for channel in CHANNELS:
                text = message(renderer, lang, c.model_copy(update={"channel": channel}))
                body = text.split("\n\n", 1)[1] if channel == "email" else text
                assert name in body.split(",", 1)[0], (typed, body)
                # no typed article left before the name („Team der Schreinerei“ is the coach's)
                assert not re.search(r"\b(?:the|das|die)\s+" + re.escape(name), body[:80])
                assert_clean(text)
            asked = question(renderer, lang, "address", c)
            assert name in asked, asked
            assert not re.search(
                r"team at (?:the|team)\b|\bteam\W+(?:on|per)\b|Team von „(?:das|die|der|Team) ",
                asked,
                re.I,
            ), asked
            assert name in question(renderer, lang, "org_person", c)


# -- M15/S8: an event's name in a message: short, no article glued on --------------------------

EVENTS = [
    ("Founders & Coffee (Bristol) – Nov edition", "Founders & Coffee"),
    ("Unternehmer-Netzwerk Rhein-Main: Sommerfest 2026 mit Grillbuffet & Vortrag",
     "Unternehmer-Netzwerk Rhein-Main: Sommerfest 2026"),  # the event, not only its organiser
    ("Gründerfrühstück (IHK) – Thema: Finanzierung", "Gründerfrühstück"),
    ("SaaS Growth Meetup #44 [online]", "SaaS Growth Meetup"),
    ("Impact Hub – Unternehmerfrühstück", "Impact Hub – Unternehmerfrühstück"),  # a place, then the event
    ("Impact Hub – Unternehmerfrühstück (Dezember)", "Impact Hub – Unternehmerfrühstück"),
    ("XING-Regionalgruppe Köln: After-Work", "XING-Regionalgruppe Köln: After-Work"),
    ("Startup Grind Manchester: Fireside w/ Jane Porter", "Startup Grind Manchester: Fireside"),
    ("BNI – Chapter Augsburg", "BNI"),
    ("IHK-Forum 2026: KI im Mittelstand", "IHK-Forum 2026"),
    ("Köpfchen-Talk - Folge 3", "Köpfchen-Talk"),
    ("Tech & Tacos, Leeds", "Tech & Tacos"),
    ('"Scaling Without Burnout" webinar pt. 2', "Scaling Without Burnout"),
    ("„Zukunft Handwerk“ – Abendveranstaltung", "Zukunft Handwerk"),
    ("Meetup (Bristol)", "Meetup (Bristol)"),  # "Meetup" alone names no event
    ("Retail Meetup", "Retail Meetup"),
    ("Handwerker-Stammtisch", "Handwerker-Stammtisch"),
    ("Chamber of Commerce mixer", "Chamber of Commerce mixer"),
    ("Day 1: Opening", "Day 1: Opening"),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "short"), EVENTS)
def test_a_long_event_name_is_named_short(typed: str, short: str) -> None:
    assert event_short("en", typed) == short


@pytest.mark.parametrize("lang", LANGS)
def test_messages_name_the_event_short_and_without_a_glued_article(
    renderer: Renderer, lang: str
) -> None:
    for typed, short in EVENTS:
        for channel in CHANNELS:
            text = message(renderer, lang, contact(channel=channel), event(typed))
            assert short in text, (typed, text)
            if short != typed:
                assert typed not in text, text
            if lang == "de":
                assert f"bei der Veranstaltung „{short}“" in text, text
            else:
                generic = short.split()[-1].casefold() in {"meetup", "mixer"}
                article = "at the " if generic else "at "
                assert f"{article}{short}" in text and "at the the" not in text, text
            assert_clean(text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_morning_list_names_the_event_short(renderer: Renderer, lang: str) -> None:
    for typed, short in EVENTS:
        c = contact(note="bike shop")
        view = {"contacts": [{"contact": c, "event": typed}], "shared_event": typed}
        html = renderer.render_one(
            lang, "followup/caught", profile={}, answers={}, view=view, lang=lang,
            resume_title=None,
        )  # fmt: skip
        text = visible_text(html)
        assert short in text and (short == typed or typed not in text), text
        assert "at the the" not in text and not re.search(r"at the [^:]*\(", text), text


# -- M8/M9: gives read part by part: nothing invented, a promise kept beside an introduction ----

# (typed give, the kind of thing the draft may name, or None: no thing named)
GIVES = {
    "de": [
        ("ihr 2-3 beispiele aus meinem portfolio schicken + vllt intro zu Ben (der macht günstig apps)",
         "Beispiele meiner Arbeit"),
        ("termin für die führung vorschlagen + evtl kontakt zu meinem holzhändler (Fa. Brettschneider)",
         None),
        ("ihm meine checkliste schicken + evtl kontakt zu jonas", "Checkliste"),
        ("hilfe bei ihrer app", None),
        ("feedback zu seiner Präsentation", None),
        ("die aufnahme vom vortrag schicken", None),
        ("meine Präsentationsvorlage", "Vorlage"),
        ("Tipp für eine gute Steuerberaterin", "Tipp"),
        ("den Link zum Förderprogramm.", "Link"),
        ("kontakt zu Müller & Söhne herstellen", None),
        ("beim umzug helfen lol", None),
        ("nen podcast 🎧", "Podcast"),
        ("Buchtipp: Die 4-Stunden-Woche", "Buchtipp"),
        ("Referenzen schicken, und vllt Kontakt zu Tom Berger", "Beispiele meiner Arbeit"),
    ],
    "en": [
        ("send them my onboarding checklist + maybe intro to dan (he does payroll)", "checklist"),
        ("help with her app lol", None),
        ("feedback on his pitch deck", None),
        ("a few case studies + intro to Priya Shah (she runs an agency with a great tool)",
         "examples of my work"),
        ("intro to Tom (he sells software)", None),
        ("send her the recording from the talk", None),
        ("my slides", "presentation"),
        ("a tip about grants 🙂", "tip"),
        ("the link", "link"),
        ("put them in touch with my accountant", None),
        ("carry boxes for her move haha", None),
        ("my template for invoices", "template"),
        ("suggest a date for the workshop and connect her with Ben", None),
        ("zum Beispiel meine Checkliste", "checklist"),
    ],
}  # fmt: skip
KINDS = {
    "de": ["Checkliste", "Vorlage", "Artikel", "Leitfaden", "Präsentation", "Studie", "Buchtipp",
           "Podcast", "Video", "Kurs", "Newsletter", "Tool", "Dokument", "Liste", "Link",
           "Beispiele meiner Arbeit", "Tipp"],
    "en": ["checklist", "template", "article", "guide", "presentation", "study", "book tip",
           "podcast", "video", "course", "newsletter", "tool", "document", "list", "link",
           "examples of my work", "tip"],
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_a_give_names_no_thing_the_user_did_not_give(renderer: Renderer, lang: str) -> None:
    for typed, kind in GIVES[lang]:
        for promised in (False, True):
            for du in (True, False):
                c = contact(give=typed, promised=promised, address="informal" if du else "formal")
                text = message(renderer, lang, c)
                named = {k for k in KINDS[lang] if re.search(rf"\b{re.escape(k)}\b", text)}
                # "[Link einfügen]" / "[add the link]" is a gap, not a thing named
                gaps = re.sub(r"\[[^\]]*\]", "", text)
                named = {k for k in named if re.search(rf"\b{re.escape(k)}\b", gaps)}
                assert named <= ({kind} if kind else set()), (typed, named, text)
                if kind:
                    assert kind in gaps, (typed, text)
                assert_clean(text)


INTRO_GIVES = {
    "de": ["termin vorschlagen + kontakt zu Klaus Brettschneider",
           "kontakt zu Klaus Brettschneider", "Checkliste und Intro zu Klaus Brettschneider",
           "evtl kontakt zu meinem holzhändler", "beispiele schicken + vorstellen: Klaus"],
    "en": ["suggest a date + intro to Klaus Brettschneider", "intro to Klaus Brettschneider",
           "my checklist and connect her with Klaus Brettschneider",
           "maybe put them in touch with my accountant", "case studies + introduce her to Klaus"],
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("channel", ["linkedin", "email", "messenger", "coffee"])
def test_a_promise_stays_beside_an_introduction(
    renderer: Renderer, lang: str, channel: str
) -> None:
    promised_words = "Wie versprochen" if lang == "de" else "As promised"
    for typed in INTRO_GIVES[lang]:
        for du in (True, False):
            c = contact(give=typed, promised=True, channel=channel,
                        address="informal" if du else "formal")  # fmt: skip
            text = message(renderer, lang, c)
            assert promised_words in text, (typed, text)
            opt_in = "miteinander bekannt machen" if lang == "de" else "introduce you"
            assert opt_in in text, text
            # the person to introduce: the full name once, then at most the first name
            assert text.count("Klaus Brettschneider") <= 1, text
            assert text.count("Brettschneider") <= 1, text
            assert_clean(text)


# -- S10/S18: a short topic about the reader's own thing, else a placeholder -------------------

# (typed topic, what the draft says after "about"/„Gespräch“, or None: the placeholder)
TOPICS = {
    "en": [
        ("their 2nd shop", "about your second shop"),
        ("her new bakery", "about your new bakery"),
        ("his website", "about your website"),
        ("Their 3rd location", "about your third location"),
        ("pricing for small shops", "about pricing for small shops"),
        ("LinkedIn ads", "about LinkedIn ads"),
        ("their 2nd shop in leeds lol", None),
        ("she hates her accountant", None),
        ("her 😅", None),
        ("tbh mostly about how bad the coffee was 😂", None),
        ("his new website asap!!", None),
        ("idk really", None),
        ("the weather", None),
        ("her ideas for the shop", "about your ideas for the shop"),
    ],
    "de": [
        ("neue Empfangstheke", "zum Thema „neue Empfangstheke“"),
        ("ihre neue Empfangstheke", "über Ihre neue Empfangstheke"),
        ("seine Kanzlei", "über Ihre Kanzlei"),
        ("seine kanzlei", "über Ihre Kanzlei"),
        ("ihre neuen Preise", "über Ihre neuen Preise"),
        ("digitale Buchhaltung", "zum Thema „digitale Buchhaltung“"),
        ("Fördermittel für Gründerinnen", "zum Thema Fördermittel für Gründerinnen"),
        ("sein Webshop", None),  # „Ihren“ or „Ihr“ cannot be told
        ("neuen Webauftritt", None),
        ("ihr neues Café", None),
        ("brauchen neue Empfangstheke", None),
        ("er will mit seinen studis ne werkstatt-führung machen 🌲", None),
        ("weiß nich", None),
        ("ihre website lol", None),
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_a_short_topic_is_named_only_where_it_is_safely_grammatical(
    renderer: Renderer, lang: str
) -> None:
    placeholder = "[worüber Ihr gesprochen habt]" if lang == "de" else "[what you talked about]"
    for typed, said in TOPICS[lang]:
        for du in (True, False):
            c = contact(topic=typed, channel="linkedin", address="informal" if du else "formal")
            text = message(renderer, lang, c)
            if said is None:
                assert placeholder in text, (typed, text)
                continue
            expected = said.replace("über Ihre", "über Deine") if lang == "de" and du else said
            assert expected in text, (typed, text)
            assert_clean(text)


def test_the_topic_reader_keeps_the_reader_apart() -> None:
    assert read_topic("en", "their 2nd shop").own  # type: ignore[union-attr]
    assert read_topic("de", "neue Empfangstheke").quoted  # type: ignore[union-attr]
    assert read_topic("de", "sein Logo") is None


# -- S9: the coach's questions call a formal contact as one would ------------------------------

# (typed name, honorific answered, address, what the German question calls them, the English)
CALLS = [
    ("Prof. Harald Wiesner", None, None, "Prof. Wiesner", "Harald"),
    ("Prof. Harald Wiesner", "male", "formal", "Herrn Prof. Wiesner", "Professor Wiesner"),
    ("Prof. Harald Wiesner", "male", "informal", "Harald", "Harald"),
    ("Frau Dr. Anke Möller", None, None, "Frau Dr. Möller", "Anke"),
    ("Frau Dr. Anke Möller", None, "formal", "Frau Dr. Möller", "Dr Möller"),
    ("Dr. Birgit Lange, Förderberaterin", "female", "formal", "Frau Dr. Lange", "Dr Lange"),
    ("Prof. Dr. Klaus Meier", None, None, "Prof. Meier", "Klaus"),
    ("Birgit Lange", "female", "formal", "Frau Lange", "Birgit"),
    ("Herr Müller", None, None, "Herrn Müller", "Herr Müller"),
    ("Kim Weber", "neutral", "formal", "Kim Weber", "Kim"),
    ("anna schmidt", "female", "informal", "Anna", "Anna"),
    ("Ben", None, "formal", "Ben", "Ben"),
    ("Dr. med. Dana Weber", "female", "formal", "Frau Dr. Weber", "Dr Weber"),
    ("Dr. Aisha Rahman", None, None, "Dr. Rahman", "Aisha"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "honorific", "address", "de", "en"), CALLS)
def test_the_coach_calls_a_formal_contact_by_title_or_frau_herr(
    renderer: Renderer, name: str, honorific: str | None, address: str | None, de: str, en: str
) -> None:
    for lang, call in (("de", de), ("en", en)):
        c = contact(name=name, honorific=honorific, address=address)
        to = addressee(lang, c)
        assert call_name(lang, name, to, address) == call, (lang, name)
        for step in ("give", "promised", "intro_to", "where"):
            asked = question(renderer, lang, step, c)
            assert call in asked, (step, asked)
            assert_clean(asked)


# -- S11/S18: closings a native speaker writes --------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_closings_are_warm_not_stiff(renderer: Renderer, lang: str) -> None:
    closing = ("Ich würde mich freuen, wenn wir in Kontakt bleiben." if lang == "de"
               else "I'd be glad to keep in touch.")  # fmt: skip
    for du in (True, False):
        text = message(renderer, lang, contact(address="informal" if du else "formal"))
        assert closing in text, text
        for stiff in ("etwas bringt", "setze ich das Gespräch", "If it's useful to you",
                      "pick up the conversation"):  # fmt: skip
            assert stiff not in text


# -- S12/S17: a shrugged give gets ideas, never "did you promise it?" -------------------------

SHRUGS = {
    "de": ["egal", "weiß nich", "keine ahnung lol", "k.A.", "🤷", "irgendwas Nützliches halt",
           "hmm weiß nicht so recht", "nix", "mal sehen", "später", "", "weiss nicht 😅",
           "etwas Hilfreiches vllt"],
    "en": ["idk something useful?", "idk", "no clue honestly", "not sure lol", "🤷‍♀️",
           "something helpful i guess", "dunno", "nothing really", "later", "", "idk tbh",
           "whatever", "maybe something useful"],
}  # fmt: skip
REAL_GIVES = {
    "de": ["was Nützliches zur Buchhaltung", "vielleicht meine Checkliste", "Kontakt zu Jonas",
           "weiß nicht, evtl einen Tipp", "Link", "Ida"],
    "en": ["not sure, maybe my checklist", "a tip", "intro to Dan", "good question about hiring",
           "nothing special but a link", "Jo"],
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_a_shrugged_give_is_no_give(lang: str) -> None:
    for typed in SHRUGS[lang]:
        assert is_shrug(typed), typed
        assert not read_give(typed).any, typed
        assert give_answer(typed, None) in (typed, None)
    for typed in REAL_GIVES[lang]:
        assert not is_shrug(typed), typed


IDEA_LINES = {
    ("de", "tip"): "vielleicht hilft: [Dein Tipp].",
    ("de", "resource"): "Vielleicht ist dieser Link nützlich für",
    ("de", "introduction"): "miteinander bekannt machen",
    ("de", "question"): "Mich würde noch interessieren: [Deine Frage]",
    ("en", "tip"): "One tip that might help: [your tip].",
    ("en", "resource"): "This link might come in handy: [add the link].",
    ("en", "introduction"): "Would you like me to introduce you?",
    ("en", "question"): "I'd also love to know: [your question]",
}


@pytest.mark.parametrize(("lang", "idea"), list(IDEA_LINES))
def test_a_picked_idea_is_phrased_in_the_draft_never_the_shrug(
    renderer: Renderer, lang: str, idea: str
) -> None:
    for shrug in SHRUGS[lang]:
        for channel in ("linkedin", "email", "messenger"):
            c = contact(give=give_answer(shrug, idea), promised=False, channel=channel,
                        address=("informal", "formal")[len(shrug) % 2])  # fmt: skip
            view = draft_plan(lang, c, None)
            assert all(kind != "give" for kind, _ in view["notes"]), view["notes"]
            text = message(renderer, lang, c)
            assert IDEA_LINES[(lang, idea)] in text, text
            assert not re.search(r"versprochen|promised", text, re.I), text
            assert_clean(text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_ideas_screen_says_whom_they_are_for(renderer: Renderer, lang: str) -> None:
    c = contact(name="Prof. Harald Wiesner", honorific="male", address="formal")
    text = question(renderer, lang, "give_ideas", c)
    assert ("Herrn Prof. Wiesner" if lang == "de" else "Professor Wiesner") in text, text
    assert text.count("💡") == text.count("🤝") == text.count("📎") == text.count("❓") == 1
    team = contact(name="the Crumbs Bakery team", organisation="the Crumbs Bakery team")
    assert ("dem Team" if lang == "de" else "the team") in question(
        renderer, lang, "give_ideas", team
    )


@pytest.mark.parametrize(
    ("typed", "used"),
    [("private clinic", False), ("dental practice", False), ("pricing", True),
     ("pricing models", True), ("AI in recruiting", True), ("SEO", True), ("their 2nd shop", True)],
)
def test_an_english_topic_is_used_only_where_it_reads_after_about(typed: str, used: bool) -> None:
    """"after our conversation about private clinic" is no English: a placeholder instead."""
    assert (read_topic("en", typed) is not None) == used
