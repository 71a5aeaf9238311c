"""Copy a whole ledger into an empty one, on either engine: an SQLite file a researcher
built on a laptop into the team's PostgreSQL database, or a team's ledger into a file to
take offline (`claimledger copy FROM TO`).

Every stored row is copied as it is, with its ids (claims keep their ids and their order,
events their ids, history and stored assessments, analysts' work its place), table by table
in the order their references need (analysts' verdicts too), in one write transaction on the target: a copy that
fails leaves the target as empty as it was. The source is read in one snapshot, so a
writer still ingesting into it does not tear the copy. The full-text index is rebuilt in
the target's own terms (FTS5 or `tsvector`), since the engines keep it differently. At the
end every table's rows are counted on both sides, and a difference is an error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional

from claimledger.store import open_store
from claimledger.store.sqlite import LedgerError, Store, batches, quoted

# The ledger's tables in an order that references allow: a row's document, claim, source,
# event or story is copied before it. The search index (claims_fts) is rebuilt, not copied.
TABLES = (
    "documents", "document_bands", "boilerplate", "document_warnings", "sources", "claims",
    "claim_times", "claim_places", "claim_quantities", "claim_mentions", "claim_names",
    "rejected", "stories", "story_keys", "document_stories", "events", "event_claims",
    "event_keys", "term_documents", "redirects", "event_changes", "verdicts",
    # Last: the stored assessments, which a change to an event's claims deletes (m007).
    "event_assessments",
)
# Tables whose rowid the ledger reads (the claims' and articles' order, the index rows that
# share a claim's rowid): copied with it.
WITH_ROWID = {"claims", "document_stories", "claim_names"}


@dataclass
class Copied:
    table: str
    rows: int
    seconds: float


def copy_ledger(source: str, target: str,
                progress: Optional[Callable[[Copied], None]] = None) -> list[Copied]:
    """Copy the ledger `source` names into the empty ledger `target` names (created where it
    does not exist); what was copied, table by table."""
    if source == target:
        raise LedgerError("the ledger to copy and the copy are the same; name another target")
    src = open_store(source, readonly=True)
    try:
        dst = open_store(target)
        try:
            return _copy(src, dst, progress or (lambda _: None))
        finally:
            dst.close()
    finally:
        src.close()


def _copy(src: Store, dst: Store, progress: Callable[[Copied], None]) -> list[Copied]:
    held = {t: n for t, n in dst.counts(TABLES).items() if n}
    if held:
        shown = ", ".join(f"{n:,} {t}" for t, n in list(held.items())[:3])
        raise LedgerError(f"{dst.name} is not empty ({shown}); copy into a new ledger")
    plan = []
    for table in TABLES:
        columns, theirs = src._columns(table), dst._columns(table)
        if set(columns) != set(theirs):
            raise LedgerError(
                f"{src.name} and {dst.name} keep {table} differently (columns "
                f"{sorted(set(columns) ^ set(theirs))}); update both to this version first")
        plan.append((table, (["rowid"] if table in WITH_ROWID else []) + theirs))
    done = []
    with src.snapshot(), dst._write():
        for table, columns in plan:
            started = time.perf_counter()
            order = " ORDER BY rowid" if table in WITH_ROWID else ""
            rows = dst._add_rows(table, columns, src._stream(
                f"SELECT {', '.join(quoted(c) for c in columns)} FROM {table}{order}"))
            done.append(Copied(table, rows, time.perf_counter() - started))
            progress(done[-1])
        started = time.perf_counter()
        rows = 0
        for chunk in batches(src._stream(
                "SELECT c.rowid, c.id, c.content, c.text, s.name FROM claims c"
                " JOIN sources s ON s.id = c.source_id ORDER BY c.rowid"), 5000):
            dst._add_search_rows(chunk)
            rows += len(chunk)
        done.append(Copied("claims_fts", rows, time.perf_counter() - started))
        progress(done[-1])
        dst._rows_added()
        # Counted on both sides before the copy commits: a difference leaves the target empty.
        stored = dst.counts(TABLES + ("claims_fts",))
        ours = src.counts(TABLES) | {"claims_fts": src.counts(("claims",))["claims"]}
        wrong = [f"{t}: {ours[t]:,} read, {stored[t]:,} stored"
                 for t in ours if ours[t] != stored[t]]
        if wrong:
            raise LedgerError(f"the copy in {dst.name} differs from {src.name}: "
                              f"{'; '.join(wrong)}; nothing was stored")
    return done

