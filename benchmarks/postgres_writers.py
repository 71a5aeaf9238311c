"""Concurrent writers on a PostgreSQL ledger: articles/s and lock waits with 1 and 2 ingest
processes, and one writer into an SQLite file as the baseline, in the same run.

The first --limit articles of ../shared/data/polnear/train/text (read in place), ingested
with --workers 0 (each process parses its own articles, as one ingest per machine would):

  sqlite     one process, all articles, into a fresh SQLite file
  pg-1       one process, all articles, into a fresh PostgreSQL database
  pg-2       two processes at once, each half of the articles (alternate files), into one
             fresh PostgreSQL database

Each process loads and warms its pipeline first, untimed, then all start together; the time
is from that start until the last process is done. Reported per variant: articles/s, and for
PostgreSQL the write transactions that waited for another writer's lock and the seconds they
waited (`PostgresStore.lock_waits`, `lock_wait_seconds`), the write transactions and the
seconds they held the lock (`locks_held`, `lock_held_seconds`), and from those the ceiling
the lock puts on any number of writers: articles / seconds held. The writes of one document
(check, link, store) hold the lock; parsing does not.

Needs a server: --server URL (a maintenance database such as .../postgres; the benchmark
creates and drops its own databases), e.g. from scripts/postgres-server.
Run from the repository root:
  .venv/bin/python benchmarks/postgres_writers.py --server postgresql://postgres@127.0.0.1:5433/postgres
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "data" / "polnear" / "train" / "text"

CHILD = r"""
import json, sys, time
from pathlib import Path
from claimledger import Ledger
db, start_flag, files = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
with Ledger(db) as ledger:
    ledger.nlp  # load and warm the pipeline untimed
    list(ledger.nlp.pipe(["Officials said on Monday that the bridge in Kyiv would close."]))
    print("ready", flush=True)
    while not start_flag.exists():
        time.sleep(0.01)
    t0 = time.perf_counter()
    report = ledger.ingest(files, workers=0)
    took = time.perf_counter() - t0
    print(json.dumps({"seconds": took, "stored": report.stored, "claims": report.claims,
                      "lock_waits": getattr(ledger.store, "lock_waits", 0),
                      "lock_wait_seconds": getattr(ledger.store, "lock_wait_seconds", 0.0),
                      "locks": getattr(ledger.store, "locks_held", 0),
                      "lock_held_seconds": getattr(ledger.store, "lock_held_seconds", 0.0)}))
"""


def run(targets: list[tuple[str, list[str]]]) -> dict:
    """Start one process per (ledger, files), wait until all are ready, start them at once."""
    with tempfile.TemporaryDirectory() as tmp:
        flag = Path(tmp) / "go"
        procs = [subprocess.Popen([sys.executable, "-c", CHILD, db, str(flag), *files],
                                  stdout=subprocess.PIPE, text=True, cwd=REPO)
                 for db, files in targets]
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        t0 = time.perf_counter()
        flag.touch()
        results = []
        for p in procs:
            out, _ = p.communicate()
            if p.returncode:
                raise SystemExit(f"a writer failed (exit {p.returncode})")
            results.append(json.loads(out.strip().splitlines()[-1]))
        wall = time.perf_counter() - t0
    stored = sum(r["stored"] for r in results)
    return {"seconds": round(wall, 2), "stored": stored,
            "claims": sum(r["claims"] for r in results),
            "articles_per_s": round(stored / wall, 2),
            "lock_waits": sum(r["lock_waits"] for r in results),
            "lock_wait_s": round(sum(r["lock_wait_seconds"] for r in results), 2),
            "write_transactions": sum(r["locks"] for r in results),
            "lock_held_s": round(sum(r["lock_held_seconds"] for r in results), 2),
            # The articles/s the lock allows at most: every article's writes, one at a time.
            "lock_ceiling_articles_per_s": round(
                stored / max(1e-9, sum(r["lock_held_seconds"] for r in results)), 1)
            if any(r["locks"] for r in results) else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True, help="PostgreSQL URL of a maintenance database")
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--limit", type=int, default=100)
    args = ap.parse_args()
    import psycopg

    files = sorted(str(p) for p in Path(args.corpus).iterdir() if p.is_file())[:args.limit]
    if not files:
        raise SystemExit(f"no articles in {args.corpus}")
    parts = urlsplit(args.server)

    def fresh() -> str:
        name = f"claimledger_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))

    made: list[str] = []
    out = {"articles": len(files), "corpus": args.corpus}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out["sqlite"] = run([(str(Path(tmp) / "bench.db"), files)])
        out["pg-1"] = run([(fresh(), files)])
        db = fresh()  # each process brings the schema up to date before it says "ready"
        out["pg-2"] = run([(db, files[0::2]), (db, files[1::2])])
    finally:
        with psycopg.connect(args.server, autocommit=True) as conn:
            for name in made:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
