"""Parsing on a Dask cluster: the parse and build stages of ingest (`workers.analyse`) on the
workers of a Dask distributed scheduler, on this machine or across many.

    ClusterWorkers("tcp://scheduler:8786", settings)   a running scheduler and its workers
    ClusterWorkers("local:4", settings)                a LocalCluster of 4 worker processes

It has the interface of `workers.Workers`: `map` sends batches of articles to the cluster
and gives each batch's results back in the order the batches went, so the one writer
(`Ledger.ingest_articles`, on this machine) dedupes, links and stores exactly as with
`--workers N`, and the ledger is the same. Every worker loads the spaCy model once: the
`LoadModel` plugin does it as the worker joins (or `dask worker --preload
claimledger.cluster`, which does it as the worker starts).

A worker that dies (a crash in native code, the out-of-memory killer) is replaced by Dask,
which runs its tasks again elsewhere; a batch that keeps killing workers ends as
`KilledWorker`, and then each of its articles is parsed alone, so that only the article that
kills its worker is skipped, with the reason, as with `--workers`.

A task runs in a worker's thread, where no alarm signal arrives; the time budget per article
(`time_budget`) holds all the same (`workers._deadline`).
"""

from __future__ import annotations

import logging
import re
from collections import deque
from typing import Any, Iterable, Iterator

from claimledger.errors import ClaimledgerError
from claimledger.models import Article
from claimledger.settings import Settings
from claimledger.workers import CRASHED, Analysed, Task, analyse, in_order

log = logging.getLogger(__name__)
LOCAL = re.compile(r"local(?::(\d+))?$")
CONNECT_SECONDS = 20


class ClusterError(ClaimledgerError, RuntimeError):
    """The cluster named cannot be used: a malformed address, no scheduler there, or Dask
    not installed."""


def _analyse_on_worker(articles: list[tuple[Article, str]], document_ids: list[str],
                       settings: Settings) -> list[Analysed]:
    from claimledger.nlp.pipeline import load_pipeline

    return analyse(load_pipeline(settings.model), articles, settings, document_ids)


def _load_model(model: str) -> None:
    from claimledger.nlp.pipeline import load_pipeline

    load_pipeline(model)


def dask_setup(worker: Any) -> None:
    """`dask worker --preload claimledger.cluster`: load the default model as the worker
    starts (the setting `model`, from CLAIMLEDGER_MODEL or the default)."""
    _load_model(Settings().model)


class ClusterWorkers:
    """Batches of articles analysed on a Dask cluster; see the module's docstring."""

    def __init__(self, address: str, settings: Settings):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency
            raise ClusterError("--cluster needs Dask distributed: pip install distributed") \
                from exc
        self.address = address
        self.settings = settings
        self._cluster: Any = None
        self.processes_here = 0  # parsing processes on this machine (local:N)
        # Dask's own log lines (workers starting, closing) only with claimledger -v.
        quiet = max(logging.getLogger().getEffectiveLevel(), logging.INFO)
        logging.getLogger("distributed").setLevel(quiet)
        local = LOCAL.match(address.strip())
        if local:
            n = self.processes_here = int(local.group(1) or 1)
            if n < 1:
                raise ClusterError(f"--cluster {address}: a local cluster needs at least one "
                                   "worker (local:N)")
            # One thread per worker process: the spaCy pipeline is not shared between threads.
            self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=None,
                                         silence_logs=quiet)
            target: Any = self._cluster
        elif re.match(r"(tcp|tls|ucx|inproc|ws|wss)://", address):
            target = address
        else:
            raise ClusterError(f"--cluster {address!r} is not a Dask scheduler address: use "
                               "tcp://HOST:8786 or local:N")
        try:
            self.client = Client(target, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self._close_cluster()
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.client.register_plugin(LoadModel(settings.model), name="claimledger-model")
        self.n = max(1, sum(self.client.nthreads().values()))
        self._pending: deque[tuple[Task, Any]] = deque()

    # -- the interface of workers.Workers ------------------------------------------------
    def map(self, tasks: Iterable[Task]) -> Iterator[list[Analysed]]:
        """Each task's results, in the order the tasks came; at most two tasks per worker
        thread in flight."""
        from distributed import KilledWorker

        for (articles, ids), future in in_order(tasks, self._pending, 2 * self.n,
                                                lambda task: self._submit(*task)):
            try:
                yield future.result()
            except KilledWorker:
                log.warning("a batch of %d articles killed its Dask workers; parsing them one "
                            "by one", len(articles))
                yield [self._alone(article, document_id)
                       for article, document_id in zip(articles, ids)]

    def result_waiting(self) -> bool:
        return not self._pending or self._pending[0][1].done()

    def close(self) -> None:
        for _, future in self._pending:
            future.cancel()
        self._pending.clear()
        try:
            self.client.close()
        finally:
            self._close_cluster()

    # -- helpers -------------------------------------------------------------------------
    def _submit(self, articles: list[tuple[Article, str]], ids: list[str]):
        return self.client.submit(_analyse_on_worker, articles, ids, self.settings, pure=False)

    def _alone(self, article: tuple[Article, str], document_id: str) -> Analysed:
        from distributed import KilledWorker

        try:
            return self._submit([article], [document_id]).result()[0]
        except KilledWorker as exc:
            return Analysed(skipped=CRASHED.format(how=f"Dask: {exc}"))

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _plugin_base() -> type:
    try:
        from distributed.diagnostics.plugin import WorkerPlugin
    except ImportError:  # pragma: no cover - a dependency
        return object
    return WorkerPlugin


class LoadModel(_plugin_base()):  # type: ignore[misc]
    """A Dask worker plugin that loads the spaCy pipeline as each worker joins."""

    def __init__(self, model: str):
        self.model = model

    def setup(self, worker: Any) -> None:
        _load_model(self.model)
