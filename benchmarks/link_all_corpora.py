"""Catch-all events: every article of ../shared/data ingested into one ledger as one stream,
with the dates removed from half of them, and the size distribution of the events and
stories it gives.

The articles: PolNeAR (train and dev; dated from their file names), TempEval-3 TBAQ (dated
by their DCT), LGL and GeoVirus (undated), the article-extraction benchmark's pages (through
the ingest path; dated where the page says), ECB+ (one day for all, as the corpus gives) and
Emergent's headlines as one-line articles (undated). In a fixed shuffled order, every other
article loses its date. No event should hold more than 2% of the claims: a catch-all event
("fighting near the city") is what generic words and undated articles compared with every
week produce.

Run from the repository root:
  .venv/bin/python benchmarks/link_all_corpora.py ../shared/data
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from claimledger import Ledger
from corpora import stream


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--db", type=Path, help="keep the ledger in this file (default: a "
                                             "temporary one)")
    args = ap.parse_args()
    items = stream(args.data, args.seed)
    items = items[:args.limit] if args.limit else items
    corpora = Counter(c for c, _ in items)
    print(json.dumps({"articles": len(items), "by_corpus": corpora}), file=sys.stderr)
    db = args.db or Path(tempfile.mkdtemp(prefix="claimledger-all-")) / "all.db"
    t0 = time.perf_counter()
    with Ledger(str(db)) as ledger:
        report = ledger.ingest_articles([a for _, a in items], progress=sys.stderr.isatty())
        seconds = time.perf_counter() - t0
        sizes = Counter(ledger.store.claim_events().values())
        story_sizes = Counter(ledger.store.document_story().values())
        total = sum(sizes.values())
        largest = sizes.most_common(10)
        t1 = time.perf_counter()
        top = ledger.event(largest[0][0]) if largest else None
        dossier_s = time.perf_counter() - t1
    counts = sorted(sizes.values(), reverse=True)
    result = {
        "articles": len(items), "stored": report.stored, "skipped": len(report.skipped),
        "claims": total, "events": len(sizes), "stories": len(story_sizes),
        "largest_event_claims": counts[0] if counts else 0,
        "largest_event_share": round(counts[0] / total, 4) if total else 0.0,
        "top10_event_claims": counts[:10],
        "events_by_size": {"1": sum(1 for n in counts if n == 1),
                           "2-9": sum(1 for n in counts if 2 <= n < 10),
                           "10-99": sum(1 for n in counts if 10 <= n < 100),
                           "100+": sum(1 for n in counts if n >= 100)},
        "largest_story_articles": max(story_sizes.values()) if story_sizes else 0,
        "largest_event_title": top.title[:120] if top else None,
        "largest_event_dossier_s": round(dossier_s, 2),
        "ingest_s": round(seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
