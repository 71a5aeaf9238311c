"""The normalisers as spaCy components: times, quantities, places and named mentions.

Each reads the Doc once and sets a list of plain records on it:
`claimledger_times_v1` -> `doc._.times` (anchored on `doc._.published_at`),
`claimledger_quantities_v1` -> `doc._.quantities`, `claimledger_places_v1` -> `doc._.places`,
`claimledger_mentions_v1` -> `doc._.mentions`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.claims.text import doc_text
from claimledger.nlp import extensions
from claimledger.normalise import entities, places, quantities, times

extensions.register()

PLACE_LABELS = ("GPE", "LOC", "FAC")


def anchor_date(value: Optional[str]) -> Optional[dt.date]:
    """The day a time expression is read against: '2024-10-22T09:00' -> 2024-10-22; a bare
    year or month gives no day, so no anchor."""
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@Language.factory("claimledger_times_v1", assigns=["doc._.times"])
def make_times(nlp: Language, name: str):
    def find(doc: Doc) -> Doc:
        published = doc._.published_at
        year = int(published[:4]) if published and published[:4].isdigit() else None
        doc._.times = times.find_times(doc_text(doc), anchor_date(published), year=year)
        return doc

    return find


def token_table(doc: Doc) -> list[tuple[int, int, str, str]]:
    """(start, end, part of speech, dependency) of every token, read as one array (walking
    the Doc's tokens costs twice as much)."""
    rows = doc.to_array(["IDX", "LENGTH", "POS", "DEP"]).tolist()
    strings, names = doc.vocab.strings, {}
    for _, _, pos, dep in rows:
        for code in (pos, dep):
            if code not in names:
                names[code] = strings[code]
    return [(idx, idx + length, names[pos], names[dep]) for idx, length, pos, dep in rows]


@Language.factory("claimledger_quantities_v1", requires=["token.pos", "token.dep"],
                  assigns=["doc._.quantities"])
def make_quantities(nlp: Language, name: str):
    def find(doc: Doc) -> Doc:
        doc._.quantities = quantities.find_quantities(doc_text(doc), tokens=token_table(doc))
        return doc

    return find


def ner_spans(doc: Doc, labels: tuple[str, ...]) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in labels]


@Language.factory("claimledger_mentions_v1", requires=["doc.ents"], assigns=["doc._.mentions"])
def make_mentions(nlp: Language, name: str):
    def find(doc: Doc) -> Doc:
        doc._.mentions = entities.find_mentions(
            doc_text(doc), ner_spans(doc, ("GPE", "NORP", "ORG", "LOC", "PERSON", "FAC")))
        return doc

    return find


@Language.factory("claimledger_places_v1", requires=["doc.ents"], assigns=["doc._.places"])
def make_places(nlp: Language, name: str):
    def find(doc: Doc) -> Doc:
        # The countries the article talks about most break ties between same-named places.
        mentioned = Counter(m.canonical for m in (doc._.mentions or []) if m.canonical)
        context = [code for code, _ in mentioned.most_common(5)]
        doc._.places = places.find_places(doc_text(doc), ner_spans(doc, PLACE_LABELS), context,
                                          home=doc._.outlet_home)
        return doc

    return find
