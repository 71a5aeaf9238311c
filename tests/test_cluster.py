"""Parsing on a Dask cluster: a LocalCluster, and a scheduler and worker started as
`dask scheduler` and `dask worker --preload claimledger.cluster`, give the same ledger as
`--workers 1`; a worker killed by an article costs that article only; a bad address is one
clear error."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimledger import Ledger

distributed = pytest.importorskip("distributed")

from test_workers import MARKER, SAMPLES, _article, _ids  # noqa: E402

from claimledger.cluster import ClusterError, ClusterWorkers  # noqa: E402


@pytest.fixture(scope="module")
def one_worker_ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("w1") / "w1.db"
    with Ledger(str(path)) as ledger:
        assert ledger.ingest([str(SAMPLES)], workers=1).stored == 6
    return _ids(path)


def test_a_local_cluster_gives_the_same_ledger_as_one_worker(tmp_path, one_worker_ledger):
    path = tmp_path / "local.db"
    with Ledger(str(path)) as ledger:
        ledger.settings.batch_size = 2  # several tasks on each worker, results in order
        report = ledger.ingest([str(SAMPLES)], cluster="local:2")
        assert report.stored == 6, report.summary()
    assert one_worker_ledger and _ids(path) == one_worker_ledger


def _dask(*args: str, log: Path) -> subprocess.Popen:
    dask = shutil.which("dask", path=os.path.dirname(sys.executable)) or "dask"
    return subprocess.Popen([dask, *args], stdout=log.open("w"), stderr=subprocess.STDOUT)


def test_a_scheduler_and_worker_started_as_documented_give_the_same_ledger(
        tmp_path, one_worker_ledger):
    scheduler_file = tmp_path / "scheduler.json"
    scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                      "--scheduler-file", str(scheduler_file), log=tmp_path / "scheduler.log")
    worker = None
    try:
        for _ in range(300):
            if scheduler_file.exists() and scheduler_file.stat().st_size:
                break
            time.sleep(0.1)
        import json

        address = json.loads(scheduler_file.read_text())["address"]
        worker = _dask("worker", address, "--nthreads", "1", "--nworkers", "1",
                       "--no-dashboard", "--preload", "claimledger.cluster",
                       log=tmp_path / "worker.log")
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
        path = tmp_path / "remote.db"
        with Ledger(str(path)) as ledger:
            assert ledger.ingest([str(SAMPLES)], cluster=address).stored == 6
        assert _ids(path) == one_worker_ledger
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


class Segfaults(distributed.WorkerPlugin):
    """Adds, on each worker, a component that crashes the process on the marker."""

    def setup(self, worker):
        import test_workers  # noqa: F401 - registers the component

        from claimledger.nlp.pipeline import load_pipeline
        from claimledger.settings import Settings

        nlp = load_pipeline(Settings().model)
        if "segfault_on_marker" not in nlp.pipe_names:
            nlp.add_pipe("segfault_on_marker", first=True)


def test_an_article_that_kills_its_worker_costs_that_article_only(tmp_path, monkeypatch):
    import dask
    from distributed import Client, LocalCluster

    monkeypatch.syspath_prepend(str(Path(__file__).parent))  # test_workers on the workers
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(Path(__file__).parent),
                                                      os.environ.get("PYTHONPATH", "")]))
    articles = [_article(i) for i in range(4)]
    articles.insert(1, _article(99, f"This line {MARKER}."))
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            with Client(cluster) as client:
                client.register_plugin(Segfaults(), name="segfaults")
            with Ledger(str(tmp_path / "ledger.db")) as ledger:
                ledger.settings.batch_size = 2
                report = ledger.ingest_articles(articles, cluster=cluster.scheduler_address)
    assert report.stored == 4, report.summary()
    assert [r.origin for r in report.skipped] == ["https://example.org/99"]
    assert "worker process died" in report.skipped[0].reason


@pytest.mark.parametrize("address, message", [
    ("foo", "is not a Dask scheduler address"),
    ("local:0", "needs at least one worker"),
    ("tcp://127.0.0.1:9", "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
])
def test_a_bad_cluster_address_is_one_clear_error(address, message, monkeypatch):
    import claimledger.cluster as cluster

    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    from claimledger.settings import Settings

    with pytest.raises(ClusterError, match=re.escape(message)):
        ClusterWorkers(address, Settings())


def test_the_cli_says_so_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "claimledger.cli", "ingest", str(SAMPLES),
                             "--db", str(tmp_path / "x.db"), "--cluster", "nowhere"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("Error: --cluster 'nowhere'")
    assert "Traceback" not in result.stderr
