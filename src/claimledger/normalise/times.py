"""Find and normalise time expressions in English news text, TIMEX3-style.

    find_times(text, anchor, offset=0) -> list[TimeExpr]
    normalise_time(phrase, anchor) -> TimeExpr | None

Rules are regular expressions with a handler each (below, in priority order for equal spans).
Every match is resolved against `anchor` (the publication date); the longest match wins where
matches overlap. Then four passes: business news compares a quarter with the same quarter a
year before, so after a named quarter "a year ago", "year-earlier" and "the year-ago quarter"
take that quarter a year back and "the quarter" that quarter (`_refer_to_quarters`); "that
year", "the following month" take the period of the date last named (`_narrated`); a clock
time next to a day merges into one TIME ("3 p.m. Wednesday"); "early / mid / late / the end
of" before a period narrows it (modifier START, MID, END, and the interval); "by" before an
expression makes the interval run from the anchor to the expression's end ("by year's end":
anchor..2024-12-31, or the year's start when no anchor is known: then the value itself is
None, so no interval).

Spans follow TimeML: prepositions ("on", "in", "by", "at", "over") stay outside, determiners and
qualifiers ("the past two years", "the nine months", "about two weeks", "two days ago") stay
inside.

Conventions worth knowing (see the tests):
- a weekday alone is the anchor's day, the day after it, or else one of the six days before
  it; two or three days ahead only with a future cue nearby ("will meet on Friday", "by
  Friday"); "last"/"next" pick the previous/following one;
- a day and month without year take the year that puts the date nearest the anchor (after
  "ended", not after the anchor); with a weekday ("Wednesday, 23 October") the weekday pins
  the year (anchor "inferred");
- a bare month is the most recent such month not after the anchor ("a June agreement"),
  unless a future cue is near or it is the month after the anchor's;
- "recently"/"recent" are PAST_REF (TimeML), "now"/"currently" PRESENT_REF, "soon" FUTURE_REF;
  "the coming weeks", "for years" are vague durations (PXW, PXY);
- "in two weeks" is a DATE (anchor + 14 days), "two weeks" alone a DURATION (P2W);
- "N units earlier/later" is resolved against the anchor like "ago"/"from now" (TimeML does
  this; the true reference may be a narrated time);
- years may be spoken ("nineteen ninety-six", "the year two thousand");
- with no anchor, relative expressions get a partial value ("XXXX-10", "XXXX-WXX-3") or None.

Measured with `claimledger eval tempeval` on TimeBank/AQUAINT (docs/evaluation.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Optional

from claimledger.models import TimeExpr
from claimledger.normalise import time_rules as R
from claimledger.normalise.calendar import month_number, weekday_number, years_matching_weekday

__all__ = ["find_times", "normalise_time"]


@dataclass
class _Hit:
    start: int
    end: int
    value: Optional[str]
    type: str = "DATE"
    modifier: Optional[str] = None
    anchor: Optional[str] = None
    granularity: Optional[str] = None  # derived from the value when None
    interval: Optional[tuple[dt.date, dt.date]] = None  # derived from the value when None
    kind: str = ""  # "clock": a time of day with no day of its own; "day": a single day
    rank: int = 0


@dataclass
class _Ctx:
    text: str
    anchor: Optional[dt.date]
    year: Optional[int] = None  # publication year, when the day is not known


@dataclass(frozen=True)
class _Rule:
    rx: re.Pattern
    handler: Callable[[re.Match, _Ctx], Optional[_Hit]]
    needs: tuple[str, ...] = ()
    near: Optional[re.Pattern] = None


_RULES: list[_Rule] = []
# How far a match of a rule with `near` reaches before the start and after the end of the
# word it is near, in characters ("no more than the past twenty-five to thirty days" is 44
# before its unit; "days from now" 9 after).
_REACH_BEFORE, _REACH_AFTER = 120, 40


def _rule(pattern: str, flags: int = 0, needs: tuple[str, ...] = (), near: str = ""):
    """Register a rule. `needs`: words, in lower case, one of which (in any case) every match
    of the pattern holds or looks ahead at: a text that holds none of them is not scanned by
    this rule, so that a rule for a rare phrase ("the fourth quarter") costs next to nothing
    elsewhere. `near`: a pattern (a unit word: "days", "years") that every match holds: only
    the stretches of text around its matches are scanned (`_REACH_BEFORE` and `_REACH_AFTER`
    characters), not every position of the text. The rule finds the same with or without
    them (tests/test_times.py)."""
    assert all(w == w.lower() for w in needs), needs

    def register(fn):
        _RULES.append(_Rule(re.compile(pattern, flags), fn, needs,
                            re.compile(near) if near else None))
        return fn

    return register


_WORD_END = re.compile(r"\w*")


def _stretches(text: str, near: re.Pattern) -> Iterator[tuple[int, int]]:
    """The stretches of `text` within reach of a match of `near`, merged where they overlap;
    each ends at the end of a word, so that a word cut at the stretch's end does not look
    whole to the rule."""
    start = end = -1
    for m in near.finditer(text):
        s = max(0, m.start() - _REACH_BEFORE)
        e = min(len(text), m.end() + _REACH_AFTER)
        word = _WORD_END.match(text, e)  # "\w*" always matches
        e = word.end() if word else e
        if s > end:
            if end >= 0:
                yield start, end
            start = s
        end = max(end, e)
    if end >= 0:
        yield start, end


def _matches(rule: _Rule, text: str) -> Iterator[re.Match]:
    if rule.near is None:
        yield from rule.rx.finditer(text)
        return
    for start, end in _stretches(text, rule.near):
        yield from rule.rx.finditer(text, start, end)


# What `str.lower` does not do that a case-insensitive pattern does: in `re`, the long s
# matches "s" and the dotted and dotless I match "i", so they become them before `needs` is
# looked for (tests/test_times.py checks every code point).
_FOLD = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i"})


def folded(text: str) -> str:
    """`text` in lower case, as a case-insensitive pattern compares it, letter by letter."""
    return text.translate(_FOLD).lower()


# ---------------------------------------------------------------- context helpers
def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([\w’'.]+)\W*$", text[max(0, start - 40):start])
    return m.group(1) if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*([\w’']+)", text[end:end + 40])
    return m.group(1) if m else ""


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 5):start].rstrip(" \t\"“‘'(`")
    return not before or before[-1] in ".!?:\n"


_FUTURE_CUE = (
    r"will|won['’]t|shall|['’]ll|expected|expects?|scheduled|due\s+to|plans?\s+to|planned"
    r"|set\s+to|going\s+to|intends?\s+to|aims?\s+to|is\s+to|are\s+to|next|upcoming|by|until"
)
_NOT_PAST = {"hundred", "indeed", "need", "speed", "proceed", "exceed", "succeed", "united",
             "armed", "alleged", "based", "limited", "detailed", "advanced", "supposed", "red",
             "bed", "shed", "feed", "seed", "breed", "greed", "creed", "wed", "embed", "sled"}
_CUE = re.compile(rf"\b(?:(?P<fut>{_FUTURE_CUE})|(?P<past>said|was|were|had|did|told|ago|last"
                  rf"|yesterday|[a-z]{{2,}}ed))\b")


def _tense(text: str, start: int, end: int) -> Optional[str]:
    """'past', 'future' or None: the tense cue nearest the expression within its sentence.

    Used only to send a bare month to the future ("troops will arrive in December"); for
    weekdays and day-month dates the nearest occurrence scored better on TimeBank/AQUAINT.
    """
    left = re.split(r"[.!?\n]", text[max(0, start - 150):start])[-1]
    right = re.split(r"[.!?\n]", text[end:end + 150])[0]
    best: tuple[int, Optional[str]] = (10**6, None)
    for chunk, base, before in ((left, len(left), True), (right, 0, False)):
        for m in _CUE.finditer(chunk):
            if m.group("past") and m.group("past").lower() in _NOT_PAST:
                continue
            dist = base - m.end() if before else m.start() - base
            if dist < best[0]:
                best = (dist, "future" if m.group("fut") else "past")
    return best[1]


def _day_hit(m: re.Match, d: dt.date, anchor: str, rank: int = 0) -> _Hit:
    return _Hit(m.start(), m.end(), d.isoformat(), anchor=anchor, kind="day", rank=rank)


def _resolve_day_month(day: int, month: int, ctx: _Ctx, weekday: Optional[int] = None):
    """(value, anchor kind) for a day and month without a year."""
    if weekday is not None:
        today = dt.date.today()
        around = ctx.anchor.year if ctx.anchor else today.year
        years = years_matching_weekday(day, month, weekday, around)
        if ctx.anchor is None:
            years = [y for y in years if dt.date(y, month, day) <= today]
        if years:
            return dt.date(years[0], month, day).isoformat(), "inferred"
    if ctx.anchor is None:
        return f"XXXX-{month:02d}-{day:02d}", None
    options = []
    for y in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        try:
            options.append(dt.date(y, month, day))
        except ValueError:
            pass
    if not options:
        return None, None
    anchor = ctx.anchor
    best = min(options, key=lambda d: abs((d - anchor).days))
    return best.isoformat(), "publication"


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------- explicit dates
_REL_YEAR_WORDS = r"(?i:(?:this|last|next)\s+year)"


# What `near` looks for (see `_rule`): a month's name, or a period ("week", "year").
_MONTH_WORD = rf"{R.MONTH_FULL}|{R.MONTH_ABBR}"
_PERIOD_WORD = r"(?i:day|week|month|year|quarter|decade|century)"


@_rule(r"\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?\b")
def _iso(m, ctx):
    y, mo, d = (int(g) for g in m.group(1, 2, 3))
    if not (1800 <= y <= 2100 and _valid(y, mo, d)):
        return None
    if m.group(4):
        return _Hit(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}T{m.group(4)}:{m.group(5)}",
                    type="TIME", anchor="absolute", granularity="minute")
    return _day_hit(m, dt.date(y, mo, d), "absolute")


@_rule(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|\.\d)")
def _numeric(m, ctx):
    a, b, y = int(m.group(1)), int(m.group(3)), m.group(4)
    if m.group(2) == "." and len(y) == 2:
        return None
    year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))
    # Slashes: month first (10/23/2024) unless that cannot be; dots: day first (23.10.2024).
    mo, d = (a, b) if m.group(2) == "/" and a <= 12 else (b, a)
    if not _valid(year, mo, d):
        return None
    return _day_hit(m, dt.date(year, mo, d), "absolute")


def _weekday_day_month(m, ctx, wd_word, day_s, mon_word, year_s):
    day = int(re.match(r"\d+", day_s).group())
    month = month_number(mon_word)
    weekday = weekday_number(wd_word) if wd_word else None
    if month is None:
        return None
    if year_s:
        if not _valid(int(year_s), month, day):
            return None
        return _day_hit(m, dt.date(int(year_s), month, day), "absolute", rank=-1)
    if not _valid(2024, month, day):
        return None
    value, kind = _resolve_day_month(day, month, ctx, weekday)
    if (kind == "publication" and value > ctx.anchor.isoformat()
            and _prev_word(ctx.text, m.start()).lower() == "ended"):
        value = f"{int(value[:4]) - 1}{value[4:]}"  # "the quarter ended Sept. 30": past
        if not _valid(int(value[:4]), month, day):
            return None
    return _Hit(m.start(), m.end(), value, anchor=kind, kind="day", rank=-1)


@_rule(rf"\b(?:({R.WEEKDAY_ANY}),?\s+)?(?:the\s+)?({R.DAY})(?:\s+of)?\s+({R.MONTH})(?:,?\s+({R.YEAR})\b)?",
       near=_MONTH_WORD)
def _dmy(m, ctx):
    return _weekday_day_month(m, ctx, m.group(1), m.group(2), m.group(3), m.group(4))


@_rule(rf"\b(?:({R.WEEKDAY_ANY}),?\s+)?({R.MONTH})\s+({R.DAY})\b(?![,.]?\d|:\d)(?:,?\s+({R.YEAR})\b)?",
       near=_MONTH_WORD)
def _mdy(m, ctx):
    return _weekday_day_month(m, ctx, m.group(1), m.group(3), m.group(2), m.group(4))


@_rule(rf"\b({R.MONTH}),?\s+(?:of\s+)?({R.YEAR_ANY})\b",
       near=_MONTH_WORD)
def _month_year(m, ctx):
    month, year = month_number(m.group(1)), R.parse_year(m.group(2))
    if year is None:
        return None
    return _Hit(m.start(), m.end(), f"{year:04d}-{month:02d}", anchor="absolute")


@_rule(rf"\b({R.MONTH})\s+(?:of\s+)?({_REL_YEAR_WORDS})\b",
       near=_MONTH_WORD)
def _month_rel_year(m, ctx):
    """'January this year', 'June last year', 'April next year'."""
    year, kind = _rel_year(m.group(2), ctx)
    month = month_number(m.group(1))
    value = f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"
    return _Hit(m.start(), m.end(), value, anchor=kind)


@_rule(rf"\b(?:(?i:(last|next|this|this\s+past|this\s+coming|past|coming))\s+)?({R.MONTH_FULL}|Sept\.)(?![\w’'-])",
       near=rf"{R.MONTH_FULL}|Sept\.")
def _bare_month(m, ctx):
    word, rel = m.group(2), (m.group(1) or "").lower().split()
    text = ctx.text
    month = month_number(word)
    if not m.group(1):
        prev, nxt = _prev_word(text, m.start()), _next_word(text, m.end())
        initial = _sentence_initial(text, m.start())
        prev_is_name = (not initial and prev[:1].isupper() and prev.lower() not in R.FUNCTION_WORDS
                        and not prev.endswith(("’s", "'s")))
        if prev_is_name:  # "Theresa May", "Brian May"
            return None
        if word in ("May", "March") and nxt[:1].islower() and (
            initial or prev.lower() not in R.FUNCTION_WORDS
        ):  # "May have been killed", "March on"
            return None
    a = ctx.anchor
    if a is None:
        if ctx.year and not rel:  # published in a known year: the month of that year
            return _Hit(m.start(), m.end(), f"{ctx.year:04d}-{month:02d}", anchor="inferred")
        return _Hit(m.start(), m.end(), f"XXXX-{month:02d}")
    year = a.year
    last = rel[-1] if rel else ""
    if last in ("next", "coming"):
        year = a.year if month > a.month else a.year + 1
    elif last in ("last", "past"):
        year = a.year if month < a.month else a.year - 1
    elif not rel and (_tense(ctx.text, m.start(), m.end()) == "future"
                      or month == a.month % 12 + 1):  # the coming month, whatever the tense
        year = a.year if month >= a.month else a.year + 1
    elif not rel:
        year = a.year if month <= a.month else a.year - 1
    return _Hit(m.start(), m.end(), f"{year:04d}-{month:02d}", anchor="publication")


@_rule(rf"(?i:\b(?:fiscal\s+|the\s+year\s+|FY\s?)?)(?<![\d,.$£€])({R.YEAR})\b(?!%|,\d|\.\d|\s*(?:percent|per\s+cent)\b)")
def _year(m, ctx):
    nxt = _next_word(ctx.text, m.end()).lower()
    prev = _prev_word(ctx.text, m.start()).lower()
    if nxt in _COUNT_WORDS or nxt.rstrip("s") in _COUNT_WORDS or R.unit_key(nxt):
        return None
    if prev in _QUANTITY_BEFORE and nxt[:1].isalpha() and nxt not in R.FUNCTION_WORDS:
        return None
    return _Hit(m.start(), m.end(), m.group(1), anchor="absolute")


@_rule(rf"(?i:\b(?:the\s+year\s+)?({R.SPOKEN_YEAR})\b)(?![\w-])",
       needs=("nineteen", "thousand"))
def _spoken_year(m, ctx):
    """'in nineteen ninety-six', 'the year two thousand' (broadcast transcripts)."""
    nxt = _next_word(ctx.text, m.end()).lower()
    if nxt in _COUNT_WORDS or nxt.rstrip("s") in _COUNT_WORDS or R.unit_key(nxt):
        return None  # "two thousand years", "nineteen ninety-six people"
    year = R.parse_year(m.group(1))
    return _Hit(m.start(), m.end(), f"{year:04d}", anchor="absolute") if year else None


_COUNT_WORDS = {
    "soldier", "troop", "people", "person", "men", "women", "children", "civilian", "resident",
    "refugee", "fighter", "prisoner", "casualtie", "death", "dead", "killed", "wounded",
    "km", "kilometre", "kilometer", "mile", "metre", "meter", "ton", "tonne", "kg", "dollar",
    "euro", "pound", "rouble", "ruble", "unit", "vehicle", "tank", "drone", "missile", "shell",
    "round", "strike", "attack", "vote", "member", "worker", "employee", "student", "job",
    "home", "house", "building", "hectare", "acre", "feet", "foot", "barrel", "mw", "gw",
    "point", "case", "patient", "victim", "officer", "police", "personnel", "sq", "square",
}
_QUANTITY_BEFORE = {
    "up", "to", "about", "some", "nearly", "almost", "approximately", "roughly", "around",
    "over", "than", "least", "estimated", "only", "just", "total", "additional", "another",
}


@_rule(r"(?i:\b(?:the\s+)?(?:(early|mid|late)[\s-]+)?(?:(\d{3})0s|['’](\d)0s)(?![\w’']))",
       needs=("0s",))
def _decade(m, ctx):
    dec = m.group(2) or ("19" if int(m.group(3)) >= 3 else "20") + m.group(3)
    return _Hit(m.start(), m.end(), dec, modifier=R.PREFIX_MOD.get((m.group(1) or "").lower()),
                anchor="absolute")


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}


@_rule(r"(?i:\bthe\s+(?:(early|mid|late)[\s-]+)?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
       needs=("twenties", "thirties", "forties", "fifties", "sixties", "seventies",
              "eighties", "nineties"))
def _decade_word(m, ctx):
    """'the nineties', 'the late sixties': decades of the twentieth century."""
    return _Hit(m.start(), m.end(), f"19{_DECADE_WORDS[m.group(2).lower()]}",
                modifier=R.PREFIX_MOD.get((m.group(1) or "").lower()), anchor="absolute")


@_rule(r"(?i:\bthe\s+(fiscal\s+)?year(?=\s+(?:ended|ending)\b))",
       needs=("ended", "ending"))
def _year_ended(m, ctx):
    """'for the (fiscal) year ended March 31': a year-long period (the date follows)."""
    return _Hit(m.start(), m.end(), "P1Y", type="DURATION")


@_rule(r"(?i:\bthe\s+full\s+year\b)",
       needs=("full",))
def _full_year(m, ctx):
    """'sales for the full year': the whole of the anchor's year."""
    if ctx.anchor is None:
        return _Hit(m.start(), m.end(), f"{ctx.year:04d}" if ctx.year else None)
    return _Hit(m.start(), m.end(), f"{ctx.anchor.year:04d}", anchor="publication")


_CENTURY_WORDS = {"nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21}


@_rule(r"(?i:\b(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)|nineteenth|twentieth|twenty[- ]first)\s+century\b)",
       needs=("century",))
def _century(m, ctx):
    w = m.group(1).lower()
    n = _CENTURY_WORDS.get(w) or int(re.match(r"\d+", w).group())
    return _Hit(m.start(), m.end(), f"{n - 1:02d}", anchor="absolute")


_REL_YEAR = r"(?:(?:this|last|next)\s+year|the\s+(?:current|previous|next)\s+year)"


def _rel_year(phrase: Optional[str], ctx: _Ctx) -> tuple[Optional[int], Optional[str]]:
    """'2024' -> (2024, 'absolute'); 'last year' -> (anchor-1, 'publication'); None -> anchor year."""
    if phrase and re.fullmatch(r"\d{4}", phrase):
        return int(phrase), "absolute"
    p = (phrase or "").lower()
    off = -1 if ("last" in p or "previous" in p) else (1 if "next" in p else 0)
    if ctx.anchor is None:
        return (ctx.year + off, "inferred") if ctx.year else (None, None)
    return ctx.anchor.year + off, "publication"


@_rule(rf"\bQ([1-4])(?:\s*|-|/)?((?:FY)?{R.YEAR})?\b",
       needs=("q1", "q2", "q3", "q4"))
def _q(m, ctx):
    year, kind = _rel_year((m.group(2) or "").replace("FY", "") or None, ctx)
    value = f"{year:04d}-Q{m.group(1)}" if year else f"XXXX-Q{m.group(1)}"
    return _Hit(m.start(), m.end(), value, anchor=kind)


@_rule(rf"(?i:\b(?P<the>the\s+)?(?:(?P<year>{R.YEAR})\s+|(?P<rel>this|last|next)\s+year['’]s\s+"
       rf"|(?P<ago>year-(?:ago|earlier))\s+)?(?:fiscal[\s-]+)?"
       rf"(?P<ord>first|second|third|fourth|final|last)(?P<sep>[\s-]+)(?P<part>quarter|half)\b"
       rf"(?:\s+of\s+(?:the\s+year\s+)?(?P<of>{R.YEAR_ANY}|{_REL_YEAR}))?)",
       needs=("quarter", "half"))
def _quarter(m, ctx):
    """'the third quarter (of 2023)', 'fiscal second-quarter', 'the 1988 third quarter',
    "next year's first quarter", 'the year-ago third quarter'."""
    ordinal, part = m.group("ord").lower(), m.group("part").lower()
    year_s = m.group("of") or m.group("year")
    if m.group("rel"):
        year_s = m.group("rel") + " year"
    if part == "half" and (not year_s or ordinal not in ("first", "second", "last", "final")):
        return None  # "the second half" of a match, a game...
    if not year_s and ordinal in ("last", "final"):
        return None
    if year_s and R.parse_year(year_s):
        year, kind = R.parse_year(year_s), "absolute"
    else:
        year, kind = _rel_year(year_s, ctx)
    n = R.ORDINALS[ordinal]
    code = f"Q{n}" if part == "quarter" else f"H{min(n, 2)}"
    if year and m.group("ago"):
        year -= 1
    elif year and not year_s and ctx.anchor and part == "quarter":
        # A quarter not yet begun, told in the past tense, is last year's ("profit fell in
        # the fourth quarter", written in January).
        if (dt.date(year, 3 * n - 2, 1) > ctx.anchor
                and _tense(ctx.text, m.start(), m.end()) == "past"):
            year -= 1
    start = m.start()
    if m.group("the") and m.group("sep") != " " and not (year_s or m.group("ago")):
        start = m.end("the")  # "the third-quarter results": the adjective alone
    value = f"{year:04d}-{code}" if year else f"XXXX-{code}"
    return _Hit(start, m.end(), value, anchor=kind)


@_rule(r"(?i:\b(?:(the)\s+)?(?:(?:comparable\s+|corresponding\s+)?year-(?:ago|earlier)(?:\s+(quarter|period))?|(?:last\s+year['’]s\s+|the\s+)(quarter)\s+a\s+year\s+(?:ago|earlier)|last\s+year['’]s\s+(quarter))\b)(?!-)",
       needs=("year-", "quarter"))
def _year_ago(m, ctx):
    """'the year-ago quarter', 'year-earlier profit': the period under report, a year before
    (resolved in `_refer_to_quarters`; by default one year before the anchor's year)."""
    # "the year-ago quarter", "the quarter a year ago", "last year's quarter"
    quarter = m.group(2) or m.group(3) or m.group(4)
    if m.group(1) and not quarter:
        return None  # "the year-earlier nine months": left to the duration
    start = m.start()
    if ctx.anchor is None:
        return _Hit(start, m.end(), None, kind="year_back_q" if quarter else "year_back")
    if quarter:
        q = R.shift(ctx.anchor, -1, "quarter")
        return _Hit(start, m.end(), R.value_at(R.shift(q, -1, "year"), "quarter"),
                    anchor="publication", kind="year_back_q")
    return _Hit(start, m.end(), f"{ctx.anchor.year - 1:04d}", anchor="publication",
                kind="year_back")


@_rule(r"(?i:\bthe\s+(?:(?:latest|most\s+recent|just[-\s]ended)\s+)?)(?:quarter|(?i:latest|most\s+recent)\s+period)\b(?!\s+(?:of|century)\b|-)",
       needs=("quarter", "period"))
def _the_quarter(m, ctx):
    """'the quarter', 'the latest quarter': the quarter last named (`_refer_to_quarters`), by
    default the one before the anchor's (the one just reported on)."""
    if ctx.anchor is None:
        return _Hit(m.start(), m.end(), None, kind="quarter_ref")
    q = R.shift(ctx.anchor, -1, "quarter")
    return _Hit(m.start(), m.end(), R.value_at(q, "quarter"), anchor="publication",
                kind="quarter_ref")


@_rule(rf"(?i:\b(?:(this|last|next|the)\s+)?(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?({R.YEAR_ANY}))?\b)",
       needs=("spring", "summer", "autumn", "fall", "winter"))
def _season(m, ctx):
    rel, word = (m.group(1) or "").lower(), m.group(2)
    code = R.SEASONS[word.lower()]
    if word.lower() == "fall" and not (m.group(3) or rel in ("this", "last", "next")):
        if not re.search(r"\b(?:in|this|by|until|since|during)\s+(?:the\s+)?$", ctx.text[:m.start()], re.I):
            return None  # "the fall of Kabul", "prices fall"
    if word[0].isupper() and not _sentence_initial(ctx.text, m.start()):
        prev = _prev_word(ctx.text, m.start())
        if prev[:1].isupper() and prev.lower() not in R.FUNCTION_WORDS:
            return None  # "Arab Spring"
    if m.group(3):
        return _Hit(m.start(), m.end(), f"{R.parse_year(m.group(3)):04d}-{code}", anchor="absolute")
    if ctx.anchor is None:
        return _Hit(m.start(), m.end(), f"XXXX-{code}")
    year = R.season_for(ctx.anchor, code, rel if rel in ("last", "next") else "this")
    return _Hit(m.start(), m.end(), f"{year:04d}-{code}", anchor="publication")


# ---------------------------------------------------------------- weekdays and relative days
def _resolve_weekday(wd: int, ctx: _Ctx, rel: str, future: bool = False) -> dt.date:
    """'last'/'next' pick the previous/following one. A bare weekday is the anchor's day, the
    day after it, or else one of the six days before it: news reports mostly what happened.
    Two or three days ahead are taken only with a future cue nearby (`future`: "will meet on
    Friday", "by Friday"); four to six days ahead never (then it is three to one days back).

    (On TimeBank/AQUAINT, 297 bare weekdays: the day after the anchor is meant 9 times, the
    day six days before 2; two or three days ahead 3 times, four or five days back 13 times.)
    """
    a = ctx.anchor
    assert a is not None  # weekdays are resolved only against an anchor
    fwd = (wd - a.weekday()) % 7
    if rel in ("next", "coming", "this coming"):
        return a + dt.timedelta(days=fwd or 7)
    if rel in ("last", "past", "previous", "this past"):
        return a - dt.timedelta(days=(a.weekday() - wd) % 7 or 7)
    ahead = fwd <= 1 or (fwd <= 3 and future)
    return a + dt.timedelta(days=fwd if ahead else fwd - 7)


@_rule(rf"\b(?:(?i:(last|next|this|this\s+past|this\s+coming|coming|past|previous))\s+)?({R.WEEKDAY_FULL})(s)?\b(?:\s+(?i:(morning|afternoon|evening|night)))?",
       near=R.WEEKDAY_FULL)
def _weekday(m, ctx):
    rel = re.sub(r"\s+", " ", (m.group(1) or "").lower())
    wd = weekday_number(m.group(2))
    pod = (m.group(4) or "").lower()
    if _prev_word(ctx.text, m.start()).lower() in R.NAME_BEFORE_DAY and not rel:
        return None
    nxt = ctx.text[m.end():m.end() + 20].strip().lower()
    if not pod and any(nxt.startswith(w + " ") or nxt == w or nxt.startswith(w + ",")
                       for w in R.NAME_AFTER_DAY):
        return None  # "Sunday Times"
    if m.group(3):  # "on Mondays"
        suffix = f"T{R.PARTS_OF_DAY[pod]}" if pod else ""
        return _Hit(m.start(), m.end(), f"XXXX-WXX-{wd + 1}{suffix}", type="SET")
    if ctx.anchor is None:
        value, kind = f"XXXX-WXX-{wd + 1}", None
    else:
        future = (not rel and (wd - ctx.anchor.weekday()) % 7 in (2, 3)
                  and _tense(ctx.text, m.start(), m.end()) == "future")
        day = _resolve_weekday(wd, ctx, rel, future)
        value, kind = day.isoformat(), "publication"
    if pod:
        return _Hit(m.start(), m.end(), f"{value}T{R.PARTS_OF_DAY[pod]}", type="TIME",
                    anchor=kind, granularity="part_of_day")
    return _Hit(m.start(), m.end(), value, anchor=kind, kind="day")


_DAY_OFFSETS = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1, "this": 0, "last": -1}


@_rule(r"(?i:\b(the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|tomorrow|yesterday|this|last)(?:\s+(morning|afternoon|evening|night))?\b)")
def _relative_day(m, ctx):
    word = re.sub(r"\s+", " ", m.group(1).lower())
    pod = (m.group(2) or "").lower()
    if word in ("this", "last") and not pod or (word == "last" and pod != "night" and pod != "evening"):
        return None
    if m.group(1) == "Today" and not _sentence_initial(ctx.text, m.start()):
        prev = _prev_word(ctx.text, m.start())
        if prev[:1].isupper() and prev.lower() not in R.FUNCTION_WORDS:
            return None  # "USA Today", "Russia Today"
    if word == "tonight":
        pod = "night"
    off = {"the day before yesterday": -2, "the day after tomorrow": 2}.get(word, _DAY_OFFSETS.get(word))
    if ctx.anchor is None:
        return _Hit(m.start(), m.end(), None, type="TIME" if pod else "DATE")
    d = ctx.anchor + dt.timedelta(days=off)
    if pod:
        return _Hit(m.start(), m.end(), f"{d.isoformat()}T{R.PARTS_OF_DAY[pod]}", type="TIME",
                    anchor="publication", granularity="part_of_day")
    return _day_hit(m, d, "publication")


@_rule(r"(?i:\b(?:(earlier|later)\s+)?(this|next|last|past|previous|coming|current|the\s+(?:current|coming|past|previous|last|next|following|same|present|latest))\s+(week|weekend|month|year|quarter|decade|century)\b)",
       near=_PERIOD_WORD)
def _relative_unit(m, ctx):
    side = (m.group(1) or "").lower()
    rel = re.sub(r"\s+", " ", m.group(2).lower())
    unit = m.group(3).lower()
    if m.group(3)[0].isupper() and not _sentence_initial(ctx.text, m.start()):
        return None  # "ABC's This Week"
    if rel in ("the following", "the same", "the previous"):  # a narrated time: `_narrated`
        off = {"the following": 1, "the same": 0, "the previous": -1}[rel]
        return _Hit(m.start(), m.end(), None, kind=f"narrated:{unit}:{off}")
    if rel == "the latest":
        return _Hit(m.start(), m.end(), None)
    if rel in ("the past", "the last", "the next", "the coming") and not side:
        value = R.duration_value(1, unit)
        hit = _Hit(m.start(), m.end(), value, type="DURATION")
        if ctx.anchor:
            other = R.shift(ctx.anchor, -1 if rel in ("the past", "the last") else 1, unit)
            hit.interval = tuple(sorted((ctx.anchor, other)))
            hit.anchor = "publication"
        return hit
    if side and rel not in ("this", "the current", "current"):
        return None
    if ctx.anchor is None:
        return _Hit(m.start(), m.end(), None)
    off = {"next": 1, "coming": 1, "last": -1, "past": -1, "previous": -1}.get(rel, 0)
    d = R.shift(ctx.anchor, off, unit)
    hit = _Hit(m.start(), m.end(), R.value_at(d, unit), anchor="publication")
    if side:
        s, e = R.period_bounds(hit.value)
        hit.interval = (s, ctx.anchor) if side == "earlier" else (ctx.anchor, e)
    return hit


@_rule(r"(?i:\b(?:(?:the\s+)?(end|beginning|start|middle|close|turn)\s+of\s+(?:the\s+)?(year|month|week|decade)|(year|month|week)(?:'s|’s)\s+end|(?:the\s+)?(year|month)-end|(mid)-(year|month))\b)",
       near=_PERIOD_WORD)
def _period_edge(m, ctx):
    word = (m.group(1) or ("end" if (m.group(3) or m.group(4)) else "mid")).lower()
    unit = (m.group(2) or m.group(3) or m.group(4) or m.group(6)).lower()
    mod = R.PREFIX_MOD[word]
    if ctx.anchor is None:
        if ctx.year and unit == "year":  # "by year's end" in an article of a known year
            return _Hit(m.start(), m.end(), f"{ctx.year:04d}", modifier=mod, anchor="inferred")
        return _Hit(m.start(), m.end(), None, modifier=mod)
    return _Hit(m.start(), m.end(), R.value_at(ctx.anchor, unit), modifier=mod, anchor="publication")


@_rule(r"(?i:\b(?:(earlier|later)\s+)?that\s+(day|week|month|year)\b)",
       near=_PERIOD_WORD)
def _that_unit(m, ctx):
    """'later that year', 'that day': the period of the date last named (`_narrated`)."""
    return _Hit(m.start(), m.end(), None, kind=f"narrated:{m.group(2).lower()}:0:optional")


def _narrated(hits: list[_Hit]) -> list[_Hit]:
    """'that year', 'the following month', 'the previous day' refer to the time the text last
    named, not to the anchor: they take the period of the nearest preceding calendar date (at
    least as fine as the unit), moved by the offset. Without one they stay unresolved, and a
    bare "that day" / "that year" is dropped ("that day" is as often not a time at all)."""
    last: Optional[dt.date] = None
    last_gran = ""
    order = ["day", "week", "month", "quarter", "year"]
    kept = []
    for h in hits:
        if h.kind.startswith("narrated:"):
            unit, off = h.kind.split(":")[1:3]
            # Units finer or coarser than the calendar's ("the following weekend", "over
            # the next decade") stay unresolved, as does a shift past year 1 or 9999.
            if last and last_gran in order and unit in order and \
                    order.index(last_gran) <= order.index(unit):
                try:
                    d = R.shift(last, int(off), unit)
                    assert d is not None  # None only for units below a day
                    h.value, h.anchor = R.value_at(d, unit), "inferred"
                    h.granularity, h.interval = None, None
                except (ValueError, OverflowError):
                    pass
            if h.value or not h.kind.endswith(":optional"):
                kept.append(h)
            continue
        kept.append(h)
        gran = _gran(h)
        if h.type in ("DATE", "TIME") and h.value and \
                re.match(r"\d{4}", h.value) and gran in ("day", "week", "month", "quarter", "year"):
            try:
                bounds = R.period_bounds(h.value[:10])
            except (ValueError, OverflowError):  # a week that ends past year 9999
                bounds = None
            if bounds:
                last, last_gran = bounds[0], gran
    return kept


@_rule(r"(?i:\bthe\s+weekend\b)",
       needs=("weekend",))
def _the_weekend(m, ctx):
    """The weekend nearest the anchor: Monday-Wednesday look back, Thursday-Friday ahead."""
    if ctx.anchor is None:
        return _Hit(m.start(), m.end(), None)
    wd = ctx.anchor.weekday()
    d = ctx.anchor - dt.timedelta(days=7) if wd <= 2 else ctx.anchor
    return _Hit(m.start(), m.end(), R.week_value(d) + "-WE", anchor="publication")


# ---------------------------------------------------------------- offsets and durations
_UNIT_WORD = rf"(?i:{R.UNIT})"  # the unit every offset and duration names


@_rule(rf"(?i:\b(?:({R.DURATION_MOD})\s+)?({R.NUM})[\s-]+({R.UNIT})\s+(ago|earlier|later|from\s+now|hence|before|after)\b)",
       near=_UNIT_WORD)
def _offset(m, ctx):
    direction = m.group(4).lower().split()[0]
    count, unit = R.parse_count(m.group(2)), R.unit_key(m.group(3))
    if count is None or unit is None:
        return None
    if direction in ("before", "after"):
        if not re.match(r"\s*(?:[,.;)]|$)", ctx.text[m.end():]):
            return None  # "two days after the attack": the duration alone is matched
        direction = "earlier" if direction == "before" else "later"
    back = direction in ("ago", "earlier")
    mod = R.DURATION_MODS.get(re.sub(r"\s+", " ", (m.group(1) or "").lower()))
    if count == "X" or unit in ("second", "minute", "hour") or ctx.anchor is None:
        if count == "X":
            return _Hit(m.start(), m.end(), "PAST_REF" if back else "FUTURE_REF")
        return _Hit(m.start(), m.end(), None, modifier=mod)
    d = R.shift(ctx.anchor, -count if back else count, unit)
    gran_unit = "year" if unit in ("decade", "century") else unit
    kind = "year_back" if back and count == 1 and unit == "year" else ""
    return _Hit(m.start(), m.end(), R.value_at(d, gran_unit), modifier=mod, anchor="publication",
                kind=kind)


@_rule(r"(?i:\b(years|months|weeks|days|decades)\s+(ago|from\s+now)\b)",
       near=r"(?i:years|months|weeks|days|decades)")
def _vague_offset(m, ctx):
    return _Hit(m.start(), m.end(), "PAST_REF" if m.group(2).lower() == "ago" else "FUTURE_REF")


@_rule(rf"(?i:\b(?:({R.DURATION_MOD})\s+)?(?:(the\s+)?(?:(past|last|next|first|coming|previous|following|final|latest|entire|whole|full)\s+)?)?({R.NUM})(?:\s*(?:to|or|-|–)\s*{R.NUM})?(?:\s+more)?[\s-]+({R.UNIT})(?:[\s-]+(long|old))?\b)",
       near=_UNIT_WORD)
def _duration(m, ctx):
    count, unit = R.parse_count(m.group(4)), R.unit_key(m.group(5))
    if count is None or unit is None:
        return None
    num_word = m.group(4).lower()
    if (m.group(6) or "").lower() == "old":
        return None  # ages ("a 6-year-old") are not times
    if m.group(5)[0].isupper() and not _sentence_initial(ctx.text, m.start(5)):
        return None  # "60 Minutes"
    if unit == "quarter" and not m.group(3) and (
        not m.group(5).lower().endswith("s") or "-" in ctx.text[m.end(4):m.start(5)]
        or (_next_word(ctx.text, m.end()).lower() == "of" and count != "X")
    ):
        return None  # "three-quarters of", "a quarter of the population"; not "several quarters"
    if unit == "second" and count in (1, "X") and not num_word[0].isdigit():
        return None  # "a second attack", "a quarter of the population"
    mod = R.DURATION_MODS.get(re.sub(r"\s+", " ", (m.group(1) or "").lower()))
    rel = (m.group(3) or "").lower()
    start = m.start()
    if m.group(2) and m.group(1):  # "over the past two years": "over" is a preposition here
        start, mod = m.start(2), None
    the_only = bool(m.group(2)) and not rel  # "the nine months", "the two days"
    if the_only and re.search(r"-\s*$", ctx.text[m.end(4):m.start(5)]):
        start = m.start(4)  # "the 24-hour truce": the adjective alone
    before = ctx.text[max(0, m.start() - 40):m.start()]
    value = R.duration_value(count, unit)
    if count == 1 and num_word in ("a", "an") and not the_only and re.search(
        r"(?:\d|\bmillion|\bbillion|\bpercent|%|\btimes|\bonce|\btwice)\s*$", before, re.I
    ):
        return _Hit(m.start(), m.end(), value, type="SET")  # "$5 million a year", "twice a week"
    a = ctx.anchor
    if (re.search(r"\bin\s+$", before, re.I) and not m.group(2) and not mod and count != "X"
            and unit not in ("second", "minute", "hour")):
        if a is None:
            return _Hit(m.start(), m.end(), None)
        d = R.shift(a, count, unit)
        v = d.isoformat() if unit in ("day", "night", "week", "fortnight") else R.value_at(d, unit)
        return _Hit(m.start(), m.end(), v, anchor="publication")
    hit = _Hit(start, m.end(), value, type="DURATION", modifier=mod)
    if a and count != "X" and rel in ("past", "last", "next", "coming"):
        d = R.shift(a, -count if rel in ("past", "last") else count, unit)
        if d:
            hit.interval, hit.anchor = tuple(sorted((a, d))), "publication"
    return hit


_VAGUE_UNITS = ("years", "months", "weeks", "days", "hours", "decades")


@_rule(r"(?i:(?:(?<=\bfor\s)|(?<=\bover\s)|(?<=\bwithin\s)|(?<=\bafter\s)|(?<=\btake\s)|(?<=\btakes\s)|(?<=\btook\s)|(?<=\bin\s))(?:(the\s+)(?=(?:years|months|weeks|decades)\b(?!\s+(?:of|before|after|since)\b)))?(years|months|weeks|days|hours|decades)(\s+ahead)?\b)",
       needs=_VAGUE_UNITS, near=rf"(?i:{'|'.join(_VAGUE_UNITS)})")
def _vague_duration(m, ctx):
    """'for years', 'within weeks', 'in years', 'over the years', 'the weeks ahead': PXY..."""
    prev = _prev_word(ctx.text, m.start()).lower()
    superlative = r"\b(?:first|last|best|worst|highest|lowest|most)\b[^.;]{0,30}$"
    if prev == "in" and not (m.group(1) or m.group(3)) and not re.search(
            superlative, ctx.text[max(0, m.start() - 60):m.start() - 3]):
        return None  # "in years" only as "the first time in years", "the highest in years"
    return _Hit(m.start(), m.end(), R.duration_value("X", R.unit_key(m.group(2))), type="DURATION")


# ---------------------------------------------------------------- present / past / future
@_rule(r"(?i:\b(right\s+now|now|currently|at\s+present|presently|nowadays|at\s+the\s+moment|these\s+days)\b)")
def _present(m, ctx):
    if m.group(1).lower() == "now" and re.match(r"-", ctx.text[m.end():m.end() + 1]):
        return None  # "now-defunct"
    return _Hit(m.start(), m.end(), "PRESENT_REF", anchor="publication" if ctx.anchor else None,
                granularity=None)


@_rule(r"(?i:\b((?:more\s+|most\s+|very\s+)?recently|recent(?:\s+(?:days|weeks|months|years|decades|times))?|lately|formerly|the\s+past|past\s+years)\b)",
       needs=("recent", "lately", "formerly", "past"))
def _past(m, ctx):
    return _Hit(m.start(), m.end(), "PAST_REF", anchor="publication" if ctx.anchor else None)


@_rule(r"(?i:\b(the\s+(?:near\s+|foreseeable\s+)?future|the\s+(?:near|short)\s+term|soon|(?:the\s+)?(?:coming|upcoming|next\s+few)\s+(days|weeks|months|years))\b)",
       needs=("future", "term", "soon", "coming", "few"))
def _future(m, ctx):
    w = m.group(1).lower()
    if w == "soon" and re.search(r"\bas\s+$", ctx.text[max(0, m.start() - 4):m.start()], re.I):
        return None  # "as soon as"
    if m.group(2):  # "the coming weeks": TimeML makes it a vague duration, PXW
        return _Hit(m.start(), m.end(), R.duration_value("X", R.unit_key(m.group(2))),
                    type="DURATION")
    return _Hit(m.start(), m.end(), "FUTURE_REF", anchor="publication" if ctx.anchor else None)


# ---------------------------------------------------------------- sets
_ADVERB_SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y",
                "annually": "P1Y", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W",
                "fortnightly": "P2W"}


@_rule(r"(?i:\b(daily|weekly|monthly|yearly|annually|hourly|nightly|biweekly|fortnightly)\b)",
       needs=("daily", "weekly", "monthly", "yearly", "annually", "hourly",
              "nightly"))
def _adverb_set(m, ctx):
    return _Hit(m.start(), m.end(), _ADVERB_SETS[m.group(1).lower()], type="SET")


@_rule(rf"(?i:\b(every|each|per)\s+(other\s+)?(?:({R.NUM})\s+)?({R.UNIT}|{R.WEEKDAY_FULL}|morning|afternoon|evening|night|spring|summer|autumn|fall|winter)\b)",
       needs=("every", "each", "per"))
def _every(m, ctx):
    word = m.group(4).lower()
    count = R.parse_count(m.group(3)) if m.group(3) else 1
    if count is None or count == "X":
        return None
    if m.group(2):
        count *= 2
    if word in R.SEASONS:
        value = f"XXXX-{R.SEASONS[word]}"
    elif word in R.PARTS_OF_DAY:
        value = f"XXXX-XX-XXT{R.PARTS_OF_DAY[word]}"
    elif weekday_number(word) is not None and word.endswith("day") and R.unit_key(word) is None:
        value = f"XXXX-WXX-{weekday_number(word) + 1}"
    else:
        unit = R.unit_key(word)
        if unit is None or (unit == "second" and not m.group(3)):
            return None
        value = R.duration_value(count, unit)
    return _Hit(m.start(), m.end(), value, type="SET")


# ---------------------------------------------------------------- times of day
_TZ = r"(?:\s*(?:local\s+time|GMT|UTC|CET|CEST|EST|EDT|CST|CDT|PST|PDT|MSK|BST|KST|hrs\b|\(\s*\d{1,2}[:.]\d{2}\s*(?:GMT|UTC)\s*\)))"


def _clock(m, ctx, hour: int, minute: int, gran: str) -> Optional[_Hit]:
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    day = ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"
    return _Hit(m.start(), m.end(), f"{day}T{hour:02d}:{minute:02d}", type="TIME",
                anchor="publication" if ctx.anchor else None, granularity=gran, kind="clock")


@_rule(rf"(?i:\b(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*(a\.m\.?|p\.m\.?|am|pm)(?![\w])(?:{_TZ})?)")
def _ampm(m, ctx):
    hour = int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)
    return _clock(m, ctx, hour, int(m.group(2) or 0), "minute" if m.group(2) else "hour")


@_rule(rf"\b([01]?\d|2[0-4]):([0-5]\d)\b(?!:\d)({_TZ})?")
def _hhmm(m, ctx):
    before = ctx.text[max(0, m.start() - 12):m.start()]
    if not m.group(3) and not re.search(
        r"\b(?:at|from|until|till|by|before|after|around|about|since|to|and|between)\s+$", before, re.I
    ):
        return None  # a score or a ratio, not a clock time
    return _clock(m, ctx, int(m.group(1)), int(m.group(2)), "minute")


@_rule(r"(?i:\b(noon|midday|midnight)\b)",
       needs=("noon", "midday", "midnight"))
def _noon(m, ctx):
    return _clock(m, ctx, 24 if m.group(1).lower() == "midnight" else 12, 0, "hour")


def _thanksgiving(year: int) -> dt.date:
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


@_rule(r"\b(Christmas\s+(?:Day|Eve)|Christmas|New\s+Year['’]s\s+(?:Day|Eve)|New\s+Year['’]s|Thanksgiving(?:\s+Day)?)\b",
       needs=("christmas", "thanksgiving", "year's", "year’s"))
def _holiday(m, ctx):
    w = m.group(1)
    if w.startswith("Thanksgiving"):  # the fourth Thursday of November (US)
        if ctx.anchor is None:
            return _Hit(m.start(), m.end(), None, kind="day")
        y = ctx.anchor.year
        d = min((_thanksgiving(y + i) for i in (-1, 0, 1)), key=lambda d: abs((d - ctx.anchor).days))
        return _day_hit(m, d, "publication")
    month, day = (12, 24) if w.endswith("Eve") and w.startswith("C") else (
        (12, 31) if w.endswith("Eve") else ((1, 1) if w.startswith("N") else (12, 25)))
    value, kind = _resolve_day_month(day, month, ctx)
    return _Hit(m.start(), m.end(), value, anchor=kind, kind="day")


# ---------------------------------------------------------------- passes
_PERIODS = {"month", "year", "week", "weekend", "quarter", "half", "season", "decade", "century"}


def _gran(h: _Hit) -> Optional[str]:
    if h.type in ("DURATION", "SET") or h.value in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
        return h.granularity
    return h.granularity or R.granularity_of(h.value)


def _with_prefix(h: _Hit, ctx: _Ctx) -> _Hit:
    """'early' + 'October' -> 'early October' (START); 'the end of' + 'next year' (END)."""
    if h.type != "DATE" or h.modifier or _gran(h) not in _PERIODS:
        return h
    m = R.PERIOD_PREFIX.search(ctx.text[max(0, h.start - 25):h.start])
    if not m or re.search(r"\bas\s+$", ctx.text[max(0, h.start - 25):h.start - len(m.group())]):
        return h  # "as early as October" is a bound, not the start of October
    if m.group("a") in ("end", "start", "End", "Start") and not m.group().endswith("-"):
        return h
    word = (m.group("a") or m.group("b")).lower()
    return replace(h, start=h.start - len(m.group()), modifier=R.PREFIX_MOD[word])


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Longest match wins; among equal spans the earlier rule (lower rank) wins."""
    chosen: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.start, h.rank)):
        if all(h.end <= s or h.start >= e for s, e in taken):
            chosen.append(h)
            taken.append((h.start, h.end))
    return sorted(chosen, key=lambda h: h.start)


_QUARTER_WINDOW = 1500  # characters: how far back a named quarter is still the topic


def _refer_to_quarters(hits: list[_Hit]) -> list[_Hit]:
    """Business news reports on a quarter and compares it with the same quarter a year before:
    "net rose to $5 million in the third quarter from $4 million a year ago". Where a quarter
    was named in the preceding `_QUARTER_WINDOW` characters, "a year ago", "a year earlier",
    "year-earlier" and "the year-ago quarter" take that quarter a year back, and "the quarter"
    / "the latest quarter" that quarter itself."""
    last: Optional[str] = None
    last_end = -_QUARTER_WINDOW
    for h in hits:
        if h.kind in ("year_back", "year_back_q", "quarter_ref"):
            if last and h.start - last_end <= _QUARTER_WINDOW:
                if h.kind == "quarter_ref":
                    h.value, last_end = last, h.end
                else:
                    h.value = f"{int(last[:4]) - 1:04d}{last[4:]}"
                h.anchor, h.granularity, h.interval = "publication", None, None
        elif h.type == "DATE" and h.value and re.fullmatch(r"\d{4}-Q[1-4]", h.value):
            last, last_end = h.value, h.end
    return hits


def _merge_clock_and_day(hits: list[_Hit], text: str) -> list[_Hit]:
    """'3 p.m. Wednesday', 'Wednesday at 15:00', '23 October, 3 p.m.' -> one TIME."""
    out: list[_Hit] = []
    for h in hits:
        prev = out[-1] if out else None
        if prev and {prev.kind, h.kind} == {"clock", "day"} and re.fullmatch(
            r"\s*,?\s*(?:at|on)?\s*", text[prev.end:h.start]
        ):
            clock, day = (prev, h) if prev.kind == "clock" else (h, prev)
            day_value = day.value or "XXXX-XX-XX"
            assert clock.value is not None  # a clock's value is "<day>T<hh>:<mm>"
            out[-1] = _Hit(prev.start, h.end, day_value + clock.value[clock.value.index("T"):],
                           type="TIME", anchor=day.anchor, granularity=clock.granularity)
        else:
            out.append(h)
    return out


_PREPOSITION = re.compile(r"\b(by|since|after|before|until|till)\s+$", re.I)


def _apply_by(h: _Hit, ctx: _Ctx, bounds) -> tuple:
    """A preposition before a date turns the period into the interval it opens or closes.

    "by year's end": from the anchor to the end of the year (ON_OR_BEFORE); "until Friday":
    up to the end of Friday; "since October": from October's start to the anchor
    (ON_OR_AFTER); "after 2022": from 2023 on, end open (AFTER); "before March": up to
    the end of February, start open (BEFORE). An open end is None.
    """
    m = _PREPOSITION.search(ctx.text[max(0, h.start - 7):h.start])
    if not m or not bounds:
        return bounds, h.modifier
    word = m.group(1).lower()
    one = dt.timedelta(days=1)
    a = ctx.anchor
    if word in ("by", "until", "till"):
        start = a if a and a <= bounds[1] else (None if word != "by" else bounds[0])
        return (start, bounds[1]), h.modifier or "ON_OR_BEFORE"
    if word == "since":
        return (bounds[0], a if a and a >= bounds[0] else None), "ON_OR_AFTER"
    # A clock time ("after 3 p.m. Monday") only narrows its day: the day itself stays in.
    clock = h.type == "TIME"
    if word == "after":
        return (bounds[0] if clock else bounds[1] + one, None), "AFTER"
    return (None, bounds[1] if clock else bounds[0] - one), "BEFORE"


def _to_record(h: _Hit, ctx: _Ctx, offset: int) -> TimeExpr:
    gran = _gran(h)
    bounds = h.interval
    mod = h.modifier
    try:
        if bounds is None and h.type in ("DATE", "TIME") and h.value:
            bounds = R.period_bounds(h.value)
            if bounds and h.modifier:
                bounds = R.narrow(bounds, gran, h.modifier)
        if h.type in ("DATE", "TIME"):
            bounds, mod = _apply_by(h, ctx, bounds)
    except (ValueError, OverflowError):  # a period that ends past year 9999: no interval
        bounds, mod = None, h.modifier
    return TimeExpr(
        text=ctx.text[h.start:h.end], start=offset + h.start, end=offset + h.end, value=h.value,
        type=h.type, granularity=gran,
        interval_start=bounds[0].isoformat() if bounds and bounds[0] else None,
        interval_end=bounds[1].isoformat() if bounds and bounds[1] else None,
        modifier=mod, anchor=h.anchor,
    )


def find_times(text: str, anchor: dt.date | None, offset: int = 0, *,
               year: int | None = None) -> list[TimeExpr]:
    """Every time expression in `text`, sorted, without overlaps; offsets are `offset` + position.

    `year`, used only when there is no `anchor`, is a publication year known without its day:
    it resolves month- and year-level expressions ("a June agreement", "by year's end",
    "next year"), with anchor "inferred", and nothing finer ("tomorrow" stays unresolved).
    """
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    ctx = _Ctx(text, anchor, year if anchor is None else None)
    hits = []
    lower = folded(text)
    for rank, rule in enumerate(_RULES):
        if rule.needs and not any(word in lower for word in rule.needs):
            continue
        for m in _matches(rule, text):
            try:
                h = rule.handler(m, ctx)
            except (ValueError, OverflowError):  # past year 1 or 9999 ("next month" in 9999)
                h = _Hit(m.start(), m.end(), None)
            if h is not None:
                h.rank = h.rank * 1000 + rank
                hits.append(_with_prefix(h, ctx))
    hits = _merge_clock_and_day(_narrated(_refer_to_quarters(_select(hits))), text)
    return [_to_record(h, ctx, offset) for h in hits]


def normalise_time(phrase: str, anchor: dt.date | None) -> TimeExpr | None:
    """The one time expression `phrase` holds (the longest, when several), spanning the phrase."""
    found = find_times(phrase, anchor)
    if not found:
        return None
    best = max(found, key=lambda t: t.end - t.start)
    return replace(best, text=phrase, start=0, end=len(phrase))
