"""Shared fixtures. Tests that need the real spaCy model load it once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = SHARED / "examples" / "000_74cb888c7f6563bf.txt"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def example_path() -> Path:
    if not EXAMPLE.exists():
        pytest.skip("../shared/examples is not beside the checkout")
    return EXAMPLE


@pytest.fixture(scope="session")
def example_ledger(tmp_path_factory, example_path):
    """A ledger holding the worked example, ingested once for all tests that read it."""
    from claimledger import Ledger

    path = tmp_path_factory.mktemp("example") / "ledger.db"
    with Ledger(str(path)) as ledger:
        report = ledger.ingest([str(example_path)])
        assert report.stored == 1, report.summary()
    ledger = Ledger(str(path))
    yield ledger
    ledger.close()
