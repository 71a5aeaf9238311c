"""The Python API: a ledger file you ingest articles into and read claims from.

    from claimledger import Ledger
    with Ledger("ledger.db") as ledger:
        report = ledger.ingest(["articles/"], published="2024-10-22")
        for claim in ledger.claims(certainty=["PR+"], place="Kursk"):
            print(claim.source.name, claim.cue, claim.content)

Ingest runs the stages of `stages.py` in order (read, screen, parse, build claims, dedupe,
link, store, re-cluster, assess), in batches, the parsing in worker processes where there are
any (`workers.py`). Each document is stored with its claims and links in one transaction: a
crash loses at most the document being written; a rerun completes.
"""

from __future__ import annotations

import logging
import re
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence

from claimledger import ingest as reader
from claimledger import stages
from claimledger.errors import ClaimledgerError
from claimledger.link.events import Linker
from claimledger.models import (EVENT_STATUSES, VERDICTS, Article, Claim, Event, EventSummary,
                                Rejected, Verdict, certainty_codes)
from claimledger.settings import Settings
from claimledger.store import LedgerError, open_store
from claimledger.store.sqlite import batches as in_lists
from claimledger.stages import Screened, Stored, document_id, origin, safe, stored_text
from claimledger.workers import Analysed, Workers, analyse, available_cores

if TYPE_CHECKING:
    from claimledger.cluster import ClusterWorkers

log = logging.getLogger(__name__)
__all__ = ["AmbiguousId", "IngestReport", "Ledger", "stored_text"]


class AmbiguousId(ClaimledgerError, LookupError):
    def __init__(self, prefix: str, matches: list[str], what: str = "claim"):
        self.prefix, self.matches = prefix, matches
        more = ", ..." if len(matches) > 5 else ""
        super().__init__(f"{what} id {prefix!r} is ambiguous: it begins "
                         f"{', '.join(matches[:5])}{more}")


@dataclass
class IngestReport:
    stored: int = 0
    duplicates: int = 0  # identical to a document already in the ledger: not stored again
    near_duplicates: int = 0  # stored, and grouped with the repost or syndicated copy it matches
    claims: int = 0
    skipped: list[Rejected] = field(default_factory=list)
    degraded: list[Rejected] = field(default_factory=list)  # stored, a stage failed on them

    def summary(self) -> str:
        lines = [f"stored {self.stored} document(s) with {self.claims} claim(s); "
                 f"{self.duplicates} duplicate(s) already in the ledger; "
                 f"{self.near_duplicates} near-duplicate(s) grouped; "
                 f"{len(self.skipped)} skipped"
                 + (f"; {len(self.degraded)} stored with warnings" if self.degraded else "")]
        for r in self.skipped:
            lines.append(f"  skipped {_one_line(r.origin)}: {_one_line(r.reason)}")
        for r in self.degraded:
            lines.append(f"  warning {_one_line(r.origin)}: {_one_line(r.reason)}")
        return "\n".join(lines)


CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _one_line(text: str) -> str:
    """A name or reason as one line of the summary: a file name holding a newline cannot
    forge a line."""
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Ledger:
    def __init__(self, path: Optional[str] = None, *, settings: Optional[Settings] = None,
                 model: Optional[str] = None, readonly: bool = False):
        """Open (or create) the ledger at `path`. `readonly` opens an existing ledger for
        reading only and never changes the file."""
        self.settings = settings or Settings.load()
        if model:
            self.settings.model = model
        self.path = path or self.settings.db
        self.store = open_store(self.path, readonly=readonly)
        self._nlp = None
        self._linker: Optional[Linker] = None
        self._languages = {x.strip() for x in self.settings.languages.split(",") if x.strip()}

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def linker(self) -> Linker:
        if self._linker is None:
            self._linker = Linker(self.store, threshold=self.settings.link_threshold,
                                  window_weeks=self.settings.link_window_weeks,
                                  story_threshold=self.settings.story_threshold,
                                  story_merge_threshold=self.settings.story_merge_threshold)
        return self._linker

    @property
    def nlp(self):
        if self._nlp is None:
            from claimledger.nlp.pipeline import load_pipeline

            self._nlp = load_pipeline(self.settings.model)
        return self._nlp

    # -- writing ---------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str], *, published: Optional[str] = None,
               outlet: Optional[str] = None, progress: bool = False,
               fetch_entries: Optional[bool] = None,
               workers: Optional[int] = None, cluster: Optional[str] = None,
               on_document: Optional[Callable[[str], None]] = None) -> IngestReport:
        """Read files, directories, feeds, JSONL, WARC, URLs or "-" and store their claims.

        `fetch_entries`: fetch each feed entry's page (default: for feeds read from a URL).
        `on_document`: called with the id of each document stored.
        `workers`: processes that parse (default: the `workers` setting; 0: this one).
        `cluster`: parse on a Dask cluster instead ("tcp://HOST:8786", "local:N"; see
        `cluster.py`); the ledger is the same."""
        items = inputs(paths, self.settings, published=published, outlet=outlet,
                       fetch_entries=fetch_entries)
        return self.ingest_articles(items, progress=progress, workers=workers, cluster=cluster,
                                    on_document=on_document)

    def ingest_articles(self, items: Iterable[Article | Rejected], *, progress: bool = False,
                        on_document: Optional[Callable[[str], None]] = None,
                        workers: Optional[int] = None,
                        cluster: Optional[str] = None) -> IngestReport:
        """Store the claims of `items` (articles, or inputs already rejected with a reason).
        `workers`: processes that parse (default: the `workers` setting; 0: this one);
        `cluster`: a Dask cluster that parses instead (`cluster.py`)."""
        report = IngestReport()
        bar = _progress(progress)
        seen: set[str] = set()

        def batches() -> Iterator[list[Screened]]:
            for batch in in_lists(items, self.settings.batch_size):
                pending: list[Screened] = []
                for item in batch:
                    try:
                        prepared = stages.screen(item, seen, self.store, self.settings,
                                                 self._languages)
                    except Exception as exc:  # one bad document never stops the batch
                        prepared = Rejected(origin(item), f"could not be read: {exc}")
                    if isinstance(prepared, Rejected):
                        self._skip(report, prepared)
                    elif prepared is None:
                        report.duplicates += 1
                        bar.update(1)
                    else:
                        pending.append(prepared)
                if pending:
                    yield pending

        def task(pending: list[Screened]):
            """What the parsing stage takes: (article, text) pairs, each article with its
            outlet's home as the ledger knows it now, and document ids."""
            homes = self._outlet_homes({a.outlet for a, _, _ in pending if a.outlet})
            return ([(replace(a, outlet_home=homes.get(a.outlet or "")), t)
                     for a, t, _ in pending], [document_id(d) for _, _, d in pending])

        n = self.settings.workers if workers is None else workers
        try:
            if n <= 0 and not cluster:
                for pending in batches():
                    articles, ids = task(pending)
                    self._store(pending, analyse(self.nlp, articles, self.settings, ids),
                                report, bar, on_document)
            else:
                pool: Workers | ClusterWorkers
                if cluster:
                    from claimledger.cluster import ClusterWorkers  # imports Dask: only here

                    pool = ClusterWorkers(cluster, self.settings)
                    here = pool.processes_here  # parsing on this machine's cores
                else:
                    pool, here = Workers(n, self.settings), n
                order: deque[list[Screened]] = deque()

                def tasks():
                    for pending in batches():
                        order.append(pending)
                        yield task(pending)

                # With a core to spare, the writer assesses changed events while it waits.
                idle = here < available_cores()
                try:
                    for results in pool.map(tasks()):
                        self._store(order.popleft(), results, report, bar, on_document)
                        if idle and not self.store.readonly and not pool.result_waiting():
                            stages.store_assessments(self.store, stop=pool.result_waiting,
                                                     largest=stages.IDLE_LARGEST)
                finally:
                    pool.close()
        finally:
            bar.close()
        self.store_assessments()
        return report

    def store_assessments(self) -> int:
        """Assess the events whose claims changed since they were last assessed, and store
        the assessments, so that reading an event costs the same on a large ledger as on a
        small one (`stages.store_assessments`). Each ingest does it as it ends, and every
        `stages.ASSESS_EVERY` articles stored. Returns how many it stored."""
        if self.store.readonly:
            raise LedgerError(f"{self.store.name} is open for reading only: assessments are "
                              "stored by a writer (claimledger ingest)")
        return stages.store_assessments(self.store)

    def _outlet_homes(self, outlets: set[str]) -> dict[str, tuple[float, float]]:
        """Where each outlet is based, from the places of its latest articles in the ledger
        (`places.outlet_home`); outlets with no home left out. A failure costs the hint,
        never an article."""
        from claimledger.normalise.places import HOME_DOCUMENTS, outlet_home

        try:
            points = self.store.outlet_points(sorted(outlets), HOME_DOCUMENTS)
        except Exception as exc:
            log.warning("the outlets' homes could not be read: %s", exc)
            return {}
        homes = {o: outlet_home(p) for o, p in points.items()}
        return {o: h for o, h in homes.items() if h is not None}

    def _store_one(self, name: str, screened: Screened, result: Analysed) -> Optional[Stored]:
        """Stages 5 to 7 for one article. Where its claims cannot be stored (nothing of it is
        then stored: one transaction), the article is stored without them, with a `claims`
        warning that says why; raises only where even that fails."""
        try:
            return stages.store_article(self.store, self.linker, self.settings, screened,
                                        result)
        except Exception as exc:
            log.warning("%s: its claims could not be stored, stored without them: %s",
                        name, exc)
            why = ("claims", f"not stored: {type(exc).__name__}: {exc}")
            bare = replace(result, claims=[], warnings=[*result.warnings, why])
            stored = stages.store_article(self.store, self.linker, self.settings, screened,
                                          bare)
            if stored is not None:
                stored.warnings.insert(0, why)
            return stored

    def _store(self, pending: list[Screened], results: list[Analysed],
               report: IngestReport, bar, on_document: Optional[Callable[[str], None]]) -> None:
        """Stages 5 to 8 for each analysed article of a batch, in order, kept in `report`."""
        for screened, result in zip(pending, results):
            name = origin(screened.article)
            if result.skipped:
                self._skip(report, Rejected(name, result.skipped))
                continue
            for stage, message in result.warnings:
                log.warning("%s: %s failed, stored without its output: %s", name, stage,
                            message)
            try:
                stored = self._store_one(name, screened, result)
            except Exception as exc:  # one bad document never stops the batch
                log.warning("discarding %s: %s", name, exc)
                self._skip(report, Rejected(name, f"could not be processed: {exc}"))
                continue
            if stored is None:  # another ingest stored the same content meanwhile
                report.duplicates += 1
                bar.update(1)
                continue
            report.stored += 1
            report.claims += stored.claims
            if result.warnings or stored.warnings:
                report.degraded.append(Rejected(safe(name, "backslashreplace"), "; ".join(
                    f"{s} failed: {m}" for s, m in [*result.warnings, *stored.warnings])))
            if stored.group:
                report.near_duplicates += 1
            bar.update(1)
            if on_document:
                on_document(stored.document_id)
            if report.stored % stages.ASSESS_EVERY == 0:
                self.store_assessments()

    def _skip(self, report: IngestReport, rejected: Rejected) -> None:
        rejected = Rejected(safe(rejected.origin, "backslashreplace"),
                            safe(rejected.reason, "backslashreplace"))
        report.skipped.append(rejected)
        self.store.add_rejected(rejected.origin, rejected.reason)

    # -- reading ---------------------------------------------------------------------------
    def claims(self, *, source: Optional[str] = None, certainty: Sequence[str] | str = (),
               place: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, search: Optional[str] = None,
               document: Optional[str] = None, limit: Optional[int] = None,
               offset: int = 0, **more: Any) -> list[Claim]:
        """Claims matching every filter given (see `Store._claim_filters`; `more`: source_id,
        kind, outlet, quote, event, and `sort`: published, newest, source, certainty), with
        `limit` that many from `offset` on. `certainty`:
        codes or the words the CLI takes ("PR+", "expected", "denied"; a list or commas);
        ValueError for any other."""
        ids = self.store.find_claim_ids(source=source, certainty=certainty_codes(certainty),
                                        place=place, since=since, until=until, search=search,
                                        document=document, limit=limit, offset=offset, **more)
        return self.store.load_claims(ids)

    def claim_facets(self, names: Sequence[str], *, certainty: Sequence[str] | str = (),
                     **filters: Any) -> dict[str, list[tuple[Any, int]]]:
        """The most frequent values of each facet (certainty, quote, kind, source_id,
        outlet, country, place, event, month) among the claims `claims` would list."""
        return self.store.claim_facets(names, certainty=certainty_codes(certainty), **filters)

    def source(self, source_id: int) -> Optional[dict[str, Any]]:
        """One source with its claims, documents and outlets counted, and when it was first
        and last seen; None if there is none."""
        return self.store.source_record(source_id)

    def claim(self, claim_id: str) -> Optional[Claim]:
        """The claim with this id, or with this unique id prefix; None if there is none.
        Raises AmbiguousId when the prefix fits several claims."""
        found = self.store.load_claims([claim_id])
        if found:
            return found[0]
        cid = self._unique_prefix("claims", claim_id)
        return self.store.load_claims([cid])[0] if cid else None

    def events(self, *, status: Sequence[str] | str = (), type: Optional[str] = None,
               place: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, search: Optional[str] = None,
               source: Optional[str] = None, min_claims: int = 1,
               limit: Optional[int] = None, offset: int = 0) -> list[Event]:
        """Events matching every filter, assessed, the events with most claims first; with
        `limit`, that many from the `offset`th match on.

        `status`: reported, corroborated, confirmed, disputed, denied (a list or commas);
        `type`: a PLOVER type ("ASSAULT") or OTHER; `place`, `search`, `source`: at least one
        claim of the event matches, as for `claims`; `since`/`until`: the event was reported
        in that period."""
        return self._listing(self.store.assessments, self._assessed, status=status, type=type,
                             place=place, since=since, until=until, search=search,
                             source=source, min_claims=min_claims, limit=limit, offset=offset)

    def event_summaries(self, *, status: Sequence[str] | str = (), type: Optional[str] = None,
                        place: Optional[str] = None, since: Optional[str] = None,
                        until: Optional[str] = None, search: Optional[str] = None,
                        source: Optional[str] = None, min_claims: int = 1,
                        limit: Optional[int] = None, offset: int = 0) -> list[EventSummary]:
        """The events `events` lists, as what a listing shows of each (`EventSummary`),
        read from their stored summaries rather than their whole assessments."""
        def summary(eid: str, stored: Optional[tuple[str, Optional[str], str]]) -> EventSummary:
            found = stages.read_summary(eid, stored, self.store)
            found.story = self.store.event_story(eid)
            found.verdicts = self.store.verdicts("event", eid)
            return found

        return self._listing(self.store.summaries, summary, status=status, type=type,
                             place=place, since=since, until=until, search=search,
                             source=source, min_claims=min_claims, limit=limit, offset=offset)

    def _listing(self, read_stored: Callable[[Sequence[str], int], dict[str, Any]],
                 make: Callable[[str, Any], Any], *, status: Sequence[str] | str,
                 type: Optional[str], place: Optional[str], since: Optional[str],
                 until: Optional[str], search: Optional[str], source: Optional[str],
                 min_claims: int, limit: Optional[int], offset: int) -> list[Any]:
        """The events of a listing, made by `make(id, stored)` from what `read_stored` gives
        (the store's assessments or summaries: status, type, JSON) for a page of ids."""
        statuses = _statuses(status)

        def pages() -> Iterator[list[str]]:
            # 100 events at a time, as far as the listing goes, with what is stored of them
            # (at 1M claims, all the assessments are half a gigabyte of JSON). A filter by
            # the events' claims (place, search, source) finds every matching event at once.
            if place or search or source:
                ids = self.store.find_event_ids(place=place, since=since, until=until,
                                                search=search, source=source,
                                                min_claims=min_claims)
                yield from (ids[i:i + 100] for i in range(0, len(ids), 100))
                return
            start = 0
            while page := self.store.find_event_ids(since=since, until=until,
                                                    min_claims=min_claims, limit=100,
                                                    offset=start):
                yield page
                start += len(page)

        def wanted(event_status: str, event_type: Optional[str]) -> bool:
            return _kept(statuses, type, event_status, event_type)

        found: list[Any] = []
        with self.store.snapshot():  # every page of one listing as of its start
            for page in pages():
                stored_page = read_stored(page, stages.ASSESSMENT_VERSION)
                for eid in page:
                    stored = stored_page.get(eid)
                    if stored and not wanted(stored[0], stored[1]):
                        continue  # told by the stored status and type, not reading the rest
                    if offset and stored:
                        offset -= 1  # before the page asked for: not read further
                        continue
                    event = make(eid, stored)
                    if not wanted(event.status, event.type):
                        continue
                    if offset:
                        offset -= 1
                        continue
                    found.append(event)
                    if limit is not None and len(found) >= limit:
                        return found
        return found

    def event_dates(self, *, status: Sequence[str] | str = (), type: Optional[str] = None,
                    place: Optional[str] = None, since: Optional[str] = None,
                    until: Optional[str] = None, search: Optional[str] = None,
                    source: Optional[str] = None, min_claims: int = 1) -> list[Optional[str]]:
        """The first publication day of every event `events` would list with these filters
        (None for undated ones): for counts over time, without reading the events."""
        wanted_status = _statuses(status)
        ids = self.store.find_event_ids(place=place, since=since, until=until, search=search,
                                        source=source, min_claims=min_claims)
        days = []
        for eid, (first, stored_status, stored_type) in self.store.event_kinds(
                ids, stages.ASSESSMENT_VERSION).items():
            if stored_status is None and (wanted_status or type):
                event = self._assessed(eid, None)  # not stored yet: assessed now
                stored_status, stored_type = event.status, event.type
            if stored_status is None or _kept(wanted_status, type, stored_status, stored_type):
                days.append(first[:10] if first else None)
        return days

    def event(self, event_id: str) -> Optional[Event]:
        """The event with this id or unique id prefix, assessed; None if there is none.
        Raises AmbiguousId when the prefix fits several events."""
        eid = self._unique_prefix("events", self.store.resolve(event_id))
        if eid is None:
            return None
        return self._assessed(eid, self.store.assessments(
            [eid], stages.ASSESSMENT_VERSION).get(eid))

    def _unique_prefix(self, table: str, prefix: str) -> Optional[str]:
        """The one id in `table` that is `prefix` or begins with it; None if none does.
        Raises AmbiguousId when several do."""
        ids = self.store.ids_like(table, prefix)
        if prefix in ids:
            return prefix
        if len(ids) > 1:
            raise AmbiguousId(prefix, ids, what=table[:-1])
        return ids[0] if ids else None

    def event_claims(self, event: Event | str) -> list[Claim]:
        """The claims of an event, in publication order."""
        eid = event if isinstance(event, str) else event.id
        return self.store.load_claims(self.store.event_claim_ids(eid))

    def _assessed(self, event_id: str,
                  stored: Optional[tuple[str, Optional[str], str]]) -> Event:
        """The event assessed: its stored assessment (`stored`, as `Store.assessments` gave
        it), or one computed now where there is none; with its story and changes."""
        event = stages.read_assessment(event_id, stored, self.store)
        event.story = self.store.event_story(event_id)
        event.changes = self.store.changes(event_id)
        event.verdicts = self.store.verdicts("event", event_id)
        return event

    def add_verdict(self, target: str, target_id: str, verdict: str, *, note: str = "",
                    analyst: str) -> Verdict:
        """Record an analyst's verdict on a claim or an event ("claim" or "event", its id or
        a unique beginning of it): one of VERDICTS, with a note. Stored beside the computed
        status and earlier verdicts, never over them. ValueError or LookupError where the
        verdict, analyst or target is not right."""
        verdict = " ".join(verdict.lower().split())
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}; use {', '.join(VERDICTS)}")
        analyst = " ".join(analyst.split())
        if not analyst:
            raise ValueError("a verdict needs the analyst's name")
        if len(analyst) > 100 or len(note) > 10000:
            raise ValueError("an analyst's name is at most 100 characters, a note 10,000")
        if target == "claim":
            found = self.claim(target_id)
            ident = found.id if found else None
        elif target == "event":
            ident = self._unique_prefix("events", self.store.resolve(target_id))
        else:
            raise ValueError(f"a verdict is on a claim or an event, not a {target!r}")
        if ident is None:
            raise LookupError(f"no {target} {target_id!r}")
        return self.store.add_verdict(target, ident, verdict, safe(note.strip()), safe(analyst))

    def verdicts(self, target: str, target_id: str) -> list[Verdict]:
        """Analysts' verdicts on a claim or an event, newest first."""
        return self.store.verdicts(target, target_id)

    def split_event(self, event_id: str, documents: Sequence[str], reason: str) -> str:
        """Move the claims of `documents` (document ids) out of event `event_id` into a new
        event of the same story; return the new event's id. Both keep their history."""
        from claimledger.link.events import claims_profile, event_id as new_event_id, week

        eid = self._unique_prefix("events", self.store.resolve(event_id))
        if eid is None:
            raise LookupError(f"no event {event_id!r}")
        claims = self.event_claims(eid)
        wanted = set(documents)
        moving = [c for c in claims if c.document_id in wanted]
        staying = [c for c in claims if c.document_id not in wanted]
        if not moving or not staying:
            raise ValueError("a split needs claims on both sides: the documents given hold "
                             f"{len(moving)} of the event's {len(claims)} claims")
        profiles = [claims_profile(staying), claims_profile(moving)]
        new_id = new_event_id(f"split:{eid}:{moving[0].id}")
        published = moving[0].document.published_at if moving[0].document else None
        self.store.split_event(eid, new_id, [c.id for c in moving], profiles[0], profiles[1],
                               profiles[1].blocking_keys(), week(published), reason)
        return new_id

    def document_text(self, document_id: str) -> Optional[str]:
        row = self.store.document(document_id)
        return row["text"] if row else None


def inputs(paths: Sequence[str], settings: Settings, *, published: Optional[str] = None,
           outlet: Optional[str] = None,
           fetch_entries: Optional[bool] = None) -> Iterator[Article | Rejected]:
    """The articles (or reasons to skip) of files, directories, feeds, JSONL, WARC, URLs or
    "-", read and fetched within the settings' limits: what `Ledger.ingest` stores."""
    return reader.read(paths, published=published, outlet=outlet,
                       max_bytes=settings.max_bytes, fetch_entries=fetch_entries,
                       fetch_seconds=settings.fetch_seconds,
                       allow_private=settings.allow_private_addresses)


def _kept(statuses: Sequence[str], type: Optional[str], status: str,
          kind: Optional[str]) -> bool:
    """Whether an event of this status and type passes a listing's status and type filters
    (no filter keeps every event)."""
    return (not statuses or status in statuses) and \
        (not type or (kind or "").upper() == type.upper())


def _statuses(status: Sequence[str] | str) -> list[str]:
    """Event statuses as a list (or commas), lower-cased; ValueError for an unknown one."""
    if isinstance(status, str):
        status = status.split(",")
    found = [s.strip().lower() for s in status if s.strip()]
    unknown = [s for s in found if s not in EVENT_STATUSES]
    if unknown:
        raise ValueError(f"unknown status {unknown[0]!r}; use {', '.join(EVENT_STATUSES)}")
    return found


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(unit="article", desc="ingest", file=sys.stderr, dynamic_ncols=True)
