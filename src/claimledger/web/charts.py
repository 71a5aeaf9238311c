"""Charts drawn on the server as SVG (no script, nothing to load): an event's timeline, by
publication and by the time its claims are about, and counts of events over time. Every
label goes through the template's escaping; the shapes carry classes the style colours and
`data-` attributes a test or a script can read."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

WIDTH, LEFT, RIGHT = 900, 110, 20
STANCE_ROWS = ("confirms", "supports", "unconfirmed", "not confirmed", "negative", "denies")


def _day(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


@dataclass
class Mark:
    x: float
    y: float
    width: float
    kind: str  # the stance, for the colour
    label: str  # the tooltip
    href: str
    claim: str


@dataclass
class Chart:
    height: int
    rows: list[tuple[str, float]] = field(default_factory=list)  # (label, y)
    ticks: list[tuple[str, float]] = field(default_factory=list)  # (label, x)
    marks: list[Mark] = field(default_factory=list)
    undated: int = 0


def _scale(days: list[dt.date]):
    lo, hi = min(days), max(days)
    span = max((hi - lo).days, 1)

    def x(day: dt.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - lo).days / span

    step = max(1, span // 6)
    ticks = [(d.isoformat(), x(d)) for d in
             (lo + dt.timedelta(days=i) for i in range(0, span + 1, step))]
    return x, ticks


def timeline(entries: Iterable[dict[str, Any]], *, by: str = "published") -> Optional[Chart]:
    """An event's claims on a time axis, a row per stance: `by` "published" (the day each
    was published) or "about" (the days its times are about, a bar from first to last).
    None when no claim has such a day."""
    entries = list(entries)
    spans = []
    for e in entries:
        if by == "published":
            start = end = _day(e.get("published_at"))
        else:
            start, end = _day(e.get("about_start")), _day(e.get("about_end"))
            start, end = start or end, end or start
        spans.append((e, start, end))
    days = [d for _, s, t in spans for d in (s, t) if d]
    if not days:
        return None
    x, ticks = _scale(days)
    rows = [s for s in STANCE_ROWS if any(e["stance"] == s for e, _, _ in spans)]
    row_y = {s: 30 + 26 * i for i, s in enumerate(rows)}
    chart = Chart(height=30 + 26 * len(rows) + 30, ticks=ticks,
                  rows=[(s, row_y[s]) for s in rows])
    for e, start, end in spans:
        if start is None or end is None:
            chart.undated += 1
            continue
        left = x(start)
        chart.marks.append(Mark(
            x=left, y=row_y[e["stance"]], width=max(x(end) - left, 0.0), kind=e["stance"],
            label=f"{e.get('published_at') or 'undated'} · {e['source']} ({e['stance']}): "
                  f"{e['content'][:160]}",
            href=f"/claims/{e['claim']}", claim=e["claim"]))
    return chart


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


def weekly_counts(days: Iterable[Optional[str]], height: int = 120) -> Optional[dict[str, Any]]:
    """Counts per week (Monday) of the days given (events' first publication), as bars."""
    weeks: Counter[dt.date] = Counter()
    undated = 0
    for value in days:
        day = _day(value)
        if day is None:
            undated += 1
            continue
        weeks[day - dt.timedelta(days=day.weekday())] += 1
    if not weeks:
        return None
    lo, hi = min(weeks), max(weeks)
    n = (hi - lo).days // 7 + 1
    width = min((WIDTH - LEFT - RIGHT) / n, 40.0)
    top = max(weeks.values())
    bars = []
    for week, count in sorted(weeks.items()):  # the weeks with events only, however long the span
        i = (week - lo).days // 7
        h = (height - 30) * count / top
        bars.append(Bar(x=LEFT + i * width, y=height - 20 - h, width=max(width - 1, 1),
                        height=h, label=f"week of {week.isoformat()}: {count}", count=count))
    step = max(1, n // 6)
    ticks = [((lo + dt.timedelta(days=7 * i)).isoformat(), LEFT + i * width)
             for i in range(0, n, step)]
    return {"height": height, "bars": bars, "ticks": ticks, "top": top, "undated": undated}
