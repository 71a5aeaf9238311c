"""Ingest's peak memory as the ledger grows: every article of ../shared/data (the stream of
link_all_corpora.py: a fixed shuffled order, every other article undated) ingested into one
ledger in equal steps, each step a fresh `Ledger.ingest_articles` in its own process.

For each step: the ledger's size before it (documents, claims, events), the seconds, and the
peak resident memory of the process that dedupes, links and stores (the writer; from the
start of the ingest, after the corpora are read, where Linux lets the peak be reset) and of
the largest worker process that parsed. Flat means the writer's peak does not grow with the
ledger it writes into; the workers' peak is the model and one batch of documents.

Run from the repository root (about 7 minutes on 2 cores, 5 steps):
  .venv/bin/python benchmarks/ingest_memory.py ../shared/data --steps 5
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpora import stream


def size(db: Path) -> dict:
    if not db.exists():
        return {"documents": 0, "claims": 0, "events": 0}
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "claims", "events")}
    finally:
        con.close()


def reset_peak() -> bool:
    """Reset this process's peak resident memory (Linux: `clear_refs` 5 resets VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb(field: str = "VmHWM") -> int:
    """This process's peak (VmHWM) or present (VmRSS) resident memory, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024)
    return 0


def child(args) -> None:
    from claimledger import Ledger

    items = [a for _, a in stream(args.data, args.seed)]
    chunk = -(-len(items) // args.steps)
    part = items[args.child * chunk:(args.child + 1) * chunk]
    del items
    gc.collect()
    reset = reset_peak()  # reading every corpus is not the ingest's memory
    at_start = peak_mb("VmRSS") if reset else None
    t0 = time.perf_counter()
    with Ledger(str(args.db)) as ledger:
        report = ledger.ingest_articles(part, workers=args.workers)
    print(json.dumps({
        "articles": len(part), "stored": report.stored, "skipped": len(report.skipped),
        "seconds": round(time.perf_counter() - t0, 1),
        "writer_peak_mb": peak_mb() if reset else
        round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "writer_peak_is_the_ingest_alone": reset,
        "writer_rss_at_start_mb": at_start,
        "worker_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2,
                    help="parsing processes per step (0: the writer parses too, so its peak "
                         "holds the model)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", type=Path, help="the ledger (default: a temporary file; must not "
                                             "exist yet)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        return child(args)
    db = args.db or Path(tempfile.mkdtemp(prefix="claimledger-memory-")) / "ledger.db"
    if db.exists():
        sys.exit(f"{db} exists: give a new file")
    rows = []
    for step in range(args.steps):
        before = size(db)
        out = subprocess.run(
            [sys.executable, __file__, str(args.data), "--steps", str(args.steps),
             "--workers", str(args.workers), "--seed", str(args.seed), "--db", str(db),
             "--child", str(step)], check=True, capture_output=True, text=True).stdout
        row = {"step": step + 1, "before": before, **json.loads(out.strip().splitlines()[-1])}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps({"db": str(db), "steps": rows, "after": size(db)}, indent=2))


if __name__ == "__main__":
    main()
