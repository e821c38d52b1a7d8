"""Recognise an answer that says "I don't know" — in German or English, with typos, slang and
emoji — so the coach can help instead of printing the shrug back as advice.

COACHING.md §3: where the user does not know (what to give, where to find contacts, whether an
event fits), the coach helps with concrete ideas or a way to find out.

An answer is unsure when, after taking off punctuation, emoji and filler ("lol", "honestly",
„ehrlich gesagt“), every word left belongs to the vocabulary of shrugs and at least one of them
carries the shrug ("idea", „Ahnung“, "sure", "nothing"…). A word the vocabulary does not know is
content ("checklist", "Jonas"), and makes the answer a real one, however hesitant ("not sure,
maybe my checklist"). Misspelt words are matched to the nearest word of the vocabulary.

Both languages are always recognised: people answer in the other language too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _vocabulary(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Words that say "I don't know / nothing" on their own.
_CORE = _vocabulary(
    # English
    "idk idek dunno donno know knows clue clueless idea ideas sure unsure nothing none nope nah "
    "no pass maybe perhaps tbd unclear thought see anything much whatever decided undecided "
    "whoever anyone anybody "
    # German (accents folded: weiß → weiss, fällt → fallt)
    "weiss weis ahnung plan idee ideen sicher unsicher nichts nix nein keine keinen kein ka kp "
    "jein viel schimmer vielleicht sehen schauen schau schaun gucken egal unklar ueberlegt "
    "irgendwer irgendjemand irgendwas "
    "uberlegt entschieden unentschieden",
)
# Words that may stand around a shrug without adding content.
_FRAME = _vocabulary(
    # English
    "i im i'm ive i've me my do does dont don't didnt didn't not no yet a an the any at all have "
    "got had havent haven't really honestly tbh ngl so just now right what where who to give "
    "offer about it that this there of for comes come mind think can cant can't anything "
    "much special particular totally absolutely completely still we'll well will see good "
    "hard say be is was wasnt wasn't sorry really's kind kinda sort sorta too could would should "
    # German
    "ich i mir mich weiss's es das ich's so genau noch nicht nich net ned gar ueberhaupt uberhaupt "
    "null bin hab habe hab' wirklich echt ehrlich gesagt eigentlich grad gerade leider irgendwie "
    "halt ja mal doch jetzt momentan aktuell spontan was wo wen wem wer zu geben bieten "
    "fallt ein einfallen dazu davon darueber daruber drueber druber besonderes besonders "
    "grosses viel so richtig wirklich schwer sagen gute guter ist wird werden wir mal "
    "muss erst recht ma mer jo einfach koennte konnte kann",
)
# Filler that carries nothing at all (laughter, hesitation), also with letters drawn out.
_FILLER = re.compile(
    r"^(?:l+o+l+|lul|lmao|rofl|xd+|h+a+(?:h+a+)+|h+e+h+e+|h+i+h+i+|h+m+|e+h*m+|a+e*h+m*|u+h+|u+m+"
    r"|o+h+|o+k+|okay|k|puh+|naja|na|tja|oops|sry|sorry|yeah|yes|ja|nee|ne|och|ach|well"
    r"|honestly|tbh|ngl|lowkey|like|basically|actually|ehrlich|ehrlicherweise|gesagt)$"
)
_SHORTHANDS = {"t.b.d.": "tbd", "n/a": "none", "k.p.": "kp", "?": " "}
_KA = re.compile(r"(?<![a-z])k\.? ?a\.?(?![a-z])")  # „k.A.“, „k. A.“, „k a“: keine Ahnung
# Whole answers of words that are no shrug one by one ("really" may frame one: "idk really").
_PHRASES = {"not really", "nicht wirklich", "eher nicht"}
# Short words are too close to content words ("plant"/"plan", „klein“/„kein“) to guess: their
# usual typos are listed. Longer ones are matched within one slip of the finger (two from eight
# letters on): "ahnug", "dunnno", "unsciher", "nothin".
_TYPOS = {
    "knoe": "know", "kno": "know", "knw": "know", "konw": "know", "nkow": "know",
    "dnt": "dont", "dont'": "dont", "donr": "dont", "didnt": "didnt",
    "iea": "idea", "ideaa": "idea", "clu": "clue", "cleu": "clue", "suer": "sure", "shure": "sure",
    "weiß": "weiss", "wei": "weiss", "weiz": "weiss", "wies": "weiss", "weiss'": "weiss",
    "nich": "nicht", "nciht": "nicht", "nihct": "nicht", "nix": "nix", "nischt": "nichts",
    "kein'": "kein", "kien": "kein", "kiene": "keine", "plna": "plan",
}  # fmt: skip
_FUZZY_FROM = 5  # letters: shorter words are matched only through _TYPOS
_LONG_WORDS = tuple(word for word in sorted(_CORE | _FRAME) if len(word) >= _FUZZY_FROM)


def is_unsure(text: str | None) -> bool:
    """True for an empty answer, a shrug ("idk really", „weiß nicht so genau“, "🤷"), or
    "nothing"; False as soon as the answer names anything."""
    words = _words(text or "")
    words = [word for word in words if not _FILLER.match(word)]
    if not words:
        return True  # nothing but punctuation, emoji, laughter or hesitation
    known = [word for word in map(_known, words) if word is not None]
    if len(known) < len(words):
        return False  # a word with content
    return any(word in _CORE for word in known) or " ".join(known) in _PHRASES


def _fold(text: str) -> str:
    """Lower case without accents (weiß → weiss, fällt → fallt), one kind of apostrophe."""
    text = text.casefold().replace("’", "'").replace("`", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    folded = _fold(text)
    for short, long in _SHORTHANDS.items():
        folded = folded.replace(short, f" {long} ")
    folded = _KA.sub(" ka ", folded)
    # Letters and apostrophes inside words are kept; emoji, digits and punctuation separate.
    return [w.strip("'") for w in re.findall(r"[a-z][a-z']*", folded) if w.strip("'")]


@lru_cache(maxsize=4096)
def _known(word: str) -> str | None:
    """The vocabulary word `word` is, or is a typo of; None for content."""
    if word in _CORE or word in _FRAME:
        return word
    bare = word.replace("'", "")
    if bare in _CORE or bare in _FRAME:
        return bare
    if bare in _TYPOS:
        return _TYPOS[bare]
    if len(bare) < _FUZZY_FROM:
        return None
    slips = 1 if len(bare) < 8 else 2
    return next((w for w in _LONG_WORDS if _slips(bare, w, slips) <= slips), None)


def _slips(a: str, b: str, most: int) -> int:
    """Typing slips between two words (letters added, dropped, changed or swapped: the
    optimal-string-alignment distance); anything above `most` is reported as `most + 1`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        previous, row = row, [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            row[j] = min(
                previous[j] + 1,
                row[j - 1] + 1,
                previous[j - 1] + (ca != cb),
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], before[j - 2] + 1)
        before = previous
        if min(row) > most:
            return most + 1
    return row[-1]


_YES = _vocabulary(
    "yes yeah yep yup ya ok okay sure definitely absolutely totally certainly",
    "ja jo jep jup klar sicher definitiv absolut natürlich naturlich genau passt",
)
_NO = _vocabulary("no nope nah nein nee ne nö keinesfalls")
_YES_PHRASES = ("of course", "auf jeden fall", "auf alle fälle", "auf alle falle")
_NO_PHRASES = ("not really", "no way", "nicht wirklich", "eher nicht", "gar nicht",
               "überhaupt nicht", "uberhaupt nicht")  # fmt: skip


def yes_no_or_unsure(text: str) -> str | None:
    """A typed answer to a yes/no question: "yes", "no", "unsure" („weiß nicht“, "idk",
    "🤷"), or None when it says something else."""
    folded = " ".join(re.sub(r"[^\w\s']", " ", text.casefold()).split())
    words = [
        word for word in folded.split() if word in _YES or word in _NO or not _FILLER.match(word)
    ]
    plain = " ".join(words)
    if plain in _NO_PHRASES or (words and all(word in _NO for word in words)):
        return "no"
    if plain in _YES_PHRASES or (words and all(word in _YES for word in words)):
        return "yes"
    return "unsure" if is_unsure(text) else None



# Hedges around a real answer: "idk maybe practice managers? …", „vllt Handwerker, die gründen“,
# "AI in recruiting i guess". Said to the coach, they are no part of the plan printed back.
_LEADING_HEDGE = re.compile(
    r"^(?:(?:idk|dunno|h+m+|maybe|perhaps|probably|possibly|i guess|i think|not sure|no idea"
    r"|vllt\.?|vlt\.?|vielleicht|evtl\.?|eventuell|wahrscheinlich|keine ahnung|wei(?:ß|ss) nich?t?"
    r"|glaub(?:e)? ich|ich glaub(?:e)?|naja|also|so|lol|haha)\b[\s,:.–-]*)+",
    re.I,
)
_TRAILING_HEDGE = re.compile(
    r"(?:[\s,]+(?:i guess|i think|or so|or something|or whatever|maybe|lol|haha|oder so"
    r"|glaub(?:e)? ich|vielleicht|vllt|evtl|keine ahnung|idk))+\s*$"
    # "…, aber weiß nicht ob die da sind", "… but no idea if they'll come"
    r"|[\s,]+(?:aber|but)\s+(?:wei(?:ß|ss) (?:ich )?nich?t?|keine ahnung|k\.? ?a\.?|no idea"
    r"|not sure|idk|dunno|who knows)\b.*$",
    re.I,
)
_CLAUSE_END = re.compile(r"\s*(?:[,;!?]+|\s[-–—]\s)\s*")  # not ".": "Dr. Weber"


def without_shrugs(text: str | None) -> str:
    """A hesitant answer as a plan can print it: the clauses that only shrug dropped, the
    hedges around the rest taken off ("idk maybe practice managers? or agencies who need a dev"
    → "practice managers, or agencies who need a dev"); "" when nothing but a shrug is left."""
    if is_unsure(text):
        return ""
    kept = []
    whole = _TRAILING_HEDGE.sub("", " ".join((text or "").split()))
    for clause in _CLAUSE_END.split(whole):
        if is_unsure(clause):
            continue
        firm = _TRAILING_HEDGE.sub("", _LEADING_HEDGE.sub("", clause)).strip(" ,;:.-–—")
        if firm:
            kept.append(firm)
    return ", ".join(kept)
