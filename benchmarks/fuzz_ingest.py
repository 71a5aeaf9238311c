"""A bounded random campaign of hostile inputs through `claimledger ingest`, end to end.

Inputs are generated from a fixed seed, in the shapes that broke ingest before: random bytes,
broken UTF-8, huge lines, deep HTML, entity-expansion and external-entity feeds, feed dates
outside the calendar, JSONL with wrong types, deep nesting and huge numbers, RTL, zero-width
and combining characters, unclosed quotes, "said" and "according to" by the thousand,
"1e308 soldiers", "31 February", "the 1990s", "the following decade", word salads of
reporting verbs and titles, and mutated news paragraphs. They are written as files into
chunk folders (never into the project); each chunk is ingested by its own `claimledger
ingest` process, two at a time, with a per-document time budget of 10 s
(CLAIMLEDGER_TIME_BUDGET), so that:

- a crash of the whole process (a signal such as SIGSEGV, or a traceback) is seen as the
  chunk's exit status; the chunk is then split in halves and rerun until the input that
  crashes it is found, and that input is kept under --keep;
- a document slower than its budget is skipped by ingest as "too slow": counted as a hang;
- a chunk that outlives --chunk-seconds is killed and counted as a hang of the batch;
- an input lost to an exception ("could not be processed") or skipped as too slow is kept
  under --keep too, for a test of its shape.

It prints one JSON object: inputs, chunks, crashes, hangs, documents stored, rejections by
reason (numbers and names folded), warnings by stage.

Run from the repository root (see docs/reliability.md for its run time):
  .venv/bin/python benchmarks/fuzz_ingest.py --inputs 100000
  .venv/bin/python benchmarks/fuzz_ingest.py --inputs 2000      # a quick one
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BIN = Path(sys.executable).with_name("claimledger")

SENTENCES = [
    "Officials said on Monday that up to 300 soldiers crossed the border near Kursk.",
    "The ministry denied reports that the plant had been hit, a spokesman told Reuters.",
    "“We will not back down,” the mayor said, adding that talks would resume next week.",
    "According to the health ministry, 12 people died and 40 were injured in the blast.",
    "Police could not confirm that the suspect had fled to Lyon, the prosecutor said.",
    "Budanov told The War Zone that he expected the counteroffensive to begin in June.",
]
WORDS = ("said told warned announced claimed denied according to reportedly Dr. Mr. Lee "
         "A U.N. U.S. report arrive from that the who which “ ” \" ' , . ; : ( ) [ ] - — "
         "officials ministry spokesman sources 1,000 3.5 1e308 -0 NaN 10**400 soldiers "
         "Monday yesterday tomorrow next last week month year decade century weekend "
         "following previous 31 February 2020 9999 0000 the 1990s ago since until by "
         "Kyiv Kursk Paris Washington New York Springfield").split()
MARKS = ["\u200b", "\u200f", "\u202e", "\u0301", "\u0308", "\ufeff", "\u2028", "\x00",
         "\ud7ff", "\U0001f600", "\u05d0", "\u0627"]
DATES = ["Fri, 31 Dec 10000 10:00:00 GMT", "0000-00-00", "9999-12-31T23:59:59Z",
         "2024-02-31", "yesterday", "", "not a date", "1e308", "-1", "0001-01-01"]


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES)


def article(rng: random.Random, n: int = 3) -> str:
    return "Headline\n\n" + "\n\n".join(sentence(rng) for _ in range(n))


def mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 12)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.3:
            del chars[i]
        elif op < 0.6:
            chars.insert(i, rng.choice(MARKS + list("“”\"'()[]<>&;,.")))
        elif op < 0.8:
            chars[i:i] = chars[i:i + rng.randint(1, 40)] * rng.randint(1, 50)
        else:
            chars.insert(i, " " + " ".join(rng.choice(WORDS) for _ in range(5)) + " ")
    return "".join(chars)


def generate(rng: random.Random) -> tuple[str, bytes, str]:
    """(kind, content, file extension) of one hostile input."""
    kind = rng.choices(KINDS, weights=[WEIGHTS.get(k, 10) for k in KINDS])[0]
    content, ext = MAKERS[kind](rng)
    return kind, content if isinstance(content, bytes) else \
        content.encode("utf-8", "surrogatepass"), ext


def _bytes(rng):
    return os.urandom(rng.choice([0, 1, 7, 100, 4000, 30000])), rng.choice([".txt", "", ".html"])


def _broken_utf8(rng):
    raw = bytearray(article(rng).encode())
    for _ in range(rng.randint(1, 30)):
        raw.insert(rng.randrange(len(raw)), rng.choice([0xC3, 0x28, 0xA0, 0xFF, 0xFE, 0xED]))
    return bytes(raw), ".txt"


def _huge_line(rng):
    return "Headline\n\n" + " ".join(rng.choice(WORDS) for _ in range(rng.choice(
        [1000, 4000, 12000]))), ".txt"


def _deep_html(rng):
    depth = rng.choice([100, 2000, 20000])
    tag = rng.choice(["div", "b", "span", "table"])
    return (f"<html><body>{f'<{tag}>' * depth}<p>{sentence(rng)}</p>"
            f"{f'</{tag}>' * rng.choice([0, depth])}</body></html>"), ".html"


def _entity_feed(rng):
    if rng.random() < 0.5:
        lol = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i else "&lol;"}' * 10 + '">'
            for i in range(1, 9))
        body = "&lol8;"
    else:
        lol = '<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        body = "&xxe;"
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel>'
            f"<title>Feed</title><item><title>{body}</title><description>{sentence(rng)} "
            f"{body}</description><pubDate>{rng.choice(DATES)}</pubDate></item></channel>"
            "</rss>"), ".xml"


def _feed_dates(rng):
    items = "".join(f"<item><title>Item {i}</title><pubDate>{rng.choice(DATES)}</pubDate>"
                    f"<description>{mutate(rng, sentence(rng))}</description></item>"
                    for i in range(rng.randint(1, 5)))
    return f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>', ".xml"


def _jsonl(rng):
    values = [sentence(rng), 42, None, [sentence(rng)], {"a": 1}, True, 1e308, "",
              "9" * 5000, "[" * 3000]
    lines = []
    for _ in range(rng.randint(1, 6)):
        op = rng.random()
        if op < 0.15:
            lines.append("[" * rng.choice([100, 5000, 100000]) + "]" * rng.choice([0, 100]))
        elif op < 0.25:
            lines.append('{"text": ' + "9" * rng.choice([100, 5000]) + "}")
        elif op < 0.35:
            lines.append(mutate(rng, json.dumps({"text": sentence(rng)})))
        else:
            lines.append(json.dumps({k: rng.choice(values) for k in rng.sample(
                ["text", "title", "published", "url", "outlet", "html", "author"],
                rng.randint(1, 5))}))
    return "\n".join(lines), rng.choice([".jsonl", ".json"])


def _unicode(rng):
    text = article(rng)
    for _ in range(rng.randint(1, 50)):
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(MARKS) * rng.randint(1, 20) + text[i:]
    return text, ".txt"


def _repeats(rng):
    unit = rng.choice(["said ", "according to ", "“", "[", "]", "(", ", said Lee, ",
                       "Dr. ", "U.S. ", "- ", "'s ", "'", "\"", "\n", "..."])
    return f"Headline\n\n{sentence(rng)} {unit * rng.choice([100, 1000, 3000])}", ".txt"


def _numbers_dates(rng):
    bits = ["1e308 soldiers", "-0 people", "NaN troops", "10**400 shells", "31 February",
            "the 1990s", "the following decade", "over the next decade", "the following "
            "weekend", "the next century", "year 0", "9999-12-31", "tomorrow", "next month",
            "a 5,000-digit " + "9" * 5000, "between 3 and 1 dead", "½ of the 2⁄3"]
    text = " ".join(f"Officials said {rng.choice(bits)} {rng.choice(bits)}."
                    for _ in range(rng.randint(1, 8)))
    if rng.random() < 0.5:
        rec = {"title": "Dates", "text": text, "published": rng.choice(DATES)}
        return json.dumps(rec), ".jsonl"
    return "Dates\n\n" + text, ".txt"


def _word_salad(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 400))), ".txt"


def _tag_soup(rng):
    tags = ["<p>", "</p>", "<div>", "<script>", "</script>", "<!--", "-->", "<![CDATA[",
            "]]>", "<meta charset=\"bogus\">", "<title>", "</title>", "&bogus;", "&#0;",
            "&#x110000;", "<article>", "<br/>", "<<<>>>"]
    parts = [rng.choice(tags + [sentence(rng)]) for _ in range(rng.randint(5, 200))]
    return "<html>" + "".join(parts), ".html"


def _one_line(rng):
    return mutate(rng, sentence(rng)) if rng.random() < 0.5 else sentence(rng), ".txt"


def _mutated(rng):
    return mutate(rng, article(rng, rng.randint(1, 12))), rng.choice([".txt", ".html", ""])


MAKERS = {"random_bytes": _bytes, "broken_utf8": _broken_utf8, "huge_line": _huge_line,
          "deep_html": _deep_html, "entity_feed": _entity_feed, "feed_dates": _feed_dates,
          "jsonl": _jsonl, "unicode": _unicode, "repeats": _repeats,
          "numbers_dates": _numbers_dates, "word_salad": _word_salad, "tag_soup": _tag_soup,
          "one_line": _one_line, "mutated": _mutated}
KINDS = list(MAKERS)
# Long inputs are parsed slowly however well: they are drawn less often, so that a campaign
# of 100,000 inputs runs in well under an hour.
WEIGHTS = {"huge_line": 1, "repeats": 2, "numbers_dates": 4, "deep_html": 5}


def write_chunk(folder: Path, inputs: list[tuple[int, str, bytes, str]]) -> None:
    folder.mkdir(parents=True)
    for n, kind, content, ext in inputs:
        (folder / f"{n:07d}_{kind}{ext}").write_bytes(content)


def ingest(folder: Path, seconds: float) -> dict:
    """Ingest `folder` in a process of its own; what happened."""
    db = folder.with_suffix(".db")
    env = {**os.environ, "CLAIMLEDGER_TIME_BUDGET": "10"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([str(BIN), "ingest", str(folder), "--db", str(db),
                               "--no-progress"], capture_output=True, text=True,
                              errors="replace", timeout=seconds, env=env)
        rc, tail = proc.returncode, proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        rc, tail = "timeout", ""
    result = {"rc": rc, "seconds": time.perf_counter() - t0, "stderr": tail,
              "stored": 0, "rejected": [], "warnings": []}
    if db.exists():
        try:
            con = sqlite3.connect(db)
            result["stored"] = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            rows = con.execute("SELECT origin, reason FROM rejected").fetchall()
            result["rejected"] = [reason for _, reason in rows]
            result["kept"] = [origin for origin, reason in rows
                              if reason.startswith(("could not be", "too slow"))]
            result["warnings"] = [r[0] for r in con.execute(
                "SELECT stage FROM document_warnings")]
            con.close()
        except sqlite3.Error as exc:
            result["stderr"] += f"\nledger unreadable: {exc}"
    return result


def crashed(result: dict) -> bool:
    return result["rc"] != 0


def find_crashers(folder: Path, files: list[Path], seconds: float, keep: Path,
                  depth: int = 0) -> list[str]:
    """Split a crashing chunk until the inputs that crash it alone are found."""
    if len(files) == 1:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(files[0], keep / files[0].name)
        return [files[0].name]
    found = []
    for half in (files[:len(files) // 2], files[len(files) // 2:]):
        sub = folder.parent / f"{folder.name}-{depth}-{half[0].stem}"
        sub.mkdir()
        for f in half:
            shutil.copy(f, sub / f.name)
        if crashed(ingest(sub, seconds)):
            found += find_crashers(sub, sorted(sub.iterdir()), seconds, keep, depth + 1)
    return found


def fold(reason: str) -> str:
    """A rejection reason with its numbers, names and quoted parts folded."""
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", reason)
    reason = re.sub(r"\d[\d,.]*", "N", reason)
    return reason[:110]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--chunk", type=int, default=2000, help="inputs per ingest process")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="ingest processes at once")
    ap.add_argument("--chunk-seconds", type=float, default=1800)
    ap.add_argument("--keep", type=Path, default=Path("fuzz-crashers"),
                    help="folder for inputs that crash ingest (default ./fuzz-crashers)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="claimledger-fuzz-"))
    kinds: Counter = Counter()
    chunks = []
    for start in range(0, args.inputs, args.chunk):
        batch = []
        for n in range(start, min(start + args.chunk, args.inputs)):
            kind, content, ext = generate(rng)
            kinds[kind] += 1
            batch.append((n, kind, content, ext))
        folder = work / f"chunk{start // args.chunk:04d}"
        write_chunk(folder, batch)
        chunks.append(folder)
    t0 = time.perf_counter()
    totals = {"stored": 0, "rejected": Counter(), "warnings": Counter(), "crashes": [],
              "chunk_timeouts": 0}
    done = 0
    with ThreadPoolExecutor(args.jobs) as pool:
        for folder, result in zip(chunks, pool.map(
                lambda f: ingest(f, args.chunk_seconds), chunks)):
            done += 1
            totals["stored"] += result["stored"]
            totals["rejected"].update(fold(r) for r in result["rejected"])
            totals["warnings"].update(result["warnings"])
            for origin in result.get("kept", []):  # lost to an exception, or too slow
                source = Path(re.sub(r"(#entry-\d+|:\d+|\[\d+\])$", "", origin))
                if source.is_file():
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(source, args.keep / source.name)
            if result["rc"] == "timeout":
                totals["chunk_timeouts"] += 1
            elif crashed(result):
                names = find_crashers(folder, sorted(folder.iterdir()), args.chunk_seconds,
                                      args.keep)
                totals["crashes"].append({"chunk": folder.name, "rc": result["rc"],
                                          "inputs": names, "stderr": result["stderr"][-500:]})
            print(f"chunk {done}/{len(chunks)}: rc {result['rc']}, {result['stored']} "
                  f"stored, {result['seconds']:.0f} s", file=sys.stderr, flush=True)
    hangs = sum(n for reason, n in totals["rejected"].items() if reason.startswith("too slow"))
    print(json.dumps({
        "inputs": args.inputs, "seed": args.seed, "chunks": len(chunks),
        "by_kind": dict(kinds), "seconds": round(time.perf_counter() - t0),
        "batch_crashes": len(totals["crashes"]), "crashes": totals["crashes"],
        "hangs": hangs + totals["chunk_timeouts"], "chunk_timeouts": totals["chunk_timeouts"],
        "documents_stored": totals["stored"],
        "rejected": sum(totals["rejected"].values()),
        "rejected_by_reason": dict(totals["rejected"].most_common()),
        "warnings_by_stage": dict(totals["warnings"].most_common()),
    }, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
