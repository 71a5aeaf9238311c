"""`claimledger eval linking DIR`: cross-document linking on full articles grouped by story.

DIR holds `articles.jsonl` (records as `claimledger ingest` reads them, in stream order) and
`gold.jsonl` (one line per article, same order: `url`, `subtopic` = the story, `split`), as
in `../shared/data/ecbplus`. Every article is ingested, in order, into a temporary ledger,
through the real ingest path (reading, NLP, claims, stories, events). Scored with B-cubed
precision, recall and F1 over articles (Bagga & Baldwin 1998), against the gold story:

- `precision`/`recall`/`f1`: an article's cluster is the event holding most of its claims
  (ties: the event that holds its first such claim); an article with no claims by its
  story's main event (the event of its story's main claims: it is in the story, and the
  ledger holds nothing else of it to place), or its story where that has none; one that
  was not stored as its own cluster;
- `story_*`: an article's cluster is its story;
- `tfidf_*`: a baseline in the same run, single-pass clustering of the article texts by
  TF-IDF cosine with each cluster's centroid, at `TFIDF_THRESHOLD` (tuned on the ECB+ train
  topics: 0.2 of 0.1-0.3 in steps of 0.05);
- `singletons_*`: every article its own cluster.

With `split` (e.g. "dev"), only the articles of that split are ingested and scored;
otherwise all are, and each split present is also scored on its own articles
(`<split>_f1`, ...).
"""

from __future__ import annotations

import json
import math
import random
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Optional

from claimledger.evaluate import CorpusError

TFIDF_THRESHOLD = 0.2
TFIDF_WORD = re.compile(r"[^\W\d_]+")


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of clustering `pred` against `gold`, over the items
    of `gold` (item -> cluster label in each)."""
    if not gold:
        raise CorpusError("no gold items to score")
    by_pred: dict[str, list[str]] = {}
    by_gold: dict[str, list[str]] = {}
    for k in gold:
        by_pred.setdefault(pred[k], []).append(k)
        by_gold.setdefault(gold[k], []).append(k)
    p = r = 0.0
    for k in gold:
        both = sum(1 for x in by_pred[pred[k]] if gold[x] == gold[k])
        p += both / len(by_pred[pred[k]])
        r += both / len(by_gold[gold[k]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(directory: str) -> tuple[list[dict], list[dict]]:
    """The article records and their gold lines, checked to be in step."""
    folder = Path(directory)
    out = []
    for name in ("articles.jsonl", "gold.jsonl"):
        path = folder / name
        if not path.is_file():
            raise CorpusError(f"{directory} has no {name} (a linking corpus needs "
                              "articles.jsonl and gold.jsonl)")
        rows = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"cannot read {path}: {exc}") from exc
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise CorpusError(f"{path} line {n} is not JSON: {exc}") from exc
            if not isinstance(row, dict):
                raise CorpusError(f"{path} line {n} is not a JSON object")
            rows.append(row)
        out.append(rows)
    articles, gold = out
    if len(articles) != len(gold):
        raise CorpusError(f"{directory}: {len(articles)} articles but {len(gold)} gold lines")
    for n, (a, g) in enumerate(zip(articles, gold), start=1):
        if "subtopic" not in g:
            raise CorpusError(f"gold.jsonl line {n} has no subtopic")
        if a.get("url") != g.get("url"):
            raise CorpusError(f"line {n}: the article's url {a.get('url')!r} is not the gold "
                              f"line's {g.get('url')!r} (the files are out of step)")
    if not gold:
        raise CorpusError(f"{directory}: no articles")
    return articles, gold


def tfidf_clusters(texts: list[str], threshold: float = TFIDF_THRESHOLD) -> list[int]:
    """Single-pass clustering: each text joins the cluster whose centroid (the sum of its
    members' unit TF-IDF vectors) it is most similar to, at `threshold` or above, else
    starts one. IDF over all the texts."""
    bags = [Counter(w.casefold() for w in TFIDF_WORD.findall(t)) for t in texts]
    df: Counter = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    centroids: list[dict[str, float]] = []
    norms: list[float] = []
    out = []
    for bag in bags:
        raw = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in bag.items()}
        length = math.sqrt(sum(x * x for x in raw.values())) or 1.0
        vec = {w: x / length for w, x in raw.items()}
        best, best_score = None, threshold
        for i, c in enumerate(centroids):
            score = sum(x * c.get(w, 0.0) for w, x in vec.items()) / (norms[i] or 1.0)
            if score > best_score:
                best, best_score = i, score
        if best is None:
            centroids.append({})
            norms.append(0.0)
            best = len(centroids) - 1
        c = centroids[best]
        for w, x in vec.items():
            c[w] = c.get(w, 0.0) + x
        norms[best] = math.sqrt(sum(x * x for x in c.values()))
        out.append(best)
    return out


def article_cluster(events: list[str], story: str, story_main: Optional[str]) -> str:
    """An article's cluster at the event level: of `events` (the event of each of its
    claims, in text order) the one holding most (ties: the first); with no claims, its
    story's main event `story_main`, or else `story`."""
    if events:
        counted = Counter(events)
        top = max(counted.values())
        return next(e for e in events if counted[e] == top)
    return story_main or story


def evaluate(directory: str, *, split: Optional[str] = None, limit: Optional[int] = None,
             predictions: Optional[str] = None, progress: bool = False,
             settings=None, shuffle: Optional[int] = None) -> dict:
    """Ingest the articles of `directory` (those of `split`; the first `limit`) as one
    stream, in the file's order or one shuffled with seed `shuffle`, and score the events
    and stories against the gold stories, beside a TF-IDF single-pass baseline over the
    same order and singletons."""
    from claimledger.ingest.formats import read_record
    from claimledger.ledger import Ledger

    articles, gold = load(directory)
    rows = [(a, g) for a, g in zip(articles, gold) if split is None or g.get("split") == split]
    if not rows:
        raise CorpusError(f"{directory}: no articles in split {split!r}")
    rows = rows[:limit] if limit else rows
    if shuffle is not None:
        random.Random(shuffle).shuffle(rows)
    keys = [f"a{i}" for i in range(len(rows))]
    truth = {k: str(g["subtopic"]) for k, (_, g) in zip(keys, rows)}
    with tempfile.TemporaryDirectory(prefix="claimledger-linking-") as tmp:
        with Ledger(str(Path(tmp) / "linking.db"), settings=settings) as ledger:
            items = [read_record(a, k) for k, (a, _) in zip(keys, rows)]
            report = ledger.ingest_articles(items, progress=progress)
            doc_of = {r["origin"]: r["id"] for r in ledger.store.documents()}
            story_of_doc = ledger.store.document_story()
            event_of = ledger.store.claim_events()
            claims_of = ledger.store.document_claims()
            sizes = Counter(event_of.values())
            main_of = {}  # the main event of each story an article without claims is in
            for doc in set(doc_of.values()) - set(claims_of):
                sid = story_of_doc.get(doc)
                profile = json.loads(ledger.store.story_profile(sid) or "{}") if sid else {}
                if profile.get("main_event"):
                    main_of[sid] = ledger.store.resolve(profile["main_event"])
            counts = ledger.store.counts()
            stories = ledger.store.counts(("stories",))["stories"]
    events: dict[str, str] = {}
    stories_pred: dict[str, str] = {}
    for k in keys:
        doc = doc_of.get(k)
        story = story_of_doc.get(doc) if doc else None
        stories_pred[k] = story or f"alone:{k}"
        linked = [event_of[c] for c in claims_of.get(doc, []) if c in event_of] if doc else []
        events[k] = article_cluster(linked, stories_pred[k], main_of.get(story or ""))
    baseline = tfidf_clusters([str(a.get("text") or "") for a, _ in rows])
    tfidf = {k: f"t{c}" for k, c in zip(keys, baseline)}
    alone = {k: k for k in keys}
    result: dict = {"articles": len(rows), "stored": report.stored,
                    "not_stored": len(rows) - sum(1 for k in keys if k in doc_of),
                    "claims": sum(sizes.values())}
    result["method"] = ("B-cubed over articles against the gold story; an article's "
                        "cluster: the event holding most of its claims")
    result["order"] = "file" if shuffle is None else f"shuffled, seed {shuffle}"
    _scores(result, "", events, truth)
    _scores(result, "story_", stories_pred, truth)
    _scores(result, "tfidf_", tfidf, truth)
    _scores(result, "singletons_", alone, truth)
    result["events"] = counts["events"]
    result["stories"] = stories
    result["largest_event_claims"] = max(sizes.values()) if sizes else 0
    result["largest_event_share"] = (max(sizes.values()) / sum(sizes.values())) if sizes else 0.0
    splits = sorted({str(g.get("split")) for _, g in rows if g.get("split")})
    if split is None and len(splits) > 1:
        for name in splits:
            part = {k: truth[k] for k, (_, g) in zip(keys, rows) if g.get("split") == name}
            _scores(result, f"{name}_", events, part)
            _scores(result, f"{name}_tfidf_", tfidf, part)
    if predictions:
        out = Path(predictions)
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "predictions.jsonl", "w", encoding="utf-8") as fh:
            for k, (a, _) in zip(keys, rows):
                fh.write(json.dumps({"url": a.get("url"), "gold": truth[k], "event": events[k],
                                     "story": stories_pred[k], "tfidf": tfidf[k]}) + "\n")
    return result


def _scores(result: dict, prefix: str, pred: dict[str, str], gold: dict[str, str]) -> None:
    p, r, f = bcubed(pred, gold)
    result[f"{prefix}precision"], result[f"{prefix}recall"], result[f"{prefix}f1"] = p, r, f
