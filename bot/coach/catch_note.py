"""Take a contact typed in a hurry apart: "a name and a few words" from the 🚪 button.

People type it as it comes: `steffi (die mit dem hund) macht social media für zahnärzte (!!)`,
`jake (tall guy, beard) talked abt his side hustle lol`, `Prof. Harald Wiesner`,
`Müller & Söhne, brauchen neue Empfangstheke`. The name is what the morning list, the buttons
and the follow-up draft greet, so it must be clean ("Steffi", "Jake"); the rest is the user's
note for the next morning, so none of it may be lost or cut inside a bracket or a word.

Where the name ends: at the first separator outside brackets (a comma, a colon, a dash between
spaces, a bracket, a new line, an emoji), and before that at the first word no name is made of
(a verb such as „macht“ or "talked", a preposition such as "from" or „vom“, a word in lower case
after a name typed with capitals). A name typed all in lower case has at most two words (beside
titles and particles such as „von der“) unless it is a company (GmbH, Ltd, "& Co"): in
"ben carter bike shop" the shop is the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.coach.addressee import organisation_for_greeting, organisation_name
from bot.coach.wording import is_pictograph, person

NAME_MAX = 80  # longest name kept; a longer one goes on in the note, cut between words
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_SEPARATORS = (" – ", " — ", " - ", " -- ", " | ", " / ", ",", ";", ":", " ·")
# Words that stay in a name although they end with a full stop: titles, initials, "& Co.".
_ABBREVIATIONS = {
    "dr", "prof", "dipl", "ing", "med", "rer", "nat", "phil", "jur", "habil", "mag", "pd",
    "mr", "mrs", "ms", "mx", "st", "jr", "sr", "hr", "fr", "fa", "co", "inc", "ltd", "corp",
    "bros", "mbh", "kg", "gmbh",
}  # fmt: skip
# Forms of address and titles a name may open with (any case, with or without a full stop).
_LEADING = re.compile(
    r"^(?:herr|frau|hr|fr|mr|mrs|ms|miss|mx|sir|dame|dr|prof|professor|professorin|dipl"
    r"|ing|mag|pd|med|rer|nat|phil|jur|habil)\.?(?:-\w+\.?)?$",
    re.I,
)
# Name particles: lower case inside a name and not counted as one of its words.
_PARTICLES = {"von", "van", "der", "den", "de", "zu", "du", "di", "da", "la", "le", "del", "ten"}
_PARTICLE_OPENERS = {"von", "van", "de", "zu", "di", "da", "del", "ten"}
# Between two parts of one company's name: "Müller & Söhne", "Crumbs and Co".
_CONNECTORS = {"&", "+", "und", "and"}
_AND_CO = {"co", "co.", "cie", "cie.", "söhne", "sons", "partner", "partners", "kollegen"}
# How a description opens instead of a name ("the guy with the red glasses"): it is kept whole
# as the name, up to its first verb.
_DESCRIPTION_OPENERS = {
    "the", "a", "an", "that", "this", "my", "his", "her", "our", "der", "die", "das", "dem",
    "den", "ein", "eine", "einer", "mein", "meine", "unser", "unsere", "guy", "typ",
}  # fmt: skip
# Words that start the note: verbs people use about someone they just met, in both languages.
_VERBS = {
    # German
    "macht", "mach", "sucht", "hat", "hatte", "ist", "war", "will", "wollte", "möchte", "braucht",
    "plant", "arbeitet", "kennt", "kommt", "wohnt", "leitet", "führt", "verkauft", "baut",
    "hilft", "bietet", "betreibt", "gründet", "startet", "organisiert", "schreibt", "berät",
    "interessiert", "sagt", "sagte", "meinte", "erzählt", "erzählte", "fragt", "fragte", "kann",
    "könnte", "soll", "sollte", "wird", "würde", "suchen", "brauchen", "haben", "sind",
    "wollen", "machen", "planen", "bauen", "eröffnet", "eröffnen", "expandiert", "vertreibt",
    "produziert", "entwickelt", "unterrichtet", "fotografiert", "designt", "programmiert",
    "liebt", "hasst", "kauft", "mag", "denkt", "überlegt", "zieht", "gibt", "nimmt", "sitzt",
    # English
    "is", "was", "has", "had", "wants", "wanted", "needs", "needed", "does", "did", "runs",
    "ran", "works", "worked", "owns", "sells", "makes", "made", "builds", "built", "said",
    "says", "told", "asked", "asks", "talked", "talks", "chatted", "spoke", "looking", "looks",
    "plans", "planning", "opening", "opens", "just", "might", "could", "would", "can",
    "should", "knows", "met", "mentioned", "loves", "hates", "are", "were", "do", "need",
    "want", "hate", "love", "interested", "moving", "launching", "starting", "started",
    "hiring", "teaches", "designs", "writes", "helps", "offers", "struggling", "thinking",
    "may", "gave", "gives", "likes", "liked", "got", "gets", "goes", "went", "lives",
}  # fmt: skip
# Words that start the note in a name typed without capitals or separators: prepositions,
# articles, roles, chat ("jake from acme", „steffi die mit dem hund“, "tom lol").
_NOTE_WORDS = {
    # German
    "aus", "vom", "bei", "beim", "mit", "im", "in", "für", "von", "über", "als", "und", "oder",
    "die", "das", "ein", "eine", "einer", "sehr", "total", "super", "mega", "echt", "nett",
    "typ", "frau", "mann", "chefin", "chef", "gründer", "gründerin", "inhaber", "inhaberin",
    "geschäftsführer", "geschäftsführerin", "gf", "steuerberater", "steuerberaterin",
    "fotograf", "fotografin", "designerin", "entwickler", "entwicklerin", "berater",
    "beraterin", "anwalt", "anwältin", "architekt", "architektin", "coachin", "kollegin",
    "kollege", "nachbarin", "nachbar", "aka",
    # English
    "from", "of", "at", "with", "who", "which", "that", "the", "a", "an", "and", "or", "but",
    "very", "really", "tall", "short", "nice", "lovely", "guy", "girl", "dude",
    "lady", "woman", "man", "founder", "cofounder", "co-founder", "owner", "ceo", "cto", "cfo",
    "coo", "head", "designer", "developer", "dev", "photographer", "accountant", "lawyer",
    "consultant", "freelancer", "recruiter", "manager", "marketing", "sales", "works",
    # chat, both
    "lol", "haha", "hehe", "idk", "tbh", "btw", "omg", "ngl", "xd", "fyi", "imo", "jk",
}  # fmt: skip
# Legal forms written as companies write them, for a company name typed in lower case.
_LEGAL_CASE = {
    "gmbh": "GmbH", "ggmbh": "gGmbH", "mbh": "mbH", "ag": "AG", "ug": "UG", "kg": "KG",
    "ohg": "OHG", "gbr": "GbR", "ev": "e.V.", "e.v.": "e.V.", "e.v": "e.V.", "ltd": "Ltd",
    "ltd.": "Ltd.", "llc": "LLC", "llp": "LLP", "inc": "Inc", "inc.": "Inc.", "plc": "plc",
    "co": "Co", "co.": "Co.", "&": "&",
}  # fmt: skip
_LOWER_CASE_WORDS = 2  # a name typed in lower case: first name and surname


@dataclass(frozen=True)
class CaughtContact:
    """A name to greet, and the user's note with everything else they typed."""

    name: str
    note: str | None


def _sentence_end(line: str, at: int) -> bool:
    """Whether the full stop at `at` ends a sentence ("Ben Carter. Bike shop"), not a title,
    an initial or an abbreviation ("Dr. Weber", "John F. Kennedy", "Müller & Co. KG")."""
    word = re.findall(r"[\w.-]+$", line[:at])
    plain = word[-1].casefold().strip(".") if word else ""
    return not (len(plain) <= 1 or "." in plain or plain in _ABBREVIATIONS)


def _first_break(line: str) -> int:
    """Where the name can end at the latest: the first separator, bracket or emoji outside
    brackets (a bracket naming a legal form, „UG (haftungsbeschränkt)“, belongs to the name)."""
    depth = 0
    for at, ch in enumerate(line):
        if ch in _BRACKETS:
            inner = line[at + 1 :].split(_BRACKETS[ch], 1)[0]
            if depth == 0 and at > 0 and inner.casefold() != "haftungsbeschränkt":
                return at
            depth += 1
        elif ch in _BRACKETS.values():
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif _separator_at(line, at):
            return at
    return len(line)


def _separator_at(line: str, at: int) -> bool:
    """A separator, an emoji, or the end of a sentence, starting at `at`."""
    ch = line[at]
    if is_pictograph(ch) or any(line.startswith(s, at) for s in _SEPARATORS):
        return True
    ends_word = line[at + 1 : at + 2] in (" ", "")
    return ch in ".!?" and ends_word and _sentence_end(line, at)


def _name_words(words: list[str]) -> int:
    """How many of the words before the first break belong to the name."""
    count = 0
    while count < len(words) - 1 and _LEADING.match(words[count]):
        count += 1  # "Frau Dr.", "prof." open the name and are not its words
    if count == len(words) - 1 or words[count].casefold() in _DESCRIPTION_OPENERS:
        # the last word after titles, or a description ("the guy with the red glasses")
        return _upto_verb(words, count + 1)
    capitals = words[count][:1].isupper()
    counted = 1  # the name's own words so far, titles and particles aside
    index = count + 1
    while index < len(words):
        word = words[index]
        plain = word.casefold()
        nxt = words[index + 1] if index + 1 < len(words) else ""
        if plain in _VERBS or any(ch.isdigit() for ch in word):
            break
        if word[:1] in _BRACKETS:  # a legal form in brackets: „UG (haftungsbeschränkt)“
            index += 1
            continue
        if plain in _CONNECTORS:
            joins = nxt and (plain in "&+" or nxt[:1].isupper() or nxt.casefold() in _AND_CO)
            if not joins:
                break
            index += 2  # "& Söhne" keeps the company's name together
            continue
        if plain in _PARTICLES and nxt and (
            plain in _PARTICLE_OPENERS or words[index - 1].casefold() in _PARTICLES
        ):
            index += 1  # „von der Leyen“: the particles go with the surname after them
            continue
        if capitals:
            if not word[:1].isupper() and plain not in _LEGAL_CASE:
                break  # "Ben Carter bike shop": lower case after capitals is the note
        elif plain in _NOTE_WORDS:
            break
        counted += 1
        index += 1
    if not capitals and counted > _LOWER_CASE_WORDS and not _company(words[:index]):
        index = _after_words(words, count, _LOWER_CASE_WORDS)
    return index


def _upto_verb(words: list[str], start: int) -> int:
    for index in range(start, len(words)):
        if words[index].casefold() in _VERBS:
            return index
    return len(words)


def _after_words(words: list[str], start: int, wanted: int) -> int:
    """The index after the first `wanted` name words from `start` (particles go along)."""
    counted, index = 0, start
    while index < len(words) and counted < wanted:
        if words[index].casefold() not in _PARTICLES:
            counted += 1
        index += 1
    return index


def _company(words: list[str]) -> bool:
    """A company's name, with a legal form or "&" anywhere, or a trade word in its first two
    words ("schreinerei holzwurm", "crumbs bakery"): "ben carter bike shop" is no company."""
    text = " ".join(words)
    return (
        organisation_for_greeting(text) != text
        or any(w in _CONNECTORS for w in words)
        or organisation_name(" ".join(words[:2])) is not None
    )


def _capitalised(name: str) -> str:
    """A name typed in lower case as it is written: "steffi" → "Steffi", „prof. harald
    wiesner“ → „Prof. Harald Wiesner“, "schreinerei holzwurm gmbh" → "Schreinerei Holzwurm
    GmbH". A description stays as typed, with a capital first letter only."""
    if not name.islower():
        return name
    words = name.split()
    if words[0].casefold() in _DESCRIPTION_OPENERS:
        return name[:1].upper() + name[1:]
    cased = person("de", name).split()
    return " ".join(_LEGAL_CASE.get(w.casefold(), c) for w, c in zip(words, cased, strict=False))


def _note_from(rest: str) -> str | None:
    """The rest of what was typed, as the note: a description in brackets right after the name
    opens it ("(tall guy, beard) talked …" → "tall guy, beard – talked …")."""
    rest = rest.strip().lstrip(",;:|·.!?-–—/ ").strip()
    opener = rest[:1]
    if opener in _BRACKETS:
        depth, end = 0, len(rest)
        for at, ch in enumerate(rest):
            depth += 1 if ch in _BRACKETS else -1 if ch in _BRACKETS.values() else 0
            if depth == 0:
                end = at
                break
        inner = rest[1:end].strip()
        after = rest[end + 1 :].strip().lstrip(",;:|·-–—/ ").strip()
        rest = f"{inner} – {after}" if inner and after else inner or after
    return rest or None


def _joined_lines(lines: list[str]) -> str:
    """Lines typed under each other, as one note: a line without closing punctuation is
    followed by a comma."""
    text = ""
    for line in (" ".join(part.split()) for part in lines):
        if not line:
            continue
        if text and text[-1] not in ".,;:!?…":
            text += ","
        text = f"{text} {line}" if text else line
    return text


def split_caught(typed: str) -> CaughtContact:
    """ "steffi (die mit dem hund) macht social media …" → name "Steffi", note "die mit dem
    hund – macht social media …"; "Prof. Harald Wiesner" → that name and no note."""
    lines = typed.strip().splitlines() or [""]
    line = " ".join(lines[0].split())
    cut = _first_break(line)
    words = line[:cut].split()
    if not words:  # it opens with a bracket or a separator: all of it is the name
        words, cut = line.split(), len(line)
    taken = _name_words(words)
    name = " ".join(words[:taken])
    if len(name) > NAME_MAX and " " in name[:NAME_MAX]:
        name = name[: NAME_MAX + 1].rsplit(" ", 1)[0]  # between words, the rest is the note
    rest = line[len(name) :]  # `line` has single spaces, so the name is where it starts
    note = _note_from(_joined_lines([rest, *lines[1:]]))
    return CaughtContact(_capitalised(name.strip(" ,;:-–—")), note)
