"""The border between spaCy and the ledger: a processed Doc becomes plain Claim records.

Each claim gets the times, places, quantities and mentions found inside its content span,
and an id that is stable across re-ingests (document, spans and source).
"""

from __future__ import annotations

import hashlib
from typing import Sequence, TypeVar

from spacy.tokens import Doc

from claimledger.claims import certainty as cert
from claimledger.claims.attribution import Attribution
from claimledger.models import Claim
from claimledger.nlp.text import doc_text

EXTRACTOR = "claimledger_attribution_v1"

T = TypeVar("T")


def within(items: Sequence[T] | None, start: int, end: int) -> list[T]:
    return [x for x in (items or []) if start <= x.start and x.end <= end]  # type: ignore[attr-defined]


def claim_id(document_id: str, a: Attribution) -> str:
    key = (f"{document_id}:{a.start}:{a.end}:{a.content_start}:{a.content_end}:{a.cue_start}:"
           f"{a.source.name}")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def build_claims(doc: Doc, document_id: str) -> list[Claim]:
    text = doc_text(doc)
    claims = []
    seen: set[str] = set()
    for a in doc._.attributions or []:
        cid = claim_id(document_id, a)
        if cid in seen:  # the same span, cue and source found twice is one claim
            continue
        seen.add(cid)
        said = within(doc._.times, a.said_start, a.said_end) if a.said_start is not None else []
        claims.append(Claim(
            id=cid,
            document_id=document_id,
            text=text[a.start:a.end],
            start=a.start,
            end=a.end,
            content=text[a.content_start:a.content_end],
            content_start=a.content_start,
            content_end=a.content_end,
            cue=text[a.cue_start:a.cue_end] if a.cue_start is not None else None,
            cue_start=a.cue_start,
            cue_end=a.cue_end,
            quote=a.quote,
            source=a.source,
            channel=a.channel,
            certainty=a.certainty,
            polarity=cert.polarity_word(a.certainty),
            extractor=EXTRACTOR,
            times=within(doc._.times, a.content_start, a.content_end),
            places=within(doc._.places, a.content_start, a.content_end),
            quantities=within(doc._.quantities, a.content_start, a.content_end),
            mentions=within(doc._.mentions, a.start, a.end),
            said_at=said[0] if said else None,
        ))
    return claims
