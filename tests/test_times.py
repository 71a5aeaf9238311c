"""Tests for claimledger.normalise.times (rule-based TIMEX3 finder and normaliser)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from claimledger.models import TimeExpr
from claimledger.normalise.times import find_times, normalise_time

ANCHOR = dt.date(2024, 10, 22)  # a Tuesday
EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "000_74cb888c7f6563bf.txt"


def one(sentence: str, span: str, anchor=ANCHOR) -> TimeExpr:
    """The expression found in `sentence` whose text is exactly `span`."""
    found = find_times(sentence, anchor)
    hits = [t for t in found if t.text == span]
    assert hits, f"{span!r} not found in {sentence!r}; got {[t.text for t in found]}"
    return hits[0]


# sentence, span, value, type, granularity, interval_start, interval_end, modifier, anchor kind
DATES = [
    ("Troops arrive in Kursk on Wednesday, 23 October, officials say.", "Wednesday, 23 October",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "inferred"),
    ("Troops arrive on Wednesday in Kursk.", "Wednesday",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "publication"),
    ("The meeting happened on Monday in Kyiv.", "Monday",
     "2024-10-21", "DATE", "day", "2024-10-21", "2024-10-21", None, "publication"),
    ("The meeting was last Friday.", "last Friday",
     "2024-10-18", "DATE", "day", "2024-10-18", "2024-10-18", None, "publication"),
    ("They meet next Tuesday.", "next Tuesday",
     "2024-10-29", "DATE", "day", "2024-10-29", "2024-10-29", None, "publication"),
    ("We are waiting for the first units tomorrow.", "tomorrow",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "publication"),
    ("The strike came yesterday.", "yesterday",
     "2024-10-21", "DATE", "day", "2024-10-21", "2024-10-21", None, "publication"),
    ("He spoke today.", "today",
     "2024-10-22", "DATE", "day", "2024-10-22", "2024-10-22", None, "publication"),
    ("Talks resume tonight.", "tonight",
     "2024-10-22TNI", "TIME", "part_of_day", "2024-10-22", "2024-10-22", None, "publication"),
    ("Fighting went on this week.", "this week",
     "2024-W43", "DATE", "week", "2024-10-21", "2024-10-27", None, "publication"),
    ("More troops come next week.", "next week",
     "2024-W44", "DATE", "week", "2024-10-28", "2024-11-03", None, "publication"),
    ("The deal was signed last month.", "last month",
     "2024-09", "DATE", "month", "2024-09-01", "2024-09-30", None, "publication"),
    ("Elections are due next year.", "next year",
     "2025", "DATE", "year", "2025-01-01", "2025-12-31", None, "publication"),
    ("The Post reported in early October that troops trained.", "early October",
     "2024-10", "DATE", "month", "2024-10-01", "2024-10-10", "START", "publication"),
    ("The talks took place in mid-October.", "mid-October",
     "2024-10", "DATE", "month", "2024-10-11", "2024-10-20", "MID", "publication"),
    ("Troops could arrive by mid-November.", "mid-November",
     "2024-11", "DATE", "month", "2024-10-22", "2024-11-20", "MID", "publication"),
    ("Shelling intensified in late September.", "late September",
     "2024-09", "DATE", "month", "2024-09-21", "2024-09-30", "END", "publication"),
    ("They could deploy to Ukraine by year's end.", "year's end",
     "2024", "DATE", "year", "2024-10-22", "2024-12-31", "END", "publication"),
    ("They could deploy to Ukraine by year’s end.", "year’s end",
     "2024", "DATE", "year", "2024-10-22", "2024-12-31", "END", "publication"),
    ("They could deploy by the end of the year.", "the end of the year",
     "2024", "DATE", "year", "2024-10-22", "2024-12-31", "END", "publication"),
    ("They could deploy by end of year.", "end of year",
     "2024", "DATE", "year", "2024-10-22", "2024-12-31", "END", "publication"),
    ("It stems from a June agreement between Putin and Kim.", "June",
     "2024-06", "DATE", "month", "2024-06-01", "2024-06-30", None, "publication"),
    ("Troops will arrive in December.", "December",
     "2024-12", "DATE", "month", "2024-12-01", "2024-12-31", None, "publication"),
    ("The report from December was leaked.", "December",
     "2023-12", "DATE", "month", "2023-12-01", "2023-12-31", None, "publication"),
    ("The treaty was signed in October 2024.", "October 2024",
     "2024-10", "DATE", "month", "2024-10-01", "2024-10-31", None, "absolute"),
    ("The treaty was signed in 2024.", "2024",
     "2024", "DATE", "year", "2024-01-01", "2024-12-31", None, "absolute"),
    ("It was signed on 23 October 2024.", "23 October 2024",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "absolute"),
    ("It was signed on October 23, 2024.", "October 23, 2024",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "absolute"),
    ("It was signed Oct. 23 in Moscow.", "Oct. 23",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "publication"),
    ("Posted 2024-10-23 by staff.", "2024-10-23",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "absolute"),
    ("Posted 10/23/2024 by staff.", "10/23/2024",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "absolute"),
    ("Posted 23/10/2024 by staff.", "23/10/2024",
     "2024-10-23", "DATE", "day", "2024-10-23", "2024-10-23", None, "absolute"),
    ("The ties date from the 1990s.", "the 1990s",
     "199", "DATE", "decade", "1990-01-01", "1999-12-31", None, "absolute"),
    ("It began in the early 1990s.", "the early 1990s",
     "199", "DATE", "decade", "1990-01-01", "1993-12-31", "START", "absolute"),
    ("Fighting was heavy in summer.", "summer",
     "2024-SU", "DATE", "season", "2024-06-01", "2024-08-31", None, "publication"),
    ("Fighting was heavy this summer.", "this summer",
     "2024-SU", "DATE", "season", "2024-06-01", "2024-08-31", None, "publication"),
    ("Exports fell in Q3 2024.", "Q3 2024",
     "2024-Q3", "DATE", "quarter", "2024-07-01", "2024-09-30", None, "absolute"),
    ("Exports fell in the third quarter of 2023.", "the third quarter of 2023",
     "2023-Q3", "DATE", "quarter", "2023-07-01", "2023-09-30", None, "absolute"),
    ("Prices rose earlier this month.", "earlier this month",
     "2024-10", "DATE", "month", "2024-10-01", "2024-10-22", None, "publication"),
    ("Prices will rise later this year.", "later this year",
     "2024", "DATE", "year", "2024-10-22", "2024-12-31", None, "publication"),
    ("The strike happened two days ago.", "two days ago",
     "2024-10-20", "DATE", "day", "2024-10-20", "2024-10-20", None, "publication"),
    ("It happened a year ago.", "a year ago",
     "2023", "DATE", "year", "2023-01-01", "2023-12-31", None, "publication"),
    ("Talks resume in two weeks.", "two weeks",
     "2024-11-05", "DATE", "day", "2024-11-05", "2024-11-05", None, "publication"),
    ("The convoy left at 3 p.m. and returned.", "3 p.m.",
     "2024-10-22T15:00", "TIME", "hour", "2024-10-22", "2024-10-22", None, "publication"),
    ("The convoy left at 15:00 local time.", "15:00 local time",
     "2024-10-22T15:00", "TIME", "minute", "2024-10-22", "2024-10-22", None, "publication"),
    ("The convoy left at 15:00.", "15:00",
     "2024-10-22T15:00", "TIME", "minute", "2024-10-22", "2024-10-22", None, "publication"),
    ("Strikes began at 3 p.m. Wednesday.", "3 p.m. Wednesday",
     "2024-10-23T15:00", "TIME", "hour", "2024-10-23", "2024-10-23", None, "publication"),
    ("Sirens sounded Wednesday morning.", "Wednesday morning",
     "2024-10-23TMO", "TIME", "part_of_day", "2024-10-23", "2024-10-23", None, "publication"),
    ("The ceasefire must hold by Friday.", "Friday",
     "2024-10-25", "DATE", "day", "2024-10-22", "2024-10-25", "ON_OR_BEFORE", "publication"),
    ("They will meet at Christmas.", "Christmas",
     "2024-12-25", "DATE", "day", "2024-12-25", "2024-12-25", None, "publication"),
]


@pytest.mark.parametrize("sentence,span,value,type_,gran,i_start,i_end,mod,anchor", DATES)
def test_dates(sentence, span, value, type_, gran, i_start, i_end, mod, anchor):
    t = one(sentence, span)
    assert (t.value, t.type, t.granularity) == (value, type_, gran)
    assert (t.interval_start, t.interval_end) == (i_start, i_end)
    assert t.modifier == mod
    assert t.anchor == anchor


DURATIONS = [
    ("The march lasted three days.", "three days", "P3D", None),
    ("We will see after a couple of days, he added.", "a couple of days", "P2D", None),
    ("The siege lasted two weeks.", "two weeks", "P2W", None),
    ("The siege lasted six months.", "six months", "P6M", None),
    ("The siege lasted 10 years.", "10 years", "P10Y", None),
    ("It lasted about two weeks.", "about two weeks", "P2W", "APPROX"),
    ("It lasted more than four hours.", "more than four hours", "PT4H", "MORE_THAN"),
    ("It lasted nearly two decades.", "nearly two decades", "P20Y", "LESS_THAN"),
    ("It has lasted for several years.", "several years", "PXY", None),
    ("It is a two-year programme.", "two-year", "P2Y", None),
    ("A 24-hour ceasefire began.", "24-hour", "PT24H", None),
    ("It took half an hour.", "half an hour", "PT30M", None),
    ("It took one and a half years, or 1.5 years.", "1.5 years", "P18M", None),
]


@pytest.mark.parametrize("sentence,span,value,mod", DURATIONS)
def test_durations(sentence, span, value, mod):
    t = one(sentence, span)
    assert (t.type, t.value, t.modifier) == ("DURATION", value, mod)
    assert t.interval_start is None and t.interval_end is None


def test_past_n_years_has_interval():
    t = one("Prices rose for the past two years.", "the past two years")
    assert (t.type, t.value) == ("DURATION", "P2Y")
    assert (t.interval_start, t.interval_end) == ("2022-10-22", "2024-10-22")


@pytest.mark.parametrize("sentence,span,value", [
    ("Recent reports indicate officers were killed.", "Recent", "PAST_REF"),
    ("Officials recently confirmed it.", "recently", "PAST_REF"),
    ("Now Pyongyang is providing weapons.", "Now", "PRESENT_REF"),
    ("Soldiers are currently training in Russia.", "currently", "PRESENT_REF"),
    ("More will arrive soon.", "soon", "FUTURE_REF"),
    ("It will change in the future.", "the future", "FUTURE_REF"),
    ("That was years ago.", "years ago", "PAST_REF"),
])
def test_references(sentence, span, value):
    t = one(sentence, span)
    assert (t.type, t.value, t.granularity) == ("DATE", value, None)


@pytest.mark.parametrize("sentence,span,value", [
    ("Convoys leave every week.", "every week", "P1W"),
    ("A weekly convoy leaves.", "weekly", "P1W"),
    ("Reports are published daily.", "daily", "P1D"),
    ("Convoys leave every two weeks.", "every two weeks", "P2W"),
    ("Talks are held on Mondays.", "Mondays", "XXXX-WXX-1"),
    ("They meet every Friday.", "every Friday", "XXXX-WXX-5"),
    ("It costs $5 million a year.", "a year", "P1Y"),
])
def test_sets(sentence, span, value):
    t = one(sentence, span)
    assert (t.type, t.value) == ("SET", value)


# ---------------------------------------------------------------- no anchor
@pytest.mark.parametrize("sentence,span,value,anchor", [
    ("Troops arrive on Wednesday, 23 October, officials say.", "Wednesday, 23 October",
     "2024-10-23", "inferred"),
    ("Troops arrive on Wednesday.", "Wednesday", "XXXX-WXX-3", None),
    ("It stems from a June agreement.", "June", "XXXX-06", None),
    ("It was signed on 23 October.", "23 October", "XXXX-10-23", None),
    ("It was signed on 23 October 2024.", "23 October 2024", "2024-10-23", "absolute"),
    ("The Post reported in early October.", "early October", "XXXX-10", None),
    ("Units arrive tomorrow.", "tomorrow", None, None),
    ("They could deploy by year's end.", "year's end", None, None),
    ("Fighting was heavy this summer.", "this summer", "XXXX-SU", None),
])
def test_without_anchor(sentence, span, value, anchor):
    t = one(sentence, span, anchor=None)
    assert t.value == value
    assert t.anchor == anchor


def test_early_october_without_anchor_keeps_modifier():
    t = one("The Post reported in early October.", "early October", anchor=None)
    assert t.modifier == "START" and t.interval_start is None


def test_weekday_pins_year_near_anchor():
    # 23 October is a Wednesday in 2024 (and 2019, 2030): the anchor year is nearest.
    t = one("on Wednesday, 23 October", "Wednesday, 23 October", anchor=dt.date(2025, 3, 1))
    assert t.value == "2024-10-23" and t.anchor == "inferred"


def test_day_month_without_year_takes_nearest_year():
    t = one("It was signed on 28 December.", "28 December", anchor=dt.date(2025, 1, 5))
    assert t.value == "2024-12-28"


# ---------------------------------------------------------------- false positives
@pytest.mark.parametrize("sentence", [
    "North Korean military officials may have been killed in a strike.",
    "May have been killed, officials said.",
    "Reports of up to 12,000 North Korean soldiers surfaced.",
    "About 1,000 troops were sent.",
    "Some 2000 soldiers crossed the border.",
    "Theresa May said nothing.",
    "Protesters march on the capital.",
    "Prices fall again.",
    "The Sunday Times reported it.",
    "A 6-year-old child was hurt.",
    "Interest rose by 3:1 in the poll.",
    "He arrived as soon as possible.",
    "Three-quarters of voters agreed.",
])
def test_no_false_positives(sentence):
    assert find_times(sentence, ANCHOR) == []


def test_year_bounds():
    assert [t.value for t in find_times("In 1850 and 1999 and 2101.", ANCHOR)] == ["1999"]


def test_year_before_noun_is_a_year():
    t = one("The 2024 elections were close.", "2024")
    assert t.value == "2024"


# ---------------------------------------------------------------- offsets, order, overlap
def test_offsets_reproduce_text_and_are_shifted():
    text = "On Wednesday, 23 October, troops came; tomorrow more, by year's end thousands."
    found = find_times(text, ANCHOR, offset=100)
    assert [t.text for t in found] == ["Wednesday, 23 October", "tomorrow", "year's end"]
    for t in found:
        assert text[t.start - 100:t.end - 100] == t.text
    starts = [t.start for t in found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_longest_match_wins():
    found = find_times("It was signed on Wednesday, October 23, 2024 in Moscow.", ANCHOR)
    assert [t.text for t in found] == ["Wednesday, October 23, 2024"]
    assert found[0].value == "2024-10-23"


def test_datetime_anchor_is_accepted():
    t = one("He spoke today.", "today", anchor=dt.datetime(2024, 10, 22, 9, 30))
    assert t.value == "2024-10-22"


# ---------------------------------------------------------------- normalise_time
@pytest.mark.parametrize("phrase,value,mod", [
    ("by year's end", "2024", "END"),
    ("Wednesday, 23 October", "2024-10-23", None),
    ("early October", "2024-10", "START"),
    ("a couple of days", "P2D", None),
    ("in two weeks", "2024-11-05", None),
])
def test_normalise_time(phrase, value, mod):
    t = normalise_time(phrase, ANCHOR)
    assert t is not None
    assert (t.text, t.start, t.end) == (phrase, 0, len(phrase))
    assert (t.value, t.modifier) == (value, mod)


def test_normalise_time_none():
    assert normalise_time("the soldiers may have left", ANCHOR) is None


# ---------------------------------------------------------------- the example article
@pytest.fixture(scope="module")
def example_times():
    if not EXAMPLE.exists():
        pytest.skip("shared example not available")
    text = EXAMPLE.read_text(encoding="utf-8")
    return text, find_times(text, ANCHOR)


def test_example_article(example_times):
    text, found = example_times
    for t in found:
        assert text[t.start:t.end] == t.text
    by_text = {t.text: t for t in found}
    assert by_text["Wednesday, 23 October"].value == "2024-10-23"
    assert by_text["Wednesday, 23 October"].anchor == "inferred"
    assert by_text["Wednesday"].value == "2024-10-23"  # the headline
    assert by_text["June"].value == "2024-06"
    assert by_text["tomorrow"].value == "2024-10-23"
    assert by_text["a couple of days"].value == "P2D"
    early = by_text["early October"]
    assert (early.value, early.modifier, early.interval_start, early.interval_end) == (
        "2024-10", "START", "2024-10-01", "2024-10-10")
    end = by_text["year’s end"]
    assert (end.value, end.modifier, end.interval_start, end.interval_end) == (
        "2024", "END", "2024-10-22", "2024-12-31")
    assert by_text["currently"].value == "PRESENT_REF"
    assert by_text["Recent"].value == "PAST_REF"
    # figures are not years, "may" is not a month
    assert not any(t.text in ("12,000", "may", "Cheongung-II") for t in found)


@pytest.mark.parametrize("sentence,expected", [
    ("Ukraine’s Defense Intelligence Chief Kyrylo Budanov told The War Zone that the first North "
     "Korean troops are expected to arrive in Russia’s Kursk Oblast on Wednesday, 23 October, to "
     "help defend against a Ukrainian incursion.", [("Wednesday, 23 October", "2024-10-23")]),
    ("“We are waiting for the first units tomorrow in the Kursk direction,” Kyrylo Budanov said.",
     [("tomorrow", "2024-10-23")]),
    ("“We will see after a couple of days,” he added.", [("a couple of days", "P2D")]),
    ("Seoul is weighing a response, considering sending advisors and heavy weapons to Ukraine "
     "following reports of up to 12,000 North Korean soldiers, including elite special operations "
     "units, potentially deploying to Russia.", []),
    ("Recent reports indicate North Korean military officials may have been killed in a Ukrainian "
     "missile strike near Russian-occupied Donetsk City.", [("Recent", "PAST_REF")]),
    ("However, US Defense Secretary Lloyd Austin said he couldn’t confirm North Korean soldiers "
     "were fighting for Moscow.", []),
])
def test_example_sentences(sentence, expected):
    assert [(t.text, t.value) for t in find_times(sentence, ANCHOR)] == expected


@pytest.mark.parametrize("sentence, start, end, modifier", [
    ("It has grown since October.", "2024-10-01", "2024-10-22", "ON_OR_AFTER"),
    ("Prices rose after 2022.", "2023-01-01", None, "AFTER"),
    ("He left before March.", None, "2024-02-29", "BEFORE"),
    ("We stay until Friday.", "2024-10-22", "2024-10-25", "ON_OR_BEFORE"),
])
def test_prepositions_open_or_close_the_interval(sentence, start, end, modifier):
    (t,) = find_times(sentence, dt.date(2024, 10, 22))
    assert (t.interval_start, t.interval_end, t.modifier) == (start, end, modifier)


# ---------------------------------------------------------------- rules from TimeBank/AQUAINT
# (error analysis with `claimledger eval tempeval`; see docs/evaluation.md)
@pytest.mark.parametrize("sentence,span,value,type_", [
    ("Keating was convicted in nineteen ninety-one.", "nineteen ninety-one", "1991", "DATE"),
    ("The approach of the year two thousand worries them.", "the year two thousand", "2000",
     "DATE"),
    ("January nineteen ninety-seven. Atlanta.", "January nineteen ninety-seven", "1997-01",
     "DATE"),
    ("In January this year, police came.", "January this year", "2024-01", "DATE"),
    ("But in June last year the leaders split.", "June last year", "2023-06", "DATE"),
    ("Profit fell in the 2022 third quarter.", "the 2022 third quarter", "2022-Q3", "DATE"),
    ("It could happen in next year's first quarter.", "next year's first quarter", "2025-Q1",
     "DATE"),
    ("It beat the third-quarter forecast.", "third-quarter", "2024-Q3", "DATE"),
    ("Net rose 5% in the nine months.", "the nine months", "P9M", "DURATION"),
    ("Prices rose over the past two years.", "the past two years", "P2Y", "DURATION"),
    ("Sales for the year ended March 31 rose.", "the year", "P1Y", "DURATION"),
    ("Sales for the year ended March 31 rose.", "March 31", "2024-03-31", "DATE"),
    ("Sales for the full year rose.", "the full year", "2024", "DATE"),
    ("Hate groups shrank through the nineties.", "the nineties", "199", "DATE"),
    ("More troops will come in the coming weeks.", "the coming weeks", "PXW", "DURATION"),
    ("Growth surged for the first time in years.", "years", "PXY", "DURATION"),
    ("It lost money after several quarters of growth.", "several quarters", "PXQ", "DURATION"),
    ("He fled in June 1998 and returned later that year.", "later that year", "1998", "DATE"),
    ("The treaty was signed on May 2, 1995, and the following year it took effect.",
     "the following year", "1996", "DATE"),
    ("The vote is due in November.", "November", "2024-11", "DATE"),
])
def test_timebank_rules(sentence, span, value, type_):
    t = one(sentence, span)
    assert (t.value, t.type) == (value, type_)


def test_spoken_number_of_years_is_not_a_year():
    assert [t.text for t in find_times("It lasted two thousand years.", ANCHOR)] == []


def test_year_ago_takes_the_quarter_under_report():
    text = ("Net income rose to $5 million in the third quarter from $4 million a year ago. "
            "In the year-ago quarter, sales fell; year-earlier results included a charge. "
            "In the quarter, costs rose.")
    got = [(t.text, t.value) for t in find_times(text, dt.date(1989, 11, 1))]
    assert got == [("the third quarter", "1989-Q3"), ("a year ago", "1988-Q3"),
                   ("the year-ago quarter", "1988-Q3"), ("year-earlier", "1988-Q3"),
                   ("the quarter", "1989-Q3")]
    t = one("Sales rose from a year ago.", "a year ago", anchor=dt.date(1989, 11, 1))
    assert t.value == "1988"  # no quarter named: the year


@pytest.mark.parametrize("sentence,value", [
    ("Talks ended on Thursday.", "2024-10-17"),  # Tuesday anchor: two days ahead, no future cue
    ("Talks will resume on Thursday.", "2024-10-24"),  # ... with one
    ("Talks began on Friday.", "2024-10-18"),  # three days ahead, past tense
    ("Troops arrive on Wednesday in Kursk.", "2024-10-23"),  # the day after the anchor
])
def test_weekday_two_or_three_days_ahead_needs_a_future_cue(sentence, value):
    (t,) = find_times(sentence, ANCHOR)
    assert t.value == value


@pytest.mark.parametrize("text", [
    "In 2010 the plan began. The following decade it grew.",
    "In 2010 the plan began. Over the next decade it grew.",
    "On 3 May 2010 it began. The following weekend it grew.",
    "In 2010 it began. The following century was calmer.",
    "In 9999 it began. The following year was calmer.",
    "On 1 January 0001 it began. The previous day was calm.",
])
def test_narrated_units_outside_the_calendar_stay_unresolved(text):
    """'the following decade' after a year once raised ValueError and lost the document."""
    times = find_times(text, dt.date(2012, 1, 1))
    assert times and all(text[t.start:t.end] == t.text for t in times)


# -- rules skipped where the text lacks the words they need ---------------------------------
def _every_rule_scans(monkeypatch):
    from claimledger.normalise import times

    monkeypatch.setattr(times, "_RULES",
                        [replace(rule, needs=(), near=None) for rule in times._RULES])


def test_folding_finds_every_letter_a_case_insensitive_pattern_matches():
    """`needs` is looked for in the folded text: every character that `re` matches against
    an ASCII letter ignoring case must fold to that letter, or a rule would be skipped where
    its pattern matches."""
    import re
    import sys

    from claimledger.normalise.times import folded

    letter = re.compile(r"(?i)[a-z]")
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if letter.fullmatch(c):
            f = folded(c)
            assert len(f) == 1 and "a" <= f <= "z" and re.fullmatch(f"(?i){f}", c), hex(code)


def test_the_rules_find_the_same_with_and_without_the_words_they_need(monkeypatch):
    from conftest import SAMPLES, SHARED

    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts.append(
        "In the fourth QUARTER of 2019, a year-earlier period; the fiscal year ended June 30. "
        "Nineteen ninety-six, two thousand and ten, the '90s, the 1980s, the Eighties, the "
        "full year, the 21st century, Q3 2020, Q4FY2021, the latest period, next spring, the "
        "WEEKEND, for years, in the coming weeks, soon, the near term, more recently, "
        "formerly, WEEKLY, biweekly, every other week, per day, at noon, on Christmas Eve, "
        "New Year’s Day, Thanksgiving; WEE\u212aEND, \u017fOON, the \u0131980s, fut\u0130re.")
    texts += [
        "Two days", "days", "over the past twenty-five to thirty days from now", "a 6-year-old",
        "no more than the next three or four more weeks-long talks, two decades ago, "
        "about a week later; for years; in the weeks ahead; a DAY; 60 Minutes; DAYS from now",
        "x" * 200 + " two days later " + "y" * 200 + "yearsyears three-year-long",
    ]
    pieces = sorted((SHARED / "data" / "polnear" / "train" / "text").glob("*.txt"))[:40]
    texts += [p.read_text(encoding="utf-8") for p in pieces]
    anchor = dt.date(2020, 3, 4)
    gated = [find_times(t, anchor) for t in texts]
    _every_rule_scans(monkeypatch)
    assert [find_times(t, anchor) for t in texts] == gated
