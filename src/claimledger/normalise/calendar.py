"""Small calendar facts shared by the time normaliser and publication-date inference."""

from __future__ import annotations

import datetime as dt
from typing import Optional

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
MONTH_ABBREVIATIONS = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3,
                         "thurs": 3, "fri": 4, "sat": 5, "sun": 6}


def month_number(word: str) -> Optional[int]:
    """'October', 'Oct', 'oct.' -> 10; anything else -> None."""
    w = word.lower().rstrip(".")
    if w in MONTHS:
        return MONTHS.index(w) + 1
    return MONTH_ABBREVIATIONS.get(w)


def weekday_number(word: str) -> Optional[int]:
    """'Wednesday', 'Wed' -> 2 (Monday is 0); anything else -> None."""
    w = word.lower().rstrip(".")
    for i, name in enumerate(WEEKDAYS):
        if w == name or (len(w) >= 3 and name.startswith(w)):
            return i
    return None


def years_matching_weekday(
    day: int, month: int, weekday: int, around: int, span: int = 6
) -> list[int]:
    """Years within `span` of `around` in which day/month falls on `weekday`, nearest first.

    A date such as "Wednesday, 23 October" repeats on the same weekday every 5, 6 or 11 years,
    so within a few years of a known reference the weekday pins the year.
    """
    found = []
    for year in range(around - span, around + span + 1):
        try:
            if dt.date(year, month, day).weekday() == weekday:
                found.append(year)
        except ValueError:
            continue
    return sorted(found, key=lambda y: (abs(y - around), -y))
