"""Exact and near-duplicate fingerprints of article text (syndication, reposts).

- `content_hash`: sha256 of the case-folded, whitespace-normalised text; equal hashes mean the
  same article, whatever the spacing. Ingest is idempotent on it.
- `shingle_signature`: a MinHash signature of the text's word 5-shingles, so that
  `similarity(a, b)` estimates their Jaccard similarity. It uses one-permutation hashing with
  rotation densification (Li, Owen & Zhang 2012; Shrivastava & Li 2014): each shingle is hashed
  once, into one of `PERMUTATIONS` bins, which makes it a few microseconds per word in pure
  Python instead of 64 hashes per shingle.
- `band_keys`: locality-sensitive hashing bands of the signature; two articles whose
  similarity is above about 0.5 share a band key with high probability, so the store finds
  near-duplicate candidates with an indexed lookup instead of comparing all pairs.

Signature values are below 2**58, so they fit a signed 64-bit SQLite INTEGER.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable, Optional

PERMUTATIONS = 64
SHINGLE_WORDS = 5
BANDS = 16  # 16 bands of 4 rows: candidates from similarity ~0.5 up
ROWS = PERMUTATIONS // BANDS

_VALUE_BITS = 52
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_EMPTY = 1 << 62
_WORD = re.compile(r"\w+")


def content_hash(text: str) -> str:
    """sha256 hex digest of the whitespace-normalised, case-folded text."""
    normal = " ".join(text.casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(text.casefold())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def shingle_signature(text: str) -> list[int]:
    """MinHash signature (PERMUTATIONS ints) of the text's word 5-shingles."""
    bins = [_EMPTY] * PERMUTATIONS
    blake = hashlib.blake2b
    for shingle in _shingles(text):
        h = int.from_bytes(blake(shingle.encode("utf-8"), digest_size=8).digest(), "little")
        b = h % PERMUTATIONS
        v = (h >> 6) & _VALUE_MASK
        if v < bins[b]:
            bins[b] = v
    # densify: an empty bin borrows from the next filled bin, offset by the distance
    for i in range(PERMUTATIONS):
        if bins[i] == _EMPTY:
            for t in range(1, PERMUTATIONS):
                j = (i + t) % PERMUTATIONS
                if bins[j] < (1 << _VALUE_BITS):  # a filled bin, not a borrowed one
                    bins[i] = bins[j] + (t << _VALUE_BITS)
                    break
    return bins


def similarity(sig_a: list[int], sig_b: list[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, 0.0 to 1.0."""
    if not sig_a or len(sig_a) != len(sig_b):
        raise ValueError("signatures must be non-empty and of the same length")
    return sum(a == b for a, b in zip(sig_a, sig_b)) / len(sig_a)


def band_keys(sig: list[int]) -> list[str]:
    """LSH band keys ("03:9f2c..."): articles sharing any key are near-duplicate candidates."""
    keys = []
    for band in range(len(sig) // ROWS):
        rows = sig[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(",".join(map(str, rows)).encode(), digest_size=8).hexdigest()
        keys.append(f"{band:02d}:{digest}")
    return keys


def nearest(sig: list[int], candidates: Iterable[tuple[str, list[int]]],
            threshold: float) -> tuple[Optional[str], float]:
    """The group of the candidate (group, signature) most similar to `sig` at `threshold` or
    above, and the similarity; (None, 0.0) where none is. The candidates are those sharing a
    band key with it (the store's band index), never all documents."""
    best, best_sim = None, 0.0
    for group, other in candidates:
        sim = similarity(sig, other)
        if sim >= threshold and sim > best_sim:
            best, best_sim = group, sim
    return best, best_sim
