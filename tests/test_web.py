"""The web app over a real ledger of the samples, through its ASGI interface: every page, the
API and the downloads read the same rows as the Ledger, errors are pages (or JSON under
/api/), every response carries the Content Security Policy, and article text is escaped."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claimledger import Ledger
from claimledger.export import records
from conftest import SAMPLES

pytestmark = pytest.mark.slow

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from claimledger.web import create_app  # noqa: E402

# Markup written as text (entities), so that the stored title and text hold it literally.
HOSTILE = """<html><head><title>&lt;script&gt;alert('title')&lt;/script&gt; Port closes</title>
</head><body><article><h1>&lt;img src=x onerror=alert(1)&gt; Port closes</h1>
<p>The harbour master &lt;b onmouseover=alert(2)&gt;Ivan&lt;/b&gt; said on Monday that the port
of Riverton &lt;script&gt;alert(3)&lt;/script&gt; would close for a week, officials told
reporters.</p></article></body></html>
"""


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "ledger.db")
    hostile = tmp_path_factory.mktemp("hostile") / "hostile.html"
    hostile.write_text(HOSTILE, encoding="utf-8")
    with Ledger(path) as ledger:
        report = ledger.ingest([str(SAMPLES), str(hostile)], workers=0)
        assert report.stored >= 6, report.summary()
    return path


@pytest.fixture(scope="module")
def client(ledger_file):
    with TestClient(create_app(ledger_file)) as c:
        yield c


@pytest.fixture(scope="module")
def ledger(ledger_file):
    with Ledger(ledger_file, readonly=True) as ledger:
        yield ledger


def test_every_page_answers_with_the_security_policy(client, ledger):
    event = ledger.events(limit=1)[0]
    claim = ledger.claims(limit=1)[0]
    for path in ("/events", "/claims", "/claims?search=strike&certainty=CT%2B",
                 f"/events/{event.id}", f"/claims/{claim.id}", f"/documents/{claim.document_id}",
                 "/events?status=disputed", "/api/claims", "/api/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/", follow_redirects=False).headers["location"] == "/events"


def test_the_claims_page_lists_what_the_ledger_finds(client, ledger):
    found = ledger.claims(search="strike", limit=50)
    page = client.get("/claims", params={"search": "strike"}).text
    assert found
    for c in found:
        assert f'data-claim="{c.id}"' in page
    assert page.count('class="claim"') == len(found)
    # A page of 50 and a next page, each with the filters in its URL.
    all_claims = ledger.claims()
    assert len(all_claims) > 50
    first = client.get("/claims").text
    assert 'rel="next" href="/claims?page=2"' in first
    second = client.get("/claims?page=2").text
    assert f'data-claim="{all_claims[50].id}"' in second
    assert f'data-claim="{all_claims[0].id}"' not in second


def test_the_api_gives_the_export_records(client, ledger):
    body = client.get("/api/claims", params={"search": "port"}).json()
    found = ledger.claims(search="port", limit=50)
    assert [c["id"] for c in body["claims"]] == [c.id for c in found]
    event_of = ledger.store.claim_events()
    assert body["claims"][0] == json.loads(json.dumps(
        records.claim_record(found[0], event_of.get(found[0].id))))
    events = client.get("/api/events").json()["events"]
    assert [e["id"] for e in events] == [e.id for e in ledger.events(limit=50)]
    one = client.get(f"/api/events/{events[0]['id']}").json()
    assert one == json.loads(json.dumps(records.event_record(ledger.event(events[0]["id"]))))
    doc = client.get(f"/api/documents/{found[0].document_id}").json()
    assert found[0].id in doc["claims"] and doc["text"][found[0].start:found[0].end] == \
        found[0].text
    spec = client.get("/api/openapi.json").json()
    assert {"/api/claims", "/api/claims/{claim_id}", "/api/events", "/api/events/{event_id}",
            "/api/documents/{document_id}"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/claims"]["get"]["parameters"]}
    assert {"search", "source", "certainty", "place", "since", "until", "page"} <= names


def test_downloads_hold_every_row_of_the_list_with_its_filters(client, ledger):
    wanted = ledger.claims(place="UA")
    rows = list(csv.DictReader(io.StringIO(client.get("/claims.csv?place=UA").text)))
    assert [r["id"] for r in rows] == [c.id for c in wanted]
    lines = client.get("/claims.jsonl?place=UA").text.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [c.id for c in wanted]
    geo = client.get("/claims.geojson?place=UA")
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert features and all(f["geometry"]["type"] == "Point" for f in features)
    assert len(features) == len(list(records.geojson_features(wanted)))
    events = client.get("/events.jsonl").text.splitlines()
    assert len(events) == len(ledger.events())
    event = ledger.events(limit=1)[0]
    own = client.get(f"/events/{event.id}.jsonl").text.splitlines()
    assert json.loads(own[0])["id"] == event.id and len(own) == 1 + len(event.claims)
    assert "attachment" in client.get("/events.csv").headers["content-disposition"]
    assert client.get("/claims.xml").status_code == 404


def test_the_event_dossier_shows_its_parts(client, ledger):
    event = ledger.events(limit=1)[0]
    page = client.get(f"/events/{event.id}").text
    for part in ("Status and its history", "Origins", "Timeline", "Confirmations", "Denials",
                 'class="map"', 'class="timeline"'):
        assert part in page, part
    for entry in event.timeline:
        assert f'data-claim="{entry["claim"]}"' in page
    # A prefix of the id, or the id of an event merged into it: the event's own URL.
    moved = client.get(f"/events/{event.id[:6]}", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == f"/events/{event.id}"


def test_errors_are_clear_pages_and_json_under_the_api(client):
    missing = client.get("/claims/0000nope")
    assert missing.status_code == 404 and "no claim 0000nope" in missing.text
    assert "<html" in missing.text
    assert client.get("/api/events/0000nope").json() == {"detail": "no event 0000nope"}
    bad_date = client.get("/claims?since=last%20week")
    assert bad_date.status_code == 400 and "is not a date" in bad_date.text
    assert client.get("/events?status=rumoured").status_code == 400
    assert client.get("/api/claims?certainty=sure").status_code == 400
    assert client.get("/claims?page=0").status_code == 422


def test_article_text_is_escaped_on_every_page(client, ledger):
    hostile = [c for c in ledger.claims(search="Riverton")]
    assert hostile, "the hostile article gave no claim"
    assert "<script>" in ledger.document_text(hostile[0].document_id)  # kept as text
    pages = [client.get(f"/claims/{hostile[0].id}").text,
             client.get(f"/documents/{hostile[0].document_id}").text,
             client.get("/claims?search=Riverton").text]
    pages += [client.get(f"/events/{eid}").text
              for eid in set(ledger.store.events_of([c.id for c in hostile]).values())]
    for page in pages:
        assert "<script>alert" not in page
        assert "<b onmouseover" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in pages[1]  # shown, not dropped


def test_serve_says_clearly_when_there_is_no_ledger(tmp_path):
    from click.testing import CliRunner

    from claimledger.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no ledger at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_read_only_server_refuses_every_write(client, ledger):
    claim = ledger.claims(limit=1)[0]
    page = client.get(f"/claims/{claim.id}").text
    assert "This server is read-only" in page and "verdictform" not in page
    form = client.post(f"/claims/{claim.id}/verdicts",
                       data={"verdict": "false", "csrf": "x", "note": "n"})
    assert form.status_code == 403 and "writing is off" in form.text
    api = client.post(f"/api/claims/{claim.id}/verdicts",
                      json={"verdict": "false", "analyst": "a"},
                      headers={"Authorization": "Bearer anything"})
    assert api.status_code == 403
    assert client.post("/login", data={"analyst": "a", "token": "t"}).status_code == 403
    assert ledger.verdicts("claim", claim.id) == []


@pytest.fixture
def writing(ledger_file, tmp_path):
    """An app with a write token over a copy of the samples' ledger."""
    import shutil

    db = str(tmp_path / "team.db")
    shutil.copy(ledger_file, db)
    with TestClient(create_app(db, write_token="s3cret-token")) as c:
        yield c, db


def test_an_analyst_signs_in_and_adds_verdicts_beside_the_status(writing):
    client, db = writing
    with Ledger(db, readonly=True) as ledger:
        event = ledger.events(limit=1)[0]
        claim = ledger.event_claims(event)[0]
    status = event.status
    assert client.post("/login", data={"analyst": "Ana", "token": "wrong"}).status_code == 403
    page = client.get(f"/claims/{claim.id}").text
    assert "Sign in" in page and "verdictform" not in page
    signed = client.post("/login", data={"analyst": "Ana Analyst", "token": "s3cret-token",
                                         "next": f"/claims/{claim.id}"}, follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"] == f"/claims/{claim.id}"
    assert "httponly" in signed.headers["set-cookie"].lower()
    assert "samesite=strict" in signed.headers["set-cookie"].lower()
    page = client.get(f"/claims/{claim.id}").text
    assert "verdictform" in page and "Add verdict as Ana Analyst" in page
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    url = f"/claims/{claim.id}/verdicts"
    # Without the CSRF token, or from another site: refused.
    assert client.post(url, data={"verdict": "false", "csrf": ""}).status_code == 403
    other = client.post(url, data={"verdict": "false", "csrf": csrf},
                        headers={"Origin": "https://evil.example"})
    assert other.status_code == 403 and "another site" in other.text
    bad = client.post(url, data={"verdict": "probably", "csrf": csrf})
    assert bad.status_code == 400 and "unknown verdict" in bad.text
    added = client.post(url, data={"verdict": "misleading", "csrf": csrf,
                                   "note": "the <b>figure</b> is a week old"},
                        follow_redirects=False)
    assert added.status_code == 303
    page = client.get(f"/claims/{claim.id}").text
    assert 'data-verdict="misleading"' in page and "Ana Analyst" in page
    assert "the &lt;b&gt;figure&lt;/b&gt; is a week old" in page
    # The API takes the token itself; the event keeps its computed status beside the verdict.
    api = f"/api/events/{event.id}/verdicts"
    assert client.post(api, json={"verdict": "verified", "analyst": "Bo"}).status_code == 401
    made = client.post(api, json={"verdict": "verified", "analyst": "Bo", "note": "checked"},
                       headers={"Authorization": "Bearer s3cret-token"})
    assert made.status_code == 201 and made.json()["target_id"] == event.id
    record = client.get(f"/api/events/{event.id}").json()
    assert record["status"] == status
    assert [v["verdict"] for v in record["verdicts"]] == ["verified"]
    first = json.loads(client.get(f"/events/{event.id}.jsonl").text.splitlines()[0])
    assert first["verdicts"][0]["analyst"] == "Bo"
    with Ledger(db, readonly=True) as ledger:
        assert [v.verdict for v in ledger.verdicts("claim", claim.id)] == ["misleading"]
        assert ledger.event(event.id).status == status
    assert "sign out" in client.get("/events").text
    client.post("/logout")
    assert "verdictform" not in client.get(f"/claims/{claim.id}").text


def test_facets_count_the_claims_listed_and_narrow_the_list(client, ledger):
    facets = client.get("/api/claims/facets", params={"search": "port"}).json()
    found = ledger.claims(search="port")
    by_kind: dict[str, int] = {}
    for c in found:
        by_kind[c.source.kind] = by_kind.get(c.source.kind, 0) + 1
    assert {f["value"]: f["claims"] for f in facets["kind"]} == dict(
        sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
    assert sum(f["claims"] for f in facets["certainty"]) == len(found)
    # A facet's link adds its filter to the list's own.
    kind, count = facets["kind"][0]["value"], facets["kind"][0]["claims"]
    page = client.get("/claims", params={"search": "port"}).text
    assert f'href="/claims?search=port&amp;kind={kind}"' in page
    narrowed = client.get("/claims", params={"search": "port", "kind": kind}).text
    assert narrowed.count('class="claim"') == min(count, 50)


def test_a_source_page_shows_what_it_said_across_events(client, ledger):
    claim = next(c for c in ledger.claims() if c.source.kind == "person")
    said = ledger.claims(source_id=claim.source.id)
    page = client.get(f"/sources/{claim.source.id}").text
    assert claim.source.name.replace("'", "&#39;") in page
    assert f"{len(said)} claim(s)" in page
    for c in said[:50]:
        assert f'data-claim="{c.id}"' in page
    record = client.get(f"/api/sources/{claim.source.id}").json()
    assert record["claims"] == len(said) and record["first_seen"] <= record["last_seen"]
    assert f'href="/sources/{claim.source.id}"' in client.get(f"/claims/{claim.id}").text
    assert client.get("/sources/999999").status_code == 404


def test_an_analyst_adds_an_article_from_the_page_and_nothing_else(writing):
    client, db = writing
    assert client.post("/ingest", data={"text": "x", "csrf": ""}).status_code == 403
    client.post("/login", data={"analyst": "Ana", "token": "s3cret-token"})
    page = client.get("/ingest").text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    text = ("The mayor of Riverton said on Friday that the old bridge would reopen next "
            "month after repairs, officials told reporters.")
    form = {"csrf": csrf, "text": text, "title": "Bridge", "outlet": "Riverton Post",
            "published": "2025-05-02"}
    added = client.post("/ingest", data=form, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"].startswith("/documents/")
    doc = client.get(added.headers["location"]).text
    assert "Riverton Post" in doc and "mark class=\"claim\"" in doc
    again = client.post("/ingest", data=form, follow_redirects=False)
    assert again.headers["location"] == "/ingest?already=1"
    # Only http(s) URLs, and never a private or loopback address.
    for url, says in [("file:///etc/passwd", "only http and https"),
                      ("/etc/passwd", "only http and https"), ("-", "only http and https"),
                      ("http:x", "only http and https"), ("https:../x", "only http and https"),
                      ("ht\ttp://example.org/", "only http and https"),
                      ("https://exa mple.org/", "only http and https"),
                      ("http://100.64.0.1/", "not a public address"),
                      ("http://[::127.0.0.1]/", "loopback"),
                      ("http://127.0.0.1:9/x", "nothing stored"),
                      ("http://169.254.169.254/latest/meta-data", "nothing stored")]:
        refused = client.post("/ingest", data={"csrf": csrf, "url": url})
        assert refused.status_code == 400 and says in refused.text, (url, refused.text[:300])
    assert "private" in client.post("/ingest", data={"csrf": csrf,
                                                    "url": "http://10.0.0.1/"}).text.lower()
    api = client.post("/api/documents", json={"text": text + " Again."},
                      headers={"Authorization": "Bearer s3cret-token"})
    assert api.status_code == 201 and api.json()["stored"] == 1
    assert client.post("/api/documents", json={"text": text}).status_code == 401


def test_the_claims_list_sorts(client, ledger):
    for sort in ("newest", "source", "certainty"):
        wanted = [c.id for c in ledger.claims(sort=sort, limit=50)]
        body = client.get("/api/claims", params={"sort": sort}).json()
        assert [c["id"] for c in body["claims"]] == wanted
    newest = ledger.claims(sort="newest", limit=50)
    days = [c.document.published_at or "" for c in newest]
    assert days == sorted(days, reverse=True)
    by_source = [c.source.name for c in ledger.claims(sort="source", limit=50)]
    assert by_source == sorted(by_source)
    page = client.get("/claims", params={"sort": "newest", "search": "port"}).text
    assert 'href="/claims?search=port&amp;sort=source"' in page
    assert client.get("/claims?sort=random").status_code == 422


def test_csv_cells_that_would_be_formulas_are_text():
    row = records.spreadsheet_safe({"content": "=HYPERLINK(\"http://x\")", "low": "-3",
                                    "source": "+cmd", "outlet": "@SUM(A1)", "title": "Plain"})
    assert row == {"content": "'=HYPERLINK(\"http://x\")", "low": "-3", "source": "'+cmd",
                   "outlet": "'@SUM(A1)", "title": "Plain"}


def test_hostile_requests_get_clear_refusals_not_errors(client, ledger_file):
    # Bodies are measured before they are read; odd ids are refused, not 500s.
    big = client.post("/api/claims/x/verdicts", content=b"x" * 200_000,
                      headers={"Content-Type": "application/json"})
    assert big.status_code == 413
    assert client.get(f"/sources/{2**70}").status_code == 422
    assert client.get(f"/claims?source_id={2**70}").status_code == 422
    assert client.get("/sources/1?page=0").status_code == 422
    bad = client.get("/claims?page=0")  # a page says what was wrong, as a page
    assert bad.status_code == 422 and "<html" in bad.text and "page" in bad.text
    assert "input" not in client.get("/api/claims?page=zero").json()["detail"][0]
    # On this machine only: a request naming another host is refused (DNS rebinding).
    local = create_app(ledger_file, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(local, base_url="http://evil.example") as other:
        assert other.get("/api/events").status_code == 400
    with TestClient(local, base_url="http://127.0.0.1:8321") as same:
        assert same.get("/api/events").status_code == 200


def test_analysts_of_any_alphabet_sign_in(writing):
    client, _ = writing
    odd = "claimledger_session=\u00e9t\u00e9|\u00ff|zz".encode("latin-1")
    assert client.get("/events", headers={"Cookie": odd}).status_code == 200
    assert client.post("/events/x/verdicts", data={"verdict": "false", "csrf": "\u00e9"},
                       headers={"Cookie": odd}).status_code == 403
    signed = client.post("/login", data={"analyst": "Łukasz 张伟", "token": "s3cret-token"},
                         follow_redirects=False)
    assert signed.status_code == 303
    assert "Łukasz 张伟" in client.get("/events").text


def test_a_thread_s_ledger_is_closed_when_the_thread_ends(ledger_file):
    import gc
    import threading

    from claimledger.web.app import Ledgers
    from claimledger.settings import Settings

    ledgers = Ledgers(ledger_file, Settings())
    threads = [threading.Thread(target=lambda: ledgers.get().store.counts()) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    del threads, t
    gc.collect()
    assert ledgers.open == 0


def test_a_ledger_from_before_stored_assessments_is_served(ledger_file, tmp_path):
    import shutil

    from conftest import as_before_stored_assessments

    db = str(tmp_path / "old.db")
    shutil.copy(ledger_file, db)
    as_before_stored_assessments(db)
    with Ledger(ledger_file, readonly=True) as ledger:
        expected = [e.id for e in ledger.events(limit=50)]
    with TestClient(create_app(db)) as old:
        assert [e["id"] for e in old.get("/api/events").json()["events"]] == expected
        assert old.get("/events").status_code == 200
        assert old.get(f"/events/{expected[0]}").status_code == 200
        assert old.get("/events?status=disputed").status_code == 200


def test_downloads_at_once_are_bounded_and_their_slots_come_back(client):
    import gc

    from claimledger.web import api

    for _ in range(3 * api.DOWNLOADS_AT_ONCE):  # each written whole: its slot comes back
        assert client.get("/claims.csv").status_code == 200
    held = [api._download(iter(["x"]), "t", "csv") for _ in range(api.DOWNLOADS_AT_ONCE)]
    assert client.get("/claims.csv").status_code == 503
    del held  # dropped unread (a client gone before the first byte): the slots come back
    gc.collect()
    assert client.get("/claims.csv").status_code == 200


def test_wrong_tokens_slow_the_next_try(writing):
    import time

    client, _ = writing
    for _ in range(3):
        assert client.post("/login", data={"analyst": "A", "token": "no"}).status_code == 403
    started = time.perf_counter()
    client.post("/login", data={"analyst": "A", "token": "s3cret-token"})
    assert time.perf_counter() - started >= 1.4  # three wrong tries: 1.5 s before the next


def test_the_app_reads_a_postgresql_ledger_as_it_reads_a_file(ledger_file, postgres_db):
    # The team's ledger on a server: copied from the file, served, the same answers.
    from claimledger.store.copy import copy_ledger

    copy_ledger(ledger_file, postgres_db)
    with TestClient(create_app(ledger_file)) as on_file, \
            TestClient(create_app(postgres_db)) as on_server:
        event = on_file.get("/api/events").json()["events"][0]["id"]
        for path in ("/api/events", "/api/claims?search=port", "/api/claims?place=UA",
                     f"/api/events/{event}", "/api/claims/facets?search=port",
                     "/api/claims?sort=certainty"):
            assert on_server.get(path).json() == on_file.get(path).json(), path
        for path in ("/events", f"/events/{event}", "/claims?search=port", "/claims"):
            assert on_server.get(path).status_code == 200, path
        assert on_server.get("/claims.csv?search=port").text == \
            on_file.get("/claims.csv?search=port").text
