"""The /prepare texts that insert a typed event name (and the business, goals, costs) read
correctly for any plausible answer, in German and English: rendered through the real renderer
with the project's prompts and filters."""

from __future__ import annotations

from typing import Any

import pytest

from bot.coach.event_check import event_name
from bot.coach.wording import place, template_filters
from bot.engine.render import Renderer
from bot.engine.telegram_html import visible_text
from tests.coach.test_assembled_texts import PROMPTS

# (typed, the name as it reads inside the quotes)
NAMES = {
    "de": [
        ("beim Köpfchen-Talk", "Köpfchen-Talk"),
        ("Köpfchen-Talk", "Köpfchen-Talk"),
        ("Stammtisch", "Stammtisch"),
        ("im Café Central", "Café Central"),
        ("auf der IHK-Messe", "IHK-Messe"),
        ("„Unternehmerfrühstück“", "Unternehmerfrühstück"),
        ("  zum Gründertag NRW. ", "Gründertag NRW"),
        ("Women in Tech – Winterausgabe", "Women in Tech – Winterausgabe"),
        ("BNI Mitte", "BNI Mitte"),
    ],
    "en": [
        ("the Meetup at Factory", "Meetup at Factory"),
        ("at the Meetup at Factory.", "Meetup at Factory"),
        ("The Hub", "The Hub"),
        ("Stammtisch", "Stammtisch"),
        ("at Founders' Breakfast", "Founders' Breakfast"),
        ("'Retail Meetup'", "Retail Meetup"),
        ("on Zoom: Quiet Networkers", "Zoom: Quiet Networkers"),
        ("Women in Tech – Winter Edition", "Women in Tech – Winter Edition"),
        ("BNI", "BNI"),
    ],
}

# (template, answers beyond the name, the sentence expected with {name} filled in)
SENTENCES = {
    "de": [
        ("prepare/online", {}, "Findet „{name}“ online oder vor Ort statt?"),
        ("prepare/fit", {}, "Passt die Veranstaltung „{name}“ zu Deinem Business?"),
        (
            "prepare/people_fit",
            {},
            "Und die Menschen, die dort hinkommen: Sind sie interessant für Dein Netzwerk "
            "und Dein Business?",
        ),
        (
            "prepare/cost_time",
            {"online": "online"},
            "Wie viel Zeit bräuchtest Du für „{name}“ insgesamt?",
        ),
        (
            "prepare/cost_time",
            {"online": "in_person"},
            "Wie viel Zeit bräuchtest Du für „{name}“ insgesamt, mit Hin- und Rückweg?",
        ),
        ("prepare/skip_advice", {}, "Lass uns „{name}“ ehrlich abwägen:"),
        ("prepare/skipped", {}, "Ich habe „{name}“ in Deinem Journal als ausgelassen vermerkt"),
        ("prepare/calendar", {}, "dann trägt Dein Kalender „{name}“ ein, mit Deinem Spickzettel"),
    ],
    "en": [
        ("prepare/online", {}, "Does the event “{name}” take place online or in person?"),
        ("prepare/fit", {}, "Does the event “{name}” fit your business?"),
        (
            "prepare/people_fit",
            {"online": "in_person"},
            "And the people who'll be there: are they interesting for your network and "
            "your business?",
        ),
        ("prepare/people_fit", {"online": "online"}, "And the people who'll join in:"),
        ("prepare/cost_time", {"online": "online"}, "How much time would the event “{name}” take, all in?"),
        (
            "prepare/cost_time",
            {},
            "How much time would the event “{name}” take, all in, the journey there and back included?",
        ),
        ("prepare/skip_advice", {}, "Let's weigh up the event “{name}” honestly:"),
        ("prepare/skipped", {}, "I've kept “{name}” in your journal as skipped"),
        ("prepare/calendar", {}, "your calendar adds “{name}” with your cheat sheet in the notes."),
    ],
}

ADVICE_VIEW: dict[str, Any] = {
    "doubts": [{"question": "fit", "answer": "no"}],
    "goals": [],
    "inspiration": False,
    "known_length": None,
    "cost_time": None,
    "online": None,
    "costs": [],
    "tryouts_take_over": False,
    "plan": None,  # the fit question's view: no plan yet
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROMPTS, filters=template_filters())


def render(
    renderer: Renderer,
    lang: str,
    template: str,
    answers: dict[str, Any],
    business: str | None = None,
    view: dict[str, Any] | None = None,
    goals: list[str] | None = None,
) -> str:
    html = renderer.render_one(
        lang,
        template,
        profile={"name": "Mira", "business": business, "goals": goals or []},
        answers=answers,
        view=view if view is not None else ADVICE_VIEW,
        lang=lang,
        resume_title=None,
    )
    return visible_text(html)


CASES = [
    (lang, template, extra, expected, typed, shown)
    for lang, sentences in SENTENCES.items()
    for template, extra, expected in sentences
    for typed, shown in NAMES[lang]
]


@pytest.mark.parametrize(("lang", "template", "extra", "expected", "typed", "shown"), CASES)
def test_a_typed_event_name_reads_as_a_label(
    renderer: Renderer,
    lang: str,
    template: str,
    extra: dict[str, Any],
    expected: str,
    typed: str,
    shown: str,
) -> None:
    kept = event_name(lang, {"name": typed})  # what the name step keeps (tidy_event_name)
    assert kept == shown
    text = render(renderer, lang, template, {"name": kept, **extra})
    # and the templates hold even for a name that skipped that step (typed as it came)
    assert expected.format(name=place(lang, typed)) in render(
        renderer, lang, template, {"name": typed, **extra}
    )
    assert expected.format(name=shown) in text
    # no doubled prepositions or quotes, no stray spaces inside the quotes
    broken = {
        "de": ("bei „bei", "„beim", "„im ", "„auf ", "„zum", "„„", "„ ", " “", "„'"),
        "en": ("“at ", "“on ", "““", "“‘", "“'", "“ ", " ”"),
    }
    for wrong in broken[lang]:
        assert wrong not in text, text


@pytest.mark.parametrize(
    ("lang", "business", "expected"),
    [
        ("de", None, "Passt die Veranstaltung „Stammtisch“ zu Deinem Business?"),
        ("de", "", "Passt die Veranstaltung „Stammtisch“ zu Deinem Business?"),
        (
            "de",
            "Ich bin Steuerberaterin für Kreative.",
            "Passt die Veranstaltung „Stammtisch“ zu Deinem Business (Steuerberaterin für "
            "Kreative)?",
        ),
        (
            "de",
            "Ich berate Handwerksbetriebe.",
            "Passt die Veranstaltung „Stammtisch“ zu Deinem Business?",  # a clause: not bracketed
        ),
        ("en", None, "Does the event “Stammtisch” fit your business?"),
        (
            "en",
            "Tax adviser for creatives!",
            "Does the event “Stammtisch” fit your business (tax adviser for creatives)?",
        ),
        (
            "en",
            "I'm a bookkeeper for creative freelancers.",
            "Does the event “Stammtisch” fit your business (a bookkeeper for creative freelancers)?",
        ),
        (
            "en",
            "I design websites for small shops",
            "Does the event “Stammtisch” fit your business?",
        ),
        (
            "de",
            "Ich bin Merve 😊 und mach Buchhaltung für kleine Handwerksbetriebe, quasi Zahlen-Feuerwehr lol",
            "Passt die Veranstaltung „Stammtisch“ zu Deinem Business?",
        ),
        (
            "en",
            "I'm Dev 👋 I do websites for dentists & vets, kinda niche lol",
            "Does the event “Stammtisch” fit your business?",
        ),
        (
            "de",
            "Fotografin & Videografin (Hochzeiten, Business-Portraits, Events etc.) 📸📸",
            "Passt die Veranstaltung „Stammtisch“ zu Deinem Business (Fotografin und Videografin)?",
        ),
    ],
)
def test_an_empty_or_sentence_business_reads_well(
    renderer: Renderer, lang: str, business: str | None, expected: str
) -> None:
    assert expected in render(renderer, lang, "prepare/fit", {"name": "Stammtisch"}, business)


COSTS = {
    # (costs, known length, cost_time, online): (German, English)
    (("time",), "2 Std.", None, True): ("etwa 2 Std.", None),
    (("time",), "2 Std.", None, False): ("etwa 2 Std. plus Anfahrt", None),
    (("time", "fee"), None, "short", None): (
        "ein bis zwei Stunden und Eintritt oder Gebühr",
        "one or two hours and an entry fee",
    ),
    (("time", "fee", "energy"), None, "evening", None): (
        "drei bis vier Stunden, Eintritt oder Gebühr und viel Energie",
        "three or four hours, an entry fee and a lot of energy",
    ),
    (("energy",), None, None, None): ("viel Energie", "a lot of energy"),
    (("time",), None, "long", None): ("einen halben Tag oder mehr", "half a day or more"),
}


@pytest.mark.parametrize("case", list(COSTS))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_costs_read_as_one_list(renderer: Renderer, lang: str, case: tuple[Any, ...]) -> None:
    costs, known, cost_time, online = case
    expected = COSTS[case][0 if lang == "de" else 1]
    if lang == "en" and known:
        known, expected = "2 hrs", "about 2 hrs" + (" plus the journey" if online is False else "")
    view = {
        **ADVICE_VIEW,
        "costs": list(costs),
        "known_length": known,
        "cost_time": cost_time,
        "online": online,
    }
    text = render(renderer, lang, "prepare/skip_advice", {"name": "Stammtisch"}, view=view)
    label = "• Was es Dich kostet: " if lang == "de" else "• What it costs you: "
    assert f"{label}{expected}\n" in text + "\n"


def test_without_costs_or_goals_the_lines_are_left_out(renderer: Renderer) -> None:
    for lang in ("de", "en"):
        text = render(renderer, lang, "prepare/skip_advice", {"name": "Stammtisch"})
        assert "kostet" not in text and "costs you" not in text
        assert "Ziele:" not in text and "goals:" not in text
        assert "\n\n\n" not in text


@pytest.mark.parametrize(
    ("lang", "goals", "expected"),
    [
        (
            "de",
            ["customers", "inspiration"],
            [
                "• Deine Ziele: Kunden gewinnen, Inspiration und neue Impulse",
                "Wenn sie diesen Zielen nicht dient",
                "Andererseits ist Inspiration eines Deiner Ziele",
            ],
        ),
        (
            "en",
            ["exchange"],
            [
                "• Your goals: Exchange with peers",
                "If it doesn't serve these goals",
                "A conscious try-out now and then",
            ],
        ),
        ("de", [], ["Wenn sie Deinem Business nicht dient"]),
        ("en", [], ["If it doesn't serve your business"]),
    ],
)
def test_the_advice_weighs_the_users_goals(
    renderer: Renderer, lang: str, goals: list[str], expected: list[str]
) -> None:
    view = {**ADVICE_VIEW, "goals": goals, "inspiration": "inspiration" in goals}
    text = render(renderer, lang, "prepare/skip_advice", {"name": "Stammtisch"}, view=view)
    for part in expected:
        assert part in text, text


def test_the_weighing_is_one_list_then_the_advice(renderer: Renderer) -> None:
    view = {
        **ADVICE_VIEW,
        "doubts": [{"question": "fit", "answer": "unsure"}, {"question": "people", "answer": "no"}],
        "goals": ["customers"],
        "costs": ["time", "energy"],
        "cost_time": "short",
    }
    text = render(renderer, "de", "prepare/skip_advice", {"name": "beim Stammtisch"}, view=view)
    assert text.startswith(
        "Lass uns „Stammtisch“ ehrlich abwägen:\n\n"
        "• Passt zu Deinem Business: Weiß nicht\n"
        "• Interessante Menschen: Nein\n"
        "• Deine Ziele: Kunden gewinnen\n"
        "• Was es Dich kostet: ein bis zwei Stunden und viel Energie\n\n"
        "Bei einem „Weiß nicht“ hilft ein Blick ins Programm oder in die Teilnehmerliste: zehn "
        "Minuten, die Dir einen Abend sparen können.\n\n"
        "Wenn sie diesen Zielen nicht dient,"
    ), text
    text = render(renderer, "en", "prepare/skip_advice", {"name": "at Stammtisch"}, view=view)
    assert text.startswith(
        "Let's weigh up the event “Stammtisch” honestly:\n\n"
        "• Fits your business: Not sure\n"
        "• Interesting people: No\n"
        "• Your goals: Win customers\n"
        "• What it costs you: one or two hours and a lot of energy\n\n"
        "Not sure about one of them? Ten minutes with the programme or the participant list can "
        "tell you more.\n\n"
        "If it doesn't serve these goals,"
    ), text
