"""The time rules' keyword gates (`needs=` in normalise/times.py): the same time expressions
with and without them, and how long `find_times` takes each way, over every text file of a
corpus folder (default ../shared/data, read in place; files over 300 KB left out).

Run from the repository root:  .venv/bin/python benchmarks/times_rules.py [FOLDER]
Exit status 1 if any file's expressions differ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--anchor", default="2016-05-01", help="publication date (ISO)")
    args = parser.parse_args(argv)
    from claimledger.normalise import times

    folder = Path(args.folder)
    if not folder.is_dir():
        sys.exit(f"no such folder: {folder}")
    files = sorted(p for p in folder.rglob("*") if p.is_file()
                   and p.suffix in (".txt", ".tml", ".xml") and p.stat().st_size < 300_000)
    if not files:
        sys.exit(f"no .txt, .tml or .xml files under {folder}")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    anchor = dt.date.fromisoformat(args.anchor)
    t0 = time.perf_counter()
    gated = [times.find_times(t, anchor) for t in texts]
    gated_s = time.perf_counter() - t0
    rules = times._RULES
    times._RULES = [(rx, fn, ()) for rx, fn, _ in rules]
    try:
        t0 = time.perf_counter()
        every = [times.find_times(t, anchor) for t in texts]
        every_s = time.perf_counter() - t0
    finally:
        times._RULES = rules
    differ = [str(f) for f, a, b in zip(files, gated, every) if a != b]
    size = sum(len(t) for t in texts) / 1e6
    print(f"{len(files)} files, {size:.1f} million characters, "
          f"{sum(len(g) for g in gated)} time expressions")
    print(f"find_times with the gates: {gated_s:.2f} s; every rule on every text: "
          f"{every_s:.2f} s ({every_s / gated_s:.2f}x)")
    print("same expressions in every file" if not differ else
          f"{len(differ)} files differ: " + ", ".join(differ[:10]))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
