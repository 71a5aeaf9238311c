"""Event linking speed as the ledger grows: time per claim at 10k, 50k and 100k claims.

Synthetic claims, written straight into a temporary ledger through the same code ingest uses
(`Linker.link`, then `Store.add_document` in one transaction per article), with no spaCy:

  stories    a PLOVER type and trigger word, 1-3 actor countries, a place (a GeoNames id),
             and eight story words, active for 1-10 days;
  articles   a steady 40 a day, each with 10 claims: 7 about one active story (its place,
             actors, type and words, each dropped at random) and 3 background claims with
             only common words, which join the article's largest group.

So the ledger grows over time as a news archive does, at a constant rate. The linker's cost
per claim should depend on the events active in the weeks around an article, not on the
size of the ledger.

Baseline, in the same run: at each checkpoint, the same groups scored against every event in
the ledger (all pairs, what blocking avoids), on a sample of 20 articles.

Run from the repository root:  .venv/bin/python benchmarks/link_speed.py   (make bench-link)
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from claimledger.link.events import Linker, Profile, group_article, similarity
from claimledger.link.plover import PLOVER_TYPES
from claimledger.models import Article, Claim, Happening, Mention, Place, Source
from claimledger.store.sqlite import Store

CLAIMS_PER_ARTICLE = 10
ARTICLES_PER_DAY = 40
COUNTRIES = [f"{a}{b}" for a in "ABCDEFGHIJ" for b in "KLMNOP"]  # 60 synthetic codes
VOCABULARY = [f"word{i}" for i in range(5000)]
COMMON = [f"common{i}" for i in range(50)]
TRIGGERS = ["strike", "attack", "deploy", "send", "meet", "talk", "aid", "agree", "protest",
            "arrest", "sanction", "withdraw", "threaten", "accuse"]


def make_story(rng: random.Random, day: int, n: int) -> dict:
    return {"id": n, "type": rng.choice(PLOVER_TYPES), "trigger": rng.choice(TRIGGERS),
            "actors": rng.sample(COUNTRIES, rng.randint(1, 3)),
            "place": rng.randint(1, 2000), "words": rng.sample(VOCABULARY, 8),
            "start": day, "end": day + rng.randint(1, 10)}


def make_claim(rng: random.Random, doc: str, i: int, story: dict | None) -> Claim:
    words = (rng.sample(story["words"], 5) if story else []) + rng.sample(COMMON, 4)
    content = " ".join(words)
    places, mentions, happening = [], [], None
    if story:
        if rng.random() < 0.7:
            places.append(Place(text="P", start=0, end=1, name=f"place{story['place']}",
                                country_code=story["actors"][0], feature="city",
                                geonames_id=story["place"]))
        for code in story["actors"]:
            if rng.random() < 0.7:
                mentions.append(Mention(text=code, start=0, end=2, type="COUNTRY",
                                        canonical=code))
        if rng.random() < 0.6:
            happening = Happening(text=story["trigger"], start=0, end=1,
                                  lemma=story["trigger"], type=story["type"])
    return Claim(document_id=doc, text=content, start=0, end=len(content), content=content,
                 content_start=0, content_end=len(content), cue="said", cue_start=None,
                 cue_end=None, quote="indirect", source=Source(name=f"source{rng.randint(1, 500)}",
                                                                kind="person"),
                 channel=[], certainty="CT+", polarity="positive", extractor="synthetic",
                 places=places, mentions=mentions, happening=happening,
                 id=f"{doc}-{i:02d}")


def run(total: int, checkpoints: list[int], seed: int) -> dict:
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="claimledger-link-")
    store = Store(str(Path(tmp) / "bench.db"))
    linker = Linker(store)
    stories: list[dict] = []
    story_of: dict[str, int] = {}  # claim id -> the story it was written about
    results = []
    window: list[float] = []  # seconds per claim of the articles since the last checkpoint
    n_claims, article = 0, 0
    next_check = 0
    while n_claims < total:
        day = article // ARTICLES_PER_DAY
        stories = [s for s in stories if s["end"] >= day]
        while len(stories) < 60:
            stories.append(make_story(rng, day, article * 100 + len(stories)))
        doc = f"d{article:07d}"
        published = f"{2000 + day // 365:04d}-{day % 365 // 31 + 1:02d}-" \
                    f"{min(28, day % 31 + 1):02d}"
        story = rng.choice(stories)
        claims = [make_claim(rng, doc, i, story if i < 7 else None)
                  for i in range(CLAIMS_PER_ARTICLE)]
        for c in claims:
            story_of[c.id] = story["id"]
        t0 = time.perf_counter()
        links = linker.link(claims, published)
        t1 = time.perf_counter()
        store.add_document(doc, doc, Article(text="x", published_at=published), "x", [0],
                           None, None, claims, links)
        t2 = time.perf_counter()
        window.append(((t1 - t0) / len(claims), (t2 - t1) / len(claims)))
        n_claims += len(claims)
        article += 1
        if next_check < len(checkpoints) and n_claims >= checkpoints[next_check]:
            recent = window[-100:]  # the last 1,000 claims
            link_us = 1e6 * sum(a for a, _ in recent) / len(recent)
            store_us = 1e6 * sum(b for _, b in recent) / len(recent)
            events = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
            baseline_us = _all_pairs(store, rng, stories, published)
            results.append({"claims": n_claims, "events": events, "days": day + 1,
                            "link_us_per_claim": round(link_us, 1),
                            "store_us_per_claim": round(store_us, 1),
                            "all_pairs_us_per_claim": round(baseline_us, 1)})
            print(json.dumps(results[-1]), file=sys.stderr)
            next_check += 1
    quality = _bcubed(store, story_of, rng)
    store.close()
    return {"results": results, "linking_quality": quality,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _bcubed(store: Store, story_of: dict[str, int], rng: random.Random) -> dict:
    """B-cubed precision and recall of events against the stories the claims were written
    about, over a sample of 5,000 claims."""
    event_of = store.claim_events()
    members: dict[str, list[str]] = {}
    for cid, eid in event_of.items():
        members.setdefault(eid, []).append(cid)
    by_story: dict[int, list[str]] = {}
    for cid, sid in story_of.items():
        by_story.setdefault(sid, []).append(cid)
    sample = rng.sample(sorted(event_of), min(5000, len(event_of)))
    p = r = 0.0
    for cid in sample:
        same_event = members[event_of[cid]]
        same_story = by_story[story_of[cid]]
        both = sum(1 for x in same_event if story_of[x] == story_of[cid])
        p += both / len(same_event)
        r += both / len(same_story)
    p, r = p / len(sample), r / len(sample)
    return {"bcubed_precision": round(p, 3), "bcubed_recall": round(r, 3),
            "bcubed_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "events": len(members), "stories": len(by_story)}


def _all_pairs(store: Store, rng: random.Random, stories: list[dict], published: str) -> float:
    """Seconds per claim to score 20 articles' groups against every event in the ledger."""
    profiles = [Profile.from_json(r[0]) for r in store.db.execute("SELECT profile FROM events")]
    t0 = time.perf_counter()
    n = 0
    for k in range(20):
        story = rng.choice(stories)
        claims = [make_claim(rng, f"probe{k}", i, story if i < 7 else None)
                  for i in range(CLAIMS_PER_ARTICLE)]
        for g in group_article(claims, published, 0.35):
            for p in profiles:
                similarity(g.profile, p)
        n += len(claims)
    return 1e6 * (time.perf_counter() - t0) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    checkpoints = [c for c in (10_000, 50_000, 100_000) if c <= args.claims] or [args.claims]
    out = run(args.claims, checkpoints, args.seed)
    out.update({"python": platform.python_version(), "machine": platform.machine()})
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
