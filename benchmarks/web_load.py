"""The web app under load, on loopback: many concurrent clients for a fixed time over the
main pages and the API of a ledger of real articles, against `claimledger serve` run as its
own process (uvicorn, one process, as an analyst starts it).

The ledger (`--build N`): the first N real articles of ../shared/data in the fixed shuffled
order of corpora.py (PolNeAR, TempEval-3, LGL/GeoVirus, the article-extraction pages, ECB+;
not Emergent's one-line headlines), ingested once with the default workers. Then CLIENTS
clients (asyncio + httpx, one connection each) request, for SECONDS, pages in turn from
this mix, with values drawn from the ledger (seed 7):

  events     /events                      event      /events/ID (a dossier)
  claims     /claims                      search     /claims?search=WORD
  claim      /claims/ID                   document   /documents/ID
  source     /sources/ID                  api_claims /api/claims?search=WORD
  api_events /api/events                  api_event  /api/events/ID

Bounded: a request waits at most --timeout seconds (a timeout is an error), and the run
ends at SECONDS (requests still open then are waited for, at most --timeout). Reported per
page: requests, errors, p50 / p95 / max latency in ms; and in all: requests per second.
The client shares the machine's cores with the server.

Run from the repository root:
  .venv/bin/python benchmarks/web_load.py LEDGER.db --build 1500 --clients 200 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))


def build(ledger: str, n: int, data: Path) -> dict:
    from corpora import stream

    from claimledger import Ledger

    items = [a for corpus, a in stream(data) if corpus != "emergent"][:n]
    started = time.perf_counter()
    with Ledger(ledger) as led:
        report = led.ingest_articles(items, progress=sys.stderr.isatty())
    return {"articles": len(items), "stored": report.stored, "claims": report.claims,
            "ingest_s": round(time.perf_counter() - started, 1)}


def targets(ledger: str, seed: int) -> dict[str, list[str]]:
    """The URLs of each kind of page, with values drawn from the ledger."""
    from claimledger import Ledger

    rng = random.Random(seed)
    with Ledger(ledger, readonly=True) as led:
        claims = led.claims()
        events = [e.id for e in led.events(limit=200)]
    words = sorted({w.lower() for c in rng.sample(claims, min(300, len(claims)))
                    for w in c.content.split() if w.isalpha() and len(w) > 4})
    pick = lambda xs, k=40: rng.sample(xs, min(k, len(xs)))  # noqa: E731
    sources = sorted({c.source.id for c in claims if c.source.id})
    documents = sorted({c.document_id for c in claims})
    search = pick(words)
    return {
        "events": ["/events"],
        "event": [f"/events/{e}" for e in pick(events)],
        "claims": ["/claims"],
        "search": [f"/claims?search={w}" for w in search],
        "claim": [f"/claims/{c.id}" for c in pick(claims)],
        "document": [f"/documents/{d}" for d in pick(documents)],
        "source": [f"/sources/{s}" for s in pick(sources)],
        "api_claims": [f"/api/claims?search={w}" for w in search],
        "api_events": ["/api/events"],
        "api_event": [f"/api/events/{e}" for e in pick(events)],
    }


async def load(base: str, pages: dict[str, list[str]], clients: int, seconds: float,
               timeout: float, seed: int) -> dict:
    import httpx

    kinds = list(pages)
    times: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, list[str]] = {k: [] for k in kinds}
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        async with httpx.AsyncClient(base_url=base, timeout=timeout,
                                     limits=httpx.Limits(max_connections=1)) as http:
            i = n  # clients start at different pages of the mix
            while time.monotonic() < stop:
                kind = kinds[i % len(kinds)]
                i += 1
                url = rng.choice(pages[kind])
                started = time.perf_counter()
                try:
                    r = await http.get(url)
                    await r.aread()
                    if r.status_code != 200:
                        errors[kind].append(f"{r.status_code} {url}")
                        continue
                except httpx.HTTPError as exc:
                    errors[kind].append(f"{type(exc).__name__} {url}")
                    continue
                times[kind].append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    wall = time.perf_counter() - started
    per_page = {}
    for kind in kinds:
        t = sorted(times[kind])
        per_page[kind] = {
            "requests": len(t) + len(errors[kind]), "errors": len(errors[kind]),
            "p50_ms": round(statistics.median(t), 1) if t else None,
            "p95_ms": round(t[int(0.95 * (len(t) - 1))], 1) if t else None,
            "max_ms": round(t[-1], 1) if t else None,
            "first_errors": errors[kind][:3]}
    total = sum(p["requests"] for p in per_page.values())
    return {"wall_s": round(wall, 1), "requests": total,
            "errors": sum(p["errors"] for p in per_page.values()),
            "requests_per_s": round(total / wall, 1), "pages": per_page}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ledger", help="the ledger to serve (built first with --build N)")
    ap.add_argument("--build", type=int, metavar="N",
                    help="make the ledger from the first N real articles of --data")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=1, help="claimledger serve --workers")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    out: dict = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": commit,
                 "python": platform.python_version(), "clients": args.clients,
                 "seconds": args.seconds, "workers": args.workers}
    if args.build:
        if Path(args.ledger).exists():
            sys.exit(f"{args.ledger} exists; --build makes a new ledger")
        out["built"] = build(args.ledger, args.build, args.data)
        print(json.dumps(out["built"]), file=sys.stderr)
    from claimledger import Ledger

    with Ledger(args.ledger, readonly=True) as led:
        out["ledger"] = led.store.counts()
    pages = targets(args.ledger, args.seed)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import tempfile

    log = tempfile.TemporaryFile()  # the server's messages (read back where a request failed)
    server = subprocess.Popen([str(Path(sys.executable).parent / "claimledger"), "serve",
                               "--db", args.ledger, "--port", str(port),
                               "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/events", timeout=30)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    log.seek(0)
                    sys.exit("the server did not start: " + log.read().decode())
                time.sleep(0.2)
        out["load"] = asyncio.run(load(base, pages, args.clients, args.seconds,
                                       args.timeout, args.seed))
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    said = log.read().decode(errors="replace").splitlines()
    out["server_said"] = said[-40:] if out.get("load", {}).get("errors") else said[-3:]
    print(json.dumps(out, indent=2))
    return 1 if out["load"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
