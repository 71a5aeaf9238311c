"""The figures of an event: quantities grouped by measure (what is counted, by unit family,
and what is said of it, by predicate class), each origin's own figure kept beside the fused
range, and the figures of two origins that do not overlap as contradictions."""

from __future__ import annotations

from typing import Optional, Sequence, cast

from claimledger.assess.origins import published_at
from claimledger.models import Claim, Contradiction, EventOrigin, FusedQuantity, OriginFigure, Quantity

# What is counted, by family, and what is said of it, by class: figures are compared only
# within one family and class ("ships stranded" with "vessels affected", not "ships left").
UNIT_FAMILIES = {
    "ships": "ship vessel boat carrier tanker freighter cargo",
    "soldiers": "soldier troop infantry fighter serviceman servicemen personnel trooper",
    "people": "people person civilian resident worker villager child adult passenger",
    "drones": "drone uav",
    "missiles": "missile rocket",
}


PREDICATE_CLASSES = {
    "affected": "strand affect wait trap stick block anchor hold damage hit",
    "injured": "injure wound hurt treat hospitalise hospitalize",
    "killed": "kill die dead",
    "left": "leave depart sail exit pass",
    "deployed": "deploy send arrive dispatch move station transfer",
    "launched": "launch fire shoot",
    "displaced": "flee evacuate displace",
    "remaining": "remain stay",
}


_FAMILY = {w: fam for fam, ws in UNIT_FAMILIES.items() for w in ws.split()}


_CLASS: dict[str, str] = {}


for _cls, _ws in PREDICATE_CLASSES.items():
    for _w in _ws.split():
        _CLASS.setdefault(_w, _cls)


def unit_family(unit: Optional[str]) -> Optional[str]:
    if not unit:
        return None
    u = unit.casefold().strip()
    for form in (u, u[:-1] if u.endswith("s") else u, u[:-2] if u.endswith("es") else u):
        if form in _FAMILY:
            return _FAMILY[form]
    return u


def predicate_class(lemma: Optional[str]) -> Optional[str]:
    """The class of what is said of the things counted; None when unknown, which then
    compares with any class ("soldiers training" with "soldiers deploying")."""
    return _CLASS.get(lemma) if lemma else None


def _effective(q) -> tuple[float, float]:
    """The range a figure asserts: "up to 40" says about 40 (32-40), "about 15" 13-17,
    "no more than a dozen" 0-12."""
    lo = q.low if q.low is not None else float("-inf")
    hi = q.high if q.high is not None else float("inf")
    mod = (q.modifier or "").casefold()
    if mod in ("up to", "as many as") and q.high is not None:
        lo = 0.8 * q.high
    elif mod == "about":
        lo, hi = lo * 0.85, hi * 1.15
    return lo, hi


def _reading(q) -> str:
    """The range a figure is read as, and why where it is not the literal one."""
    lo, hi = _effective(q)
    span = f"[{figure(None if lo == float('-inf') else lo)}, " \
           f"{figure(None if hi == float('inf') else hi)}]"
    literal = (q.low, q.high) == (None if lo == float("-inf") else lo,
                                   None if hi == float("inf") else hi)
    return span if literal else f"{span} (“{q.modifier} N” read as about N)"


def figure(x: Optional[float]) -> str:
    """A figure as an analyst reads it: "12,000", "0.5", "open" for an open end."""
    if x is None:
        return "open"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def fuse_figures(claims: Sequence[Claim], origins: list[EventOrigin],
                origin_of: dict[str, int]) -> tuple[list[FusedQuantity], list[Contradiction]]:
    measures: dict[tuple, list[tuple[Claim, Quantity]]] = {}
    unknown: list[tuple[Claim, Quantity]] = []
    # A figure inside nested claims ("the article" relaying "reports of up to 12,000") is
    # one figure: it belongs to the innermost claim, the one with the shortest content.
    owner: dict[tuple, Claim] = {}
    for c in claims:
        for q in c.quantities:
            key: tuple = (c.document_id, q.start, q.end)
            if key not in owner or len(c.content) < len(owner[key].content):
                owner[key] = c
    for c in claims:
        for q in c.quantities:
            if owner[(c.document_id, q.start, q.end)] is not c:
                continue
            if q.low is None and q.high is None or unit_family(q.unit) is None:
                continue
            cls = predicate_class(q.predicate)
            if cls is None:
                unknown.append((c, q))
            else:
                measures.setdefault((unit_family(q.unit), cls), []).append((c, q))
    # A figure whose predicate is unknown joins its family's most reported known measure.
    for c, q in unknown:
        family = unit_family(q.unit)
        known = [k for k in measures if k[0] == family]
        key = max(known, key=lambda k: len(measures[k])) if known else (family, None)
        measures.setdefault(key, []).append((c, q))
    fused, contradictions = [], []
    for (family, pred), items in measures.items():
        # The span of the figures given: an open end counts as the figure that was given
        # ("no more than a dozen" reaches down to 12, "at least 20" up to 20). Each figure
        # kept has one end at least: those with neither were left out above.
        lows = [cast(float, q.low if q.low is not None else q.high) for _, q in items]
        highs = [cast(float, q.high if q.high is not None else q.low) for _, q in items]
        by_origin: list[OriginFigure] = []
        seen = set()
        for c, q in items:
            o = origins[origin_of[c.id]]
            key = (origin_of[c.id], q.low, q.high)
            if key in seen:
                next(e for e in by_origin if (e["origin"], e["low"], e["high"]) == key
                     )["claims"].append(c.id)
                continue
            seen.add(key)
            by_origin.append({"origin": origin_of[c.id], "source": o.source,
                              "affiliation": o.affiliation, "text": q.text, "unit": q.unit,
                              "low": q.low, "high": q.high, "modifier": q.modifier,
                              "claims": [c.id]})
        fused.append(FusedQuantity(unit=family, predicate=pred,
                                   low=min(lows) if lows else None,
                                   high=max(highs) if highs else None, by_origin=by_origin))
        reported = set()
        for i, (a, qa) in enumerate(items):
            for b, qb in items[i + 1:]:
                oa, ob = origin_of[a.id], origin_of[b.id]
                pair = frozenset({(oa, qa.text.casefold()), (ob, qb.text.casefold())})
                if oa == ob or pair in reported or _update(a, b, origins[oa], origins[ob]):
                    continue
                (la, ha), (lb, hb) = _effective(qa), _effective(qb)
                if ha < lb or hb < la:
                    reported.add(pair)
                    contradictions.append(Contradiction(
                        kind="quantity", claims=[a.id, b.id],
                        detail=f"“{qa.text}” {qa.unit or family} ({origins[oa].source}) vs "
                               f"“{qb.text}” {qb.unit or family} ({origins[ob].source}): "
                               f"{_reading(qa)} and {_reading(qb)} do not overlap"))
    return fused, contradictions


def _update(a: Claim, b: Claim, oa: EventOrigin, ob: EventOrigin) -> bool:
    """The same source giving a figure again on a later day ("about 15 ships have left",
    then "between 25 and 30"): an update of its own count, not a contradiction."""
    day_a, day_b = (published_at(a) or "")[:10], (published_at(b) or "")[:10]
    same = oa.source == ob.source and (oa.affiliation == ob.affiliation or
                                       not oa.affiliation or not ob.affiliation)
    return same and day_a != day_b
