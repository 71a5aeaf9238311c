"""claimledger's spaCy components, used from a plain spaCy pipeline by their registered names,
and the certainty rules on hand-made parses."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from claimledger.claims import certainty as cert

pytestmark = pytest.mark.slow

NAMES = ("claimledger_mentions_v1", "claimledger_places_v1", "claimledger_times_v1",
         "claimledger_quantities_v1", "claimledger_attribution_v1")


@pytest.fixture(scope="module")
def nlp():
    from claimledger.nlp.pipeline import load_model

    model = load_model("en_core_web_md")  # a plain spaCy Language, no claimledger components
    assert not any(n.startswith("claimledger") for n in model.pipe_names)
    model.add_pipe("claimledger_paragraph_breaks_v1", before="parser")
    for name in NAMES:
        model.add_pipe(name)
    return model


def test_components_found_by_name_through_entry_points():
    from spacy.util import registry

    factories = registry._entry_point_factories.get_all()
    for name in ("claimledger_paragraph_breaks_v1", *NAMES):
        assert name in factories


def test_components_set_their_attributes(nlp):
    doc = nlp.make_doc("Ukraine’s Defense Minister Anna Ivanova said on Monday that up to 300 "
                       "soldiers may have crossed into Kursk Oblast.")
    doc._.published_at = "2024-10-22"
    doc = nlp(doc)
    (claim,) = [a for a in doc._.attributions if a.rule == "verb"]
    assert claim.certainty == "PS+"
    assert claim.source.name == "Anna Ivanova"
    assert claim.source.role == "Defense Minister"
    assert any(t.value == "2024-10-21" for t in doc._.times)
    assert any(q.high == 300 and q.low is None for q in doc._.quantities)
    assert any(p.name.startswith("Kursk") and p.country_code == "RU" for p in doc._.places)


def test_paragraph_breaks_split_a_title_from_its_article(nlp):
    doc = nlp("Troops deploy to Kursk\n\nThe first troops arrived on Wednesday, officials said.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "Troops deploy to Kursk"


@pytest.mark.parametrize("sentence, expected", [
    ("Officials said the troops arrived.", "CT+"),
    ("Officials said the troops may have arrived.", "PS+"),
    ("Officials said the troops are expected to arrive.", "PR+"),
    ("Officials said the troops did not arrive.", "CT-"),
    ("Officials denied that the troops arrived.", "CT-"),
    ("Officials could not confirm that the troops arrived.", "Uu"),
    ("Officials suggested that the troops arrived.", "PS+"),
    ("Officials said the troops would probably arrive.", "PR+"),
    ("Officials said the troops reportedly arrived.", "PS+"),
    ("Officials did not deny that the troops arrived.", "Uu"),
])
def test_certainty_of_reported_clauses(nlp, sentence, expected):
    doc = nlp(sentence)
    (claim,) = [a for a in doc._.attributions if a.rule == "verb"]
    assert claim.certainty == expected


def test_combining_never_upgrades():
    assert cert.combine("CT+", "PS+") == "PS+"
    assert cert.combine("PR+", "CT-") == "PR-"
    assert cert.combine("CT-", "CT-") == "CT+"
    assert cert.combine("PS+", "Uu") == "Uu"
    assert cert.polarity_word("Uu") == "underspecified"


def test_clause_certainty_on_a_hand_built_parse():
    vocab = spacy.blank("en").vocab
    words = ["Troops", "may", "have", "arrived"]
    doc = Doc(vocab, words=words, heads=[3, 3, 3, 3], deps=["nsubj", "aux", "aux", "ROOT"],
              pos=["NOUN", "AUX", "AUX", "VERB"])
    assert cert.clause_certainty(doc[3]) == "PS+"


def test_the_attribute_rules_set_what_the_models_attribute_ruler_sets():
    """claimledger's pipeline applies the model's attribute rules itself (faster): every
    token's tag, part of speech, morphology, lemma, dependency and entity type is what the
    model's own ruler gives, on the samples, the worked example and rule-heavy sentences."""
    from claimledger.nlp.attribute_rules import AttributeRules
    from claimledger.nlp.pipeline import load_model, load_pipeline
    from conftest import EXAMPLE, SAMPLES

    ours = load_pipeline("en_core_web_md")
    assert ours.get_pipe_meta("attribute_ruler").factory == "claimledger_attribute_rules_v1"
    model = load_model("en_core_web_md")
    assert AttributeRules.build(model.get_pipe("attribute_ruler")) is not None
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    if EXAMPLE.exists():
        texts.append(EXAMPLE.read_text(encoding="utf-8"))
    texts.append("Y'all gon na let 's go, c'm on. It ain't nothin'. There is a dog; there "
                 "are two. I saw you and it.  \n\n Do you? He did, and she has. Let's see "
                 "whether that works, though I'd doubt it. We got ta go. Is n't it?")
    names = [n for n in model.pipe_names]
    with ours.select_pipes(enable=names):
        got = list(ours.pipe(texts))
    want = list(model.pipe(texts))

    def seen(doc):
        return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_) for t in doc]

    assert [seen(d) for d in got] == [seen(d) for d in want]


def test_the_token_table_is_the_docs_tokens(nlp):
    from claimledger.nlp.normalisers import token_table

    doc = nlp("About 300 troops — “several hundred”, officials said — left Kyiv on Monday.")
    assert token_table(doc) == [(t.idx, t.idx + len(t.text), t.pos_, t.dep_) for t in doc]
    assert token_table(nlp.make_doc("")) == []


def test_the_gist_says_which_names_are_people(nlp):
    from claimledger.claims.build import build_gist

    doc = nlp("Lindsay Lohan has left the Betty Ford Center in Rancho Mirage, California. "
              "Lohan told reporters she felt better.")
    gist = build_gist(doc)
    assert "lindsay lohan" in gist.people  # the surname alone counts as the full name
    assert "lohan" not in gist.names
    assert not {"betty ford center", "rancho mirage", "california"} & set(gist.people)
