"""Story and event linking speed as the ledger grows: time per claim at 10k, 100k and 1M
claims, the memory it takes, and how well the stories and events found match the synthetic
stories the articles were written about.

Synthetic articles, written straight into a temporary ledger through the same code ingest
uses (`Store.add_document` in one transaction per article, with `Linker.link` called inside
it once the write lock is held, and the re-clustering at its end; then the assessment
stage of `stages.py`), with no spaCy:

  stories    a PLOVER type and trigger word, 1-3 actor countries, a place (a GeoNames id),
             eight story words, 2-3 names of its own (name<story>_<k>) and a year, active
             for 1-10 days;
  articles   a steady 40 a day, each about one active story, with 10 claims: 7 about the
             story (its place, actors, type and words, each dropped at random) and 3
             background claims with only common words, which join the article's largest
             group. Each article has a gist (`models.Gist`): the story's words (each kept at
             random) and 15 common words as terms with counts, plus 5 random words of the
             vocabulary (noise, some of them other stories' words); the story's names (each
             kept at random) and 2-4 common names as names; the lead: the story's first names
             kept, sometimes a common name; lead_years: the story's year, a third of the time.

So the ledger grows over time as a news archive does, at a constant rate. The linker's cost
per claim should depend on the stories and events active in the weeks around an article,
not on the size of the ledger, and so should its memory.

At each checkpoint (the average over the last 200 articles, 2,000 claims, before it):

  link_us_per_claim   `Linker.link`: the story (document frequencies, candidate stories,
                      scoring) and the claims' events; story_us_per_claim is the story part.
  store_us_per_claim  the rest of `add_document`: the document, claims, story, events, keys.
  recluster_us_per_claim  stage 8 (`stages.recluster`, in the article's transaction: a story
                      that reached a re-clustering size split or given the small stories
                      it takes in), and
  assess_us_per_claim stage 9 (`stages.store_assessments` every 500 articles, as ingest
                      does), both averaged over the last 1,000 articles.
  all_pairs_us_per_claim  baseline: the same kind of article's groups scored against every
                      event in the ledger (all pairs, what blocking avoids), on a sample of
                      20 articles (5 above 100k claims); profiles are read in chunks, untimed,
                      so that the baseline adds little to the memory figures.
  rss_mb              resident memory at the checkpoint, before the baseline; db_mb: the
                      ledger's size on disk.

At the end, B-cubed precision, recall and F1 on samples of 5,000: of the events against the
synthetic stories (per claim; a story's background claims count as the story's), and of the
stories against the synthetic stories (per article). Peak RSS covers the whole run.

Run from the repository root:  .venv/bin/python benchmarks/link_speed.py   (make bench-link)
A quick check:  .venv/bin/python benchmarks/link_speed.py --claims 20000
Other sizes: --checkpoints 10000,50000; --all-pairs-max 100000 skips the baseline above that
(its cost grows with the ledger: 73 ms a claim at 1M); --keep keeps the ledger to profile.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from claimledger import stages
from claimledger.link.events import Linker, Profile, group_article, similarity
from claimledger.claims.plover import PLOVER_TYPES
from claimledger.models import Article, Claim, Gist, Happening, Mention, Place, Source
from claimledger.store import Store, open_store

CLAIMS_PER_ARTICLE = 10
ARTICLES_PER_DAY = 40
ACTIVE_STORIES = 60
COUNTRIES = [f"{a}{b}" for a in "ABCDEFGHIJ" for b in "KLMNOP"]  # 60 synthetic codes
VOCABULARY = [f"word{i}" for i in range(5000)]
COMMON = [f"common{i}" for i in range(50)]
COMMON_NAMES = [f"cname{i}" for i in range(40)]  # "united states", "reuters", ...
TRIGGERS = ["strike", "attack", "deploy", "send", "meet", "talk", "aid", "agree", "protest",
            "arrest", "sanction", "withdraw", "threaten", "accuse"]
WINDOW = 200  # articles averaged at each checkpoint
SLOW_WINDOW = 1000  # the same for re-clustering and assessing, which come now and then
CHECKPOINTS = (10_000, 100_000, 1_000_000)
START = date(2000, 1, 1)
SAMPLE = 5000  # claims, and articles, in the B-cubed samples


def make_story(rng: random.Random, day: int, n: int) -> dict:
    return {"id": n, "type": rng.choice(PLOVER_TYPES), "trigger": rng.choice(TRIGGERS),
            "actors": rng.sample(COUNTRIES, rng.randint(1, 3)),
            "place": rng.randint(1, 2000), "words": rng.sample(VOCABULARY, 8),
            "names": [f"name{n}_{k}" for k in range(rng.randint(2, 3))],
            "year": str(rng.randint(1990, 2010)),
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


def make_gist(rng: random.Random, story: dict) -> Gist:
    terms = {w: rng.randint(1, 5) for w in story["words"] if rng.random() < 0.7}
    for w in rng.sample(COMMON, 15):
        terms[w] = terms.get(w, 0) + rng.randint(1, 3)
    for w in rng.sample(VOCABULARY, 5):
        terms.setdefault(w, 1)
    kept = [n for k, n in enumerate(story["names"]) if rng.random() < (0.9 if k == 0 else 0.6)]
    names = {n: rng.randint(1, 4) for n in kept}
    common = rng.sample(COMMON_NAMES, rng.randint(2, 4))
    for n in common:
        names[n] = rng.randint(1, 3)
    lead = kept[:2] + (common[:1] if rng.random() < 0.3 else [])
    years = [story["year"]] if rng.random() < 0.33 else []
    return Gist(terms=terms, names=names, lead=sorted(lead), lead_years=years)


def rss_mb() -> float | None:
    try:
        with open("/proc/self/statm") as fh:
            return round(int(fh.read().split()[1]) * resource.getpagesize() / 2**20, 1)
    except OSError:
        return None


def peak_rss_mb() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(rss / 2**20 if sys.platform == "darwin" else rss / 1024)


class Timed:
    """Wraps a function, adding the seconds each call takes to `seconds`."""

    def __init__(self, fn):
        self.fn, self.seconds = fn, 0.0

    def __call__(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0


def _kept(found: list, value):
    found.append(value)
    return value


def run(total: int, checkpoints: list[int], seed: int, all_pairs_articles: int,
        all_pairs_large: int, all_pairs_max: int | None, keep: bool,
        assess: bool = True, db: str | None = None) -> dict:
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="claimledger-link-")
    path = Path(tmp) / "bench.db"
    store = open_store(db or str(path))
    linker = Linker(store)
    story_link = linker.stories.link = Timed(linker.stories.link)
    stories: list[dict] = []
    story_of: list[int] = []  # article number -> the synthetic story it was written about
    story_articles: Counter = Counter()  # synthetic story -> its articles
    results = []
    recent: list[tuple[float, float, float]] = []  # per-claim seconds: link, story, store
    later: list[tuple[float, float]] = []  # per-claim seconds: re-cluster, assess
    reclustered = 0
    n_claims, article, n_stories = 0, 0, 0
    next_check = 0
    started = time.perf_counter()
    while n_claims < total:
        day = article // ARTICLES_PER_DAY
        stories = [s for s in stories if s["end"] >= day]
        while len(stories) < ACTIVE_STORIES:
            stories.append(make_story(rng, day, n_stories))
            n_stories += 1
        doc = f"d{article:07d}"
        published = (START + timedelta(days=day)).isoformat()
        story = rng.choice(stories)
        claims = [make_claim(rng, doc, i, story if i < 7 else None)
                  for i in range(CLAIMS_PER_ARTICLE)]
        gist = make_gist(rng, story)
        story_of.append(story["id"])
        story_articles[story["id"]] += 1
        found: list = []
        link = Timed(lambda claims=claims, published=published, gist=gist, doc=doc, found=found:
                     _kept(found, linker.link(claims, published, gist, doc)))
        story_before = story_link.seconds
        grown: list[float] = []

        def recluster(links, grown=grown) -> None:  # stage 8, in the article's transaction
            if links.story.recluster:
                t1 = time.perf_counter()
                stages.recluster(store, linker, links.story.story_id)
                grown.append(time.perf_counter() - t1)

        t0 = time.perf_counter()
        store.add_document(doc, doc, Article(text="x", published_at=published), "x", [0],
                           None, None, claims, link, after=recluster)
        t = time.perf_counter() - t0 - sum(grown)
        reclustered += len(grown)
        t2 = time.perf_counter()
        t1 = t2 - sum(grown)
        if (article + 1) % stages.ASSESS_EVERY == 0 and assess:  # stage 9, as ingest runs it
            stages.store_assessments(store)
        recent.append((link.seconds / len(claims),
                       (story_link.seconds - story_before) / len(claims),
                       (t - link.seconds) / len(claims)))
        del recent[:-WINDOW]
        later.append(((t2 - t1) / len(claims), (time.perf_counter() - t2) / len(claims)))
        del later[:-SLOW_WINDOW]
        n_claims += len(claims)
        article += 1
        if next_check < len(checkpoints) and n_claims >= checkpoints[next_check]:
            row = {"claims": n_claims, "articles": article, "days": day + 1,
                   "events": store.db.execute("SELECT count(*) FROM events").fetchone()[0],
                   "stories": store.db.execute("SELECT count(*) FROM stories").fetchone()[0],
                   "synthetic_stories": len(story_articles),  # those with articles
                   "link_us_per_claim": round(1e6 * sum(r[0] for r in recent) / len(recent), 1),
                   "story_us_per_claim": round(1e6 * sum(r[1] for r in recent) / len(recent), 1),
                   "store_us_per_claim": round(1e6 * sum(r[2] for r in recent) / len(recent), 1),
                   "recluster_us_per_claim": round(1e6 * sum(r[0] for r in later)
                                                   / len(later), 1),
                   "assess_us_per_claim": round(1e6 * sum(r[1] for r in later)
                                                / len(later), 1),
                   "reclustered_so_far": reclustered,
                   "rss_mb": rss_mb(),
                   "db_mb": None if db else round(
                       sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20),
                   "elapsed_s": round(time.perf_counter() - started, 1)}
            if all_pairs_max is not None and n_claims > all_pairs_max:
                row["all_pairs_us_per_claim"] = None
            else:
                k = all_pairs_articles if n_claims <= 100_000 else all_pairs_large
                row["all_pairs_us_per_claim"] = round(_all_pairs(store, rng, stories,
                                                                 published, k), 1)
                row["all_pairs_articles"] = k
            results.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            next_check += 1
    t0 = time.perf_counter()
    quality = {"events": _bcubed_events(store, story_of, story_articles, rng),
               "stories": _bcubed_stories(store, story_of, story_articles, rng)}
    quality_s = time.perf_counter() - t0
    store.close()
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"results": results, "linking_quality": quality,
            "peak_rss_mb": peak_rss_mb(), "final_rss_mb": rss_mb(),
            "link_and_store_s": round(t0 - started, 1), "quality_s": round(quality_s, 1),
            "ledger": (store.name if db else str(path)) if keep or db else None}


def _article(claim_id: str) -> int:
    return int(claim_id[1:8])  # d0001234-07 -> 1234


def _scores(p: float, r: float, n: int) -> dict:
    p, r = p / n, r / n
    return {"bcubed_precision": round(p, 3), "bcubed_recall": round(r, 3),
            "bcubed_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _bcubed_events(store: Store, story_of: list[int], story_articles: Counter,
                   rng: random.Random) -> dict:
    """B-cubed of events against the synthetic stories, over a sample of claims (read from
    the ledger one event at a time, so that memory stays flat)."""
    db = store.db
    sample = [f"d{a:07d}-{i:02d}" for a, i in
              ((rng.randrange(len(story_of)), rng.randrange(CLAIMS_PER_ARTICLE))
               for _ in range(SAMPLE))]
    p = r = 0.0
    n = 0
    for cid in sample:
        row = db.execute("SELECT event_id FROM event_claims WHERE claim_id = ?",
                         (cid,)).fetchone()
        if row is None:
            continue
        sid = story_of[_article(cid)]
        members = [m for (m,) in db.execute("SELECT claim_id FROM event_claims"
                                            " WHERE event_id = ?", (row[0],))]
        both = sum(1 for m in members if story_of[_article(m)] == sid)
        p += both / len(members)
        r += both / (CLAIMS_PER_ARTICLE * story_articles[sid])
        n += 1
    return {**_scores(p, r, n), "sample": n,
            "found": db.execute("SELECT count(*) FROM events").fetchone()[0],
            "synthetic_stories": len(story_articles)}


def _bcubed_stories(store: Store, story_of: list[int], story_articles: Counter,
                    rng: random.Random) -> dict:
    """B-cubed of the ledger's stories against the synthetic stories, over a sample of
    articles."""
    db = store.db
    p = r = 0.0
    n = 0
    for a in (rng.randrange(len(story_of)) for _ in range(SAMPLE)):
        row = db.execute("SELECT story_id FROM document_stories WHERE document_id = ?",
                         (f"d{a:07d}",)).fetchone()
        if row is None:
            continue
        members = [int(m[1:]) for (m,) in db.execute(
            "SELECT document_id FROM document_stories WHERE story_id = ?", (row[0],))]
        both = sum(1 for m in members if story_of[m] == story_of[a])
        p += both / len(members)
        r += both / story_articles[story_of[a]]
        n += 1
    return {**_scores(p, r, n), "sample": n,
            "found": db.execute("SELECT count(*) FROM stories").fetchone()[0],
            "synthetic_stories": len(story_articles)}


def _all_pairs(store: Store, rng: random.Random, stories: list[dict], published: str,
               articles: int) -> float:
    """Microseconds per claim to group `articles` articles' claims and score every group
    against every event in the ledger. Profiles are parsed in chunks, untimed."""
    t0 = time.perf_counter()
    groups = []
    for k in range(articles):
        story = rng.choice(stories)
        claims = [make_claim(rng, f"probe{k}", i, story if i < 7 else None)
                  for i in range(CLAIMS_PER_ARTICLE)]
        groups += group_article(claims, published, 0.35)
    seconds = time.perf_counter() - t0
    cursor = store.db.execute("SELECT profile FROM events")
    while chunk := cursor.fetchmany(1000):
        profiles = [Profile.from_json(r[0]) for r in chunk]
        t0 = time.perf_counter()
        for g in groups:
            for p in profiles:
                similarity(g.profile, p)
        seconds += time.perf_counter() - t0
    return 1e6 * seconds / (articles * CLAIMS_PER_ARTICLE)


def _git() -> dict:
    def out(*args: str) -> str | None:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, check=False,
                                  cwd=Path(__file__).parent, timeout=10).stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            return None
    return {"commit": out("rev-parse", "--short", "HEAD"),
            "uncommitted_src": out("status", "--short", "--", "../src")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=CHECKPOINTS[-1],
                    help="claims to link in all (default: %(default)s)")
    ap.add_argument("--checkpoints", default=",".join(map(str, CHECKPOINTS)),
                    help="comma-separated claim counts to measure at; those above --claims "
                         "are dropped and --claims itself is added (default: %(default)s)")
    ap.add_argument("--all-pairs-articles", type=int, default=20,
                    help="articles in the all-pairs baseline up to 100k claims")
    ap.add_argument("--all-pairs-large", type=int, default=5,
                    help="articles in the all-pairs baseline above 100k claims")
    ap.add_argument("--all-pairs-max", type=int, default=None,
                    help="skip the all-pairs baseline above this many claims")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", metavar="URL",
                    help="link into this ledger instead of a temporary SQLite file: an empty "
                         "PostgreSQL database (postgresql://…), kept afterwards")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary ledger (its path is in the output)")
    args = ap.parse_args()
    wanted = {int(c) for c in args.checkpoints.split(",") if c.strip()}
    checkpoints = sorted(c for c in wanted | {args.claims} if c <= args.claims)
    meta = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **_git(),
            "python": platform.python_version(), "machine": platform.machine(),
            "claims": args.claims, "checkpoints": checkpoints, "seed": args.seed}
    print(json.dumps(meta), file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    out = run(args.claims, checkpoints, args.seed, args.all_pairs_articles,
              args.all_pairs_large, args.all_pairs_max, args.keep, db=args.db)
    out["wall_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps({**meta, **out}, indent=2))


if __name__ == "__main__":
    main()
