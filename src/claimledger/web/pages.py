"""The pages: events, one event's dossier, claims, one claim, one source, one document, and
the sign-in and add-an-article forms. Each reads through `Ledger` (via the API module's
helpers) and renders a template; every list has the URL of its filters, and links to its
downloads with the same filters."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from claimledger.models import CERTAINTY_WORDS, EVENT_STATUSES, VERDICTS
from claimledger.web import charts
from claimledger.web.api import ClaimQuery, EventQuery, LedgerDep, found_claim, found_event
from claimledger.web.filters import (FACET_TITLES, PAGE_QUERY, ClaimFilters, SourceId,
                                     cached_event_dates, cached_facets)
from claimledger.web.writing import COOKIE, safe_next

router = APIRouter(include_in_schema=False)
SHOWN = 50  # claims a list of the dossier shows before linking to the rest


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    writer = request.app.state.writer
    cookie = request.cookies.get(COOKIE)
    analyst = writer.analyst(cookie)
    return templates.TemplateResponse(request, template, {
        "ledger_name": request.app.state.ledgers.name,
        "certainty_words": CERTAINTY_WORDS, "writing": writer.enabled, "analyst": analyst,
        "csrf": writer.csrf(cookie) if analyst else "", "verdict_words": VERDICTS,
        **context})


@router.get("/ingest")
def ingest_page(request: Request, already: bool = False) -> HTMLResponse:
    return render(request, "ingest.html", already=already)


@router.get("/login")
def login_page(request: Request, next: str = "/events") -> HTMLResponse:
    return render(request, "login.html", next=safe_next(next))


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/events", status_code=307)


@router.get("/claims")
def claims_page(request: Request, filters: ClaimQuery,
                ledger: LedgerDep) -> HTMLResponse:
    found, more = filters.read(ledger)
    return render(request, "claims.html", filters=filters, claims=found, more=more,
                  event_of=ledger.store.events_of([c.id for c in found]),
                  certainties=list(CERTAINTY_WORDS.items()),
                  facets=facets(ledger, filters))


def facets(ledger: Any, filters: ClaimFilters) -> list[dict[str, Any]]:
    """The facets of the claims listed: for each, its top values with counts and the URL
    that adds (or, for the one in use, removes) it as a filter."""
    counted = cached_facets(ledger, filters)
    names = ledger.store.source_names([v for v, _ in counted["source_id"]])
    out = []
    for name, values in counted.items():
        param = {"country": "place", "month": "since"}.get(name, name)
        rows = []
        for value, count in values:
            if name == "month":
                changes = {"since": f"{value}-01", "until": f"{value}-31", "page": 1}
            else:
                changes = {param: value, "page": 1}
            label = {"certainty": CERTAINTY_WORDS.get(value, value),
                     "source_id": names.get(value, value)}.get(name, value)
            rows.append({"label": label, "count": count,
                         "href": f"/claims?{filters.query(**changes)}"})
        active = getattr(filters, param, None) if param != "since" else None
        out.append({"title": FACET_TITLES[name], "rows": rows, "active": active,
                    "clear": f"/claims?{filters.query(**{param: None, 'page': 1})}"})
    return out


@router.get("/sources/{source_id}")
def source_page(request: Request, source_id: SourceId, ledger: LedgerDep,
                page: int = PAGE_QUERY) -> HTMLResponse:
    record = ledger.source(source_id)
    if record is None:
        raise HTTPException(404, f"no source {source_id}")
    filters = ClaimFilters(source_id=source_id, page=max(1, page))
    found, more = filters.read(ledger)
    counted = cached_facets(ledger, ClaimFilters(source_id=source_id))
    return render(request, "source.html", source=record, claims=found, more=more,
                  filters=filters, event_of=ledger.store.events_of([c.id for c in found]),
                  events=counted["event"], outlets=counted["outlet"])


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: str, ledger: LedgerDep) -> HTMLResponse:
    claim = found_claim(ledger, claim_id)
    text = ledger.document_text(claim.document_id) or ""
    return render(request, "claim.html", claim=claim,
                  evidence=marked(text, claim.start, claim.end, claim_spans(claim)),
                  event_id=ledger.store.events_of([claim.id]).get(claim.id),
                  verdicts=ledger.verdicts("claim", claim.id))


@router.get("/events")
def events_page(request: Request, filters: EventQuery,
                ledger: LedgerDep) -> HTMLResponse:
    found, more = filters.read(ledger)
    days = cached_event_dates(ledger, filters)  # the filters were checked by the listing
    return render(request, "events.html", filters=filters, events=found, more=more,
                  counts=charts.weekly_counts(days), total=len(days),
                  statuses=EVENT_STATUSES)


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: str, ledger: LedgerDep) -> Response:
    event = found_event(ledger, event_id)
    if event.id != event_id:  # an id prefix, or the id of an event merged since: the event's
        return RedirectResponse(f"/events/{event.id}", status_code=307)  # own, stable URL
    # The claims the dossier lists: the first SHOWN of each list (the rest are a link).
    wanted = {cid for ids in (event.status_evidence, event.confirmations,
                              event.non_confirmations, event.denials, event.claims,
                              *(k.claims for k in event.contradictions),
                              *(h.get("evidence", []) for h in event.status_history))
              for cid in ids[:SHOWN]}
    claims = {c.id: c for c in ledger.store.load_claims(sorted(wanted))}
    return render(request, "event.html", event=event, claims=claims, shown=SHOWN,
                  published=charts.timeline(event.timeline, by="published"),
                  about=charts.timeline(event.timeline, by="about"))


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: str,
                  ledger: LedgerDep) -> HTMLResponse:
    doc = ledger.store.document(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    claims = ledger.claims(document=document_id)
    spans = [(c.start, c.end, "claim", c.id) for c in claims]
    return render(request, "document.html", doc=doc, claims=claims,
                  text=highlighted(doc["text"], spans),
                  boilerplate=ledger.store.boilerplate(document_id),
                  warnings=ledger.store.warnings(document_id),
                  duplicates=ledger.store.near_duplicates(document_id))


# -- text with marks ---------------------------------------------------------------------------
def claim_spans(claim: Any) -> list[tuple[int, int, str, Optional[str]]]:
    """The parts of a claim to mark in its evidence: source, cue, content, times, places,
    quantities (document offsets)."""
    spans: list[tuple[int, int, str, Optional[str]]] = []
    if claim.source.start is not None and claim.source.end is not None:
        spans.append((claim.source.start, claim.source.end, "source", None))
    if claim.cue_start is not None and claim.cue_end is not None:
        spans.append((claim.cue_start, claim.cue_end, "cue", None))
    spans.append((claim.content_start, claim.content_end, "content", None))
    for kind, parts in (("time", claim.times), ("place", claim.places),
                        ("quantity", claim.quantities)):
        spans += [(p.start, p.end, kind, None) for p in parts]
    return spans


def marked(text: str, start: int, end: int,
           spans: list[tuple[int, int, str, Optional[str]]], context: int = 300) -> dict:
    """The evidence in its article: some text before and after, and the evidence as
    pieces, each with the kinds of span it lies in (nested spans give several kinds)."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    return {"before": ("…" if lo else "") + text[lo:start],
            "pieces": pieces(text, start, end, spans),
            "after": text[end:hi] + ("…" if hi < len(text) else "")}


def pieces(text: str, start: int, end: int,
           spans: list[tuple[int, int, str, Optional[str]]]) -> list[dict[str, Any]]:
    """text[start:end] cut where any span begins or ends: [{"text", "kinds", "ids"}]."""
    cuts = sorted({start, end} | {p for s, e, _, _ in spans for p in (s, e) if start < p < end})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        inside = [(kind, ident) for s, e, kind, ident in spans if s <= a and b <= e]
        out.append({"text": text[a:b], "kinds": sorted({k for k, _ in inside}),
                    "ids": [i for _, i in inside if i]})
    return out


def highlighted(text: str, spans: list[tuple[int, int, str, Optional[str]]]) -> list[dict]:
    """A whole document as pieces, the claims' evidence marked."""
    return pieces(text, 0, len(text), spans)
