"""Ingest speed: claimledger's whole `Ledger.ingest` against plain spaCy `nlp.pipe`.

Both run in the same invocation over the same article files (by default the first 600 of the
840 real news articles in ../shared/data/polnear/train/text, read in place, never copied).
Each variant runs in its own subprocess so that its peak memory (ru_maxrss) is its own:

  spacy            load_model(model), then list(nlp.pipe(texts, batch_size=B)) over the
                   files' text. Model load is timed separately and not counted.
  claimledger      Ledger(<temporary db>), pipeline and gazetteer warmed, then
                   ledger.ingest(paths) end to end: reading, boilerplate cutting, the spaCy
                   pipeline with claimledger's components, claim building, SQLite writes.
  claimledger-nlp  load_pipeline(model) (spaCy plus claimledger's components) over the texts
                   ingest would process (read untimed beforehand), make_doc + nlp.pipe: no
                   reading, claim building or storing.
                   Afterwards, a component-by-component pass shows where the NLP time goes.
  writer           (not run by default: --variants writer) the writer's ceiling: the articles
                   are read and parsed untimed, then only what the one writer of
                   `ingest --workers N` does is timed, into a fresh ledger: dedupe, link,
                   store, re-cluster, and store the assessments of the events that changed.
                   Its articles/s bound what more parsing workers can give.
  dask             (not run by default: --variants dask) the claimledger variant with
                   `cluster="local:N"` (N = --workers) instead of `workers=N`: a Dask
                   LocalCluster of N worker processes parses. The time counts the cluster's
                   start and its workers' model load, as an ingest with --cluster local:N
                   does; that start, measured alone beforehand, is reported as "start s".

Run from the repository root:  .venv/bin/python benchmarks/ingest_speed.py   (make bench)
Profile the claimledger variant:  .venv/bin/python benchmarks/ingest_speed.py --profile --limit 100
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = "../shared/data/polnear/train/text"
VARIANTS = ("spacy", "claimledger", "claimledger-nlp")
EXTRA_VARIANTS = ("writer", "dask")  # run only when asked for
MARKER = "BENCH_RESULT "
# Warm-up text: short, but with a place, a demonym, a date and a number, so that lazily built
# tables (gazetteer, country names, ...) are loaded before the clock starts.
WARM_UP = "Warm up. French officials said in Paris on Monday that 300 troops had left Kyiv."


# ------------------------------------------------------------------------------ helpers
def corpus_files(corpus: Path, limit: int) -> list[Path]:
    files = sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix == ".txt"
                   and not p.name.startswith("."))
    return files[:limit] if limit > 0 else files


def peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def current_rss_mb() -> float | None:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return None


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def git_commit() -> str:
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], check=False, cwd=REPO, capture_output=True,
                              text=True, timeout=10)
    try:
        head = git("rev-parse", "--short", "HEAD")
        if head.returncode != 0:
            return "unknown"
        commit = head.stdout.strip()
        dirty = git("status", "--porcelain", "--untracked-files=no")
        if dirty.returncode == 0 and dirty.stdout.strip():
            commit += " (+ uncommitted changes)"
        return commit
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine(model: str) -> dict:
    try:
        import spacy
        spacy_version = spacy.__version__
    except ImportError:
        spacy_version = "not installed"
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": _cpu_name(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "spacy": spacy_version,
        "model": model,
        "commit": git_commit(),
    }


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def summarise(times: list[float], articles: int, chars: int) -> dict:
    med = statistics.median(times)
    return {"seconds": round(med, 3), "seconds_all": [round(t, 3) for t in times],
            "articles_per_s": round(articles / med, 2) if med else None,
            "chars_per_s": round(chars / med) if med else None}


# ------------------------------------------------------------------------------ variants
def run_spacy(files: list[Path], args) -> dict:
    from claimledger.nlp.pipeline import load_model

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    nlp = load_model(args.model)
    nlp(WARM_UP)
    load_s = time.perf_counter() - t0
    rss_loaded = current_rss_mb()
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=args.batch_size, n_process=args.workers or 1))
        times.append(time.perf_counter() - t0)
        tokens = sum(len(d) for d in docs)
        del docs
    out = {"articles": len(texts), "documents": len(texts), "chars": chars, "tokens": tokens,
           "load_s": round(load_s, 2), "pipes": list(nlp.pipe_names)}
    out.update(summarise(times, len(texts), chars))
    out["rss_after_load_mb"] = round(rss_loaded, 1) if rss_loaded else None
    return out


def _warm_ledger(ledger) -> None:
    _warm(ledger.nlp)


def _warm(nlp) -> None:
    """Run the pipeline once and build the gazetteer, so that neither is timed."""
    nlp("Warm up.")
    doc = nlp.make_doc(WARM_UP)
    doc._.published_at = "2024-10-22"
    nlp(doc)
    try:
        from claimledger.normalise.places import gazetteer
        gazetteer()
    except ImportError:
        pass


def run_claimledger(files: list[Path], args) -> dict:
    from claimledger import Ledger

    paths = [str(p) for p in files]
    chars = sum(len(p.read_text(encoding="utf-8", errors="replace")) for p in files)
    times, stored, claims, skipped, duplicates = [], 0, 0, 0, 0
    sections = None
    load_s = rss_loaded = None
    with tempfile.TemporaryDirectory(prefix="claimledger-bench-") as tmp:
        for i in range(args.repeat):
            # A fresh ledger per repeat, or the second pass would only find duplicates; the
            # pipeline itself is cached per process (load_pipeline is lru_cached).
            db = os.path.join(tmp, f"bench-{i}.db")
            with Ledger(db, model=args.model) as ledger:
                ledger.settings.batch_size = args.batch_size
                if load_s is None:
                    t0 = time.perf_counter()
                    _warm_ledger(ledger)
                    load_s = time.perf_counter() - t0
                    rss_loaded = current_rss_mb()
                if args.profile:
                    sections = Sections()
                    sections.install(ledger)
                t0 = time.perf_counter()
                report = ledger.ingest(paths, workers=args.workers)
                times.append(time.perf_counter() - t0)
                stored, claims = report.stored, report.claims
                skipped, duplicates = len(report.skipped), report.duplicates
                if sections is not None:
                    break
    out = {"articles": len(paths), "documents": stored, "claims": claims,
           "skipped": skipped, "duplicates": duplicates, "chars": chars,
           "load_s": round(load_s, 2), "batch_size": args.batch_size}
    out.update(summarise(times, len(paths), chars))
    out["rss_after_load_mb"] = round(rss_loaded, 1) if rss_loaded else None
    if sections is not None:
        out["profile"] = sections.summary(times[0])
    return out


def run_dask(files: list[Path], args) -> dict:
    from claimledger import Ledger
    from claimledger.cluster import ClusterWorkers
    from claimledger.settings import Settings

    paths = [str(p) for p in files]
    chars = sum(len(p.read_text(encoding="utf-8", errors="replace")) for p in files)
    address = f"local:{max(1, args.workers)}"
    t0 = time.perf_counter()  # the start alone: cluster up, every worker's model loaded
    ClusterWorkers(address, Settings(model=args.model)).close()
    start_s = time.perf_counter() - t0
    times, stored, claims = [], 0, 0
    with tempfile.TemporaryDirectory(prefix="claimledger-bench-") as tmp:
        for i in range(args.repeat):
            with Ledger(os.path.join(tmp, f"dask-{i}.db"), model=args.model) as ledger:
                ledger.settings.batch_size = args.batch_size
                t0 = time.perf_counter()
                report = ledger.ingest(paths, cluster=address)
                times.append(time.perf_counter() - t0)
                stored, claims = report.stored, report.claims
    out = {"articles": len(paths), "documents": stored, "claims": claims, "chars": chars,
           "load_s": round(start_s, 2), "start_s": round(start_s, 2), "cluster": address,
           "batch_size": args.batch_size}
    out.update(summarise(times, len(paths), chars))
    return out


def run_writer(files: list[Path], args) -> dict:
    import copy

    from claimledger import Ledger, stages
    from claimledger import ingest as reader
    from claimledger.ledger import IngestReport, _progress
    from claimledger.workers import analyse

    paths = [str(p) for p in files]
    times, stored, claims = [], 0, 0
    with tempfile.TemporaryDirectory(prefix="claimledger-bench-") as tmp:
        with Ledger(os.path.join(tmp, "parse.db"), model=args.model) as ledger:
            t0 = time.perf_counter()
            _warm_ledger(ledger)
            load_s = time.perf_counter() - t0
            seen: set[str] = set()
            pending = [p for p in (stages.screen(item, seen, ledger.store, ledger.settings,
                                                 {"en"}) for item in reader.read(paths))
                       if isinstance(p, stages.Screened)]
            t0 = time.perf_counter()
            results = analyse(ledger.nlp, [(a, t) for a, t, _ in pending], ledger.settings,
                              [stages.document_id(d) for _, _, d in pending])
            parse_s = time.perf_counter() - t0
        chars = sum(len(t) for _, t, _ in pending)
        for i in range(args.repeat):
            batch = copy.deepcopy((pending, results))
            with Ledger(os.path.join(tmp, f"writer-{i}.db"), model=args.model) as writer:
                report = IngestReport()
                t0 = time.perf_counter()
                writer._store(*batch, report, _progress(False), None)
                writer.store_assessments()
                times.append(time.perf_counter() - t0)
                stored, claims = report.stored, report.claims
    out = {"articles": len(paths), "documents": stored, "claims": claims, "chars": chars,
           "load_s": round(load_s, 2), "parse_s": round(parse_s, 2),
           "parse_articles_per_s": round(len(pending) / parse_s, 2) if parse_s else None}
    out.update(summarise(times, len(pending), chars))
    return out


def _ingest_docs(files: list[Path], nlp):
    """The docs ingest would hand to spaCy: same reading, same text, same extension values."""
    from claimledger import ingest as reader
    from claimledger.ledger import stored_text
    from claimledger.models import Article

    docs = []
    for item in reader.read([str(p) for p in files]):
        if not isinstance(item, Article):
            continue
        doc = nlp.make_doc(stored_text(item))
        doc._.published_at = item.published_at
        doc._.outlet = item.outlet
        doc._.author = item.author
        docs.append(doc)
    return docs


def run_claimledger_nlp(files: list[Path], args) -> dict:
    from claimledger.nlp.pipeline import load_pipeline

    t0 = time.perf_counter()
    nlp = load_pipeline(args.model)
    _warm(nlp)
    load_s = time.perf_counter() - t0
    rss_loaded = current_rss_mb()

    t0 = time.perf_counter()
    docs = _ingest_docs(files, nlp)
    read_s = time.perf_counter() - t0
    chars = sum(len(d.text) for d in docs)
    times = []
    for _ in range(args.repeat):
        # Timed like ingest: tokenising (make_doc, extension values set) plus nlp.pipe.
        t0 = time.perf_counter()
        fresh = [_copy_doc(nlp, d) for d in docs]
        done = list(nlp.pipe(fresh, batch_size=args.batch_size))
        times.append(time.perf_counter() - t0)
        del done, fresh
    out = {"articles": len(files), "documents": len(docs), "chars": chars,
           "load_s": round(load_s, 2), "read_s": round(read_s, 2),
           "pipes": list(nlp.pipe_names)}
    out.update(summarise(times, len(docs), chars))
    out["rss_after_load_mb"] = round(rss_loaded, 1) if rss_loaded else None
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)  # before the breakdown pass below
    if args.breakdown:
        out["components"] = component_breakdown(nlp, docs, args.batch_size)
    return out


def _copy_doc(nlp, doc):
    new = nlp.make_doc(doc.text)
    for name in ("published_at", "outlet", "author"):
        setattr(new._, name, getattr(doc._, name))
    return new


def component_breakdown(nlp, docs, batch_size: int) -> list[dict]:
    """Run the pipeline one component at a time over all docs and time each component."""
    t0 = time.perf_counter()
    docs = [_copy_doc(nlp, d) for d in docs]
    rows = [{"component": "tokenizer (make_doc)", "seconds": round(time.perf_counter() - t0, 3)}]
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(d) for d in docs]
        rows.append({"component": name, "seconds": round(time.perf_counter() - t0, 3)})
    total = sum(r["seconds"] for r in rows) or 1.0
    for r in rows:
        r["share"] = round(r["seconds"] / total, 3)
    return rows


# ------------------------------------------------------------------------------ profile
# cProfile and pyinstrument are no use here: this spaCy build's Cython modules (tokens/token.pyx,
# doc.pyx, ...) emit profiling events, so any profile hook charges most time to Token/Doc
# attribute access, loses the Python call stacks, and grows memory by gigabytes (100 articles
# under cProfile were killed for memory at 24 GB). Instead, `--profile` wraps the stages of
# ingest and claimledger's functions with a timer that charges each moment to the innermost
# stage running (exclusive time), at about a microsecond per call.
class Sections:
    # claimledger functions timed inside the attribution component (module globals looked up
    # at call time, so replacing them on the module takes effect); names that do not exist in
    # the installed version are skipped.
    ATTRIBUTION_FUNCTIONS = ("sentence_span", "trim", "quote_spans", "quote_kind", "cue_span",
                             "subject_of", "subtree_span", "channel_from_verb",
                             "channel_from_source", "describe")
    ATTRIBUTION_METHODS = ("__init__", "speaker_label", "verb_cues", "according_to",
                           "report_nouns", "headline", "continued_quote", "assertion",
                           "_covered", "_root_not_covered", "fold_nested", "resolve_sources")

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.stack: list[str] = []
        self.last = time.perf_counter()

    def enter(self, name: str) -> None:
        now = time.perf_counter()
        if self.stack:
            top = self.stack[-1]
            self.totals[top] = self.totals.get(top, 0.0) + now - self.last
        self.stack.append(name)
        self.last = now

    def leave(self) -> None:
        now = time.perf_counter()
        name = self.stack.pop()
        self.totals[name] = self.totals.get(name, 0.0) + now - self.last
        self.last = now

    def function(self, name: str, fn):
        def timed(*a, **k):
            self.calls[name] = self.calls.get(name, 0) + 1
            self.enter(name)
            try:
                return fn(*a, **k)
            finally:
                self.leave()
        timed.__wrapped__ = fn
        return timed

    def generator(self, name: str, it):
        """Charge the time spent producing each item of `it` (minus inner stages) to name."""
        self.enter(name)
        try:
            it = iter(it)
        finally:
            self.leave()
        while True:
            self.enter(name)
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self.leave()
            self.calls[name] = self.calls.get(name, 0) + 1
            yield item

    def install(self, ledger) -> None:
        import spacy.language

        from claimledger import ingest as reader
        from claimledger.claims import attribution, build
        from claimledger.ingest import dedupe
        from claimledger.store.sqlite import Store

        nlp = ledger.nlp
        # every pipeline component, via the helper Language.pipe runs each one through
        original_pipe = spacy.language._pipe

        def timed_pipe(docs, proc, name, default_error_handler, kwargs):
            return self.generator(f"nlp: {name}", original_pipe(
                docs, proc, name, default_error_handler, kwargs))
        spacy.language._pipe = timed_pipe
        nlp.make_doc = self.function("nlp: tokenizer (make_doc)", nlp.make_doc)

        original_read = reader.read
        reader.read = lambda *a, **k: self.generator("read files (ingest.read)",
                                                     original_read(*a, **k))
        build.build_claims = self.function("claims: build_claims", build.build_claims)
        for name in ("content_hash", "shingle_signature"):
            if hasattr(dedupe, name):
                setattr(dedupe, name, self.function(f"dedupe: {name}", getattr(dedupe, name)))
        for name in ("has_hash", "band_candidates", "add_document", "add_rejected"):
            if hasattr(Store, name):
                setattr(Store, name, self.function(f"store: {name}", getattr(Store, name)))
        for name in self.ATTRIBUTION_FUNCTIONS:
            fn = getattr(attribution, name, None)
            if callable(fn):
                setattr(attribution, name, self.function(f"attribution: {name}", fn))
        finder = getattr(attribution, "AttributionFinder", None)
        for name in self.ATTRIBUTION_METHODS if finder is not None else ():
            fn = finder.__dict__.get(name)
            if callable(fn):
                setattr(finder, name, self.function(f"attribution: {name}", fn))

    def summary(self, wall: float) -> dict:
        timed = sum(self.totals.values())
        rows = sorted(self.totals.items(), key=lambda kv: -kv[1])
        rows.append(("other (ledger loop, batching)", max(wall - timed, 0.0)))
        sections = [{"section": n, "seconds": round(t, 3), "share": round(t / wall, 3),
                     "calls": self.calls.get(n)} for n, t in rows]
        areas: dict[str, float] = {}
        for n, t in rows:
            areas[_area(n)] = areas.get(_area(n), 0.0) + t
        return {"wall_s": round(wall, 3), "sections": sections,
                "areas": [{"area": a, "seconds": round(t, 3), "share": round(t / wall, 3)}
                          for a, t in sorted(areas.items(), key=lambda kv: -kv[1])]}


def _area(section: str) -> str:
    """Group sections: spaCy's own model, each claimledger component, reading, storing."""
    if section.startswith("attribution:") or section == "nlp: claimledger_attribution_v1":
        return "claimledger attribution (claims/attribution.py, sources)"
    if section.startswith("nlp: claimledger_"):
        return "claimledger " + section[len("nlp: claimledger_"):].rsplit("_v", 1)[0]
    if section.startswith("nlp: "):
        return "spaCy model (tokenizer, tok2vec, tagger, parser, NER, ...)"
    if section.startswith(("store:", "dedupe:")):
        return "store + dedupe (SQLite, shingles)"
    if section.startswith("claims:"):
        return "claim building (claims/build.py)"
    if section.startswith("read files"):
        return "reading + boilerplate (ingest/)"
    return "other"


# ------------------------------------------------------------------------------ parent
def child(args) -> int:
    corpus = resolve_corpus(args.corpus)
    files = corpus_files(corpus, args.limit)
    run = {"spacy": run_spacy, "claimledger": run_claimledger,
           "claimledger-nlp": run_claimledger_nlp, "writer": run_writer,
           "dask": run_dask}[args.variant]
    load_before = loadavg()
    result = run(files, args)
    result.setdefault("peak_rss_mb", round(peak_rss_mb(), 1))
    result["variant"] = args.variant
    result["loadavg_before"] = load_before
    result["loadavg_after"] = loadavg()
    print(MARKER + json.dumps(result), flush=True)
    return 0


def resolve_corpus(corpus: str) -> Path:
    path = Path(corpus)
    if not path.is_absolute():
        path = (REPO / path).resolve()
    return path


def launch(variant: str, args) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--variant", variant,
           "--corpus", str(resolve_corpus(args.corpus)), "--limit", str(args.limit),
           "--model", args.model, "--batch-size", str(args.batch_size),
           "--repeat", str(args.repeat), "--workers", str(args.workers)]
    if args.profile:
        cmd.append("--profile")
    if not args.breakdown:
        cmd.append("--no-breakdown")
    proc = subprocess.run(cmd, check=False, cwd=REPO, stdout=subprocess.PIPE, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARKER)]
    if proc.returncode != 0 or not lines:
        sys.exit(f"variant {variant!r} failed (exit status {proc.returncode}); "
                 f"its output:\n{proc.stdout[-4000:]}")
    return json.loads(lines[-1][len(MARKER):])


def print_table(report: dict) -> None:
    m = report["machine"]
    print(f"claimledger ingest benchmark  commit {m['commit']}  "
          f"model {m['model']}  spaCy {m['spacy']}  Python {m['python']}")
    if report.get("commit_at_start") not in (None, m["commit"]):
        print(f"warning: the checkout changed during the run (at start: "
              f"{report['commit_at_start']}); the variants may have run different code")
    print(f"machine: {m['cpus']} CPU(s) ({m['cpu']}), {m['platform']}")
    print(f"corpus: {report['corpus']} ({report['files']} files, limit {report['limit']}), "
          f"batch size {report['batch_size']}, repeat {report['repeat']} (median shown)")
    print()
    head = (f"{'variant':<16} {'articles':>8} {'docs':>6} {'claims':>7} {'seconds':>8} "
            f"{'articles/s':>10} {'chars/s':>9} {'load s':>7} {'peak RSS MB':>11}")
    print(head)
    print("-" * len(head))
    for r in report["results"]:
        print(f"{r['variant']:<16} {r['articles']:>8} {r.get('documents', ''):>6} "
              f"{r.get('claims', '-'):>7} {r['seconds']:>8.2f} {r['articles_per_s']:>10.2f} "
              f"{r['chars_per_s']:>9} {r['load_s']:>7.2f} {r['peak_rss_mb']:>11.1f}")
    print()
    for key, label in (("ratio_claimledger_vs_spacy", "claimledger ingest / spaCy nlp.pipe"),
                       ("ratio_claimledger_nlp_vs_spacy",
                        "claimledger pipeline only / spaCy nlp.pipe")):
        if key in report:
            print(f"speed ratio, {label}: {report[key]:.2f}  (aim: >= 0.8)"
                  if key == "ratio_claimledger_vs_spacy" else
                  f"speed ratio, {label}: {report[key]:.2f}")
    by_name = {r["variant"]: r for r in report["results"]}
    if "dask" in by_name and "claimledger" in by_name:
        d, w = by_name["dask"], by_name["claimledger"]
        extra = (d["seconds"] - w["seconds"]) / max(1, d["articles"])
        print(f"Dask {d['cluster']} against --workers in the same run: "
              f"{d['articles_per_s'] / w['articles_per_s']:.2f} of its speed; "
              f"{1000 * extra:.1f} ms more per article, of which the cluster's start "
              f"({d['start_s']:.1f} s alone) is {1000 * d['start_s'] / d['articles']:.1f} ms")
    for r in report["results"]:
        if r["variant"] == "writer":
            print(f"writer's ceiling: {r['articles_per_s']:.2f} articles/s dedupe, link and "
                  f"store (parsing the same in one process: {r['parse_articles_per_s']} "
                  "articles/s)")
    for r in report["results"]:
        if r.get("components"):
            print("\nclaimledger-nlp, component by component (one component over all docs):")
            for c in r["components"]:
                print(f"  {c['component']:<34} {c['seconds']:>8.2f} s  {c['share']:>6.1%}")
        if r.get("profile"):
            p = r["profile"]
            print(f"\nwhere claimledger ingest spends its time ({p['wall_s']:.1f} s wall with "
                  "the section timer; exclusive time):")
            for row in p["areas"]:
                print(f"  {row['area']:<58} {row['seconds']:>8.2f} s  {row['share']:>6.1%}")
            print("\nsections:")
            for row in p["sections"][:30]:
                calls = f"{row['calls']} calls" if row["calls"] else ""
                print(f"  {row['section']:<45} {row['seconds']:>8.2f} s  {row['share']:>6.1%}"
                      f"  {calls}")
    la = [(r["variant"], r.get("loadavg_before")) for r in report["results"]]
    print("\nload average (1/5/15 min) at the start of each variant: "
          + "; ".join(f"{v} {load}" for v, load in la)
          + "  (other processes on the machine affect the timings)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] + " Reports articles/s, chars/s and peak memory "
        "(ru_maxrss, per variant: each runs in its own subprocess) of plain spaCy nlp.pipe, "
        "claimledger's whole Ledger.ingest (reading, NLP with claimledger's components, "
        "claim building, SQLite writes) and claimledger's pipeline alone, over the same "
        "article files, plus the speed ratio claimledger/spaCy. Model load is excluded from "
        "the timings and reported separately.",
        epilog="examples:  make bench  (= .venv/bin/python benchmarks/ingest_speed.py);  "
               "--limit 100 --profile  (where ingest spends its time);  "
               "--variants spacy,claimledger --repeat 3 --json.  "
               "Timings depend on what else runs on the machine: the load average at the "
               "start of each variant is printed.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS,
                        help="directory of .txt news articles (first line the title), relative "
                             "to the repository root unless absolute; read in place")
    parser.add_argument("--limit", type=int, default=600,
                        help="use the first N files in name order (0: all)")
    parser.add_argument("--model", default="en_core_web_md", help="spaCy model")
    parser.add_argument("--batch-size", type=int, default=8,
                        help="batch size for nlp.pipe and for ingest")
    parser.add_argument("--workers", type=int, default=0,
                        help="claimledger: parsing processes (ingest --workers; 0: in the "
                             "benchmark's process); spacy: nlp.pipe's n_process (0 or 1: one)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed passes per variant (same process, fresh ledger each pass); "
                             "the median is reported")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help="comma-separated variants to run, from: "
                             + ", ".join(VARIANTS + EXTRA_VARIANTS))
    parser.add_argument("--no-breakdown", dest="breakdown", action="store_false",
                        help="skip the component-by-component pass that follows the timed "
                             "claimledger-nlp run (breakdown: %(default)s)")
    parser.add_argument("--profile", action="store_true",
                        help="run only the claimledger variant, with a timer around each stage of "
                             "ingest, each pipeline component and the attribution rules, and "
                             "print where the time goes (use with e.g. --limit 100; adds a "
                             "little overhead)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object instead of the table")
    parser.add_argument("--variant", choices=VARIANTS + EXTRA_VARIANTS,
                        help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)

    corpus = resolve_corpus(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"corpus directory not found: {corpus}\n"
                 f"(--corpus defaults to {DEFAULT_CORPUS} relative to the repository root, "
                 "the PolNeAR news texts; point --corpus at a directory of .txt articles)")
    files = corpus_files(corpus, args.limit)
    if not files:
        sys.exit(f"no .txt files in {corpus}")
    if args.repeat < 1 or args.batch_size < 1:
        sys.exit("--repeat and --batch-size must be at least 1")

    if args.variant:
        return child(args)

    variants = ["claimledger"] if args.profile else [
        v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = set(variants) - set(VARIANTS + EXTRA_VARIANTS)
    if unknown:
        sys.exit(f"unknown variant(s): {', '.join(sorted(unknown))}; choose from "
                 + ", ".join(VARIANTS + EXTRA_VARIANTS))
    if not args.json:
        print(f"running {', '.join(variants)} over {len(files)} files from {corpus} "
              "(each in its own process) ...", file=sys.stderr, flush=True)
    commit_before = git_commit()
    results = []
    for v in variants:
        if not args.json:
            print(f"  {v} ...", file=sys.stderr, flush=True)
        results.append(launch(v, args))
    report = {"date": time.strftime("%Y-%m-%d"), "machine": machine(args.model),
              "commit_at_start": commit_before,
              "corpus": str(corpus), "files": len(files), "limit": args.limit,
              "batch_size": args.batch_size, "repeat": args.repeat, "results": results}
    speed = {r["variant"]: r["articles_per_s"] for r in results}
    if speed.get("spacy") and speed.get("claimledger"):
        report["ratio_claimledger_vs_spacy"] = round(speed["claimledger"] / speed["spacy"], 3)
    if speed.get("spacy") and speed.get("claimledger-nlp"):
        report["ratio_claimledger_nlp_vs_spacy"] = round(
            speed["claimledger-nlp"] / speed["spacy"], 3)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
