"""Events across articles: linking as articles arrive, and each event's assessment.

The bundled samples/ tell one story (a drone strike on the port of Odesa, 3-7 March 2025) in
five reports from four outlets, with a repost, a denial, non-confirmations and incompatible
figures, plus an unrelated flood in Vidin. The example article is DESIGN.md §4's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger import Ledger
from claimledger.assess.events import assess
from claimledger.cli import main
from claimledger.link.events import Linker, group_article
from claimledger.models import Claim, DocumentInfo, Happening, Mention, Quantity, Source
from claimledger.store.sqlite import Store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FLOOD = "Vidin"


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "ledger.db"
    with Ledger(str(path)) as ledger:
        report = ledger.ingest([str(SAMPLES)])
        assert report.stored == 6, report.summary()
    ledger = Ledger(str(path), readonly=True)
    yield ledger
    ledger.close()


def _event_with(ledger: Ledger, text: str):
    for e in ledger.events():
        claims = ledger.event_claims(e)
        if any(text in c.content for c in claims):
            return e, claims
    raise AssertionError(f"no event has a claim with {text!r}")


def test_every_claim_is_linked_to_one_event(samples):
    claims = samples.claims()
    linked = samples.store.claim_events()
    assert claims and all(c.id in linked for c in claims)


def test_strike_event_spans_the_five_reports(samples):
    e, claims = _event_with(samples, "Russian drones struck the port of Odesa")
    assert e.type == "ASSAULT"
    assert e.places[0]["name"] == "Odesa"
    outlets = {c.document.outlet for c in claims}
    assert {"The Harbour Ledger", "Meridian Wire", "Coastline Courier",
            "Pontic Dispatch"} <= outlets
    assert e.documents == 5
    assert {a["code"] for a in e.actors} >= {"RU", "UA"}


def test_unrelated_stories_are_never_merged(samples):
    for e in samples.events(min_claims=1):
        docs = {c.document_id for c in samples.event_claims(e)}
        flood = {c.document_id for c in samples.claims(search=FLOOD)}
        assert not (docs & flood) or docs <= flood, f"event {e.id} mixes the flood in"


def test_the_flood_is_one_event_of_its_own(samples):
    e, claims = _event_with(samples, "Several hundred residents of the Bulgarian river town")
    assert e.places[0]["name"] == "Vidin"
    assert e.type == "OTHER"
    assert len({c.document_id for c in claims}) == 1


def test_talks_in_istanbul_are_a_separate_event(samples):
    e, claims = _event_with(samples, "Turkey is expected to host talks")
    strike, _ = _event_with(samples, "Russian drones struck the port of Odesa")
    assert e.id != strike.id
    assert e.type == "CONSULT"
    assert any(p["name"] == "Istanbul" for p in e.places)


def test_repost_counts_once_and_relays_are_one_origin(samples):
    e, claims = _event_with(samples, "Russian drones struck the port of Odesa")
    turkish = [o for o in e.origins if o.source == "senior Turkish official"]
    assert len(turkish) == 1, [o.source for o in e.origins]
    # The Harbour Ledger, then Meridian Wire and its repost by Coastline Courier: two reports.
    assert turkish[0].reports == 2
    assert len(turkish[0].claims) == 3
    assert "The Harbour Ledger" in turkish[0].outlets
    # The repost's own headline is independent of nothing: it is Meridian Wire's outlet.
    courier = [o for o in e.origins if o.source == "Coastline Courier"]
    assert all(o.independence == "outlet:Meridian Wire" for o in courier)


def test_denial_non_confirmation_and_status(samples):
    e, claims = _event_with(samples, "Russian drones struck the port of Odesa")
    by_id = {c.id: c for c in claims}
    denied = [by_id[cid] for cid in e.denials]
    assert denied and all(c.source.affiliation == "Russia" for c in denied)
    assert all(by_id[cid].certainty == "Uu" for cid in e.non_confirmations)
    assert {by_id[cid].source.name for cid in e.non_confirmations} >= {"NATO", "Marta Keller"}
    assert e.status == "disputed"
    assert set(e.denials) <= set(e.status_evidence)
    # Nothing was denied on the first day; the denial came with The Harbour Ledger.
    assert e.status_history[0]["date"] == "2025-03-03"
    assert e.status_history[0]["status"] != "disputed"
    last = e.status_history[-1]
    assert (last["date"], last["status"]) == ("2025-03-04", "disputed")
    # What made it disputed: among the deciding claims published that day, a denial.
    assert any(cid in e.denials for cid in last["evidence"])
    assert set(last["evidence"]) <= set(e.status_evidence)
    polarity = [c for c in e.contradictions if c.kind == "polarity"]
    assert polarity and any(set(c.claims) & set(e.denials) for c in polarity)


def test_incompatible_figures_side_by_side_never_averaged(samples):
    e, claims = _event_with(samples, "Russian drones struck the port of Odesa")
    ships = [q for q in e.quantities if q.unit == "ships" and q.predicate == "affected"]
    assert len(ships) == 1
    texts = {b["text"].casefold(): b for b in ships[0].by_origin}
    assert "up to 40" in texts and "no more than a dozen" in texts
    assert texts["no more than a dozen"]["source"] == "senior Turkish official"
    # The fused range spans the figures given: 12 ("no more than a dozen") to 99 ("dozens").
    assert (ships[0].low, ships[0].high) == (12, 99)
    found = [c for c in e.contradictions if c.kind == "quantity" and
             "no more than a dozen" in c.detail and "40" in c.detail]
    assert found
    # Ships that left port are another measure: never compared with ships stranded.
    assert not any("about 15" in c.detail for c in e.contradictions)


def test_independent_origins(samples):
    e, claims = _event_with(samples, "Russian drones struck the port of Odesa")
    # Counted: origins reporting the strike itself, in a claim that names it.
    naming = {c.id for c in claims if c.happening and c.happening.type == "ASSAULT"}
    groups = {o.independence for o in e.origins if o.stance in ("supports", "confirms",
                                                                 "unconfirmed")
              and naming.intersection(o.claims)}
    assert e.independent_origins == len(groups) >= 3
    assert {"country:UA", "country:RU", "outlet:The Harbour Ledger"} <= groups
    # Every Ukrainian official is one government: not independent of one another.
    ukrainian = [o for o in e.origins if o.affiliation == "Ukraine"]
    assert len(ukrainian) > 1 and {o.independence for o in ukrainian} == {"country:UA"}


def test_example_article_yields_the_deployment_event(example_ledger):
    e, claims = _event_with(example_ledger, "the first North Korean troops are expected")
    assert e.type == "MOBILIZE"
    assert "North Korean troops" in e.title
    by_id = {c.id: c for c in claims}
    sources = {c.source.name for c in claims}
    assert "Kyrylo Budanov" in sources
    assert any("officer" in s for s in sources)
    # Two Ukrainian intelligence origins, one affiliation: not independent of each other.
    ukrainian = [o for o in e.origins if o.independence == "country:UA"]
    assert {o.source for o in ukrainian} >= {"Kyrylo Budanov"} and len(
        {o.source for o in ukrainian}) >= 2
    # Austin's "couldn't confirm" is a non-confirmation, not a denial.
    austin = [cid for cid in e.non_confirmations if by_id[cid].source.name == "Lloyd Austin"]
    assert austin and not e.denials
    # "up to 12,000" and "several thousand" side by side, fused, never averaged.
    soldiers = [q for q in e.quantities if q.unit == "soldiers"]
    assert soldiers and soldiers[0].low == 3000 and soldiers[0].high == 12000
    assert {b["text"].casefold() for b in soldiers[0].by_origin} >= {"up to 12,000",
                                                                     "several thousand"}
    assert any(c.kind == "quantity" and "12,000" in c.detail and "several thousand" in c.detail
               for c in e.contradictions)
    assert e.period_start == "2024-10-23"


def test_linking_is_incremental(tmp_path):
    """Claims keep their event when later articles arrive; nothing is re-linked."""
    path = str(tmp_path / "ledger.db")
    files = sorted(str(p) for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html"))
    with Ledger(path) as ledger:
        ledger.ingest(files)
        before = ledger.store.claim_events()
        ledger.ingest([str(SAMPLES / "wire.jsonl"), str(SAMPLES / "feed.xml")])
        after = ledger.store.claim_events()
    assert before and all(after[cid] == eid for cid, eid in before.items())
    assert len(after) > len(before)
    # The two early articles' strike claims and the wire's are in one event.
    assert len(set(after.values())) < len(after)


# -- assessment rules on hand-made claims ---------------------------------------------------

def _claim(cid, content, *, source="Officials", kind="anonymous", affiliation=None,
           certainty="CT+", cue="said", doc="d1", outlet="Outlet A", published="2025-01-02",
           happening=None, quantities=(), mentions=(), group=None):
    return Claim(document_id=doc, text=content, start=0, end=len(content), content=content,
                 content_start=0, content_end=len(content), cue=cue, cue_start=None,
                 cue_end=None, quote="indirect",
                 source=Source(name=source, kind=kind, affiliation=affiliation),
                 channel=[], certainty=certainty, polarity="positive", extractor="test",
                 quantities=list(quantities), mentions=list(mentions),
                 happening=Happening(happening, 0, 1, happening, "ASSAULT") if happening
                 else None, id=cid,
                 document=DocumentInfo(id=doc, outlet=outlet, published_at=published,
                                       duplicate_group=group or doc))


def test_one_government_is_one_origin_however_many_officials():
    e = assess("e1", [
        _claim("a", "the bridge was shelled", source="Officials", affiliation="Ukraine"),
        _claim("b", "the bridge came under fire overnight", source="Military spokesman",
               affiliation="Ukraine", doc="d2"),
    ])
    assert e.independent_origins == 1 and e.status == "reported"


def test_two_independent_origins_corroborate():
    e = assess("e1", [
        _claim("a", "the bridge was shelled", affiliation="Ukraine"),
        _claim("b", "the bridge was shelled overnight", source="Red Cross",
               kind="organisation", affiliation="Red Cross", doc="d2"),
    ])
    assert e.independent_origins == 2 and e.status == "corroborated"


def test_denial_alone_is_denied_and_with_reports_disputed():
    denial = _claim("c", "its troops shelled the bridge", source="Defence ministry",
                    kind="government", affiliation="Russia", certainty="CT-", cue="denied",
                    doc="d3", published="2025-01-03")
    assert assess("e1", [denial]).status == "denied"
    e = assess("e1", [_claim("a", "Russian troops shelled the bridge", affiliation="Ukraine"),
                      denial])
    assert e.status == "disputed"
    assert [h["status"] for h in e.status_history] == ["reported", "disputed"]
    assert e.contradictions[0].kind == "polarity"


def test_could_not_confirm_is_not_a_denial():
    e = assess("e1", [
        _claim("a", "troops crossed the border", affiliation="Ukraine"),
        _claim("b", "troops crossed the border", source="Pentagon", kind="government",
               affiliation="United States", certainty="Uu", cue="could not confirm",
               doc="d2"),
    ])
    assert e.non_confirmations == ["b"] and not e.denials
    assert e.status == "reported"


def test_agent_confirming_makes_it_confirmed():
    ru = Mention(text="Russian", start=0, end=7, type="DEMONYM", canonical="RU")
    e = assess("e1", [
        _claim("a", "Russian drones struck the depot", affiliation="Ukraine",
               happening="strike", mentions=[ru]),
        _claim("b", "its drones struck a military depot", source="Defence ministry",
               kind="government", affiliation="Russia", happening="strike", doc="d2"),
    ])
    assert e.confirmations == ["b"] and e.status == "confirmed"


def test_overlapping_figures_are_not_contradictions():
    q1 = Quantity(text="about 30", start=0, end=8, low=30, high=30, modifier="about",
                  unit="people", predicate="injure")
    q2 = Quantity(text="between 25 and 35", start=0, end=17, low=25, high=35,
                  modifier="between", unit="civilians", predicate="wound")
    q3 = Quantity(text="three", start=0, end=5, low=3, high=3, unit="people",
                  predicate="kill")
    e = assess("e1", [
        _claim("a", "about 30 people were injured", quantities=[q1, q3]),
        _claim("b", "between 25 and 35 civilians were wounded", source="Hospital",
               kind="organisation", affiliation="City hospital", doc="d2", quantities=[q2]),
    ])
    assert not e.contradictions
    injured = next(q for q in e.quantities if q.predicate == "injured")
    assert (injured.low, injured.high) == (25, 35)


def test_linker_handles_claims_with_nothing_to_link_by(tmp_path):
    store = Store(str(tmp_path / "l.db"))
    bare = [_claim(f"x{i}", "We will see.", doc="d1", published=None) for i in range(3)]
    groups = group_article(bare, None, 0.2)
    assert len(groups) == 1 and len(groups[0].claims) == 3
    links = Linker(store).link(bare, None).events
    assert len(links) == 1 and links[0].new
    assert Linker(store).link([], "2025-01-01").events == []
    store.close()


# -- command line -------------------------------------------------------------------------

def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_events_command_lists_and_filters(samples):
    result = run("events", "--db", samples.path)
    assert result.exit_code == 0
    assert "disputed" in result.output and "ASSAULT" in result.output
    records = [json.loads(line) for line in
               run("events", "--db", samples.path, "--format", "jsonl").output.splitlines()]
    for key in ("id", "type", "actors", "places", "period", "status", "origins",
                "independent_origins", "quantities", "contradictions", "claims"):
        assert all(key in r for r in records), key
    assert all({"start", "end"} <= set(r["period"]) for r in records)
    assert all({"source", "affiliation", "claims", "reports"} <= set(o)
               for r in records for o in r["origins"])
    disputed = run("events", "--db", samples.path, "--status", "disputed", "--format", "jsonl")
    assert all(json.loads(x)["status"] == "disputed" for x in disputed.output.splitlines())
    vidin = run("events", "--db", samples.path, "--place", "Vidin", "--format", "jsonl")
    assert [json.loads(x)["places"][0]["name"] for x in vidin.output.splitlines()] == ["Vidin"]
    bad = run("events", "--db", samples.path, "--status", "rumoured")
    assert bad.exit_code != 0 and "unknown status" in bad.output
    csv_out = run("events", "--db", samples.path, "--format", "csv").output
    assert csv_out.startswith("id,story,type,mode,status")


def test_event_dossier(samples):
    e, _ = _event_with(samples, "Russian drones struck the port of Odesa")
    result = run("event", e.id[:8], "--db", samples.path)
    assert result.exit_code == 0
    for heading in ("ORIGINS", "DENIALS", "NOT CONFIRMED", "FIGURES", "CONTRADICTIONS",
                    "TIMELINE by publication"):
        assert heading in result.output
    record = json.loads(run("event", e.id, "--db", samples.path, "--json").output)
    assert record["id"] == e.id and record["status"] == "disputed"
    missing = run("event", "nope", "--db", samples.path)
    assert missing.exit_code != 0 and "no event" in missing.output


def test_export_includes_events(samples, tmp_path):
    out = tmp_path / "all.jsonl"
    assert run("export", "--db", samples.path, "-o", str(out)).exit_code == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = {r["record"] for r in records}
    assert kinds == {"claim", "event"}
    events = {r["id"] for r in records if r["record"] == "event"}
    assert all(r["event"] in events for r in records if r["record"] == "claim")
    geo_path = tmp_path / "events.geojson"
    run("export", "--db", samples.path, "--format", "geojson", "--what", "events", "-o",
        str(geo_path))
    geo = json.loads(geo_path.read_text())
    assert geo["features"] and all(f["properties"]["record"] == "event"
                                   for f in geo["features"])
    both = run("export", "--db", samples.path, "--format", "csv", "--what", "all")
    assert both.exit_code != 0 and "one kind of record" in both.output


def test_an_undated_article_still_finds_dated_events(tmp_path):
    """With no publication date there is no week to look in: every week is searched."""
    from claimledger.models import Article

    text = (SAMPLES / "2025-03-03-harbour-strike.txt").read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.ingest([str(SAMPLES / "2025-03-03-harbour-strike.txt")])
        dated = set(ledger.store.claim_events().values())
        undated = Article(text=body.replace("overnight into Monday", "overnight")
                          .replace("Firefighters", "Fire crews"), title=title + " (update)",
                          origin="undated-copy")
        report = ledger.ingest_articles([undated])
        assert report.stored == 1, report.summary()
        events = ledger.store.claim_events()
        new = [c for c in ledger.claims() if c.document.published_at is None]
        assert new and {events[c.id] for c in new} & dated
