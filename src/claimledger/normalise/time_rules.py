"""Vocabulary, regex fragments and calendar arithmetic for the time normaliser (`times.py`).

Nothing here looks at a document: these are the pieces the rules in `times.py` are built from.
Values follow TimeML TIMEX3: "2024-10-23", "2024-10", "2024", "2024-W43", "2024-W43-WE",
"2024-Q3", "2024-H1", "2024-SU", "199" (a decade), "20" (a century), "P3D", "PT2H".
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from typing import Optional, Union

# ---------------------------------------------------------------- regex fragments
MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
MONTH_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# A month with or without a day/year: full names, or abbreviations with an optional dot.
MONTH = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\b\.?)"
WEEKDAY_FULL = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
WEEKDAY_ANY = rf"(?:{WEEKDAY_FULL}|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\b\.?)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19\d\d|20\d\d|2100)"

_UNITS_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS_WORDS)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS_WORDS)
}
_NUMW = (
    rf"(?:(?:{'|'.join(_TENS_WORDS)})(?:[- ](?:{'|'.join(_UNITS_WORDS[1:10])}))?"
    rf"|{'|'.join(sorted(_UNITS_WORDS, key=len, reverse=True))}"
    r"|(?:a|one)\s+hundred|(?:a\s+)?dozen)"
)
_UNITS_1_9 = "|".join(_UNITS_WORDS[1:10])
_TEENS = "|".join(sorted(_UNITS_WORDS[10:], key=len, reverse=True))
# A year read out, as in broadcast transcripts: "nineteen ninety-six", "the year two thousand".
SPOKEN_YEAR = (
    rf"(?i:nineteen[\s-]+(?:(?:{'|'.join(_TENS_WORDS)})(?:[\s-]+(?:{_UNITS_1_9}))?|{_TEENS}|ten"
    rf"|oh[\s-]+(?:{_UNITS_1_9}))"
    rf"|two[\s-]+thousand(?:[\s-]+(?:and[\s-]+)?(?:{_TEENS}|ten|{_UNITS_1_9}))?)"
)
# A year in digits or read out.
YEAR_ANY = rf"(?:{YEAR}|{SPOKEN_YEAR})"

# A count: digits, number words, "a", "a couple of", or vague ("several", "a few", "many").
NUM = (
    r"(?:(?<![\d,.])\d{1,3}(?:,\d{3})*(?:\.\d+)?|" + _NUMW +
    r"|a\s+couple(?:\s+of)?|couple\s+of|a\s+few|few|several|many|a\s+number\s+of"
    r"|dozens\s+of|hundreds\s+of|half\s+an?|an?)"
)
# Units and their TIMEX3 letters; "T" marks the time-of-day part of a duration.
UNITS = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W",
    "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "Y",
    "century": "Y", "weekend": "WE",
}
UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|years?"
    r"|decades?|century|centuries|weekends?)"
)
# Words that qualify a duration (kept in the span, as TimeML does) and their TIMEX3 mod.
DURATION_MODS = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "just under": "LESS_THAN", "more than": "MORE_THAN",
    "over": "MORE_THAN", "just over": "MORE_THAN", "well over": "MORE_THAN",
    "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
    "at most": "EQUAL_OR_LESS",
}
DURATION_MOD = "(?:" + "|".join(
    sorted((k.replace(" ", r"\s+") for k in DURATION_MODS), key=len, reverse=True)
) + ")"
# "early October", "the end of 2024", "mid-2020s": prefixes that narrow a period.
PERIOD_PREFIX = re.compile(
    r"(?:(?P<a>early|mid|late|end|start)(?:\s+|-)"
    r"|(?:the\s+)?(?P<b>beginning|start|middle|end|close|turn)\s+of\s+)$",
    re.I,
)
PREFIX_MOD = {
    "early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
    "late": "END", "end": "END", "close": "END", "turn": "END",
}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4, "final": 4}
# Capitalised words before a weekday or month that make it a name, not a date.
NAME_BEFORE_DAY = {"bloody", "super", "black", "good", "palm", "ash", "cyber", "holy", "easter"}
NAME_AFTER_DAY = {
    "times", "telegraph", "mirror", "express", "post", "herald", "mail", "star", "sport",
    "people", "independent", "night live", "morning herald",
}
# Words that may precede a capitalised month at the start of a sentence ("In June ...").
FUNCTION_WORDS = {
    "in", "on", "since", "by", "until", "till", "from", "during", "last", "next", "this",
    "early", "late", "mid", "of", "through", "before", "after", "for", "to", "and", "or",
    "a", "an", "the", "that", "between", "throughout", "around", "about", "each", "every",
    "past", "previous", "coming", "earlier", "later", "as", "at", "than",
}


# ---------------------------------------------------------------- numbers
def parse_count(s: str) -> Union[float, str, None]:
    """'three' -> 3, '10' -> 10, 'a couple of' -> 2, 'twenty-four' -> 24, 'several' -> 'X'.

    Returns None when `s` is not a count at all.
    """
    w = re.sub(r"\s+", " ", s.strip().lower())
    if not w:
        return None
    if re.fullmatch(r"[\d,]+(\.\d+)?", w):
        return float(w.replace(",", ""))
    if w in ("a", "an", "one"):
        return 1
    if w in ("a couple", "a couple of", "couple of"):
        return 2
    if w in ("a dozen", "dozen"):
        return 12
    if w in ("a hundred", "one hundred"):
        return 100
    if w.startswith("half"):
        return 0.5
    if w in ("a few", "few", "several", "many", "a number of", "dozens of", "hundreds of"):
        return "X"
    parts = re.split(r"[- ]", w)
    if all(p in NUMBER_WORDS for p in parts) and len(parts) <= 2:
        return sum(NUMBER_WORDS[p] for p in parts)
    return None


def parse_year(s: str) -> Optional[int]:
    """'1996' -> 1996; 'nineteen ninety-six' -> 1996; 'two thousand and one' -> 2001."""
    w = re.sub(r"[\s-]+", " ", s.strip().lower())
    if re.fullmatch(r"\d{4}", w):
        return int(w)
    parts = w.split()
    if parts[:1] == ["nineteen"]:
        base, rest = 1900, parts[1:]
    elif parts[:2] == ["two", "thousand"]:
        base, rest = 2000, [p for p in parts[2:] if p != "and"]
    else:
        return None
    if rest[:1] == ["oh"]:
        rest = rest[1:]
    if not all(p in NUMBER_WORDS for p in rest):
        return None
    return base + sum(NUMBER_WORDS[p] for p in rest)


def unit_key(word: str) -> Optional[str]:
    """'weeks' -> 'week', 'centuries' -> 'century'."""
    w = word.lower()
    if w == "centuries":
        return "century"
    if w.endswith("s") and w[:-1] in UNITS:
        return w[:-1]
    return w if w in UNITS else None


def duration_value(n: Union[float, str], unit: str) -> str:
    """(3, 'day') -> 'P3D'; (2, 'hour') -> 'PT2H'; ('X', 'year') -> 'PXY'; (1, 'fortnight') -> 'P2W'."""
    code = UNITS[unit]
    if n != "X" and float(n) != int(n) and unit in ("hour", "day", "year"):
        n, unit = n * {"hour": 60, "day": 24, "year": 12}[unit], {"hour": "minute", "day": "hour",
                                                                   "year": "month"}[unit]
        code = UNITS[unit]
    factor = {"fortnight": 2, "decade": 10, "century": 100}.get(unit, 1)
    if n != "X":
        n = factor * n
    if n == "X":
        num = "X"
    elif float(n) != int(n):
        num = f"{float(n):g}"
    else:
        num = str(int(n))
    if code.startswith("T"):
        return f"PT{num}{code[1:]}"
    return f"P{num}{code}"


# ---------------------------------------------------------------- calendar arithmetic
def last_day(year: int, month: int) -> int:
    return _calendar.monthrange(year, month)[1]


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, last_day(year, month)))


def shift(d: dt.date, n: float, unit: str) -> Optional[dt.date]:
    """`d` moved by n units (negative = earlier); None for units below a day."""
    if unit in ("day", "night"):
        return d + dt.timedelta(days=n)
    if unit in ("week", "weekend"):
        return d + dt.timedelta(weeks=n)
    if unit == "fortnight":
        return d + dt.timedelta(weeks=2 * n)
    factor = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit)
    if factor is None:
        return None
    return add_months(d, int(round(n * factor)))


def day_value(d: dt.date) -> str:
    return d.isoformat()


def week_value(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def value_at(d: dt.date, unit: str) -> str:
    """The TIMEX3 value of the `unit`-sized period holding `d`: ('month', 2024-10-22) -> '2024-10'."""
    if unit in ("day", "night"):
        return day_value(d)
    if unit in ("week", "fortnight"):
        return week_value(d)
    if unit == "weekend":
        return week_value(d) + "-WE"
    if unit == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if unit == "decade":
        return f"{d.year // 10:03d}"
    if unit == "century":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def season_bounds(year: int, code: str) -> tuple[dt.date, dt.date]:
    """Northern-hemisphere meteorological seasons; winter YYYY runs Dec YYYY to Feb YYYY+1."""
    if code == "WI":
        return dt.date(year, 12, 1), dt.date(year + 1, 2, last_day(year + 1, 2))
    first = {"SP": 3, "SU": 6, "FA": 9}[code]
    return dt.date(year, first, 1), dt.date(year, first + 2, last_day(year, first + 2))


def season_for(anchor: dt.date, code: str, rel: str) -> int:
    """The year of the `code` season meant by 'this' / 'last' / 'next' relative to `anchor`."""
    years = range(anchor.year - 2, anchor.year + 2)
    if rel == "last":
        return max(y for y in years if season_bounds(y, code)[1] < anchor)
    if rel == "next":
        return min(y for y in years if season_bounds(y, code)[0] > anchor)
    if code == "WI" and anchor.month <= 2:
        return anchor.year - 1
    return anchor.year


_PERIOD_PATTERNS = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})(T.*)?"), "day"),
    (re.compile(r"(\d{4})-W(\d{2})-WE"), "weekend"),
    (re.compile(r"(\d{4})-W(\d{2})"), "week"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-H([12])"), "half"),
    (re.compile(r"(\d{4})-(SP|SU|FA|WI)"), "season"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{3})"), "decade"),
    (re.compile(r"(\d{2})"), "century"),
]


def granularity_of(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    for rx, gran in _PERIOD_PATTERNS:
        if rx.fullmatch(value):
            return gran
    m = re.fullmatch(r"XXXX-(\d{2})(-\d{2})?|XXXX-WXX-\d|XXXX-(SP|SU|FA|WI)|XXXX-Q\d", value)
    if m:
        if value.startswith("XXXX-WXX") or (m.group(2)):
            return "day"
        if m.group(3):
            return "season"
        return "quarter" if "-Q" in value else "month"
    return None


def period_bounds(value: Optional[str]) -> Optional[tuple[dt.date, dt.date]]:
    """The first and last day of the calendar period a TIMEX3 value names, or None."""
    if not value:
        return None
    for rx, gran in _PERIOD_PATTERNS:
        m = rx.fullmatch(value)
        if not m:
            continue
        a = int(m.group(1))
        try:
            if gran == "day":
                d = dt.date(a, int(m.group(2)), int(m.group(3)))
                return d, d
            if gran in ("week", "weekend"):
                monday = dt.date.fromisocalendar(a, int(m.group(2)), 1)
                if gran == "weekend":
                    return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
                return monday, monday + dt.timedelta(days=6)
            if gran == "quarter":
                first = 3 * (int(m.group(2)) - 1) + 1
                return dt.date(a, first, 1), dt.date(a, first + 2, last_day(a, first + 2))
            if gran == "half":
                first = 1 if m.group(2) == "1" else 7
                return dt.date(a, first, 1), dt.date(a, first + 5, last_day(a, first + 5))
            if gran == "season":
                return season_bounds(a, m.group(2))
            if gran == "month":
                mo = int(m.group(2))
                return dt.date(a, mo, 1), dt.date(a, mo, last_day(a, mo))
            if gran == "year":
                return dt.date(a, 1, 1), dt.date(a, 12, 31)
            if gran == "decade":
                return dt.date(a * 10, 1, 1), dt.date(a * 10 + 9, 12, 31)
            if gran == "century":
                return dt.date(max(a * 100, 1), 1, 1), dt.date(a * 100 + 99, 12, 31)
        except ValueError:
            return None
    return None


def narrow(bounds: tuple[dt.date, dt.date], gran: Optional[str], mod: Optional[str]):
    """The part of a period that START / MID / END picks out.

    Months: days 1-10, 11-20, 21-end. Years: Jan-Apr, May-Aug, Sep-Dec. Decades: years 0-3,
    4-6, 7-9. Anything else: thirds.
    """
    s, e = bounds
    if mod not in ("START", "MID", "END"):
        return bounds
    if gran == "month":
        cuts = (s, s.replace(day=10), s.replace(day=11), s.replace(day=20), s.replace(day=21), e)
    elif gran == "year":
        cuts = (s, dt.date(s.year, 4, 30), dt.date(s.year, 5, 1), dt.date(s.year, 8, 31),
                dt.date(s.year, 9, 1), e)
    elif gran == "decade":
        y = s.year
        cuts = (s, dt.date(y + 3, 12, 31), dt.date(y + 4, 1, 1), dt.date(y + 6, 12, 31),
                dt.date(y + 7, 1, 1), e)
    else:
        third = max(1, round(((e - s).days + 1) / 3))
        one = dt.timedelta(days=1)
        a = s + dt.timedelta(days=third)
        b = e - dt.timedelta(days=third)
        cuts = (s, a - one, a, b, b + one, e)
    i = ("START", "MID", "END").index(mod)
    return cuts[2 * i], cuts[2 * i + 1]
