"""Parsing in worker processes: the same ledger as in one process, and a worker that dies
costs only the article it was parsing."""

from __future__ import annotations

import ctypes
import faulthandler
import sqlite3
from pathlib import Path

import pytest
from spacy.language import Language

from claimledger import Ledger
from claimledger.models import Article

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
MARKER = "crashes-the-parser"


@Language.component("segfault_on_marker")
def segfault_on_marker(doc):
    if MARKER in doc.text:
        faulthandler.disable()  # pytest's traceback dump is not what is tested
        ctypes.string_at(0)  # a real segmentation fault, as a native library's bug gives
    return doc


@pytest.fixture(scope="module")
def nlp():
    from claimledger.nlp.pipeline import load_pipeline

    return load_pipeline("en_core_web_md")


def _ids(path) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT c.id, c.start, c.end, ec.event_id, ds.story_id FROM claims c"
            " LEFT JOIN event_claims ec ON ec.claim_id = c.id"
            " LEFT JOIN document_stories ds ON ds.document_id = c.document_id"
            " ORDER BY c.id").fetchall()
    finally:
        db.close()


def test_two_workers_give_the_same_ledger_as_one_process(tmp_path, nlp):
    paths = {}
    for workers in (0, 1, 2):
        paths[workers] = tmp_path / f"w{workers}.db"
        with Ledger(str(paths[workers])) as ledger:
            report = ledger.ingest([str(SAMPLES)], workers=workers)
            assert report.stored == 6, report.summary()
    rows = _ids(paths[0])
    assert rows and rows == _ids(paths[1]) == _ids(paths[2])


def _article(i: int, extra: str = "") -> Article:
    return Article(text=f"Officials in town {i} said on Monday that the bridge {i} would stay "
                        f"closed for repairs until the end of the month. {extra}",
                   title=f"Bridge {i} stays closed", url=f"https://example.org/{i}",
                   published_at="2025-03-04")


@pytest.fixture
def crashing_pipeline(nlp):
    nlp.add_pipe("segfault_on_marker", first=True)
    try:
        yield nlp
    finally:
        nlp.remove_pipe("segfault_on_marker")


def test_a_segfault_costs_only_the_article_that_caused_it(tmp_path, crashing_pipeline):
    articles = [_article(i) for i in range(5)]
    articles.insert(2, _article(99, f"This line {MARKER}."))
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.settings.batch_size = 2  # the crash takes a batch with it: both are redone
        report = ledger.ingest_articles(articles, workers=2)
        assert report.stored == 5, report.summary()
        assert [r.origin for r in report.skipped] == ["https://example.org/99"]
        # The signal is named where the pool still knew the process (most runs): SIGSEGV.
        assert "worker process died" in report.skipped[0].reason
        # The pool was started again: a later ingest into the same ledger goes on.
        again = ledger.ingest_articles([_article(7)], workers=2)
        assert again.stored == 1
        assert ledger.store.counts()["documents"] == 6
