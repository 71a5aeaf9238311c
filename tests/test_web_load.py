"""The web app under load in CI: `benchmarks/web_load.py` with 200 concurrent clients for 10
seconds over the main pages and the API of the samples' ledger, served by `claimledger
serve` as its own process: no request fails or waits past the timeout. (The figures of a
minute over 1,500 real articles are in docs/performance.md.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimledger import Ledger
from conftest import SAMPLES

pytestmark = pytest.mark.slow
pytest.importorskip("httpx")
SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "web_load.py"


def test_200_clients_get_every_page_without_an_error(tmp_path):
    db = str(tmp_path / "ledger.db")
    with Ledger(db) as ledger:
        assert ledger.ingest([str(SAMPLES)], workers=0).stored >= 5
    run = subprocess.run([sys.executable, str(SCRIPT), db, "--clients", "200", "--seconds",
                          "10", "--timeout", "30"], capture_output=True, text=True, timeout=300)
    assert run.stdout, run.stderr
    result = json.loads(run.stdout)["load"]
    assert result["errors"] == 0, {k: v["first_errors"] for k, v in result["pages"].items()}
    assert run.returncode == 0
    assert all(p["requests"] > 0 for p in result["pages"].values())
