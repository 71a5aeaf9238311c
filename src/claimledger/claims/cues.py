"""`claimledger.cues.v1`: a learned detector of attribution cues, beside the cue lexicon.

The lexicon (`lexicon.CUE_VERBS`) knows the reporting verbs; attribution in news reaches
further: "called for", "wants to", "criticized", "agreed that", "is confident that". This
model scores each verb by how likely it is the head of an attribution cue, from its lemma,
its dependents (a clause, an infinitive, an object, a subject that is a person), its head
and its neighbours. It is a binary logistic regression over named features, trained on
PolNeAR's training split by `scripts/train_cues.py`; the weights ship in
`claims/data/cues_v1.json` and are read with the standard library only.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

from spacy.tokens import Token

from claimledger.claims import lexicon

MODEL_NAME = "claimledger.cues.v1"
CANDIDATE_POS = ("VERB", "AUX")
CHILD_DEPS = {"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "agent", "mark", "advcl",
              "acomp", "attr", "dative", "prt", "neg", "aux", "auxpass", "parataxis", "prep"}


def is_candidate(tok: Token) -> bool:
    return tok.pos_ in CANDIDATE_POS and tok.is_alpha


def features(tok: Token, in_quote: bool = False) -> list[str]:
    """The named features of a candidate cue token."""
    lemma = tok.lemma_.lower()
    f = [f"l={lemma}", f"d={tok.dep_}", f"t={tok.tag_}", f"ld={lemma}|{tok.dep_}",
         f"lt={lemma}|{tok.tag_}", f"h={tok.head.lemma_.lower()}|{tok.dep_}",
         f"hp={tok.head.pos_}|{tok.dep_}"]
    if lemma in lexicon.CUE_VERBS:
        f.append("lex")
    if in_quote:
        f.append("inq")
        f.append(f"inq|{lemma}")
    for c in tok.children:
        if c.dep_ not in CHILD_DEPS:
            continue
        f.append(f"c={c.dep_}")
        f.append(f"lc={lemma}|{c.dep_}")
        if c.dep_ == "prep":
            f.append(f"lp={lemma}|{c.lower_}")
        elif c.dep_ in ("nsubj", "nsubjpass"):
            kind = c.ent_type_ or c.pos_
            f.append(f"s={kind}")
            f.append(f"ls={lemma}|{kind}")
        elif c.dep_ == "mark":
            f.append(f"m={c.lower_}")
        elif c.dep_ in ("ccomp", "xcomp"):
            f.append(f"lcp={lemma}|{c.dep_}|{c.pos_}")
    doc = tok.doc
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
    f += [f"prev={prev}", f"next={nxt}", f"lnext={lemma}|{nxt}"]
    return f


class CueModel:
    """Binary logistic regression over named features."""

    def __init__(self, weights: dict[str, float], bias: float, threshold: float = 0.5):
        self.weights = weights
        self.bias = bias
        self.threshold = threshold

    def probability(self, feats: Sequence[str]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) for name in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def is_cue(self, tok: Token, in_quote: bool = False) -> bool:
        return is_candidate(tok) and self.probability(features(tok, in_quote)) >= self.threshold

    @classmethod
    def train(cls, rows: Sequence[Sequence[str]], labels: Sequence[int], *, min_count: int = 2,
              l2: float = 1e-4, epochs: int = 200, rate: float = 0.1) -> "CueModel":
        """Full-batch Adam on the logistic loss with L2, on sparse rows (numpy; deterministic)."""
        import numpy as np

        counts: dict[str, int] = {}
        for row in rows:
            for name in set(row):
                counts[name] = counts.get(name, 0) + 1
        names = sorted(n for n, c in counts.items() if c >= min_count)
        index = {n: i for i, n in enumerate(names)}
        cols: list[int] = []
        starts: list[int] = []
        for row in rows:
            starts.append(len(cols))
            cols.extend(sorted({index[n] for n in row if n in index}))
        cols_a = np.array(cols, dtype=np.int64)
        row_of = np.repeat(np.arange(len(rows)), np.diff(np.append(starts, len(cols))))
        y = np.asarray(labels, dtype=np.float64)
        w = np.zeros(len(names) + 1)  # the last one is the bias
        m = np.zeros_like(w)
        v = np.zeros_like(w)
        n = len(rows)
        for step in range(1, epochs + 1):
            z = np.bincount(row_of, weights=w[cols_a], minlength=n) + w[-1]
            p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
            err = p - y
            grad = np.zeros_like(w)
            np.add.at(grad, cols_a, err[row_of])
            grad[-1] = err.sum()
            grad /= n
            grad[:-1] += l2 * w[:-1]
            m = 0.9 * m + 0.1 * grad
            v = 0.999 * v + 0.001 * grad * grad
            w -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
        weights = {name: round(float(w[i]), 4) for name, i in index.items()
                   if abs(w[i]) >= 1e-3}
        return cls(weights, round(float(w[-1]), 4))

    def to_json(self) -> str:
        return json.dumps({"model": MODEL_NAME, "bias": self.bias, "threshold": self.threshold,
                           "weights": self.weights}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "CueModel":
        data = json.loads(text)
        return cls(data["weights"], data["bias"], data.get("threshold", 0.5))


@lru_cache(maxsize=1)
def shipped() -> Optional[CueModel]:
    """The shipped model, or None where its weights are absent."""
    try:
        text = resources.files("claimledger.claims").joinpath("data/cues_v1.json").read_text()
    except (FileNotFoundError, OSError):
        return None
    return CueModel.from_json(text)
