"""Origins across articles: the bundled story, with a repost, read back from a ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger import Ledger
from claimledger.assess.origins import group_origins, says_the_same
from claimledger.models import Claim, DocumentInfo, Source

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def claim(cid, doc, group, source, content, outlet="Wire", affiliation=None):
    return Claim(id=cid, document_id=doc, text=content, start=0, end=len(content),
                 content=content, content_start=0, content_end=len(content), cue="said",
                 cue_start=0, cue_end=4, quote="indirect",
                 source=Source(name=source, kind="person", affiliation=affiliation),
                 channel=[outlet], certainty="CT+", polarity="positive", extractor="t",
                 document=DocumentInfo(id=doc, duplicate_group=group, outlet=outlet,
                                       published_at="2025-03-05"))


def test_same_source_same_statement_is_one_origin():
    a = claim("1", "d1", "d1", "Oleh Marchenko", "about 15 vessels had left Odesa since Tuesday",
              outlet="Meridian Wire")
    b = claim("2", "d2", "d1", "Oleh Marchenko", "about 15 vessels had left Odesa since Tuesday",
              outlet="Coastline Courier")
    c = claim("3", "d3", "d3", "Oleh Marchenko", "15 vessels have left Odesa", outlet="Ledger")
    d = claim("4", "d3", "d3", "Oleh Marchenko", "loading resumed at one grain berth")
    e = claim("5", "d4", "d4", "Anna Ivanova", "about 15 vessels had left Odesa since Tuesday")
    origins = group_origins([a, b, c, d, e])
    first = origins[0]
    assert first.claims == ["1", "2", "3"]
    assert first.reports == 2  # the repost d2 belongs to d1's group: counted once
    assert first.outlets[:2] == ["Meridian Wire", "Coastline Courier"]
    assert [o.claims for o in origins[1:]] == [["4"], ["5"]]


def test_says_the_same_is_about_words_not_order():
    a = claim("1", "d", "d", "X", "no more than a dozen ships were directly affected")
    b = claim("2", "e", "e", "X", "no more than a dozen ships had been directly affected and "
                                  "that most vessels were waiting")
    c = claim("3", "f", "f", "X", "the port reopened on Friday")
    assert says_the_same(a, b) and not says_the_same(a, c)


@pytest.mark.slow
def test_the_bundled_story(tmp_path):
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.ingest([str(SAMPLES)])
        claims = ledger.claims()
    content = {c.id: c.content for c in claims}
    origins = group_origins(claims)
    # The Turkish official's figure, first in The Harbour Ledger and then relayed by Meridian
    # Wire (and its repost): one origin, reported by two independent articles.
    dozen = [o for o in origins if o.source == "senior Turkish official"
             and any("no more than a dozen ships" in content[c] for c in o.claims)]
    assert len(dozen) == 1, [(o.source, o.claims) for o in dozen]
    assert dozen[0].reports == 2 and len(dozen[0].claims) == 3
    assert "The Harbour Ledger" in dozen[0].outlets
    # Every origin counts a repost group once.
    for o in origins:
        assert o.reports <= len(o.claims)
