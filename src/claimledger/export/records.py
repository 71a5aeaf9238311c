"""Claims and events as flat records: JSONL records, CSV rows and GeoJSON features.

The JSONL names are part of the interface. A claim record has `id`, `document`, `text`,
`start`, `end`, `content`, `cue`, `quote`, `source`, `channel`, `certainty`, `polarity`,
`times`, `places`, `quantities`, `extractor`; an event record has `id`, `type`, `actors`,
`places`, `period` {`start`, `end`}, `status`, `origins` [{`source`, `affiliation`, `claims`,
`reports`}], `independent_origins`, `quantities` [{`unit`, `low`, `high`, `by_origin`}],
`contradictions` [{`kind`, `claims`, `detail`}], `claims` (plus a few more that only add).
In a file holding both, `record` says which ("claim" or "event").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any, Iterable, Iterator, Optional, TextIO

from claimledger.models import CERTAINTY_WORDS, Claim, Event, EventSummary


def claim_record(c: Claim, event: Optional[str] = None) -> dict[str, Any]:
    doc = c.document
    return {
        "record": "claim",
        "id": c.id,
        "event": event,
        "document": {
            "id": c.document_id,
            "url": doc.url if doc else None,
            "title": doc.title if doc else None,
            "outlet": doc.outlet if doc else None,
            "published_at": doc.published_at if doc else None,
            "published_from": doc.published_from if doc else None,
            "duplicate_group": doc.duplicate_group if doc else None,
            "warnings": list(doc.warnings) if doc else [],  # stages that failed on it
        },
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "content": c.content,
        "content_start": c.content_start,
        "content_end": c.content_end,
        "cue": c.cue,
        "cue_start": c.cue_start,
        "cue_end": c.cue_end,
        "quote": c.quote,
        "source": {"name": c.source.name, "kind": c.source.kind, "role": c.source.role,
                   "affiliation": c.source.affiliation, "phrase": c.source.phrase},
        "channel": c.channel,
        "certainty": c.certainty,
        "certainty_label": CERTAINTY_WORDS.get(c.certainty, c.certainty),
        "polarity": c.polarity,
        "said_at": _time(c.said_at) if c.said_at else None,
        "times": [_time(t) for t in c.times],
        "places": [{"text": p.text, "name": p.name, "country_code": p.country_code,
                    "feature": p.feature, "lat": p.lat, "lon": p.lon,
                    "geonames_id": p.geonames_id, "start": p.start, "end": p.end}
                   for p in c.places],
        "quantities": [{"text": q.text, "low": q.low, "high": q.high, "modifier": q.modifier,
                        "unit": q.unit, "predicate": q.predicate, "start": q.start,
                        "end": q.end} for q in c.quantities],
        "happening": asdict(c.happening) if c.happening else None,
        "mentions": [asdict(m) for m in c.mentions],
        "extractor": c.extractor,
    }


def _time(t) -> dict[str, Any]:
    return {"text": t.text, "value": t.value, "start": t.start, "end": t.end,
            "granularity": t.granularity, "type": t.type, "interval_start": t.interval_start,
            "interval_end": t.interval_end, "modifier": t.modifier, "anchor": t.anchor}


CSV_COLUMNS = ["id", "document_id", "outlet", "published_at", "url", "source", "source_kind",
               "role", "affiliation", "cue", "quote", "certainty", "certainty_label",
               "polarity", "channel", "content", "times", "places", "quantities", "text",
               "start", "end"]


def csv_row(c: Claim) -> dict[str, Any]:
    r = claim_record(c)
    return {
        "id": c.id, "document_id": c.document_id, "outlet": r["document"]["outlet"],
        "published_at": r["document"]["published_at"], "url": r["document"]["url"],
        "source": c.source.name, "source_kind": c.source.kind, "role": c.source.role,
        "affiliation": c.source.affiliation, "cue": c.cue, "quote": c.quote,
        "certainty": c.certainty, "certainty_label": r["certainty_label"],
        "polarity": c.polarity, "channel": " > ".join(c.channel), "content": c.content,
        "times": "; ".join(f"{t.text}={t.value}" for t in c.times),
        "places": "; ".join(f"{p.name} ({p.country_code})" for p in c.places),
        "quantities": "; ".join(f"{q.text}=[{_num(q.low)}, {_num(q.high)}] {q.unit or ''}".strip()
                                for q in c.quantities),
        "text": c.text, "start": c.start, "end": c.end,
    }


def _num(x) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


def write_jsonl(claims: Iterable[Claim], out: TextIO, *, events: Iterable[Event] = (),
                event_of: Optional[dict[str, str]] = None) -> int:
    """Claim records (with the id of their event, from `event_of`), then event records."""
    n = 0
    event_of = event_of or {}
    for c in claims:
        out.write(json.dumps(claim_record(c, event_of.get(c.id or "")), ensure_ascii=False)
                  + "\n")
        n += 1
    for e in events:
        out.write(json.dumps(event_record(e), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(claims: Iterable[Claim], out: TextIO) -> int:
    return _write_rows(map(csv_row, claims), CSV_COLUMNS, out)


def _write_rows(rows: Iterable[dict[str, Any]], columns: list[str], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(spreadsheet_safe(row))
        n += 1
    return n


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row a spreadsheet shows as text: a cell of article text that begins as a
    formula would ("=HYPERLINK(...)", "+1+cmd", "@SUM") gets a leading apostrophe, which
    Excel and LibreOffice read as "this is text". Numbers are left as they are."""
    return {k: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START)
            and not _is_number(v) else v for k, v in row.items()}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def geojson_features(claims: Iterable[Claim]) -> Iterator[dict[str, Any]]:
    """One Point feature per geocoded place of each claim."""
    for c in claims:
        for p in c.places:
            if p.lat is None or p.lon is None:
                continue
            yield {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "record": "claim", "claim": c.id, "place": p.name, "place_text": p.text,
                    "country_code": p.country_code, "feature": p.feature,
                    "geonames_id": p.geonames_id, "source": c.source.name,
                    "certainty": c.certainty, "content": c.content,
                    "published_at": c.document.published_at if c.document else None,
                    "times": [t.value for t in c.times if t.value],
                },
            }


def write_geojson(claims: Iterable[Claim], out: TextIO, *,
                  events: Iterable[Event] = ()) -> int:
    features = list(geojson_features(claims)) + list(event_features(events))
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def to_string(writer, claims: Iterable[Claim]) -> str:
    buf = io.StringIO()
    writer(claims, buf)
    return buf.getvalue()


def event_record(e: Event) -> dict[str, Any]:
    return {
        "record": "event",
        "id": e.id,
        "story": e.story,
        "type": e.type,
        "mode": e.mode,
        "title": e.title,
        "actors": e.actors,
        "places": e.places,
        "period": {"start": e.period_start, "end": e.period_end, "from": e.period_from},
        "reported": {"first": e.first_published, "last": e.last_published,
                     "documents": e.documents},
        "status": e.status,
        "status_evidence": e.status_evidence,
        "status_history": e.status_history,
        "origins": [{"source": o.source, "kind": o.kind, "affiliation": o.affiliation,
                     "independence": o.independence, "stance": o.stance, "claims": o.claims,
                     "reports": o.reports, "outlets": o.outlets} for o in e.origins],
        "independent_origins": e.independent_origins,
        "confirmations": e.confirmations,
        "non_confirmations": e.non_confirmations,
        "denials": e.denials,
        "quantities": [{"unit": q.unit, "predicate": q.predicate, "low": q.low, "high": q.high,
                        "by_origin": [{k: v for k, v in b.items() if k != "origin"}
                                      for b in q.by_origin]} for q in e.quantities],
        "contradictions": [{"kind": c.kind, "claims": c.claims, "detail": c.detail}
                           for c in e.contradictions],
        "claims": e.claims,
        "timeline": e.timeline,
        "changes": e.changes,
        # Analysts' verdicts, newest first, beside the computed status (never over it).
        "verdicts": [v.to_dict() for v in e.verdicts],
    }


EVENT_CSV_COLUMNS = ["id", "story", "type", "mode", "status", "title", "actors", "places",
                     "period_start", "period_end", "first_published", "last_published",
                     "documents", "claims", "origins", "independent_origins", "confirmations",
                     "non_confirmations", "denials", "quantities", "contradictions"]


def event_csv_row(e: Event) -> dict[str, Any]:
    return {
        "id": e.id, "story": e.story, "type": e.type, "mode": e.mode, "status": e.status,
        "title": e.title,
        "actors": "; ".join(f"{a['name']} ({a['code']})" for a in e.actors),
        "places": "; ".join(f"{p['name']} ({p['country_code'] or ''})" for p in e.places),
        "period_start": e.period_start, "period_end": e.period_end,
        "first_published": e.first_published, "last_published": e.last_published,
        "documents": e.documents, "claims": len(e.claims), "origins": len(e.origins),
        "independent_origins": e.independent_origins,
        "confirmations": len(e.confirmations), "non_confirmations": len(e.non_confirmations),
        "denials": len(e.denials),
        "quantities": "; ".join(
            f"{q.unit} {q.predicate or ''}: [{_num(q.low)}, {_num(q.high)}] from "
            + ", ".join(f"{b['text']} ({b['source']})" for b in q.by_origin)
            for q in e.quantities),
        "contradictions": "; ".join(f"{c.kind}: {c.detail}" for c in e.contradictions),
    }


def event_features(events: Iterable[Event | EventSummary]) -> Iterator[dict[str, Any]]:
    """One Point feature per event (or its summary), at its most named place with
    coordinates."""
    for item in events:
        e = EventSummary.of(item) if isinstance(item, Event) else item
        place = next((p for p in e.places if p["lat"] is not None and p["lon"] is not None),
                     None)
        if place is None:
            continue
        yield {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": {
                "record": "event", "event": e.id, "type": e.type, "status": e.status,
                "title": e.title, "place": place["name"],
                "country_code": place["country_code"], "period_start": e.period_start,
                "period_end": e.period_end, "claims": e.claims,
                "independent_origins": e.independent_origins,
            },
        }


def write_event_csv(events: Iterable[Event], out: TextIO) -> int:
    return _write_rows(map(event_csv_row, events), EVENT_CSV_COLUMNS, out)
