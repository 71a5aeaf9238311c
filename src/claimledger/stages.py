"""Ingest, stage by stage: what happens to an article between its file and the ledger.

Each stage is a function over plain records (`models.py`); `Ledger.ingest_articles` runs
them in order, in batches, with the parsing stages in worker processes where there are any
(`workers.py`), and keeps the report (what was stored, skipped and why).

1. **read** (`ingest/`): files, folders, feeds, JSONL, WARC, URLs and standard input become
   `Article` records, or `Rejected` ones with the reason (binary, undecodable, too large).
2. **screen** (`screen`): an article with too few words, in another language or too long
   is rejected with the reason; one whose content is in the ledger already (or earlier in
   this run) is a duplicate. What passes is `Screened`: the article, the text every offset
   will point into (`stored_text`: the title, a blank line, the body) and its content hash.
3. **parse** and 4. **build claims** (`workers.analyse`): the spaCy pipeline (`nlp/`) over a
   batch; at the border (`claims/build.py`) each Doc becomes its `Claim` records and its
   `Gist`, and the spaCy objects go. A component that fails on a document is left out for
   that document (a warning); one past its time budget is skipped (`Analysed`).
5. **dedupe** (`store_article`): the body's shingle signature, and the group of the stored
   repost or syndicated copy it matches (the store's band index, never all pairs).
6. **link** (`link/`): the article's story and its claims' events (`Linker.link`), computed
   once the store's write lock is held.
7. **store** (`store_article`): the document, its claims and their links in one transaction
   (`Store.add_document`): a crash loses at most the document being written.
8. **re-cluster** (`recluster`): a story that has reached one of the sizes at which it is
   clustered again is split where its articles fall apart, and takes in the small stories
   that began before it and now fit it (`link/stories.py`, steps 5 and 6), in the
   transaction of the article that grew it: a crash loses both or neither, so that an
   ingest resumed after a crash gives the ledger an uninterrupted one gives.
9. **assess** (`store_assessments`): the events whose claims changed are assessed
   (`assess/events.py`) and the assessment stored, as ingest ends and every `ASSESS_EVERY`
   articles, so that reading an event does not assess it again; with fewer parsing
   workers than cores, also whenever the writer is waiting for them (`IDLE_LARGEST`).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Optional

from claimledger.assess.events import assess
from claimledger.ingest import dedupe
from claimledger.link.events import ArticleLinks, Linker
from claimledger.link.stories import SPLIT_AT
from claimledger.models import Article, Claim, Event, EventSummary, Rejected
from claimledger.settings import Settings
from claimledger.store.sqlite import Store
from claimledger.workers import Analysed

log = logging.getLogger(__name__)
WORD = re.compile(r"\w+")
ASSESS_EVERY = 500  # articles stored between two rounds of storing changed events' assessments
# While the writer waits for the parsing workers, it assesses the changed events of at most
# this many claims (smallest first): work that would otherwise wait for the end of the
# ingest, done on a core that is idle; a larger event, assessed again and again as it grows,
# would cost more than the wait it fills, and is left to the rounds above.
IDLE_LARGEST = 200
# The assessment's rules: bump when `assess/` changes what it computes, so that assessments
# stored by older rules are made again (on read, and by the next ingest).
ASSESSMENT_VERSION = 2  # 2: each status change names the claims that made it


class Screened(NamedTuple):
    """An article that passed screening (stage 2)."""

    article: Article
    text: str  # the text every offset points into (`stored_text`)
    digest: str  # its content hash


@dataclass
class Stored:
    """An article stored (stage 7): its document id, how many claims, the repost group it
    joined (None: none) and its links."""

    document_id: str
    claims: int
    group: Optional[str]
    links: Optional[ArticleLinks]  # None: not linked (the linker failed on it: `warnings`)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (stage, message)


def stored_text(article: Article) -> str:
    """The text every offset points into: the title, a blank line, then the article."""
    body = article.text.strip("\n")
    title = (article.title or "").strip()
    if title and not body.startswith(title):
        return f"{title}\n\n{body}"
    return body


def document_id(digest: str) -> str:
    return digest[:16]


def origin(item: Article | Rejected) -> str:
    """Where an input came from, as the report names it."""
    if isinstance(item, Rejected):
        return item.origin
    return item.origin or item.url or "?"


def screen(item: Article | Rejected, seen: set[str], store: Store, settings: Settings,
           languages: set[str]) -> Rejected | Screened | None:
    """Stage 2: the article screened; a Rejected with the reason; or None for content already
    in the ledger (or in `seen`, the hashes screened earlier in this run, which it joins)."""
    if isinstance(item, Rejected):
        return item
    _clean_strings(item)
    words = len(WORD.findall(item.text))
    if words < settings.min_words:
        return Rejected(origin(item), f"no article text (only {words} word(s); at least "
                                      f"{settings.min_words} needed)")
    if item.language and item.language not in languages:
        return Rejected(origin(item), f"language is {item.language!r}, not "
                                      f"{'/'.join(sorted(languages))}: claims are "
                                      "extracted from English only")
    text = stored_text(item)
    if len(text) > settings.max_chars:
        return Rejected(origin(item), f"article too long ({len(text):,} characters > "
                                      f"{settings.max_chars:,})")
    digest = dedupe.content_hash(text)
    if digest in seen or store.has_hash(digest):
        return None
    seen.add(digest)
    return Screened(item, text, digest)


def store_article(store: Store, linker: Linker, settings: Settings, screened: Screened,
                  analysed: Analysed) -> Optional[Stored]:
    """Stages 5 to 8 for one analysed article: dedupe, link, store and re-cluster the
    story it grew, in one transaction.
    None where another ingest stored the same content meanwhile. Raises where the article
    could not be stored (nothing of it is then stored)."""
    article, text, digest = screened
    claims: list[Claim] = analysed.claims
    did = document_id(digest)
    # Reposts change titles and add a credit line: compare the article bodies.
    signature = dedupe.shingle_signature(article.text)
    bands = dedupe.band_keys(signature)
    group, similarity = dedupe.nearest(signature, store.band_candidates(bands),
                                       settings.near_duplicate_threshold)
    found: list[ArticleLinks] = []
    warnings = list(analysed.warnings)

    def links() -> Optional[ArticleLinks]:
        try:
            found.append(linker.link(claims, article.published_at, analysed.gist, did))
        except Exception as exc:  # the article is stored unlinked, with the reason
            log.warning("%s: linking failed, stored without its story and events: %s",
                        origin(article), exc)
            warnings.append(("link", f"{type(exc).__name__}: {exc}"))
            return None
        return found[-1]

    def grown(found: ArticleLinks) -> None:
        if found.story.recluster:
            recluster(store, linker, found.story.story_id)

    if not store.add_document(did, digest, article, text, signature, group,
                              similarity if group else None, claims, links,
                              warnings=warnings, bands=bands, after=grown):
        return None
    return Stored(did, len(claims), group, found[0] if found else None,
                  warnings[len(analysed.warnings):])


def recluster(store: Store, linker: Linker, story_id: str) -> None:
    """Stage 8: cluster a story's articles again now that it has grown, split it where they
    fall apart, and take in the small stories that fit it; where taking them in carried it
    past another of the sizes at which it is clustered again, cluster it again at once. Its
    articles are written already, in the transaction that calls this: a failure here costs
    the split (its savepoint is undone), never an article."""
    _split(store, linker, story_id)
    try:
        absorbed = store.absorb_stories(lambda: linker.plan_absorb(story_id))
    except Exception as exc:
        log.warning("story %s could not take in the small stories that fit it: %s",
                    story_id, exc)
        return
    if absorbed is None:
        return
    log.info("story %s took in %s", story_id,
             "; ".join(f"{sid} ({why})" for sid, why in absorbed.absorbed))
    if any(absorbed.before < size <= absorbed.profile.articles for size in SPLIT_AT):
        _split(store, linker, story_id)


def _split(store: Store, linker: Linker, story_id: str) -> None:
    try:
        split = store.split_story(lambda: linker.plan_split(story_id))
        if split is not None:
            log.info("story %s split: %s", story_id, split.reason)
    except Exception as exc:
        log.warning("story %s could not be clustered again: %s", story_id, exc)


def store_assessments(store: Store, *, stop: Optional[Callable[[], bool]] = None,
                      largest: Optional[int] = None) -> int:
    """Stage 9: assess the events whose claims changed since they were last assessed (or
    that were assessed by other rules, `ASSESSMENT_VERSION`), and store the assessments.
    Each is computed outside the write lock and stored only if the event's claims are still
    the ones it was computed from. An event that could not be assessed is assessed when
    read. Returns how many were stored.

    A round in the writer's idle time (`IDLE_LARGEST`) passes `stop`, asked before each
    event (the round ends when it says so), and `largest`, the most claims an event may have
    to be assessed in this round; the events it leaves are assessed by a later round."""
    stored = 0
    for eid in store.unassessed_events(ASSESSMENT_VERSION, largest=largest):
        if stop is not None and stop():
            break
        try:
            ids = store.event_claim_ids(eid)
            record = assessment_record(assess(eid, store.load_claims(ids)))
            stored += store.save_assessment(eid, ids, ASSESSMENT_VERSION, record)
        except Exception as exc:  # the event is assessed when read instead
            log.warning("event %s could not be assessed: %s", eid, exc)
    return stored


def read_assessment(event_id: str, stored: Optional[tuple[str, Optional[str], str]],
                    store: Store) -> Event:
    """The event as stored (`stored`, from `Store.assessments`), or assessed now from its
    claims where nothing usable is stored."""
    if stored:
        try:
            return Event.from_dict(json.loads(stored[2]))
        except (TypeError, ValueError, KeyError) as exc:  # a record the Event no longer fits
            log.warning("the stored assessment of event %s could not be read (%s); "
                        "assessing it again", event_id, exc)
    return assess(event_id, store.load_claims(store.event_claim_ids(event_id)))


def assessment_record(event: Event) -> tuple[str, Optional[str], str, str]:
    """What the store keeps of an assessed event: its status, its type, the Event as JSON,
    less its story, changes and analysts' verdicts (read as they are), and the summary a
    listing shows (`EventSummary`, as JSON, less the same)."""
    record: dict[str, Any] = event.to_dict()
    del record["story"], record["changes"], record["verdicts"]
    summary = EventSummary.of(event).to_dict()
    del summary["story"], summary["verdicts"]
    return (event.status, event.type, json.dumps(record, ensure_ascii=False),
            json.dumps(summary, ensure_ascii=False))


def read_summary(event_id: str, stored: Optional[tuple[str, Optional[str], str]],
                 store: Store) -> EventSummary:
    """The event's summary as stored (`stored`, from `Store.summaries`), or from the event
    assessed now where none is stored."""
    if stored:
        try:
            return EventSummary(**json.loads(stored[2]))
        except (TypeError, ValueError, KeyError):
            pass  # a summary the record no longer fits: made again from the event
    full = store.assessments([event_id], ASSESSMENT_VERSION).get(event_id)
    return EventSummary.of(read_assessment(event_id, full, store))


def safe(value: str, errors: str = "replace") -> str:
    """Text SQLite and the JSON exports can hold: lone surrogates (from JSON "\\ud800" or
    undecodable file names) become '?' or a backslash escape."""
    return value.encode("utf-8", errors).decode("utf-8")


def _clean_strings(article: Article) -> None:
    for name in ("text", "title", "url", "outlet", "author", "published_at"):
        value = getattr(article, name)
        if isinstance(value, str):
            setattr(article, name, safe(value))
    for piece in article.boilerplate:
        piece.text = safe(piece.text)
    if article.origin:
        article.origin = safe(article.origin, "backslashreplace")
