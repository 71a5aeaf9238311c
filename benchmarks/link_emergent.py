"""Event linking on real headlines: Emergent's article headlines, grouped by the claim (rumour)
each one reports on, against the events claimledger links them into.

Each headline is ingested as a one-line article (all on one day, as Emergent gives no dates),
through the whole pipeline: claims, PLOVER types, places, then incremental linking. A
headline's event is the event of its first claim. Scored with B-cubed precision and recall
over headlines, against Emergent's claimId, for several link thresholds in one run.

Baselines in the same run: every headline its own event (precision 1), and headlines
grouped by the exact same content words (bag of words, at least 60% shared).

Run from the repository root:
  .venv/bin/python benchmarks/link_emergent.py ../shared/data/emergent/train.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

from claimledger import Ledger
from claimledger.assess.origins import words
from claimledger.evaluate import linking
from claimledger.models import Article
from claimledger.settings import Settings


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    p, r, f = linking.bcubed(pred, gold)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "events": len(set(pred[k] for k in gold)), "claims": len(set(gold.values()))}


def read(path: str, limit: int | None) -> list[tuple[str, str, str]]:
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.append((f"h{len(rows)}", row["claimId"], row["articleHeadline"].strip()))
    return rows[:limit] if limit else rows


def link(rows, threshold: float) -> tuple[dict[str, str], float]:
    tmp = tempfile.mkdtemp(prefix="claimledger-emergent-")
    settings = Settings.load(min_words=1, link_threshold=threshold)
    events: dict[str, str] = {}
    t0 = time.perf_counter()
    with Ledger(str(Path(tmp) / "l.db"), settings=settings) as ledger:
        docs: dict[str, str] = {}
        articles = [Article(text=text, published_at="2014-09-01", origin=hid,
                            language="en") for hid, _, text in rows]
        ledger.ingest_articles(articles, on_document=lambda d: None)
        event_of = ledger.store.claim_events()
        for row in ledger.store.db.execute(
                "SELECT d.origin, c.id FROM documents d JOIN claims c ON c.document_id = d.id "
                "ORDER BY d.origin, c.start"):
            docs.setdefault(row[0], row[1])
        # An exact repeat of an earlier headline is not stored again (same content): it
        # takes the event of the first headline with the same text.
        first_with: dict[str, str] = {}
        for hid, _, text in rows:
            first_with.setdefault(text, hid)
        for hid, _, text in rows:
            cid = docs.get(first_with[text])
            events[hid] = event_of.get(cid, f"none:{hid}") if cid else f"none:{hid}"
    return events, time.perf_counter() - t0


def words_baseline(rows) -> dict[str, str]:
    groups: list[tuple[set[str], str]] = []
    out = {}
    for hid, _, text in rows:
        w = words(text)
        home = next((g for ws, g in groups if w and ws and
                     len(w & ws) / min(len(w), len(ws)) >= 0.6), None)
        if home is None:
            home = hid
            groups.append((w, hid))
        out[hid] = home
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--thresholds", default="0.25,0.35,0.45")
    args = ap.parse_args()
    rows = read(args.file, args.limit)
    gold = {hid: claim for hid, claim, _ in rows}
    out = {"headlines": len(rows),
           "baseline_each_its_own": bcubed({h: h for h in gold}, gold),
           "baseline_shared_words": bcubed(words_baseline(rows), gold)}
    for t in (float(x) for x in args.thresholds.split(",")):
        pred, seconds = link(rows, t)
        out[f"claimledger_threshold_{t}"] = {**bcubed(pred, gold), "seconds": round(seconds, 1)}
        print(json.dumps({t: out[f"claimledger_threshold_{t}"]}), file=sys.stderr)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
