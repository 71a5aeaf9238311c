"""claimledger's attribute rules against the model's attribute_ruler: the same token
attributes, and the time each takes, over the evaluation corpora's texts.

For every text (PolNeAR articles, ECB+ articles, Emergent headlines and claims, TempEval
TimeML files, each up to --limit of its kind; read in place from ../shared/data), the plain
model and the model with `use_attribute_rules` parse it; every token's tag, part of
speech, morphology, lemma, dependency and entity type must be the same. Then each ruler
alone is timed over the first 200 texts, parsed up to the ruler beforehand.

Run from the repository root:  .venv/bin/python benchmarks/attribute_rules.py [--limit 900]
Exit status 1 if any document differs.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def texts(limit: int) -> list[str]:
    found = [p.read_text(encoding="utf-8")
             for p in sorted((DATA / "polnear" / "train" / "text").glob("*.txt"))[:limit]]
    ecb = DATA / "ecbplus" / "articles.jsonl"
    if ecb.exists():
        with ecb.open(encoding="utf-8") as f:
            for line in list(f)[:limit]:
                record = json.loads(line)
                found.append(record.get("text") or record.get("body") or "")
    for table in sorted((DATA / "emergent").rglob("*.csv"))[:1]:
        with table.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))[1:limit + 1]
        found += [" ".join(cell for cell in row if len(cell) > 20) for row in rows]
    found += [p.read_text(encoding="utf-8", errors="replace")[:20000]
              for p in sorted((DATA / "tempeval3").rglob("*.tml"))[:limit]]
    return [t for t in found if t.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=900, help="texts of each kind (default 900)")
    args = ap.parse_args(argv)
    from claimledger.nlp.attribute_rules import use_attribute_rules
    from claimledger.nlp.pipeline import load_model

    corpus = texts(args.limit)
    if not corpus:
        sys.exit(f"no texts found under {DATA}")
    model, ours = load_model("en_core_web_md"), load_model("en_core_web_md")
    if not use_attribute_rules(ours):
        sys.exit("the model's attribute rules could not be read")

    def seen(doc):
        return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in doc]

    differ = sum(seen(a) != seen(b) for a, b in zip(model.pipe(corpus, batch_size=8),
                                                     ours.pipe(corpus, batch_size=8)))
    print(f"{len(corpus)} texts; tokens' attributes differ in {differ}")
    # Timed on freshly loaded pipelines: the rules' memory of the tokens seen starts empty.
    model, ours = load_model("en_core_web_md"), load_model("en_core_web_md")
    use_attribute_rules(ours)
    before = [n for n in model.pipe_names if n in ("tok2vec", "tagger", "parser")]
    for name, nlp in (("model's attribute_ruler", model), ("claimledger's rules", ours)):
        with nlp.select_pipes(enable=before):
            docs = list(nlp.pipe(corpus[:200], batch_size=8))
        ruler = nlp.get_pipe("attribute_ruler")
        t0 = time.perf_counter()
        for doc in docs:
            ruler(doc)
        print(f"{name}: {time.perf_counter() - t0:.2f} s over {len(docs)} texts")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
