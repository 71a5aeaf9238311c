"""`claimledger eval emergent FILE`: stance of report headlines toward claims.

FILE is a CSV with the columns of Emergent (Ferreira & Vlachos 2016): claimId,
claimHeadline, articleId, articleHeadline, articleHeadlineStance (for / against /
observing). By default the shipped model is scored on FILE. With `folds`, the method is
trained and tested on FILE itself by cross-validation grouped by claim, so that no claim is
in both the training and the test part of a fold.
"""

from __future__ import annotations

import csv
from typing import Optional

from claimledger.assess.stance import (LABELS, MODEL_NAME, StanceModel, accuracy_and_macro_f1,
                                       features, folds_by_claim, read_headlines)
from claimledger.evaluate import CorpusError

COLUMNS = ("claimId", "claimHeadline", "articleHeadline", "articleHeadlineStance")


def load(path: str) -> list[dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from exc
    if not rows:
        raise CorpusError(f"{path} has no rows")
    missing = [c for c in COLUMNS if c not in rows[0]]
    if missing:
        raise CorpusError(f"{path} lacks the column(s) {', '.join(missing)}")
    bad = {r["articleHeadlineStance"] for r in rows} - set(LABELS)
    if bad:
        raise CorpusError(f"{path} has stances other than {'/'.join(LABELS)}: {sorted(bad)}")
    return rows


def feature_rows(rows: list[dict[str, str]], nlp) -> list[dict[str, float]]:
    readings = read_headlines([r["articleHeadline"] for r in rows], nlp)
    return [features(r["articleHeadline"], r["claimHeadline"], reading)
            for r, reading in zip(rows, readings)]


def evaluate(path: str, nlp, *, folds: Optional[int] = None,
             model: Optional[StanceModel] = None) -> dict:
    rows = load(path)
    x = feature_rows(rows, nlp)
    gold = [r["articleHeadlineStance"] for r in rows]
    if folds:
        fold = folds_by_claim([r["claimId"] for r in rows], folds)
        predicted = [""] * len(rows)
        for k in range(folds):
            train = [i for i, f in enumerate(fold) if f != k]
            trained = StanceModel.train([x[i] for i in train], [gold[i] for i in train])
            for i, f in enumerate(fold):
                if f == k:
                    predicted[i] = trained.predict(x[i])
        method = f"{MODEL_NAME}, {folds}-fold cross-validation grouped by claim on FILE"
    else:
        model = model or StanceModel.shipped()
        predicted = [model.predict(f) for f in x]
        method = f"{MODEL_NAME}, shipped weights"
    result: dict[str, float | str] = dict(accuracy_and_macro_f1(gold, predicted))
    result["method"] = method
    return result
