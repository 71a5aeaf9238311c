"""The plain typed records that cross module borders.

Every stage of the pipeline hands the next one these records, never a spaCy object. Offsets
(`start`, `end`) are character offsets into the stored document text: `text[start:end]`
reproduces the evidence exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, NotRequired, Optional, Sequence, TypedDict

# FactBank factuality values and the plain words shown to analysts.
CERTAINTY_WORDS = {
    "CT+": "asserted",
    "PR+": "expected",
    "PS+": "possible",
    "CT-": "denied",
    "PR-": "not expected",
    "PS-": "not possible",
    "Uu": "unconfirmed",
}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """A record as dicts, lists and values, as `dataclasses.asdict` gives it, without the
    deep copy of every value that makes `asdict` slow on an event of thousands of parts."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES.get(type(value))
        if names is None:
            names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
        return {n: plain(getattr(value, n)) for n in names}
    if isinstance(value, tuple):
        return type(value)(*map(plain, value)) if hasattr(value, "_fields") else \
            tuple(plain(v) for v in value)
    return value


def iso_day(value: str, *, last: bool = False) -> str:
    """An analyst's date, YYYY, YYYY-MM or YYYY-MM-DD, as an ISO day: a year or month means
    its first day, or its last with `last` (an --until). ValueError for anything else."""
    import calendar
    import datetime as dt
    import re

    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    try:
        if not m:
            raise ValueError
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        month_n = int(month) if month else (12 if last else 1)
        day_n = int(day) if day else (calendar.monthrange(year, month_n)[1] if last else 1)
        return dt.date(year, month_n, day_n).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)") from None


def certainty_codes(values: Sequence[str] | str) -> list[str]:
    """FactBank codes for certainties given as codes ("PR+") or words ("expected", "denied",
    "not confirmed"), a list or commas. Raises ValueError for anything else."""
    words = {w: c for c, w in CERTAINTY_WORDS.items()} | {"not confirmed": "Uu"}
    if isinstance(values, str):
        values = values.split(",")
    codes = []
    for part in (v.strip() for v in values):
        if not part:
            continue
        if part in CERTAINTY_WORDS:
            codes.append(part)
        elif " ".join(part.lower().split()) in words:
            codes.append(words[" ".join(part.lower().split())])
        else:
            raise ValueError(f"unknown certainty {part!r}; use one of "
                             f"{', '.join(CERTAINTY_WORDS)} or {', '.join(words)}")
    return codes

SOURCE_KINDS = (
    "person",  # a named person
    "anonymous",  # an unnamed official, officer, source
    "organisation",
    "government",
    "media",  # a media outlet
    "reports",  # unattributed "reports", "sources say"
    "author",  # the article's author / publisher voice
)

QUOTE_KINDS = ("direct", "indirect", "mixed", "none")


@dataclass
class Boilerplate:
    """A piece of the page cut from the article text and kept aside."""

    text: str
    reason: str  # "read more", "donation appeal", "view counter", ...


@dataclass
class Article:
    """One article as read by ingest, before NLP. `text` is the clean article text."""

    text: str
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    author: Optional[str] = None
    published_at: Optional[str] = None  # ISO date or datetime
    published_from: Optional[str] = None  # "metadata" | "argument" | "text" | None
    language: Optional[str] = None
    boilerplate: list[Boilerplate] = field(default_factory=list)
    origin: Optional[str] = None  # the file, URL or feed it came from
    raw_format: Optional[str] = None  # "text" | "html" | "feed" | "jsonl"
    # Where its outlet is based, from the places of the outlet's earlier articles in the
    # ledger (`places.outlet_home`): set by the ledger before parsing, not stored.
    outlet_home: Optional[tuple[float, float]] = None


@dataclass
class Rejected:
    """An input that could not become an article, with the reason an analyst reads."""

    origin: str
    reason: str


@dataclass
class TimeExpr:
    text: str
    start: int
    end: int
    value: Optional[str]  # TIMEX3-style: "2024-10-23", "2024-10", "2024-W44", "P1M", "PRESENT_REF"
    type: str = "DATE"  # DATE | TIME | DURATION | SET
    granularity: Optional[str] = None  # day | month | year | week | quarter | season | decade | ...
    interval_start: Optional[str] = None  # ISO date, inclusive
    interval_end: Optional[str] = None  # ISO date, inclusive
    modifier: Optional[str] = None  # TIMEX3 mod: START, MID, END, BEFORE, AFTER, ON_OR_BEFORE...
    anchor: Optional[str] = None  # "publication" | "utterance" | "absolute" | "inferred"


@dataclass
class Place:
    text: str
    start: int
    end: int
    name: str
    country_code: Optional[str]  # ISO 3166-1 alpha-2
    feature: str  # "country" | "admin1" | "city" | "region" | ...
    lat: Optional[float] = None
    lon: Optional[float] = None
    geonames_id: Optional[int] = None
    score: float = 1.0
    alternatives: int = 0  # how many other candidates the name had


@dataclass
class Quantity:
    text: str
    start: int
    end: int
    low: Optional[float]
    high: Optional[float]
    modifier: Optional[str] = None  # "up to", "at least", "about", "several", ...
    unit: Optional[str] = None  # what is counted: "soldiers"
    predicate: Optional[str] = None  # the lemma of what is said of them: "strand", "injure"


@dataclass
class Mention:
    """An entity named in the text, with a canonical id where one is known."""

    text: str
    start: int
    end: int
    type: str  # spaCy label or "COUNTRY", "DEMONYM", "METONYM"
    canonical: Optional[str] = None  # e.g. "KP" for "Pyongyang" used as a metonym


@dataclass
class Happening:
    """The word in a claim's content that names what happened, and its event type.

    `type` is a PLOVER event type ("ASSAULT", "MOBILIZE", "CONSULT", ...) or "OTHER" for a
    happening outside PLOVER, with `mode` the PLOVER mode or the plain label ("disaster")."""

    text: str
    start: int
    end: int
    lemma: str
    type: str
    mode: Optional[str] = None


@dataclass
class Source:
    name: str  # the canonical name ("Kyrylo Budanov", "unattributed reports")
    kind: str  # one of SOURCE_KINDS
    phrase: Optional[str] = None  # the full phrase in the text
    role: Optional[str] = None
    affiliation: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    id: Optional[int] = None  # the ledger's number for the source, once read back from it


@dataclass
class DocumentInfo:
    """What a claim record says of the document it was found in."""

    id: str
    url: Optional[str] = None
    title: Optional[str] = None
    outlet: Optional[str] = None
    published_at: Optional[str] = None
    published_from: Optional[str] = None
    duplicate_group: Optional[str] = None
    # Stages that failed on the document (e.g. "claimledger_places_v1"): its claims lack
    # that stage's output, which is not the same as the text having none.
    warnings: list[str] = field(default_factory=list)


@dataclass
class Claim:
    document_id: str
    text: str  # the evidence: document text[start:end]
    start: int
    end: int
    content: str
    content_start: int
    content_end: int
    cue: Optional[str]
    cue_start: Optional[int]
    cue_end: Optional[int]
    quote: str  # direct | indirect | mixed | none
    source: Source
    channel: list[str]
    certainty: str
    polarity: str  # "positive" | "negative"
    extractor: str
    times: list[TimeExpr] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    said_at: Optional[TimeExpr] = None  # when the source said it, where the text tells
    happening: Optional[Happening] = None  # what the content says happened, and its type
    # Stable: a hash of the document id, spans and source (`claims.build.claim_id`). Given by
    # keyword, which lets it follow the fields with defaults and keep its place in the record.
    id: str = field(kw_only=True)
    document: Optional[DocumentInfo] = None  # filled when read back from the ledger

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass
class Gist:
    """What a whole article is about, for finding the story it belongs to: its content
    words and named entities with their counts, and the names and years of its title and
    lead. Built once per article at the spaCy border."""

    terms: dict[str, int] = field(default_factory=dict)  # lemma -> count
    names: dict[str, int] = field(default_factory=dict)  # casefolded entity name -> count
    lead: list[str] = field(default_factory=list)  # the names in the title and lead
    lead_years: list[str] = field(default_factory=list)  # the years named in the lead
    people: list[str] = field(default_factory=list)  # the names (of `names`) of people


# What a claim does toward its event, in the words an analyst uses.
STANCES = (
    "supports",  # asserts it, or that it is probable or possible
    "confirms",  # an involved party asserts it, or a source confirms it in so many words
    "unconfirmed",  # relayed without commitment ("unconfirmed reports suggest")
    "not confirmed",  # a source would not or could not confirm it
    "denies",  # a denial, or an involved party saying it did not happen
    "negative",  # a negative statement that denies nothing about the event itself
)

EVENT_STATUSES = ("reported", "corroborated", "confirmed", "disputed", "denied")


@dataclass
class EventOrigin:
    """One origin of the claims in an event: a source's statement however often relayed."""

    source: str
    kind: str
    affiliation: Optional[str]
    independence: str  # origins with the same value are not independent ("country:UA")
    stance: str  # one of STANCES
    claims: list[str] = field(default_factory=list)
    reports: int = 0  # documents carrying it, a repost group counted once
    outlets: list[str] = field(default_factory=list)


@dataclass
class Contradiction:
    kind: str  # "quantity" | "polarity" | "time" | "place"
    claims: list[str]
    detail: str


class OriginFigure(TypedDict):
    """The figure one origin gave for a measure of an event, and the claims that give it."""

    origin: int  # the origin's index in the event's origins
    source: str
    affiliation: Optional[str]
    text: str
    unit: Optional[str]
    low: Optional[float]
    high: Optional[float]
    modifier: Optional[str]
    claims: list[str]


@dataclass
class FusedQuantity:
    """One measure of an event (what is counted, and what is said of it) over all origins."""

    unit: str
    predicate: Optional[str]
    low: Optional[float]  # the lowest figure any origin gave ("no more than 12" gives 12)
    high: Optional[float]  # the highest ("at least 20" gives 20)
    by_origin: list[OriginFigure] = field(default_factory=list)


class EventActor(TypedDict):
    """A country named in an event's claims."""

    code: str  # ISO 3166-1 alpha-2
    name: str
    claims: int  # how many claims name it
    involved: NotRequired[bool]  # took part in the happening; set once the parties are known


class EventPlace(TypedDict):
    """A place named in an event's claims."""

    name: str
    country_code: Optional[str]
    feature: str
    lat: Optional[float]
    lon: Optional[float]
    geonames_id: Optional[int]
    claims: int  # how many claims name it


class StatusChange(TypedDict):
    """The status an event took on a publication day, and why."""

    date: Optional[str]  # the day, None for undated documents
    status: str  # one of EVENT_STATUSES
    # The claims that decide the status then and were published that day (all that decide
    # it where none was): what changed it. At most 10.
    evidence: NotRequired[list[str]]


class TimelineEntry(TypedDict):
    """One claim of an event, in publication order."""

    claim: str
    published_at: Optional[str]
    document: str
    outlet: Optional[str]
    source: str
    certainty: str
    stance: str  # one of STANCES
    about_start: Optional[str]  # the earliest day the claim's times are about
    about_end: Optional[str]  # the latest
    content: str


class EventChange(TypedDict):
    """A merge or split an event or story took part in."""

    at: str  # when, ISO datetime
    change: str  # "merge" | "split" | "story merge"
    target: str  # the event or story that remains or was split
    other: str  # the one merged into it, or split from it
    claims: Optional[int]  # claims moved
    reason: str


# What an analyst may conclude of a claim or an event, in their words.
VERDICTS = ("verified", "false", "misleading", "unverifiable", "needs work")


@dataclass
class Verdict:
    """An analyst's verdict on a claim or an event, with a note: who, and when. Stored in
    its own table; a later verdict is added beside earlier ones, none is overwritten."""

    id: int
    target: str  # "claim" | "event"
    target_id: str
    verdict: str  # one of VERDICTS
    note: str
    analyst: str
    at: str  # ISO datetime, UTC

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass
class Event:
    """A real-world happening that claims are about, across documents, and its assessment."""

    id: str
    type: Optional[str]  # PLOVER type, "OTHER", or None when no claim names the happening
    mode: Optional[str]
    title: str  # the claim that best says what happened
    actors: list[EventActor]
    places: list[EventPlace]
    period_start: Optional[str]
    period_end: Optional[str]
    period_from: str  # "claims" (the times the claims are about) | "publication"
    first_published: Optional[str]
    last_published: Optional[str]
    status: str  # one of EVENT_STATUSES
    status_evidence: list[str]  # claim ids that decide the status
    status_history: list[StatusChange]  # [{"date", "status"}], when it changed
    origins: list[EventOrigin]
    independent_origins: int
    confirmations: list[str]
    non_confirmations: list[str]
    denials: list[str]
    quantities: list[FusedQuantity]
    contradictions: list[Contradiction]
    claims: list[str]
    timeline: list[TimelineEntry]
    documents: int = 0
    story: Optional[str] = None  # the story (cluster of articles) the event belongs to
    changes: list[EventChange] = field(default_factory=list)  # merges and splits, oldest first
    # Analysts' verdicts on the event, newest first: beside the computed status, never over it.
    verdicts: list["Verdict"] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        """The Event `to_dict` gave (as the store keeps an assessment)."""
        return cls(**{**d, "origins": [EventOrigin(**o) for o in d["origins"]],
                      "quantities": [FusedQuantity(**q) for q in d["quantities"]],
                      "contradictions": [Contradiction(**c) for c in d["contradictions"]]})


@dataclass
class EventSummary:
    """What a listing shows of an event (the events page, its map, /api/events): kept with
    its stored assessment, so that a listing never reads the whole assessment."""

    id: str
    type: Optional[str]
    mode: Optional[str]
    title: str
    status: str
    places: list[EventPlace]  # the three most named
    period_start: Optional[str]
    period_end: Optional[str]
    period_from: str
    first_published: Optional[str]
    last_published: Optional[str]
    claims: int
    documents: int
    origins: int
    independent_origins: int
    contradictions: int
    story: Optional[str] = None
    verdicts: list[Verdict] = field(default_factory=list)

    @classmethod
    def of(cls, e: "Event") -> "EventSummary":
        return cls(id=e.id, type=e.type, mode=e.mode, title=e.title, status=e.status,
                   places=e.places[:3], period_start=e.period_start, period_end=e.period_end,
                   period_from=e.period_from, first_published=e.first_published,
                   last_published=e.last_published, claims=len(e.claims),
                   documents=e.documents, origins=len(e.origins),
                   independent_origins=e.independent_origins,
                   contradictions=len(e.contradictions), story=e.story,
                   verdicts=list(e.verdicts))

    def to_dict(self) -> dict[str, Any]:
        return plain(self)
