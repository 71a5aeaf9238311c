"""The ledger under bad input, re-ingest and interruption: a clear reason per file, the batch
goes on, nothing stored is lost."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimledger import Ledger

pytestmark = pytest.mark.slow

GOOD = """Minister says bridge repairs will finish in May

Transport Minister Anna Kovalenko said on Monday that repairs to the Dnipro bridge would be
finished by the end of May. “We have the steel and the crews,” she told reporters.

Local officials said the work could be delayed by bad weather.
"""

OTHER = """Council approves flood defences

The city council of Riverton approved a plan for new flood walls on Tuesday, the mayor's
office said in a statement. The plan costs about 40 million dollars, officials said.
"""

GERMAN = """Regierung kündigt neue Hilfen an

Die Bundesregierung hat am Montag neue Hilfen für die Ukraine angekündigt. Das teilte ein
Sprecher des Ministeriums in Berlin mit. Die Hilfen sollen noch in diesem Jahr ausgezahlt
werden, sagte er. Es ist nicht klar, wie hoch die Summe sein wird.
"""


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


@pytest.fixture()
def inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write(d / "a_good.txt", GOOD)
    write(d / "b_binary.txt", bytes(range(256)) * 40)
    write(d / "c_empty.txt", "")
    write(d / "d_bad_utf8.txt", b"Title\n\n" + bytes([0xC3, 0x28, 0xA0, 0xA1, 0xFF, 0xFE]) * 200)
    write(d / "e_malformed.html", "<html><body><div><p>Unclosed <b>tags <i>everywhere<table><tr>"
                                   "<td>cell</div></span>&nbsp;&bogus; <<<>>>")
    write(d / "f_german.txt", GERMAN)
    write(d / "g_other.txt", OTHER)
    return d


def test_bad_input_gives_reasons_and_the_batch_goes_on(tmp_path, inputs, ledger_db):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:  # 50 MB of text
        line = b"This is a very long article that never ends. " * 20 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    with Ledger(ledger_db) as ledger:
        report = ledger.ingest([str(inputs), str(big)])
        reasons = {Path(r.origin).name: r.reason for r in report.skipped}
        # The malformed page is read without a crash; its few words are a short document.
        assert report.stored == 3, report.summary()
        assert "binary" in reasons["b_binary.txt"]
        assert "empty" in reasons["c_empty.txt"]
        assert "UTF-8" in reasons["d_bad_utf8.txt"]
        assert "e_malformed.html" not in reasons
        assert any("Unclosed tags" in (ledger.document_text(d) or "") for d in
                   [r[0] for r in ledger.store.db.execute("SELECT id FROM documents")])
        assert "de" in reasons["f_german.txt"] and "English" in reasons["f_german.txt"]
        assert "too large" in reasons["huge.txt"]
        stored = ledger.store.db.execute("SELECT count(*) FROM rejected").fetchone()[0]
        assert stored == len(report.skipped)
        assert ledger.claims(search="bridge")


def test_reingest_is_idempotent_and_keeps_what_was_stored(inputs, ledger_db):
    db = ledger_db
    with Ledger(db) as ledger:
        first = ledger.ingest([str(inputs / "a_good.txt")])
        ids = sorted(c.id for c in ledger.claims())
    with Ledger(db) as ledger:
        second = ledger.ingest([str(inputs / "a_good.txt"), str(inputs / "b_binary.txt")])
        assert first.stored == 1 and second.stored == 0 and second.duplicates == 1
        assert sorted(c.id for c in ledger.claims()) == ids


def test_repost_is_grouped_as_near_duplicate(tmp_path, ledger_db):
    d = tmp_path / "in"
    d.mkdir()
    write(d / "a.txt", GOOD)
    write(d / "b.txt", "Bridge repairs to finish in May, minister says\n\n"
          + GOOD.split("\n", 2)[2] + "\nOriginally published by Meridian Wire.\n")
    with Ledger(ledger_db) as ledger:
        report = ledger.ingest([str(d)])
        assert report.stored == 2 and report.near_duplicates == 1
        groups = {r["duplicate_group"] for r in ledger.store.documents()}
        assert len(groups) == 1


def test_a_killed_ingest_leaves_a_consistent_ledger_that_a_rerun_completes(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(60):
        write(d / f"{i:03}.txt", GOOD.replace("Dnipro", f"Dnipro-{i}").replace(
            "Monday", ["Monday", "Tuesday", "Friday"][i % 3]) + f"\nItem {i} of the series.\n"
            + (OTHER if i % 2 else ""))
    db = tmp_path / "l.db"
    cmd = [sys.executable, "-m", "claimledger.cli", "ingest", str(d), "--db", str(db),
           "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                con = sqlite3.connect(str(db), timeout=5)
                stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 5:
                break
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(str(db))
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    orphans = con.execute("SELECT count(*) FROM claims WHERE document_id NOT IN "
                          "(SELECT id FROM documents)").fetchone()[0]
    assert orphans == 0
    # Every stored document has its claims: no half-written document.
    empty = con.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                        "(SELECT 1 FROM claims c WHERE c.document_id = d.id)").fetchone()[0]
    assert empty == 0
    con.close()
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    con = sqlite3.connect(str(db))
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 60
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] >= docs
    con.close()


def test_the_events_listing_pages_through_a_ledger_of_many_events(tmp_path):
    # More events than one page of the listing (100): a synthetic ledger written through the
    # same store and linker as ingest (benchmarks/link_speed.py, no spaCy). Every page
    # joins up into the full order, a limit is its head, and a status filter keeps the order.
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "link_speed.py"
    made = subprocess.run([sys.executable, str(script), "--claims", "8000", "--checkpoints",
                           "8000", "--all-pairs-max", "0", "--keep"],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    db = json.loads(made.stdout)["ledger"]
    try:
        with Ledger(db, readonly=True) as ledger:
            order = ledger.store.find_event_ids()
            assert len(order) > 200
            listed = [e.id for e in ledger.events()]
            assert listed == order
            assert [e.id for e in ledger.events(limit=150)] == order[:150]
            status = ledger.events(limit=1)[0].status
            kept = [e.id for e in ledger.events(status=status)]
            assert kept and kept == [eid for eid in order if eid in set(kept)]
            # A listing's summaries: read from their own stored column, the same as made
            # from the whole events, page for page.
            from claimledger.models import EventSummary

            assert [s.to_dict() for s in ledger.event_summaries(limit=120, offset=30)] == \
                [EventSummary.of(e).to_dict() for e in ledger.events(limit=120, offset=30)]
            assert [s.id for s in ledger.event_summaries(status=status)] == kept
    finally:
        shutil.rmtree(Path(db).parent, ignore_errors=True)
