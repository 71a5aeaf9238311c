"""`claimledger eval extraction DIR`: article text from HTML pages (article-extraction benchmark).

DIR is laid out as scrapinghub/article-extraction-benchmark: `ground-truth.json` maps a page id
to `{"articleBody": text, "url": ...}` (a missing or null articleBody is an empty text, as in
the benchmark), and the pages are `html/<id>.html.gz` (or `html/<id>.html`); pages that are
not in ground-truth.json are not read. Each page goes through the project's own ingest path,
`claimledger.ingest.read` (gunzip, binary check, decoding, `formats.read_html`: trafilatura, the
split-body recovery, the headline cut and the boilerplate rules), and the stored document text
is compared with `articleBody`.

The scoring is the benchmark's `evaluate.py`, reimplemented:

1. tokens: every `\\w+` match (Unicode word characters; case and accents kept, punctuation
   dropped);
2. shingles: each run of 4 consecutive tokens (a text of 1-3 tokens is one shorter shingle,
   an empty text has none); a page's text is the multiset (bag) of its shingles;
3. per page: tp = shingles in both bags (with multiplicity, min of the two counts),
   fp = predicted but not gold, fn = gold but not predicted; the page's precision is
   tp / (tp + fp) and its recall tp / (tp + fn), both 1.0 when fp = fn = 0;
4. `precision` is the mean page precision over the pages with a non-empty prediction (as in
   the benchmark, a page predicted empty is left out of precision and scores 0 recall);
   `recall` is the mean page recall over the pages with non-empty gold text; `f1` is the
   harmonic mean of these two means (not the mean of per-page F1);
5. `accuracy`: the fraction of pages whose token sequence equals the gold's exactly.

`unigram_precision`, `unigram_recall` and `unigram_f1` are the same computation over single
tokens (a bag of words), a more lenient view that ignores word order.

A page that cannot be read (missing, bad gzip, binary, empty, undecodable) scores as an empty
prediction and is counted in `failed`; a page read but without article text (read_html rejects
it) is an empty prediction counted in `no_text`. Neither stops the run.

With `predictions=DIR`, the texts are written to `DIR/claimledger.json`, one JSON object mapping
page id to `{"articleBody": text}`: the format of the benchmark's `output/*.json`, so its own
`evaluate.py` can score the file (with `limit`, only the first pages are there).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Optional

from claimledger.evaluate import CorpusError

SHINGLE = 4
PREDICTIONS_FILE = "claimledger.json"
_TOKEN = re.compile(r"\w+")

Progress = Optional[Callable[[int, int], None]]


# -- the corpus -----------------------------------------------------------------------------

def load(directory: str) -> dict[str, str]:
    """Page id -> gold article text, in sort order of the ids."""
    path = Path(directory) / "ground-truth.json"
    if not Path(directory).is_dir():
        raise CorpusError(f"{directory} is not a directory")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"{path} not found (a ground-truth.json beside html/ is needed)") \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path} is not valid JSON: {exc.msg} "
                          f"(line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(data, dict) or not data:
        raise CorpusError(f"{path} must be a non-empty JSON object mapping page id to "
                          '{"articleBody": text}')
    gold = {}
    for page_id in sorted(data):
        entry = data[page_id]
        if not isinstance(entry, dict):
            raise CorpusError(f'{path}: page {page_id!r} is not an object with "articleBody"')
        body = entry.get("articleBody")  # missing or null: an empty text, as upstream
        if body is not None and not isinstance(body, str):
            raise CorpusError(f'{path}: page {page_id!r} has an "articleBody" that is not text')
        gold[page_id] = body or ""
    return gold


def page_path(directory: str, page_id: str) -> Optional[Path]:
    """html/<id>.html.gz or html/<id>.html, or None when neither exists."""
    for name in (f"{page_id}.html.gz", f"{page_id}.html"):
        path = Path(directory) / "html" / name
        if path.is_file():
            return path
    return None


def extract(path: Path) -> tuple[str, Optional[str]]:
    """(article text, None) through the ingest path, or ("", reason) when there is none."""
    from claimledger.ingest import read
    from claimledger.ingest.formats import NO_TEXT
    from claimledger.models import Article, Rejected

    records = list(read([str(path)]))
    for record in records:
        if isinstance(record, Article):
            return record.text, None
    # No article among them: every record is a Rejected one.
    reason = next((r.reason for r in records if isinstance(r, Rejected)), "nothing read")
    return "", ("no text" if reason == NO_TEXT else reason)


# -- the scorer -----------------------------------------------------------------------------

def tokens(text: Optional[str]) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: Optional[str], n: int = SHINGLE) -> Counter:
    """The bag of n-token shingles of `text` (one shorter shingle for a text under n tokens)."""
    words = tokens(text)
    return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))
                   if words[i:i + n])


def match(gold: str, predicted: str, n: int = SHINGLE) -> tuple[int, int, int]:
    """(tp, fp, fn) of one page over bags of n-token shingles."""
    g, p = shingles(gold, n), shingles(predicted, n)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


def page_scores(tp: int, fp: int, fn: int) -> tuple[Optional[float], Optional[float]]:
    """(precision, recall) of one page as the benchmark scores it; None where it is left out
    of the mean (precision of an empty prediction, recall of an empty gold text)."""
    precision = recall = None
    if tp + fp:
        precision = 1.0 if fp == fn == 0 else tp / (tp + fp)
    if tp + fn:
        recall = 1.0 if fp == fn == 0 else tp / (tp + fn)
    return precision, recall


def summarise(counts: Iterable[tuple[int, int, int]], prefix: str = "") -> dict[str, float]:
    """`<prefix>precision`, `<prefix>recall` (means over pages) and `<prefix>f1` (their
    harmonic mean) from per-page (tp, fp, fn)."""
    precisions, recalls = [], []
    for tp, fp, fn in counts:
        p, r = page_scores(tp, fp, fn)
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}precision": p, f"{prefix}recall": r, f"{prefix}f1": f}


def score(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """The benchmark's metrics for `predicted` (page id -> text; a missing id is empty)."""
    result = summarise(match(text, predicted.get(pid, "")) for pid, text in gold.items())
    result["accuracy"] = (sum(tokens(text) == tokens(predicted.get(pid, ""))
                              for pid, text in gold.items()) / len(gold)) if gold else 0.0
    result.update(summarise((match(text, predicted.get(pid, ""), 1)
                             for pid, text in gold.items()), prefix="unigram_"))
    return result


# -- the command ----------------------------------------------------------------------------

def method_name() -> str:
    try:
        from importlib.metadata import version

        traf = f"trafilatura {version('trafilatura')}"
    except Exception:  # noqa: BLE001 - a label only
        traf = "trafilatura"
    return (f"claimledger.ingest.read -> formats.read_html ({traf} + boilerplate rules); "
            f"benchmark scorer, {SHINGLE}-token shingles")


def evaluate(directory: str, *, predictions: Optional[str] = None, limit: Optional[int] = None,
             progress: Progress = None,
             extractor: Optional[Callable[[Path], tuple[str, Optional[str]]]] = None) -> dict:
    """Score the article text of every page in `directory` (see the module docstring).

    `extractor` (path -> (text, failure reason or None)) replaces the ingest path, for
    comparing variants; `limit` scores the first N page ids in sort order.
    """
    gold = load(directory)
    if limit:
        gold = dict(list(gold.items())[:limit])
    extractor = extractor or extract
    texts: dict[str, str] = {}
    failed = no_text = 0
    for done, page_id in enumerate(gold, start=1):
        path = page_path(directory, page_id)
        reason: Optional[str]
        if path is None:
            text, reason = "", "no such page"
        else:
            try:
                text, reason = extractor(path)
            except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run
                text, reason = "", f"{type(exc).__name__}: {exc}"
        if reason == "no text":
            no_text += 1
        elif reason:
            failed += 1
        texts[page_id] = text or ""
        if progress:
            progress(done, len(gold))
    if predictions:
        out = Path(predictions)
        out.mkdir(parents=True, exist_ok=True)
        (out / PREDICTIONS_FILE).write_text(
            json.dumps({pid: {"articleBody": text} for pid, text in texts.items()},
                       ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    result: dict[str, float | str] = dict(score(gold, texts))
    result.update(pages=len(gold), failed=failed, no_text=no_text, method=method_name())
    return result
