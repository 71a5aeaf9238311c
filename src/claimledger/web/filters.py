"""The filters of the claims and events lists, read once from the query string and shared by
the pages, the API and the downloads, so that a list and its CSV hold the same rows."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal, Optional
from urllib.parse import urlencode

from fastapi import HTTPException, Path, Query

from claimledger.models import iso_day

PAGE = 50  # rows per page of a list
# The facets of the claims list (`Ledger.claim_facets`), as the page titles them.
FACET_TITLES = {"certainty": "Certainty", "kind": "Source kind", "source_id": "Source",
                "outlet": "Outlet", "country": "Country", "place": "Place", "event": "Event",
                "quote": "Quote", "month": "Published"}


def _day(value: Optional[str], *, last: bool) -> Optional[str]:
    if not value or not value.strip():
        return None
    try:
        return iso_day(value, last=last)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def _text(value: Optional[str]) -> Optional[str]:
    """A filter as typed, spaces tidied and at most 200 characters; None when empty."""
    value = " ".join((value or "").split())
    return value[:200] or None


class Filters:
    page: int

    def ledger_args(self) -> dict[str, Any]:
        """The keywords of the Ledger's listing (without the page)."""
        return {k: v for k, v in asdict(self).items() if k != "page"}  # type: ignore[call-overload]

    def query(self, **changes: Any) -> str:
        """The query string of these filters with `changes` (page=2): a stable URL."""
        values = {**asdict(self), **changes}  # type: ignore[call-overload]
        for name, default in (("page", 1), ("sort", "published")):
            if values.get(name) == default:
                values.pop(name)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def _page(self, listing: Any, size: int) -> tuple[list[Any], bool]:
        """This page of the listing, read one row further to tell whether there is a next
        page; 400 for a filter the ledger does not know (a certainty, a status)."""
        try:
            found = listing(**self.ledger_args(), limit=size + 1,
                            offset=(self.page - 1) * size)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        return found[:size], len(found) > size

    @property
    def any(self) -> bool:
        return any(v for k, v in asdict(self).items()  # type: ignore[call-overload]
                   if k not in ("page", "sort"))


@dataclass
class ClaimFilters(Filters):
    search: Optional[str] = None
    source: Optional[str] = None
    certainty: Optional[str] = None
    place: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None
    document: Optional[str] = None
    source_id: Optional[int] = None
    kind: Optional[str] = None
    outlet: Optional[str] = None
    quote: Optional[str] = None
    event: Optional[str] = None
    sort: str = "published"
    page: int = 1

    def ledger_args(self) -> dict[str, Any]:
        return {**super().ledger_args(), "certainty": self.certainty or ()}

    def read(self, ledger: Any, size: int = PAGE) -> tuple[list[Any], bool]:
        """This page of claims, and whether there is a next one."""
        return self._page(ledger.claims, size)


@dataclass
class EventFilters(Filters):
    status: Optional[str] = None
    type: Optional[str] = None
    place: Optional[str] = None
    source: Optional[str] = None
    search: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None
    page: int = 1

    def ledger_args(self) -> dict[str, Any]:
        return {**super().ledger_args(), "status": self.status or ()}

    def read(self, ledger: Any, size: int = PAGE, *,
             whole: bool = False) -> tuple[list[Any], bool]:
        """This page of events, as their summaries (whole: assessed), and whether there is
        a next one."""
        return self._page(ledger.events if whole else ledger.event_summaries, size)


PAGE_QUERY = Query(1, ge=1, le=100000, description="Page of 50 rows")
ID_MAX = 2**63 - 1  # the largest number a ledger (SQLite, PostgreSQL) holds
SourceId = Annotated[int, Path(ge=1, le=ID_MAX, description="The source's number")]


def claim_filters(
    search: Optional[str] = Query(None, description="Full-text search in content and evidence"),
    source: Optional[str] = Query(None, description="Source name, phrase or affiliation "
                                                    "contains this"),
    certainty: Optional[str] = Query(None, description="Certainty codes or words, commas "
                                                       "between (PR+, asserted, denied)"),
    place: Optional[str] = Query(None, description="A place named in the claim (name or ISO "
                                                   "country code)"),
    since: Optional[str] = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD"),
    until: Optional[str] = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD"),
    document: Optional[str] = Query(None, description="Only claims of this document id"),
    source_id: Optional[int] = Query(None, ge=1, le=ID_MAX,
                                     description="Only claims of this source (its number)"),
    kind: Optional[str] = Query(None, description="The source's kind: person, government, "
                                                  "anonymous, organisation, ..."),
    outlet: Optional[str] = Query(None, description="The document's outlet, exactly"),
    quote: Optional[str] = Query(None, description="direct, indirect, mixed or none"),
    event: Optional[str] = Query(None, description="Only claims of this event id"),
    sort: Literal["published", "newest", "source", "certainty"] = Query(
        "published", description="Order: oldest first (published), newest first, by source "
                                 "name, or by certainty (most committed first)"),
    page: int = PAGE_QUERY,
) -> ClaimFilters:
    return ClaimFilters(search=_text(search), source=_text(source), certainty=_text(certainty),
                        place=_text(place), since=_day(since, last=False),
                        until=_day(until, last=True), document=_text(document),
                        source_id=source_id, kind=_text(kind), outlet=_text(outlet),
                        quote=_text(quote), event=_text(event), sort=sort, page=page)


def event_filters(
    status: Optional[str] = Query(None, description="reported, corroborated, confirmed, "
                                                    "disputed, denied (commas between)"),
    type: Optional[str] = Query(None, description="A PLOVER type (ASSAULT) or OTHER"),
    place: Optional[str] = Query(None, description="A place named in one of its claims"),
    source: Optional[str] = Query(None, description="A source of one of its claims"),
    search: Optional[str] = Query(None, description="Full-text search in its claims"),
    since: Optional[str] = Query(None, description="Reported on or after: YYYY[-MM[-DD]]"),
    until: Optional[str] = Query(None, description="Reported on or before: YYYY[-MM[-DD]]"),
    page: int = PAGE_QUERY,
) -> EventFilters:
    return EventFilters(status=_text(status), type=_text(type), place=_text(place),
                        source=_text(source), search=_text(search),
                        since=_day(since, last=False), until=_day(until, last=True), page=page)


_COUNTS: "OrderedDict[tuple, tuple[tuple, Any]]" = OrderedDict()
_COUNTS_LOCK = threading.Lock()
COUNTS_KEPT = 512  # filter combinations whose counts (facets, events over time) are kept


def cached_facets(ledger: Any, filters: ClaimFilters) -> dict[str, list[tuple[Any, int]]]:
    """The facet counts of these filters (`Ledger.claim_facets`), cached."""
    args = {k: v for k, v in filters.ledger_args().items() if k != "sort"}  # any order
    return _cached(ledger, "facets", args,
                   lambda: ledger.claim_facets(list(FACET_TITLES), **args))


def cached_event_dates(ledger: Any, filters: EventFilters) -> list[Optional[str]]:
    """The first publication day of every event of these filters (`Ledger.event_dates`),
    for the counts over time, cached."""
    args = filters.ledger_args()
    return _cached(ledger, "event_dates", args, lambda: ledger.event_dates(**args))


def _cached(ledger: Any, what: str, args: dict[str, Any], count: Any) -> Any:
    """What `count()` gives for these arguments: counted once, and again only when the
    ledger's claims or events have changed since (`Store.stamp`); the latest COUNTS_KEPT
    kept."""
    key = (ledger.path, what, tuple(sorted(args.items(), key=str)))
    stamp = ledger.store.stamp()
    with _COUNTS_LOCK:
        found = _COUNTS.get(key)
        if found and found[0] == stamp:
            _COUNTS.move_to_end(key)
            return found[1]
    counted = count()
    with _COUNTS_LOCK:
        _COUNTS[key] = (stamp, counted)
        while len(_COUNTS) > COUNTS_KEPT:
            _COUNTS.popitem(last=False)
    return counted
