"""Where an event stands: its origins, who confirmed, denied or would not confirm, where the
accounts disagree, the figures each origin gave, and its status over time.

`assess(event_id, claims)` works on the plain Claim records of one event, read back from the
ledger (they carry their documents). Nothing is averaged away: disagreeing figures are kept
side by side with who gave which, and the fused range only spans them. Its parts: each
claim's stance, the involved parties and independence (`assess/parties.py`), origins
(`assess/origins.py`), figures (`assess/figures.py`), contradictions
(`assess/contradictions.py`); here, the status, its history, the event's type, period,
places and title.

Status, from origins reporting the happening itself (a claim naming the event's type of
happening) and denials of it (naming it, or set against a report in the event), first rule
that holds:
1. denied: someone denies it and no origin reports it;
2. disputed: someone denies it and some origin reports it;
3. confirmed: an involved party confirms it;
4. corroborated: at least two independent origins report it;
5. reported: otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional, Sequence

from claimledger.assess.contradictions import polarity_contradictions, time_contradictions
from claimledger.assess.figures import figure, fuse_figures
from claimledger.assess.origins import group_origins, published_at
from claimledger.assess.parties import (REPORTING, actors, affiliation_country, independence,
                                       involved_parties, stance)
from claimledger.models import (Claim, Event, EventOrigin, EventPlace, Place, StatusChange,
                                TimelineEntry)

__all__ = ["assess", "figure", "stance", "independence", "actors", "involved_parties"]

PRONOUN_START = re.compile(r"(its?|they|their|he|she|his|her|we|our|this|that|these)\b", re.I)


def places(claims: Sequence[Claim]) -> list[EventPlace]:
    counts: Counter = Counter()
    first: dict[tuple, Place] = {}
    for c in claims:
        for p in c.places:
            key = (p.geonames_id or p.name, p.feature)
            counts[key] += 1
            first.setdefault(key, p)
    out: list[EventPlace] = []
    for key, n in counts.most_common(8):
        p = first[key]
        out.append({"name": p.name, "country_code": p.country_code, "feature": p.feature,
                    "lat": p.lat, "lon": p.lon, "geonames_id": p.geonames_id, "claims": n})
    # Weighted by how precise they are: a city named as often as a sea or a country first.
    weight = {"city": 1.0, "admin1": 0.8, "water": 0.5, "region": 0.5, "country": 0.3}
    out.sort(key=lambda p: -p["claims"] * weight.get(p["feature"], 0.6))
    return out


def assess(event_id: str, claims: Sequence[Claim]) -> Event:
    """The assessment of one event from its claims."""
    claims = sorted(claims, key=_order)
    who = actors(claims)
    kind, mode = _type(claims)
    involved = involved_parties(claims, kind)
    for a in who:
        a["involved"] = a["code"] in involved
    stances = {c.id: stance(c, involved, kind) for c in claims}
    group_outlets = {c.document.duplicate_group: c.document.outlet or c.document_id
                     for c in claims if c.document and c.document.duplicate_group == c.document_id}
    affiliations = {c.source.name.casefold(): code for c in claims
                    if c.source.kind == "person" and
                    (code := affiliation_country(c))}
    by_id = {c.id: c for c in claims}
    origins = []
    origin_of: dict[str, int] = {}
    for i, o in enumerate(group_origins(claims)):
        first = by_id[o.claims[0]]
        counted = Counter(stances[cid] for cid in o.claims)
        origins.append(EventOrigin(source=o.source, kind=o.kind, affiliation=o.affiliation,
                                   independence=independence(first, group_outlets, affiliations),
                                   stance=counted.most_common(1)[0][0], claims=o.claims,
                                   reports=o.reports, outlets=o.outlets))
        for cid in o.claims:
            origin_of[cid] = i
    period_start, period_end, period_from = _period(claims, kind)
    quantities, contradictions = fuse_figures(claims, origins, origin_of)
    polarity = polarity_contradictions(claims, stances, origins, origin_of)
    contradictions += polarity + time_contradictions(claims, stances, origins, origin_of)
    # What decides the status: origins reporting the happening itself (a claim naming the
    # event's type of happening), and denials of something reported in it.
    about = {c.id for c in claims if kind is None or (c.happening and c.happening.type == kind)}
    answered = {cid for x in polarity for cid in x.claims}
    denials = [c.id for c in claims if stances[c.id] == "denies" and
               (c.id in about or c.id in answered)]
    status, evidence = _status(origins, stances, about, denials)
    return Event(
        id=event_id, type=kind, mode=mode, title=_title(claims, origins, kind),
        actors=who, places=places(claims), period_start=period_start, period_end=period_end,
        period_from=period_from, first_published=published_at(claims[0]) if claims else None,
        last_published=max((published_at(c) or "" for c in claims), default=None) or None,
        status=status, status_evidence=evidence,
        status_history=_history(claims, stances, origins, about, set(denials)),
        origins=origins,
        independent_origins=len({o.independence for o in origins if o.stance in REPORTING
                                 and about.intersection(o.claims)}),
        confirmations=[c.id for c in claims if stances[c.id] == "confirms"],
        non_confirmations=[c.id for c in claims if stances[c.id] == "not confirmed"],
        denials=[c.id for c in claims if stances[c.id] == "denies"],
        quantities=quantities, contradictions=contradictions, claims=[c.id for c in claims],
        timeline=[_entry(c, stances[c.id]) for c in claims],
        documents=len({c.document_id for c in claims}))


def _order(c: Claim):
    return (published_at(c) or "", c.document_id, c.start)


def _status(origins: list[EventOrigin], stances: dict[str, str], about: set[str],
            denials: list[str]) -> tuple[str, list[str]]:
    """The status and the claims that decide it: the denials, the confirmations, or one
    claim per independent origin reporting the happening itself."""
    groups: dict[str, str] = {}
    for o in origins:
        if o.stance in REPORTING:
            first = next((cid for cid in o.claims if cid in about), None)
            if first:
                groups.setdefault(o.independence, first)
    if denials and not groups:
        return "denied", denials
    if denials:
        return "disputed", denials + list(groups.values())
    confirms = [cid for cid, s in stances.items() if s == "confirms" and cid in about]
    if confirms:
        return "confirmed", confirms
    if len(groups) >= 2:
        return "corroborated", list(groups.values())
    return "reported", list(groups.values())


def _history(claims: Sequence[Claim], stances: dict[str, str], origins: list[EventOrigin],
             about: set[str], denials: set[str]) -> list[StatusChange]:
    """The status as it stood after each publication day, where it changed: the same
    origins and stances, with only the claims published by then; each change with the
    deciding claims published that day."""
    day_of = {c.id: (published_at(c) or "")[:10] for c in claims}
    history: list[StatusChange] = []
    for day in sorted(set(day_of.values())):
        seen = {cid for cid, d in day_of.items() if d <= day}
        then = []
        for o in origins:
            kept = [cid for cid in o.claims if cid in seen]
            if kept:
                counted = Counter(stances[cid] for cid in kept)
                then.append(EventOrigin(o.source, o.kind, o.affiliation, o.independence,
                                        counted.most_common(1)[0][0], kept))
        status, evidence = _status(then, {cid: stances[cid] for cid in seen}, about & seen,
                                   [cid for cid in denials if cid in seen])
        if not history or history[-1]["status"] != status:
            new = [cid for cid in evidence if day_of[cid] == day] or evidence
            history.append({"date": day or None, "status": status, "evidence": new[:10]})
    return history


def _type(claims: Sequence[Claim]) -> tuple[Optional[str], Optional[str]]:
    types = Counter((c.happening.type, c.happening.mode) for c in claims if c.happening)
    plover = [t for t in types.most_common() if t[0][0] != "OTHER"]
    best = plover[0][0] if plover else (types.most_common(1)[0][0] if types else (None, None))
    if best[0] and not plover:
        return best
    # The mode most often given for that type.
    modes = Counter(m for (t, m), n in types.items() for _ in range(n) if t == best[0] and m)
    return best[0], (modes.most_common(1)[0][0] if modes else None)


def _period(claims: Sequence[Claim], kind: Optional[str]) -> tuple[Optional[str],
                                                                    Optional[str], str]:
    """The time the event is about: the day- or week-level times of the claims that name
    its type of happening (or of all claims), else the publication dates."""
    for pool in ([c for c in claims if c.happening and c.happening.type == kind], claims):
        spans = [(t.interval_start, t.interval_end) for c in pool for t in c.times
                 if t.interval_start and t.interval_end and t.granularity in
                 ("day", "part_of_day", "weekend", "week")]
        if spans:
            return min(s for s, _ in spans), max(e for _, e in spans), "claims"
    dates = sorted(d[:10] for d in (published_at(c) for c in claims) if d)
    return (dates[0], dates[-1], "publication") if dates else (None, None, "publication")


def _title(claims: Sequence[Claim], origins: list[EventOrigin], kind: Optional[str]) -> str:
    """The content of the claim that names the event's type of happening and is carried by
    the most reports (ties: the earliest)."""
    reports = {cid: o.reports for o in origins for cid in o.claims}
    pool = [c for c in claims if c.happening and c.happening.type == kind] or list(claims)
    if not pool:
        return ""
    position = {c.id: i for i, c in enumerate(claims)}
    best = max(pool, key=lambda c: (bool(c.places), not PRONOUN_START.match(c.content),
                                    reports.get(c.id, 0), c.certainty == "CT+",
                                    -position[c.id]))
    return best.content


def _entry(c: Claim, claim_stance: str) -> TimelineEntry:
    about = [t for t in c.times if t.interval_start or t.interval_end]
    return {"claim": c.id, "published_at": published_at(c), "document": c.document_id,
            "outlet": c.document.outlet if c.document else None, "source": c.source.name,
            "certainty": c.certainty, "stance": claim_stance,
            "about_start": min((t.interval_start for t in about if t.interval_start),
                               default=None),
            "about_end": max((t.interval_end for t in about if t.interval_end), default=None),
            "content": c.content}
