"""Tests for `claimledger eval tempeval` (claimledger.evaluate.tempeval): TempEval-3 task A."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import main
from claimledger.evaluate import CorpusError
from claimledger.evaluate.tempeval import (Counts, Timex, evaluate, metrics, parse_tml,
                                           predict, read_tml, score_document)

TBAQ = Path(__file__).resolve().parents[2] / "shared" / "data" / "tempeval3" / "TBAQ-cleaned"

# The CI gate: the first 20 .tml files of TBAQ-cleaned in sort order (all AQUAINT), measured
# 2026-11-24 at relaxed_f1 0.928, strict_f1 0.877, value_f1 0.698 (the whole corpus: 0.935,
# 0.872, 0.801). The floors sit about 0.02 below.
GATE_LIMIT = 20
FLOOR_RELAXED_F1 = 0.905
FLOOR_STRICT_F1 = 0.855
FLOOR_VALUE_F1 = 0.675

HEAD = '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>{docid}</DOCID>\n'
DCT = ('<DCT><TIMEX3 tid="t0" type="DATE" value="{value}" temporalFunction="false" '
       'functionInDocument="CREATION_TIME">{value}</TIMEX3></DCT>\n')

# DCT Friday 6 February 1998. Every expression is one the normaliser gets right.
DOC1 = HEAD.format(docid="DOC1") + DCT.format(value="1998-02-06") + (
    "<TEXT>\nPrices rose "
    '<TIMEX3 tid="t1" type="DATE" value="1998-02-05">yesterday</TIMEX3> after the report of '
    '<TIMEX3 tid="t2" type="DATE" value="1998-01">last month</TIMEX3>. The talks lasted '
    '<TIMEX3 tid="t3" type="DURATION" value="P3D">three days</TIMEX3> &amp; ended in '
    '<TIMEX3 tid="t4" type="DATE" value="1997">1997</TIMEX3>, officials said.\n</TEXT>\n'
    "</TimeML>\n"
)
# DCT Wednesday 11 March 1998; "early" left out of the gold extent, as TBAQ often does.
DOC2 = HEAD.format(docid="DOC2") + DCT.format(value="1998-03-11") + (
    "<TEXT>\nThe vote is due in early "
    '<TIMEX3 tid="t1" type="DATE" value="1998-04">April</TIMEX3>, and the count will take '
    '<TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3>.\n</TEXT>\n</TimeML>\n'
)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    write(root, "a/doc1.tml", DOC1)
    write(root, "b/doc2.tml", DOC2)
    return root


def spans(doc) -> list[tuple[str, str, str]]:
    return [(t.text, t.value, t.type) for t in doc.timexes]


# ---------------------------------------------------------------- reading TimeML
def test_parse_keeps_offsets_and_leaves_the_dct_out():
    doc = parse_tml(DOC1, "doc1.tml")
    assert doc.anchor.isoformat() == "1998-02-06"
    assert doc.dct.value == "1998-02-06"
    assert spans(doc) == [("yesterday", "1998-02-05", "DATE"), ("last month", "1998-01", "DATE"),
                          ("three days", "P3D", "DURATION"), ("1997", "1997", "DATE")]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.text
    assert "&" in doc.text and "&amp;" not in doc.text and "<" not in doc.text


def test_dct_inside_text_is_neither_gold_nor_predicted():
    source = HEAD.format(docid="D") + (
        '<TEXT><TIMEX3 tid="t0" type="DATE" value="1998-02-06" '
        'functionInDocument="CREATION_TIME">February 6, 1998</TIMEX3>\nHe left '
        '<TIMEX3 tid="t1" type="DATE" value="1998-02-05">yesterday</TIMEX3>.</TEXT></TimeML>')
    doc = parse_tml(source)
    assert doc.anchor.isoformat() == "1998-02-06"
    assert spans(doc) == [("yesterday", "1998-02-05", "DATE")]
    assert [t.text for t in predict(doc)] == ["yesterday"]


# ---------------------------------------------------------------- scoring known cases
def gold_doc():
    return parse_tml(DOC1)


def test_perfect_prediction_scores_one():
    doc = gold_doc()
    m = metrics(score_document(doc, list(doc.timexes)))
    for key in ("relaxed_f1", "strict_f1", "value_f1", "value_accuracy", "type_accuracy",
                "relaxed_precision", "relaxed_recall", "strict_precision", "strict_recall"):
        assert m[key] == 1.0, key


def test_partial_overlap_counts_for_relaxed_not_strict():
    doc = gold_doc()
    g = doc.timexes[1]  # "last month"
    shorter = Timex(g.start + 5, g.end, "month", g.value, g.type)
    c = score_document(doc, [shorter])
    assert (c.relaxed, c.strict, c.value) == (1, 0, 1)
    m = metrics(c)
    assert m["relaxed_precision"] == 1.0 and m["relaxed_recall"] == 0.25
    assert m["strict_f1"] == 0.0


def test_wrong_value_lowers_value_f1_only():
    doc = gold_doc()
    predicted = list(doc.timexes)
    g = predicted[0]
    predicted[0] = Timex(g.start, g.end, g.text, "1998-02-04", g.type)
    m = metrics(score_document(doc, predicted))
    assert m["relaxed_f1"] == m["strict_f1"] == 1.0
    assert m["value_accuracy"] == 0.75 and m["value_f1"] == 0.75
    assert m["type_accuracy"] == 1.0


def test_value_f1_is_value_accuracy_times_relaxed_f1():
    doc = gold_doc()
    g0, g1 = doc.timexes[0], doc.timexes[1]
    spurious = Timex(1, 7, doc.text[1:7], "2000", "DATE")  # "Prices": no gold there
    predicted = [Timex(g0.start, g0.end, g0.text, "1998-02-04", "DATE"), g1, spurious]
    m = metrics(score_document(doc, predicted))
    assert m["relaxed_precision"] == pytest.approx(2 / 3)
    assert m["relaxed_recall"] == pytest.approx(2 / 4)
    assert m["value_accuracy"] == pytest.approx(1 / 2)
    assert m["value_f1"] == pytest.approx(0.5 * m["relaxed_f1"])


def test_alignment_is_one_to_one():
    doc = gold_doc()
    first, second = doc.timexes[0], doc.timexes[1]
    both = Timex(first.start, second.end, doc.text[first.start:second.end], first.value, "DATE")
    c = score_document(doc, [both])
    assert c.relaxed == 1 and c.gold == 4 and c.predicted == 1


# ---------------------------------------------------------------- the whole command
def test_evaluate_runs_the_normaliser(corpus):
    m = evaluate(str(corpus))
    assert m["documents"] == 2 and m["skipped"] == 0 and m["duplicates"] == 0
    assert m["gold_timexes"] == 6
    # DOC1 is found exactly; in DOC2 "early April" overlaps the gold "April" (relaxed, not
    # strict) and "two weeks" after "take" is a duration.
    assert m["relaxed_f1"] == 1.0
    assert m["strict_f1"] == pytest.approx(5 / 6)
    assert m["value_f1"] == 1.0 and m["type_accuracy"] == 1.0
    assert "find_times" in m["method"]
    assert all(0.0 <= v <= 1.0 for k, v in m.items() if isinstance(v, float))


def test_predictions_are_well_formed_timeml_reproducing_the_text(corpus, tmp_path):
    out = tmp_path / "pred"
    m = evaluate(str(corpus), predictions=str(out))
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.tml"))
    assert written == ["a/doc1.tml", "b/doc2.tml"]
    total_tags = 0
    for name in written:
        source = (out / name).read_text(encoding="utf-8")
        root = ET.fromstring(source.encode("utf-8"))  # well-formed XML
        text_el = root.find("TEXT")
        gold = read_tml(corpus / name)
        assert "".join(text_el.itertext()) == gold.text  # tags only added, text untouched
        dct = root.find("DCT/TIMEX3")
        assert dct.get("functionInDocument") == "CREATION_TIME"
        assert dct.get("value") == gold.dct.value
        ours = read_tml(out / name)
        for t in ours.timexes:
            assert ours.text[t.start:t.end] == t.text and t.value
        tags = text_el.findall("TIMEX3")
        assert all(re.fullmatch(r"t[1-9]\d*", el.get("tid")) for el in tags)
        total_tags += len(tags)
    assert total_tags == m["predicted_timexes"]


def test_rescoring_written_predictions_gives_the_same_numbers(corpus, tmp_path):
    out = tmp_path / "pred"
    m = evaluate(str(corpus), predictions=str(out))
    total = Counts()
    for path in sorted(out.rglob("*.tml")):
        name = path.relative_to(out).as_posix()
        total.add(score_document(read_tml(corpus / name), read_tml(path).timexes))
    again = metrics(total)
    for key in ("relaxed_f1", "strict_f1", "value_f1", "type_accuracy"):
        assert again[key] == m[key]


def test_no_tml_files_is_a_corpus_error(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(CorpusError, match=str(tmp_path)):
        evaluate(str(tmp_path))
    with pytest.raises(CorpusError, match="missing"):
        evaluate(str(tmp_path / "missing"))


def test_malformed_file_is_skipped_and_the_run_goes_on(corpus, capsys):
    write(corpus, "c/broken.tml", DOC1.replace("</TEXT>", ""))
    write(corpus, "c/notimeml.tml", "<html><body>hello</body></html>")
    m = evaluate(str(corpus))
    assert m["skipped"] == 2 and m["documents"] == 2
    assert m["relaxed_f1"] == 1.0
    err = capsys.readouterr().err
    assert "broken.tml" in err and "notimeml.tml" in err


def test_only_malformed_files_is_a_corpus_error(tmp_path):
    write(tmp_path, "x.tml", "<TimeML><TEXT>unclosed")
    with pytest.raises(CorpusError, match="could be read"):
        evaluate(str(tmp_path))


def test_duplicates_limit_and_progress(corpus):
    write(corpus, "z/copy.tml", DOC1)
    seen = []
    m = evaluate(str(corpus), progress=lambda done, total: seen.append((done, total)))
    assert m["documents"] == 2 and m["duplicates"] == 1 and m["gold_timexes"] == 6
    assert seen[-1] == (3, 3)
    assert evaluate(str(corpus), limit=1)["documents"] == 1


# ---------------------------------------------------------------- the CLI
def test_cli_prints_one_json_object(corpus):
    result = CliRunner().invoke(main, ["eval", "tempeval", str(corpus)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["relaxed_f1"] == 1.0 and data["documents"] == 2
    assert {"strict_f1", "value_f1", "type_accuracy", "relaxed_precision",
            "gold_timexes", "predicted_timexes", "method"} <= set(data)


def test_cli_table_and_predictions(corpus, tmp_path):
    out = tmp_path / "pred"
    result = CliRunner().invoke(main, ["eval", "tempeval", str(corpus), "--table",
                                       "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^value_f1\s+1\.0000$", result.stdout, re.M)
    assert (out / "a" / "doc1.tml").exists()


def test_cli_empty_directory_fails_cleanly(tmp_path):
    result = CliRunner().invoke(main, ["eval", "tempeval", str(tmp_path)])
    assert result.exit_code == 1
    assert "no .tml files" in result.output


# ---------------------------------------------------------------- the CI gate (real data)
@pytest.fixture(scope="module")
def gate():
    if not TBAQ.is_dir():
        pytest.skip("../shared/data/tempeval3/TBAQ-cleaned is not beside the checkout")
    return evaluate(str(TBAQ), limit=GATE_LIMIT)


def test_gate_sample_is_fixed(gate):
    assert gate["documents"] == GATE_LIMIT and gate["skipped"] == 0


def test_gate_relaxed_f1(gate):
    assert gate["relaxed_f1"] >= FLOOR_RELAXED_F1


def test_gate_strict_f1(gate):
    assert gate["strict_f1"] >= FLOOR_STRICT_F1


def test_gate_value_f1(gate):
    assert gate["value_f1"] >= FLOOR_VALUE_F1
