"""Stance of report headlines toward claims, and `claimledger eval emergent`."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from claimledger.assess.stance import (StanceModel, accuracy_and_macro_f1, features,
                                       folds_by_claim, Reading)
from claimledger.cli import main

ROWS = [
    ("c1", "Budanov says troops arrive in Kursk", "North Korean troops arrive in Kursk", "for"),
    ("c1", "Budanov says troops arrive in Kursk", "Kremlin denies North Korean troops are in Kursk", "against"),
    ("c1", "Budanov says troops arrive in Kursk", "Troops may be heading to Kursk, reports claim", "observing"),
    ("c2", "A nun gave birth to a baby", "Nun gives birth to surprise baby", "for"),
    ("c2", "A nun gave birth to a baby", "Nun birth story is a hoax, diocese says", "against"),
    ("c2", "A nun gave birth to a baby", "Reports claim nun gave birth?", "observing"),
    ("c3", "Banksy was arrested in London", "Banksy arrested in London", "for"),
    ("c3", "Banksy was arrested in London", "Police deny reports of Banksy arrest", "against"),
    ("c3", "Banksy was arrested in London", "Banksy reportedly arrested, unconfirmed reports say", "observing"),
]


def write_csv(path, rows):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["claimId", "claimHeadline", "articleId", "articleHeadline",
                    "articleHeadlineStance"])
        for i, (cid, claim, head, stance) in enumerate(rows):
            w.writerow([cid, claim, f"a{i}", head, stance])
    return str(path)


def test_folds_never_split_a_claim():
    ids = ["a", "b", "a", "c", "b", "d", "a"]
    fold = folds_by_claim(ids, 3)
    for cid in set(ids):
        assert len({f for i, f in zip(ids, fold) if i == cid}) == 1


def test_training_learns_a_separable_signal():
    rows = [features(h, "claim", Reading()) for h in
            ["it is a hoax", "a hoax indeed", "it is true", "true story", "reports say so",
             "reports claim it"]]
    labels = ["against", "against", "for", "for", "observing", "observing"]
    model = StanceModel.train(rows, labels, min_count=1)
    assert [model.predict(r) for r in rows] == labels
    again = StanceModel.from_json(model.to_json())
    assert again.weights == model.weights


def test_scores():
    result = accuracy_and_macro_f1(["for", "against", "observing", "for"],
                                   ["for", "against", "for", "for"])
    assert result["accuracy"] == 0.75
    assert 0 < result["macro_f1"] < 1


@pytest.mark.slow
def test_eval_emergent_command(tmp_path):
    path = write_csv(tmp_path / "fixture.csv", ROWS)
    result = CliRunner().invoke(main, ["eval", "emergent", path])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert 0 <= scores["accuracy"] <= 1 and 0 <= scores["macro_f1"] <= 1
    assert scores["n"] == len(ROWS)
    # The shipped model reads clear refutations and hedges right.
    assert scores["accuracy"] >= 0.6
    cv = CliRunner().invoke(main, ["eval", "emergent", path, "--cross-validate", "3"])
    assert cv.exit_code == 0 and "cross-validation" in json.loads(cv.stdout)["method"]


def test_eval_emergent_rejects_a_wrong_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(main, ["eval", "emergent", str(bad)])
    assert result.exit_code != 0 and "lacks the column" in result.output
