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


def published_at(c: Claim) -> Optional[str]:
    """When the claim's document was published, where it says."""
    return c.document.published_at if c.document else None


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
    """The origins of `claims`, in order of their first claim (publication, then position).

    A claim joins the first origin of its source holding a claim that says the same, else
    the origin of the same words in a repost of its article, else starts one. Near-linear in
    the claims: each content is tokenised once, and a claim is compared only with the claims
    in the origins its source started that share enough of its words (an index by word)."""
    ordered = sorted(claims, key=lambda c: ((c.document.published_at or "") if c.document
                                            else "", c.document_id, c.start))
    clusters: list[list[Claim]] = []
    # The origins each source started, with every claim in them, by word.
    started: dict[tuple[str, Optional[str]], _OriginIndex] = {}
    starter: list[_OriginIndex] = []  # per origin, the index of the source that started it
    reposted: dict[tuple[str, str], list[tuple[str, int]]] = {}  # (group, content) -> seen
    for c in ordered:
        wc = words(c.content)
        index = started.get(source_key(c))
        home = index.first_saying(c, wc, threshold) if index else None
        if home is None:  # a repost credits the same words to its own publisher
            home = min((k for doc, k in reposted.get((_group(c), c.content), [])
                        if doc != c.document_id), default=None)
        if home is None:
            home = len(clusters)
            clusters.append([])
            starter.append(started.setdefault(source_key(c), _OriginIndex()))
        clusters[home].append(c)
        starter[home].add(c, wc, home)
        reposted.setdefault((_group(c), c.content), []).append((c.document_id, home))
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


class _OriginIndex:
    """The claims of the origins one source started, by word, with the origin of each."""

    def __init__(self) -> None:
        self.claims: list[tuple[set[str], str, int]] = []  # words, content, origin index
        self.postings: dict[str, list[int]] = {}
        self.empty: list[int] = []  # claims whose content has no words

    def first_saying(self, c: Claim, wc: set[str], threshold: float) -> Optional[int]:
        """The earliest origin holding a claim that says what `c` says (`says_the_same`)."""
        if not wc:
            found = [k for ws, content, k in (self.claims[i] for i in self.empty)
                     if content.strip() == c.content.strip()]
            return min(found) if found else None
        shared: dict[int, int] = {}
        for w in wc:
            for i in self.postings.get(w, ()):
                shared[i] = shared.get(i, 0) + 1
        found = [self.claims[i][2] for i, n in shared.items()
                 if n / min(len(wc), len(self.claims[i][0])) >= threshold]
        return min(found) if found else None

    def add(self, c: Claim, wc: set[str], origin: int) -> None:
        i = len(self.claims)
        self.claims.append((wc, c.content, origin))
        if not wc:
            self.empty.append(i)
        for w in wc:
            self.postings.setdefault(w, []).append(i)
