"""Find attributions in a parsed article: who says what, through which cue and channel.

The sequence, per sentence:
  0. transcript speaker labels ("PENCE: Well, look, ...");
  1. reporting verbs with a clause, quote or object ("told The War Zone that ...",
     "“...,” Budanov said", "denied the reports");
  2. "according to X, ..." and "X, according to Y";
  3. report nouns with their content ("reports of up to 12,000 soldiers ... deploying");
  4. headline attributions ("Budanov: First troops deploy ...");
  5. quotes with no cue of their own, continuing the speaker of the sentence before;
  6. every other sentence stating something is the article's own assertion.
Then nested attributions are folded and sources resolved (`resolve.py`), and certainty is
combined along the chain so that relaying never upgrades it.

Everything returned is a plain record in character offsets; no spaCy object leaves here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from spacy.tokens import Doc, Span, Token

from claimledger.claims import certainty as cert
from claimledger.claims import cues
from claimledger.claims import lexicon
from claimledger.claims.resolve import fold_nested, resolve_sources
from claimledger.claims.sources import describe, is_media_name, strip_possessive
from claimledger.models import Source
from claimledger.normalise import entities
from claimledger.claims.text import doc_text, ents_within

QUOTE_MARKS = re.compile(r"[“”\"«»]|''|``")  # '' and `` in wire and NYT copy
SIGNATURE = re.compile(r"[^\S\n]*(?P<dash>[―—–])[^\S\n]*"
                       r"(?P<name>(?:[A-Z][\w'’-]+|[A-Z]\.)(?:[^\S\n]+(?:[A-Z][\w'’-]+|[A-Z]\.)){0,3})"
                       r"\.?[^\S\n]*(?=\n|$)")
TRIM = " \t\n\r,;:.“”\"‘’«»—–-"
TRAILING_CONJUNCTION = re.compile(r"[\s,]+(?:and|but|or|nor)$")
# What a learned cue governs to its right that is its content: "called [for X]",
# "wants [to X]", "criticized [X]", "called [him] [a liar]".
CUE_PREPOSITIONS = {"about", "against", "for", "of", "on"}
LEARNED_CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "dative", "oprd", "attr", "acomp"}


@dataclass
class Attribution:
    """One claim found in the text, in character offsets into the document text."""

    start: int  # evidence
    end: int
    content_start: int
    content_end: int
    source: Source
    cue_start: Optional[int] = None
    cue_end: Optional[int] = None
    channel: list[str] = field(default_factory=list)
    quote: str = "none"
    certainty: str = "CT+"
    said_start: Optional[int] = None  # the span naming when it was said ("in early October")
    said_end: Optional[int] = None
    cue_token: int = -1  # token index of the cue, for nesting; -1 when there is none
    cue_certainty: str = "CT+"  # the source's commitment through the cue alone
    rule: str = ""


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Shrink a character span past spaces, edge punctuation and quote marks."""
    text = doc_text(doc)
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    # A conjunction left dangling at the end ("he would not back Trump and").
    tail = TRAILING_CONJUNCTION.search(text, start, end)
    if tail:
        end = tail.start()
        while end > start and text[end - 1] in TRIM:
            end -= 1
    # Keep quote marks that open or close a quotation inside the span ("“several thousand”
    # soldiers are training"): a span never holds half a pair.
    inner = text[start:end]
    if start > 0 and text[start - 1] == "“" and inner.count("”") > inner.count("“"):
        start -= 1
    inner = text[start:end]
    if end < len(text) and text[end] == "”" and inner.count("“") > inner.count("”"):
        end += 1
    return start, end


def quote_spans(doc: Doc) -> list[tuple[int, int]]:
    return find_quotes(doc_text(doc))


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Quotations as (start, end) spans, quote marks included.

    Marks are read by their place, not only their shape, since pages mix them up
    ("”Mr. Trump embodies ...”" opens with a closing mark): a mark after a space or the start
    of a line, before a letter, opens; a mark after a letter or punctuation closes. A quote
    left open at the end of its paragraph ends there (a quote running over paragraphs
    reopens each one).
    """
    spans: list[tuple[int, int]] = []
    opened: Optional[int] = None
    n = len(text)
    for m in QUOTE_MARKS.finditer(text):
        i = m.start()
        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[m.end()] if m.end() < n else "\n"
        if opened is not None and "\n\n" in text[opened:i]:
            spans.append((opened, opened + text[opened:i].index("\n\n")))
            opened = None
        opening = m.group() in ("“", "«", "``") or (prev.isspace() or prev in "([—–-―:,") \
            and not nxt.isspace()
        closing = m.group() in "”»" or not prev.isspace()
        if opened is None:
            if opening and not (m.group() in "”»" and not (prev.isspace() or prev in "([—–―")):
                opened = i
        elif closing and i > opened + 1:
            spans.append((opened, m.end()))
            opened = None
        elif opening:
            opened = i  # an opening mark never closed: start again here
    if opened is not None:
        end = text.find("\n\n", opened)
        spans.append((opened, n if end < 0 else end))
    return spans


def quote_kind(quotes: list[tuple[int, int]], start: int, end: int) -> str:
    for qs, qe in quotes:
        if qs <= start and end <= qe:
            return "direct"
    for qs, qe in quotes:
        if qs < end and start < qe:
            return "mixed"
    return "indirect"


LONG_SUBTREE = 200  # words; longer subtrees are read from their edges


def subtree_span(token: Token, exclude: Optional[Token] = None) -> tuple[int, int]:
    """Characters from the first to the last word of `token`'s subtree, less the subtree of
    `exclude`. From the subtrees' edges where the words are many, so that a long chain of
    words (hostile input) costs linear, not quadratic, time."""
    first, last = token.left_edge, token.right_edge
    if exclude is None:
        return first.idx, last.idx + len(last.text)
    lo, hi = exclude.left_edge.i, exclude.right_edge.i
    if last.i - first.i >= LONG_SUBTREE and first.i <= lo and hi <= last.i and \
            (first.i < lo or hi < last.i):
        first = first if first.i < lo else token.doc[hi + 1]
        last = last if last.i > hi else token.doc[lo - 1]
        return first.idx, last.idx + len(last.text)
    skip = {t.i for t in exclude.subtree}
    toks = [t for t in token.subtree if t.i not in skip]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def next_in_subtree(head: Token, word: Token) -> Token:
    """The word after `word` in `head`'s subtree, in order (`word` itself where it is the
    last): the next word of the text where it belongs to the subtree, as it does in a
    projective parse; else found by walking the subtree."""
    doc = head.doc
    if word.i >= head.right_edge.i:
        return word
    after = doc[word.i + 1]
    if after.i == head.i or head.is_ancestor(after):
        return after
    rest = [t for t in head.subtree if t.i > word.i]
    return rest[0] if rest else word


def sentence_span(sent: Span) -> tuple[int, int]:
    start, end = sent.start_char, sent.end_char
    text = doc_text(sent.doc)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def cue_span(verb: Token) -> tuple[int, int]:
    """The cue with its auxiliaries and negation: "couldn’t confirm", "did not deny", "has
    said", "is also calling for", "told"."""
    left = [c for c in verb.children if c.i < verb.i and c.dep_ in ("aux", "neg", "auxpass")]
    first = min([verb] + left, key=lambda t: t.i)
    if first.i != verb.i and any(t.dep_ not in ("aux", "neg", "auxpass", "advmod")
                                 for t in verb.doc[first.i + 1:verb.i]):
        first = verb
    # An adverb right before it: "also said", "repeatedly called for".
    if first.i > 0 and verb.doc[first.i - 1].dep_ == "advmod" \
            and verb.doc[first.i - 1].head.i == verb.i and verb.doc[first.i - 1].is_alpha:
        first = verb.doc[first.i - 1]
    end = verb.idx + len(verb.text)
    # Phrasal particles and the preposition of a prepositional verb: "pointed out",
    # "called for", "complained about" (not "said on Monday", "wrote in The Times").
    preps = CUE_PREPOSITIONS if verb.lemma_.lower() not in lexicon.CUE_VERBS \
        else CUE_PREPOSITIONS - {"on", "for"}
    for c in verb.children:
        if c.i == verb.i + 1 and (c.dep_ == "prt" or (
                c.dep_ == "prep" and c.lower_ in preps
                and not any(t.ent_type_ in ("DATE", "TIME", "GPE", "ORG", "FAC", "EVENT")
                            for t in c.subtree))):
            end = c.idx + len(c.text)
    return first.idx, end


def subject_of(verb: Token) -> Optional[Token]:
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    for child in verb.children:
        if child.dep_ == "nsubj":
            # "it" is a source ("NATO said it could not confirm"), except as a dummy subject
            # ("it is said", "it seems").
            if child.lower_ in ("there", "this") or child.lower_ == "it" and (
                    passive or verb.lemma_ in ("be", "seem", "appear")):
                continue
            return child
        if child.dep_ == "agent":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    # "X said ... and added ...": a conjoined verb shares the subject of the first.
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head)
    # "..., saying that X", "responded by saying X": a participle speaks for the subject of
    # the clause it hangs from.
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "pcomp", "xcomp", "conj"):
        head = verb.head.head if verb.dep_ == "pcomp" else verb.head
        if head.pos_ in ("VERB", "AUX") and head.i != verb.i:
            return subject_of(head)
    return None


def channel_from_verb(verb: Token) -> list[str]:
    """Outlets named around a cue: "told The War Zone", "in an interview with CNN",
    "speaking to Reuters"."""
    names: list[str] = []
    doc = verb.doc
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and verb.lemma_ in ("tell", "inform", "brief"):
            names.append(_np_text(child))
        if child.dep_ == "prep" and child.lower_ in ("to", "with", "in"):
            for pobj in (g for g in child.children if g.dep_ == "pobj"):
                if child.lower_ == "in" and pobj.lower_ in ("interview", "statement", "post"):
                    for p2 in pobj.children:
                        if p2.dep_ == "prep" and p2.lower_ in ("with", "to"):
                            names.extend(_np_text(g) for g in p2.children if g.dep_ == "pobj")
                elif child.lower_ in ("to", "with"):
                    names.append(_np_text(pobj))
    out = []
    for name in names:
        if not name or name.lower() in lexicon.NOT_CHANNELS:
            continue
        ents = ents_within(doc, verb.sent.start, verb.sent.end)
        # An outlet: a known or media-like name, or a named organisation or programme
        # ("told The War Zone"); not people or groups ("told Ukrainian soldiers").
        named = any(e.label_ in ("ORG", "EVENT", "WORK_OF_ART", "PRODUCT")
                    and strip_possessive(e.text) in name for e in ents)
        if is_media_name(name) or named and name[:1].isupper():
            out.append(name)
    return out


def channel_from_source(head: Token) -> tuple[list[str], Optional[tuple[int, int]]]:
    """"an officer cited by The Washington Post in early October" -> (["The Washington Post"],
    span of "in early October")."""
    names: list[str] = []
    when = None
    for child in head.children:
        if child.dep_ == "acl" and child.lemma_ in ("cite", "quote", "interview"):
            for g in child.children:
                if g.dep_ == "agent":
                    names.extend(_np_text(p) for p in g.children if p.dep_ == "pobj")
                if g.dep_ == "prep" and g.lower_ in ("in", "on") and any(
                        t.ent_type_ in ("DATE", "TIME") for t in g.subtree):
                    when = subtree_span(g)
    return names, when


def _np_text(token: Token) -> str:
    toks = [t for t in token.subtree if t.dep_ not in ("relcl", "acl", "punct")
            and not (t.dep_ == "prep" and t.head.i == token.i)]
    # Keep the noun phrase contiguous around the head.
    toks = [t for t in toks if abs(t.i - token.i) <= 8]
    if not toks:
        return token.text
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks)
    span = token.doc[lo:hi + 1]
    text = span.text.strip(TRIM)
    return strip_possessive(text)


class AttributionFinder:
    """Runs the rules over one parsed Doc. `outlet` is the publisher that ends every channel."""

    def __init__(self, doc: Doc, outlet: Optional[str] = None, author: Optional[str] = None,
                 learned_cues: bool = True):
        self.doc = doc
        self.learned = cues.shipped() if learned_cues else None
        self.outlet = outlet
        self.author = author
        self.quotes = quote_spans(doc)
        self.found: list[Attribution] = []

    # -- 1. reporting verbs -------------------------------------------------------------
    def verb_cues(self, sent: Span) -> None:
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            known = lemma in lexicon.CUE_VERBS
            learned = not known and self._learned_cue(tok)
            if not (known or learned):
                continue
            if tok.dep_ in ("amod", "acl") and lemma in ("cite", "quote", "allege", "report"):
                continue  # "the alleged deployment", "officer cited by ..." are not cues here
            content = self._verb_content(tok)
            if content is None and (learned or self._learned_cue(tok)):
                content = self._governed_content(tok)  # "called for X", "cited X"
            if content is None:
                continue
            subject = subject_of(tok)
            if subject is None:
                passive = any(c.dep_ == "auxpass" for c in tok.children)
                if not (passive and lemma in lexicon.IMPERSONAL_CUES):
                    continue
                # "It was reported that ...", "X is said to ...": nobody is named.
                source = Source(name="unattributed reports", kind="reports")
                channel_src: list[str] = []
                when = None
            else:
                if self._inside_quote(tok.idx):
                    continue  # a verb inside somebody's quoted words is part of them
                source = describe(subject)
                channel_src, when = channel_from_source(subject)
            cs, ce, quote = content
            c_start, c_end = cue_span(tok)
            committed = cert.combine(cert.cue_certainty(tok),
                                     self._source_hedge(subject) if subject is not None else None)
            self.found.append(Attribution(
                start=0, end=0, content_start=cs, content_end=ce, source=source,
                cue_start=c_start, cue_end=c_end,
                channel=channel_from_verb(tok) + channel_src, quote=quote,
                # A quote is the source's own words: "“We never attacked,” Peskov denied"
                # asserts the quote; "denied" names the act, it does not negate the words.
                certainty=cert.combine(cert.strength_only(committed) if quote == "direct"
                                       else committed, self._content_certainty(tok, cs, ce)),
                cue_certainty=committed,
                said_start=when[0] if when else None, said_end=when[1] if when else None,
                cue_token=tok.i, rule="verb",
            ))

    def _verb_content(self, verb: Token) -> Optional[tuple[int, int, str]]:
        """The content of a cue verb as (start, end, quote kind), or None if it reports nothing."""
        doc = self.doc
        clause = next((c for c in verb.children if c.dep_ in ("ccomp",)), None)
        if clause is None and verb.lemma_ in ("expect", "believe", "think"):
            return None  # "troops are expected to arrive" is a hedge, not a report
        if clause is None:
            clause = next((c for c in verb.children if c.dep_ == "xcomp"
                           and verb.lemma_ in ("say", "claim", "report", "deny")), None)
        if clause is None and verb.lemma_ in ("tell", "inform", "assure", "warn", "remind"):
            # "told the forum he was against the war": the clause hangs from the recipient.
            for obj in (c for c in verb.children if c.dep_ in ("dobj", "dative")):
                clause = next((g for g in obj.children if g.dep_ in ("ccomp", "relcl")
                               and any(x.dep_ in ("nsubj", "nsubjpass") for x in g.children)
                               and g.i > obj.i), None)
                if clause is not None:
                    break
        if clause is None:
            trailing = self._trailing_content(verb)
            if trailing is not None:
                return trailing
        if clause is None and verb.dep_ == "parataxis":
            # "The troops, he said, will arrive": the content is the clause around the cue.
            head = verb.head
            s, e = subtree_span(head, exclude=verb)
            s, e = trim(doc, s, e)
            return (s, e, quote_kind(self.quotes, s, e)) if e > s else None
        if clause is not None:
            s, e = subtree_span(clause)
            # Drop a leading complementiser ("that", "whether", "if").
            first = clause.left_edge  # its first word (read from the edge: walking the
            # subtree to it costs the depth of the tree, for each cue of a long chain)
            if first.dep_ == "mark" and first.lower_ in ("that", "whether", "if"):
                s = next_in_subtree(clause, first).idx
            q = self._enclosing_quote(s, e)
            if q is not None:
                s, e = trim(doc, *q)
                return s, e, "direct"
            s, e = trim(doc, s, e)
            if e <= s:
                return None
            return s, e, quote_kind(self.quotes, s, e)
        # A quote right next to the cue, with no clause parsed under the verb:
        # "“...,” he said", "he said: “...”".
        subject = subject_of(verb)
        left = min(verb.idx, subject.idx) if subject is not None else verb.idx
        right = verb.idx + len(verb.text)
        sent = verb.sent
        for qs, qe in self.quotes:
            if not (qs < sent.end_char and sent.start_char < qe):
                continue  # a quote of another sentence
            before = doc_text(doc)[qe:left]
            after = doc_text(doc)[right:qs]
            if (qe <= left and len(before) < 4 and not before.strip(" ,:;—–-")) or \
                    (qs >= right and len(after) < 4 and not after.strip(" ,:;—–-")):
                s, e = trim(doc, qs, qe)
                if e - s > 3:
                    return s, e, "direct"
        # "He said:" at the end of a line: the content is what follows, to the paragraph's end.
        tail = doc_text(doc)[right:sent.end_char].strip()
        if tail.endswith(":") and len(tail) < 40:
            nxt = doc_text(doc).find("\n", sent.end_char - 1)
            start = sent.end_char
            end = doc_text(doc).find("\n\n", start + 1)
            end = len(doc_text(doc)) if end < 0 else end
            if nxt >= 0 or end > start:
                s, e = trim(doc, start, end)
                if e - s > 3:
                    return s, e, quote_kind(self.quotes, s, e) if not self._enclosing_quote(
                        s, e) else "direct"
        if verb.lemma_ in lexicon.NP_OBJECT_CUES:
            dobj = next((c for c in verb.children if c.dep_ in ("dobj",)), None)
            if dobj is not None and dobj.ent_type_ != "PERSON" and dobj.pos_ != "PRON":
                s, e = trim(doc, *subtree_span(dobj))
                if e > s:
                    return s, e, quote_kind(self.quotes, s, e)
        return None

    def _learned_cue(self, tok: Token) -> bool:
        """Whether the learned cue detector takes `tok` for the head of a cue."""
        return self.learned is not None and self.learned.is_cue(tok, self._inside_quote(tok.idx))

    def _governed_content(self, verb: Token) -> Optional[tuple[int, int, str]]:
        """The content of a learned cue with no clause or quote of its own ("called for X",
        "wants to X", "criticized X"): what the verb governs to its right."""
        cue_end = cue_span(verb)[1]
        parts = [c for c in verb.children if c.i > verb.i and c.dep_ in LEARNED_CONTENT_DEPS]
        if not parts:
            return None
        s = min(c.left_edge.idx for c in parts)  # the edges of their subtrees: linear
        e = max(c.right_edge.idx + len(c.right_edge.text) for c in parts)
        s, e = trim(self.doc, max(s, cue_end), e)
        if e - s < 3:
            return None
        q = self._enclosing_quote(s, e)
        return (s, e, "direct") if q is not None else (s, e, quote_kind(self.quotes, s, e))

    def _trailing_content(self, verb: Token) -> Optional[tuple[int, int, str]]:
        """"Content, Graham told The Huffington Post on Thursday." - the cue closes the
        sentence, after a comma, with nothing but its subject, objects and adjuncts."""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.i > verb.i:
            return None
        sent = verb.sent
        first = subject.left_edge.i
        if first - sent.start < 3:
            return None
        comma = self.doc[first - 1]
        if comma.text not in (",", "—", "–") and not (comma.text in ("”", "\"")
                                                       and self.doc[first - 2].text == ","):
            return None
        after = [t for t in self.doc[verb.i + 1:sent.end] if not (t.is_punct or t.is_space)]
        if any(not verb.is_ancestor(t) or t.dep_ in ("ccomp", "nsubj") for t in after):
            return None  # the sentence goes on past the cue: "The workers, she said, were ..."
        s, e = trim(self.doc, sent.start_char, comma.idx)
        if e - s < 10:
            return None
        q = self._enclosing_quote(s, e)
        return (s, e, "direct") if q is not None else (s, e, quote_kind(self.quotes, s, e))

    def _content_certainty(self, verb: Token, start: int, end: int) -> str:
        clause = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")
                       and start <= c.idx < end), None)
        if clause is None:
            clause = self._root_in(start, end)
        if clause is None or clause.pos_ not in ("VERB", "AUX"):
            return "CT+"
        return cert.clause_certainty(clause)

    def _enclosing_quote(self, start: int, end: int) -> Optional[tuple[int, int]]:
        for qs, qe in self.quotes:
            if qs <= start + 1 and end <= qe:
                return qs, qe
        return None

    def _inside_quote(self, pos: int) -> bool:
        return any(qs < pos < qe for qs, qe in self.quotes)

    # -- 2. according to ----------------------------------------------------------------
    def according_to(self, sent: Span) -> None:
        for tok in sent:
            if tok.lower_ != "according":
                continue
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                to = self.doc[tok.i + 1]
            if to is None:
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            phrase = [t for t in tok.subtree] + ([t for t in to.subtree] if to.head.i != tok.i else [])
            ph_lo = min(t.i for t in phrase)
            ph_hi = max(t.i for t in phrase)
            s0, e0 = sentence_span(sent)
            if ph_lo <= sent.start + 1:  # "According to X, content."
                cs = self.doc[ph_hi].idx + len(self.doc[ph_hi].text)
                ce = e0
            else:  # "Content, according to X."
                cs, ce = s0, self.doc[ph_lo].idx
            cs, ce = trim(self.doc, cs, ce)
            if ce <= cs:
                continue
            source_head = pobj
            # "according to a report by Reuters": the report is the cue's object, Reuters the source.
            if pobj.lower_ in lexicon.CUE_NOUNS:
                for p in pobj.children:
                    if p.dep_ == "prep" and p.lower_ in ("by", "from", "in"):
                        inner = next((g for g in p.children if g.dep_ == "pobj"), None)
                        if inner is not None:
                            source_head = inner
            source = describe(source_head)
            channel, when = channel_from_source(source_head)
            root = self._root_in(cs, ce) or sent.root
            self.found.append(Attribution(
                start=0, end=0, content_start=cs, content_end=ce, source=source,
                cue_start=tok.idx, cue_end=to.idx + len(to.text), channel=channel,
                quote=quote_kind(self.quotes, cs, ce),
                certainty=cert.combine(
                    lexicon.CUE_NOUN_CERTAINTY.get(source_head.lower_, "CT+")
                    if source.kind == "reports" else "CT+",
                    self._source_hedge(source_head), cert.clause_certainty(root)),
                said_start=when[0] if when else None, said_end=when[1] if when else None,
                cue_token=tok.i, rule="according",
            ))

    def _root_in(self, start: int, end: int) -> Optional[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        toks = list(span) if span is not None else []
        if not toks:
            return None
        ids = {t.i for t in toks}
        heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
        verbs = [t for t in heads if t.pos_ in ("VERB", "AUX")]
        return (verbs or heads)[0]

    def _source_hedge(self, head: Token) -> Optional[str]:
        """"unconfirmed reports" Uu; "alleged sources"."""
        values = [lexicon.HEDGE_WORDS[c.lower_] for c in head.children
                  if c.dep_ == "amod" and c.lower_ in lexicon.HEDGE_WORDS]
        return cert.combine(*values) if values else None

    # -- 3. report nouns ----------------------------------------------------------------
    def report_nouns(self, sent: Span) -> None:
        for tok in sent:
            if tok.lower_ not in lexicon.CUE_NOUNS or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in lexicon.CUE_VERBS:
                continue  # "reports suggest ...": the verb rule has it
            if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
                continue
            content_tok = None
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "about", "on") :
                    content_tok = next((g for g in child.children if g.dep_ == "pobj"), None)
                elif child.dep_ in ("acl", "ccomp") and any(
                        g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                    content_tok = child
            if content_tok is None:
                continue
            s, e = trim(self.doc, *subtree_span(content_tok))
            first = self.doc.char_span(s, e, alignment_mode="expand")
            if first is not None and len(first) > 1 and first[0].lower_ == "that":
                s = first[1].idx  # "reports that X": the content is X
            if e - s < 12 or not any(t.pos_ in ("VERB", "NUM") for t in content_tok.subtree):
                continue  # "reports of fighting" names no proposition worth a claim
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            if owner is not None:
                source = describe(owner)
            else:
                source = Source(name="unattributed reports", kind="reports",
                                phrase=tok.text, start=tok.idx, end=tok.idx + len(tok.text))
                mods = [c for c in tok.children if c.dep_ in ("amod", "compound")]
                if mods:
                    src = describe(tok)
                    source = replace(source, affiliation=src.affiliation, phrase=src.phrase,
                                     start=src.start, end=src.end)
            verbs = [t for t in content_tok.subtree if t.pos_ == "VERB"]
            clause_values = [cert.clause_certainty(v) for v in verbs[:1]]
            hedges = [lexicon.HEDGE_WORDS[t.lower_] for t in content_tok.subtree
                      if t.lower_ in lexicon.HEDGE_WORDS]
            self.found.append(Attribution(
                start=0, end=0, content_start=s, content_end=e, source=source,
                cue_start=tok.idx, cue_end=tok.idx + len(tok.text),
                quote=quote_kind(self.quotes, s, e),
                certainty=cert.combine(lexicon.CUE_NOUN_CERTAINTY.get(tok.lower_, "CT+"),
                                       self._source_hedge(tok), *clause_values, *hedges),
                cue_token=tok.i, rule="noun",
            ))

    # -- 4. headline attributions -------------------------------------------------------
    def headline(self, sent: Span) -> None:
        colon = next((t for t in sent[:7] if t.text == ":"), None)
        if colon is None or colon.i == sent.start or sent.end - colon.i < 4:
            return
        before = self.doc[sent.start:colon.i]
        if not all(t.text[:1].isupper() or t.is_punct for t in before if not t.is_space):
            return
        if any(t.lower_ in lexicon.LABEL_WORDS for t in before):
            return
        head = before.root
        source = describe(head)
        if source.kind in ("reports", "anonymous") and not before.ents:
            return
        cs, ce = trim(self.doc, colon.idx + 1, sent.end_char)
        root = self._root_in(cs, ce) or sent.root
        self.found.append(Attribution(
            start=0, end=0, content_start=cs, content_end=ce, source=source,
            cue_start=colon.idx, cue_end=colon.idx + 1, quote=quote_kind(self.quotes, cs, ce),
            certainty=cert.clause_certainty(root), cue_token=colon.i, rule="headline",
        ))

    def speaker_label(self, sent: Span) -> bool:
        """Transcripts: "PENCE: Well, look, ..." is the labelled speaker's own words."""
        colon = next((t for t in sent[:4] if t.text == ":"), None)
        if colon is None or colon.i == sent.start:
            return False
        label = [t for t in self.doc[sent.start:colon.i] if not t.is_space]
        if not label or not all(t.text.isupper() and t.is_alpha and len(t.text) > 1
                                for t in label):
            return False
        if any(t.lower_ in lexicon.LABEL_WORDS for t in label) or (
                len(label) == 1 and entities.country_code(label[0].text)
                and label[0].ent_type_ in ("GPE", "LOC", "NORP")):
            return False  # "BREAKING:", "UKRAINE:", "UPDATE:" are section labels, not speakers
        text = doc_text(self.doc)
        line_end = text.find("\n", colon.idx)  # the speaker's turn runs to the end of the line
        cs, ce = trim(self.doc, colon.idx + 1, len(text) if line_end < 0 else line_end)
        if ce - cs < 3:
            return False
        name = " ".join(t.text for t in label)
        root = self._root_in(cs, ce) or sent.root
        self.found.append(Attribution(
            start=0, end=0, content_start=cs, content_end=ce,
            source=Source(name=name.title(), kind="person", phrase=name, start=label[0].idx,
                          end=label[-1].idx + len(label[-1].text)),
            cue_start=colon.idx, cue_end=colon.idx + 1, quote="direct",
            certainty=cert.clause_certainty(root), cue_token=colon.i, rule="speaker",
        ))
        return True

    def signed_quotes(self) -> None:
        """Quotes signed with a dash and a name: "“He represents our greatest shame.” ―
        Sonya Herridge"."""
        text = doc_text(self.doc)
        for qs, qe in self.quotes:
            m = SIGNATURE.match(text, qe)
            if m is None:
                continue
            cs, ce = trim(self.doc, qs, qe)
            if ce - cs < 3:
                continue
            ns, ne = m.span("name")
            root = self._root_in(cs, ce)
            dash = m.start("dash")
            self.found.append(Attribution(
                start=qs, end=ne, content_start=cs, content_end=ce,
                source=Source(name=m.group("name"), kind="person", phrase=m.group("name"),
                              start=ns, end=ne),
                cue_start=dash, cue_end=dash + 1, quote="direct",
                certainty=cert.clause_certainty(root) if root is not None else "CT+",
                rule="signed quote",
            ))

    # -- 5. quotes continuing a speaker -------------------------------------------------
    def continued_quote(self, sent: Span, previous: Optional[Attribution]) -> bool:
        s0, e0 = sentence_span(sent)
        if previous is None or previous.quote not in ("direct", "mixed"):
            return False
        for qs, qe in self.quotes:
            if qs <= s0 + 1 and e0 - 2 <= qe or (qs <= s0 + 1 and qe >= e0 - 2):
                cs, ce = trim(self.doc, max(qs, s0), min(qe, e0))
                if ce - cs < 3:
                    return False
                root = self._root_in(cs, ce) or sent.root
                self.found.append(Attribution(
                    start=0, end=0, content_start=cs, content_end=ce, source=previous.source,
                    channel=list(previous.channel), quote="direct",
                    certainty=cert.combine(cert.clause_certainty(root),
                                           cert.strength_only(previous.cue_certainty)),
                    cue_certainty=previous.cue_certainty, rule="continued quote",
                ))
                return True
        return False

    # -- 6. the article's own assertions ------------------------------------------------
    def assertion(self, sent: Span) -> None:
        s, e = sentence_span(sent)
        if e - s < 15 or sent.text.rstrip().endswith("?"):
            return
        if any(qs <= s + 1 and e - 1 <= qe for qs, qe in self.quotes):
            return  # a quoted sentence is somebody's words, never the article's own
        root = sent.root
        if root.pos_ not in ("VERB", "AUX") or not any(
                c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children):
            return
        if root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "aux") for c in root.children):
            return  # imperative: "Become a patron"
        source = self.author_source()
        cs, ce = trim(self.doc, s, e)
        self.found.append(Attribution(
            start=0, end=0, content_start=cs, content_end=ce, source=source,
            quote=quote_kind(self.quotes, cs, ce), certainty=cert.clause_certainty(root),
            rule="assertion",
        ))

    def author_source(self) -> Source:
        """The article's own voice: its author, else its outlet."""
        return Source(name=self.author or self.outlet or "the article", kind="author")

    # -- the whole sequence ---------------------------------------------------------------
    def find(self) -> list[Attribution]:
        """Every attribution as written in the text, before nested ones are folded and
        sources resolved: the spans an attribution corpus annotates."""
        previous: Optional[Attribution] = None
        self.signed_quotes()
        for sent in self.doc.sents:
            before = len(self.found)
            self.speaker_label(sent)
            self.verb_cues(sent)
            self.according_to(sent)
            self.report_nouns(sent)
            if len(self.found) == before:
                self.headline(sent)
            if len(self.found) == before and self._covered(sent, before):
                continue  # the words of a speaker introduced before ("He said:")
            if len(self.found) == before and not self.continued_quote(sent, previous):
                self.assertion(sent)
            elif self._root_not_covered(sent, before):
                self.assertion(sent)
            for a in self.found[before:]:
                a.start, a.end = sentence_span(sent)
                a.start = min(a.start, a.content_start)
                a.end = max(a.end, a.content_end)
            new = [a for a in self.found[before:] if a.rule != "assertion"]
            previous = new[-1] if new else (previous if len(self.found) == before else None)
        return self.found

    def run(self) -> list[Attribution]:
        self.found = fold_nested(self.doc, self.find())
        resolve_sources(self.doc, self.found, self.author_source())
        for a in self.found:
            if self.outlet and (not a.channel or a.channel[-1] != self.outlet):
                a.channel.append(self.outlet)
        return self.found

    def _covered(self, sent: Span, before: int) -> bool:
        s, e = trim(self.doc, *sentence_span(sent))
        return any(a.start <= s and e <= a.end for a in self.found[:before])

    def _root_not_covered(self, sent: Span, before: int) -> bool:
        """An attribution nested in a sentence that also asserts something of its own
        ("Seoul is weighing a response ... following reports of ...")."""
        root = sent.root
        for a in self.found[before:]:
            if a.rule == "assertion":
                return False
            if a.cue_token == root.i or a.content_start <= root.idx < a.content_end:
                return False
            if a.rule in ("according", "headline", "continued quote", "speaker"):
                return False
        return root.pos_ in ("VERB", "AUX")


def find_attributions(doc: Doc, outlet: Optional[str] = None,
                      author: Optional[str] = None) -> list[Attribution]:
    return AttributionFinder(doc, outlet=outlet, author=author).run()
