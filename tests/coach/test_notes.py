"""Reading what users type about a conversation and whom they met: each row is a real-looking
answer and what the coach may make of it. The readers are conservative: when in doubt the
draft gets a placeholder, never the typed words."""

from __future__ import annotations

import pytest

from bot.coach.addressee import (
    feminine_lead,
    organisation_for_greeting,
    organisation_name,
    person_name,
)
from bot.coach.notes import Give, is_shrug, read_give, sounds_online, topic_label
from bot.coach.unsure import is_unsure

# -- topics -------------------------------------------------------------------------------------

TOPIC_LABELS = [
    # short noun phrases: kept (prefixes of either language taken off)
    ("en", "pricing", "pricing"),
    ("en", "Pricing for small shops", "pricing for small shops"),  # the phone's capital
    ("en", "We talked about pricing for small shops.", "pricing for small shops"),
    ("en", "we chatted about hiring a first employee", "hiring a first employee"),
    ("en", "accounting software", "accounting software"),
    ("en", "about SEO", "SEO"),
    ("en", "IT security", "IT security"),
    ("en", "LinkedIn ads", "LinkedIn ads"),
    ("en", "Google Ads", "Google Ads"),
    ("en", "trade fairs in Germany", "trade fairs in Germany"),
    ("en", "Topic: funding & grants", "funding & grants"),
    ("en", "website relaunch", "website relaunch"),
    ("de", "Preise", "Preise"),
    ("de", "preise", "Preise"),  # a single German word is a noun
    ("de", "über Preise", "Preise"),
    ("de", "Wir haben über Förderprogramme gesprochen.", "Förderprogramme"),
    ("de", "Es ging um die Nachfolge im Familienbetrieb!", "Nachfolge im Familienbetrieb"),
    ("de", "die Förderung", "Förderung"),
    ("de", "KI im Handwerk", "KI im Handwerk"),
    ("de", "Fördermittel für Gründerinnen", "Fördermittel für Gründerinnen"),
    ("de", "Marketing mit kleinen Budgets", "Marketing mit kleinen Budgets"),
    ("de", "Website-Relaunch", "Website-Relaunch"),
    ("de", "Steuern für Kreative", "Steuern für Kreative"),
    ("de", "we talked about pricing", "Pricing"),  # the other language's opening
]
NOT_LABELS = [
    # whole sentences about the reader, chat, shrugs, the other language, lists, emoji
    ("en", "she's opening a 2nd bakery in leeds and hates her current accountant lol"),
    ("en", "her new bakery"),
    ("en", "his startup"),
    ("en", "marketing lol"),
    ("en", "marketing 😂"),
    ("en", "pricing :)"),
    ("en", "why pricing matters"),
    ("en", "how to find clients"),
    ("en", "stuff"),
    ("en", "small talk mostly"),
    ("en", "a bit of everything tbh"),
    ("en", "Onboarding, pricing, hiring"),
    ("en", "cold outreach (which he hates)"),
    ("en", "he wants a new website asap!!"),
    ("en", "idk"),
    ("en", "no clue honestly"),
    ("en", "business"),
    ("en", "Fördermittel"),
    ("en", "Preise und Marketing"),
    ("en", ""),
    ("en", "   "),
    ("en", None),
    ("en", "u know, the usual"),
    ("en", "networking"),
    ("en", "it was nice"),
    ("en", "https://example.com"),
    ("de", "er sucht jemand der die websiet für seine kanzlei neu macht"),
    ("de", "sie macht websites"),
    ("de", "weiß nicht"),
    ("de", "Keine Ahnung"),
    ("de", "ki im handwerk"),  # which words are nouns cannot be told
    ("de", "den neuen Webauftritt"),  # the article's case would be wrong after „Thema“
    ("de", "neuer Webauftritt"),
    ("de", "Neuer Webauftritt"),
    ("de", "digitale Buchhaltung"),
    ("de", "die digitale Buchhaltung"),
    ("de", "pricing for small shops"),
    ("de", "Steuern 🙈"),
    ("de", "alles mögliche"),
    ("de", "smalltalk"),
    ("de", "Steuern, Recht, Buchhaltung"),
    ("de", "evtl. Kooperation"),
    ("de", "ihr neues Café"),
    ("de", "mega spannend, ihr Laden"),
    ("de", "Wie man Kunden findet"),
    ("de", "das Wetter"),
    ("de", "—"),
    ("de", "Leute aus dem Handwerk kennenlernen"),  # ends in a verb
    ("de", "Kunden finden"),
]


@pytest.mark.parametrize(("lang", "typed", "label"), TOPIC_LABELS)
def test_a_short_noun_phrase_becomes_the_topic(lang: str, typed: str, label: str) -> None:
    assert topic_label(lang, typed) == label


@pytest.mark.parametrize(("lang", "typed"), NOT_LABELS)
def test_anything_else_is_left_to_a_placeholder(lang: str, typed: str | None) -> None:
    assert topic_label(lang, typed) is None


# -- shrugs, places -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["idk", "IDK", "idk really", "dunno", "no idea", "no clue honestly", "not sure", "nothing",
     "n/a", "-", "...", "?", "🤷", "🤷‍♀️", "", "  ", None, "weiß nicht", "WEISS NICHT",
     "weiß nicht so genau", "keine Ahnung", "k.A.", "nix", "mal sehen", "Nö", "hmm",
     "I don't know", "i dont know yet", "keine ahnung ehrlich gesagt", "egal", "k a",
     "schau ma", "ähm", "t.b.d.", "haven't decided", "not really", "weiß nicht so recht",
     "whatever", "i dnt knw", "bin mir nicht sicher", "fällt mir grad nix ein"],
)  # fmt: skip
def test_shrugs(typed: str | None) -> None:
    assert is_shrug(typed)


@pytest.mark.parametrize("typed", ["later", "Later!", "skip", "später", "Später 😅", "not now"])
def test_an_answer_put_off_is_nothing_to_go_on_in_a_follow_up(typed: str) -> None:
    """The follow-up's questions are put off with "later"; elsewhere that is no "I don't know"
    (the general recogniser leaves it, and a yes/no question does not read it as unsure)."""
    assert is_shrug(typed)
    assert not is_unsure(typed)


@pytest.mark.parametrize(
    "typed",
    ["a tip", "Link", "nothing special but a link", "no-code tools", "Ida", "Jo", "Kai",
     "later this week: my checklist"],
)  # fmt: skip
def test_answers_are_no_shrugs(typed: str) -> None:
    assert not is_shrug(typed)


@pytest.mark.parametrize(
    ("typed", "online"),
    [("on zoom", True), ("Zoom", True), ("per Teams", True), ("video call", True),
     ("im Videocall", True), ("online", True), ("Google Meet", True), ("im Impact Hub", False),
     ("at the Meetup", False), ("Founders Breakfast", False), ("Teamsport-Verein", False)],
)  # fmt: skip
def test_a_video_call_is_no_venue(typed: str, online: bool) -> None:
    assert sounds_online(typed) is online


# -- gives --------------------------------------------------------------------------------------

GIVES = [
    ("ihm meine checkliste schicken + evtl kontakt zu jonas",
     Give(resource="checklist", introduction=True, intro_name="Jonas")),
    ("my checklist for product pages", Give(resource="checklist")),
    ("den Link zum Förderprogramm.", Give(resource="link")),
    ("https://example.com/guide", Give(resource="guide")),
    ("a podcast episode on pricing", Give(resource="podcast")),
    ("vllt nen podcast tipp", Give(resource="podcast", tip=True)),
    ("Buchtipp: Hundred Million Dollar Offers", Give(resource="book")),
    ("send her my slides", Give(resource="slides")),
    ("meine Präsentationsvorlage", Give(resource="template")),
    ("a tip about grants", Give(tip=True)),
    ("Tipp für eine gute Steuerberaterin", Give(tip=True)),
    ("introduce her to Priya Shah from the bank",
     Give(introduction=True, intro_name="Priya Shah")),
    ("connect him with Tom", Give(introduction=True, intro_name="Tom")),
    ("Intro zu Jonas", Give(introduction=True, intro_name="Jonas")),
    ("kontakt zu meinem steuerberater", Give(introduction=True)),
    ("Kontakt zu Steuerberaterin Meier", Give(introduction=True)),
    ("put them in touch with someone at the bank", Give(introduction=True)),
    ("beim umzug helfen", Give(other=True)),
    ("feedback on his pitch deck", Give(other=True)),  # his deck: nothing the user sends
    ("feedback on his pitch", Give(other=True)),
    ("idk really", Give()),
    ("weiß nicht so genau", Give()),
    ("", Give()),
    (None, Give()),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "give"), GIVES)
def test_a_give_is_read_by_kind(typed: str | None, give: Give) -> None:
    assert read_give(typed) == give


# -- whom a draft is for ------------------------------------------------------------------------

ORGANISATIONS = [
    ("Schreinerei Holzwurm GmbH", "Schreinerei Holzwurm", True),
    ("Crumbs & Co Bakery", "Crumbs & Co Bakery", False),
    ("Müller & Söhne", "Müller & Söhne", False),
    ("Steuerkanzlei Meier", "Steuerkanzlei Meier", True),
    ("Werbeagentur Blau e.V.", "Werbeagentur Blau", True),
    ("Acme Ltd", "Acme", False),
    ("Acme Ltd.", "Acme", False),
    ("Bright Ideas LLC", "Bright Ideas", False),
    ("Studio Nord", "Studio Nord", False),
    ("IBM", "IBM", False),
    ("Holzwurm GmbH & Co. KG", "Holzwurm", False),
    ("Tech Hub Leeds", "Tech Hub Leeds", False),
    ("Bäckerei Schmidt", "Bäckerei Schmidt", True),
]
PEOPLE = ["Ben Carter", "Ben Carter (runs a bike shop)", "Anna from Crumbs Bakery", "Lena",
          "Dr. Weber", "Frau Dr. Dana Weber", "Anna Schmidt, Designerin", "Hannah Bäcker",
          "Kim Schmitt-Laden", "Tom & Anna", "Ursula von der Leyen", "Jörg Weiß"]  # fmt: skip


@pytest.mark.parametrize(("typed", "greeted", "feminine"), ORGANISATIONS)
def test_organisations_are_recognised(typed: str, greeted: str, feminine: bool) -> None:
    name = organisation_name(typed)
    assert name is not None
    assert organisation_for_greeting(name) == greeted
    assert feminine_lead(greeted) is feminine


@pytest.mark.parametrize("typed", PEOPLE)
def test_people_are_no_organisations(typed: str) -> None:
    assert organisation_name(typed) is None


@pytest.mark.parametrize(
    ("typed", "first", "surname", "titles_de", "titles_en", "honorific"),
    [
        ("Ben Carter", "Ben", "Carter", "", "", None),
        ("ben carter", "Ben", "Carter", "", "", None),
        ("Lena", "Lena", "Lena", "", "", None),
        ("Dr. Weber", None, "Weber", "Dr.", "Dr", None),
        ("Frau Dr. Dana Weber", "Dana", "Weber", "Dr.", "Dr", "female"),
        ("Frau Weber", None, "Weber", "", "", "female"),
        ("Herr Prof. Dr. Klaus Meier", "Klaus", "Meier", "Prof. Dr.", "Professor", "male"),
        ("Prof. Dr. Anand Patel", "Anand", "Patel", "Prof. Dr.", "Professor", None),
        ("Mr. Sam Taylor", "Sam", "Taylor", "", "", "male"),
        ("Ms Carter", None, "Carter", "", "", "female"),
        ("Dr. med. Weber", None, "Weber", "Dr. med.", "Dr", None),
        ("Ursula von der Leyen", "Ursula", "von der Leyen", "", "", None),
        ("Anna Schmidt, Designerin", "Anna", "Schmidt", "", "", None),
    ],
)
def test_names_are_taken_apart(
    typed: str,
    first: str | None,
    surname: str,
    titles_de: str,
    titles_en: str,
    honorific: str | None,
) -> None:
    name = person_name(typed)
    assert (name.first, name.surname, name.honorific) == (first, surname, honorific)
    assert (name.titles_for("de"), name.titles_for("en")) == (titles_de, titles_en)
