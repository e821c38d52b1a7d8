"""The self-introduction is said aloud in a noisy room: at most 20 words, no emoji or chat slang
(whatever the profile holds), ending with a question back; the answer to "And what do you do?"
names the work and the event's goal. Rendered with the real templates for many profiles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.coach.exit_lines import word_count
from bot.coach.wording import spoken, template_filters
from bot.engine.render import Renderer
from bot.engine.telegram_html import visible_text

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
GOALS = ("customers", "cooperations", "exchange", "inspiration", "tryout")
MOST_WORDS = 20

PROFILES = {
    "de": [
        ("Lena 🙂", "ich mach websites für kleine läden u. so 🙂"),
        ("Lena", "mach Websites für kleine Läden u. so."),
        ("lena schulz", "Webdesignerin für kleine Läden"),
        ("Mira", "Ich bin Steuerberaterin für Kreative, Künstlerinnen und Start-ups aus der Musikbranche in Berlin und Brandenburg"),
        ("Jens", "Ich berate Handwerksbetriebe bei der Digitalisierung und helfe ihnen, ihre Prozesse zu verschlanken 💪"),
        ("Dr. Anna Weber", "Wir bauen Apps für Arztpraxen, z.B. Terminbuchung usw."),
        ("Tom", "Coaching lol"),
        ("Sam", "Fotografin & Videografin (Hochzeiten, Business-Portraits, Events etc.) 📸📸"),
        ("Kai", "Steuerberatung"),
        ("Ana", ""),
        ("Ana", None),
        ("Bea", "Ich bin selbstständige Übersetzerin für Englisch und Spanisch, vor allem Medizin und Recht, seit 15 Jahren 🙈 haha"),
        ("Ulla", "🤷"),
        ("Merve", "Ich bin Merve 😊 und mach Buchhaltung für kleine Handwerksbetriebe, quasi Zahlen-Feuerwehr lol"),
        ("Jonas", "Hi, ich bin Jonas, Schreiner mit eigener Werkstatt in Köln"),
        ("Jens", "Ich bin selbstständig und berate Handwerksbetriebe"),
        ("Petra K.", "hallo! ich bin petra und bau gärten, so ne art landschaftsgärtnerin"),
        ("Jörg", "Moin, ich bin Jörg 👋 mach seit 12 jahren Steuerberatung für Handwerker, eher so der ruhige Typ"),
    ],
    "en": [
        ("Ada 🙂", "I build websites for small shops lol"),
        ("ada", "web designer for small shops & cafés, e.g. booking pages etc. 😅"),
        ("Sam Taylor", "I'm a freelance tax adviser for creatives, musicians and small studios across the north of England"),
        ("Priya", "I help small and medium sized family owned manufacturing businesses in the north of England modernise their accounting"),
        ("Ben", "We run a bakery and café in Leeds (two shops now!!) 🥐"),
        ("Mo", "build apps for shops"),
        ("Jo", "Coaching tbh"),
        ("Liz", ""),
        ("Liz", None),
        ("Dr. Ravi Patel", "My studio makes explainer films for tech companies :)"),
        ("Kim", "UX"),
        ("Lou", "🤷‍♀️"),
        ("Dev", "I'm Dev 👋 I do websites for dentists & vets, kinda niche lol"),
        ("ada", "hey im ada, freelance copywriter for b2b saas"),
        ("Tom Hughes", "Hi! I'm Tom and I run a small plumbing firm, nothing fancy"),
        ("Dave", "Dave here, ex-army, now doing project mgmt consulting, hate small talk tbh"),
        ("Priya", "hey I'm Priya 😊 I run a tiny bookkeeping biz for cafes & bakeries in Manchester lol"),
    ],
}
EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF]")
SLANG = {
    "de": re.compile(r"\b(?:lol|haha|u\. so|usw|etc|z\.B\.|z\. B\.)|…|\.\.\.|&|:\)", re.I),
    "en": re.compile(r"\b(?:lol|tbh|haha|etc|e\.g\.|biz|mgmt|small talk)\b|…|\.\.\.|&|:\)", re.I),
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROMPTS, filters=template_filters())


def render(renderer: Renderer, lang: str, template: str, name: str, work: Any, goal: str) -> str:
    html = renderer.render_one(
        lang,
        template,
        profile={"name": name, "business": work, "goals": []},
        answers={"goal": goal},
        view={},
        lang=lang,
        resume_title=None,
    )
    return visible_text(html).strip()


CASES = [
    (lang, name, work, goal)
    for lang, profiles in PROFILES.items()
    for name, work in profiles
    for goal in GOALS
]


@pytest.mark.parametrize(("lang", "name", "work", "goal"), CASES)
def test_the_introduction_can_be_said_in_one_breath(
    renderer: Renderer, lang: str, name: str, work: str | None, goal: str
) -> None:
    intro = render(renderer, lang, "prepare/_intro_suggestion", name, work, goal)
    assert word_count(intro) <= MOST_WORDS, intro
    assert intro.endswith("?"), intro  # a question back
    assert "\n" not in intro and not EMOJI.search(intro) and not SLANG[lang].search(intro), intro
    assert not re.search(r"[.,]\s*[.,]|\s[.,?]|,\.", intro), intro  # no doubled punctuation
    opening = {"de": "Ich bin ", "en": "I'm "}[lang]
    assert intro.startswith(opening) and intro[len(opening)].isupper(), intro


@pytest.mark.parametrize(("lang", "name", "work", "goal"), CASES)
def test_the_answer_to_what_do_you_do_names_the_goal(
    renderer: Renderer, lang: str, name: str, work: str | None, goal: str
) -> None:
    answer = render(renderer, lang, "prepare/_what_i_do", name, work, goal)
    assert word_count(answer) <= 30, answer
    assert answer.endswith({"de": "Und Sie?", "en": "And you?"}[lang]), answer
    assert answer[0].isupper() and not EMOJI.search(answer) and not SLANG[lang].search(answer)
    assert not re.search(r"[.,]\s*[.,]|\s[.,?]", answer), answer


@pytest.mark.parametrize(
    ("lang", "name", "work", "goal", "expected"),
    [
        (
            "de",
            "Lena 🙂",
            "ich mach websites für kleine läden u. so 🙂",
            "customers",
            "Ich bin Lena und mache websites für kleine läden. Woran arbeiten Sie gerade?",
        ),
        (
            "de",
            "Mira",
            "Ich bin Steuerberaterin für Kreative, Künstlerinnen und Start-ups aus der Musikbranche "
            "in Berlin und Brandenburg, seit 2015 selbstständig",
            "exchange",
            "Ich bin Mira, Steuerberaterin für Kreative. Was beschäftigt Ihre Branche gerade?",
        ),
        (
            "en",
            "Ada 🙂",
            "I build websites for small shops lol",
            "cooperations",
            "I'm Ada and I build websites for small shops. Who do you usually work with?",
        ),
        (
            "en",
            "Priya",
            "I help small and medium sized family owned manufacturing and engineering businesses "
            "in the north of England modernise their accounting",
            "inspiration",
            "I'm Priya and I help small and medium sized family owned manufacturing and "
            "engineering businesses. What brings you here today?",  # cut before a detail
        ),
        (
            "de",
            "Merve",
            "Ich bin Merve 😊 und mach Buchhaltung für kleine Handwerksbetriebe, quasi Zahlen-Feuerwehr lol",
            "customers",
            "Ich bin Merve und mache Buchhaltung für kleine Handwerksbetriebe. Woran arbeiten Sie gerade?",
        ),
        (
            "de",
            "Jonas",
            "Hi, ich bin Jonas, Schreiner mit eigener Werkstatt in Köln",
            "exchange",
            "Ich bin Jonas, Schreiner mit eigener Werkstatt in Köln. Was beschäftigt Ihre Branche gerade?",
        ),
        (
            "en",
            "Dev",
            "I'm Dev 👋 I do websites for dentists & vets, kinda niche lol",
            "tryout",
            "I'm Dev and I do websites for dentists and vets. What brings you here today?",
        ),
        (
            "en",
            "Tom Hughes",
            "Hi! I'm Tom and I run a small plumbing firm, nothing fancy",
            "customers",
            "I'm Tom Hughes and I run a small plumbing firm. What are you working on at the moment?",
        ),
    ],
)
def test_introductions_read_as_a_person_would_say_them(
    renderer: Renderer, lang: str, name: str, work: str, goal: str, expected: str
) -> None:
    assert render(renderer, lang, "prepare/_intro_suggestion", name, work, goal) == expected


@pytest.mark.parametrize(
    ("lang", "typed", "most", "said"),
    [
        ("de", "mach Websites für kleine Läden u. so 🙂", None, "mach Websites für kleine Läden"),
        ("de", "Webdesign & SEO z.B. für Handwerker etc.", None, "Webdesign und SEO zum Beispiel für Handwerker"),
        ("de", "Coaching … 🙈 haha", None, "Coaching"),
        ("de", "Steuerberaterin für Kreative, Künstlerinnen und Start-ups", 5, "Steuerberaterin für Kreative"),
        ("de", "Ich berate Handwerksbetriebe bei der Digitalisierung und helfe ihnen, ihre Prozesse zu verschlanken", 11, "Ich berate Handwerksbetriebe bei der Digitalisierung"),
        ("en", "freelance UX designer :) for fintechs & health apps, e.g. onboarding flows...", None, "freelance UX designer for fintechs and health apps, for example onboarding flows"),
        ("en", "I design websites and online shops for small independent retailers and makers who want to sell more", 11, "I design websites and online shops"),
        ("en", "I help small and medium sized family owned manufacturing businesses in the north", 6, ""),  # better unsaid than broken
        ("de", "Ich berate Handwerksbetriebe und helfe ihnen, Prozesse zu verschlanken", 6, "Ich berate Handwerksbetriebe"),
        ("en", "Lena 🙂", 4, "Lena"),
    ],
)
def test_spoken_text_has_no_emoji_slang_or_shorthand(
    lang: str, typed: str, most: int | None, said: str
) -> None:
    assert spoken(lang, typed, most) == said


@pytest.mark.parametrize(("lang", "name", "work", "goal"), CASES)
def test_a_name_typed_into_the_profile_is_said_once(
    renderer: Renderer, lang: str, name: str, work: str | None, goal: str
) -> None:
    """People introduce themselves in the business answer too („Ich bin Merve und mach …“):
    the introduction says the name once, and the answer about the work not at all."""
    first = re.sub(r"\W", "", name.split()[-1] if name.startswith("Dr.") else name.split()[0])
    intro = render(renderer, lang, "prepare/_intro_suggestion", name, work, goal)
    answer = render(renderer, lang, "prepare/_what_i_do", name, work, goal)
    assert len(re.findall(rf"\b{first}\b", intro, re.I)) == 1, intro
    assert not re.search(rf"\b{first}\b", answer, re.I), answer
