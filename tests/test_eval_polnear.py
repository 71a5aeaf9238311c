"""`claimledger eval polnear`: the BRAT reader, the scorer, predictions, and a score floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import main
from claimledger.evaluate import CorpusError
from claimledger.evaluate.polnear import (Article, Relation, content_extent, exact_matches,
                                          load, overlap_matches, read_ann, relation_matches,
                                          score, to_polnear, write_ann)

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev"

# Measured on the first 12 dev articles in sort order (2026-11-24): source 0.762, cue 0.732,
# content 0.561 exact / 0.814 overlap, relation 0.762. A drop below a floor fails CI.
FLOORS = {"source_f1": 0.73, "cue_f1": 0.70, "content_f1": 0.53, "content_overlap_f1": 0.78,
          "relation_f1": 0.73}

TEXT = ("Officials said that the bridge would reopen. “It is safe,” the mayor told reporters, "
        "“and we checked it.” Critics disagree.\n")
# source, cue and content of two attributions; the second content is discontinuous.
ANN = """T1\tSource 0 9\tOfficials
T2\tCue 10 14\tsaid
T3\tContent 15 43\tthat the bridge would reopen
T4\tAttribution 10 14\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 45 58;85 105\t“It is safe,” “and we checked it.”
T6\tSource 59 68\tthe mayor
T7\tCue 69 73\ttold
T8\tAttribution 69 73\ttold
E2\tAttribution:T8 Source:T6 Cue:T7 Content:T5
T9\tDiscuss 106 123\tCritics disagree.
"""


def chars(start: int, end: int) -> frozenset:
    return frozenset(range(start, end))


def write_split(root: Path, articles: dict[str, tuple[str, dict[str, str]]]) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for name, (text, anns) in articles.items():
        (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        for annotator, ann in anns.items():
            (root / "attributions" / f"{name}_{annotator}.ann").write_text(ann,
                                                                           encoding="utf-8")
    return root


# -- reading --------------------------------------------------------------------------------
def test_read_ann_roles_discontinuous_spans_and_non_attributions():
    relations, spans = read_ann(ANN)
    assert len(relations) == 2
    assert relations[0] == Relation(chars(0, 9), chars(10, 14), chars(15, 43))
    assert relations[1].content == chars(45, 58) | chars(85, 105)  # the pieces' characters
    assert 60 not in relations[1].content
    assert len(spans["content"]) == 2 and len(spans["source"]) == 2
    assert all(110 not in s for role in spans.values() for s in role)  # Discuss is not one


def test_read_ann_second_content_no_source_and_wrapped_text():
    ann = ("T1\tCue 0 4\tsaid\nT2\tContent 5 9\tthis\nT3\tContent 12 16\tthat\n"
           "T4\tAttribution-no-source 0 4\tsaid\n"
           "E1\tAttribution-no-source:T4 Cue:T1 Content:T2 Content2:T3\n"
           "T5\tContent 20 40\ta span whose text\nruns onto a second line\n")
    relations, spans = read_ann(ann)
    assert relations == [Relation(frozenset(), chars(0, 4), chars(5, 9) | chars(12, 16))]
    assert chars(20, 40) in spans["content"]  # a content outside any attribution still counts
    assert spans["source"] == []


def test_read_ann_rejects_a_malformed_line():
    with pytest.raises(ValueError, match="not BRAT"):
        read_ann("T1\tSource nine 12\tOfficials\n", "x.ann")


def test_load_takes_the_first_annotator_in_sort_order(tmp_path):
    other = "T1\tCue 10 14\tsaid\nT2\tAttribution 10 14\tsaid\nE1\tAttribution:T2 Cue:T1\n"
    root = write_split(tmp_path / "split", {"a": (TEXT, {"ef2d": other, "4e07": ANN})})
    [article] = load(str(root))
    assert len(article.relations) == 2  # 4e07 sorts before ef2d


def test_load_errors_are_clear(tmp_path):
    with pytest.raises(CorpusError, match="text/"):
        load(str(tmp_path))
    root = write_split(tmp_path / "bad", {"a": (TEXT, {"x": "T1\tCue 3\tsaid\n"})})
    with pytest.raises(CorpusError, match="a_x.ann"):
        load(str(root))
    root = write_split(tmp_path / "past", {"a": ("short", {"x": ANN})})
    with pytest.raises(CorpusError, match="past the end"):
        load(str(root))


# -- scoring --------------------------------------------------------------------------------
def test_exact_and_overlap_matching_are_one_to_one():
    gold = [chars(0, 10), chars(20, 30)]
    assert exact_matches([chars(0, 10), chars(0, 10)], gold) == 1
    assert exact_matches([chars(0, 9)], gold) == 0
    # one prediction overlapping both gold spans takes the one it shares most with
    assert overlap_matches([chars(8, 30)], gold) == 1
    assert overlap_matches([chars(8, 30), chars(0, 9)], gold) == 2
    assert overlap_matches([chars(40, 50)], gold) == 0


def test_relations_need_cue_source_and_content_of_the_same_attribution():
    gold = [Relation(chars(0, 9), chars(10, 14), chars(15, 43))]
    good = Relation(chars(0, 5), chars(10, 14), chars(20, 30))
    assert relation_matches([good], gold) == 1
    assert relation_matches([Relation(chars(50, 55), chars(10, 14), chars(20, 30))], gold) == 0
    assert relation_matches([Relation(frozenset(), chars(10, 14), chars(20, 30))], gold) == 0
    no_source = [Relation(frozenset(), chars(10, 14), chars(15, 43))]
    assert relation_matches(no_source, no_source) == 1  # absent from both agrees


def test_score_of_perfect_and_of_partial_predictions():
    relations, spans = read_ann(ANN)
    gold = [Article("a", TEXT, relations, spans)]
    perfect = score(gold, [relations])
    assert all(perfect[k] == 1.0 for k in perfect if k.endswith(("f1", "precision", "recall")))
    half = [Relation(relations[0].source, relations[0].cue, chars(20, 43))]
    result = score(gold, [half])
    assert result["cue_precision"] == 1.0 and result["cue_recall"] == 0.5
    assert result["content_precision"] == 0.0 and result["content_overlap_precision"] == 1.0
    assert result["relation_f1"] == pytest.approx(2 / 3)


def test_predictions_round_trip_through_brat(tmp_path):
    relations, _ = read_ann(ANN)
    relations.append(Relation(frozenset(), chars(106, 113), chars(114, 122)))
    path = tmp_path / "a.ann"
    write_ann(path, TEXT, relations)
    again, _ = read_ann(path.read_text(encoding="utf-8"))
    assert again == relations
    assert "Attribution-no-source" in path.read_text(encoding="utf-8")


def test_content_extent_follows_polnear():
    text = "He said that “the bridge is safe.” Then"
    start = text.index("the bridge")
    s, e = content_extent(text, start, text.index(".”"))
    assert text[s:e] == "that “the bridge is safe.”"
    plain = "She said the bridge is safe."
    s, e = content_extent(plain, plain.index("the"), plain.index("."))
    assert plain[s:e] == "the bridge is safe"


# -- claimledger's own attributions ---------------------------------------------------------
@pytest.fixture(scope="module")
def nlp():
    from claimledger.nlp.pipeline import load_pipeline

    return load_pipeline("en_core_web_md")


def test_a_split_quote_is_one_content_and_assertions_are_not_attributions(nlp):
    from claimledger.claims.attribution import AttributionFinder

    text = ("“It is safe,” the mayor told reporters on Monday, “and we checked it twice.” "
            "The bridge opened in 1990.")
    doc = nlp(text)
    relations = to_polnear(text, AttributionFinder(doc).find())
    assert len(relations) == 1
    [rel] = relations
    content = "".join(text[i] for i in sorted(rel.content))
    assert content == "“It is safe,”“and we checked it twice.”"
    assert "".join(text[i] for i in sorted(rel.source)) == "the mayor"
    assert "".join(text[i] for i in sorted(rel.cue)) == "told"


def test_learned_cues_find_attributions_the_lexicon_does_not_know(nlp):
    from claimledger.claims.attribution import AttributionFinder

    text = "Senator Jane Ellis has called for a full investigation of the contract."
    found = [a for a in AttributionFinder(nlp(text)).find() if a.rule != "assertion"]
    assert [text[a.cue_start:a.cue_end] for a in found] == ["has called for"]
    assert text[found[0].content_start:found[0].content_end] == \
        "a full investigation of the contract"
    without = AttributionFinder(nlp(text), learned_cues=False).find()
    assert all(a.rule == "assertion" for a in without)


def test_cli_prints_metrics_and_writes_brat_predictions(tmp_path, nlp):
    root = write_split(tmp_path / "split", {"a": (TEXT, {"4e07": ANN})})
    runner = CliRunner()
    out = tmp_path / "pred"
    result = runner.invoke(main, ["eval", "polnear", str(root), "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    for key in ("source_f1", "source_overlap_f1", "cue_f1", "content_f1",
                "content_overlap_f1", "relation_f1", "relation_precision", "relation_recall"):
        assert 0.0 <= metrics[key] <= 1.0
    assert metrics["articles"] == 1 and metrics["gold_attributions"] == 2
    predicted, _ = read_ann((out / "a.ann").read_text(encoding="utf-8"))
    assert predicted  # "Officials said that ..." at least
    table = runner.invoke(main, ["eval", "polnear", str(root), "--table"])
    assert table.exit_code == 0 and "relation_f1" in table.output
    assert not table.output.lstrip().startswith("{")


def test_cli_on_a_directory_that_is_not_a_split(tmp_path):
    result = CliRunner().invoke(main, ["eval", "polnear", str(tmp_path)])
    assert result.exit_code == 1
    assert "no text/*.txt" in result.output


# -- the floor ------------------------------------------------------------------------------
def test_scores_on_a_fixed_dev_sample_stay_above_their_floors(nlp):
    if not DEV.is_dir():
        pytest.skip("../shared/data/polnear is not beside the checkout")
    from claimledger.evaluate.polnear import evaluate

    result = evaluate(str(DEV), nlp, limit=12)
    low = {k: round(result[k], 3) for k, floor in FLOORS.items() if result[k] < floor}
    assert not low, f"below the floor {FLOORS}: {low}"
