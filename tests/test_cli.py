"""The command line, through click's runner, on the worked example."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from claimledger.cli import main

pytestmark = pytest.mark.slow

CLAIM_KEYS = {"id", "document", "text", "start", "end", "content", "cue", "quote", "source",
              "channel", "certainty", "polarity", "times", "places", "quantities", "extractor"}


@pytest.fixture(scope="module")
def db(tmp_path_factory, example_path):
    path = tmp_path_factory.mktemp("cli") / "ledger.db"
    result = CliRunner().invoke(main, ["ingest", str(example_path), "--db", str(path),
                                       "--outlet", "Example Outlet"])
    assert result.exit_code == 0, result.output
    assert "stored 1 document(s)" in result.output
    return str(path)


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result


def test_claims_jsonl_has_the_record_fields(db):
    result = run("claims", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert records
    for r in records:
        assert CLAIM_KEYS <= set(r)
        assert set(r["document"]) >= {"id", "url", "title", "outlet", "published_at",
                                      "published_from"}
        assert set(r["source"]) >= {"name", "kind", "role", "affiliation"}
        assert r["channel"][-1] == "Example Outlet"  # the publisher ends every chain


def test_filters(db):
    by_source = run("claims", "--db", db, "--source", "Austin", "--format", "jsonl")
    names = {json.loads(x)["source"]["name"] for x in by_source.output.splitlines()
             if x.startswith("{")}
    assert names == {"Lloyd Austin"}
    unconfirmed = run("claims", "--db", db, "--certainty", "unconfirmed", "--format", "jsonl")
    assert all(json.loads(x)["certainty"] == "Uu" for x in unconfirmed.output.splitlines()
               if x.startswith("{"))
    kursk = run("claims", "--db", db, "--place", "Kursk", "--format", "jsonl")
    assert any("Kursk Oblast" in json.loads(x)["content"] for x in kursk.output.splitlines()
               if x.startswith("{"))
    search = run("claims", "--db", db, "--search", "fighter pilots", "--format", "jsonl")
    assert any("fighter pilots" in json.loads(x)["content"] for x in search.output.splitlines()
               if x.startswith("{"))
    within = run("claims", "--db", db, "--since", "2024-10-23", "--until", "2024-10-23",
                 "--format", "jsonl")
    contents = [json.loads(x)["content"] for x in within.output.splitlines() if x.startswith("{")]
    assert any("23 October" in c for c in contents)
    assert not any("fighter pilots" in c for c in contents)


def test_csv_and_table(db):
    out = run("claims", "--db", db, "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {"source", "certainty", "content"} <= set(rows[0])
    table = run("claims", "--db", db)
    assert table.exit_code == 0 and "Kyrylo Budanov" in table.output


def test_show_marks_the_spans(db):
    first = next(json.loads(x) for x in run("claims", "--db", db, "--source", "Austin",
                                            "--format", "jsonl").output.splitlines()
                 if x.startswith("{"))
    shown = run("show", first["id"][:8], "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "{couldn’t confirm}" in shown.output
    assert "[US Defense Secretary Lloyd Austin]" in shown.output


def test_export_geojson(db):
    result = run("export", "--db", db, "--format", "geojson")
    data = json.loads(result.stdout.splitlines()[0])
    assert data["type"] == "FeatureCollection"
    names = {f["properties"]["place"] for f in data["features"]}
    assert any(n.startswith("Kursk") for n in names)
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_errors_are_one_line_and_nonzero(tmp_path):
    bad = tmp_path / "not-a-ledger.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    result = run("claims", "--db", str(bad))
    assert result.exit_code != 0
    assert "not a claimledger ledger" in result.output
    missing = tmp_path / "typo.db"
    for args in (("show", "nope"), ("claims",), ("export",)):
        result = run(*args, "--db", str(missing))
        assert result.exit_code != 0 and "no ledger at" in result.output
    assert not missing.exists()  # reading never creates a ledger
    wrong = run("claims", "--db", str(bad), "--certainty", "sure")
    assert wrong.exit_code != 0 and "unknown certainty" in wrong.output
    date = run("ingest", "x.txt", "--db", str(tmp_path / "e.db"), "--published", "someday")
    assert date.exit_code != 0 and "not a date" in date.output
    since = run("claims", "--db", str(bad), "--since", "sometime soon")
    assert since.exit_code != 0 and "not a date" in since.output


def test_another_applications_database_is_left_alone(tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(str(other))
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    result = run("ingest", "whatever.txt", "--db", str(other))
    assert result.exit_code != 0 and "not a claimledger ledger" in result.output
    con = sqlite3.connect(str(other))
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"invoices"}


def test_limit(db):
    two = run("claims", "--db", db, "--limit", "2", "--format", "jsonl")
    assert two.exit_code == 0 and len([x for x in two.stdout.splitlines() if x]) == 2
    zero = run("claims", "--db", db, "--limit", "0")
    assert zero.exit_code != 0 and "--limit" in zero.output


def test_wildcards_and_prefixes(db):
    assert "no claims match" in run("claims", "--db", db, "--source", "%").output
    assert "no claims match" in run("claims", "--db", db, "--place", "_").output
    ambiguous = run("show", "", "--db", db)
    assert ambiguous.exit_code != 0 and "ambiguous" in ambiguous.output


def test_every_command_is_documented():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, command in main.commands.items():
        assert f"claimledger {name}" in readme, f"README does not show `claimledger {name}`"
        assert command.help, name
