"""Train the stance model shipped as src/claimledger/assess/data/stance_v1.json.

    .venv/bin/python scripts/train_stance.py ../shared/data/emergent/train.csv

Deterministic: the same CSV and model give the same weights.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from claimledger.assess.stance import StanceModel
from claimledger.evaluate.emergent import feature_rows, load
from claimledger.nlp.pipeline import load_pipeline

OUT = Path(__file__).resolve().parents[1] / "src/claimledger/assess/data/stance_v1.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", help="Emergent-format CSV to train on")
    parser.add_argument("--model", default="en_core_web_md")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    rows = load(args.csv)
    x = feature_rows(rows, load_pipeline(args.model))
    model = StanceModel.train(x, [r["articleHeadlineStance"] for r in rows])
    Path(args.out).write_text(model.to_json() + "\n")
    print(f"wrote {args.out}: {len(model.weights)} features from {len(rows)} rows")


if __name__ == "__main__":
    main()
