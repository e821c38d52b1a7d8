"""How many, as people type it: "2", "about 3 a month", "2-3", „zwei bis drei“, "8h", "none".

The plan's numbers (events per month, try-outs per quarter, hours per month) are typed into a
chat, so the answer carries words around the number. A range counts with its upper end: it is
a budget. "I don't know" is not a number, and gets a friendly hint instead (COACHING.md §3).
"""

from __future__ import annotations

import re

from bot.coach.unsure import is_unsure
from bot.engine.domain import Domain, StepContext
from bot.engine.inputs import InvalidInput

_WORDS = {
    # German
    "null": 0, "eins": 1, "ein": 1, "eine": 1, "einen": 1, "einer": 1, "zwei": 2, "zwo": 2,
    "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12, "fünfzehn": 15, "zwanzig": 20,
    "dreißig": 30, "dreissig": 30, "paar": 3,
    # English
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "couple": 2, "three": 3, "few": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_NONE = {
    "0", "none", "zero", "no", "nope", "nothing", "not any", "no one", "null", "keine", "keins",
    "kein", "nix", "nichts", "gar keine", "gar keins", "keinen", "nada",
}  # fmt: skip
_ARTICLES = {"a", "an", "ein", "eine", "einen", "einer"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")


def read_amount(text: str) -> float:
    """The number in a typed answer; raises InvalidInput ("number_unsure" for a shrug,
    "not_a_number" for anything else without a number)."""
    cleaned = " ".join(text.casefold().split()).strip(" .!?")
    if cleaned in _NONE:
        return 0
    digits = [float(found.replace(",", ".")) for found in _NUMBER.findall(cleaned)]
    if digits:
        return max(digits)  # "2-3" or „2 bis 3“: a budget's upper end
    found = [token for token in _TOKEN.findall(cleaned) if token in _WORDS]
    # "a", „ein“ count only alone: "a few" is 3, "one a month" is 1, „eine im Monat“ is 1
    numbers = [token for token in found if token not in _ARTICLES] or found
    if numbers:
        return max(_WORDS[token] for token in numbers)
    if is_unsure(cleaned):
        raise InvalidInput("number_unsure")
    raise InvalidInput("not_a_number")


def amounts_domain() -> Domain:
    def parse(text: str, ctx: StepContext) -> float:
        return read_amount(text)

    return Domain(parsers={"number": parse})
