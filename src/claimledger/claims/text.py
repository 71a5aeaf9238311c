"""`doc_text(doc)` and `doc_ents(doc)`: a Doc's text and entities, built once.

spaCy's `Doc.text` joins every token and `Doc.ents` builds every entity Span on each access;
the rules read them thousands of times per article, so they go through this cache in
`doc.user_data`. Both are fixed once the pipeline has run NER.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span

KEY = "claimledger.text"
ENTS_KEY = "claimledger.ents"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(KEY)
    if text is None:
        text = doc.user_data[KEY] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple:
    """The entities, as a tuple of Spans (read after NER has run)."""
    ents = doc.user_data.get(ENTS_KEY)
    if ents is None:
        ents = doc.user_data[ENTS_KEY] = tuple(doc.ents)
    return ents


def _ent_starts(doc: Doc) -> list[int]:
    """The first token of each cached entity, in order, for binary search."""
    starts = doc.user_data.get(ENTS_KEY + ".starts")
    if starts is None:
        starts = doc.user_data[ENTS_KEY + ".starts"] = [e.start for e in doc_ents(doc)]
    return starts


def ents_within(doc: Doc, first: int, last: int) -> list[Span]:
    """The entities that start at or after token `first` and end at or before token `last`
    (a binary search over the cached entities, not a scan)."""
    ents, starts = doc_ents(doc), _ent_starts(doc)
    lo, hi = bisect_left(starts, first), bisect_right(starts, last)
    return [e for e in ents[lo:hi] if e.end - 1 <= last]


def ent_at(doc: Doc, i: int) -> Span | None:
    """The entity holding token `i`, if any."""
    ents, starts = doc_ents(doc), _ent_starts(doc)
    k = bisect_right(starts, i) - 1
    return ents[k] if k >= 0 and ents[k].start <= i < ents[k].end else None
