"""When an article was published: from an argument, from metadata, or inferred from its text.

`published_at` is an ISO value: a datetime ("2024-10-22T09:15:00+00:00"), a day
("2024-10-22"), or, when the text pins no more than that, a year ("2024"). `published_from`
says how it was known: "argument" (the caller said so; it wins over everything), "metadata"
(HTML meta, feed entry, JSONL field) or "text" (inferred here).

Inference from the text is deliberately modest:

1. a full date in the dateline (the first few hundred characters): "23 October 2024",
   "October 23, 2024", "2024-10-23" -> that day;
2. otherwise a weekday with a day and month anywhere ("Wednesday, 23 October"): the weekday
   pins the year (`years_matching_weekday`), taking the nearest year not after the current
   one -> that year only, since the text talks about that day but was not necessarily
   published on it;
3. otherwise nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Optional

from claimledger.normalise.calendar import month_number, weekday_number, years_matching_weekday

DATELINE_CHARS = 400
YEAR_SPAN = 10

_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
          r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = (r"(?P<weekday>mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|"
            r"fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_FULL_DATES = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 23 October 2024
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # October 23, 2024
    re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2024-10-23
]
_WEEKDAY_DATES = [
    re.compile(rf"\b{_WEEKDAY},?\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?!\s*,?\s*\d)", re.I),
    re.compile(rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}\b(?!\s*,?\s*\d)", re.I),
]
_ISO = re.compile(r"^\d{4}(-\d\d(-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?)?)?$")


def _valid(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_of(m: re.Match) -> Optional[int]:
    if "m" in m.groupdict() and m.group("m"):
        return int(m.group("m"))
    return month_number(m.group("month"))


def infer_published(text: str, *, today: Optional[dt.date] = None) -> tuple[Optional[str],
                                                                           Optional[str]]:
    """(ISO value, granularity) of the publication date the text supports, or (None, None).

    Granularity is "day" for a dateline date and "year" for a year pinned by a weekday.
    """
    today = today or dt.date.today()
    head = text[:DATELINE_CHARS]
    for pattern in _FULL_DATES:
        for m in pattern.finditer(head):
            month = _month_of(m)
            date = month and _valid(int(m.group("year")), month, int(m.group("day")))
            if date and date <= today:
                return date.isoformat(), "day"

    votes: Counter[int] = Counter()
    for pattern in _WEEKDAY_DATES:
        for m in pattern.finditer(text):
            month = month_number(m.group("month"))
            weekday = weekday_number(m.group("weekday"))
            day = int(m.group("day"))
            if month is None or weekday is None or not 1 <= day <= 31:
                continue
            years = years_matching_weekday(day, month, weekday, around=today.year,
                                           span=YEAR_SPAN)
            years = [y for y in years if y <= today.year]
            if years:
                votes[years[0]] += 1
    if votes:
        (year, _), = votes.most_common(1)
        return str(year), "year"
    return None, None


def normalise_date(value: object) -> Optional[str]:
    """An ISO string for a date given as metadata or by the caller; None if unreadable.

    ISO values pass through; a datetime or date is formatted; other strings
    ("22 October 2024") go through dateparser, day granularity.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).strip()
    if not s:
        return None
    if _ISO.match(s):
        day = s[:10]
        try:  # a real year, month or day of years 1-9999, not "0000-00-00" or "2024-02-31"
            dt.date.fromisoformat(day + "-01-01"[len(day) - 4:])  # "2024" -> "2024-01-01"
        except ValueError:
            return None
        return s.replace(" ", "T")
    import dateparser  # slow to import: only when a date needs parsing

    try:
        parsed = dateparser.parse(s, settings={"PREFER_DAY_OF_MONTH": "first",
                                               "RETURN_AS_TIMEZONE_AWARE": False})
    except (ValueError, OverflowError, TypeError):  # "year 10000", a day past the calendar
        return None
    if parsed is None:
        return None
    if parsed.time() == dt.time(0, 0):
        return parsed.date().isoformat()
    return parsed.isoformat()
