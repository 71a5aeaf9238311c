"""`claimledger eval polnear DIR`: attribution spans and relations on a PolNeAR split.

DIR holds `text/NAME.txt` and `attributions/NAME_ANNOTATOR.ann` (BRAT standoff). Where an
article has several annotation files, the first in sort order is gold.

What is compared, per article:
  - an attribution is its source, cue and content, each a set of characters: a discontinuous
    span ("315 448;463 553") is the set of its pieces' characters, and a second content
    (`Content2`) joins the first. An attribution with no source (`Attribution-no-source`)
    has an empty source. Source, Cue and Content annotations outside any attribution are
    spans of their role; `Discuss` and `Discard` are not attributions and are ignored.
  - spans, per role: exact = identical character sets, matched one to one; overlap = one to
    one, greedily by the largest shared character count (any shared character counts).
  - relations: a predicted attribution matches a gold one when their cues overlap and their
    sources and contents each overlap (a role absent from both also agrees), one to one,
    greedily by the largest cue overlap.
Precision, recall and F1 are summed over the split (micro), not averaged per article.

Predictions are claimledger's attributions as written in the text (`AttributionFinder.find`:
before nested claims are folded and sources resolved), without the article's own assertions,
put in PolNeAR's span conventions by `to_polnear` (documented there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from claimledger.claims.attribution import AttributionFinder, find_quotes, subject_of
from claimledger.evaluate import CorpusError, add_prf, greedy_pairs

ROLES = ("source", "cue", "content")
METHOD = "claimledger attribution rules (claims/attribution.py), PolNeAR span conventions"

Chars = frozenset
ANNOTATION = re.compile(r"[A-Z#*]\d*\t")


@dataclass
class Relation:
    """One attribution, each role a set of character offsets (empty where absent)."""

    source: Chars = Chars()
    cue: Chars = Chars()
    content: Chars = Chars()


@dataclass
class Article:
    name: str
    text: str
    relations: list[Relation]
    spans: dict[str, list[Chars]] = field(default_factory=dict)  # role -> gold spans


# -- reading the corpus ---------------------------------------------------------------------
def _chars(offsets: str) -> Chars:
    out: set[int] = set()
    for piece in offsets.split(";"):
        start, end = (int(x) for x in piece.split())
        if end < start:
            raise ValueError(f"span {piece!r} ends before it starts")
        out.update(range(start, end))
    return Chars(out)


def read_ann(text: str, where: str = "") -> tuple[list[Relation], dict[str, list[Chars]]]:
    """The attributions of one BRAT `.ann`, and every span of each role.

    Raises ValueError on a line that is not BRAT standoff.
    """
    bound: dict[str, tuple[str, Chars]] = {}
    events: list[list[tuple[str, ...]]] = []  # each argument as (role, ref)
    for n, line in enumerate(text.split("\n"), 1):
        if not ANNOTATION.match(line) or line[0] in "#AMNR*":
            continue  # notes, attributes, relations; or the rest of a text that held a newline
        parts = line.split("\t")
        try:
            if line[0] == "T":
                kind, offsets = parts[1].split(" ", 1)
                bound[parts[0]] = (kind, _chars(offsets))
            elif line[0] == "E":
                events.append([tuple(arg.split(":", 1)) for arg in parts[1].split()])
        except (IndexError, ValueError) as exc:
            raise ValueError(f"{where}:{n}: not BRAT standoff ({exc}): {line[:60]!r}") from exc
    relations: list[Relation] = []
    used: set[str] = set()
    for args in events:
        roles: dict[str, set[int]] = {r: set() for r in ROLES}
        for role, ref in args[1:]:
            role = re.sub(r"\d+$", "", role).lower()
            if role in roles and ref in bound:
                roles[role].update(bound[ref][1])
                used.add(ref)
        if roles["cue"] or roles["content"]:
            relations.append(Relation(*(Chars(roles[r]) for r in ROLES)))
    spans: dict[str, list[Chars]] = {r: [getattr(rel, r) for rel in relations
                                         if getattr(rel, r)] for r in ROLES}
    for ref, (kind, chars) in bound.items():
        role = re.sub(r"\d+$", "", kind).lower()
        if ref not in used and role in spans and chars:
            spans[role].append(chars)
    return relations, spans


def load(directory: str, limit: Optional[int] = None) -> list[Article]:
    """The articles of a PolNeAR split, gold from the first annotation file in sort order."""
    root = Path(directory)
    texts = sorted((root / "text").glob("*.txt")) if (root / "text").is_dir() else []
    if not texts:
        raise CorpusError(f"{directory}: no text/*.txt (expected a PolNeAR split: "
                          "text/*.txt and attributions/*.ann)")
    anns = sorted((root / "attributions").glob("*.ann"))
    if not anns:
        raise CorpusError(f"{directory}: no attributions/*.ann")
    first: dict[str, Path] = {}
    for ann in anns:  # NAME_ANNOTATOR.ann; several annotators -> the first in sort order
        first.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    articles: list[Article] = []
    for path in texts:
        if path.stem not in first:
            continue
        if limit is not None and len(articles) >= limit:
            break
        try:
            text = path.read_text(encoding="utf-8")
            relations, spans = read_ann(first[path.stem].read_text(encoding="utf-8"),
                                        str(first[path.stem]))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CorpusError(f"cannot read {path.stem}: {exc}") from exc
        if any(max(s) >= len(text) for role in spans.values() for s in role):
            raise CorpusError(f"{first[path.stem]}: a span lies past the end of {path.name}")
        articles.append(Article(path.stem, text, relations, spans))
    if not articles:
        raise CorpusError(f"{directory}: no article has both a text and an annotation file")
    return articles


# -- matching -------------------------------------------------------------------------------
def exact_matches(predicted: list[Chars], gold: list[Chars]) -> int:
    remaining = list(gold)
    n = 0
    for p in predicted:
        if p in remaining:
            remaining.remove(p)
            n += 1
    return n


def overlap_matches(predicted: list[Chars], gold: list[Chars]) -> int:
    pairs = ((len(p & g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)
             if not p.isdisjoint(g))
    return len(greedy_pairs(pairs))


def _agree(p: Chars, g: Chars) -> bool:
    return (not p and not g) or not p.isdisjoint(g)


def relation_matches(predicted: list[Relation], gold: list[Relation]) -> int:
    pairs = ((len(p.cue & g.cue), i, j) for i, p in enumerate(predicted)
             for j, g in enumerate(gold)
             if not p.cue.isdisjoint(g.cue) and _agree(p.source, g.source)
             and _agree(p.content, g.content))
    return len(greedy_pairs(pairs))


# -- predicting -----------------------------------------------------------------------------
def _span(start: Optional[int], end: Optional[int]) -> Chars:
    return Chars(range(start, end)) if start is not None and end is not None and end > start \
        else Chars()


COMPLEMENTISER = re.compile(r"\b(?:that|whether|if)\s+$", re.IGNORECASE)
OPENING = re.compile(r"(?:[“\"‘]|``|'')$")
CLOSING = re.compile(r"[.,!?;:…]*(?:[”\"’]|'')")
RESUMED = re.compile(r"[^“”\"\n.!?]{0,80}?[,:;—–]\s*")  # " the senator said, " before a quote
QUOTE_MARK = re.compile(r"[“”\"]|''|``")


def content_extent(text: str, start: int, end: int) -> tuple[int, int]:
    """A content span in PolNeAR's extent. claimledger's content is the bare clause; PolNeAR's
    also holds the complementiser ("that ...", "whether ...") and a direct quote's own
    quotation marks with the punctuation inside them ("“... today.”")."""
    m = OPENING.search(text, max(0, start - 2), start)
    closing = CLOSING.match(text, end)
    if m and closing:
        start, end = m.start(), closing.end()
    elif closing and len(QUOTE_MARK.findall(text, start, end)) % 2:
        end = closing.end()  # "... called it “a disgrace.”"
    m = COMPLEMENTISER.search(text, max(0, start - 12), start)
    if m:
        start = m.start()
    return start, end


def _joined(text: str, chars: set[int]) -> Chars:
    """Pieces of one content separated only by white space are one piece."""
    ordered = sorted(chars)
    for a, b in zip(ordered, ordered[1:]):
        if b > a + 1 and not text[a + 1:b].strip():
            chars.update(range(a + 1, b))
    return Chars(chars)


def to_polnear(text: str, found, doc=None) -> list[Relation]:
    """claimledger's attributions (`claims.attribution.Attribution`) as PolNeAR relations.

    The article's own assertions are not attributions. Contents are put in PolNeAR's extent
    (`content_extent`), and a speaker's words are one content however the text splits them:
    the quote that resumes after the cue ("“A,” she said, “B.”") and the quoted sentences that
    continue it (claimledger's "continued quote" claims) join the content, as the pieces of a
    discontinuous span. A source is its whole noun phrase, relative clauses and appositions
    included, where claimledger keeps only the name ("Don Fowler, who helmed the DNC, said"),
    with the comma that closes an apposition. Cues are kept as found. `doc`, the parse, is
    needed for the whole noun phrase; without it the source is claimledger's phrase.
    """
    quotes = find_quotes(text)
    out: list[Relation] = []
    for a in found:
        if a.rule == "assertion":
            continue
        content = _content(text, a, quotes)
        if a.rule == "continued quote" and out and out[-1].cue:
            out[-1].content = _joined(text, set(out[-1].content) | content)
            continue
        out.append(Relation(_source(text, a, doc), _span(a.cue_start, a.cue_end), Chars(content)))
    return out


def _content(text: str, a, quotes: list[tuple[int, int]]) -> set[int]:
    """The characters of an attribution's content, with the other half of a split quote."""
    content = set(range(*content_extent(text, a.content_start, a.content_end)))
    if a.quote != "direct" or a.cue_start is None:
        return content
    if a.content_end <= a.cue_start:  # "“A,” she said, “B.”"
        other = next(((qs, qe) for qs, qe in quotes if qs >= a.cue_end
                      and RESUMED.fullmatch(text, a.cue_end, qs)), None)
    elif a.content_start >= a.cue_end:  # "“If you look back,” Scott said, “I could ...”"
        left = min(a.cue_start, a.source.start if a.source.start is not None else a.cue_start)
        other = next(((qs, qe) for qs, qe in quotes if qe <= left
                      and not text[qe:left].strip(" ,")), None)
    else:
        other = None
    if other:
        content |= set(range(*other))
    return content


def _source(text: str, a, doc) -> Chars:
    """The characters of an attribution's source: its whole noun phrase where `doc` is given."""
    if a.source.kind == "reports" or a.source.start is None:
        return Chars()
    start, end = a.source.start, a.source.end
    if doc is not None and a.rule == "verb":
        subject = subject_of(doc[a.cue_token])
        if subject is not None and subject.i < a.cue_token and start <= subject.idx < end:
            toks = list(subject.subtree)  # relative clauses and all
            start = toks[0].idx
            end = max(end, toks[-1].idx + len(toks[-1].text))
            while end > start and text[end - 1] in ",;:—– ":
                end -= 1
    if a.cue_start is not None and end <= a.cue_start and text[end:end + 1] in (",", ")") \
            and not text[end + 1:a.cue_start].strip():
        end += 1  # "Jane Doe, a spokeswoman, said"
    return _span(start, end)


def predict(docs) -> Iterable[list[Relation]]:
    for doc in docs:
        yield to_polnear(doc.text, AttributionFinder(doc).find(), doc)


def parse_only(nlp) -> list[str]:
    """The components of claimledger's pipeline that attribution does not read, to disable."""
    return [n for n in nlp.pipe_names
            if n.startswith("claimledger_") and n != "claimledger_paragraph_breaks_v1"]


# -- writing predictions --------------------------------------------------------------------
def _runs(chars: Chars) -> list[list[int]]:
    """A character set as its contiguous [start, end) runs."""
    runs: list[list[int]] = []
    for c in sorted(chars):
        if runs and c == runs[-1][1]:
            runs[-1][1] = c + 1
        else:
            runs.append([c, c + 1])
    return runs


def _offsets(chars: Chars) -> str:
    """BRAT offsets of a character set: contiguous runs joined by ';'."""
    return ";".join(f"{s} {e}" for s, e in _runs(chars))


def _fragment(text: str, chars: Chars) -> str:
    return " ".join(text[s:e] for s, e in _runs(chars)).replace("\n", " ")


def write_ann(path: Path, text: str, relations: list[Relation]) -> None:
    """One BRAT `.ann`: Source, Cue and Content text-bound annotations and an `Attribution`
    event per relation (triggered on the cue), as PolNeAR writes them."""
    lines: list[str] = []
    t = 0
    for e, rel in enumerate(relations, 1):
        args = []
        for role, chars in (("Source", rel.source), ("Cue", rel.cue), ("Content", rel.content)):
            if chars:
                t += 1
                lines.append(f"T{t}\t{role} {_offsets(chars)}\t{_fragment(text, chars)}")
                args.append(f"{role}:T{t}")
        trigger = rel.cue or rel.content
        kind = "Attribution" if rel.source else "Attribution-no-source"
        t += 1
        lines.append(f"T{t}\t{kind} {_offsets(trigger)}\t{_fragment(text, trigger)}")
        lines.append(f"E{e}\t{kind}:T{t} " + " ".join(args))
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


# -- the command ----------------------------------------------------------------------------
def score(gold: list[Article], predicted: list[list[Relation]]) -> dict:
    counts = {k: [0, 0, 0] for k in ("source", "source_overlap", "cue", "cue_overlap",
                                     "content", "content_overlap", "relation")}
    for article, relations in zip(gold, predicted):
        for role in ROLES:
            pred_spans = [getattr(r, role) for r in relations if getattr(r, role)]
            gold_spans = article.spans.get(role, [])
            for key, matches in ((role, exact_matches), (f"{role}_overlap", overlap_matches)):
                c = counts[key]
                c[0] += matches(pred_spans, gold_spans)
                c[1] += len(pred_spans)
                c[2] += len(gold_spans)
        c = counts["relation"]
        c[0] += relation_matches(relations, article.relations)
        c[1] += len(relations)
        c[2] += len(article.relations)
    result: dict = {}
    for key, (matched, n_pred, n_gold) in counts.items():
        add_prf(result, f"{key}_", matched, n_pred, n_gold)
    result["articles"] = len(gold)
    result["gold_attributions"] = counts["relation"][2]
    result["predicted_attributions"] = counts["relation"][1]
    return result


def evaluate(directory: str, nlp, *, predictions: Optional[str] = None,
             limit: Optional[int] = None,
             progress: Optional[Callable[[int, int], None]] = None) -> dict:
    articles = load(directory, limit)
    out_dir = Path(predictions) if predictions else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    predicted: list[list[Relation]] = []
    docs = nlp.pipe((a.text for a in articles), batch_size=8, disable=parse_only(nlp))
    for article, relations in zip(articles, predict(docs)):
        predicted.append(relations)
        if out_dir is not None:
            write_ann(out_dir / f"{article.name}.ann", article.text, relations)
        if progress:
            progress(len(predicted), len(articles))
    result = score(articles, predicted)
    result["method"] = METHOD
    return result
