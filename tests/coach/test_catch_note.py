"""A contact typed in a hurry from the 🚪 button, taken apart as a native reader would: the name
clean (capitals where a lower-case name needs them, no description, no bracket), the note with
everything else, nothing lost, no word and no bracket cut in two; the coach's question names a
titled person by title and surname and a company as typed."""

from __future__ import annotations

import re

import pytest

from bot.coach.catch import split_name, spoken_of
from bot.coach.catch_note import NAME_MAX
from bot.coach.wording import person, shorten

# (typed, name, note): what people type in the room, in German
GERMAN = [
    (
        "steffi (die mit dem hund) macht social media für zahnärzte (!!) und hat zu viele "
        "kunden, will abgeben",
        "Steffi",
        "die mit dem hund – macht social media für zahnärzte (!!) und hat zu viele kunden, "
        "will abgeben",
    ),
    ("Prof. Harald Wiesner", "Prof. Harald Wiesner", None),
    ("Frau Dr. Sabine Kreuzer", "Frau Dr. Sabine Kreuzer", None),
    ("frau dr. sabine kreuzer", "Frau Dr. Sabine Kreuzer", None),
    ("Müller & Söhne, brauchen neue Empfangstheke", "Müller & Söhne", "brauchen neue Empfangstheke"),
    (
        "Schreinerei Holzwurm GmbH – sucht neue Website",
        "Schreinerei Holzwurm GmbH",
        "sucht neue Website",
    ),
    ("schreinerei holzwurm gmbh sucht neue websiet", "Schreinerei Holzwurm GmbH", "sucht neue websiet"),
    (
        "Holzwurm UG (haftungsbeschränkt), 3 Leute, suchen Azubis",
        "Holzwurm UG (haftungsbeschränkt)",
        "3 Leute, suchen Azubis",
    ),
    (
        "Blue Sky Digital GmbH & Co. KG — interessiert an Workshop",
        "Blue Sky Digital GmbH & Co. KG",
        "interessiert an Workshop",
    ),
    ("Lisa vom Impact Hub, will ne Website 😅", "Lisa", "vom Impact Hub, will ne Website 😅"),
    ("Anna von der Leyen macht Politik", "Anna von der Leyen", "macht Politik"),
    ("Steffi Müller macht SEO lol", "Steffi Müller", "macht SEO lol"),
    ("Dr. Weber: Förderung", "Dr. Weber", "Förderung"),
    ("Anna Weber – Kanzlei, sucht neue Website", "Anna Weber", "Kanzlei, sucht neue Website"),
    (
        "frau petra holz, wir siezen uns, sucht fotografin",
        "Frau Petra Holz",
        "wir siezen uns, sucht fotografin",
    ),
    ("tom aus köln hat ne bäckerei 🥐", "Tom", "aus köln hat ne bäckerei 🥐"),
    (
        "Sabine Kreuzer (Gründerfrühstück (IHK)) Finanzierung",
        "Sabine Kreuzer",
        "Gründerfrühstück (IHK) – Finanzierung",
    ),
    ("die frau vom stand nebenan hat ein café", "Die frau vom stand nebenan", "hat ein café"),
    ("Jonas", "Jonas", None),
    ("Anna Schmidt-Meier", "Anna Schmidt-Meier", None),
    ("Priya\nFotografin\nwill Portraits", "Priya", "Fotografin, will Portraits"),
    ("Max Mustermann sucht Steuerberater für GmbH", "Max Mustermann", "sucht Steuerberater für GmbH"),
    ("jana from acme, cfo, super nett", "Jana", "from acme, cfo, super nett"),  # English note
]

ENGLISH = [
    (
        "jake (tall guy, beard) talked abt his side hustle selling vintage synths lol and then "
        "pricing for agencies",
        "Jake",
        "tall guy, beard – talked abt his side hustle selling vintage synths lol and then "
        "pricing for agencies",
    ),
    ("Ben Carter", "Ben Carter", None),
    ("Ben Carter, bike shop, wants pricing tips", "Ben Carter", "bike shop, wants pricing tips"),
    ("ben carter bike shop wants pricing tips", "Ben Carter", "bike shop wants pricing tips"),
    ("Ben Carter. Bike shop.", "Ben Carter", "Bike shop."),
    ("mr ben carter", "Mr Ben Carter", None),
    (
        "dr. aisha rahman (dentist, 2 practices) wants a new site",
        "Dr. Aisha Rahman",
        "dentist, 2 practices – wants a new site",
    ),
    (
        "Ms. Chloe O'Brien - HR at Lumen, hiring 2 devs",
        "Ms. Chloe O'Brien",
        "HR at Lumen, hiring 2 devs",
    ),
    ("Greenleaf Studios Ltd - web agency, want a dev", "Greenleaf Studios Ltd", "web agency, want a dev"),
    ("crumbs & co bakery opening 2nd shop", "Crumbs & Co Bakery", "opening 2nd shop"),
    (
        "the Crumbs Bakery team - opening a 2nd shop in leeds, hate their accountant",
        "the Crumbs Bakery team",
        "opening a 2nd shop in leeds, hate their accountant",
    ),
    (
        "the guy with the red glasses does crypto stuff",
        "The guy with the red glasses",
        "does crypto stuff",
    ),
    ("Priya 📸 photographer, wants prints lol", "Priya", "📸 photographer, wants prints lol"),
    ("Tom lol great chat about pricing", "Tom", "lol great chat about pricing"),
    ("maria de la cruz", "Maria de la Cruz", None),
    ("Prof. Harald Wiesner: timber for student projects", "Prof. Harald Wiesner", "timber for student projects"),
    ("Sam, the baker", "Sam", "the baker"),
    ("Tom, ", "Tom", None),
    ("Acme Ltd", "Acme Ltd", None),
    ("Kevin 🙂", "Kevin", "🙂"),
    ("lena (impact hub) macht websites für kanzleien", "Lena", "impact hub – macht websites für kanzleien"),
]


def _words(text: str | None) -> list[str]:
    """The words of a text, as a reader compares them: any case, full stops aside ("e.V.")."""
    return sorted(re.findall(r"\w+", (text or "").replace(".", "").casefold()))


@pytest.mark.parametrize(("typed", "name", "note"), GERMAN + ENGLISH)
def test_the_name_is_clean_and_the_note_keeps_the_rest(
    typed: str, name: str, note: str | None
) -> None:
    assert split_name(typed) == (name, note)


@pytest.mark.parametrize(("typed", "name", "note"), GERMAN + ENGLISH)
def test_nothing_typed_is_lost_and_no_word_is_cut(typed: str, name: str, note: str | None) -> None:
    got_name, got_note = split_name(typed)
    assert sorted(_words(got_name) + _words(got_note)) == _words(typed)
    typed_words = set(_words(typed))
    assert set(_words(got_name)) <= typed_words  # only whole words in the name
    for opener, closer in ("()", "[]"):  # every bracket closed where it opened
        assert got_name.count(opener) == got_name.count(closer)
        assert (got_note or "").count(opener) == (got_note or "").count(closer)


def test_a_very_long_name_goes_on_in_the_note_between_words() -> None:
    typed = " ".join(["Verein"] + ["Wirtschaftsförderung"] * 6 + ["e.V."])
    name, note = split_name(typed)
    assert len(name) <= NAME_MAX and note
    assert sorted(_words(name) + _words(note)) == _words(typed)
    assert typed.startswith(name + " ")  # cut where a word ends


@pytest.mark.parametrize(
    ("lang", "name", "called"),
    [
        ("de", "Prof. Harald Wiesner", "Prof. Wiesner"),
        ("de", "Frau Dr. Sabine Kreuzer", "Frau Dr. Kreuzer"),
        ("de", "Frau Petra Holz", "Frau Holz"),
        ("de", "Dr. Weber", "Dr. Weber"),
        ("de", "Anna von der Leyen", "Anna"),
        ("de", "Steffi", "Steffi"),
        ("de", "Müller & Söhne", "Müller & Söhne"),
        ("de", "Schreinerei Holzwurm GmbH", "Schreinerei Holzwurm GmbH"),
        ("de", "Die frau vom stand nebenan", None),
        ("en", "Prof. Harald Wiesner", "Professor Wiesner"),
        ("en", "Dr. Aisha Rahman", "Dr Rahman"),
        ("en", "Mr Ben Carter", "Mr Carter"),
        ("en", "Ms. Chloe O'Brien", "Ms O'Brien"),
        ("en", "Ben Carter", "Ben"),
        ("en", "Greenleaf Studios Ltd", "Greenleaf Studios Ltd"),
        ("en", "Crumbs & Co Bakery", "Crumbs & Co Bakery"),
        ("en", "The guy with the red glasses", None),
    ],
)
def test_the_coach_names_a_titled_person_by_title_and_surname(
    lang: str, name: str, called: str | None
) -> None:
    assert spoken_of(lang, name) == called


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("steffi (die mit dem hund) macht social media", "Steffi"),
        ("jake (tall guy, beard) talked abt synths", "Jake"),
        ("Schreinerei Holzwurm & Söhne GmbH & Co. KG", "Schreinerei Holzwurm & Söhne…"),
        ("Frau Prof. Dr. Annegret Kramp-Schneiderhahn", "Frau Prof. Dr. Annegret…"),
    ],
)
def test_a_button_shows_the_clean_name_cut_between_words(typed: str, label: str) -> None:
    """As on the morning list's buttons (bot/coach/catch.py)."""
    name, _ = split_name(typed)
    shown = shorten("de", person("de", name), 30)
    assert shown == label
    assert set(_words(shown)) <= set(_words(typed))
