"""Reading a large ledger: `events`, every dossier and `export`, at a quarter, half and all of
a ledger, so that one sees whether reads stay flat (per event) and linear (per claim) as it
grows, and what storing the changed events' assessments costs an ingest.

The ledger: one built from every article of ../shared/data in one stream
(`benchmarks/link_all_corpora.py ../shared/data --db all.db`). For each fraction, a copy of
it keeps that share of its documents (every document whose rowid modulo 100 is below the
share; deleting a document deletes its claims and their links) with no assessment stored,
then:

  assess      Ledger.store_assessments() over every event: what an ingest of the whole
              ledger in one run does as it ends
  events      `claimledger events` (table) and `--format jsonl`, in a subprocess (start-up
              included)
  dossiers    Ledger.event(id) for every event with a claim, in this process: median, 95th
              percentile, the slowest; and `claimledger event ID` for the largest event
  export      `claimledger export -o FILE` (JSONL, every claim and event), and its seconds per
              1,000 claims
  baseline    the same `events` and the largest event's dossier with the stored assessments
              deleted: computed from the claims on every read, as before they were stored

Run from the repository root:
  .venv/bin/python benchmarks/read_speed.py all.db [--fractions 0.25,0.5,1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimledger import Ledger

CLI = str(Path(sys.executable).with_name("claimledger"))


def timed(command: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def keep_share(source: Path, target: Path, share: float) -> None:
    shutil.copyfile(source, target)
    con = sqlite3.connect(target)
    con.execute("PRAGMA foreign_keys = ON")
    with con:
        con.execute("DELETE FROM documents WHERE rowid % 100 >= ?", (round(share * 100),))
        con.execute("DELETE FROM event_assessments")
    con.execute("VACUUM")
    con.close()


def measure(db: Path, share: float) -> dict:
    with Ledger(str(db)) as ledger:
        t0 = time.perf_counter()
        assessed = ledger.store_assessments()
        assess_s = time.perf_counter() - t0
        counts = ledger.store.counts()
        ids = ledger.store.find_event_ids(min_claims=1)
        times = []
        for eid in ids:
            t0 = time.perf_counter()
            ledger.event(eid)
            times.append(time.perf_counter() - t0)
    largest = ids[0]
    out = Path(tempfile.mkdtemp(prefix="claimledger-read-")) / "export.jsonl"
    result = {
        "share": share, "documents": counts["documents"], "claims": counts["claims"],
        "events": len(ids),
        "assess_s": round(assess_s, 2), "assessed": assessed,
        "events_s": round(timed([CLI, "events", "--db", str(db)]), 2),
        "events_jsonl_s": round(timed([CLI, "events", "--db", str(db), "--format", "jsonl"]),
                                2),
        "dossier_median_s": round(statistics.median(times), 4),
        "dossier_p95_s": round(sorted(times)[int(0.95 * (len(times) - 1))], 4),
        "dossier_max_s": round(max(times), 3),
        "largest_event_cli_s": round(timed([CLI, "event", largest, "--db", str(db)]), 2),
    }
    export_s = timed([CLI, "export", "--db", str(db), "-o", str(out)])
    result["export_s"] = round(export_s, 2)
    result["export_s_per_1000_claims"] = round(1000 * export_s / max(1, counts["claims"]), 3)
    shutil.rmtree(out.parent)
    # The baseline: nothing stored, every read computed from the claims.
    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM event_assessments")
    con.close()
    result["baseline_events_s"] = round(timed([CLI, "events", "--db", str(db)]), 2)
    result["baseline_largest_event_cli_s"] = round(
        timed([CLI, "event", largest, "--db", str(db)]), 2)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ledger", type=Path)
    ap.add_argument("--fractions", default="0.25,0.5,1")
    args = ap.parse_args()
    with Ledger(str(args.ledger)):  # brings an older ledger's schema up to date
        pass
    work = Path(tempfile.mkdtemp(prefix="claimledger-read-"))
    try:
        for share in (float(f) for f in args.fractions.split(",")):
            db = work / f"ledger-{share}.db"
            keep_share(args.ledger, db, share)
            print(json.dumps(measure(db, share)), flush=True)
            os.remove(db)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
