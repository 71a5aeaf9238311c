"""The JSON API under /api/, and the downloads of every list (CSV, JSONL, GeoJSON) with the
filters of its page. Records are the export's (`export.records`): one format for the CLI's
files, the downloads and the API."""

from __future__ import annotations

import csv
import io
import json
import threading
import weakref
from dataclasses import replace
from typing import Annotated, Any, Callable, Iterator

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse

from claimledger.export import records
from claimledger.web.filters import (ClaimFilters, EventFilters, SourceId, cached_facets,
                                     claim_filters, event_filters)

router = APIRouter()


class Records(JSONResponse):
    """JSON of the export's records, written by `json` directly: they are plain data
    already (FastAPI's encoder would walk them again, at several times the cost)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


DOWNLOAD_PAGE = 500  # claims or events read at a time while a download streams


def ledger(request: Request) -> Any:
    """The read-only Ledger of the thread that uses it (`web.app.ThisThread`)."""
    return request.app.state.ledgers.here()


LedgerDep = Annotated[Any, Depends(ledger)]
ClaimQuery = Annotated[ClaimFilters, Depends(claim_filters)]
EventQuery = Annotated[EventFilters, Depends(event_filters)]


def found_claim(ledger: Any, claim_id: str) -> Any:
    return _found(ledger.claim, claim_id, "claim")


def found_event(ledger: Any, event_id: str) -> Any:
    return _found(ledger.event, event_id, "event")


def _found(lookup: Callable[[str], Any], ident: str, what: str) -> Any:
    """The record with this id or unique beginning of one; 404 where none or several fit."""
    from claimledger.ledger import AmbiguousId

    try:
        found = lookup(ident)
    except AmbiguousId as exc:
        raise HTTPException(404, str(exc)) from None
    if found is None:
        raise HTTPException(404, f"no {what} {ident}")
    return found


def _next(request: Request, filters: Any, more: bool) -> str | None:
    return f"{request.url.path}?{filters.query(page=filters.page + 1)}" if more else None


@router.get("/api/claims", tags=["claims"], summary="Claims matching the filters, a page of 50")
def api_claims(request: Request, filters: ClaimQuery,
               ledger: LedgerDep) -> Records:
    found, more = filters.read(ledger)
    event_of = ledger.store.events_of([c.id for c in found])
    return Records({"page": filters.page, "next": _next(request, filters, more),
                    "claims": [records.claim_record(c, event_of.get(c.id)) for c in found]})


@router.get("/api/claims/facets", tags=["claims"],
            summary="The most frequent values of each facet among the claims matching the "
                    "filters, with counts")
def api_claim_facets(filters: ClaimQuery, ledger: LedgerDep) -> Records:
    counted = cached_facets(ledger, filters)
    return Records({name: [{"value": v, "claims": n} for v, n in values]
                    for name, values in counted.items()})


@router.get("/api/claims/{claim_id}", tags=["claims"],
            summary="One claim (its id, or a unique beginning of it)")
def api_claim(claim_id: str, ledger: LedgerDep) -> Records:
    claim = found_claim(ledger, claim_id)
    return Records(records.claim_record(claim,
                                        ledger.store.events_of([claim.id]).get(claim.id)))


@router.get("/api/events", tags=["events"],
            summary="Events matching the filters, most claims first, a page of 50")
def api_events(request: Request, filters: EventQuery,
               ledger: LedgerDep) -> Records:
    found, more = filters.read(ledger)
    return Records({"page": filters.page, "next": _next(request, filters, more),
                    "events": [{**e.to_dict(), "url": f"/api/events/{e.id}"} for e in found]})


@router.get("/api/events/{event_id}", tags=["events"],
            summary="One event, assessed: status, origins, figures, contradictions, timeline")
def api_event(event_id: str, ledger: LedgerDep) -> Records:
    return Records(records.event_record(found_event(ledger, event_id)))


@router.get("/api/sources/{source_id}", tags=["sources"],
            summary="One source: name, kind, affiliation, claims, first and last seen")
def api_source(source_id: SourceId, ledger: LedgerDep) -> Records:
    record = ledger.source(source_id)
    if record is None:
        raise HTTPException(404, f"no source {source_id}")
    return Records(record)


@router.get("/api/documents/{document_id}", tags=["documents"],
            summary="One stored document: its text, boilerplate cut aside, claims, "
                    "near-duplicates")
def api_document(document_id: str, ledger: LedgerDep) -> Records:
    doc = ledger.store.document(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    return Records({
        **{k: doc[k] for k in ("id", "url", "outlet", "title", "author", "published_at",
                               "published_from", "language", "format", "duplicate_group",
                               "similarity", "text")},
        "boilerplate": [{"position": b["position"], "reason": b["reason"], "text": b["text"]}
                        for b in ledger.store.boilerplate(document_id)],
        "warnings": [{"stage": w["stage"], "message": w["message"]}
                     for w in ledger.store.warnings(document_id)],
        "claims": [c.id for c in ledger.claims(document=document_id)],
        "near_duplicates": [dict(zip(r.keys(), tuple(r)))
                            for r in ledger.store.near_duplicates(document_id)],
    })


# -- downloads -------------------------------------------------------------------------------
def _every(request: Request, filters: Any, **read: Any) -> Iterator[Any]:
    """Every row of a list with these filters (claims or events; `read`: the filters' read
    options), DOWNLOAD_PAGE at a time, each page read by the thread that asks for it."""
    page = 1
    while True:
        found = replace(filters, page=page).read(request.app.state.ledgers.get(),
                                                 DOWNLOAD_PAGE, **read)[0]
        yield from found
        if len(found) < DOWNLOAD_PAGE:
            return
        page += 1


def _with_events(request: Request, claims: Iterator[Any]) -> Iterator[tuple[Any, Any]]:
    """Each claim with its event's id, looked up DOWNLOAD_PAGE claims at a time."""
    from claimledger.store.sqlite import batches

    for chunk in batches(claims, DOWNLOAD_PAGE):
        event_of = request.app.state.ledgers.get().store.events_of([c.id for c in chunk])
        yield from ((c, event_of.get(c.id)) for c in chunk)


def _csv(rows: Iterator[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(records.spreadsheet_safe(row))
        if buf.tell() > 65536:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _geojson(features: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    for i, feature in enumerate(features):
        yield ("," if i else "") + json.dumps(feature, ensure_ascii=False)
    yield "]}\n"


MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
         "geojson": "application/geo+json"}


DOWNLOADS_AT_ONCE = 4  # whole-list downloads streaming at a time (each holds a thread)
_downloads = threading.BoundedSemaphore(DOWNLOADS_AT_ONCE)


def _download(body: Iterator[str], name: str, fmt: str) -> StreamingResponse:
    """A download, if fewer than DOWNLOADS_AT_ONCE are streaming (else 503: try again): a
    few analysts exporting whole lists leave the pages answering for everyone else."""
    if not _downloads.acquire(blocking=False):
        raise HTTPException(503, f"{DOWNLOADS_AT_ONCE} downloads are being written already; "
                                 "try again in a moment")
    held = [True]

    def release() -> None:  # once: when the body is written, or dropped unread
        if held.pop() if held else False:
            _downloads.release()

    def streamed() -> Iterator[str]:
        try:
            yield from body
        finally:
            release()

    stream = streamed()
    weakref.finalize(stream, release)  # a client gone before the first byte
    return StreamingResponse(stream, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"', "Retry-After": "5"})


@router.get("/claims.{fmt}", tags=["downloads"],
            summary="Every claim matching the filters, as CSV, JSONL or GeoJSON")
def download_claims(request: Request, fmt: str,
                    filters: ClaimQuery) -> StreamingResponse:
    claims = _every(request, filters)
    if fmt == "csv":
        body = _csv(map(records.csv_row, claims), records.CSV_COLUMNS)
    elif fmt == "jsonl":
        body = (json.dumps(records.claim_record(c, event), ensure_ascii=False) + "\n"
                for c, event in _with_events(request, claims))
    elif fmt == "geojson":
        body = _geojson(records.geojson_features(claims))
    else:
        raise HTTPException(404, f"no download as {fmt!r}: csv, jsonl or geojson")
    return _download(body, "claims", fmt)


@router.get("/events.{fmt}", tags=["downloads"],
            summary="Every event matching the filters, as CSV, JSONL or GeoJSON")
def download_events(request: Request, fmt: str,
                    filters: EventQuery) -> StreamingResponse:
    if fmt == "csv":
        body = _csv(map(records.event_csv_row, _every(request, filters, whole=True)),
                    records.EVENT_CSV_COLUMNS)
    elif fmt == "jsonl":
        body = (json.dumps(records.event_record(e), ensure_ascii=False) + "\n"
                for e in _every(request, filters, whole=True))
    elif fmt == "geojson":  # a point per event: its summary has all it needs
        body = _geojson(records.event_features(_every(request, filters)))
    else:
        raise HTTPException(404, f"no download as {fmt!r}: csv, jsonl or geojson")
    return _download(body, "events", fmt)


@router.get("/events/{event_id}.{fmt}", tags=["downloads"],
            summary="One event and its claims: JSONL (the event, then its claims), CSV of its "
                    "claims, or GeoJSON of its claims' places")
def download_event(event_id: str, fmt: str, ledger: LedgerDep) -> StreamingResponse:
    event = found_event(ledger, event_id)
    claims = ledger.event_claims(event)
    if fmt == "csv":
        body = _csv(map(records.csv_row, iter(claims)), records.CSV_COLUMNS)
    elif fmt == "jsonl":
        lines = [records.event_record(event)] + [records.claim_record(c, event.id)
                                                 for c in claims]
        body = iter([json.dumps(r, ensure_ascii=False) + "\n" for r in lines])
    elif fmt == "geojson":
        body = _geojson(records.geojson_features(claims))
    else:
        raise HTTPException(404, f"no download as {fmt!r}: csv, jsonl or geojson")
    return _download(body, f"event-{event.id}", fmt)
