"""Time to the first article: how long `claimledger ingest` takes, from the moment it is
started, to store its first document, and how much of that is loading the spaCy model.

In the same run, each in a fresh process:

  help         `claimledger ingest --help`: importing the command line, nothing else
  model        loading the spaCy pipeline with claimledger's components (`load_pipeline`) and
               parsing one sentence, in a process of its own
  first        `claimledger ingest FILE --db NEW --workers N`, the ledger polled every 10 ms:
               seconds until its first document is stored, and until the command ends

The start-up claimledger adds before the model can work is `first` less `model` (and less
parsing and storing that one article).

Run from the repository root:
  .venv/bin/python benchmarks/first_article.py [FILE] [--workers 0,2] [--repeat 3]
(FILE: by default the first article of ../shared/data/polnear/train/text.)
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("claimledger"))
MODEL = ("from claimledger.nlp.pipeline import load_pipeline; "
         "load_pipeline('en_core_web_md')('Officials said on Monday that troops left.')")


def timed(command: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def first(source: Path, workers: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="claimledger-first-") as tmp:
        db = Path(tmp) / "ledger.db"
        t0 = time.perf_counter()
        proc = subprocess.Popen([CLI, "ingest", str(source), "--db", str(db), "--workers",
                                 str(workers), "--no-progress"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stored = None
        while proc.poll() is None:
            if stored is None and documents(db) > 0:
                stored = time.perf_counter() - t0
            time.sleep(0.01)
        total = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"ingest failed (exit status {proc.returncode})")
        return (stored if stored is not None else total), total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", type=Path)
    ap.add_argument("--workers", default="0,2")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    source = args.file or sorted((REPO.parent / "shared/data/polnear/train/text").glob("*.txt"))[0]
    result: dict = {"file": str(source), "repeat": args.repeat}
    result["help_s"] = round(statistics.median(
        timed([CLI, "ingest", "--help"]) for _ in range(args.repeat)), 2)
    result["model_s"] = round(statistics.median(
        timed([sys.executable, "-c", MODEL]) for _ in range(args.repeat)), 2)
    for n in (int(w) for w in args.workers.split(",")):
        runs = [first(source, n) for _ in range(args.repeat)]
        result[f"workers_{n}"] = {"first_document_s": round(statistics.median(r[0] for r in runs), 2),
                                  "total_s": round(statistics.median(r[1] for r in runs), 2)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
