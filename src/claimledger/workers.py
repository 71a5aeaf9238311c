"""Parsing articles and building their claims, in this process or in worker processes.

This is the stage of ingest between screening and storing (see `ledger.py`): plain records
in, plain records out, so that it can run anywhere.

    analyse(nlp, articles, settings, document_ids) -> list[Analysed]

takes (Article, stored text) pairs, parses them with the spaCy pipeline in one batch and
turns each Doc into its claims and gist at the border (`claims/build.py`). A document that
breaks a component, or a batch past its time budget, is parsed again one document at a
time, each from a fresh Doc, and a component that fails on a document is left out for that
document alone (`Analysed.warnings`); a document past its own budget is skipped as too slow
(`Analysed.skipped`).

`Workers(n, settings)` runs `analyse` in n forked processes, each loading the model once,
the first time it is given work (a process forked from one that has loaded it already
shares it). Results come back in the order the articles went in, so the
writer stores, dedupes and links exactly as with one process. A worker process is also a
crash boundary: a crash in native code (a segmentation fault in a parser library, the
kernel's out-of-memory killer) costs that process only. The pool is started again, each
article of the batches it held is analysed on its own, and the one that kills its process
is skipped with the reason; every other article is stored.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterable, Iterator, Optional

from claimledger.models import Article, Claim, Gist
from claimledger.settings import Settings

log = logging.getLogger(__name__)
CRASHED = ("its worker process died while parsing it ({how}): a crash in native code or "
           "the system running out of memory; the other articles were parsed again and stored")


@dataclass
class Analysed:
    """One article after parsing: its claims and gist, the stages that failed on it, or
    why it was skipped (then nothing else is set)."""

    claims: list[Claim] = field(default_factory=list)
    gist: Gist = field(default_factory=Gist)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (stage, message)
    skipped: Optional[str] = None


def analyse(nlp, articles: list[tuple[Article, str]], settings: Settings,
            document_ids: list[str]) -> list[Analysed]:
    """Parse the articles (with their stored texts) and build their claims and gists."""
    from claimledger.claims.build import build_claims, build_gist

    makers: list[tuple[Callable[[], Any], int]] = [
        (partial(_fresh_doc, nlp, article, text), len(text)) for article, text in articles]
    out = []
    for document_id, parsed in zip(document_ids, _parse(nlp, makers, settings)):
        if parsed.too_slow:
            out.append(Analysed(skipped=parsed.too_slow))
            continue
        result = Analysed(warnings=parsed.warnings)
        if parsed.doc is not None:  # a stage that fails costs its own output, not the article
            try:
                result.claims = build_claims(parsed.doc, document_id)
            except Exception as exc:
                result.warnings.append(("claims", describe(exc)))
            try:
                result.gist = build_gist(parsed.doc)
            except Exception as exc:  # the article still gets its claims and events
                result.warnings.append(("story gist", describe(exc)))
        out.append(result)
    return out


# -- worker processes ----------------------------------------------------------------------
def in_order(tasks: Iterable[Task], pending: deque, most: int,
             submit: Callable[[Task], Any]) -> Iterator[tuple[Task, Any]]:
    """Submit `tasks` with at most `most` in flight (kept in `pending`), and give each task
    with its future in the order the tasks came, the oldest first."""
    tasks = iter(tasks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < most:
            try:
                task = next(tasks)
            except StopIteration:
                exhausted = True
                break
            pending.append((task, submit(task)))
        if not pending:
            return
        yield pending.popleft()


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask,
    as in a container)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_worker_settings: Optional[Settings] = None


def _start_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the writer decides when to stop
    parent = os.getppid()

    def watch() -> None:  # a writer killed with SIGKILL leaves no parser running
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="claimledger-parent-watch", daemon=True).start()


def _analyse_in_worker(articles: list[tuple[Article, str]],
                       document_ids: list[str]) -> list[Analysed]:
    from claimledger.nlp.pipeline import load_pipeline

    assert _worker_settings is not None
    # Loaded once per process, on its first batch (or inherited, already loaded, from the
    # writer that forked it).
    return analyse(load_pipeline(_worker_settings.model), articles, _worker_settings,
                   document_ids)


Task = tuple[list[tuple[Article, str]], list[str]]  # articles with texts, document ids


class Workers:
    """A pool of `n` worker processes analysing batches of articles."""

    def __init__(self, n: int, settings: Settings):
        self.n = max(1, n)
        self.settings = settings
        self._pool: Optional[ProcessPoolExecutor] = None
        self._processes: dict[int, Any] = {}  # the pool's processes, to read how they ended
        self._pending: deque[tuple[Task, Future]] = deque()  # the tasks of `map` in flight

    def result_waiting(self) -> bool:
        """Whether the next result `map` gives is ready (or there is none to wait for): the
        writer asks before it fills its wait for the workers with other work."""
        return not self._pending or self._pending[0][1].done()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.n, mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker, initargs=(self.settings,))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _restart(self) -> str:
        """Replace a broken pool; how its processes ended, in words. The pool ends the
        processes still running with SIGTERM: that is not the crash, unless nothing else is."""
        pool, self._pool = self._pool, None
        self._track(pool)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        codes = set()
        for process in self._processes.values():
            process.join(timeout=2)
            if process.exitcode not in (None, 0):
                codes.add(process.exitcode)
        self._processes = {}
        crashes = sorted(codes - {-signal.SIGTERM}) or sorted(codes)
        return ", ".join(_exit(c) for c in crashes) or "it exited"

    def _track(self, pool: Optional[ProcessPoolExecutor]) -> None:
        """Remember the pool's processes (the pool forgets them once it breaks)."""
        self._processes.update(getattr(pool, "_processes", None) or {})

    def _send(self, articles: list[tuple[Article, str]], ids: list[str]) -> Future:
        future = self._executor().submit(_analyse_in_worker, articles, ids)
        self._track(self._pool)
        return future

    def map(self, tasks: Iterable[Task]) -> Iterator[list[Analysed]]:
        """Each task's results, in the order the tasks came; at most 2n tasks in flight."""
        pending: deque[tuple[Task, Future]] = deque()
        self._pending = pending
        for task, future in in_order(tasks, pending, 2 * self.n, self._submit):
            try:
                yield future.result()
            except BrokenProcessPool:
                how = self._restart()
                log.warning("a worker process died (%s); parsing the articles it held one "
                            "by one", how)
                held = [(task, None), *pending]
                pending.clear()
                for (articles, ids), done in held:
                    if done is not None and done.done() and not done.cancelled() and \
                            done.exception() is None:  # finished before the crash
                        yield done.result()
                        continue
                    yield [self._alone(article, document_id)
                           for article, document_id in zip(articles, ids)]

    def _submit(self, task: Task) -> Future:
        try:
            return self._send(*task)
        except BrokenProcessPool:  # broken by an earlier task: the caller sees it on result
            future: Future = Future()
            future.set_exception(BrokenProcessPool("the pool was broken"))
            return future

    def _alone(self, article: tuple[Article, str], document_id: str) -> Analysed:
        """One article in a pool of its own making: the crash, if it crashes again, is its."""
        try:
            return self._send([article], [document_id]).result()[0]
        except BrokenProcessPool:
            how = self._restart()
            return Analysed(skipped=CRASHED.format(how=how))


def _exit(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


# -- parsing, with the time budget and the retry one document at a time -------------------
def _fresh_doc(nlp, article: Article, text: str):
    from claimledger.nlp.pipeline import make_doc

    doc = make_doc(nlp, text)
    doc._.published_at = article.published_at
    doc._.outlet = article.outlet
    doc._.author = article.author
    doc._.outlet_home = article.outlet_home
    return doc


class TooSlow(BaseException):
    """Raised by the time budget's alarm; a BaseException so that no component's own
    `except Exception` swallows it."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise TooSlow in this thread once `seconds` have passed (no limit for 0). In the main
    thread, an alarm signal raises it; in another (a Dask worker's task, an application's
    thread), where no signal is delivered, a timer thread raises it in this one
    (`_thread_deadline`). Either way it is raised between two Python instructions: native
    code that never returns is not stopped, only a crash boundary (a worker process) is."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        with _thread_deadline(seconds):
            yield
        return

    def alarm(signum, frame):
        raise TooSlow()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_deadline(seconds: float) -> Iterator[None]:
    """The deadline off the main thread: a timer raises TooSlow asynchronously in the
    thread that entered (CPython's PyThreadState_SetAsyncExc). Leaving the block in time
    cancels it, and takes back an exception set in the last instant and not yet raised."""
    import ctypes

    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                set_async(target, ctypes.py_object(TooSlow))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
            if state["fired"]:
                set_async(target, None)  # not raised yet: it is not raised at all


def _budget(settings: Settings, characters: int) -> float:
    return settings.time_budget + characters / 5000 if settings.time_budget > 0 else 0.0


@dataclass
class _Parsed:
    doc: Any  # the parsed Doc; None where not even a Doc could be made
    warnings: list[tuple[str, str]]  # (stage, message): the stages left out for this document
    too_slow: Optional[str] = None  # the reason, where it ran past its time budget


def _parse(nlp, makers: list[tuple[Callable[[], Any], int]],
           settings: Settings) -> Iterator[_Parsed]:
    """Each document of the batch parsed: `makers` are (fresh Doc maker, characters). The batch
    goes through nlp.pipe; if any document breaks a component or the batch runs past its time
    budget, each document is parsed again on its own from a fresh Doc (a Doc a component has
    already written to cannot be parsed twice), and a component that fails on it is left out
    for that document alone, which keeps every other component's output."""
    try:
        with _deadline(_budget(settings, sum(n for _, n in makers))):
            docs = [make() for make, _ in makers]
            parsed = list(nlp.pipe(docs, batch_size=settings.batch_size))
    except TooSlow:
        log.warning("the batch ran past its time budget; parsing its documents one by one")
    except Exception as exc:
        log.warning("a document failed in the batch (%s); parsing them one by one",
                    describe(exc))
    else:
        for doc in parsed:
            yield _Parsed(doc, [])
        return
    for make, characters in makers:
        budget = _budget(settings, characters)
        try:
            with _deadline(budget):
                alone = _parse_alone(nlp, make)
        except TooSlow:
            alone = _Parsed(None, [], f"too slow: not parsed within {budget:.0f} s (the "
                                      "time_budget setting)")
        yield alone  # outside the deadline: storing it is not timed


def _parse_alone(nlp, make: Callable[[], Any]) -> _Parsed:
    failed: list[str] = []
    warnings: list[tuple[str, str]] = []
    while True:
        try:
            doc = make()
        except Exception as exc:
            return _Parsed(None, [*warnings, ("tokenizer", describe(exc))])
        for name, component in nlp.pipeline:
            if name in failed:
                continue
            try:
                doc = component(doc)
            except Exception as exc:
                failed.append(name)
                warnings.append((name, describe(exc)))
                break
        else:
            return _Parsed(doc, warnings)


def describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:299] + "…"
