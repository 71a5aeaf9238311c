"""Census: every article of ../shared/data ingested as it comes (dates kept), and what became
of each: stored, stored with a warning (a stage that failed on it, by stage), a duplicate, or
rejected (by reason). A document lost to an exception would show as a rejection "could not
be processed" or "could not be read"; a one-line text dropped as "no article text".

Run from the repository root (about ten minutes on two cores):
  .venv/bin/python benchmarks/census.py ../shared/data
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from claimledger import Ledger
from corpora import articles

LOST = ("could not be processed", "could not be read", "unreadable")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    args = ap.parse_args()
    items = articles(args.data)
    corpus_of = {a.origin: c for c, a in items}
    counts: dict[str, Counter] = defaultdict(Counter)
    for c, _ in items:
        counts[c]["articles"] += 1
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimledger-census-") as tmp:
        with Ledger(str(Path(tmp) / "census.db")) as ledger:
            stored: list[str] = []
            report = ledger.ingest_articles(
                [a for _, a in items], progress=sys.stderr.isatty(),
                on_document=stored.append)
            origins = dict(ledger.store.db.execute("SELECT id, origin FROM documents"))
            warnings = [(origins.get(w["document_id"]), w["stage"])
                        for w in ledger.store.warnings()]
    for document_id in stored:
        counts[corpus_of.get(origins.get(document_id), "?")]["stored"] += 1
    reasons: dict[str, Counter] = defaultdict(Counter)
    for r in report.skipped:
        corpus = corpus_of.get(r.origin, "?")
        counts[corpus]["rejected"] += 1
        reasons[corpus][re.sub(r"\d+", "N", r.reason)] += 1
        if r.reason.startswith(LOST):
            counts[corpus]["lost_to_an_exception"] += 1
        if r.reason.startswith("no article text"):
            counts[corpus]["no_article_text"] += 1
    stages: dict[str, Counter] = defaultdict(Counter)
    for origin, stage in warnings:
        corpus = corpus_of.get(origin, "?")
        counts[corpus]["stored_with_warnings"] += 1
        stages[corpus][stage] += 1
    for c in counts:
        counts[c]["duplicates"] = (counts[c]["articles"] - counts[c]["stored"]
                                   - counts[c]["rejected"])
    print(json.dumps({
        "articles": len(items), "stored": report.stored, "duplicates": report.duplicates,
        "rejected": len(report.skipped), "stored_with_warnings": len(report.degraded),
        "lost_to_an_exception": sum(c["lost_to_an_exception"] for c in counts.values()),
        "seconds": round(time.perf_counter() - t0),
        "by_corpus": {c: {**counts[c], "rejected_by_reason": dict(reasons[c].most_common()),
                          "warnings_by_stage": dict(stages[c])} for c in sorted(counts)},
    }, indent=2))


if __name__ == "__main__":
    main()
