"""Where an event stands: its origins, who confirmed, denied or would not confirm, where the
accounts disagree, the figures each origin gave, and its status over time.

`assess(event_id, claims)` works on the plain Claim records of one event, read back from the
ledger (they carry their documents). Nothing is averaged away: disagreeing figures are kept
side by side with who gave which, and the fused range only spans them.

Stances (per claim, see `models.STANCES`):
- denies: a denial cue ("denied", "rejected", "dismissed") with a negative certainty, or a
  negative statement by an involved party (a source affiliated with one of the event's actors);
- not confirmed: an uncommitted (Uu) claim whose cue is a negated "confirm" or "verify";
- confirms: an involved party confirming ("confirmed", "acknowledged"), or asserting the
  happening itself;
- negative: a negative statement that denies nothing about the event, or a positive one with a
  negation in its content ("no injuries have been reported");
- supports / unconfirmed: other positive and Uu claims.

Independence: origins are independent when they belong to different governments (the
affiliation's country), organisations, or, for an outlet's own reporting and unattributed
reports, different outlets.

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
from typing import Optional, Sequence, cast

from claimledger.assess.origins import group_origins, words
from claimledger.claims.lexicon import CONFIRM_CUE, DENIAL_CUE
from claimledger.models import (Claim, Contradiction, Event, EventActor, EventOrigin, EventPlace,
                                FusedQuantity, OriginFigure, Place, Quantity, StatusChange,
                                TimelineEntry)
from claimledger.normalise.entities import country_code, country_name, demonym_country

PRONOUN_START = re.compile(r"(its?|they|their|he|she|his|her|we|our|this|that|these)\b", re.I)
NEGATIVE = {"CT-", "PR-", "PS-"}
NEGATION = re.compile(r"\b(not|no|never|n't|nor|neither)\b|n’t\b", re.I)
POSITIVE = {"CT+", "PR+", "PS+"}
REPORTING = {"supports", "confirms", "unconfirmed"}

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


def affiliation_country(c: Claim) -> Optional[str]:
    """The country a source speaks for, where its affiliation or name says so."""
    for text in (c.source.affiliation, c.source.name):
        if not text or not text.split():
            continue
        code = country_code(text) or demonym_country(text.split()[0])
        if code:
            return code
    return None


def stance(c: Claim, involved: set[str], event_type: Optional[str] = None) -> str:
    party = affiliation_country(c) in involved
    cue = c.cue or ""
    if c.certainty in NEGATIVE:
        return "denies" if DENIAL_CUE.search(cue) or (party and c.source.kind != "author") \
            else "negative"
    if c.certainty == "Uu":
        return "not confirmed" if CONFIRM_CUE.search(cue) else "unconfirmed"
    if NEGATION.search(c.content):  # "no injuries have been reported", a denial relayed
        return "negative"
    # An involved party confirming, or asserting the happening itself ("its forces struck
    # infrastructure", said by Russia).
    if party and c.certainty == "CT+" and c.source.kind != "author" and (
            CONFIRM_CUE.search(cue) or (c.happening is not None and event_type is not None
                                        and c.happening.type == event_type)):
        return "confirms"
    return "supports"


def independence(c: Claim, group_outlets: Optional[dict[str, str]] = None,
                 affiliations: Optional[dict[str, str]] = None) -> str:
    """Origins with the same value are not independent: the same government (the country an
    affiliation names), organisation, or for an outlet's own reporting and for unattributed
    reports, the same outlet, a repost counting as the outlet of the article it copies.
    `affiliations` gives the country a source's name has elsewhere in the event ("Oleh
    Marchenko" with no affiliation in one article, "Ukraine" in another)."""
    code = affiliation_country(c) or (affiliations or {}).get(c.source.name.casefold())
    if code:
        return f"country:{code}"
    if c.source.affiliation:
        return "organisation:" + c.source.affiliation.casefold().removeprefix("the ")
    doc = c.document
    group = (doc.duplicate_group if doc else None) or c.document_id
    outlet = (group_outlets or {}).get(group) or (doc.outlet if doc else None) or group
    if c.source.kind in ("author", "reports"):
        return f"outlet:{outlet}"
    return f"source:{c.source.name.casefold()}"


def actors(claims: Sequence[Claim]) -> list[EventActor]:
    """Countries named in the claims, most named first, keeping those named in at least a
    quarter as many claims as the most named one."""
    counts: Counter = Counter()
    for c in claims:
        codes = {m.canonical for m in c.mentions
                 if m.canonical and m.type in ("COUNTRY", "DEMONYM", "METONYM")}
        counts.update(codes)
    if not counts:
        return []
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]  # ties: by code
    top = ranked[0][1]
    return [{"code": code, "name": country_name(code) or code, "claims": n}
            for code, n in ranked if n * 4 >= top]


def involved_parties(claims: Sequence[Claim], kind: Optional[str]) -> set[str]:
    """The countries that took part in the happening, as the claims naming it say: the one
    named nearest before the word for what happened ("Russian drones struck", "North Korean
    troops deploy": the agent). Where no claim names an agent, the countries of the places it
    happened at ("the port of Odesa"); with neither, every actor."""
    found: set[str] = set()
    at: set[str] = set()
    for c in claims:
        h = c.happening
        if not h or h.type != kind:
            continue
        before = [m for m in c.mentions if m.canonical and m.type in ("COUNTRY", "DEMONYM",
                                                                       "METONYM")
                  and c.content_start <= m.start and m.end <= h.start]
        if before:
            agent = max(before, key=lambda m: m.end).canonical
            assert agent is not None  # `before` holds mentions with a canonical id only
            found.add(agent)
        at.update(p.country_code for p in c.places if p.country_code and p.start >= h.end)
    return found or at or {a["code"] for a in actors(claims)}


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
    quantities, contradictions = _quantities(claims, origins, origin_of)
    polarity = _polarity(claims, stances, origins, origin_of)
    contradictions += polarity + _times(claims, stances, origins, origin_of)
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
        period_from=period_from, first_published=_published(claims[0]) if claims else None,
        last_published=max((_published(c) or "" for c in claims), default=None) or None,
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


def _published(c: Claim) -> Optional[str]:
    return c.document.published_at if c.document else None


def _order(c: Claim):
    return (_published(c) or "", c.document_id, c.start)


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
    origins and stances, with only the claims published by then."""
    day_of = {c.id: (_published(c) or "")[:10] for c in claims}
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
        status, _ = _status(then, {cid: stances[cid] for cid in seen}, about & seen,
                            [cid for cid in denials if cid in seen])
        if not history or history[-1]["status"] != status:
            history.append({"date": day or None, "status": status})
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
    dates = sorted(d[:10] for d in (_published(c) for c in claims) if d)
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


def _quantities(claims: Sequence[Claim], origins: list[EventOrigin],
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
    day_a, day_b = (_published(a) or "")[:10], (_published(b) or "")[:10]
    same = oa.source == ob.source and (oa.affiliation == ob.affiliation or
                                       not oa.affiliation or not ob.affiliation)
    return same and day_a != day_b


def _polarity(claims: Sequence[Claim], stances: dict[str, str], origins: list[EventOrigin],
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


def _times(claims: Sequence[Claim], stances: dict[str, str], origins: list[EventOrigin],
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


def _entry(c: Claim, claim_stance: str) -> TimelineEntry:
    about = [t for t in c.times if t.interval_start or t.interval_end]
    return {"claim": c.id, "published_at": _published(c), "document": c.document_id,
            "outlet": c.document.outlet if c.document else None, "source": c.source.name,
            "certainty": c.certainty, "stance": claim_stance,
            "about_start": min((t.interval_start for t in about if t.interval_start),
                               default=None),
            "about_end": max((t.interval_end for t in about if t.interval_end), default=None),
            "content": c.content}
