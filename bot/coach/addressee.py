"""Whom a follow-up is for, read from the name the user typed: a person (with a title, an
honorific, a first name and a surname where they were typed) or an organisation.

"Schreinerei Holzwurm GmbH" and "Crumbs & Co Bakery" are companies: greeted as a first name
they read „Hallo Schreinerei,“, "Hi Crumbs,". "Dr. Weber" has a title and no first name: never
„Hallo Dr. Weber“, but „Guten Tag Frau Dr. Weber“ once the user said Frau or Herr. This module
only takes names apart; the greetings are written in `prompts/<lang>/followup/_greeting.html`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.coach.wording import person

# Legal forms, at the end of a name or before "& Co. KG" and the like.
_LEGAL = (
    r"g?gmbh(?:\s*&\s*co\.?\s*kg)?|mbh|ag|ug(?:\s*\(haftungsbeschränkt\))?|kg|kgaa|ohg|gbr|e\.\s?v\.?"
    r"|ev|e\.\s?k\.?|se|ltd\.?|limited|llc|llp|inc\.?|corp\.?|plc|pty\.?(?:\s+ltd\.?)?|b\.?v\.?"
    r"|s\.?a\.?r?\.?l?\.?|sarl|oy|aps|co\.?\s*kg|partg(?:\s*mbb)?|mbb"
)
_LEGAL_END = re.compile(rf"(?:,?\s+|\s*&\s*co\.?\s+)?(?:{_LEGAL})\s*$", re.I)
_LEGAL_WORD = re.compile(rf"(?:^|\s)(?:{_LEGAL})(?:\s|$)", re.I)
_AND_CO = re.compile(
    r"\s(?:&|\+|und|and)\s+(?:co\.?|cie\.?|söhne|sons|partner|partners|friends|kollegen)\b", re.I
)
# Words that name a business (English and German; German compounds end with them:
# "Steuerkanzlei", "Werbeagentur").
_TRADE_WORDS = (
    "bakery", "bäckerei", "backstube", "agency", "agentur", "studio", "studios", "kanzlei",
    "schreinerei", "tischlerei", "druckerei", "gärtnerei", "metzgerei", "konditorei", "brauerei",
    "rösterei", "werkstatt", "manufaktur", "praxis", "verlag", "publishing", "consulting",
    "consultants", "beratung", "atelier", "galerie", "gallery", "café", "cafe", "coffee",
    "restaurant", "hotel", "bistro", "shop", "store", "laden", "boutique", "salon", "apotheke",
    "pharmacy", "klinik", "clinic", "institut", "institute", "akademie", "academy", "stiftung",
    "foundation", "verein", "verband", "association", "genossenschaft", "gruppe", "group",
    "holding", "solutions", "systems", "services", "labs", "lab", "media", "medien",
    "software", "technologies", "ventures", "capital", "bank", "sparkasse", "versicherung",
    "insurance", "startup", "netzwerk", "network", "kammer", "chamber", "hub", "collective",
    "kollektiv", "company", "firma", "immobilien", "bau", "logistik", "logistics", "handwerk",
    "werbung", "marketing", "design", "architekten", "architects", "partnerschaft", "team",
)  # fmt: skip
_TRADE = re.compile(rf"(?:{'|'.join(_TRADE_WORDS)})$", re.I)
_ACRONYM = re.compile(r"^[A-Z0-9]{2,5}$")

# A German business noun that opens the name and is feminine takes „der“ in „Team der …“
# (the others read „Team von …“); only the lead noun's gender matters.
_FEMININE_LEAD = re.compile(
    r"^\w*(?:ei|ung|ur|ik|ie|schaft|tät|thek|praxis|werkstatt|firma|galerie|bank|sparkasse"
    r"|agentur|kanzlei|akademie|stiftung|kammer|genossenschaft|gruppe|boutique|apotheke|klinik)$",
    re.I,
)

# Titles, as typed (German keeps them so), and as British English writes them.
_TITLE = re.compile(
    r"^(?:prof(?:essor(?:in)?)?\.?|dr\.?(?:\s?(?:med|rer|nat|phil|jur|ing|oec|pol)\.?)*"
    r"|dr\.?-ing\.?|dipl\.?-?\s?\w+\.?|mag\.?|ing\.?|pd|priv\.?-?doz\.?)$",
    re.I,
)
_BRITISH_TITLE = {"prof": "Professor", "professor": "Professor", "professorin": "Professor"}
_HONORIFIC = {
    "herr": "male", "hr": "male", "mr": "male", "sir": "male",
    "frau": "female", "fr": "female", "mrs": "female", "ms": "female", "miss": "female",
    "dame": "female", "mx": "neutral",
}  # fmt: skip
_PARTICLES = {"von", "van", "der", "den", "de", "zu", "du", "di", "da", "la", "le", "del", "ten"}


def _plain_word(word: str) -> str:
    return word.rstrip(".").casefold()


def organisation_name(text: str | None) -> str | None:
    """The organisation's name when `text` names one ("Schreinerei Holzwurm GmbH",
    "Crumbs & Co Bakery", "IBM"), else None. The name is kept as typed."""
    name = person("de", text)  # one line, trimmed, without a description after a comma
    if not name:
        return None
    words = name.split()
    if (
        _LEGAL_WORD.search(name)
        or _AND_CO.search(name)
        or any(_TRADE.search(w.strip("&.,")) for w in words if len(w) > 2 and "-" not in w)
        or (len(words) == 1 and _ACRONYM.match(name))
        or _TEAM_END.search(name)  # "das Holzwurm-Team", "the Crumbs crew"
    ):
        return name
    return None


# "the Crumbs Bakery team", „das Team von Müller & Söhne“: the words around the name that the
# coach's own wrapping ("Hi everyone at …", „Team von …“) would say a second time.
_TEAM = r"(?:team|crew|leute|folks|people)"
_ARTICLE_LEAD = re.compile(r"^(?:the|die|das|der|dem|den|our|unser)\s+", re.I)
_TEAM_LEAD = re.compile(
    rf"^{_TEAM}\s+(?:at|from|of|von|der|des|bei|vom)\s+(?:(?:the|der|dem)\s+)?", re.I
)
_TEAM_END = re.compile(rf"(?:\s+|-){_TEAM}$", re.I)


def organisation_label(name: str) -> str:
    """The organisation's own name, as it stands after the coach's "the team at …" or
    „Team von …“: without the word "team" typed around it and then without a leading article
    ("the Crumbs Bakery team" → "Crumbs Bakery", „das Team von Müller & Söhne“ → „Müller &
    Söhne“, „die Schreinerei Holzwurm“ → „Schreinerei Holzwurm“). A capitalised article with
    no team around it may be the name's own ("The Body Shop"); a name that is nothing but
    "team" stays whole."""
    text = " ".join(name.split())
    article = _ARTICLE_LEAD.match(text)
    rest = text[article.end() :] if article else text
    lead = _TEAM_LEAD.match(rest)
    core = _TEAM_END.sub("", rest[lead.end() :] if lead else rest).strip(" ,-")
    teamed = core != rest
    if article and not teamed and article.group(0)[0].isupper():
        core = text  # "The Body Shop"
    if not core or re.fullmatch(_TEAM, core, re.I) or _ARTICLE_LEAD.match(core + " "):
        return text
    return core


def organisation_for_greeting(name: str) -> str:
    """The name to greet a team by: the organisation's own name (`organisation_label`) without
    the legal form ("Acme Ltd" → "Acme", "Schreinerei Holzwurm GmbH" → "Schreinerei Holzwurm");
    kept whole if nothing else is left."""
    label = organisation_label(name)
    short = _LEGAL_END.sub("", label).strip(" ,&")
    return short or label


def feminine_lead(name: str) -> bool:
    """Whether a German business name opens with a feminine noun ("Schreinerei Holzwurm"),
    so that „Team der Schreinerei Holzwurm“ reads right."""
    first = name.split()[0] if name.split() else ""
    return bool(_FEMININE_LEAD.match(first)) and first[:1].isupper()


@dataclass(frozen=True)
class PersonName:
    """A typed name taken apart."""

    full: str  # without a description after it, as typed
    titles: list[str]  # as typed: ["Prof.", "Dr."]
    honorific: str | None  # female | male | neutral, when typed ("Frau Weber", "Mr Carter")
    first: str | None  # None when only a surname was typed (after a title or honorific)
    surname: str | None  # with its particles: "von der Leyen"; None when no name was typed

    def titles_for(self, lang: str) -> str:
        """The titles to put before the surname: German as typed, British without full stops
        and "Prof." written out ("Dr Patel", "Professor Patel")."""
        if lang.startswith("de"):
            return " ".join(self.titles)
        heads = [t.split()[0] for t in self.titles]  # "Dr. med." is Dr in a British letter
        words = [_BRITISH_TITLE.get(_plain_word(t), t.rstrip(".")) for t in heads]
        if "Professor" in words:
            return "Professor"  # "Prof. Dr. Patel" is Professor Patel in a British letter
        return " ".join(words[:1])


# Words no name is made of: a description typed where the name was asked ("the guy with the
# red glasses", "my accountant Tom"), chat, or a shrug.
_NOT_NAME_WORDS = {
    "the", "a", "an", "with", "my", "his", "her", "our", "guy", "girl", "woman", "man", "lady",
    "someone", "somebody", "person", "ein", "eine", "einer", "mit", "mein", "meine", "meinem",
    "meiner", "sein", "seine", "ihr", "ihre", "typ", "mann", "jemand", "die", "das", "dem",
    "lol", "idk", "und", "and", "oder", "or", "weiß", "nicht", "keine", "ahnung", "no", "idea",
}  # fmt: skip


def _without_symbols(text: str | None) -> str:
    """A name as typed, without emoji and the invisible joiners of emoji sequences."""
    return "".join(
        ch for ch in (text or "") if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Co", "Cs")
    ).replace("\ufe0f", "")


def name_like(text: str | None) -> bool:
    """Whether `text` reads as a person's name (titles and Frau/Herr allowed), not as a
    description, a shrug or chat: only such names are written into a draft."""
    words = person("de", _without_symbols(text)).split()
    return bool(words) and all(
        any(ch.isalpha() for ch in word)
        and not any(ch.isdigit() for ch in word)
        and word.casefold().strip(".,") not in _NOT_NAME_WORDS
        for word in words
    )


def person_name(text: str | None) -> PersonName:
    """ "Prof. Dr. Anna Weber" → titles Prof., Dr.; first Anna; surname Weber.
    "Frau Weber" → honorific female, no first name. "Ben" → first Ben, surname Ben (a single
    word is the first name informally and the surname formally). Something that is no name
    ("the guy with the red glasses") gives neither: the draft leaves placeholders."""
    full = person("de", _without_symbols(text))
    if not name_like(full):
        return PersonName(full, [], None, None, None)
    words = full.split()
    titles: list[str] = []
    honorific: str | None = None
    while words:
        plain = _plain_word(words[0])
        if plain in _HONORIFIC and len(words) > 1:
            honorific = _HONORIFIC[plain]
        elif _TITLE.match(words[0]) and len(words) > 1:
            titles.append(words[0])
        else:
            break
        words = words[1:]
    # "Dr. med. Weber": a title's qualifier typed as a word of its own
    while len(words) > 1 and titles and words[0].endswith(".") and len(words[0]) <= 5:
        titles[-1] = f"{titles[-1]} {words[0]}"
        words = words[1:]
    if not words:
        return PersonName(full, titles, honorific, None, full)
    surname_start = len(words) - 1
    while surname_start > 1 and words[surname_start - 1].casefold() in _PARTICLES:
        surname_start -= 1
    surname = " ".join(words[surname_start:])
    named_before = bool(titles or honorific)
    first = words[0] if (len(words) > 1 or not named_before) else None
    return PersonName(full, titles, honorific, first, surname)
