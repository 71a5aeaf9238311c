"""Origins: the same statement, however many outlets carried it, is one origin.

Two claims share an origin when their sources are the same (canonical name and affiliation)
and their contents say the same thing (most of the shorter content's words are in the
longer), or when they are the same words in a repost or syndicated copy of one article.
An origin counts its reports by repost group, so a near-duplicate article never counts twice.

This module works on plain Claim records read back from the ledger (they carry their
document's repost group); it neither reads nor writes the ledger itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from claimledger.models import Claim

WORD = re.compile(r"[^\W_]+")
STOP = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "by", "for", "that",
        "is", "are", "was", "were", "be", "been", "had", "has", "have", "it", "its", "with",
        "as", "from", "this", "these", "those", "will", "would"}


@dataclass
class Origin:
    source: str
    kind: str
    affiliation: Optional[str]
    claims: list[str] = field(default_factory=list)  # claim ids, first reported first
    reports: int = 0  # documents that carry it, a repost group counted once
    outlets: list[str] = field(default_factory=list)  # publishers and channels, first seen first


def words(text: str) -> set[str]:
    return {w for w in (m.lower() for m in WORD.findall(text)) if w not in STOP}


def says_the_same(a: Claim, b: Claim, threshold: float = 0.6) -> bool:
    """Whether two contents state the same thing: the share of the shorter one's words found
    in the longer one reaches `threshold`."""
    wa, wb = words(a.content), words(b.content)
    if not wa or not wb:
        return a.content.strip() == b.content.strip()
    return len(wa & wb) / min(len(wa), len(wb)) >= threshold


def source_key(c: Claim) -> tuple[str, Optional[str]]:
    return c.source.name.casefold(), (c.source.affiliation or "").casefold() or None


def _group(c: Claim) -> str:
    return (c.document.duplicate_group if c.document else None) or c.document_id


def group_origins(claims: Sequence[Claim], threshold: float = 0.6) -> list[Origin]:
    """The origins of `claims`, in order of their first claim (publication, then position)."""
    ordered = sorted(claims, key=lambda c: ((c.document.published_at or "") if c.document
                                            else "", c.document_id, c.start))
    clusters: list[list[Claim]] = []
    by_source: dict[tuple[str, Optional[str]], list[list[Claim]]] = {}
    for c in ordered:
        home = None
        for cluster in by_source.get(source_key(c), []):
            if any(says_the_same(c, other, threshold) for other in cluster):
                home = cluster
                break
        if home is None:  # a repost credits the same words to its own publisher
            home = next((cl for cl in clusters if any(
                _group(o) == _group(c) and o.document_id != c.document_id
                and o.content == c.content for o in cl)), None)
        if home is None:
            home = []
            clusters.append(home)
            by_source.setdefault(source_key(c), []).append(home)
        home.append(c)
    origins = []
    for cluster in clusters:
        first = cluster[0]
        outlets: list[str] = []
        for c in cluster:
            for name in [*c.channel, *([c.document.outlet] if c.document and
                                        c.document.outlet else [])]:
                if name not in outlets:
                    outlets.append(name)
        origins.append(Origin(
            source=first.source.name, kind=first.source.kind,
            affiliation=first.source.affiliation, claims=[c.id for c in cluster],
            reports=len({_group(c) for c in cluster}), outlets=outlets))
    return origins
