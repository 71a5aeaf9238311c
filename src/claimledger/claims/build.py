"""The border between spaCy and the ledger: a processed Doc becomes plain Claim records.

Each claim gets the times, places, quantities and mentions found inside its content span,
the word that names what happened (with its PLOVER event type), and an id that is stable
across re-ingests (document, spans and source).
"""

from __future__ import annotations

import hashlib
from typing import Sequence, TypeVar

from spacy.tokens import Doc

from claimledger.claims import certainty as cert
from claimledger.claims.attribution import Attribution
from claimledger.claims.plover import event_type
from claimledger.models import Claim, Gist, Happening, Quantity
from claimledger.claims.text import doc_ents, doc_text

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
            quantities=[_with_predicate(doc, q) for q in
                        within(doc._.quantities, a.content_start, a.content_end)],
            mentions=within(doc._.mentions, a.start, a.end),
            said_at=said[0] if said else None,
            happening=happening(doc, a.content_start, a.content_end),
        ))
    return claims


GIST_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
GIST_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART",
               "LAW"}
REPORTING = {"say", "tell", "add", "report", "according", "state", "claim", "accord"}
LEAD_CHARS = 600  # the title and lead: what the article is mainly about
TITLES = {"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir", "dame", "rev",
          "fr"}  # a name's form of address, left out so that "Dr Mark Vinar" is Mark Vinar


def build_gist(doc: Doc) -> Gist:
    """What the whole article is about (`models.Gist`), read from the parsed Doc: content
    lemmas, named entities (a person's surname counted as the full name given elsewhere),
    the names in the title and lead, the years the lead names (absolute dates only), and
    which of the names are people's."""
    terms: dict[str, int] = {}
    for t in doc:
        if t.pos_ not in GIST_POS or t.is_stop or not t.is_alpha and t.pos_ != "NUM":
            continue
        lemma = t.lemma_.casefold()
        if len(lemma) < 2 or lemma in REPORTING:
            continue
        terms[lemma] = terms.get(lemma, 0) + 1
    names: dict[str, int] = {}
    lead: set[str] = set()
    named_people: set[str] = set()
    ents = [e for e in doc_ents(doc) if e.label_ in GIST_LABELS and len(e.text) > 2]
    people = {e.start: _untitled(e.text) for e in ents if e.label_ == "PERSON"}
    surnames = {p.split()[-1]: p for p in people.values() if len(p.split()) > 1}
    for e in ents:
        text = surnames.get(people[e.start], people[e.start]) if e.start in people else e.text
        name = _gist_name(text)
        names[name] = names.get(name, 0) + 1
        if e.start in people:
            named_people.add(name)
        if e.start_char < LEAD_CHARS:
            lead.add(name)
    lead_years = {(t.value or "")[:4] for t in doc._.times or []
                  if t.anchor == "absolute" and (t.value or "")[:4].isdigit()
                  and t.start < LEAD_CHARS}
    return Gist(terms=terms, names=names, lead=sorted(lead), lead_years=sorted(lead_years),
                people=sorted(named_people))


def _untitled(name: str) -> str:
    """A person's name without its form of address ("Dr Mark Vinar", "Ms Page")."""
    words = name.split()
    if len(words) > 1 and words[0].casefold().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def _gist_name(text: str) -> str:
    name = " ".join(text.split()).casefold()
    name = name[4:] if name.startswith("the ") else name
    return name[:-2] if name.endswith(("'s", "’s")) else name


def happening(doc: Doc, start: int, end: int) -> Happening | None:
    """The word of the content that names what happened, with its event type: of the
    words the trigger lexicon knows, the one highest in the parse (the main verb before a
    subordinate one, "stranded after the drone strike" before "as Ankara weighs talks")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tokens = [t for t in span if not t.is_punct and not t.is_space]
    lemmas = [(t.lemma_.lower(), t.pos_) for t in tokens]
    order = sorted((i for i, t in enumerate(tokens) if t.pos_ in ("VERB", "NOUN", "ADJ")),
                   key=lambda i: (_depth(tokens[i]), tokens[i].pos_ != "VERB", i))
    found = None
    for i in order:  # the lexicon's patterns look a few words either side
        lo = max(0, i - 6)
        hit = event_type(lemmas[lo:i + 7])
        if hit is not None and lo + hit[2] == i:
            found = (hit[0], hit[1], i)
            break
    if found is None:
        found = event_type(lemmas)
    if found is None:
        return None
    kind, mode, i = found
    t = tokens[i]
    return Happening(text=t.text, start=t.idx, end=t.idx + len(t.text), lemma=t.lemma_.lower(),
                     type=kind, mode=mode)


def _depth(token) -> int:
    depth = 0
    while token.head is not token and depth < 50:
        token, depth = token.head, depth + 1
    return depth


PREDICATE_POS = {"VERB", "ADJ"}


def _with_predicate(doc: Doc, q: Quantity) -> Quantity:
    """The quantity with the lemma of what is said of the things counted: "up to 40 ships
    were stranded" -> strand; "reports of 12,000 soldiers deploying" -> deploy."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return q
    counted = span.root
    while counted.dep_ in ("nummod", "quantmod", "advmod", "compound", "amod") and \
            counted.head is not counted:
        counted = counted.head
    for child in counted.children:  # "soldiers deploying", "people injured"
        if child.dep_ in ("acl", "relcl") and child.pos_ in PREDICATE_POS:
            q.predicate = child.lemma_.lower()
            return q
    tok = counted
    for _ in range(4):  # up the tree to the verb or predicate adjective
        if tok.head is tok:
            break
        tok = tok.head
        if tok.pos_ in PREDICATE_POS or tok.pos_ == "AUX" and tok.dep_ == "ROOT":
            q.predicate = tok.lemma_.lower()
            return q
    return q
