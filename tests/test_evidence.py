"""Every stored fact reproduces its evidence: for every claim of every test input, the stored
document text at the claim's offsets is the claim's text, and likewise for content, cue,
source phrase, times, places, quantities and mentions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger import Ledger

pytestmark = pytest.mark.slow

SHARED = Path(__file__).resolve().parents[2] / "shared"
POLNEAR_DEV = SHARED / "data" / "polnear" / "dev" / "text"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def assert_evidence(text: str, claim) -> None:
    assert text[claim.start:claim.end] == claim.text
    assert text[claim.content_start:claim.content_end] == claim.content
    assert claim.start <= claim.content_start <= claim.content_end <= claim.end
    if claim.cue is not None:
        assert text[claim.cue_start:claim.cue_end] == claim.cue
    if claim.source.phrase is not None and claim.source.start is not None:
        assert text[claim.source.start:claim.source.end] == claim.source.phrase
    for part in [*claim.times, *claim.places, *claim.quantities, *claim.mentions]:
        assert text[part.start:part.end] == part.text
    assert claim.certainty in ("CT+", "PR+", "PS+", "CT-", "PR-", "PS-", "Uu")
    assert claim.quote in ("direct", "indirect", "mixed", "none")


def check_ledger(ledger: Ledger) -> int:
    claims = ledger.claims()
    texts: dict[str, str] = {}
    for c in claims:
        if c.document_id not in texts:
            texts[c.document_id] = ledger.document_text(c.document_id)
        assert_evidence(texts[c.document_id], c)
    return len(claims)


def test_samples_and_example(tmp_path, example_path):
    with Ledger(str(tmp_path / "l.db")) as ledger:
        report = ledger.ingest([str(SAMPLES), str(example_path)])
        assert report.stored >= 7 and not report.skipped, report.summary()
        assert check_ledger(ledger) > 50


def test_real_news_sample(tmp_path):
    if not POLNEAR_DEV.exists():
        pytest.skip("../shared/data/polnear is not beside the checkout")
    files = sorted(POLNEAR_DEV.glob("*.txt"))[:12]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        report = ledger.ingest([str(f) for f in files])
        assert report.stored == len(files), report.summary()
        assert check_ledger(ledger) > 100


NAMES = ["Kyrylo Budanov", "the ministry", "An official", "Reuters", "She", "They",
         "Ukraine’s Defence Minister Anna Ivanova", "unconfirmed reports", "NATO"]
CUES = ["said", "told The War Zone", "denied", "could not confirm", "suggested", "warned"]
CLAUSES = ["troops may have arrived in Kursk Oblast on Wednesday, 23 October",
           "up to 12,000 soldiers were deployed by year’s end",
           "“we are waiting for the first units tomorrow”",
           "the strike near Donetsk killed several thousand people",
           "it is unclear how many tanks will arrive in early October"]
NOISE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
                max_size=12)


@st.composite
def sentences(draw):
    kind = draw(st.integers(0, 3))
    name, cue, clause = draw(st.sampled_from(NAMES)), draw(st.sampled_from(CUES)), \
        draw(st.sampled_from(CLAUSES))
    if kind == 0:
        return f"{name} {cue} that {clause}."
    if kind == 1:
        return f"“{clause.capitalize()},” {name.lower() if name[0].isupper() else name} said."
    if kind == 2:
        return f"According to {name}, {clause}."
    return f"{clause.capitalize()}{draw(NOISE)}."


@st.composite
def articles(draw):
    title = draw(st.sampled_from(["Troops deploy", "Budanov: troops arrive", "Q&A"]))
    paras = draw(st.lists(st.lists(sentences(), min_size=1, max_size=3), min_size=1, max_size=4))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n"]))
    return title + sep + sep.join(" ".join(p) for p in paras)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.function_scoped_fixture])
@given(text=articles())
def test_offsets_reproduce_text_for_generated_articles(text):
    from claimledger.claims.build import build_claims
    from claimledger.nlp.pipeline import load_pipeline

    nlp = load_pipeline("en_core_web_md")
    doc = nlp.make_doc(text)
    doc._.published_at = "2024-10-22"
    doc = nlp(doc)
    for claim in build_claims(doc, "generated"):
        assert_evidence(text, claim)
