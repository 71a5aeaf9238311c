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


def as_before_stored_assessments(path) -> None:
    """Make an SQLite ledger look as one made before assessments were stored (m007) and
    summarised (m012): their table, triggers and migration records gone."""
    import sqlite3

    con = sqlite3.connect(path)
    with con:
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                   " AND name LIKE 'event_assessment%'").fetchall():
            con.execute(f"DROP TRIGGER {name}")
        con.execute("DROP TABLE event_assessments")
        con.execute("DELETE FROM _migrations WHERE name IN ('m007_stored_assessments',"
                    " 'm012_event_summaries')")
    con.close()


# -- the ledger on both engines --------------------------------------------------------------
# Store tests take `ledger_db`: an SQLite file, then a fresh database on a PostgreSQL server.
# The server: CLAIMLEDGER_TEST_POSTGRES (a URL; .ci/run starts one and sets it), else one
# started here with scripts/postgres-server where PostgreSQL 15 is installed, else the
# PostgreSQL cases are skipped with the reason.
PG_INITDB = Path("/usr/lib/postgresql/15/bin/initdb")


@pytest.fixture(scope="session")
def postgres_server():
    import os
    import subprocess

    url = os.environ.get("CLAIMLEDGER_TEST_POSTGRES")
    if not url:
        if not PG_INITDB.exists():
            pytest.skip("no PostgreSQL server: set CLAIMLEDGER_TEST_POSTGRES or install "
                        "postgresql-15")
        import shutil
        import tempfile

        # Beside /tmp, not in pytest's folders: the server runs as the postgres user, who
        # may not enter those.
        data = Path(tempfile.mkdtemp(prefix="claimledger-test-pg-"))
        started = subprocess.run([str(ROOT / "scripts" / "postgres-server"), str(data), "5439"],
                                 capture_output=True, text=True)
        if started.returncode:
            pytest.fail(f"scripts/postgres-server failed: {started.stderr.strip()}")
        url = started.stdout.strip()
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:  # fails loudly
        conn.execute("SELECT 1")
    yield url
    if not os.environ.get("CLAIMLEDGER_TEST_POSTGRES"):
        stop = ["/usr/lib/postgresql/15/bin/pg_ctl", "-D", str(data), "-m", "fast", "stop"]
        if os.geteuid() == 0:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture()
def postgres_db(postgres_server) -> str:
    """A new, empty database on the server, dropped afterwards: its URL."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"claimledger_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(postgres_server)
    yield urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_db(request, tmp_path) -> str:
    """Where a test's ledger lives: an SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    return request.getfixturevalue("postgres_db")
