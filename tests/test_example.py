"""The worked example of DESIGN.md §4, end to end: file in, ledger out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def find(claims, needle):
    """The attributed claim whose content holds `needle` (the article's own sentence-level
    assertion of the same sentence is skipped)."""
    hits = [c for c in claims if needle in c.content and c.source.kind != "author"]
    assert hits, f"no claim with content containing {needle!r}"
    return hits[0]


@pytest.fixture(scope="module")
def claims(example_ledger):
    return example_ledger.claims()


def test_boilerplate_cut_and_kept_aside(example_ledger):
    doc_id = example_ledger.claims()[0].document_id
    text = example_ledger.document_text(doc_id)
    assert text.rstrip().endswith("fighting for Moscow.")
    assert "Become a Patron" not in text and "Visited 2 times" not in text
    kept = " ".join(r["text"] for r in example_ledger.store.boilerplate(doc_id))
    assert "Become a Patron!" in kept
    assert "(Visited 2 times, 1 visits today)" in kept


def test_budanov_told_the_war_zone(claims):
    c = find(claims, "expected to arrive in Russia’s Kursk Oblast")
    assert c.source.name == "Kyrylo Budanov"
    assert c.source.kind == "person"
    assert c.source.role == "Defense Intelligence Chief"
    assert c.source.affiliation == "Ukraine"
    assert c.cue == "told"
    assert c.channel[0] == "The War Zone"
    assert c.certainty == "PR+"
    assert any(t.value == "2024-10-23" for t in c.times)
    kursk = [p for p in c.places if p.name.startswith("Kursk")]
    assert kursk and kursk[0].country_code == "RU" and kursk[0].feature == "admin1"
    assert kursk[0].lat == pytest.approx(51.7, abs=0.6)


def test_direct_quotes_attributed_to_budanov(claims):
    waiting = find(claims, "We are waiting for the first units tomorrow in the Kursk direction")
    see = find(claims, "We will see after a couple of days")
    for c in (waiting, see):
        assert c.source.name == "Kyrylo Budanov"
        assert c.quote == "direct"
    assert see.cue == "added"


def test_reports_of_up_to_12000(claims):
    c = find(claims, "up to 12,000 North Korean soldiers")
    assert c.source.kind == "reports"
    assert c.certainty == "PS+"
    q = [q for q in c.quantities if q.high == 12000]
    assert q and q[0].low is None and q[0].unit == "soldiers" and q[0].modifier == "up to"


def test_unconfirmed_reports_are_uncommitted(claims):
    c = find(claims, "fighter pilots have been sent")
    assert c.certainty == "Uu"
    assert c.source.kind == "reports"


def test_anonymous_officer_cited_by_the_post(claims):
    c = find(claims, "several thousand")
    assert c.source.kind == "anonymous"
    assert c.source.affiliation == "Ukraine"
    assert "The Washington Post" in c.channel
    q = [q for q in c.quantities if q.modifier == "several"]
    assert q and q[0].low and q[0].high and q[0].low < q[0].high
    end = [t for t in c.times if "end" in t.text]
    assert end and end[0].interval_end == "2024-12-31"
    assert c.said_at is not None and c.said_at.text == "early October"


def test_may_have_been_killed_near_donetsk(claims):
    c = find(claims, "may have been killed")
    assert c.certainty == "PS+"
    donetsk = [p for p in c.places if "Donetsk" in p.name]
    assert donetsk and donetsk[0].country_code == "UA"


def test_austin_could_not_confirm(claims):
    c = find(claims, "North Korean soldiers were fighting for Moscow")
    assert c.source.name == "Lloyd Austin"
    assert c.source.role == "Defense Secretary"
    assert c.source.affiliation == "United States"
    assert c.cue.replace("’", "'") == "couldn't confirm"
    assert c.certainty == "Uu"  # a non-confirmation, not a denial
    assert c.polarity != "negative"


def test_every_claim_reproduces_its_evidence(example_ledger, claims):
    text = example_ledger.document_text(claims[0].document_id)
    for c in claims:
        assert text[c.start:c.end] == c.text
        assert text[c.content_start:c.content_end] == c.content
        if c.cue is not None:
            assert text[c.cue_start:c.cue_end] == c.cue
        for part in [*c.times, *c.places, *c.quantities, *c.mentions]:
            assert text[part.start:part.end] == part.text


def test_the_api_takes_the_certainty_words_the_cli_takes(example_ledger):
    by_code = example_ledger.claims(certainty="Uu")
    assert by_code
    assert [c.id for c in example_ledger.claims(certainty="unconfirmed")] == \
        [c.id for c in by_code]
    assert [c.id for c in example_ledger.claims(certainty=["Not  Confirmed"])] == \
        [c.id for c in by_code]
    both = example_ledger.claims(certainty="expected, possible")
    assert {c.certainty for c in both} == {"PR+", "PS+"}
    with pytest.raises(ValueError, match="unknown certainty 'sure'"):
        example_ledger.claims(certainty="sure")
    with pytest.raises(ValueError, match="unknown status 'rumoured'"):
        example_ledger.events(status="rumoured")
    assert example_ledger.events(status="Reported, corroborated, confirmed, disputed, denied")
