"""Evaluation commands: one per capability, each over a corpus path given on the command line.

Every `evaluate(...)` returns a flat dict of metrics (fractions between 0 and 1, plus counts and
a `method` string); with `predictions=DIR` it also writes its raw predictions in the corpus's own
format, so that a standard scorer can check the numbers independently.
"""

from __future__ import annotations

from typing import Iterable

from claimledger.errors import ClaimledgerError


class CorpusError(ClaimledgerError, ValueError):
    """The corpus path is missing, unreadable or not in the expected format."""


def prf(matched: float, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from a count of matches (0.0 where undefined)."""
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def add_prf(result: dict, prefix: str, matched: float, predicted: int, gold: int) -> None:
    """Store `<prefix>precision`, `<prefix>recall` and `<prefix>f1` in `result`."""
    p, r, f = prf(matched, predicted, gold)
    result[f"{prefix}precision"], result[f"{prefix}recall"], result[f"{prefix}f1"] = p, r, f


def greedy_pairs(pairs: Iterable[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one (predicted, gold) pairs from scored candidates `(score, i, j)`, best score
    first (ties by position)."""
    taken_p: set[int] = set()
    taken_g: set[int] = set()
    out = []
    for _, i, j in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if i not in taken_p and j not in taken_g:
            taken_p.add(i)
            taken_g.add(j)
            out.append((i, j))
    return out
