"""Make a user's free-text answers fit into the sentences of a template, in German and English.

Templates insert what users typed ("beim Köpfchen-Talk", "Ich bin Steuerberaterin für
Kreative", "we talked about pricing") into drafts they will send to someone. Typed answers
carry their own prepositions, sentence openings and punctuation, which doubled up with the
template's ("bei „beim Köpfchen-Talk“", "at at the Meetup"). These functions take that
grammar off, so a template can frame the rest as a label. They never add words of their own:
the words around the label stay in `prompts/<lang>/`.

Every function takes the language first (the renderer binds it per language, see
`template_filters`) and returns plain text; the template escapes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from babel import Locale

from bot.coach.unsure import without_shrugs
from bot.coach.when import babel_locale

# Leading words that make a place a prepositional phrase ("beim Köpfchen-Talk", "at the Hub").
# Longer alternatives first, so "in der" wins over "in".
_PLACE_PREFIX = {
    "de": (
        r"(?:(?:bei|in|auf|an|von|zu|aus|nach)\s+(?:der|dem|den|die|das|einer|einem|einem)"
        r"|beim|im|am|zum|zur|vom|ins|aufs|bei|in|auf|an|von|aus|nach|über)"
    ),
    # English keeps its article: "at the Meetup" → "the Meetup", and "at {{ place }}" reads well.
    "en": r"(?:at|in|on|from|during|via)",
}
_QUOTES = "\"'„“”‚‘’«»‹›"
_TRAILING = " \t\n.,;:!?…-–—"

# How people start a topic answer: "über Preise", "es ging um …", "we talked about …".
_TOPIC_PREFIX = {
    "de": (
        r"(?:(?:es\s+)?ging\s+(?:es\s+)?um|wir\s+haben\s+(?:uns\s+)?(?:viel\s+|kurz\s+)?über"
        r"|wir\s+sprachen\s+über|(?:gespräch\s+)?über|zum\s+thema|thema:?|um)"
    ),
    "en": (
        r"(?:we\s+(?:mostly\s+|briefly\s+)?(?:talked|chatted|spoke)\s+about|we\s+discussed"
        r"|(?:talked|chatted)\s+about|it\s+was\s+about|(?:the\s+)?topic(?:\s+was)?:?|about|on)"
    ),
}
# Verbs that close a German topic sentence opened by "wir haben über …".
_TOPIC_SUFFIX = {
    "de": r"\s+(?:gesprochen|geredet|unterhalten|ausgetauscht|gequatscht|diskutiert)",
    "en": r"(?!)",  # English puts the verb first; nothing to take off the end
}

# Titles and forms of address to skip when looking for a first name.
_TITLES = re.compile(
    r"^(?:(?:dr|prof|professor|dipl|ing|mag|med|phil|rer|nat|jur|habil|herr|frau"
    r"|mr|mrs|ms|miss|mx|sir|dame)\.?"
    r"(?:-\w+\.?)?\s+)+",
    re.I,
)
# Lower-case parts of names ("Ursula von der Leyen") that stay lower case when capitalising.
_PARTICLES = {"von", "van", "der", "den", "de", "zu", "du", "di", "da", "la", "le", "bin", "al"}
# Where a name answer goes on to describe the person: "Anna Schmidt, Designerin", "Tom (Bäcker)".
_NAME_END = re.compile(r"\s*(?:[,(;]|\s[-–—]\s|\s+(?:vom|from|of|aus)\s).*$", re.S | re.I)

# How a business answer opens, and what the template should do with it.
_BUSINESS_IAM = {"de": r"ich\s+bin", "en": r"i\s+am|i'm|i’m|im"}
_BUSINESS_IVERB = {"de": r"ich\s+(?!bin\b)\w+", "en": r"i\s+(?!am\b)\w+"}
# A business answer that starts with the verb and leaves out "I" („mach Websites“, "build
# apps"): the first person of verbs people use for their work.
_BUSINESS_BARE_VERB = {
    "de": (
        r"(?:mach|mache|bau|baue|helf|helfe|berate|schreib|schreibe|entwickle|gestalte"
        r"|programmiere|unterstütze|begleite|verkaufe|biete|coache|fotografiere|organisiere"
        r"|übersetze|plane|arbeite|betreue|designe|produziere|erstelle|leite|repariere"
        r"|unterrichte|vermittle|pflege|trainiere|male|koche|backe|drehe|filme|texte|berat)"
    ),
    "en": (
        r"(?:help|build|make|design|run|do|write|teach|coach|advise|sell|create|develop|work"
        r"|offer|support|photograph|organise|organize|translate|plan|manage|produce|fix"
        r"|repair|train|paint|cook|bake|film|consult)"
    ),
}
_BUSINESS_SENTENCE = {
    "de": r"(?:wir|mein|meine|unser|unsere|mit|seit)\b",
    "en": r"(?:we|my|our|with|since|as|i[’']ve|i[’']d|i[’']ll)\b",
}


def _lang(lang: str) -> str:
    return "de" if lang.startswith("de") else "en"


def _clean(text: str | None) -> str:
    """One line, single spaces, no wrapping quotes, no closing punctuation."""
    text = " ".join((text or "").split())
    for _ in range(2):
        text = text.strip(_TRAILING)
        if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
            text = text[1:-1].strip()
    return text


def _strip_prefix(pattern: str, text: str) -> str:
    stripped = re.sub(rf"^{pattern}\s+", "", text, count=1, flags=re.I)
    return stripped if stripped.strip(_QUOTES + _TRAILING) else text


def place(lang: str, text: str | None) -> str:
    """The bare name of a place or event: "beim Köpfchen-Talk" → "Köpfchen-Talk",
    "at the Meetup" → "the Meetup". Empty when nothing was typed."""
    lang = _lang(lang)
    # quotes inside a name that is itself quoted become single ones: “‘Scaling’ webinar”
    return re.sub(r'["“”„]([^"“”„]+)["“”]', _INNER_QUOTES[lang], _bare_place(lang, text))


def _bare_place(lang: str, text: str | None) -> str:
    return _clean(_strip_prefix(_PLACE_PREFIX[lang], _clean(text)))


_INNER_QUOTES = {"de": r"‚\1‘", "en": r"‘\1’"}


_ARTICLE = {"de": r"(?:der|die|das|den|dem|des)", "en": r"(?!)"}


def network(lang: str, text: str | None) -> str:
    """A network's name as a label: like `place`, and in German without a leading article, so
    it reads in „Netzwerk „…““ ("den Unternehmerinnen-Stammtisch" → "Unternehmerinnen-Stammtisch").
    English keeps "the" ("the Chamber's Young Professionals"), as after "of" it reads well."""
    lang = _lang(lang)
    return _clean(_strip_prefix(_ARTICLE[lang], _bare_place(lang, text)))


def topic(lang: str, text: str | None) -> str:
    """What a conversation was about, as a label: "Wir haben über Preise gesprochen." → "Preise",
    "we talked about pricing" → "pricing"."""
    lang = _lang(lang)
    cleaned = _clean(text)
    stripped = _strip_prefix(_TOPIC_PREFIX[lang], cleaned)
    if stripped != cleaned:
        stripped = re.sub(rf"{_TOPIC_SUFFIX[lang]}$", "", stripped, flags=re.I)
    return _clean(stripped)


def firm(lang: str, text: str | None) -> str:
    """A plan's answer as it is printed back: without the shrugs and hedges around it
    ("idk maybe practice managers?" → "practice managers"), "" when it was only a shrug."""
    return _clean(without_shrugs(text))


def phrase(lang: str, text: str | None) -> str:
    """Any short answer as a label: trimmed, single-spaced, without closing punctuation."""
    return _clean(text)


def person(lang: str, text: str | None) -> str:
    """The name to address someone by formally: the name as typed, without the description
    that sometimes follows it ("Anna Schmidt, Designerin" → "Anna Schmidt")."""
    cleaned = _clean(text)
    name = _clean(_NAME_END.sub("", cleaned)) or cleaned
    return _with_capitals(name)


def own_name(lang: str, text: str | None) -> str:
    """The user's name as typed, with capitals when they typed none ("merve" → "Merve",
    "anna von berg" → "Anna von Berg"); nothing else about it changes."""
    return _with_capitals(" ".join((text or "").split()))


def _with_capitals(name: str) -> str:
    """A name typed all in lower case with its capitals (particles stay: "von der"); capitals
    the user chose are kept as they are."""
    if not name.islower():
        return name
    return " ".join(w if w in _PARTICLES else w[:1].upper() + w[1:] for w in name.split())


def first_name(lang: str, text: str | None) -> str:
    """The name to address someone by informally: "Dr. Anna Schmidt" → "Anna". A lone name
    after a title ("Prof. Müller") is a surname, so the whole name stays."""
    full = person(lang, text)
    rest = _TITLES.sub("", full)
    words = rest.split()
    if rest != full and len(words) < 2:
        return full
    return words[0] if words else full


_BRITISH_TITLES = {
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "mx": "Mx",
    "dr": "Dr",
    "prof": "Professor",
}


def salutation(lang: str, text: str | None) -> str:
    """The name after "Dear"/"Hallo" in a formal draft. British English writes a title with the
    surname only and without a full stop ("Mr. Sam Taylor" → "Mr Taylor"); German keeps the name
    as typed, since „Frau“ or „Herr“ cannot be guessed from it."""
    full = person(lang, text)
    titles = _TITLES.match(full)
    if _lang(lang) == "de" or titles is None:
        return full
    rest = full[titles.end() :].split()
    if not rest:
        return full
    words = [_BRITISH_TITLES.get(t.rstrip(".").lower(), t) for t in titles.group(0).split()]
    return " ".join([*words, rest[-1]])


def business(lang: str, text: str | None, name: str | None = None) -> dict[str, str]:
    """How a business answer continues "I'm <name>": `kind` is

    - `label`: a description to set after the name ("Steuerberaterin für Kreative", also from
      "Ich bin Steuerberaterin …" / "I'm a tax adviser …", without the repeated "I am"),
    - `verb`: a clause to join with "and" ("berate Handwerksbetriebe", "I help founders"),
    - `sentence`: a sentence of its own ("Wir bauen Apps", "My studio makes films"),

    with `text` the part to insert ("" when nothing was typed). People often introduce
    themselves in the answer ("Hi, ich bin Merve 😊 und mach Buchhaltung …"): with the user's
    `name`, that greeting is taken off, so the name is never said twice, and the work after it
    is read as above („mache Buchhaltung …“)."""
    lang = _lang(lang)
    cleaned = _speakable_line(text)
    cleaned = re.sub(rf"^{_GREETING}[,!.]?\s+", "", cleaned, flags=re.I)
    # "Dave here, ex-army, …", „Jörg hier, …“: a name said as a greeting, not the work
    cleaned = re.sub(_NAME_HERE, "", cleaned)
    if not cleaned:
        return {"kind": "label", "text": ""}
    iam = re.match(rf"^(?:{_BUSINESS_IAM[lang]})\s+(.+)$", cleaned, re.I | re.S)
    if iam:
        rest = _without_own_name(iam.group(1), name)
        if rest != iam.group(1):
            return business(lang, rest) if rest else {"kind": "label", "text": ""}
        if re.search(_AND_BREAKS[lang], rest, re.I):  # "… selbstständig und berate …"
            return {"kind": "sentence", "text": f"{_I_AM[lang]} {rest}"}
        return {"kind": "label", "text": rest}
    if re.match(rf"^(?:{_BUSINESS_IVERB[lang]})\b", cleaned, re.I):
        # German: "Ich berate …" → "berate …" (joins as "… und berate …");
        # English keeps its subject: "I'm Mira and I help …".
        clause = cleaned.split(None, 1)[1] if lang == "de" else "I" + cleaned[1:]
        return {"kind": "verb", "text": _full_verb(lang, clause)}
    if re.match(rf"^{_BUSINESS_BARE_VERB[lang]}\b", cleaned, re.I):
        clause = _full_verb(lang, cleaned[0].lower() + cleaned[1:])
        return {"kind": "verb", "text": clause if lang == "de" else f"I {clause}"}
    if re.match(rf"^{_BUSINESS_SENTENCE[lang]}", cleaned, re.I):
        return {"kind": "sentence", "text": cleaned[0].upper() + cleaned[1:]}
    if lang == "en" and len(cleaned) > 1 and cleaned[1].islower() and cleaned[:2] != "I ":
        cleaned = cleaned[0].lower() + cleaned[1:]  # "Tax adviser" reads "– tax adviser …"
    return {"kind": "label", "text": _first_clause(cleaned)}


def _first_clause(label: str) -> str:
    """A description said after the name is its first part ("Steuerberaterin für Kreative,
    Künstler …" → "Steuerberaterin für Kreative"); a first part of one word ("ex-army, now
    doing …") is no description to say, so nothing is said rather than a fragment."""
    part = re.split(r",|;|\s[-–—]\s", label, maxsplit=1)[0].strip()
    if part == label.strip():
        return label
    return part if _words_in(part) >= 2 else ""


# A verb that opens someone's work in either language (people answer in both).
_ANY_BARE_VERB = f"{_BUSINESS_BARE_VERB['de'][3:-1]}|{_BUSINESS_BARE_VERB['en'][3:-1]}"
# "Dev I do websites", "Merve und mach Buchhaltung": a name said before the work.
_NAME_THEN_WORK = re.compile(
    rf"^(?-i:[A-ZÄÖÜ])[\w-]*(?:\s+(?=(?:I|ich)\s)|\s+(?:und|and)\s+(?=(?:i\s|ich\s|"
    rf"{_ANY_BARE_VERB})\b))",
    re.I,
)
_NAME_HERE = re.compile(r"^(?-i:[A-ZÄÖÜ])[\w-]*\s+(?:here|hier)\b[\s,.:;!–—-]*", re.I)
_I_AM = {"de": "Ich bin", "en": "I'm"}
_GREETING = r"(?:hi|hey|hallo|hello|moin|servus|hej|hiya)"
# First persons said without their "e" in chat („mach Websites“); said aloud in full.
_ELIDED_VERBS = {"mach": "mache", "bau": "baue", "helf": "helfe", "berat": "berate",
                 "schreib": "schreibe", "hab": "habe"}


def _without_own_name(rest: str, name: str | None) -> str:
    """"Merve und mach Buchhaltung" → "mach Buchhaltung" when the user is Merve; `rest` as it
    was when it does not start with the name."""
    own = _speakable_line(name)
    if not own:  # a name all the same: one capitalised word, then the work ("Dev I do …")
        found = re.match(_NAME_THEN_WORK, rest)
        return _clean(rest[found.end() :]) if found else rest
    words = re.escape(own).replace(r"\ ", r"\s+")
    first = re.escape(own.split()[0])
    found = re.match(
        rf"^(?:{words}|{first})(?:\s*[,.;:!–—-]\s*|\s+(?:und|and)\s+|\s+(?=i\b|ich\b)|\s*$"
        rf"|\s+(?=(?:{_ANY_BARE_VERB})\b))",
        rest,
        re.I,
    )
    if found:
        return _clean(rest[found.end() :])
    return _without_own_name(rest, None)


def _speakable_line(text: str | None) -> str:
    return _clean(" ".join(_speakable_characters(text or "").split()))


def _full_verb(lang: str, clause: str) -> str:
    """„mach Websites“ → „mache Websites“: the first word as it is said, not as it is typed."""
    if lang != "de":
        return clause
    head, _, tail = clause.partition(" ")
    full = _ELIDED_VERBS.get(head.lower())
    return f"{full} {tail}".strip() if full else clause


# Written shorthand and chat slang that nobody says aloud, and what is said instead ("" drops it).
_SPOKEN = {
    "de": [
        (r"\bu\.\s?s\.\s?w\.?|\busw\.?", ""),
        (r"\bu\.\s?ä\.|\bu\.\s?so\b\.?|\bund\s+so\b|\boder\s+so\b", ""),
        (r"\betc\.?|\bu\.\s?a\.", ""),
        (r"\bz\.\s?b\.", "zum Beispiel"),
        (r"\bv\.\s?a\.", "vor allem"),
        (r"\bbzw\.", "beziehungsweise"),
        (r"\bu\.(?=\s)", "und"),
        (r"\s&\s", " und "),
        (r"\bggf\.", "gegebenenfalls"),
        (r"\bvl+t\b\.?", "vielleicht"),
        (r"\bevtl\.", "eventuell"),
        (r"\bgrad\b", "gerade"),
    ],
    "en": [
        (r"\betc\.?|\band\s+stuff\b|\bor\s+so\b|\band\s+so\s+on\b|\bor\s+whatever\b", ""),
        (r"\be\.\s?g\.", "for example"),
        (r"\bi\.\s?e\.", "that is"),
        (r"\s&\s", " and "),
        (r"\bkinda\b", "kind of"),
        (r"\bur\b", "your"),
        (r"\bbiz\b", "business"),
        (r"\bmgmt\b", "management"),
        (r"\bu\b", "you"),
        (r"\bppl\b", "people"),
        (r"\babt\b", "about"),
        (r"\bthx\b", "thanks"),
        (r"\bw/(?=\s)", "with"),
    ],
}
_SLANG = re.compile(
    r"\b(?:lol|lmao|rofl|haha\w*|hehe\w*|xd+|btw|tbh|imo|omg|ngl|idk|jk|smh|fyi)\b"
    r"|[:;=]-?[()dDpP]|<3|\^\^",
    re.I,
)
# Where a description may be cut short and still be said, best first: where a clause ends (a
# comma, a dash, a bracket, "and" before a verb of its own), else before a preposition that adds
# a detail ("small and medium-sized" must never become "small").
_CLAUSE_BREAKS = {"de": r",|;|:|\s[-–—]\s|\s\(", "en": r",|;|:|\s[-–—]\s|\s\("}
_DETAIL_BREAKS = {
    "de": r"\s(?:für|in|im|aus|mit|bei|beim|von|vom|zum|zur|rund um|auf)\s",
    "en": r"\s(?:for|in|from|with|at|on|across|around|who|which|that)\s",
}
_AND_BREAKS = {  # "and" that starts a clause of its own („und helfe ihnen …“, "and I …")
    "de": rf"\s(?:und|sowie|oder|aber)\s(?=(?:ich|wir|{_BUSINESS_BARE_VERB['de'][3:-1]})\b)",
    "en": rf"\s(?:and|or|but)\s(?=(?:i|we|{_BUSINESS_BARE_VERB['en'][3:-1]})\b)",
}
_FEWEST_BEFORE_AND = 3
_HEDGED_CLAUSE = {
    "de": r"\s*(?:,|;|\s[-–—])\s*(?:quasi|sozusagen|irgendwie|eher so|so ne art|so eine art"
    r"|nix besonderes|nichts besonderes)\b[^,;]*",
    "en": r"\s*(?:,|;|\s[-–—])\s*(?:kind of|sort of|sorta|basically|pretty much|nothing fancy"
    r"|more or less)\b[^,;]*",
}


def _speakable_characters(text: str, gap: str = " ") -> str:
    """Without emoji and pictographs (and the joiners inside them): they cannot be said."""
    return "".join(gap if is_pictograph(ch) or ch in _JOINERS else ch for ch in text)


_JOINERS = "\u200d\ufe0f\ufe0e\u20e3"  # inside emoji: zero-width joiner, variation selectors


def is_pictograph(ch: str) -> bool:
    """An emoji or other symbol: something to look at, not to say or to name anyone by."""
    return unicodedata.category(ch) in ("So", "Sk", "Cs", "Co")


_GAP = "\x00"  # where something unsayable was taken out


def _close_gaps(text: str) -> str:
    """The user's own sentences after emoji and slang are gone: a gap before a capital ends a
    sentence ("Dev 👋 I build" → "Dev. I build"), one inside a sentence becomes a dash
    ("from 2009 lol… what do you do?" → "from 2009 – what do you do?"), one at an end goes."""
    text = re.sub(rf"[\s{_GAP}]*{_GAP}[\s{_GAP}]*", _GAP, text).strip(f" {_GAP}")
    text = re.sub(rf"(?<=[.!?,;:]){_GAP}", " ", text)
    text = re.sub(rf"^({_GREETING}){_GAP}", r"\1, ", text, flags=re.I)  # "Hi 👋 ich bin …"
    text = re.sub(rf"{_GAP}(?=[A-ZÄÖÜ])", ". ", text)
    text = text.replace(_GAP, " – ")
    return re.sub(r"(^|[.!?]\s+)([a-zäöü])", lambda m: m.group(1) + m.group(2).upper(), text)


def _words_in(text: str) -> int:
    return len(re.findall(r"[\w’'-]*\w[\w’'-]*", text))


def spoken(
    lang: str, text: str | None, most_words: int | None = None, sentences: bool = False
) -> str:
    """What someone can say aloud from a typed answer: no emoji, no chat slang ("lol", „u. so“,
    "etc."), shorthand spelled out („z. B.“ → „zum Beispiel“); with `most_words`, cut where a
    clause or a detail begins so it is said in one breath ("Steuerberaterin für Kreative,
    Künstler und Start-ups" → "Steuerberaterin für Kreative"), or "" when it cannot be cut
    without breaking it. Without `sentences`, it is a phrase to set into a sentence (no closing
    punctuation); with it, the user's own sentences, as they end."""
    lang = _lang(lang)
    # Where an emoji, "lol" or "…" stood, a sentence may have ended ("Dev 👋 I build …").
    said = _SLANG.sub(_GAP, _speakable_characters(text or "", _GAP))
    said = said.replace("…", _GAP).replace("...", _GAP)
    for pattern, replacement in _SPOKEN[lang]:
        said = re.sub(pattern, f" {replacement} " if replacement else " ", said, flags=re.I)
    said = _close_gaps(said) if sentences else said.replace(_GAP, " ")
    if not sentences:  # a side note in brackets is not said: "(two shops now!!)"
        said = re.sub(r"\s*\([^()]*\)?", " ", said)
        # …nor a shrug after the work, which talks it down: ", quasi Zahlen-Feuerwehr",
        # ", kind of niche"
        said = re.sub(_HEDGED_CLAUSE[lang], "", said, flags=re.I)
    said = re.sub(r"([!?.])[!?.]+", r"\1", said)  # "!!", "?!" → one mark
    said = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", said))
    said = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(said.split()))
    said = re.sub(r"([,;:])(?=[,;:.!?]|$)", "", said)  # a comma left before nothing
    if sentences:  # whole sentences, as the user wrote them: they keep their full stops
        return said.strip(" -–—,;:")
    said = _clean(said)
    if most_words is None or _words_in(said) <= most_words:
        return said
    def cuts(pattern: str, fewest: int) -> list[int]:
        found = (m.start() for m in re.finditer(pattern, said, re.I))
        return [cut for cut in found if fewest <= _words_in(said[:cut]) <= most_words]

    clauses = [m.start() for m in re.finditer(_CLAUSE_BREAKS[lang], said)]
    first_clause = min(clauses, default=len(said))
    # The first complete part: a clause, or the part before an "and" within the first clause
    # (after a comma, "and" closes a list: „Kreative, Künstler und …“).
    whole_parts = cuts(_CLAUSE_BREAKS[lang], 1) + [
        cut for cut in cuts(_AND_BREAKS[lang], _FEWEST_BEFORE_AND) if cut < first_clause
    ]
    if whole_parts:
        return _clean(said[: min(whole_parts)])
    details = cuts(_DETAIL_BREAKS[lang], 2)
    if details:
        return _clean(said[: max(details)])
    return ""  # no place to cut it that can still be said: better unsaid than broken


@lru_cache(maxsize=16)
def _plural_rule(lang: str) -> Callable[[float], str]:
    return Locale.parse(babel_locale(lang)).plural_form


def plural(lang: str, count: Any, one: str, other: str) -> str:
    """The word for `count` things by the language's plural rules (CLDR, through Babel):
    `{{ n }} {{ n|plural("event", "events") }}`. A language with more forms than two can pass
    its words the same way once a template needs them."""
    number = abs(float(count or 0))
    form = _plural_rule(lang)(int(number) if number.is_integer() else number)
    return one if form == "one" else other


def shorten(lang: str, text: str | None, longest: int = 30) -> str:
    """A label that must fit (a button): whole when it fits, else cut at a word boundary with
    an ellipsis („Impact Hub – Unternehmerfrühstück“ → „Impact Hub …“), never mid-word."""
    cleaned = " ".join((text or "").split())
    if len(cleaned) <= longest:
        return cleaned
    cut = cleaned[: longest - 1]
    if cleaned[longest - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(" -–—,;:/·")
    return f"{cut or cleaned[: longest - 1]}…"


def template_filters() -> dict[str, Callable[..., Any]]:
    """The jinja filters for `prompts/`, each called as `filter(lang, value)`."""
    return {
        "place": place,
        "network": network,
        "topic": topic,
        "phrase": phrase,
        "person": person,
        "own_name": own_name,
        "first_name": first_name,
        "salutation": salutation,
        "business": business,
        "plural": plural,
        "shorten": shorten,
        "spoken": spoken,
        "firm": firm,
        "event_short": event_short,
    }


# Where a long event name turns from its name into details: a place, an edition, a topic.
_EVENT_DETAILS = re.compile(r"\s+[-–—|·]\s+|:\s+|\s*[(\[]|\s+#|,\s+")
# Words that say a part of a name is the event itself, not its place or its edition.
_EVENT_KIND = re.compile(
    r"frühstück|fruehstueck|breakfast|after-?work|stammtisch|meet-?up|fireside|fest\b|abend"
    r"|treffen|talk|workshop|webinar|mixer|lunch|dinner|brunch|summit|konferenz|conference"
    r"|barcamp|night|evening|party|runde|round|netzwerken|networking",
    re.I,
)
# Words that are no name on their own: "the Meetup" says nothing about which one.
_GENERIC_EVENT = {
    "event", "events", "meetup", "meet-up", "webinar", "workshop", "session", "talk", "treffen",
    "veranstaltung", "termin", "networking", "konferenz", "conference", "stammtisch", "abend",
    "evening", "night", "online", "live", "day", "tag", "part", "teil", "folge", "episode",
}  # fmt: skip
_QUOTED_NAME = re.compile(r"^[\"„“”‚‘’«»‹›']([^\"„“”‚‘’«»‹›']+)[\"„“”‚‘’«»‹›']\s")


def event_short(lang: str, text: str | None) -> str:
    """An event's name as a message names it: the part before its details when that is a name
    of its own ("Founders & Coffee (Bristol) – Nov edition" → "Founders & Coffee"); when the
    part after a dash or colon is the event itself, both without their details („Unternehmer-
    Netzwerk Rhein-Main: Sommerfest 2026 mit …“ → „Unternehmer-Netzwerk Rhein-Main: Sommerfest
    2026“, „Impact Hub – Unternehmerfrühstück (Dezember)“ → „Impact Hub – Unternehmerfrühstück“);
    else the whole name ("Meetup (Bristol)" stays: "Meetup" names no event)."""
    name = _clean(text)
    quoted = _QUOTED_NAME.match(name)
    if quoted and len(quoted.group(1).split()) >= 2:
        return quoted.group(1).strip()  # '"Scaling Without Burnout" webinar pt. 2'
    cut = _EVENT_DETAILS.search(name)
    if cut is None or cut.start() == 0:
        return name
    head = name[: cut.start()].strip(" -–—:,")
    # "Impact Hub – Unternehmerfrühstück (Dezember)": the part after the dash is the event, the
    # part before it its place or organiser; both stay, without the details after them.
    if re.match(r"\s+[-–—|·]\s+|:\s+", name[cut.start() :]):
        tail = name[cut.end() :]
        tail = re.split(r"\s+(?:mit|with|w/)\s+|\s*[(\[]|\s+[-–—|·]\s+|,\s+", tail)[0].strip()
        if _EVENT_KIND.search(tail):
            separator = ": " if name[cut.start() :].lstrip().startswith(":") else " – "
            return f"{head}{separator}{tail}"
    words = [w for w in head.split() if any(ch.isalpha() for ch in w)]
    if len(words) >= 2 or (
        len(words) == 1
        and sum(ch.isalpha() for ch in words[0]) >= 3
        and words[0].casefold() not in _GENERIC_EVENT
    ):
        return head
    return name
