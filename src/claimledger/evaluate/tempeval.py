"""`claimledger eval tempeval DIR`: time expressions, TempEval-3 task A for TIMEX3.

DIR is searched recursively for TimeML `.tml` files. For each one:

1. the document creation time (DCT) is read: the TIMEX3 with functionInDocument="CREATION_TIME"
   (in TempEval-3 it sits in <DCT>, tid "t0"). It is given, as in the task: its calendar date
   is the anchor, and it is neither predicted nor scored (the official scorer skips tid "t0";
   should the DCT sit inside <TEXT>, predictions overlapping it are dropped);
2. the <TEXT> element is turned into plain text (tags dropped, entities decoded) and its gold
   TIMEX3 elements into character spans of that text (TIMEX3s without text are ignored, as by
   the official scorer);
3. `claimledger.normalise.times.find_times(text, anchor)` tags the plain text;
4. gold and predicted TIMEX3s are aligned one to one and counted.

Scoring follows the official TempEval-3 scorer (UzZaman et al. 2013, `TE3-evaluation.py`, its
`evaluate_entities.py` after the TimeML-Normalizer has aligned the system's TIMEX3 ids to the
gold ones), summed over all documents (micro-averaged):

- relaxed match: a gold and a predicted TIMEX3 that share at least one non-space character
  (any token overlap); aligned one to one, exact extents first, then the largest overlap.
  relaxed_precision = matches / predicted, relaxed_recall = matches / gold, relaxed_f1 their
  harmonic mean;
- strict match: a relaxed match whose extent is identical (same start and end);
- value_accuracy = matches with the identical `value` string / relaxed matches;
  value_f1 = value_accuracy * relaxed_f1 (the scorer's "Attribute F1 Value");
- type_accuracy = matches with the identical `type` / relaxed matches; type_f1 likewise.

Files that repeat another file byte for byte (TBAQ-cleaned has one, under testpipeline/) are
scored once and counted in `duplicates`. A malformed file is reported on stderr, counted in
`skipped`, and the run goes on. With `predictions=DIR` each scored document is written to DIR
(same relative path) as TimeML: DOCID, the gold DCT, and the TEXT with our TIMEX3 tags, so
that the official scorer can be run on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional
from xml.sax.saxutils import escape, quoteattr

from claimledger.evaluate import CorpusError, add_prf
from claimledger.normalise.times import find_times

METHOD = ("claimledger.normalise.times.find_times (rules) on the plain TEXT, anchored on the "
          "given DCT; TempEval-3 task A TIMEX3 scoring (relaxed = any overlap, one to one; "
          "value/type accuracy over relaxed matches; value_f1 = value_accuracy * relaxed_f1)")


class MalformedDocument(ValueError):
    """One .tml file that cannot be read as TimeML."""


@dataclass
class Timex:
    start: int
    end: int
    text: str
    value: str
    type: str
    mod: str = ""


@dataclass
class Document:
    name: str  # path relative to the corpus directory, with "/"
    text: str  # the plain text of <TEXT>
    timexes: list[Timex]  # gold, DCT excluded
    docid: str = ""
    dct: Optional[Timex] = None
    anchor: Optional[dt.date] = None
    dct_span: Optional[tuple[int, int]] = None  # where the DCT sits when it is inside TEXT


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0
    type: int = 0

    def add(self, other: Counts) -> None:
        for name in ("gold", "predicted", "relaxed", "strict", "value", "type"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# ---------------------------------------------------------------- reading
def find_documents(directory: str) -> list[Path]:
    """The .tml files under `directory`, in sort order of their relative paths."""
    root = Path(directory)
    if not root.is_dir():
        raise CorpusError(f"{directory}: not a directory")
    files = sorted(root.rglob("*.tml"), key=lambda p: p.relative_to(root).as_posix())
    if not files:
        raise CorpusError(f"{directory}: no .tml files found (searched recursively)")
    return files


def _anchor(value: str) -> Optional[dt.date]:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


def _timex(el: ET.Element, start: int, end: int, text: str) -> Timex:
    return Timex(start, end, text, el.get("value", ""), el.get("type", ""), el.get("mod", ""))


def parse_tml(source: str | bytes, name: str = "") -> Document:
    """A TimeML document from its XML text; MalformedDocument when it is not TimeML."""
    try:
        root = ET.fromstring(source)
    except ET.ParseError as exc:
        raise MalformedDocument(f"not well-formed XML: {exc}") from exc
    text_el = root if root.tag == "TEXT" else root.find(".//TEXT")
    if text_el is None:
        raise MalformedDocument("no <TEXT> element")

    parts: list[str] = []
    gold: list[Timex] = []
    dct: Optional[Timex] = None
    dct_span = None
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos, dct, dct_span
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el is not text_el:
            t = _timex(el, start, pos, "".join(parts)[start:pos])
            if el.get("functionInDocument") == "CREATION_TIME":
                dct, dct_span = t, (start, pos)
            elif t.text.strip():  # the scorer ignores TIMEX3s without text
                gold.append(t)

    walk(text_el)
    text = "".join(parts)
    if dct is None:
        for el in root.iter("TIMEX3"):
            if el.get("functionInDocument") == "CREATION_TIME":
                dct = _timex(el, -1, -1, "".join(el.itertext()))
                break
    docid = root.findtext(".//DOCID") or ""
    gold.sort(key=lambda t: t.start)
    return Document(name=name, text=text, timexes=gold, docid=docid.strip(), dct=dct,
                    anchor=_anchor(dct.value) if dct else None,
                    dct_span=dct_span)


def read_tml(path: Path, name: str = "") -> Document:
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise MalformedDocument(f"cannot read: {exc}") from exc
    return parse_tml(source, name or path.name)


# ---------------------------------------------------------------- predicting
def predict(doc: Document) -> list[Timex]:
    """Our TIMEX3s for the document's plain text (the DCT, if inside TEXT, is left alone)."""
    found = []
    for t in find_times(doc.text, doc.anchor):
        if doc.dct_span and t.start < doc.dct_span[1] and doc.dct_span[0] < t.end:
            continue
        mod = t.modifier or ""
        found.append(Timex(t.start, t.end, t.text, t.value or "", t.type, mod))
    return found


def _overlap(text: str, a: Timex, b: Timex) -> int:
    """Non-space characters two spans share (0: no relaxed match)."""
    s, e = max(a.start, b.start), min(a.end, b.end)
    return len(re.sub(r"\s", "", text[s:e])) if s < e else 0


def align(text: str, gold: list[Timex], predicted: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one pairs of overlapping gold and predicted TIMEX3s: exact extents first, then
    the largest overlap, then text order."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if p.start >= g.end or p.end <= g.start:
                continue
            shared = _overlap(text, g, p)
            if shared:
                exact = (g.start, g.end) == (p.start, p.end)
                candidates.append((not exact, -shared, g.start, p.start, i, j))
    used_g, used_p, pairs = set(), set(), []
    for *_, i, j in sorted(candidates):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((gold[i], predicted[j]))
    return sorted(pairs, key=lambda pair: pair[0].start)


def score_document(doc: Document, predicted: list[Timex]) -> Counts:
    pairs = align(doc.text, doc.timexes, predicted)
    c = Counts(gold=len(doc.timexes), predicted=len(predicted), relaxed=len(pairs))
    for g, p in pairs:
        c.strict += (g.start, g.end) == (p.start, p.end)
        c.value += g.value == p.value
        c.type += g.type == p.type
    return c


# ---------------------------------------------------------------- writing predictions
def to_tml(doc: Document, predicted: list[Timex]) -> str:
    """The document as TimeML with our TIMEX3 tags in TEXT (tids t1, t2, ...; the DCT kept)."""
    out, pos = [], 0
    for n, t in enumerate(sorted(predicted, key=lambda t: t.start), 1):
        out.append(escape(doc.text[pos:t.start]))
        attrs = f'tid="t{n}" type={quoteattr(t.type)} value={quoteattr(t.value)}'
        if t.mod:
            attrs += f" mod={quoteattr(t.mod)}"
        out.append(f'<TIMEX3 {attrs} functionInDocument="NONE">{escape(t.text)}</TIMEX3>')
        pos = t.end
    out.append(escape(doc.text[pos:]))
    dct = ""
    if doc.dct is not None:
        d = doc.dct
        dct = (f'<DCT><TIMEX3 tid="t0" type={quoteattr(d.type)} value={quoteattr(d.value)} '
               f'temporalFunction="false" functionInDocument="CREATION_TIME">'
               f"{escape(d.text)}</TIMEX3></DCT>\n\n")
    return (f'<?xml version="1.0" ?>\n<TimeML>\n\n<DOCID>{escape(doc.docid)}</DOCID>\n\n{dct}'
            f"<TEXT>{''.join(out)}</TEXT>\n\n</TimeML>\n")


# ---------------------------------------------------------------- the command
def evaluate(directory: str, *, predictions: Optional[str] = None, limit: Optional[int] = None,
             progress: Optional[Callable[[int, int], None]] = None) -> dict:
    """Score `find_times` on the .tml files under `directory` (see the module docstring)."""
    root = Path(directory)
    files = find_documents(directory)
    if limit:
        files = files[:limit]
    out_dir = Path(predictions) if predictions else None
    total = Counts()
    documents = skipped = duplicates = failed = 0
    seen: set[str] = set()
    for k, path in enumerate(files, 1):
        if progress:
            progress(k - 1, len(files))
        name = path.relative_to(root).as_posix()
        try:
            raw = path.read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            if digest in seen:
                duplicates += 1
                continue
            doc = parse_tml(raw, name)
            seen.add(digest)
        except (OSError, MalformedDocument) as exc:
            print(f"tempeval: skipping {path}: {exc}", file=sys.stderr)
            skipped += 1
            continue
        if doc.anchor is None:
            print(f"tempeval: {path}: no usable CREATION_TIME TIMEX3; relative expressions "
                  "stay unresolved", file=sys.stderr)
        try:
            predicted = predict(doc)
        except Exception as exc:  # noqa: BLE001 - one failing document never stops the run
            print(f"tempeval: {path}: the time normaliser failed ({type(exc).__name__}: "
                  f"{exc}); its gold expressions count as missed", file=sys.stderr)
            predicted = []
            failed += 1
        total.add(score_document(doc, predicted))
        documents += 1
        if out_dir is not None:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_tml(doc, predicted), encoding="utf-8")
    if progress:
        progress(len(files), len(files))
    if not documents:
        raise CorpusError(f"{directory}: none of the {len(files)} .tml file(s) could be read "
                          "as TimeML")
    return metrics(total, documents=documents, skipped=skipped, duplicates=duplicates,
                   failed=failed)


def metrics(c: Counts, **counts: int) -> dict:
    result: dict = {}
    add_prf(result, "relaxed_", c.relaxed, c.predicted, c.gold)
    add_prf(result, "strict_", c.strict, c.predicted, c.gold)
    value_acc = c.value / c.relaxed if c.relaxed else 0.0
    type_acc = c.type / c.relaxed if c.relaxed else 0.0
    result["value_accuracy"] = value_acc
    result["value_f1"] = value_acc * result["relaxed_f1"]
    result["type_accuracy"] = type_acc
    result["type_f1"] = type_acc * result["relaxed_f1"]
    result.update(counts)
    result["gold_timexes"] = c.gold
    result["predicted_timexes"] = c.predicted
    result["relaxed_matches"] = c.relaxed
    result["method"] = METHOD
    return result
