"""Who says what about an event, and for whom: each claim's stance, the countries that
took part in the happening, and which origins are independent of each other.

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
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional, Sequence

from claimledger.claims.lexicon import CONFIRM_CUE, DENIAL_CUE
from claimledger.models import Claim, EventActor
from claimledger.normalise.entities import country_code, country_name, demonym_country

NEGATIVE = {"CT-", "PR-", "PS-"}


NEGATION = re.compile(r"\b(not|no|never|n't|nor|neither)\b|n’t\b", re.I)


POSITIVE = {"CT+", "PR+", "PS+"}


REPORTING = {"supports", "confirms", "unconfirmed"}


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
