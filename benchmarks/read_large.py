"""Reading a very large ledger: the claim filters an analyst types, the events listing, one
dossier and the export, on a ledger of any size (made, for 1M claims, by
`benchmarks/link_speed.py --claims 1000000 --keep`).

For each kind of query, 30 different values drawn from the ledger itself (seed 7), each run
once after one untimed warm-up run of the first:

  search     Ledger.claims(search=WORD, limit=50): full text (claims_fts), a word of some
             claim's content
  source     Ledger.claims(source=PART, limit=50): a part of a source's name (the name index,
             claim_names), and the same query as a LIKE scan of every claim (how it was
             before the name index) as the baseline, in the same run
  place      Ledger.claims(place=PART, limit=50), and its LIKE-scan baseline
  *_all      the same filters without a limit: every matching id (Store.find_claim_ids)
  events     Ledger.events(limit=50): the largest events with their stored assessments
  dossier    Ledger.event(ID) for the largest event and 29 others drawn at random
  export     (with --export) claimledger export -o FILE, all claims and events, once

Reported: p50, p95 and the slowest, in milliseconds, and how many claims each query found.

Run from the repository root:  .venv/bin/python benchmarks/read_large.py LEDGER.db [--export]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
N = 30


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return 1000 * (time.perf_counter() - t0), out


def summary(values: list[tuple[float, int]]) -> dict:
    ms = sorted(v for v, _ in values)
    found = [n for _, n in values]
    return {"p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))], 1),
            "max_ms": round(ms[-1], 1), "found_median": int(statistics.median(found))}


def scan(store, column: str, text: str) -> list[str]:
    """The filter as it was before the name index: LIKE over every claim."""
    from claimledger.store.sqlite import like_escape

    pattern = f"%{like_escape(text)}%"
    like = store._contains(text)[0].split()[0]  # the engine's own: LIKE, or ILIKE
    if column == "source":
        cond = (f"(s.name {like} ? ESCAPE '\\' OR s.affiliation {like} ? ESCAPE '\\' "
                f"OR c.source_phrase {like} ? ESCAPE '\\')")
        args: tuple = (pattern,) * 3
    else:
        cond = ("EXISTS (SELECT 1 FROM claim_places p WHERE p.claim_id = c.id AND "
                f"(p.name {like} ? ESCAPE '\\' OR p.text {like} ? ESCAPE '\\' "
                "OR p.country_code = ?))")
        args = (pattern, pattern, text.upper())
    sql = ("SELECT c.id FROM claims c JOIN sources s ON s.id = c.source_id JOIN documents d "
           f"ON d.id = c.document_id WHERE {cond} ORDER BY d.published_at{store._NULLS_FIRST},"
           " d.id, c.start, c.content_start LIMIT 50")
    return [r[0] for r in store.db.execute(sql, args)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ledger")
    ap.add_argument("--export", action="store_true", help="also time a full export")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    from claimledger import Ledger

    if "://" not in args.ledger and not Path(args.ledger).exists():
        sys.exit(f"no such ledger: {args.ledger}")
    rng = random.Random(args.seed)
    out: dict = {"ledger": args.ledger}
    with Ledger(args.ledger) as ledger:  # a writer: adds the name index to an older ledger
        store = ledger.store
        counts = store.counts()
        out["counts"] = counts
        ids = [r[0] for r in store.db.execute("SELECT id FROM claims ORDER BY rowid")]
        sample = [ids[rng.randrange(len(ids))] for _ in range(N)]
        contents = [store.db.execute("SELECT content FROM claims WHERE id = ?", (i,)).fetchone()[0]
                    for i in sample]
        words = [rng.choice([w for w in c.split() if len(w) > 3] or c.split()) for c in contents]
        sources = [r[0] for r in store.db.execute(
            "SELECT s.name FROM claims c JOIN sources s ON s.id = c.source_id WHERE c.id IN"
            f" ({','.join('?' * len(sample))})", sample)]
        sources = [s[1:] if len(s) > 4 else s for s in (sources * N)[:N]]  # a part of a name
        names = [r[0] for r in store.db.execute("SELECT DISTINCT name FROM claim_places"
                                                "  ORDER BY name")]
        places = [names[rng.randrange(len(names))] for _ in range(N)] if names else []
        places = [p[1:] if len(p) > 4 else p for p in (places * N)[:N]]

        def run(queries, fn) -> dict:
            fn(queries[0])  # warm-up, untimed
            results = []
            for q in queries:
                ms, found = timed(lambda q=q: fn(q))
                results.append((ms, len(found)))
            return summary(results)

        out["search"] = run(words, lambda w: ledger.claims(search=w, limit=50))
        out["search_all"] = run(words, lambda w: store.find_claim_ids(search=w))
        out["source"] = run(sources, lambda s: ledger.claims(source=s, limit=50))
        out["source_all"] = run(sources, lambda s: store.find_claim_ids(source=s))
        out["source_scan_baseline"] = run(sources, lambda s: scan(store, "source", s))
        if places:
            out["place"] = run(places, lambda p: ledger.claims(place=p, limit=50))
            out["place_all"] = run(places, lambda p: store.find_claim_ids(place=p))
            out["place_scan_baseline"] = run(places, lambda p: scan(store, "place", p))
        out["events"] = run([None] * 5, lambda _: ledger.events(limit=50))
        events = [r[0] for r in store.db.execute(
            "SELECT id FROM events WHERE claims > 0 ORDER BY claims DESC, id")]
        chosen = events[:1] + [events[rng.randrange(len(events))] for _ in range(N - 1)]
        out["dossier"] = run(chosen, lambda e: ledger.event(e).claims)
        out["largest_event_claims"] = store.db.execute(
            "SELECT claims FROM events WHERE id = ?", (events[0],)).fetchone()[0]
    if args.export:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "export.jsonl"
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "claimledger.cli", "export", "--db",
                            args.ledger, "-o", str(target)], check=True, cwd=REPO)
            seconds = time.perf_counter() - t0
            claims = out["counts"].get("claims", 0)
            out["export"] = {"seconds": round(seconds, 1),
                             "ms_per_1000_claims": round(1e6 * seconds / max(1, claims), 2),
                             "bytes": target.stat().st_size}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
