"""Quantities: numbers about something, with their bounds and what they count.

`find_quantities(text)` reads English news text and returns one `Quantity` per number that is
about something: "up to 12,000 North Korean soldiers" -> high 12000, low open, modifier
"up to", unit "soldiers"; "several thousand" -> 3000-9000; "$1.5 billion" -> 1.5e9 USD.

What the record holds
---------------------
- `text`, `start`, `end`: the number expression itself, from its modifier to its last number
  word, with a currency sign or code, a percent sign or word, or a measure ("500 km") that is
  part of it. The counted noun phrase is *not* in the span (it often runs into the next
  clause); what is counted goes to `unit`. Quote marks around a number stay outside the span.
- `low`, `high`: floats; either is None when open ("up to" leaves `low` open, "at least"
  leaves `high` open). An exact number has low == high.
- `modifier`: the bound word as written, lower-cased ("up to", "as many as", "at least",
  "more than", "between", "or more"); every approximation ("around", "roughly", "nearly",
  "some", "an estimated", ...) is stored as "about"; a vague number stores its own word
  ("several", "a few", "dozens", "tens of thousands"); an exact number stores None.
- `unit`: what is counted, as written, lower-cased and never singularised ("soldiers",
  "tanks", "km"); a currency as its ISO code ("USD", "EUR", "GBP"); percentages as "%".
  With spaCy `tokens` it is the last NOUN of the noun phrase after the number; without them a
  word rule takes the last noun-like word of the words that follow, stopping at punctuation,
  prepositions, conjunctions, auxiliaries and adverbs, and skipping adjectives, demonyms and
  capitalised modifiers ("North Korean").

Vague numbers
-------------
One table, one rule: a plural scale word means "at least two of it and less than the next
one up"; a count word before a scale multiplies both ends.

===========================  ===========  ===========  ====================
phrase                       low          high         modifier
===========================  ===========  ===========  ====================
a couple (of)                2            2            a couple
a few                        2            5            a few
a handful (of)               2            5            a handful
several                      3            9            several
a dozen                      12           12           (exact: None)
half a dozen / million       6 / 500,000  same         (exact: None)
dozens (of)                  24           99           dozens
scores of                    40           99           scores
tens of                      20           99           tens
hundreds (of)                200          999          hundreds
thousands (of)               2,000        9,999        thousands
tens of thousands            20,000       99,999       tens of thousands
hundreds of thousands        200,000      999,999      hundreds of thousands
millions (of)                2,000,000    9,999,999    millions
tens / hundreds of millions  2e7 / 2e8    1e8-1 / 1e9-1
billions (of)                2e9          1e10-1       billions
===========================  ===========  ===========  ====================

Count word x scale: "a few hundred" 200-500, "several hundred" 300-900, "several thousand"
3,000-9,000, "a few dozen" 24-60, "several dozen" 36-108, "a couple hundred" 200,
"several hundred thousand" 300,000-900,000. A bound before a vague number keeps the matching
end: "up to several thousand" -> high 9000; "more than a dozen" -> low 12.

What is not a quantity
----------------------
Years (a bare 4-digit number 1900-2100, or 1000-2999 after "in", "since", ...; year spans
"2022-2024"), dates ("23 October", "Oct. 23", "23/10/2024"), clock times ("3 p.m.", "14:30"),
ordinals ("23rd", "first"), decades ("1990s"), model and designation numbers ("F-16", "S-400",
"Su-25", "G7", "Boeing 737", "Article 5"), numbers after reference words ("resolution 2270",
"No. 5", "page 3", "chapter 4"), phone numbers, fractions and ratios ("24/7"), compound
adjectives ("a 10-year sentence", "three-day"), the pronoun "one" ("one of the", "no one",
"the one who") and counts of time ("a couple of days", "three weeks", "10 years"): durations
belong to the time normaliser.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Optional, Sequence

from claimledger.models import Quantity
from claimledger.normalise import calendar

__all__ = ["find_quantities"]

SpacyToken = tuple[int, int, str, str]  # (start, end, pos, dep), offsets relative to text

# --- Lexicon ---------------------------------------------------------------------------------

SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {
    "hundred": Decimal(100), "thousand": Decimal(1000), "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9, "trillion": Decimal(10) ** 12, "dozen": Decimal(12),
    "bn": Decimal(10) ** 9, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6,
}
# Letters written straight after digits: "10k", "5bn"; "m", "b", "tn" only after a currency.
ATTACHED_SCALES = {"k": Decimal(1000), "bn": Decimal(10) ** 9, "mn": Decimal(10) ** 6,
                   "mln": Decimal(10) ** 6}
CURRENCY_ATTACHED_SCALES = {"m": Decimal(10) ** 6, "b": Decimal(10) ** 9,
                            "tn": Decimal(10) ** 12, "trn": Decimal(10) ** 12}
MEASURES = {
    "km", "kilometres", "kilometers", "kilometre", "kilometer", "m", "metres", "meters",
    "metre", "meter", "miles", "mile", "mi", "ft", "feet", "kg", "kilograms", "kilogram",
    "tonnes", "tons", "tonne", "ton", "t", "kt", "ha", "hectares", "hectare",
    "lb", "lbs", "mph", "kph", "kmh", "mw", "gw", "kw", "kwh", "mwh", "gwh", "bpd",
    "barrels", "litres", "liters", "acres", "nm",
}
ATTACHED_UNITS = {"km", "m", "mi", "ft", "kg", "t", "kt", "ha", "lb", "lbs", "mph", "kph",
                  "kmh", "mw", "gw", "kw", "kwh", "mwh", "gwh", "bpd", "nm"}
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₴": "UAH",
                    "₩": "KRW", "₹": "INR", "₪": "ILS", "₺": "TRY"}
DOLLAR_PREFIXES = {"US": "USD", "A": "AUD", "C": "CAD", "CA": "CAD", "HK": "HKD",
                   "NZ": "NZD", "S": "SGD"}
CURRENCY_CODES = {"USD", "EUR", "GBP", "JPY", "RUB", "UAH", "KRW", "CNY", "INR", "CHF",
                  "ILS", "TRY", "PLN", "CAD", "AUD"}

VAGUE_COUNTS = {"a few": (2, 5), "a couple": (2, 2), "a handful": (2, 5), "several": (3, 9)}
PLURAL_SCALES = {"dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1000,
                 "millions": 10 ** 6, "billions": 10 ** 9}
PLURAL_BIG = {"thousands": 1000, "millions": 10 ** 6, "billions": 10 ** 9}

# (words before the number) -> (kind, stored modifier or None for "as written")
MODIFIERS: dict[tuple[str, ...], str] = {}
for _kind, _phrases in {
    "high": ("up to", "as many as", "no more than", "not more than", "at most", "fewer than",
             "less than", "under", "below", "just under", "a maximum of", "maximum of",
             "not exceeding"),
    "low": ("at least", "more than", "over", "upwards of", "upward of", "in excess of",
            "no fewer than", "no less than", "not less than", "a minimum of", "just over",
            "well over", "above", "well above", "some more than"),
    "about": ("about", "around", "roughly", "nearly", "almost", "approximately", "some",
              "an estimated", "estimated", "close to", "circa", "approx", "just about",
              "an approximate", "around about"),
    "between": ("between",),
}.items():
    for _p in _phrases:
        MODIFIERS[tuple(_p.split())] = _kind
MAX_MODIFIER_WORDS = max(len(k) for k in MODIFIERS)

TIME_UNITS = {
    "second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs",
    "day", "days", "night", "nights", "week", "weeks", "weekend", "weekends", "fortnight",
    "fortnights", "month", "months", "year", "years", "yr", "yrs", "decade", "decades",
    "century", "centuries", "millennium", "millennia", "morning", "mornings", "evening",
    "evenings", "afternoon", "afternoons", "quarter", "quarters", "semester", "season",
}
MONTHS = set(calendar.MONTHS) | set(calendar.MONTH_ABBREVIATIONS)
WEEKDAYS = set(calendar.WEEKDAYS) | set(calendar.WEEKDAY_ABBREVIATIONS)
# Abbreviations with a full stop that a number may follow ("No. 5", "p. 3", "Oct. 7").
ABBREVIATED_BEFORE_NUMBER = {"no", "nos", "p", "pp", "vol", "fig", "art", "sec", "para",
                             "mk"} | (set(calendar.MONTH_ABBREVIATIONS) - {"may"})
# A number right after these words names a thing ("resolution 2270"), it counts nothing.
REFERENCE_WORDS = {
    "resolution", "resolutions", "no", "nos", "number", "numbers", "num", "page", "pages",
    "p", "pp", "chapter", "chapters", "article", "articles", "section", "sections", "paragraph",
    "paragraphs", "para", "clause", "item", "items", "vol", "volume", "issue", "episode",
    "part", "phase", "flight", "route", "highway", "line", "room", "apartment",
    "block", "gate", "platform", "bus", "tel", "telephone", "phone", "fax", "ext",
    "code", "category", "level", "grade", "stage", "step", "figure", "fig", "table",
    "version", "model", "type", "class", "decree",
    "unit", "brigade", "division", "regiment", "battalion", "squadron", "corps", "district",
    "precinct", "ward", "zone", "sector", "grid", "box", "po", "suite", "floor",
    "tier", "mk", "series", "week", "day", "round", "game", "match", "year",
    "born", "aged", "age", "vs", "versus", "v", "minus", "x", "rank", "ranked", "ranking",
}
# Words that start a sentence or a phrase; a capitalised one before a number is not a name.
FUNCTION_WORDS = {
    "the", "a", "an", "this", "that", "these", "those", "all", "another", "only", "just",
    "of", "in", "on", "at", "by", "for", "with", "from", "to", "and", "but", "or", "nor",
    "some", "its", "their", "his", "her", "our", "my", "your", "each", "every", "both",
    "about", "around", "over", "under", "nearly", "almost", "roughly", "approximately",
    "up", "between", "among", "including", "exactly", "precisely", "then", "now", "so",
    "yet", "while", "after", "before", "since", "until", "during", "when", "if", "as",
    "than", "it", "they", "we", "he", "she", "i", "you", "there", "here", "estimated", "least", "most", "more", "fewer", "less", "what", "which", "who", "whom", "whose", "why", "how", "where", "also", "still", "even",
    "however", "meanwhile", "overall", "altogether", "total", "together", "once", "again",
    "reportedly", "allegedly", "officially", "many", "further",
    "additional", "extra", "other", "first", "last", "latest", "below", "above", "within", "across", "against", "into", "onto", "upon", "via", "per",
    "without", "through", "throughout", "toward", "towards", "near", "beyond", "despite",
}
# Words that end the noun phrase after a number (the word heuristic).
STOP_WORDS = {
    # prepositions
    "of", "in", "on", "at", "to", "from", "by", "with", "for", "into", "onto", "near",
    "across", "along", "against", "during", "since", "until", "after", "before", "over",
    "under", "per", "about", "around", "than", "as", "via", "through", "throughout",
    "including", "within", "without", "between", "among", "amid", "amidst", "toward",
    "towards", "inside", "outside", "behind", "beyond", "despite", "like", "unlike", "upon",
    "off", "out", "up", "down", "worth", "each", "apiece", "overseas", "abroad", "nationwide",
    "worldwide", "ready", "able", "unable", "willing", "likely", "unlikely", "eligible",
    "available", "present", "alive", "aboard",
    # conjunctions and relatives
    "and", "or", "but", "nor", "yet", "so", "while", "whereas", "because", "if", "though",
    "although", "unless", "whether", "who", "whom", "whose", "which", "that", "what", "when",
    "where", "how", "why",
    # determiners and pronouns
    "the", "a", "an", "this", "these", "those", "it", "its", "they", "them", "their", "he",
    "him", "his", "she", "her", "we", "us", "our", "you", "your", "i", "me", "my", "there",
    "here", "some", "any", "all", "both", "either", "neither", "such", "own",
    # auxiliaries and common verbs
    "are", "were", "was", "is", "be", "been", "being", "am", "have", "has", "had", "having",
    "will", "would", "could", "can", "may", "might", "must", "shall", "should", "do", "does",
    "did", "said", "say", "says", "told", "tell", "according", "reportedly", "allegedly",
    "not", "no", "never", "also", "already", "currently", "now", "still", "just", "only",
    "even", "again", "then", "too", "very", "more", "most", "less", "least", "fewer", "ago",
    "later", "earlier", "away", "long", "old", "today", "yesterday", "tomorrow", "tonight",
    "last", "next", "year's", "got", "get", "gets", "went", "go", "goes", "came",
    "come", "comes", "made", "make", "makes", "took", "take", "takes", "remain", "remained",
    "fled", "died", "left", "arrived", "reached", "rose", "fell", "joined", "set", "put",
    "seen", "saw", "see", "sent", "gave", "give", "met", "fought", "won", "lost", "began",
    "ran", "held", "kept", "found", "led", "paid", "brought", "built", "bought", "thought",
    "spoke", "wrote", "knew", "grew", "flew", "struck", "shot", "hit", "stood", "sat",
    "broke", "chose", "sold", "became", "become", "seem", "seemed", "appear", "appeared",
}
# Adjectives that can end the chunk but are not what is counted ("12,000 more").
NOT_HEAD = {
    "more", "other", "others", "additional", "extra", "new", "such", "same", "different",
    "various", "separate", "total", "overall", "combined", "altogether", "alone", "each",
    "strong", "odd", "plus", "percent", "cent",
}
# -ed / -ing words that do name what is counted.
NOMINAL_PARTICIPLES = {
    "wounded", "injured", "killed", "dead", "displaced", "missing", "detained", "arrested",
    "abducted", "evacuated", "disappeared", "imprisoned", "deported",
    "building", "funding", "housing", "bombing", "shelling", "meeting", "training",
    "warning", "landing", "offering", "killing", "wedding", "opening", "recording", "ceiling",
    "unemployed", "elderly", "infected", "vaccinated", "affected", "undead",
    "thing", "something", "everything", "nothing",
}
NOT_ADVERB_LY = {"family", "ally", "rally", "assembly", "supply", "elderly", "anomaly",
                 "monopoly", "reply", "belly", "bully", "jelly", "lily", "italy", "daily",
                 "weekly", "monthly", "quarterly", "fly", "butterfly", "holy", "poly", "july"}
UPPER_NOT_HEAD = {"US", "UK", "EU", "UN", "USA", "NATO", "UAE", "USSR", "ISIS", "IS", "AP",
                  "AFP", "BBC", "CNN", "ISW", "IAEA", "WHO", "OSCE", "UNHCR", "IDF"}
# "one" is a pronoun after these words ("no one", "the one who").
ONE_BLOCK_PREV = {"no", "the", "this", "that", "each", "any", "every", "which", "only",
                  "last", "another", "someone", "anyone", "everyone", "little", "such",
                  "next", "right", "wrong", "big", "new", "old", "good", "bad", "other"}
ONE_BLOCK_HEAD = {"another", "thing", "way", "side", "hand", "point", "time", "moment",
                  "other", "others", "anything", "something", "nothing", "everything",
                  "ones"}
PARTITIVE_DETERMINERS = {"the", "these", "those", "its", "their", "his", "her", "our", "your",
                         "my", "whose"}
IRREGULAR_PLURALS = {"people", "men", "women", "children", "police", "personnel", "staff",
                     "aircraft", "cattle", "sheep", "livestock", "militia", "infantry", "crew"}
# A number followed by these counts occasions, not things ("seven times").
FREQUENCY_WORDS = {"times", "time", "occasions", "fold"}
STREET_WORDS = {"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane",
                "drive", "square", "place", "way", "court", "plaza", "highway"}
QUOTES = {'"', "“", "”", "‘", "’", "'", "«", "»", "„"}
YEAR_PREPOSITIONS = {"in", "since", "until", "till", "by", "from", "of", "during", "before",
                     "after", "year", "years", "early", "late", "mid", "circa", "spring",
                     "summer", "autumn", "fall", "winter", "end", "beginning", "start",
                     "through", "to", "and", "between", "throughout"}

_TOKEN_RE = re.compile(
    r"(?P<num>\d+(?:[,.]\d+)*)|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)|(?P<other>\S)")
_MASK_RES = [
    re.compile(r"(?<![\d,.])\d{1,2}:\d{2}(?::\d{2})?(?![\d])"),  # clock times
    re.compile(r"(?<![\d,.])\d{1,4}([/.\-])\d{1,2}\1\d{1,4}(?![\d])"),  # numeric dates
    re.compile(r"(?<![\d,.])\d+/\d+(?![\d])"),  # fractions, ratios, 24/7, 9/11
    re.compile(r"\+\d{1,3}[\s.-]?\(?\d[\d\s().-]{5,}\d"),  # international phone numbers
    re.compile(r"\(\d{2,5}\)\s?\d{3,4}[\s.-]?\d{3,4}"),  # (020) 7946 0958
    re.compile(r"(?<![\d,.])\d{3}[.\-\s]\d{3}[.\-]\d{4}(?![\d])"),  # 555-123-4567
    re.compile(r"(?i)(?:phone|call|tel|telephone|fax|hotline|contact|dial)\W{1,3}\d{3}-\d{4}"),
]
_TIME_AFTER_RE = re.compile(
    r"\s*(?:[ap]\.?\s?m\b\.?|gmt\b|utc\b|cet\b|cest\b|est\b|edt\b|bst\b|o['’]clock\b)",
    re.IGNORECASE)


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    kind: str  # "num" | "word" | "other"
    lower: str = field(init=False)

    def __post_init__(self) -> None:
        self.lower = self.text.lower()


@dataclass
class _Core:
    """One number expression: digits, number words or a vague phrase."""

    j: int  # token index after the expression
    end: int  # char end of the expression (before a consumed "of")
    low: Decimal
    high: Decimal
    kind: str  # "digits" | "words" | "vague"
    label: Optional[str] = None  # the vague word ("several") or None
    raw: Decimal = Decimal(0)  # value before the trailing scale word
    tail_scale: Decimal = Decimal(1)
    plain: bool = False  # digits with no comma, decimal point, scale or suffix
    unit: Optional[str] = None  # an attached measure ("500km")
    of: bool = False  # the vague phrase took its "of"


def _digits_value(s: str) -> Optional[Decimal]:
    if "," in s:
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
            return None
        s = s.replace(",", "")
    elif s.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", s):
            return None
        s = s.replace(".", "")
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the token regex admits only digits
        return None


# The words a number expression can start with (besides number words and currency codes):
# see `_Scanner.vague` and `_Scanner.words`.
_START_WORDS = frozenset({"a", "an", "half", "several"} | set(PLURAL_SCALES))


def _number_word(w: str) -> Optional[int]:
    """'seven' -> 7, 'twenty-five' -> 25; anything else -> None."""
    if w in SMALL:
        return SMALL[w]
    if w in TENS:
        return TENS[w]
    parts = w.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in SMALL and SMALL[parts[1]] < 10:
        return TENS[parts[0]] + SMALL[parts[1]]
    return None


def _plural(t: _Tok) -> bool:
    """Does this word look like a plural noun ("soldiers", "people"), which ends a phrase?"""
    w = t.lower
    if w in IRREGULAR_PLURALS:
        return True
    return (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))
            and w not in NOT_HEAD and not t.text[0].isupper())


def _num(d: Optional[Decimal]) -> Optional[float]:
    return None if d is None else float(d)


class _Scanner:
    def __init__(self, text: str, tokens: Optional[Sequence[SpacyToken]]):
        self.text = text
        self.toks = [_Tok(m.start(), m.end(), m.group(), m.lastgroup or "other")
                     for m in _TOKEN_RE.finditer(text)]
        self.n = len(self.toks)
        masks = [(m.start(), m.end()) for rx in _MASK_RES for m in rx.finditer(text)]
        self.masked = {i for i, t in enumerate(self.toks)
                       if t.kind == "num" and any(s < t.end and t.start < e for s, e in masks)
                       } if masks else set()
        self.spacy = sorted(tokens) if tokens else None
        self.spacy_starts = [t[0] for t in self.spacy] if self.spacy else []

    # --- small helpers ---------------------------------------------------------------------
    def low(self, i: int) -> str:
        return self.toks[i].lower if 0 <= i < self.n else ""

    def spaced(self, i: int, j: int) -> bool:
        """Tokens i and j (j == i + 1) are separated by whitespace only (or touch)."""
        if not (0 <= i < self.n and 0 <= j < self.n):
            return False
        return self.text[self.toks[i].end:self.toks[j].start].strip() == ""

    def adjacent(self, i: int, j: int) -> bool:
        return 0 <= i < self.n and 0 <= j < self.n and self.toks[i].end == self.toks[j].start

    def word_at(self, i: int) -> Optional[str]:
        return self.toks[i].lower if 0 <= i < self.n and self.toks[i].kind == "word" else None

    def spacy_pos(self, char: int) -> Optional[str]:
        if not self.spacy:
            return None
        k = bisect.bisect_left(self.spacy_starts, char)
        if k < len(self.spacy) and self.spacy[k][0] == char:
            return self.spacy[k][2]
        return None

    # --- number expressions ----------------------------------------------------------------
    def scale_words(self, j: int, prev: int) -> tuple[Decimal, int]:
        """Multiply the scale words after token `prev` ("hundred thousand")."""
        mult = Decimal(1)
        while j < self.n and self.toks[j].kind == "word" and self.low(j) in SCALES \
                and self.spaced(prev, j):
            mult *= SCALES[self.low(j)]
            prev, j = j, j + 1
        return mult, j

    def core(self, i: int, currency: Optional[str]) -> Optional[_Core]:
        if i >= self.n:
            return None
        t = self.toks[i]
        if t.kind == "num":
            return self.digits(i, currency)
        if t.kind == "word":
            return self.vague(i) or self.words(i)
        return None

    def digits(self, i: int, currency: Optional[str]) -> Optional[_Core]:
        t = self.toks[i]
        if i in self.masked:
            return None
        value = _digits_value(t.text)
        if value is None or (len(t.text) > 1 and t.text[0] == "0" and t.text[1] != "."):
            return None  # 0113: a code, not a count
        j, unit, scale, suffix = i + 1, None, Decimal(1), False
        if j < self.n and self.adjacent(i, j) and self.toks[j].kind == "word":
            suf = self.low(j)
            if self.toks[j].text in ("K", "M", "B", "BN", "MN"):
                scale = {"K": Decimal(1000), "M": Decimal(10) ** 6, "MN": Decimal(10) ** 6,
                         "B": Decimal(10) ** 9, "BN": Decimal(10) ** 9}[self.toks[j].text]
            elif suf in ATTACHED_SCALES:
                scale = ATTACHED_SCALES[suf]
            elif currency and suf in CURRENCY_ATTACHED_SCALES:
                scale = CURRENCY_ATTACHED_SCALES[suf]
            elif not currency and suf in ATTACHED_UNITS:
                unit = suf
            else:
                return None  # 23rd, 1990s, 5G, 9M723, 155mm
            suffix, j = True, j + 1
        more, j = self.scale_words(j, j - 1)
        scale *= more
        plain = not suffix and scale == 1 and "," not in t.text and "." not in t.text
        return _Core(j=j, end=self.toks[j - 1].end, low=value * scale, high=value * scale,
                     kind="digits", raw=value, tail_scale=scale, plain=plain, unit=unit)

    def words(self, i: int) -> Optional[_Core]:
        w = self.low(i)
        j, total, current, tail = i, Decimal(0), Decimal(0), Decimal(1)
        if w in ("a", "an") and self.word_at(i + 1) in SCALES and self.spaced(i, i + 1):
            current, j = Decimal(1), i + 1
        elif (w == "half" and self.word_at(i + 1) in ("a", "an") and
              self.word_at(i + 2) in SCALES and self.spaced(i + 1, i + 2)):
            current, j = Decimal("0.5"), i + 2
        elif _number_word(w) is None:
            return None
        last = None  # "n" after a number word, "s" after a scale word
        while j < self.n and self.toks[j].kind == "word" and (j == i or self.spaced(j - 1, j)):
            w = self.low(j)
            v = _number_word(w)
            if v is not None:
                if last == "n":
                    break
                current += v
                last, tail = "n", Decimal(1)
            elif w in SCALES and w not in ("bn", "mn", "mln") or (w in SCALES and last == "n"):
                s = SCALES[w]
                if s >= 1000:
                    total += (current or 1) * s
                    current = Decimal(0)
                else:
                    current = (current or 1) * s
                tail = tail * s if last == "s" else s
                last = "s"
            elif w == "and" and last == "s" and _number_word(self.low(j + 1)) is not None:
                pass
            else:
                break
            j += 1
        if self.low(j - 1) == "and":
            j -= 1
        value = total + current
        return _Core(j=j, end=self.toks[j - 1].end, low=value, high=value, kind="words",
                     raw=value / tail, tail_scale=tail)

    def vague(self, i: int) -> Optional[_Core]:
        w, nxt = self.low(i), self.word_at(i + 1)
        label, j = None, i
        if w in ("a", "an") and nxt in ("few", "couple", "handful") and self.spaced(i, i + 1):
            label, j = f"a {nxt}", i + 2
        elif w == "several":
            label, j = "several", i + 1
        if label:
            least, most = VAGUE_COUNTS[label]
            mult, j = self.scale_words(j, j - 1)
            end = self.toks[j - 1].end
            took_of = False
            if label in ("a couple", "a handful") and self.word_at(j) == "of":
                j, took_of = j + 1, True
            return _Core(j=j, end=end, low=least * mult, high=most * mult, kind="vague",
                         label=label, tail_scale=mult, of=took_of)
        if w not in PLURAL_SCALES:
            return None
        s = Decimal(PLURAL_SCALES[w])
        j = i + 1
        if w in ("tens", "hundreds") and nxt == "of" and self.word_at(i + 2) in PLURAL_BIG:
            q = Decimal(PLURAL_BIG[self.low(i + 2)])
            label, j = f"{w} of {self.low(i + 2)}", i + 3
            lo, hi = 2 * s * q, 10 * s * q - 1
        else:
            if w in ("scores", "tens") and nxt != "of":
                return None
            label = w
            lo, hi = 2 * s, (Decimal(99) if s < 100 else 10 * s - 1)
        end = self.toks[j - 1].end
        took_of = self.word_at(j) == "of"
        if took_of:
            j += 1
        return _Core(j=j, end=end, low=lo, high=hi, kind="vague", label=label, of=took_of)

    # --- context checks --------------------------------------------------------------------
    def bad_left(self, k: int, core: _Core) -> bool:
        """Is the number at token k a designation, a date, a reference (not a count)?"""
        prev = k - 1
        if prev >= 0 and self.adjacent(prev, k):
            p = self.toks[prev]
            if p.kind == "word" or p.kind == "num":
                return True  # G7, A320
            if p.text in "-–" and prev >= 1 and self.adjacent(prev - 1, prev) and \
                    self.toks[prev - 1].kind in ("word", "num"):
                return True  # F-16, S-400, Su-25
            if p.text not in QUOTES and p.text not in "([{~≈<>—–":
                return True  # #5, @user_1, -5, /3
        w = self.word_at(prev)
        if w is None and prev >= 1 and self.toks[prev].text == "." and \
                self.adjacent(prev - 1, prev):
            w = self.word_at(prev - 1)  # "No. 5", "p. 3"
            if w not in ABBREVIATED_BEFORE_NUMBER:
                w = None
        if w is None:
            return False
        if w in REFERENCE_WORDS:
            return True
        word_tok = self.toks[prev] if self.word_at(prev) else self.toks[prev - 1]
        if core.kind == "digits" and core.low <= 31 and core.low == int(core.low) and \
                (w in MONTHS or w in WEEKDAYS) and word_tok.text[0].isupper():
            return True  # October 23, Oct. 23
        p = self.toks[prev]
        if core.kind == "digits" and core.plain and p.kind == "word" and \
                any(c.isupper() for c in p.text) \
                and w not in FUNCTION_WORDS and (w, ) not in MODIFIERS and w not in WEEKDAYS \
                and w not in MONTHS and self.spaced(prev, k):
            return True  # Boeing 737, Apollo 11, Article 5
        return False

    def date_right(self, j: int, core: _Core) -> bool:
        """'23 October', '5 of May' -> a date."""
        if core.kind != "digits" or core.low > 31 or core.low != int(core.low) or not core.plain:
            return False
        k = j + 1 if self.word_at(j) == "of" else j
        w = self.word_at(k)
        return bool(w and w in MONTHS and self.toks[k].text[0].isupper())

    # --- the unit ---------------------------------------------------------------------------
    def head_words(self, j: int) -> tuple[Optional[str], Optional[str]]:
        """(what is counted, first word) after token j, by the word heuristic."""
        while j < self.n and self.toks[j].text in QUOTES:
            j += 1
        first = self.word_at(j)
        nxt = self.word_at(j + 1) or ""
        if first == "of" and (nxt in PARTITIVE_DETERMINERS or nxt.endswith(("'s", "’s"))):
            j += 2  # 2,000 of the soldiers, 22 of Clinton's emails
        chunk: list[_Tok] = []
        while j < self.n and len(chunk) < 6:
            t = self.toks[j]
            if t.kind == "num":
                if j + 1 < self.n and self.adjacent(j, j + 1) and self.toks[j + 1].kind == "word":
                    j += 2  # "155mm" inside the phrase: a modifier
                    continue
                break
            if t.kind != "word" or (chunk and not self.spaced(j - 1, j)):
                break
            w = t.lower
            if w in STOP_WORDS or w in MONTHS and t.text[0].isupper():
                break
            if _number_word(w) is not None or w in SCALES:
                break
            if w.endswith("ly") and w not in NOT_ADVERB_LY:
                break
            if ("'" in w or "’" in w) and not w.endswith(("'s", "’s")):
                break  # we've, don't
            if chunk and _plural(chunk[-1]) and not _plural(t):
                break  # "troops ready", "people killed": the noun phrase has ended
            if w.endswith("ing") and w not in NOMINAL_PARTICIPLES:
                break  # "263 entering", "soldiers training"
            if chunk and w.endswith("ed") and w not in NOMINAL_PARTICIPLES:
                break
            chunk.append(t)
            j += 1
        for t in reversed(chunk):
            w = t.lower
            if w in NOT_HEAD or w.endswith(("'s", "’s")):
                continue
            if (w.endswith("ed") or w.endswith("ing")) and w not in NOMINAL_PARTICIPLES:
                continue
            if t.text[0].isupper():
                if t.text.isupper() and len(t.text) >= 2:
                    if t.text in UPPER_NOT_HEAD:
                        continue
                elif not (w.endswith("s") and len(w) > 3):
                    continue  # North, Korean, Wagner
            return w, first
        return None, first

    def head_spacy(self, char: int) -> tuple[Optional[str], Optional[str]]:
        """(what is counted, first word) after char, by spaCy's part-of-speech tags."""
        toks = self.spacy or []
        k = bisect.bisect_left(self.spacy_starts, char)
        while k < len(toks) and self.text[toks[k][0]:toks[k][1]] in QUOTES:
            k += 1
        first = self.text[toks[k][0]:toks[k][1]].lower() if k < len(toks) else None
        if first == "of" and k + 1 < len(toks) and toks[k + 1][2] in ("DET", "PRON") \
                and self.text[toks[k + 1][0]:toks[k + 1][1]].lower() not in ("them", "us", "it"):
            k += 2
        head = None
        head_plural = False
        propn = None
        prev_end = None
        while k < len(toks):
            s, e, pos, _dep = toks[k]
            word = self.text[s:e]
            if prev_end is not None and self.text[prev_end:s].strip():
                break
            if word.lower() in ("today", "yesterday", "tomorrow", "tonight", "overseas", "abroad"):
                break
            if pos == "NOUN":
                if head is not None and head_plural and not _plural(_Tok(s, e, word, "word")):
                    break  # "visits today", "troops ready": the phrase has ended
                head = word.lower()
                head_plural = _plural(_Tok(s, e, word, "word"))
            elif pos == "PROPN":
                if word.lower().endswith("s") and not word.isupper():
                    propn = word.lower()
            elif pos in ("ADJ", "NUM") or (pos == "PUNCT" and word in "-–"):
                pass
            elif pos == "VERB" and head is None and word.lower() in NOMINAL_PARTICIPLES:
                head = word.lower()  # "300 wounded"
            else:
                break
            prev_end = e
            k += 1
        return head or propn, first

    # --- one match ----------------------------------------------------------------------------
    def match(self, i: int, floor: int) -> Optional[tuple[Optional[Quantity], int]]:
        """The quantity whose number starts at token i (its modifier may begin before, not
        before `floor`) and the token index after it; (None, j) skips a numeric span that is
        no quantity; None when nothing starts here."""
        toks, text = self.toks, self.text
        t = toks[i]
        if t.kind == "word" and t.lower not in _START_WORDS and t.text not in CURRENCY_CODES \
                and _number_word(t.lower) is None:
            return None  # most words: no number starts with them
        if t.kind == "other" and t.text not in CURRENCY_SYMBOLS:
            return None
        currency, k, start_i = None, i, i
        if t.text in CURRENCY_SYMBOLS and i + 1 < self.n and toks[i + 1].kind == "num" and \
                self.spaced(i, i + 1):
            currency, k = CURRENCY_SYMBOLS[t.text], i + 1
            if t.text == "$" and i - 1 >= floor and self.adjacent(i - 1, i) and \
                    toks[i - 1].text in DOLLAR_PREFIXES:
                currency, start_i = DOLLAR_PREFIXES[toks[i - 1].text], i - 1
        elif t.kind == "word" and t.text in CURRENCY_CODES and i + 1 < self.n and \
                toks[i + 1].kind == "num" and self.spaced(i, i + 1):
            currency, k = t.text, i + 1
        core = self.core(k, currency)
        if core is None:
            return None
        if currency is None and self.bad_left(k, core):
            return None

        # modifier before the number
        kind, modifier = None, None
        words: list[str] = []
        m = start_i - 1
        while m >= floor and len(words) < MAX_MODIFIER_WORDS and toks[m].kind == "word" and \
                self.spaced(m, m + 1):
            words.insert(0, toks[m].lower)
            m -= 1
        for n_words in range(len(words), 0, -1):
            phrase = tuple(words[-n_words:])
            if phrase in MODIFIERS:
                kind = MODIFIERS[phrase]
                modifier = "about" if kind == "about" else " ".join(phrase)
                start_i = start_i - n_words
                break
        # "more than 3 days": the modifier word alone is no quantity when nothing follows
        low: Optional[Decimal]  # None for an open end ("at least 20" has no high)
        high: Optional[Decimal]
        low, high = core.low, core.high
        j, end = core.j, core.end
        pct = False
        if core.kind == "vague" and kind == "between":
            kind, modifier, start_i = None, None, (start_i + 1)

        # a range: 10,000-12,000, 10 to 12, between 10 and 12, two or three
        second = None
        if core.kind != "vague" and not core.of:
            r = j
            if r < self.n and toks[r].text == "%" and self.adjacent(r - 1, r):
                pct, r = True, r + 1
            elif self.word_at(r) in ("percent", "pct"):
                pct, r = True, r + 1
            elif self.word_at(r) == "per" and self.word_at(r + 1) == "cent":
                pct, r = True, r + 2
            conn = toks[r] if r < self.n else None
            ok = False
            if conn is not None:
                if conn.text == "-":
                    ok = self.adjacent(r - 1, r) and self.adjacent(r, r + 1)
                elif conn.text in ("–", "—"):
                    ok = conn.text == "–" or self.adjacent(r - 1, r)
                elif conn.lower == "to" or conn.lower == "or":
                    ok = self.spaced(r - 1, r)
                elif conn.lower == "and":
                    ok = kind == "between"
            if ok and conn is not None:
                c = r + 1
                if c < self.n and currency and toks[c].text in CURRENCY_SYMBOLS and \
                        self.adjacent(c, c + 1):
                    c += 1
                second = self.core(c, currency)
                if second is not None and (second.kind != core.kind or second.of):
                    second = None
                if second is not None:
                    first_low = core.low
                    if core.tail_scale == 1 and second.tail_scale > 1 and core.raw <= second.raw:
                        first_low = core.low * second.tail_scale  # 10-12 million
                    if core.kind == "digits" and core.plain and second.plain and \
                            1000 <= core.low <= 2999 and (1000 <= second.low <= 2999 or
                                                          second.low < 100):
                        return None, second.j  # 2022-2024, 2022-24: a span of years
                    if second.low < first_low or (conn.text == "-" and second.low == first_low):
                        if conn.text != "-" and (pct or conn.lower == "or"):
                            second = None  # "49% to 41%": two quantities
                        else:
                            return None, second.j  # a score or a ratio: 3-1, a 3 to 1 margin
                    else:
                        low, high, j, end = first_low, second.high, second.j, second.end
                        core = _Core(j=j, end=end, low=low, high=high, kind=core.kind,
                                     plain=core.plain and second.plain, unit=second.unit)
        if kind == "between" and second is None:
            kind, modifier, start_i = None, None, start_i + 1

        # what follows the number: %, percent, a currency code, -strong, +, or more
        post = None
        pct_unit = "%"
        if j < self.n and toks[j].text == "%" and self.spaced(j - 1, j):
            pct, end, j = True, toks[j].end, j + 1
        elif self.word_at(j) in ("percent", "pct", "pc") and self.spaced(j - 1, j):
            pct, end, j = True, toks[j].end, j + 1
        elif self.word_at(j) == "per" and self.word_at(j + 1) == "cent":
            pct, end, j = True, toks[j + 1].end, j + 2
        elif self.word_at(j) == "percentage" and self.word_at(j + 1) in ("point", "points"):
            pct, end, j = True, toks[j + 1].end, j + 2
            pct_unit = "percentage points"
        elif pct:
            end = toks[j - 1].end
        if j < self.n and self.spaced(j - 1, j) and toks[j].text in CURRENCY_CODES and not currency:
            currency, end, j = toks[j].text, toks[j].end, j + 1
        if j + 1 < self.n and toks[j].text == "-" and self.adjacent(j - 1, j) and \
                self.adjacent(j, j + 1):
            w = self.word_at(j + 1)
            if w == "strong":
                end, j = toks[j + 1].end, j + 2
            elif w == "plus":
                post, end, j = "plus", toks[j + 1].end, j + 2
            elif core.kind in ("digits",) or w is not None:
                return None  # a 10-year sentence, 100%-owned
        elif j < self.n and toks[j].text == "+" and self.adjacent(j - 1, j):
            post, end, j = "+", toks[j].end, j + 1
        elif kind is None and self.word_at(j) in ("or", "and") and \
                self.word_at(j + 1) in ("more", "fewer", "less", "so", "above", "over") and \
                self.word_at(j + 2) != "than":
            w = self.word_at(j + 1)
            post = f"{self.low(j)} {w}"
            end, j = toks[j + 1].end, j + 2
        if post and kind is None:
            kind = "about" if post == "or so" else ("high" if post.endswith(("fewer", "less"))
                                                     else "low")
            modifier = "about" if kind == "about" else post

        # dates, clock times, years
        if self.date_right(j, core) or (core.kind == "digits" and not pct and not currency and
                                        _TIME_AFTER_RE.match(text, end)):
            return None
        if core.kind == "digits" and core.plain and len(toks[k].text) > 5 and \
                not (currency or pct):
            return None  # ids, timestamps, wire codes: news writes counts with commas
        year_like = (core.kind == "digits" and core.plain and not currency and not pct and
                     second is None and 1000 <= core.low <= 2999 and len(toks[k].text) == 4)
        if year_like and kind is None and (1900 <= core.low <= 2100 or
                                           self.word_at(start_i - 1) in YEAR_PREPOSITIONS):
            return None  # in 1999, 2024 elections

        # what is counted
        unit = None
        first = None
        if currency:
            unit = currency
        elif pct:
            unit = pct_unit
        elif core.unit:
            unit = core.unit
        else:
            if self.word_at(j) in MEASURES and self.spaced(j - 1, j) and not core.of:
                unit, end, j = self.low(j), toks[j].end, j + 1
                first = unit
            elif self.spacy is not None:
                unit, first = self.head_spacy(toks[j].start if j < self.n else len(text))
            else:
                unit, first = self.head_words(j)
        if unit in TIME_UNITS or first in TIME_UNITS:
            return None  # a duration: the time normaliser's
        if first in FREQUENCY_WORDS and not (currency or pct):
            return None  # seven times
        if first == "in" and j + 1 < self.n and toks[j + 1].kind == "num":
            return None, j + 2  # "6 in 10 Republicans": a proportion
        if core.kind == "digits" and core.plain and second is None and kind is None and \
                unit is None and not (currency or pct):
            if j < self.n and j in self.masked:
                return None  # 2 1/2

            before = toks[k - 1].text if k >= 1 else "\n"
            after = toks[j].text if j < self.n else "."
            line_start = text[:toks[k].start].rstrip(" \t").endswith("\n") or k == 0
            if (before == "," and after in ",.;") or before == "(" or after == ")" or \
                    (line_start and after in ".)"):
                return None  # "Clinton, 68, said", "(13.)", "2. U.N. PANEL"
            if line_start and self.word_at(j) and toks[j].text[0].isupper():
                return None  # a numbered list: "1 Donald Trump."
        if core.kind == "digits" and core.plain and unit is None:
            for m in range(j, min(j + 4, self.n)):
                if self.word_at(m) in STREET_WORDS and toks[m].text[0].isupper():
                    return None  # 131 West 23rd Street
                if toks[m].kind != "word":
                    break
        if core.kind == "words" and core.low == 1 and core.tail_scale == 1 and second is None:
            pos = self.spacy_pos(toks[k].start)
            if pos is not None and pos != "NUM":
                return None
            if first == "of" or self.word_at(k - 1) in ONE_BLOCK_PREV or unit is None or \
                    unit in ONE_BLOCK_HEAD or (first or "").startswith("another") or \
                    unit.endswith("ed"):
                return None
        if year_like and unit is None:
            return None  # "around 2010"
        if unit is None and kind is None and not pct and not currency:
            if core.kind == "words" and core.tail_scale == 1 and second is None:
                return None  # "the two met": a bare small number word counts nothing known
            if core.kind == "vague" and core.label in VAGUE_COUNTS and core.tail_scale == 1:
                return None  # "several of them", "a few more"

        if kind == "high":
            low = None
        elif kind == "low":
            high = None
        if kind is None and core.kind == "vague":
            modifier = core.label
        elif kind == "about" and core.kind == "vague" and post is None:
            modifier = core.label
        start = toks[start_i].start
        q = Quantity(text=text[start:end], start=start, end=end, low=_num(low), high=_num(high),
                     modifier=modifier, unit=unit)
        return q, j


def find_quantities(text: str, offset: int = 0,
                    tokens: Sequence[SpacyToken] | None = None) -> list[Quantity]:
    """Every quantity about something in `text`, sorted and non-overlapping.

    `start`/`end` are `offset` + the position in `text`, so a caller passing a sentence with
    its document offset gets document offsets. `tokens`, when given, are spaCy tokens of
    `text` as (start, end, pos, dep) relative to `text`; their part-of-speech tags pick what
    is counted and tell the number "one" from the pronoun.
    """
    scanner = _Scanner(text, tokens)
    found: list[Quantity] = []
    i, floor = 0, 0
    while i < scanner.n:
        hit = scanner.match(i, floor)
        if hit is None:
            i += 1
            continue
        q, nxt = hit
        if q is None:  # a span that holds numbers but no quantity ("3-1", "2022-2024")
            i = floor = max(nxt, i + 1)
            continue
        if offset:
            q.start += offset
            q.end += offset
        found.append(q)
        i = floor = max(nxt, i + 1)
    return found
