"""Claims as flat records: the JSONL claim record, CSV rows and GeoJSON features.

The JSONL names are part of the interface: `id`, `document`, `text`, `start`, `end`,
`content`, `cue`, `quote`, `source`, `channel`, `certainty`, `polarity`, `times`, `places`,
`quantities`, `extractor` (plus a few more that only add).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any, Iterable, Iterator, TextIO

from claimledger.models import CERTAINTY_WORDS, Claim


def claim_record(c: Claim) -> dict[str, Any]:
    doc = c.document
    return {
        "id": c.id,
        "document": {
            "id": c.document_id,
            "url": doc.url if doc else None,
            "title": doc.title if doc else None,
            "outlet": doc.outlet if doc else None,
            "published_at": doc.published_at if doc else None,
            "published_from": doc.published_from if doc else None,
            "duplicate_group": doc.duplicate_group if doc else None,
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
                        "unit": q.unit, "start": q.start, "end": q.end} for q in c.quantities],
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


def write_jsonl(claims: Iterable[Claim], out: TextIO) -> int:
    n = 0
    for c in claims:
        out.write(json.dumps(claim_record(c), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(claims: Iterable[Claim], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for c in claims:
        writer.writerow(csv_row(c))
        n += 1
    return n


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
                    "claim": c.id, "place": p.name, "place_text": p.text,
                    "country_code": p.country_code, "feature": p.feature,
                    "geonames_id": p.geonames_id, "source": c.source.name,
                    "certainty": c.certainty, "content": c.content,
                    "published_at": c.document.published_at if c.document else None,
                    "times": [t.value for t in c.times if t.value],
                },
            }


def write_geojson(claims: Iterable[Claim], out: TextIO) -> int:
    features = list(geojson_features(claims))
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def to_string(writer, claims: Iterable[Claim]) -> str:
    buf = io.StringIO()
    writer(claims, buf)
    return buf.getvalue()
