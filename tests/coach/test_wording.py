"""Typed answers fit into a template's sentence: each row is what a user typed and what a German
or British reader should see in the slot."""

from __future__ import annotations

import pytest

from bot.coach.wording import (
    business,
    first_name,
    own_name,
    person,
    phrase,
    place,
    plural,
    salutation,
    shorten,
    topic,
)


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("de", "beim Köpfchen-Talk", "Köpfchen-Talk"),
        ("de", "Köpfchen-Talk", "Köpfchen-Talk"),
        ("de", "Beim Köpfchen-Talk.", "Köpfchen-Talk"),
        ("de", "  bei   BNI Berlin ", "BNI Berlin"),
        ("de", "im Impact Hub", "Impact Hub"),
        ("de", "in der Alten Mälzerei", "Alten Mälzerei"),
        ("de", "auf der Frankfurter Buchmesse", "Frankfurter Buchmesse"),
        ("de", "am Gründerstammtisch", "Gründerstammtisch"),
        ("de", "an der Uni Köln", "Uni Köln"),
        ("de", "zum Unternehmerinnen-Frühstück", "Unternehmerinnen-Frühstück"),
        ("de", "zur IHK-Sommerparty", "IHK-Sommerparty"),
        ("de", "„Köpfchen-Talk“", "Köpfchen-Talk"),
        ("de", "bei „Frauen im Handwerk“", "Frauen im Handwerk"),
        ("de", "Inhaber-Treff im Rathaus", "Inhaber-Treff im Rathaus"),
        ("de", "bei", "bei"),  # nothing left to name: keep what was typed
        ("de", "", ""),
        ("de", None, ""),
        ("de", "bei <b>Müller & Söhne</b>", "<b>Müller & Söhne</b>"),  # escaped by the template
        ("en", "at the Meetup", "the Meetup"),
        ("en", "at Impact Hub", "Impact Hub"),
        ("en", "At the Founders Breakfast.", "the Founders Breakfast"),
        ("en", "the Founders Breakfast", "the Founders Breakfast"),
        ("en", "in London", "London"),
        ("en", "on Zoom", "Zoom"),
        ("en", "during the Tech Summit", "the Tech Summit"),
        ("en", "'Women in Tech'", "Women in Tech"),
        ("en", "Women in Tech", "Women in Tech"),
        ("en", "Atlas Coworking", "Atlas Coworking"),  # "At…" inside a word is no preposition
        ("en", "Onboarding Day", "Onboarding Day"),
    ],
)
def test_place_is_the_bare_name(lang: str, typed: str | None, expected: str) -> None:
    assert place(lang, typed) == expected


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("de", "Leute aus dem Handwerk kennenlernen", "Leute aus dem Handwerk kennenlernen"),
        ("de", "Förderprogramme für Gründerinnen", "Förderprogramme für Gründerinnen"),
        ("de", "Wir haben über Förderprogramme gesprochen.", "Förderprogramme"),
        ("de", "wir haben uns über KI im Marketing unterhalten", "KI im Marketing"),
        ("de", "über Preise", "Preise"),
        ("de", "Es ging um die Nachfolge im Familienbetrieb!", "die Nachfolge im Familienbetrieb"),
        ("de", "ging um Steuern", "Steuern"),
        ("de", "Thema: Fachkräftemangel", "Fachkräftemangel"),
        ("de", "Um Steuern.", "Steuern"),
        ("de", "Umzug ins neue Büro", "Umzug ins neue Büro"),
        ("de", "ihre neue Agentur & meine Website", "ihre neue Agentur & meine Website"),
        ("en", "we talked about pricing.", "pricing"),
        ("en", "We chatted about hiring a first employee", "hiring a first employee"),
        ("en", "About AI tools for small firms", "AI tools for small firms"),
        ("en", "finding clients in the trades", "finding clients in the trades"),
        ("en", "Topic: hiring", "hiring"),
        ("en", "her new café", "her new café"),
        ("en", "Aboutness of brands", "Aboutness of brands"),
    ],
)
def test_topic_is_a_label(lang: str, typed: str, expected: str) -> None:
    assert topic(lang, typed) == expected


@pytest.mark.parametrize(
    ("typed", "formal", "informal"),
    [
        ("Anna", "Anna", "Anna"),
        ("anna", "Anna", "Anna"),
        ("anna von der leyen", "Anna von der Leyen", "Anna"),
        ("Anna Schmidt", "Anna Schmidt", "Anna"),
        ("Dr. Anna Schmidt", "Dr. Anna Schmidt", "Anna"),
        ("Prof. Müller", "Prof. Müller", "Prof. Müller"),  # a lone surname after a title
        ("Herr Dr. med. Meier", "Herr Dr. med. Meier", "Herr Dr. med. Meier"),
        ("Frau Yılmaz", "Frau Yılmaz", "Frau Yılmaz"),
        ("Anna Schmidt, Designerin", "Anna Schmidt", "Anna"),
        ("Tom (Bäcker)", "Tom", "Tom"),
        ("Lena aus dem Vertrieb", "Lena", "Lena"),
        ("Mr John Smith", "Mr John Smith", "John"),
        ("Ms. O'Brien", "Ms. O'Brien", "Ms. O'Brien"),
        ("Jean-Luc Picard", "Jean-Luc Picard", "Jean-Luc"),
        ("Ursula von der Leyen", "Ursula von der Leyen", "Ursula"),
        ("<b>Eve</b>", "<b>Eve</b>", "<b>Eve</b>"),
    ],
)
def test_names_for_both_forms_of_address(typed: str, formal: str, informal: str) -> None:
    assert person("de", typed) == formal
    assert first_name("de", typed) == informal


@pytest.mark.parametrize(
    ("lang", "typed", "kind", "text"),
    [
        ("de", "Ich bin Steuerberaterin für Kreative.", "label", "Steuerberaterin für Kreative"),
        ("de", "ich bin selbstständige Webdesignerin", "label", "selbstständige Webdesignerin"),
        ("de", "Steuerberaterin für Kreative", "label", "Steuerberaterin für Kreative"),
        ("de", "Websites für Handwerker", "label", "Websites für Handwerker"),
        ("de", "Ich mache Websites für Handwerker.", "verb", "mache Websites für Handwerker"),
        ("de", "Ich berate Handwerksbetriebe.", "verb", "berate Handwerksbetriebe"),
        (
            "de",
            "Ich helfe Gründerinnen bei der Finanzierung",
            "verb",
            "helfe Gründerinnen bei der Finanzierung",
        ),
        ("de", "Wir bauen Apps für Vereine.", "sentence", "Wir bauen Apps für Vereine"),
        ("de", "meine Agentur macht Social Media", "sentence", "Meine Agentur macht Social Media"),
        ("de", "", "label", ""),
        ("en", "I'm a tax adviser for creatives.", "label", "a tax adviser for creatives"),
        ("en", "I am a freelance web designer", "label", "a freelance web designer"),
        ("en", "I’m a coach", "label", "a coach"),
        ("en", "Tax adviser for creatives", "label", "tax adviser for creatives"),
        ("en", "IT support for charities", "label", "IT support for charities"),
        ("en", "I help founders with funding.", "verb", "I help founders with funding"),
        ("en", "i run a design studio", "verb", "I run a design studio"),
        (
            "en",
            "I've been a photographer for ten years",
            "sentence",
            "I've been a photographer for ten years",
        ),
        ("en", "We build apps for charities", "sentence", "We build apps for charities"),
        ("en", "my studio makes short films", "sentence", "My studio makes short films"),
        ("en", None, "label", ""),
    ],
)
def test_business_says_how_it_continues_i_am(
    lang: str, typed: str | None, kind: str, text: str
) -> None:
    assert business(lang, typed) == {"kind": kind, "text": text}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("den Link zum Förderprogramm.", "den Link zum Förderprogramm"),
        ("  Kontakt zu meiner Grafikerin!  ", "Kontakt zu meiner Grafikerin"),
        ("“the checklist”", "the checklist"),
        ("", ""),
    ],
)
def test_phrase_is_trimmed(typed: str, expected: str) -> None:
    assert phrase("de", typed) == expected


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("en", "Mr. Sam Taylor", "Mr Taylor"),
        ("en", "Dr. Anna Schmidt", "Dr Schmidt"),
        ("en", "dr anna schmidt", "Dr Schmidt"),
        ("en", "Prof. Müller", "Professor Müller"),
        ("en", "Ms O'Brien (bakery)", "Ms O'Brien"),
        ("en", "Sam Taylor", "Sam Taylor"),
        ("en", "Mrs", "Mrs"),
        ("de", "Dr. Anna Schmidt", "Dr. Anna Schmidt"),
        ("de", "Frau Dr. Schmidt, Förderberaterin", "Frau Dr. Schmidt"),
        ("de", "Herr Yılmaz", "Herr Yılmaz"),
    ],
)
def test_formal_salutation(lang: str, typed: str, expected: str) -> None:
    assert salutation(lang, typed) == expected


@pytest.mark.parametrize(
    ("text", "longest", "expected"),
    [
        ("Impact Hub – Unternehmerfrühstück", 30, "Impact Hub…"),
        ("Impact Hub – Unternehmerfrühstück", 40, "Impact Hub – Unternehmerfrühstück"),
        ("Chamber of Commerce mixer and networking drinks", 30, "Chamber of Commerce mixer and…"),
        ("Founders, Makers & Friends – Winter Edition", 30, "Founders, Makers & Friends…"),
        ("Retail Meetup", 30, "Retail Meetup"),
        ("  Retail   Meetup ", 30, "Retail Meetup"),
        ("Unternehmerinnenfrühstücksnetzwerk", 20, "Unternehmerinnenfrü…"),  # one long word
    ],
)
def test_a_shortened_label_ends_at_a_word_with_an_ellipsis(
    text: str, longest: int, expected: str
) -> None:
    shortened = shorten("de", text, longest)
    assert shortened == expected and len(shortened) <= longest


@pytest.mark.parametrize(
    ("lang", "count", "one", "other", "expected"),
    [
        ("en", 1, "event", "events", "event"),
        ("en", 0, "event", "events", "events"),
        ("en", 2, "event", "events", "events"),
        ("en", 1.5, "hour", "hours", "hours"),
        ("de", 1, "Veranstaltung", "Veranstaltungen", "Veranstaltung"),
        ("de", 3, "Veranstaltung", "Veranstaltungen", "Veranstaltungen"),
        ("de", "1", "Test", "Tests", "Test"),
    ],
)
def test_plurals_follow_the_languages_rules(
    lang: str, count: object, one: str, other: str, expected: str
) -> None:
    assert plural(lang, count, one, other) == expected


@pytest.mark.parametrize(
    ("typed", "greeted"),
    [("merve", "Merve"), ("anna von berg", "Anna von Berg"), ("McKenzie", "McKenzie"),
     ("dev", "Dev"), ("<b>Ada</b> &amp;", "<b>Ada</b> &amp;"), ("  jo  ", "Jo")],
)
def test_a_name_typed_in_lower_case_is_greeted_with_capitals(typed: str, greeted: str) -> None:
    assert own_name("en", typed) == greeted


@pytest.mark.parametrize(
    ("lang", "typed", "named"),
    [
        ("en", '"Scaling Without Burnout" webinar pt. 2', "‘Scaling Without Burnout’ webinar pt. 2"),
        ("de", "Vortrag „Mut zur Lücke“ bei der IHK", "Vortrag ‚Mut zur Lücke‘ bei der IHK"),
        ("en", '"Retail Meetup"', "Retail Meetup"),
    ],
)
def test_quotes_inside_an_event_name_do_not_clash_with_ours(lang: str, typed: str, named: str) -> None:
    assert place(lang, typed) == named
