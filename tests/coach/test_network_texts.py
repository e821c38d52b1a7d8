"""Network review, yearly plan and shared-contact texts read correctly whatever network name or
answer the user typed: rendered through the real renderer with the project's prompts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.coach.journal import NetworkSummary, YearPlan
from bot.coach.wording import network, template_filters
from bot.engine.render import Renderer
from bot.engine.telegram_html import visible_text

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)

# (typed name, the German label in „…“, how English names it)
NAMES = [
    ("BNI Chapter Wien-Mitte", "BNI Chapter Wien-Mitte", "BNI Chapter Wien-Mitte"),
    ("den Unternehmerinnen-Stammtisch", "Unternehmerinnen-Stammtisch", "den Unternehmerinnen-Stammtisch"),
    ("beim Unternehmerinnen-Stammtisch", "Unternehmerinnen-Stammtisch", "beim Unternehmerinnen-Stammtisch"),
    ("Die Wirtschaftsjunioren Graz", "Wirtschaftsjunioren Graz", "Die Wirtschaftsjunioren Graz"),
    ("im Gründerinnen-Netzwerk", "Gründerinnen-Netzwerk", "im Gründerinnen-Netzwerk"),
    ("„Frauen im Handwerk“", "Frauen im Handwerk", "Frauen im Handwerk"),
    ("the Chamber's Young Professionals", "the Chamber's Young Professionals", "the Chamber's Young Professionals"),
    ("at the Chamber's Young Professionals", "at the Chamber's Young Professionals", "the Chamber's Young Professionals"),
    ("Rotary Club Leeds.", "Rotary Club Leeds", "Rotary Club Leeds"),
    ("  founders   circle ", "founders circle", "founders circle"),
]  # fmt: skip

REVIEW_TEMPLATES = (
    "look", "kept", "talk_first", "talk", "talk_planned", "checkin", "helped", "not_yet",
    "period", "address", "withdrawal", "left", "later", "leave_check",
)  # fmt: skip

# What must never appear: a preposition or article inside the German label, doubled
# prepositions, empty labels, stray spaces before punctuation.
BROKEN = [
    r"„(?:den|dem|der|die|das|beim|im|bei|am) ",
    r"\b(?:at|of|in) (?:at|in|of)\b",
    r"\b(?:bei|im) (?:bei|beim|im)\b",
    r"„“",
    r"‘’",
    r" [.,:;!?]",
    r"\S  ",  # (lists are indented on purpose)
]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROMPTS, filters=template_filters())


def _network(name: str, stage: str | None = None, leave: bool = True) -> NetworkSummary:
    return NetworkSummary(
        id="n1",
        name=name,
        count=3,
        average=2.0,
        scores=[2, 3, 1],
        stage=stage,  # type: ignore[arg-type]
        stage_at=NOW,
        leave_on=datetime(2026, 12, 31, 11, tzinfo=UTC) if leave else None,
    )


def _review_view(lang: str, name: str, stage: str | None = "withdraw", leave: bool = True) -> dict[str, Any]:
    when = {"de": "31. Dezember 2026", "en": "31 December 2026"}[lang]
    return {
        "network": _network(name, stage, leave),
        "name": name,
        "recent": 3,
        "recent_usefulness": {"de": "2", "en": "2"}[lang],
        "low": True,
        "since": when,
        "leave_on": when if leave else None,
        "checkin_on": when,
        "reminder_on": when,
    }


def render(renderer: Renderer, lang: str, template: str, view: dict[str, Any], **answers: Any) -> str:
    html = renderer.render_one(
        lang,
        template,
        profile={"name": "Mira Berger", "business": "Steuerberaterin", "goals": ["customers"]},
        answers=answers,
        view=view,
        lang=lang,
        resume_title=None,
    )
    return visible_text(html)


def assert_reads_well(text: str) -> None:
    for pattern in BROKEN:
        assert not re.search(pattern, text), f"{pattern!r} in:\n{text}"


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(("typed", "de_label", "en_label"), NAMES)
@pytest.mark.parametrize("template", REVIEW_TEMPLATES)
def test_every_review_text_names_the_network_as_a_label(
    renderer: Renderer, lang: str, typed: str, de_label: str, en_label: str, template: str
) -> None:
    for address in ("informal", "formal"):
        text = render(
            renderer, lang, f"network_review/{template}", _review_view(lang, typed), address=address
        )
        assert_reads_well(text)
        if template != "address":  # the only one that does not name the network
            label = f"„{de_label}“" if lang == "de" else en_label
            assert label in text or (template == "look" and de_label in text), text


@pytest.mark.parametrize(("typed", "de_label", "en_label"), NAMES)
def test_the_review_offer_after_a_reflection(
    renderer: Renderer, typed: str, de_label: str, en_label: str
) -> None:
    view = {"network": typed, "count": 3, "usefulness": "2,3"}
    de = render(renderer, "de", "reflect/network_review", view)
    assert f"Deine letzten 3 Veranstaltungen im Netzwerk „{de_label}“ haben Dir im Schnitt 2,3 von 5 gebracht." in de
    view["usefulness"] = "2.3"
    en = render(renderer, "en", "reflect/network_review", view)
    assert f"Your last 3 events at {en_label} brought you 2.3 out of 5 on average." in en
    assert_reads_well(de)
    assert_reads_well(en)


WITHDRAWALS = [
    (
        "de", "informal", "den Unternehmerinnen-Stammtisch", True,
        "Hallo [Name],\n\nich möchte Dir rechtzeitig Bescheid geben: Zum Ende meiner Mitgliedschaft "
        "am 31. Dezember 2026 verabschiede ich mich aus dem Netzwerk „Unternehmerinnen-Stammtisch“.\n\n"
        "Danke für Deinen Einsatz und für die Menschen, die ich dort kennengelernt habe. Ich wünsche "
        "Dir und der Gruppe alles Gute, und vielleicht kreuzen sich unsere Wege ja wieder.\n\n"
        "Viele Grüße\nMira Berger",
    ),
    (
        "de", "formal", "BNI Chapter Wien-Mitte", False,
        "Guten Tag [Name],\n\nich möchte Ihnen rechtzeitig Bescheid geben: Zum nächstmöglichen "
        "Zeitpunkt verabschiede ich mich aus dem Netzwerk „BNI Chapter Wien-Mitte“.\n\n"
        "Danke für Ihren Einsatz und für die Menschen, die ich dort kennengelernt habe. Ich wünsche "
        "Ihnen und der Gruppe alles Gute, und vielleicht kreuzen sich unsere Wege ja wieder.\n\n"
        "Viele Grüße\nMira Berger",
    ),
    (
        "en", "formal", "at the Chamber's Young Professionals", True,
        "Dear [name],\n\nI wanted to let you know in good time: I'll be leaving the Chamber's Young "
        "Professionals at the end of my membership period on 31 December 2026.\n\nThank you for all "
        "the work you put into it, and for the people I met through it. I wish you and the group all "
        "the best, and I hope our paths cross again.\n\nKind regards\nMira Berger",
    ),
    (
        "en", "informal", "BNI Chapter Wien-Mitte", False,
        "Hi [name],\n\nI wanted to let you know in good time: I'll be leaving BNI Chapter Wien-Mitte "
        "at the next possible date.\n\nThank you for all the work you put into it, and for the people "
        "I met through it. I wish you and the group all the best, and I hope our paths cross "
        "again.\n\nBest wishes\nMira Berger",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "address", "typed", "leave", "expected"), WITHDRAWALS)
def test_withdrawal_messages(
    renderer: Renderer, lang: str, address: str, typed: str, leave: bool, expected: str
) -> None:
    text = render(
        renderer, lang, "network_review/withdrawal", _review_view(lang, typed, leave=leave),
        address=address,
    )  # fmt: skip
    draft = text.split("\n\n", 1)[1].rsplit("\n\n💡", 1)[0]
    assert draft == expected


PLAN_ANSWERS = [
    # (contacts, places, topics): sentences, phrases with closing punctuation, empty answers
    ("Designstudios und Agenturen.", "beim Köpfchen-Talk und im BNI", "Nachhaltigkeit!"),
    ("Owners of small shops", None, None),
    ("  Architects,   and developers ", "at the Retail Meetup", "AI for small businesses."),
]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(("contacts", "places", "topics"), PLAN_ANSWERS)
def test_the_plan_reads_well_for_any_answer(
    renderer: Renderer, lang: str, contacts: str, places: str | None, topics: str | None
) -> None:
    names = [typed for typed, _, _ in NAMES]
    plan = YearPlan(
        year=2027,
        contacts=contacts,
        places=places,
        topics=topics,
        networks={name: "stay" if i % 2 else "go" for i, name in enumerate(names)},
        saved_at=NOW,
        events_per_month=2 if places else None,
        tryouts_per_quarter=1 if places else None,
        hours_per_month=12 if places else None,
    )
    view = {
        "year": 2027,
        "plan": plan,
        "stay": [n for n, c in plan.networks.items() if c == "stay"],
        "go": [n for n, c in plan.networks.items() if c == "go"],
        "networks": [
            {"id": "n1", "name": name, "count": 2, "usefulness": "2,5", "stage": None}
            for name in names
        ],
        "invite_month": "December 2027" if lang == "en" else "Dezember 2027",
        "invite_year": 2028,
        "budget": None,
    }
    for template in ("plan/saved", "plan/networks", "plan/intro", "plan/contacts"):
        text = render(renderer, lang, template, view)
        assert_reads_well(text)
    saved = render(renderer, lang, "plan/saved", view)
    contacts_line = next(line for line in saved.splitlines() if line.startswith("👥"))
    assert contacts_line.endswith(" ".join(contacts.split()).rstrip(".,!"))
    still_open = "still open" if lang == "en" else "noch offen"
    assert ("📍" in saved) and (still_open in saved) is not bool(places)
    assert ("🌱" in saved) is bool(topics) and ("📊 Budget" in saved) is bool(places)
    if places:
        assert {
            "en": "📊 Budget: 2 events a month for your goals · 1 try-out a quarter · 12 hours a month",
            "de": "📊 Budget: 2 Veranstaltungen im Monat für Deine Ziele · 1 Test im Quartal · "
            "12 Stunden im Monat",
        }[lang] in saved
    if lang == "de":
        assert "Netzwerke, die gehen: BNI Chapter Wien-Mitte, Unternehmerinnen-Stammtisch," in saved


@pytest.mark.parametrize(
    ("lang", "name", "expected"),
    [
        ("de", "Anna Schmidt", "📇 Follow-up an Anna Schmidt. Nur ein paar kurze Fragen"),
        ("de", "Dr. Jonas Berger", "📇 Follow-up an Dr. Jonas Berger. Nur"),
        ("en", "Sam Taylor", "📇 Follow-up with Sam Taylor. Just a few quick questions"),
        ("en", "<b>Sam</b>", "📇 Follow-up with <b>Sam</b>. Just"),  # escaped, shown as typed
    ],
)
def test_shared_contact_greeting(renderer: Renderer, lang: str, name: str, expected: str) -> None:
    text = render(renderer, lang, "followup/shared", {}, contact_name=name)
    assert text.startswith(expected)


@pytest.mark.parametrize(("typed", "de_label", "en_label"), NAMES)
def test_network_filter(typed: str, de_label: str, en_label: str) -> None:
    assert network("de", typed) == de_label
    assert network("en", typed) == en_label
