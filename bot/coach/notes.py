"""Read what a user typed about a conversation, to know what a follow-up draft may say.

What people type after meeting someone is a note to themselves: "she's opening a 2nd bakery in
leeds and hates her current accountant lol", „ihm meine checkliste schicken + evtl kontakt zu
jonas“, "idk". Pasted into a message to that person it reads as a quotation of their notes, so
a draft never does that (COACHING.md §3). These readers decide conservatively what the coach can
phrase itself:

- `topic_label`: the topic as a short noun phrase fit to stand in a sentence ("pricing for
  small shops", „Fördermittel“), or None, and the draft leaves a placeholder for the user;
- `read_give`: which kinds of give an answer names (a resource such as a checklist, a tip, an
  introduction, with the name of the person to introduce where it is plain), so the draft can
  phrase each kind in its own words with a placeholder for the details;
- `is_shrug`: "idk", „weiß nicht“, "no clue honestly" (`unsure.is_unsure`), or "later":
  nothing to go on;
- `sounds_online`: "on zoom", „per Teams“: a place that is a video call, not an event.

They return facts about the text, never words for the reader: every word of a draft is in
`prompts/<lang>/followup/`. Word lists hold both languages, since people type either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.coach.unsure import is_unsure
from bot.coach.wording import phrase, topic

MAX_TOPIC_WORDS = 5
MAX_TOPIC_CHARS = 48

# -- shrugs -----------------------------------------------------------------------------------

# What a user types at a follow-up question to put it off: nothing to go on either, though it is
# no "I don't know" elsewhere ("later" at /prepare's fit question is no answer about the event).
_NOT_NOW = {"later", "skip", "später", "spater", "not now", "jetzt nicht", "nicht jetzt"}


def _plain(text: str | None) -> str:
    """Lower case, no emoji or punctuation at the ends, single spaces: for matching."""
    text = "".join(ch for ch in (text or "") if not _is_emoji(ch) and not _is_joiner(ch))
    return " ".join(text.lower().split()).strip(" .,;:!?…-–—'\"()")


# Words that name nothing in particular: "idk something useful?", „irgendwas Nützliches“
# (beside the shrug words `is_unsure` knows: "maybe", „irgendwas“, „vielleicht“ …).
_VAGUE_THING = {
    "something", "sth", "smth", "somethin", "stuff", "useful", "helpful", "nice",
    "good", "cool", "interesting", "relevant", "i", "guess", "suppose", "probably", "or",
    "etwas", "was", "nützliches", "nützlich", "nutzliches",
    "hilfreiches", "hilfreich", "sinnvolles", "gutes", "passendes", "interessantes", "schon",
    "wohl", "oder", "so", "halt", "mal", "evtl", "vllt",
}  # fmt: skip


def is_shrug(text: str | None) -> bool:
    """Nothing to go on: empty, an emoji, a shrug in either language (`is_unsure`), the
    answer put off ("later", „später“, "skip"), or only words that name nothing in particular
    ("idk something useful?", „irgendwas Nützliches halt“)."""
    if is_unsure(text) or _plain(text) in _NOT_NOW:
        return True
    words = [w.strip(".,;:!?'’\"") for w in _plain(text).split()]
    return all(w in _VAGUE_THING or is_unsure(w) for w in words if w)


# -- what makes a label unfit to stand in a sentence -------------------------------------------

_PRONOUNS = {
    # English
    "i", "i'm", "i’m", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "we", "we're", "us",
    "our", "you", "you're", "your", "he", "he's", "him", "his", "she", "she's", "her", "hers",
    "they", "they're", "them", "their", "it's", "its", "this", "that", "these", "those",
    "someone", "somebody", "something", "anything", "everyone",
    # German
    "ich", "mich", "mir", "mein", "meine", "meinen", "meinem", "meiner", "meins", "wir", "uns",
    "unser", "unsere", "unseren", "unserem", "du", "dich", "dir", "dein", "deine", "deinen",
    "er", "ihm", "ihn", "sein", "seine", "seinen", "seinem", "seiner", "sie", "ihr", "ihre",
    "ihren", "ihrem", "ihrer", "es", "man", "jemand", "jemanden", "jemandem", "etwas", "was",
    "euch", "euer", "eure", "die sich", "dem sie",
}  # fmt: skip
_VERBS = {
    # English: finite and auxiliary verbs, and verbs of talking
    "is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "do", "does", "did",
    "don't", "doesn't", "didn't", "can", "can't", "could", "would", "should", "will", "won't",
    "want", "wants", "wanted", "need", "needs", "needed", "looking", "looks", "hate", "hates",
    "love", "loves", "likes", "think", "thinks", "thought", "talked", "chatted", "spoke",
    "said", "says", "told", "asked", "asks", "mentioned", "know", "knows", "going", "gonna",
    "wanna", "gotta", "opening", "opens", "runs", "plans", "planning", "trying", "tries",
    "send", "sending", "help", "helps", "get", "gets", "got",
    # German
    "ist", "sind", "war", "waren", "hat", "haben", "hatte", "hatten", "habe", "hab",
    "wollte", "möchte", "mag", "kann", "könnte", "muss", "soll", "sollte", "wird", "würde",
    "sucht", "suchte", "braucht", "brauchte", "macht", "machte", "mach", "gibt", "geht",
    "ging", "plant", "erzählt", "erzählte", "gesagt", "gesprochen", "geredet", "meinte",
    "meint", "fand", "findet", "arbeitet", "hasst", "liebt", "kennt", "kenne", "weiß",
    "schicken", "schick", "schicke", "helfen", "eröffnet", "aufmacht", "neu macht",
}  # fmt: skip
_CHAT = {
    "lol", "lmao", "rofl", "haha", "hahaha", "hehe", "xd", "omg", "btw", "tbh", "imo", "imho",
    "idk", "ngl", "fyi", "ok", "okay", "yeah", "yep", "nope", "jo", "ja", "nein", "nee",
    "naja", "halt", "eben", "sooo", "irgendwie", "eigentlich", "mega", "krass", "voll",
    "total", "echt", "super", "cool", "nice", "geil", "ugh", "meh", "hmm", "äh", "ähm", "uh",
    "evtl", "eventuell", "vllt", "vielleicht", "maybe", "probably", "ggf", "usw", "etc",
    "bzw", "u.a", "kinda", "sorta", "really", "so", "very", "quite", "pretty", "somehow",
    "honestly", "basically", "literally", "just", "also", "bin", "und so", "oder so",
    "mostly", "mainly", "meistens", "hauptsächlich", "vor allem", "bisschen", "bit",
    "asap", "pls", "plz", "thx", "ty", "dm", "rn", "nvm", "afaik", "iirc", "lg", "vg", "mfg",
}  # fmt: skip
_QUESTION_OR_CLAUSE = {
    "why", "how", "what", "when", "where", "who", "whether", "if", "because", "which",
    "wie", "warum", "wieso", "weshalb", "wann", "wo", "wer", "ob", "dass", "weil", "wenn",
    "denn", "der sich", "welche", "welcher",
}  # fmt: skip
# Words no topic is made of, anywhere in a label; and words that are no topic on their own.
_VAGUE = {
    "stuff", "things", "thing", "everything", "nothing", "smalltalk", "small talk",
    "chit-chat", "chitchat", "random", "whatever", "allerlei", "alles", "nichts", "kram",
    "zeug", "dies und das", "this and that", "gott und die welt", "the usual",
    "alles mögliche", "blabla", "bla",
}  # fmt: skip
_VAGUE_ALONE = {
    "business", "work", "arbeit", "job", "jobs", "life", "leben", "chat", "sachen", "themen",
    "topics", "networking", "the weather", "wetter", "das wetter", "weather",
}  # fmt: skip
# Words only one language has: one in a label for the other language's draft gives it away.
_ENGLISH_ONLY = {"the", "and", "for", "of", "with", "to", "on", "about", "from", "at", "a", "an"}
_GERMAN_ONLY = {
    "und", "der", "die", "das", "für", "mit", "von", "zu", "im", "zum", "zur", "über", "den",
    "dem", "des", "ein", "eine", "einer", "einen", "einem", "bei", "beim", "auf", "aus", "oder",
}  # fmt: skip
_DE_ARTICLE = {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer"}
_DE_FUNCTION = _GERMAN_ONLY | {"in", "am", "an", "vom", "ohne", "gegen", "nach", "unter", "vor"}
# Marks of a note rather than a label: questions, asides, lists, links, hashtags, arrows.
_NOTE_MARKS = re.compile(r"[!?()\[\]{}<>\"„“”«»;:…+*#@~=|]|\.\.|\s[-–—]\s|,|https?:|www\.|->|=>")
_SMILEY = re.compile(r"(?:^|\s)(?:[:;=8xX][-']?[()DPp/\\|*]+|<3|\^\^|:'\()(?:\s|$)")


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Cs", "Co") or 0x1F000 <= ord(ch) <= 0x1FAFF


def _is_joiner(ch: str) -> bool:
    """The invisible parts of an emoji sequence (🤷‍♀️): joiners and variation selectors."""
    return unicodedata.category(ch) == "Cf" or ch in "\ufe0e\ufe0f"


def _words(text: str) -> list[str]:
    return [w.strip(".,'’") for w in text.casefold().split()]


def _contains(words: list[str], vocabulary: set[str]) -> bool:
    """Whether any word, or any two words in a row, is in `vocabulary`."""
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return any(w in vocabulary for w in words) or any(p in vocabulary for p in pairs)


def _untopical(label: str, words: list[str]) -> bool:
    """Reasons a label would read badly in a sentence to the person met."""
    if any(_is_emoji(ch) for ch in label) or _SMILEY.search(label) or _NOTE_MARKS.search(label):
        return True
    if len(words) > MAX_TOPIC_WORDS or len(label) > MAX_TOPIC_CHARS:
        return True
    if re.search(r"\b[Ii]t\b", label):  # "it" (not "IT")
        return True
    vocabularies = (_PRONOUNS, _VERBS, _CHAT, _QUESTION_OR_CLAUSE, _VAGUE)
    if any(_contains(words, vocabulary) for vocabulary in vocabularies):
        return True
    return " ".join(words) in _VAGUE_ALONE


def _german_label(label: str) -> str | None:
    """A label for „zum Thema …“ (a nominative apposition): without a leading article, and
    only where the case cannot go wrong."""
    words = label.split()
    lowered = [w.casefold() for w in words]
    if set(lowered) & _ENGLISH_ONLY - {"an"}:
        return None
    if lowered[0] in _DE_ARTICLE and len(words) > 1:
        if words[1].islower():  # "die digitale Buchhaltung": the adjective's ending would be wrong
            return None
        words, lowered = words[1:], lowered[1:]
    first = lowered[0]
    adjective_like = first.endswith(("en", "em", "er", "es", "e"))
    if len(words) > 1 and adjective_like and (words[0].islower() or words[1][:1].isupper()):
        # "neuen Webauftritt", "digitale Buchhaltung", "Neuer Webauftritt": an adjective
        # (its ending and capital are the phone's and the user's, not the sentence's)
        return None
    if label.islower() and len(words) > 1:
        return None  # "ki im handwerk": which words are nouns cannot be told
    if len(words) > 1 and words[-1].islower():
        return None  # "Leute aus dem Handwerk kennenlernen": a German label ends in a noun
    if first in _DE_FUNCTION:
        return None
    if len(words) == 1 and words[0].islower():
        words[0] = words[0][:1].upper() + words[0][1:]  # a German noun: "preise" → "Preise"
    return " ".join(words)


def _english_label(label: str) -> str | None:
    words = label.split()
    lowered = [w.casefold() for w in words]
    if set(lowered) & (_GERMAN_ONLY - {"die", "an"}) or re.search(r"[äöüß]", label, re.I):
        return None
    if lowered[0] in {"a", "an", "and", "of", "for", "with", "to", "on", "at", "from"}:
        return None
    rest = words[1:]
    if rest and words[0][1:].islower() and all(w.islower() for w in rest):
        # "Pricing for small shops": the phone's capital at the start of a message
        words[0] = words[0][:1].lower() + words[0][1:]
    return " ".join(words)


# The reader's own thing, typed as the user's note about them ("their 2nd shop", „ihre neue
# Empfangstheke“): the draft may say "your …" / „Ihre …“. German only with the forms that stay
# the same after „über“ (feminine and plural: „seine Kanzlei“ → „über Ihre Kanzlei“); „sein
# Webshop“ would need „Ihren“, which cannot be told from „sein Logo“.
_READER_POSSESSIVE = {"en": {"their", "his", "her"}, "de": {"seine", "ihre"}}
_ORDINALS = {
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
    "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
}  # fmt: skip
_STRONG_ADJECTIVE = re.compile(r"^[a-zäöüß]+(?:e|er|es)$")  # „neue“, „neuer“, „neues“


@dataclass(frozen=True)
class Topic:
    """What a conversation was about, as the draft may name it."""

    label: str
    own: bool = False  # the reader's own thing: "about your second shop", „über Ihre Kanzlei“
    quoted: bool = False  # German, an adjective first: named in quotes, „zum Thema „neue Theke““


def _german_own(label: str) -> str | None:
    """After „Ihre“: adjectives as typed (they agree with the typed „ihre“), then nouns."""
    words = label.split()
    lowered = [w.casefold() for w in words]
    if set(lowered) & _ENGLISH_ONLY - {"an"} or lowered[0] in _DE_FUNCTION | _DE_ARTICLE:
        return None
    if len(words) == 1:
        return words[0][:1].upper() + words[0][1:]
    if label.islower() or not words[-1][:1].isupper():
        return None
    return label


def _german_quoted(label: str) -> str | None:
    """An adjective and a noun in the nominative („neue Empfangstheke“, „neuer Webauftritt“):
    in quotes after „zum Thema“ its case cannot go wrong. „neuen Webauftritt“ is not one."""
    words = label.split()
    if len(words) < 2 or not _STRONG_ADJECTIVE.match(words[0]):
        return None
    rest = [w.casefold() for w in words[1:]]
    if set(rest) & (_ENGLISH_ONLY | _DE_FUNCTION) or not all(w[:1].isupper() for w in words[1:]):
        return None
    return label


def read_topic(lang: str, text: str | None) -> Topic | None:
    """What the conversation was about as a short noun phrase fit for the draft's sentence
    ("about …" / „zum Thema …“), or None: then the draft leaves a placeholder."""
    if is_shrug(text):
        return None
    german = lang.startswith("de")
    label = topic(lang, text)
    other = "en" if german else "de"
    label = topic(other, label) or label  # "we talked about pricing" typed to the German bot
    label = phrase(lang, label)
    words = _words(label)
    own = len(words) > 1 and words[0] in _READER_POSSESSIVE["de" if german else "en"]
    if own:
        label, words = label.split(None, 1)[1], words[1:]
    if not words or _untopical(label, words):
        return None
    if not german:
        english = _english_label(label)
        if english is None:
            return None
        english = " ".join(_ORDINALS.get(w.casefold(), w) for w in english.split())
        if not own and not _stands_after_about(english):
            return None  # "about private clinic": a lone singular needs an article we can't guess
        return Topic(english, own=own)
    if own:
        mine = _german_own(label)
        return Topic(mine, own=True) if mine else None
    plain = _german_label(label)
    if plain:
        return Topic(plain)
    quoted = _german_quoted(label)
    return Topic(quoted, quoted=True) if quoted else None


_ENGLISH_DETERMINERS = {"the", "a", "an", "our", "some"}


def _stands_after_about(label: str) -> bool:
    """An English label that reads after "about" without an article: a plural ("pricing
    models"), an -ing word ("hiring"), a name or acronym ("SEO", "Berlin"), or one that brings
    its own article ("the new shop")."""
    words = label.split()
    last = words[-1]
    return (
        words[0].casefold() in _ENGLISH_DETERMINERS
        or last.casefold().endswith(("s", "ing"))
        or last[:1].isupper()
        or any(ch.isdigit() for ch in last)
        or words[0].casefold().endswith("ing")
        or last.casefold() in _UNCOUNTABLE
    )


_UNCOUNTABLE = {
    "marketing", "funding", "pricing", "software", "accounting", "bookkeeping", "design",
    "branding", "research", "sustainability", "recruitment", "payroll", "tax", "finance",
    "logistics", "insurance", "advertising", "coffee", "food", "music", "art", "ai", "seo",
    "photography", "healthcare", "education", "law", "security", "hr", "sales", "relaunch",
    "strategy", "growth", "management", "development", "automation", "compliance", "feedback",
    "content", "digitalisation", "digitalization", "hospitality", "retail", "tourism", "energy",
}  # fmt: skip


def topic_label(lang: str, text: str | None) -> str | None:
    """The topic as a label that stands on its own after "about …" / „zum Thema …“ (not the
    reader's own thing, not in quotes), or None."""
    read = read_topic(lang, text)
    return read.label if read and not (read.own or read.quoted) else None


# -- gives --------------------------------------------------------------------------------------

# Resource kinds, by a word in the answer (both languages). The second pattern may also end a
# German compound ("Präsentationsvorlage", "Förder-Checkliste"); the first stands alone.
_RESOURCES = (
    ("checklist", r"check-?list(?:s|e|en)?", r"check-?listen?"),
    ("template", r"templates?|muster|vorlagen?", r"vorlagen?"),
    ("article", r"articles?|blog-?posts?|artikel|beitrag", r"artikel|beitrag"),
    ("guide", r"guides?|how-?to|leitfaden|anleitung", r"leitfaden|anleitung"),
    ("slides", r"slides|deck|folien|präsentation|presentation", r"präsentation|folien"),
    ("study", r"study|whitepaper|report|studie", r"studie"),
    ("book", r"books?|buch|buchtipp", r"buchtipp"),
    ("podcast", r"podcasts?", r"podcast"),
    ("video", r"videos?|youtube", r"video"),
    ("course", r"courses?|webinar|kurs", r"kurs"),
    ("newsletter", r"newsletter", r"newsletter"),
    ("tool", r"tools?|apps?|software", r"software"),
    ("document", r"pdf|dokument|documents?|unterlagen|docs?", r"dokument|unterlagen"),
    ("list", r"liste|lists?", r"liste"),
    # examples of the user's own work ("2-3 beispiele aus meinem portfolio", "case studies")
    ("samples", r"beispiele?|arbeitsproben?|portfolio|referenzen|case[- ]stud(?:y|ies)"
     r"|examples?|samples?", r"beispiele|proben"),
    ("link", r"links?|url|https?://\S+|www\.\S+", None),
)  # fmt: skip
_RESOURCE_WORD = [
    (kind, re.compile(rf"\b(?:{alone})\b" + (rf"|\w(?:{ending})\b" if ending else ""), re.I))
    for kind, alone, ending in _RESOURCES
]
_TIP = re.compile(
    r"\b(?:tipps?|tips?|empfehlung|empfehlen|recommend\w*|advice|rat(?:schlag)?|hinweis|idee|ideas?"
    r"|suggestion)\b",
    re.I,
)
_INTRO = re.compile(
    r"\b(?:vorstellen|bekannt\s*machen|bekanntmachen|vernetzen|vermitteln|kontakt\s+(?:zu|mit)"
    r"|kontakt\s+herstellen|introduc\w*|intro|connect\w*|in\s+touch|contact\s+(?:to|with|for)"
    r"|verknüpfen|zusammenbringen|verbinden)\b",
    re.I,
)
_INTRO_NAME = re.compile(
    r"\b(?:kontakt\s+(?:zu|mit)|bekannt\s*machen\s+mit|vernetzen\s+mit|introduc\w*\s+(?:\w+\s+)?to"
    r"|intro\s+(?:to|zu|an)|vorstellen:?|connect\w*\s+(?:\w+\s+)?(?:with|to)|in\s+touch\s+with|contact\s+(?:to|with))"
    r"\s+(?P<name>[^\s,+&/;:.!?()]+(?:\s+[^\s,+&/;:.!?()]+)?)",
    re.I,
)
_NOT_A_NAME = _PRONOUNS | _CHAT | _DE_ARTICLE | {
    "a", "an", "the", "some", "my", "his", "her", "meinem", "meiner", "einem", "einer", "jemand",
    "jemandem", "someone", "somebody", "friend", "freund", "freundin", "kollege", "kollegin",
    "colleague", "partner", "partnerin", "chef", "chefin", "boss", "bank", "agentur", "agency",
    "steuerberater", "steuerberaterin", "accountant", "lawyer", "anwalt", "anwältin", "designer",
    "designerin", "developer", "entwickler", "coach", "investor", "investorin", "kunde",
    "kundin", "client", "customer", "team", "leuten", "people", "netzwerk", "network", "und",
    "and", "oder", "or", "von", "from", "bei", "at", "aus", "der", "die", "das",
}  # fmt: skip
# One give answer often names several things: "checklist + intro to dan", „termin vorschlagen
# und kontakt zu jonas“. Each part is read on its own, so a word describing the person to
# introduce ("intro zu Ben (der macht günstig apps)") is never taken for the thing given.
_PARTS = re.compile(
    r"\s*(?:[+;&]|\s/\s|,|\b(?:und|and|plus|sowie|dann|then|außerdem|ausserdem|also)\b)\s*",
    re.I,
)
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# The reader's own things are no give: "help with her app", „feedback zu seiner Präsentation“;
# nor is "zum Beispiel" or "for example". The user's own ("my slides") are.
_THEIRS = {
    "her", "his", "their", "ihre", "ihren", "ihrem", "ihrer", "ihres", "seine", "sein",
    "seinen", "seinem", "seiner", "seines", "deren", "dessen", "zum", "for",
}  # fmt: skip
_OURS = {
    "my", "our", "mein", "meine", "meinen", "meinem", "meiner", "unser", "unsere", "unseren",
    "unserem", "a", "an", "the", "ein", "eine", "einen", "einem", "die", "den", "das", "dem",
    "this", "diese", "diesen", "dieses",
}  # fmt: skip
# "send her my slides", "give her examples": after a verb of giving, "her" is whom it goes to.
_GIVING = re.compile(r"^(?:send\w*|give|gib|geben|show|zeig\w*|mail\w*|forward\w*|bring\w*)$")
_SEND = re.compile(
    r"\b(?:schick\w*|zuschick\w*|send\w*|mail\w*|e-mail\w*|weiterleit\w*|forward\w*|share|teilen)\b",
    re.I,
)


@dataclass(frozen=True)
class Give:
    """What a give answer names. `resource` is a kind from `_RESOURCES` (None: none named);
    `other`: a part of the answer names something none of the kinds describes (`send`: and it
    is something to send), so the draft leaves a neutral gap for it rather than a guess."""

    resource: str | None = None
    tip: bool = False
    introduction: bool = False
    intro_name: str | None = None  # whom to introduce them to, where the answer names them
    other: bool = False
    send: bool = False
    question: bool = False  # a good question back: only ever picked from the coach's ideas

    @property
    def any(self) -> bool:
        return bool(self.resource or self.tip or self.introduction or self.other or self.question)


def _intro_name(text: str) -> str | None:
    match = _INTRO_NAME.search(text)
    if match is None:
        return None
    words = []
    for word in match.group("name").split():
        if word.casefold() in _NOT_A_NAME or not word.isalpha():
            break
        words.append(word if not word.islower() else word[:1].upper() + word[1:])
    return " ".join(words) or None


def _ours(part: str, match: re.Match[str]) -> bool:
    """Whether the word matched is the user's to give, not the reader's ("help with her app")
    or a figure of speech ("zum Beispiel"): the nearest determiner before it decides. German
    „ihr“ is the reader's only right before the word ("ihr Portfolio"); else it is whom the
    thing goes to („ihr 2-3 Beispiele schicken“)."""
    before = _words(part[: match.start()])[-3:]
    for i in range(len(before) - 1, -1, -1):
        word = before[i]
        if word in _OURS:
            return True
        if word == "ihr":
            return i != len(before) - 1
        if word in _THEIRS:
            return i > 0 and bool(_GIVING.match(before[i - 1]))
    return True


def _kind_in(part: str) -> str | None:
    for kind, word in _RESOURCE_WORD:
        if any(_ours(part, match) for match in word.finditer(part)):
            return kind
    return None


def _has_content(part: str) -> bool:
    """A part that says something beyond filler: "termin vorschlagen", not "evtl" or a
    name's second half ("Müller & Söhne" split at "&")."""
    words = [w for w in _words(part) if w not in _CHAT and any(ch.isalpha() for ch in w)]
    if not words or is_shrug(part):
        return False
    return not (len(words) == 1 and part.strip()[:1].isupper())


def read_give(text: str | None) -> Give:
    """The kinds of give an answer names: "ihm meine checkliste schicken + evtl kontakt zu
    jonas" → a checklist and an introduction to Jonas; „termin vorschlagen + kontakt zu meinem
    holzhändler“ → something else (promised: the draft keeps a gap for it) and an
    introduction; "idk" → nothing. Asides in brackets describe, they are never the give."""
    if is_shrug(text):
        return Give()
    plain = " ".join(_ASIDE.sub(" ", text or "").split())
    resource, tip, introduction, other, send = None, False, False, False, False
    intro_name = None
    for part in _PARTS.split(plain):
        intro = _INTRO.search(part)
        if intro:
            introduction = True
            intro_name = intro_name or _intro_name(part)
            part = part[: intro.start()]  # what follows describes whom to introduce
        kind = _kind_in(part)
        tipped = any(_ours(part, match) for match in _TIP.finditer(part))
        resource = resource or kind
        tip = tip or tipped
        if not (kind or tipped or intro) and _has_content(part):
            other, send = True, send or bool(_SEND.search(part))
    return Give(
        resource=resource,
        tip=tip,
        introduction=introduction,
        intro_name=intro_name,
        other=other,
        send=send,
    )


# -- places -------------------------------------------------------------------------------------

_ONLINE = re.compile(
    r"\b(?:online|zoom|teams|ms\s+teams|google\s+meet|meet|webex|skype|video\s*call|videocall"
    r"|video-?call|video|videokonferenz|videochat|call|virtual|virtuell|remote|webinar"
    r"|livestream|discord|slack|linkedin\s+live|gather|hopin|wonder(?:\.me)?)\b",
    re.I,
)


def sounds_online(text: str | None) -> bool:
    """A typed place that is a video call ("on zoom", „per Teams“), not a venue."""
    return bool(_ONLINE.search(text or ""))
