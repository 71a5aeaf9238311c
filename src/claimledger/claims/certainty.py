"""Certainty as FactBank factuality values.

A value is a strength (CT certain, PR probable, PS possible, U uncommitted) and a polarity.
Values combine by taking the weakest strength and multiplying polarities, so a report of a
report is never surer than either step: relaying never upgrades certainty.
"""

from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Token

from claimledger.claims import lexicon
from claimledger.claims.text import doc_text

STRENGTH_RANK = {"CT": 3, "PR": 2, "PS": 1, "U": 0}
NEGATIONS = {"not", "n't", "n’t", "never", "no", "neither", "nor", "without"}


def split(value: str) -> tuple[str, int]:
    """'PR-' -> ('PR', -1); 'Uu' -> ('U', 0)."""
    if value == "Uu":
        return "U", 0
    return value[:2], (1 if value[2] == "+" else -1)


def join(strength: str, polarity: int) -> str:
    if strength == "U" or polarity == 0:
        return "Uu"
    return strength + ("+" if polarity > 0 else "-")


def combine(*values: Optional[str]) -> str:
    """The weakest strength of all values; polarities multiply (a denial of a denial asserts)."""
    strength, polarity = "CT", 1
    for value in values:
        if not value:
            continue
        s, p = split(value)
        if STRENGTH_RANK[s] < STRENGTH_RANK[strength]:
            strength = s
        polarity *= p
    return join(strength, polarity)


def strength_only(value: str) -> str:
    """An outer report limits how sure an inner claim can be, not which way it points:
    'PR-' -> 'PR+'; 'Uu' stays 'Uu'."""
    strength, _ = split(value)
    return join(strength, 1) if strength != "U" else "Uu"


def polarity_word(value: str) -> str:
    s, p = split(value)
    return "underspecified" if p == 0 else ("positive" if p > 0 else "negative")


def is_negated(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in NEGATIONS and c.dep_ in ("advmod", "neg", "det")
               for c in token.children)


def _hedges(tokens: Iterable[Token]) -> list[str]:
    return [lexicon.HEDGE_WORDS[t.lower_] for t in tokens if t.lower_ in lexicon.HEDGE_WORDS]


def clause_certainty(root: Token) -> str:
    """How certain a clause headed by `root` is stated, from its own wording.

    Reads the modal auxiliaries ("may have been killed" PS+), negation, hedging adverbs
    ("potentially", "reportedly"), raising predicates ("are expected to arrive" PR+), an
    uncertain predicate ("it is unclear how ..." Uu), a hedged subject ("the alleged
    deployment" PS+) and a question mark.
    """
    values: list[str] = []
    polarity = 1
    chain = [root]
    # Follow "expected to arrive", "is likely to deploy" down to the main verb.
    node = root
    while True:
        nxt = [c for c in node.children if c.dep_ in ("xcomp",) and c.pos_ in ("VERB", "AUX")]
        if not nxt:
            break
        node = nxt[0]
        chain.append(node)
    for verb in chain:
        for child in verb.children:
            low = child.lower_
            if child.dep_ in ("aux", "auxpass") and low in lexicon.MODAL_CERTAINTY:
                values.append(lexicon.MODAL_CERTAINTY[low])
            elif child.dep_ == "neg" or (child.dep_ == "advmod" and low in ("never", "not")):
                polarity = -polarity
            elif child.dep_ in ("advmod", "npadvmod") and low in lexicon.HEDGE_WORDS:
                values.append(lexicon.HEDGE_WORDS[low])
            elif child.dep_ in ("acomp", "attr") and child.lower_ in lexicon.UNCERTAIN_PREDICATES:
                values.append("Uu")
            elif child.dep_ in ("acomp",) and child.lemma_.lower() in lexicon.RAISING_PREDICATES:
                values.append(lexicon.RAISING_PREDICATES[child.lemma_.lower()])
                if any(g.dep_ == "neg" for g in child.children):
                    polarity = -polarity
            elif child.dep_ in ("nsubj", "nsubjpass"):
                values.extend(_hedges(t for t in child.subtree if t.dep_ in ("amod", "advmod")))
        if verb.i != root.i and verb.head.lemma_.lower() in lexicon.RAISING_PREDICATES:
            values.append(lexicon.RAISING_PREDICATES[verb.head.lemma_.lower()])
    if root.lemma_.lower() in lexicon.UNCERTAIN_PREDICATES:
        values.append("Uu")
    sent = root.sent
    # The sentence's characters from the Doc's text, not `sent.text`: that joins every word
    # anew, a cost per claim that grows with the sentence (hostile one-sentence inputs).
    if doc_text(root.doc)[sent.start_char:sent.end_char].rstrip().rstrip("”\"’'").endswith(
            "?"):
        values.append("Uu")
    return combine(*values, "CT+" if polarity > 0 else "CT-")


def cue_certainty(cue: Token) -> str:
    """The commitment the source shows through the cue verb, negation included.

    "said" CT+, "expects" PR+, "suggest" PS+, "denied" CT-; a negated cue ("couldn't
    confirm", "did not say") leaves the source uncommitted (Uu), and so does a modal on a
    positive cue ("may confirm").
    """
    base = lexicon.CUE_VERBS.get(cue.lemma_.lower(), lexicon.CUE_NOUN_CERTAINTY.get(cue.lower_, "CT+"))
    if is_negated(cue):
        if base.endswith("-"):  # "did not deny": no commitment either way
            return "Uu"
        return lexicon.NEGATED_CUE
    modals = [lexicon.MODAL_CERTAINTY[c.lower_] for c in cue.children
              if c.dep_ == "aux" and c.lower_ in lexicon.MODAL_CERTAINTY]
    return combine(base, *modals)
