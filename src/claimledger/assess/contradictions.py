"""Contradictions between origins other than figures (`assess/figures.py`): a denial set
against the report it denies most directly (`polarity`), and two origins dating the same
happening to days that do not overlap (`time`)."""

from __future__ import annotations

from typing import Sequence

from claimledger.assess.origins import words
from claimledger.assess.parties import NEGATION, REPORTING
from claimledger.models import Claim, Contradiction, EventOrigin

def polarity_contradictions(claims: Sequence[Claim], stances: dict[str, str], origins: list[EventOrigin],
              origin_of: dict[str, int]) -> list[Contradiction]:
    """Each denial side by side with the report it contradicts most directly: the positive
    claim of another origin sharing the most content words (at least two)."""
    out = []
    positive = [c for c in claims if stances[c.id] in REPORTING
                and not NEGATION.search(c.content)]
    done = set()
    for d in (c for c in claims if stances[c.id] == "denies"):
        wd = words(d.content)
        best, best_n = None, 1.0
        for p in positive:
            if origin_of[p.id] == origin_of[d.id]:
                continue
            n = len(wd & words(p.content))
            if n < 2:
                continue
            if p.happening and d.happening and p.happening.type == d.happening.type:
                n += 2  # "struck the port" against "denied targeting port facilities"
            if n > best_n:
                best, best_n = p, n
        if best is None or (origin_of[d.id], origin_of[best.id]) in done:
            continue
        done.add((origin_of[d.id], origin_of[best.id]))
        out.append(Contradiction(
            kind="polarity", claims=[best.id, d.id],
            detail=f"{origins[origin_of[best.id]].source}: “{best.content}” — "
                   f"{origins[origin_of[d.id]].source} {d.cue or 'says'}: “{d.content}”"))
    return out


NEAR = 40  # characters between a time and the word for what happened, for one to date the other


def time_contradictions(claims: Sequence[Claim], stances: dict[str, str], origins: list[EventOrigin],
           origin_of: dict[str, int]) -> list[Contradiction]:
    """Two origins putting the same happening (the same trigger word, with a day named
    within a few words of it) on days that do not overlap."""
    dated = [(c, t) for c in claims if c.happening and stances[c.id] in REPORTING
             for t in c.times if t.granularity in ("day", "part_of_day") and t.interval_start and
             t.interval_end and not t.modifier and
             min(abs(t.start - c.happening.end), abs(c.happening.start - t.end)) <= NEAR]
    out, done = [], set()
    for i, (a, ta) in enumerate(dated):
        for b, tb in dated[i + 1:]:
            oa, ob = origin_of[a.id], origin_of[b.id]
            # `dated` holds claims naming a happening, with times that give both ends.
            assert a.happening and b.happening
            assert ta.interval_start and ta.interval_end and tb.interval_start and tb.interval_end
            if oa == ob or a.happening.lemma != b.happening.lemma or (oa, ob) in done:
                continue
            if ta.interval_end < tb.interval_start or tb.interval_end < ta.interval_start:
                done.add((oa, ob))
                out.append(Contradiction(
                    kind="time", claims=[a.id, b.id],
                    detail=f"{origins[oa].source}: {a.happening.text} “{ta.text}” "
                           f"({ta.interval_start}) vs {origins[ob].source}: "
                           f"{b.happening.text} “{tb.text}” ({tb.interval_start})"))
    return out
