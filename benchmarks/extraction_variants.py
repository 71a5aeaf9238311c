"""Article text: claimledger's ingest path against trafilatura settings, in one run.

Every variant reads the same pages of an article-extraction-benchmark directory (by default
../shared/data/article-extraction, read in place, never copied) and is scored by
`claimledger.evaluate.extraction` (the benchmark's 4-token shingle scorer):

  claimledger        the ingest path: claimledger.ingest.read -> formats.read_html (what
                     `claimledger eval extraction` scores)
  trafilatura        trafilatura.extract(html, include_comments=False): the benchmark's own
                     run_trafilatura.py, library defaults (fallbacks on)
  fast               trafilatura.extract(..., fast=True): no readability/jusText fallbacks
  favor-recall       trafilatura.extract(..., favor_recall=True)
  favor-precision    trafilatura.extract(..., favor_precision=True)
  no-tables          trafilatura.extract(..., include_tables=False)
  read_html-raw      read_html's trafilatura call alone: no split-body recovery, no headline
                     or boilerplate cuts
  no-split-body      claimledger without the recovery of a body split over sibling containers
  no-menu-runs       claimledger without cutting long runs of menu items
  headline-first     claimledger looking for the repeated headline on the first line only
  with-fallbacks     claimledger with trafilatura's readability/jusText fallbacks (fast=False)

Run from the repository root:  .venv/bin/python benchmarks/extraction_variants.py
Per-page scores of one variant, worst first:  ... --worst 15 --variant claimledger
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from claimledger.evaluate import extraction  # noqa: E402 (after the path is set)

DEFAULT_CORPUS = str(REPO.parent / "shared" / "data" / "article-extraction")


def _html(path: Path) -> str:
    import gzip

    from claimledger.ingest.core import decode

    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return decode(raw)


def _trafilatura(**options):
    def run(path: Path):
        import trafilatura

        text = trafilatura.extract(_html(path), include_comments=False, **options)
        return (text or ""), (None if text else "no text")
    return run


def _read_html_raw(path: Path):
    import trafilatura

    doc = trafilatura.bare_extraction(_html(path), with_metadata=True, fast=True,
                                      include_comments=False)
    text = (doc.text if doc else "") or ""
    return text, (None if text else "no text")


def _ingest_with(**patches):
    """The ingest path with module attributes of claimledger.ingest patched for the run."""
    def run(path: Path):
        from claimledger.ingest import boilerplate, formats

        modules = {"formats": formats, "boilerplate": boilerplate}
        saved = []
        for dotted, value in patches.items():
            module, name = dotted.split(".")
            saved.append((modules[module], name, getattr(modules[module], name)))
            setattr(modules[module], name, value)
        try:
            return extraction.extract(path)
        finally:
            for module, name, value in saved:
                setattr(module, name, value)
    return run


def _with_fallbacks(path: Path):
    import trafilatura

    original = trafilatura.bare_extraction

    def slow(*args, **kwargs):
        return original(*args, **{**kwargs, "fast": False})
    trafilatura.bare_extraction = slow
    try:
        return extraction.extract(path)
    finally:
        trafilatura.bare_extraction = original


VARIANTS = {
    "claimledger": extraction.extract,
    "trafilatura": _trafilatura(),
    "fast": _trafilatura(fast=True),
    "favor-recall": _trafilatura(favor_recall=True),
    "favor-precision": _trafilatura(favor_precision=True),
    "no-tables": _trafilatura(include_tables=False),
    "read_html-raw": _read_html_raw,
    "no-split-body": _ingest_with(**{"formats._add_split_body": lambda html, lines: lines}),
    "no-menu-runs": _ingest_with(**{"boilerplate.MENU_RUN": 10 ** 9}),
    "headline-first": _ingest_with(**{"formats.HEADLINE_WITHIN": 1}),
    "with-fallbacks": _with_fallbacks,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS),
                        help="Run only these variants (repeatable). Default: all.")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--worst", type=int, metavar="N",
                        help="Also print the N worst pages (by page F1) of each variant.")
    args = parser.parse_args()
    gold = extraction.load(args.corpus)
    if args.limit:
        gold = dict(list(gold.items())[:args.limit])
    for name in args.variant or list(VARIANTS):
        texts = {}
        start = time.perf_counter()
        result = extraction.evaluate(args.corpus, limit=args.limit, extractor=_keep(
            VARIANTS[name], texts))
        seconds = time.perf_counter() - start
        shown = {k: round(v, 4) if isinstance(v, float) else v
                 for k, v in result.items() if k != "method"}
        shown["pages_per_s"] = round(result["pages"] / seconds, 1)
        print(f"{name:<16} {json.dumps(shown)}", flush=True)
        if args.worst:
            _print_worst(gold, texts, args.worst)


def _keep(extractor, texts: dict):
    """The extractor, also keeping each page's text under its id."""
    def run(path: Path):
        text, reason = extractor(path)
        texts[path.name.split(".")[0]] = text
        return text, reason
    return run


def _print_worst(gold: dict[str, str], texts: dict[str, str], n: int) -> None:
    rows = []
    for pid, body in gold.items():
        tp, fp, fn = extraction.match(body, texts.get(pid, ""))
        p, r = extraction.page_scores(tp, fp, fn)
        p, r = p or 0.0, r or 0.0
        rows.append((2 * p * r / (p + r) if p + r else 0.0, p, r, pid, tp, fp, fn))
    for f, p, r, pid, tp, fp, fn in sorted(rows)[:n]:
        print(f"    {pid[:16]}  f1={f:.3f} p={p:.3f} r={r:.3f}  tp={tp} fp={fp} fn={fn}")


if __name__ == "__main__":
    main()
