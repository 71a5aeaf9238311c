"""The PostgreSQL ledger against the SQLite one: the same records from the same articles,
concurrent writers that lose and duplicate nothing, and clear lines for a bad --db."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from claimledger import Ledger
from conftest import SAMPLES

pytestmark = pytest.mark.slow

SEARCHES = [{"search": "strike"}, {"search": "said"}, {"search": "grain terminal"},
            {"source": "officials"}, {"source": "a"}, {"place": "Odesa"}, {"place": "UA"},
            {"certainty": ["PR+", "PS+"]}, {"since": "2025-03-04"},
            {"search": "the", "limit": 7}]


def _ledger(target: str) -> dict:
    """What an analyst reads from a ledger, as plain data."""
    with Ledger(target, readonly=True) as ledger:
        claims = [json.dumps(c.to_dict(), sort_keys=True, default=str)
                  for c in ledger.claims()]
        events = [json.dumps(e.to_dict(), sort_keys=True, default=str) for e in ledger.events()]
        hits = [[c.id for c in ledger.claims(**q)] for q in SEARCHES]
        counts = ledger.store.counts()
    return {"claims": claims, "events": events, "hits": hits, "counts": counts}


def test_postgresql_and_sqlite_give_the_same_ledger(tmp_path, postgres_db):
    sqlite_db = str(tmp_path / "ledger.db")
    for target in (sqlite_db, postgres_db):
        with Ledger(target) as ledger:
            report = ledger.ingest([str(SAMPLES)], workers=0)
            assert report.stored >= 5, report.summary()
    one, other = _ledger(sqlite_db), _ledger(postgres_db)
    assert one["counts"] == other["counts"]
    assert one["claims"] == other["claims"]
    assert one["events"] == other["events"]
    assert one["hits"] == other["hits"]
    assert all(one["hits"][:3]), one["hits"]  # the searches find something to compare


def test_two_concurrent_writers_lose_and_duplicate_nothing(tmp_path, postgres_db):
    # Two ingests at once over the same articles, each with some of its own: every article
    # stored once, every claim linked to one event, as many as one writer stores.
    texts = {f"t{i}.txt": f"Report {i}\n\nOfficials in Riverton said on Monday that {i + 2} "
             f"bridges in district {i} would close for repairs, the mayor's office said.\n"
             for i in range(6)}
    dirs = []
    for n, names in enumerate((["t0.txt", "t1.txt", "t2.txt"], ["t3.txt", "t4.txt", "t5.txt"])):
        d = tmp_path / f"in{n}"
        d.mkdir()
        for name in names:
            (d / name).write_text(texts[name], encoding="utf-8")
        dirs.append(d)
    alone = str(tmp_path / "alone.db")
    with Ledger(alone) as ledger:
        ledger.ingest([str(SAMPLES), *map(str, dirs)], workers=0)
        expected = ledger.store.counts(("documents", "claims"))
    writers = [subprocess.Popen(
        [sys.executable, "-m", "claimledger.cli", "ingest", str(SAMPLES), str(d),
         "--db", postgres_db, "--workers", "0", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for d in dirs]
    for w in writers:
        out, err = w.communicate(timeout=600)
        assert w.returncode == 0, err
    with Ledger(postgres_db, readonly=True) as ledger:
        store = ledger.store
        assert store.counts(("documents", "claims")) == expected
        assert store.db.execute("SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1"
                                " FROM event_claims ec WHERE ec.claim_id = c.id)"
                                ).fetchone()[0] == 0
        assert store.db.execute("SELECT count(DISTINCT content_hash) FROM documents"
                                ).fetchone()[0] == expected["documents"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimledger.cli", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("url, says", [
    ("postgresql://nobody@127.0.0.1:1/ledger", "cannot open the PostgreSQL ledger"),
    ("postgresql://a:secret@[bad/ledger", "not a PostgreSQL URL"),
    ("postgresql://a@host:99999/ledger", "not a PostgreSQL URL"),
])
def test_a_bad_or_unreachable_server_is_one_clear_line(url, says):
    done = _cli("claims", "--db", url)
    assert done.returncode != 0
    assert says in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "secret" not in done.stderr


def test_reading_a_database_that_holds_no_ledger_says_so(postgres_db):
    done = _cli("claims", "--db", postgres_db)
    assert done.returncode != 0 and "not an up-to-date claimledger ledger" in done.stderr


def test_a_ledger_copied_to_the_other_engine_and_back_reads_the_same(tmp_path, postgres_db):
    # An SQLite ledger into PostgreSQL and from there into a new file: the same claims,
    # events (with their stored assessments and history) and search hits in each, and each
    # copy goes on taking articles where the original left off.
    original, back = str(tmp_path / "ledger.db"), str(tmp_path / "back.db")
    with Ledger(original) as ledger:
        assert ledger.ingest([str(SAMPLES)], workers=0).stored >= 5
        event = ledger.events(limit=1)[0]
        ledger.add_verdict("event", event.id, "verified", note="two sources", analyst="Ana")
    copied = _cli("copy", original, postgres_db)
    assert copied.returncode == 0, copied.stderr
    assert "claims_fts" in copied.stderr and "copied" in copied.stdout
    assert _cli("copy", postgres_db, back).returncode == 0
    read = _ledger(original)
    assert '"verdict": "verified"' in read["events"][0]  # analysts' verdicts go too
    assert _ledger(postgres_db) == read
    assert _ledger(back) == read
    # Into a ledger that holds something: refused, one line, the target unchanged.
    again = _cli("copy", original, postgres_db)
    assert again.returncode == 1 and "is not empty" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1, again.stderr
    assert _ledger(postgres_db)["counts"] == read["counts"]
    article = tmp_path / "new.txt"
    article.write_text("Harbour reopens\n\nThe port authority said on Friday that the "
                       "harbour in Riverton would reopen next week, a spokesman told "
                       "reporters.\n", encoding="utf-8")
    for target in (postgres_db, back):
        with Ledger(target) as ledger:
            assert ledger.ingest([str(article)], workers=0).stored == 1
        assert _ledger(target)["counts"]["documents"] == read["counts"]["documents"] + 1
