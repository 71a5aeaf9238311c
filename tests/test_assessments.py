"""Stored assessments: each ingest stores the assessment of every event whose claims changed;
reading returns it, and it equals the assessment computed afresh from the claims. Any change
to an event's claims (new claims, a merge, a split, a deleted document) makes it stale, and a
stale event is assessed again when read."""

from __future__ import annotations

import json

from claimledger import Ledger, stages
from claimledger.assess.events import assess

from conftest import SAMPLES, as_before_stored_assessments


def fresh(ledger: Ledger, event_id: str) -> dict:
    event = assess(event_id, ledger.event_claims(event_id))
    event.story = ledger.store.event_story(event_id)
    event.changes = ledger.store.changes(event_id)
    return event.to_dict()


def stored_ids(ledger: Ledger) -> set[str]:
    return {r[0] for r in ledger.store.db.execute("SELECT event_id FROM event_assessments")}


def test_stored_assessments_equal_fresh_ones_after_every_ingest(tmp_path):
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        for path in sorted(p for p in SAMPLES.iterdir() if p.name != "README.md"):
            ledger.ingest([str(path)], workers=0)
            events = ledger.events()
            assert events
            ids = {e.id for e in ledger.events(min_claims=1)}
            assert ids <= stored_ids(ledger), "an ingest left events unassessed"
            for event in ledger.events(min_claims=1):
                assert event.to_dict() == fresh(ledger, event.id), path.name
            assert ledger.store.unassessed_events(stages.ASSESSMENT_VERSION) == []


def test_a_change_to_an_events_claims_makes_it_stale_and_it_is_read_fresh(tmp_path):
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        strike = ledger.events()[0]
        assert strike.id in stored_ids(ledger)
        documents = sorted({c.document_id for c in ledger.event_claims(strike)})
        # An analyst's split moves claims: both events are stale until assessed again.
        new_id = ledger.split_event(strike.id, documents[-1:], reason="a test")
        assert strike.id not in stored_ids(ledger) and new_id not in stored_ids(ledger)
        for eid in (strike.id, new_id):
            assert ledger.event(eid).to_dict() == fresh(ledger, eid)
        assert ledger.store_assessments() >= 2
        assert {strike.id, new_id} <= stored_ids(ledger)
        # A document deleted (in SQLite, as an analyst might) takes its claims with it.
        with ledger.store.db:
            ledger.store.db.execute("DELETE FROM documents WHERE id = ?", (documents[0],))
        assert strike.id not in stored_ids(ledger)
        after = ledger.event(strike.id)
        assert after.to_dict() == fresh(ledger, strike.id)
        assert after.to_dict() != strike.to_dict()


def test_what_is_stored_is_the_event_as_json(tmp_path):
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        status, kind, text = ledger.store.db.execute(
            "SELECT status, type, assessment FROM event_assessments ORDER BY length(assessment)"
            " DESC").fetchone()
        record = json.loads(text)
        assert (record["status"], record["type"]) == (status, kind)
        assert "story" not in record and "changes" not in record  # read as they are


def test_a_document_deleted_without_foreign_keys_makes_its_events_stale(tmp_path):
    """The sqlite3 shell has foreign keys off: deleting a document there cascades nothing,
    and its events' stored assessments must go all the same."""
    import sqlite3

    path = tmp_path / "ledger.db"
    with Ledger(str(path)) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        strike = ledger.events()[0]
        document = sorted({c.document_id for c in ledger.event_claims(strike)})[0]
    con = sqlite3.connect(path)  # foreign keys off, as in the shell
    with con:
        con.execute("DELETE FROM documents WHERE id = ?", (document,))
    assert not con.execute("SELECT 1 FROM event_assessments WHERE event_id = ?",
                           (strike.id,)).fetchall()
    con.close()
    with Ledger(str(path), readonly=True) as ledger:
        assert ledger.event(strike.id).to_dict() == fresh(ledger, strike.id)


def test_assessments_of_other_rules_or_unreadable_are_made_again(tmp_path, monkeypatch, caplog):
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        strike = ledger.events()[0]
        expected = fresh(ledger, strike.id)
        # Rules of another version: not read, and stored again by the next round.
        monkeypatch.setattr(stages, "ASSESSMENT_VERSION", stages.ASSESSMENT_VERSION + 1)
        assert ledger.store.assessments([strike.id], stages.ASSESSMENT_VERSION) == {}
        assert ledger.event(strike.id).to_dict() == expected
        assert ledger.store_assessments() == len(ledger.events(min_claims=1))
        # A stored record the Event no longer fits: assessed again, with a warning.
        with ledger.store.db:
            ledger.store.db.execute("UPDATE event_assessments SET assessment = '{\"id\": 1}'"
                                    " WHERE event_id = ?", (strike.id,))
        assert ledger.event(strike.id).to_dict() == expected
        assert "could not be read" in caplog.text


def test_an_assessment_of_claims_that_changed_meanwhile_is_not_stored(tmp_path):
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        strike = ledger.events()[0]
        ids = ledger.store.event_claim_ids(strike.id)
        record = stages.assessment_record(assess(strike.id, ledger.event_claims(strike)))
        with ledger.store.db:
            ledger.store.db.execute("DELETE FROM event_assessments")
        assert not ledger.store.save_assessment(strike.id, ids[:-1], 1, record)
        assert ledger.store.save_assessment(strike.id, ids, 1, record)


def test_a_ledger_from_before_stored_assessments_can_still_be_read(tmp_path):
    import pytest

    from claimledger.store.sqlite import LedgerError

    path = tmp_path / "ledger.db"
    with Ledger(str(path)) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        expected = [e.to_dict() for e in ledger.events()]
    as_before_stored_assessments(path)
    with Ledger(str(path), readonly=True) as ledger:
        assert [e.to_dict() for e in ledger.events()] == expected
        with pytest.raises(LedgerError, match="reading only"):
            ledger.store_assessments()
    with Ledger(str(path)) as ledger:  # a writer brings it up to date
        assert ledger.store_assessments() > 0


def test_plain_records_equal_dataclasses_asdict(example_ledger):
    from dataclasses import asdict

    from claimledger.models import plain

    events = example_ledger.events()
    claims = example_ledger.claims()
    assert events and claims
    for record in [*events, *claims]:
        assert plain(record) == asdict(record)
        assert record.to_dict() == asdict(record)


def test_assessments_made_while_the_writer_waits_equal_fresh_ones(tmp_path, monkeypatch):
    """With a core to spare, the writer assesses changed events between batches; what it
    leaves is assessed as the ingest ends, and every stored assessment is the fresh one."""
    import claimledger.ledger as ledger_module

    monkeypatch.setattr(ledger_module, "available_cores", lambda: 8)
    rounds: list[dict] = []
    real = stages.store_assessments

    def counted(store, **options):
        rounds.append(options)
        return real(store, **options)

    monkeypatch.setattr(stages, "store_assessments", counted)
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.settings.batch_size = 1
        ledger.ingest([str(SAMPLES)], workers=1)
        assert any(r.get("largest") == stages.IDLE_LARGEST for r in rounds)
        assert ledger.store.unassessed_events(stages.ASSESSMENT_VERSION) == []
        for event in ledger.events(min_claims=1):
            assert event.to_dict() == fresh(ledger, event.id)


def test_a_round_of_assessments_stops_when_asked_and_keeps_to_its_size(tmp_path):
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.ingest([str(SAMPLES)], workers=0)
        with ledger.store.db:
            ledger.store.db.execute("DELETE FROM event_assessments")
        every = ledger.store.unassessed_events(stages.ASSESSMENT_VERSION)
        sizes = dict(ledger.store.db.execute("SELECT id, claims FROM events"))
        assert len(every) >= 2
        assert stages.store_assessments(ledger.store, stop=lambda: True) == 0
        small = min(sizes[e] for e in every)
        stored = stages.store_assessments(ledger.store, largest=small)
        assert stored == sum(1 for e in every if sizes[e] <= small)
        left = ledger.store.unassessed_events(stages.ASSESSMENT_VERSION)
        assert left and all(sizes[e] > small for e in left)
        assert stages.store_assessments(ledger.store) == len(left)
