"""Train the learned cue detector (`claimledger.cues.v1`) on a PolNeAR training split.

    python scripts/train_cues.py ../shared/data/polnear/train
    python scripts/train_cues.py ../shared/data/polnear/train --cache /tmp/polnear-train.spacy

Each verb of each article is an example; it is positive when it heads a gold cue (it lies in
the cue and its syntactic head does not). Writes src/claimledger/claims/data/cues_v1.json
(or --out). Training is deterministic: the same parses give the same weights.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spacy.tokens import DocBin

from claimledger.claims.attribution import quote_spans
from claimledger.claims.cues import CueModel, features, is_candidate
from claimledger.evaluate.polnear import load, parse_only
from claimledger.nlp.pipeline import load_pipeline

OUT = Path(__file__).resolve().parents[1] / "src/claimledger/claims/data/cues_v1.json"


def parsed(articles, model: str, cache: Path | None):
    nlp = load_pipeline(model)
    if cache is not None and cache.exists():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = []
    for i, doc in enumerate(nlp.pipe((a.text for a in articles), batch_size=16,
                                     disable=parse_only(nlp)), 1):
        docs.append(doc)
        if i % 50 == 0:
            print(f"parsed {i}/{len(articles)}", file=sys.stderr)
    if cache is not None:
        bin_ = DocBin(store_user_data=False)
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    return docs


def examples(articles, docs):
    rows, labels = [], []
    for article, doc in zip(articles, docs):
        heads = set()
        for rel in article.relations:
            for tok in doc:
                if tok.idx in rel.cue and (tok.head.i == tok.i or tok.head.idx not in rel.cue):
                    heads.add(tok.i)
        quotes = quote_spans(doc)
        for tok in doc:
            if is_candidate(tok):
                inq = any(qs < tok.idx < qe for qs, qe in quotes)
                rows.append(features(tok, inq))
                labels.append(int(tok.i in heads))
    return rows, labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split", help="PolNeAR training split (text/, attributions/)")
    ap.add_argument("--model", default="en_core_web_md")
    ap.add_argument("--cache", type=Path, help="keep the parses here and reuse them")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    articles = load(args.split)
    docs = parsed(articles, args.model, args.cache)
    rows, labels = examples(articles, docs)
    print(f"{len(rows)} verbs, {sum(labels)} cue heads", file=sys.stderr)
    model = CueModel.train(rows, labels)
    model.threshold = args.threshold
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json() + "\n")
    print(f"wrote {args.out} ({len(model.weights)} features)", file=sys.stderr)


if __name__ == "__main__":
    main()
