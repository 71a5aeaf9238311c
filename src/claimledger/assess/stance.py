"""Stance of a report toward a claim: for, against or observing.

A report's headline is read by the claims pipeline (certainty, polarity, cue and source of
its main claim) and by its wording (lemmas, bigrams, refuting and hedging words, a question
mark, overlap with the claim's own wording). A multinomial logistic regression over those
features, trained by `scripts/train_stance.py`, gives the stance. The shipped weights
(`data/stance_v1.json`) are small and reproducible from that script.

"for": the report asserts the claim ("Nun gives birth to surprise baby"); "against": it
refutes it ("Met police denies reports of Banksy arrest"); "observing": it relays it without
committing ("BMO forecasts 19M Apple Watch sales", "Apple Watch could ...?").
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Optional, Sequence

LABELS = ("for", "against", "observing")
MODEL_NAME = "claimledger.stance.v1"

REFUTING = {"fake", "hoax", "false", "deny", "denies", "denied", "debunk", "debunked",
            "untrue", "myth", "not", "n't", "no", "never", "satire", "satirical", "prank",
            "rumour", "rumor", "refute", "refutes", "dismiss", "dismisses", "reject", "rejects",
            "bogus", "fabricated", "misleading", "wrong", "isn't", "doesn't", "didn't",
            "nothing", "fiction", "fraud", "scam", "phony", "lie", "lies"}
HEDGING = {"reportedly", "allegedly", "apparently", "purportedly", "claim", "claims",
           "claimed", "report", "reports", "reported", "say", "says", "said", "may", "might",
           "could", "possibly", "rumored", "rumoured", "suggest", "suggests", "according",
           "believe", "believed", "if", "whether", "likely", "unconfirmed", "allegation",
           "alleged", "supposedly", "seemingly", "appears", "appear", "source", "sources"}
WORD = re.compile(r"[\w'’]+")


@dataclass
class Reading:
    """What the claims pipeline found in a headline (plain values, no spaCy objects)."""

    certainty: str = "CT+"
    source_kind: str = "author"
    cue: Optional[str] = None
    lemmas: list[str] = field(default_factory=list)


def read_headlines(texts: Sequence[str], nlp) -> list[Reading]:
    """Run the claims pipeline over headlines; one Reading each."""
    out = []
    for doc in nlp.pipe(list(texts), batch_size=64):
        found = [a for a in (doc._.attributions or [])]
        main = max(found, key=lambda a: a.content_end - a.content_start, default=None)
        cue = None
        if main is not None and main.cue_token >= 0:
            cue = doc[main.cue_token].lemma_.lower()
        out.append(Reading(
            certainty=main.certainty if main else "CT+",
            source_kind=main.source.kind if main else "author",
            cue=cue,
            lemmas=[t.lemma_.lower() for t in doc if not (t.is_punct or t.is_space)],
        ))
    return out


def features(headline: str, claim: str, reading: Reading) -> dict[str, float]:
    words = [w.lower() for w in WORD.findall(headline)]
    claim_words = {w.lower() for w in WORD.findall(claim)}
    f: dict[str, float] = {"bias": 1.0}
    for lemma in reading.lemmas:
        f["w:" + lemma] = 1.0
    for a, b in zip(reading.lemmas, reading.lemmas[1:]):
        f[f"b:{a}_{b}"] = 1.0
    f["certainty:" + reading.certainty] = 1.0
    f["source:" + reading.source_kind] = 1.0
    if reading.cue:
        f["cue:" + reading.cue] = 1.0
    refuting = sum(w in REFUTING for w in words)
    hedging = sum(w in HEDGING for w in words)
    if refuting:
        f["refuting"] = min(refuting, 3) / 3
    if hedging:
        f["hedging"] = min(hedging, 3) / 3
    if headline.rstrip().endswith("?") or "?" in headline:
        f["question"] = 1.0
    if words:
        overlap = len(set(words) & claim_words) / len(set(words) | claim_words)
        for cut in (0.1, 0.3, 0.5):
            if overlap >= cut:
                f[f"overlap>={cut}"] = 1.0
    claim_neg = any(w in REFUTING for w in claim_words)
    if refuting and not claim_neg:
        f["negation_not_in_claim"] = 1.0
    return f


class StanceModel:
    """Multinomial logistic regression over named features."""

    def __init__(self, weights: dict[str, list[float]], labels: Sequence[str] = LABELS):
        self.weights = weights
        self.labels = tuple(labels)

    def scores(self, f: dict[str, float]) -> list[float]:
        z = [0.0] * len(self.labels)
        for name, value in f.items():
            w = self.weights.get(name)
            if w is not None:
                for k in range(len(z)):
                    z[k] += w[k] * value
        top = max(z)
        exp = [math.exp(v - top) for v in z]
        total = sum(exp)
        return [v / total for v in exp]

    def predict(self, f: dict[str, float]) -> str:
        s = self.scores(f)
        return self.labels[s.index(max(s))]

    @classmethod
    def train(cls, rows: Sequence[dict[str, float]], labels: Sequence[str], *,
              min_count: int = 2, l2: float = 1e-3, epochs: int = 300,
              rate: float = 0.5) -> "StanceModel":
        """Full-batch gradient descent on the softmax loss with L2 (numpy; deterministic)."""
        import numpy as np

        counts: dict[str, int] = {}
        for f in rows:
            for name in f:
                counts[name] = counts.get(name, 0) + 1
        names = sorted(n for n, c in counts.items() if c >= min_count or n == "bias")
        index = {n: i for i, n in enumerate(names)}
        x = np.zeros((len(rows), len(names)), dtype=np.float64)
        for r, f in enumerate(rows):
            for name, value in f.items():
                i = index.get(name)
                if i is not None:
                    x[r, i] = value
        y = np.zeros((len(rows), len(LABELS)))
        for r, label in enumerate(labels):
            y[r, LABELS.index(label)] = 1.0
        w = np.zeros((len(names), len(LABELS)))
        m = np.zeros_like(w)
        v = np.zeros_like(w)
        for step in range(1, epochs + 1):  # Adam
            z = x @ w
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            grad = x.T @ (p - y) / len(rows) + l2 * w
            m = 0.9 * m + 0.1 * grad
            v = 0.999 * v + 0.001 * grad * grad
            w -= rate * 0.1 * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
        return cls({n: [round(float(a), 5) for a in w[i]] for n, i in index.items()})

    def to_json(self) -> str:
        return json.dumps({"model": MODEL_NAME, "labels": list(self.labels),
                           "weights": self.weights}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "StanceModel":
        data = json.loads(text)
        return cls(data["weights"], data["labels"])

    @classmethod
    def shipped(cls) -> "StanceModel":
        text = resources.files("claimledger.assess").joinpath("data/stance_v1.json").read_text()
        return cls.from_json(text)


def accuracy_and_macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    n = len(gold)
    correct = sum(g == p for g, p in zip(gold, predicted))
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return {"accuracy": correct / n if n else 0.0, "macro_f1": sum(f1s) / len(f1s),
            **{f"f1_{label}": f for label, f in zip(LABELS, f1s)}, "n": n}


def folds_by_claim(claim_ids: Sequence[str], k: int) -> list[int]:
    """Fold number per row, so that no claim is in two folds (stable: sorted claim ids,
    dealt round-robin)."""
    order = sorted(set(claim_ids))
    fold_of = {cid: i % k for i, cid in enumerate(order)}
    return [fold_of[cid] for cid in claim_ids]
