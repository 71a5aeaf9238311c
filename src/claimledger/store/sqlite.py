"""The ledger file: plain SQLite that other tools can open.

Writes are one transaction per document (the document, its boilerplate, claims and their
times, places, quantities and mentions), so a crash leaves whole documents or none, and a
rerun stores what is missing. WAL journal: readers never block the writer.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, cast

from claimledger.errors import ClaimledgerError
from claimledger.models import (Article, Claim, DocumentInfo, EventChange, Happening, Mention,
                                Place, Quantity, Source, TimeExpr, Verdict)
from claimledger.store import migrations


class LedgerError(ClaimledgerError, RuntimeError):
    """A ledger file that cannot be opened or used, with the reason."""


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a ledger. Writing creates the file and brings its schema up to date; reading
    needs an existing, up-to-date ledger and never changes the file. A connection may be
    used from any thread, one at a time (a web server's threads take turns with its one
    writer, and close their readers together at shutdown)."""
    path = str(path)
    memory = path == ":memory:"
    if not memory:
        file = Path(path).expanduser()
        if readonly and not file.exists():
            raise LedgerError(f"no ledger at {path} (create one with: claimledger ingest "
                              f"ARTICLES --db {path})")
        if not file.resolve().parent.exists():
            raise LedgerError(f"cannot create ledger {path}: folder "
                              f"{file.resolve().parent} does not exist")
    try:
        if readonly and not memory:
            file = Path(path).expanduser().resolve()
            # On read-only media (a DVD, a read-only mount, a folder one may not write to)
            # SQLite cannot keep its -shm file: the ledger is read as an immutable file.
            fixed = not os.access(file, os.W_OK) or not os.access(file.parent, os.W_OK)
            uri = file.as_uri() + ("?mode=ro&immutable=1" if fixed else "?mode=ro")
            db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30,
                                 check_same_thread=False)
        else:
            db = sqlite3.connect(path, isolation_level=None, timeout=30,
                                 check_same_thread=False)
        db.row_factory = sqlite3.Row
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "_migrations" not in tables:
            db.close()
            raise LedgerError(f"{path} is an SQLite database but not a claimledger ledger "
                              "(it has no _migrations table); use another file")
        db.execute("PRAGMA foreign_keys = ON")
        if readonly:
            if not tables or set(migrations.pending(db)) - migrations.NOT_NEEDED_TO_READ:
                db.close()
                raise LedgerError(f"{path} is not an up-to-date claimledger ledger; "
                                  "run claimledger ingest on it first")
            return db
        if not memory:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise LedgerError(f"{path} is not a claimledger ledger (SQLite said: {exc})") from exc
    return db


class Store:
    """The ledger in an SQLite file. Its SQL is shared with the PostgreSQL ledger
    (`store.postgres`), which replaces only the few pieces marked as the engine's own."""

    # How each engine sorts NULL dates: SQLite puts them first in ascending order and last
    # in descending order; the PostgreSQL ledger says so to sort the same.
    _NULLS_FIRST = ""
    _NULLS_LAST = ""
    # A first page of many matches, read in the claims' listing order (m009).
    _in_listing_order = ("SELECT c.id FROM documents d INDEXED BY documents_order CROSS JOIN"
                         " claims c INDEXED BY claims_order ON c.document_id = d.id")

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = str(path)
        self.readonly = readonly
        self.db: Any = connect(path, readonly=readonly)

    @property
    def name(self) -> str:
        """The ledger as it is shown to the analyst."""
        return self.path

    # -- the engine's own pieces -----------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, holding the ledger's write lock from its start, so that
        what it reads is not changed by another writer before it commits. Inside another
        write (a story clustered again as the article that grew it is stored): a savepoint,
        undone alone where it fails, committed with the outer transaction."""
        if self.db.in_transaction:
            self.db.execute("SAVEPOINT inner_write")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK TO inner_write")
                self.db.execute("RELEASE inner_write")
                raise
            self.db.execute("RELEASE inner_write")
            return
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            yield

    def _add_search_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """The full-text index rows of claims: (rowid, claim id, content, evidence text,
        source name) each."""
        self.db.executemany("INSERT INTO claims_fts (rowid, claim_id, content, text, source)"
                            " VALUES (?,?,?,?,?)", rows)

    def _columns(self, table: str) -> list[str]:
        """The table's columns, in order (the rowid SQLite gives every table left out)."""
        return [r[1] for r in self.db.execute(f"PRAGMA table_info({table})")]

    def _stream(self, sql: str) -> Iterator[Sequence[Any]]:
        """The rows of a query, read as they are needed rather than all at once."""
        yield from self.db.execute(sql)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see the ledger as it was at their start, whatever writers do since
        (inside a transaction already: that one's)."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("ROLLBACK")

    def _add_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Many rows into one table (inside a write transaction); how many."""
        sql = (f"INSERT INTO {table} ({', '.join(map(quoted, columns))})"
               f" VALUES ({', '.join('?' * len(columns))})")
        added = 0
        for chunk in batches(rows, 5000):
            self.db.executemany(sql, chunk)
            added += len(chunk)
        return added

    def _rows_added(self) -> None:
        """After rows were added with their own ids (`_add_rows`): new ids follow them."""

    def _search_rows(self, search: str) -> tuple[str, str]:
        """The subquery of the rowids of claims holding every word of `search`, and its
        argument."""
        return "SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?", _fts_query(search)

    def _contains(self, text: str) -> tuple[str, str]:
        return _contains(text)

    def _among(self, ids: Sequence[Any]) -> tuple[str, Any]:
        """`IN` a list of ids of any length, as one argument."""
        return "IN (SELECT value FROM json_each(?))", json.dumps(list(ids))

    def _no_such_table(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc)

    def _no_such_column(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and "no such column" in str(exc)

    def close(self) -> None:
        """Close the ledger. A writer that is the last one out leaves the file on its own,
        in rollback-journal mode, so that reading it later (even from read-only media)
        leaves no -wal or -shm files beside it."""
        if not self.readonly and self.path != ":memory:":
            try:
                self.db.execute("PRAGMA busy_timeout = 100")  # another writer: leave it be
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.db.execute("PRAGMA journal_mode = DELETE")  # fails while others read
            except sqlite3.Error:
                pass
        self.db.close()

    # -- writing ---------------------------------------------------------------------------
    def has_hash(self, content_hash: str) -> Optional[str]:
        row = self.db.execute("SELECT id FROM documents WHERE content_hash = ?",
                              (content_hash,)).fetchone()
        return row[0] if row else None

    def band_candidates(self, bands: Sequence[str]) -> list[tuple[str, list[int]]]:
        """The (repost group, signature) of each stored document sharing one of `bands` (its
        locality-sensitive hashing band keys, `ingest.dedupe.band_keys`)."""
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        return [(row["duplicate_group"], json.loads(row["signature"])) for row in self.db.execute(
            f"SELECT DISTINCT d.id, d.duplicate_group, d.signature FROM document_bands b "
            f"JOIN documents d ON d.id = b.document_id WHERE b.band IN ({marks})", list(bands))]

    def add_document(self, document_id: str, content_hash: str, article: Article, text: str,
                     signature: list[int], group: Optional[str], similarity: Optional[float],
                     claims: Sequence[Claim], links: Any = None,
                     warnings: Sequence[tuple[str, str]] = (),
                     bands: Sequence[str] = (),
                     after: Optional[Callable[[Any], None]] = None) -> bool:
        """Store one document with everything found in it, its story and its claims' links
        to events (`link.events.ArticleLinks`), in one transaction. `links` may be a
        function: it is then called inside the transaction, once the write lock is held, so
        that the stories and events it reads are not changed by another writer before its
        links are stored; it may return None (the document is then stored unlinked), and may
        add to `warnings`, which are stored after it is called. `bands`: the signature's band
        keys, indexed to find near-duplicates (`band_candidates`; with none, no later
        document finds this one as a repost). `after`: called with the links once all is
        written, inside the same transaction (the story the article grew, clustered again:
        a crash never leaves the article stored and its story's re-clustering undone).
        Returns False, storing nothing, where a document of the same content is there
        already (another process stored it since the caller looked)."""
        db = self.db
        with self._write():
            if db.execute("SELECT 1 FROM documents WHERE content_hash = ?",
                          (content_hash,)).fetchone():  # stored by another process meanwhile
                return False
            db.execute(
                "INSERT INTO documents (id, content_hash, url, outlet, title, author, published_at,"
                " published_from, language, text, origin, format, duplicate_group, similarity,"
                " signature) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (document_id, content_hash, article.url, article.outlet, article.title,
                 article.author, article.published_at, article.published_from, article.language,
                 text, article.origin, article.raw_format, group or document_id, similarity,
                 json.dumps(signature)),
            )
            db.executemany("INSERT INTO document_bands (band, document_id) VALUES (?, ?)",
                           [(k, document_id) for k in bands])
            db.executemany(
                "INSERT INTO boilerplate (document_id, position, reason, text) VALUES (?,?,?,?)",
                [(document_id, i, b.reason, b.text) for i, b in enumerate(article.boilerplate)])
            self._add_claims(claims)
            found = links() if callable(links) else links
            if found is not None:
                self._add_links(document_id, found)
            # After linking: a linker that fails adds its warning to `warnings` and stores
            # the document unlinked.
            db.executemany(
                "INSERT INTO document_warnings (document_id, position, stage, message)"
                " VALUES (?,?,?,?)",
                [(document_id, i, stage, message) for i, (stage, message) in enumerate(warnings)])
            if after is not None and found is not None:
                after(found)
        return True

    def _add_links(self, document_id: str, links: Any) -> None:
        story = links.story
        for old in story.merged:
            self._merge("story", old, story.story_id, story.merge_reason)
        for m in links.merges:
            self._merge("event", m.merged, m.into, m.reason)
            self._save_event(m.into, m.profile)
        p = story.profile
        db = self.db
        db.execute(
            "INSERT INTO stories (id, profile, first_published, last_published, articles)"
            " VALUES (?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile,"
            " first_published = excluded.first_published,"
            " last_published = excluded.last_published, articles = excluded.articles",
            (story.story_id, p.to_json(), p.first, p.last, p.articles))
        db.executemany("INSERT INTO story_keys (key, week, story_id) VALUES (?,?,?)"
                       " ON CONFLICT DO NOTHING",
                       [(k, story.week, story.story_id) for k in story.keys])
        db.execute("INSERT INTO document_stories"
                   " (document_id, story_id, score, shared, article) VALUES (?,?,?,?,?)"
                   " ON CONFLICT(document_id) DO UPDATE SET story_id = excluded.story_id,"
                   " score = excluded.score, shared = excluded.shared,"
                   " article = excluded.article",
                   (document_id, story.story_id, story.score,
                    json.dumps(story.shared, ensure_ascii=False),
                    story.article))
        db.executemany(
            "INSERT INTO term_documents (key, documents) VALUES (?, 1)"
            " ON CONFLICT(key) DO UPDATE SET documents = term_documents.documents + 1",
            [(k,) for k in ["", *story.frequency_keys]])  # "": all documents
        for link in links.events:
            self._add_link(link)

    def _save_event(self, event_id: str, p: Any, story_id: Optional[str] = None) -> None:
        self.db.execute(
            "INSERT INTO events (id, profile, first_published, last_published, claims, story_id)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile,"
            " first_published = excluded.first_published,"
            " last_published = excluded.last_published, claims = excluded.claims,"
            " story_id = coalesce(events.story_id, excluded.story_id)",
            (event_id, p.to_json(), p.first, p.last, p.claims, story_id))

    def _merge(self, what: str, old: str, into: str, reason: str) -> None:
        """Move everything of event or story `old` into `into`; `old` stays as a redirect."""
        db = self.db
        if what == "story":
            moved = db.execute("UPDATE document_stories SET story_id = ? WHERE story_id = ?",
                               (into, old)).rowcount
            db.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (into, old))
            db.execute("INSERT INTO story_keys (key, week, story_id)"
                       " SELECT key, week, ? FROM story_keys WHERE story_id = ?"
                       " ON CONFLICT DO NOTHING", (into, old))
            db.execute("DELETE FROM story_keys WHERE story_id = ?", (old,))
            db.execute("DELETE FROM stories WHERE id = ?", (old,))
        else:
            moved = db.execute("UPDATE event_claims SET event_id = ? WHERE event_id = ?",
                               (into, old)).rowcount
            db.execute("INSERT INTO event_keys (key, week, event_id)"
                       " SELECT key, week, ? FROM event_keys WHERE event_id = ?"
                       " ON CONFLICT DO NOTHING", (into, old))
            db.execute("DELETE FROM event_keys WHERE event_id = ?", (old,))
            db.execute("DELETE FROM events WHERE id = ?", (old,))
        db.execute("UPDATE redirects SET new_id = ? WHERE new_id = ?", (into, old))
        db.execute("INSERT INTO redirects (old_id, new_id, at) VALUES (?, ?, ?) ON CONFLICT(old_id)"
                   " DO UPDATE SET new_id = excluded.new_id, at = excluded.at",
                   (old, into, _now()))
        db.execute("INSERT INTO event_changes (change, target, other, claims, reason)"
                   " VALUES (?,?,?,?,?)", ("story merge" if what == "story" else "merge",
                                           into, old, moved, reason))

    def split_event(self, event_id: str, new_id: str, claim_ids: Sequence[str],
                    profile: Any, new_profile: Any, new_keys: Sequence[str], week: int,
                    reason: str) -> None:
        """Move `claim_ids` of event `event_id` to a new event `new_id` (same story), with
        the profiles both have afterwards; recorded in `event_changes`."""
        db = self.db
        with self._write():
            row = db.execute("SELECT story_id FROM events WHERE id = ?", (event_id,)).fetchone()
            self._save_event(event_id, profile)
            self._save_event(new_id, new_profile, row[0] if row else None)
            moved = 0
            for chunk in _chunks(list(claim_ids), 500):
                moved += db.execute(
                    f"UPDATE event_claims SET event_id = ? WHERE event_id = ? AND claim_id IN"
                    f" ({','.join('?' * len(chunk))})", [new_id, event_id, *chunk]).rowcount
            db.executemany("INSERT INTO event_keys (key, week, event_id)"
                           " VALUES (?,?,?) ON CONFLICT DO NOTHING",
                           [(k, week, new_id) for k in new_keys])
            db.execute("INSERT INTO event_changes (change, target, other, claims, reason)"
                       " VALUES ('split', ?, ?, ?, ?)", (event_id, new_id, moved, reason))

    def split_story(self, plan: Callable[[], Any]) -> Any:
        """Split a story as `plan` says (`link.events.StorySplit`, or None: nothing to do).
        `plan` is called once the write lock is held, so that the articles and events it
        reads are not changed by another writer first. Returns the split applied."""
        db = self.db
        with self._write():
            split = plan()
            if split is None:
                return None
            self._update_story(split.story_id, split.profile)
            db.execute("DELETE FROM story_keys WHERE story_id = ?", (split.story_id,))
            db.executemany("INSERT INTO story_keys (key, week, story_id)"
                           " VALUES (?,?,?) ON CONFLICT DO NOTHING",
                           [(k, w, split.story_id) for k, w in split.keys])
            if split.main_event and split.main_profile is not None:
                self._save_event(split.main_event, split.main_profile)
            for part in split.parts:
                p = part.profile
                db.execute("INSERT INTO stories (id, profile, first_published, last_published,"
                           " articles) VALUES (?,?,?,?,?)",
                           (part.story_id, p.to_json(), p.first, p.last, p.articles))
                db.executemany("INSERT INTO story_keys (key, week, story_id)"
                               " VALUES (?,?,?) ON CONFLICT DO NOTHING",
                               [(k, w, part.story_id) for k, w in part.keys])
                for chunk in _chunks(part.documents, 500):
                    db.execute(f"UPDATE document_stories SET story_id = ? WHERE document_id IN"
                               f" ({','.join('?' * len(chunk))})", [part.story_id, *chunk])
                for chunk in _chunks(part.events, 500):
                    db.execute(f"UPDATE events SET story_id = ? WHERE id IN"
                               f" ({','.join('?' * len(chunk))})", [part.story_id, *chunk])
                db.execute("INSERT INTO event_changes (change, target, other, claims, reason)"
                           " VALUES ('story split', ?, ?, ?, ?)",
                           (split.story_id, part.story_id, len(part.documents), split.reason))
                if part.main_event and part.main_profile is not None:
                    self._save_event(part.main_event, part.main_profile, part.story_id)
                    moved = 0
                    for chunk in _chunks(part.main_claims, 500):
                        moved += db.execute(
                            f"UPDATE event_claims SET event_id = ? WHERE event_id = ? AND"
                            f" claim_id IN ({','.join('?' * len(chunk))})",
                            [part.main_event, split.main_event, *chunk]).rowcount
                    db.executemany("INSERT INTO event_keys (key, week, event_id)"
                                   " VALUES (?,?,?) ON CONFLICT DO NOTHING",
                                   [(k, part.week, part.main_event) for k in part.main_keys])
                    db.execute("INSERT INTO event_changes (change, target, other, claims,"
                               " reason) VALUES ('split', ?, ?, ?, ?)",
                               (split.main_event, part.main_event, moved,
                                f"its story {split.story_id} was split: {split.reason}"))
        return split

    def absorb_stories(self, plan: Callable[[], Any]) -> Any:
        """Merge small stories into a grown one as `plan` says (`link.events.StoryAbsorb`,
        or None: nothing to do), called once the write lock is held; their ids stay as
        redirects, recorded as `story merge`s and their main events' `merge`s."""
        with self._write():
            found = plan()
            if found is None:
                return None
            for old, reason in found.absorbed:
                self._merge("story", old, found.story_id, reason)
            for m in found.merges:
                self._merge("event", m.merged, m.into, m.reason)
                self._save_event(m.into, m.profile)
            self._update_story(found.story_id, found.profile)
        return found

    def _update_story(self, story_id: str, p: Any) -> None:
        self.db.execute("UPDATE stories SET profile = ?, first_published = ?,"
                        " last_published = ?, articles = ? WHERE id = ?",
                        (p.to_json(), p.first, p.last, p.articles, story_id))

    # -- what the parser reads -------------------------------------------------------------
    def outlet_points(self, outlets: Sequence[str],
                      documents: int) -> dict[str, list[tuple[float, float]]]:
        """For each of `outlets`, the coordinates of the towns and counties (features `city`
        and `other`: not countries, regions or seas) its latest `documents` documents place their claims in, each place
        once per document: where the outlet reports from (`places.outlet_home`)."""
        out: dict[str, list[tuple[float, float]]] = {}
        for outlet in outlets:
            rows = self.db.execute(
                "SELECT DISTINCT c.document_id, p.geonames_id, p.lat, p.lon"
                " FROM claim_places p JOIN claims c ON c.id = p.claim_id"
                " WHERE c.document_id IN (SELECT id FROM documents WHERE outlet = ?"
                " ORDER BY ingested_at DESC, id LIMIT ?)"
                " AND p.feature IN ('city', 'other') AND p.lat IS NOT NULL"
                " AND p.lon IS NOT NULL", (outlet, documents)).fetchall()
            out[outlet] = [(float(r[2]), float(r[3])) for r in rows]
        return out

    # -- what the linker reads -------------------------------------------------------------
    def story_members(self, story_id: str) -> list[tuple[str, Optional[str]]]:
        """The articles of a story, in the order they were linked: (document id, the
        article's weighted words and names as JSON, or None where it was linked before
        they were kept)."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT document_id, article FROM document_stories WHERE story_id = ?"
            " ORDER BY rowid", (story_id,))]

    def story_order(self, story_ids: Sequence[str]) -> dict[str, int]:
        """When each story's first article was linked: a number that grows with each article
        linked (stories with no article are left out)."""
        found: dict[str, int] = {}
        for chunk in _chunks(list(story_ids), 500):
            found.update(self.db.execute(
                "SELECT story_id, min(rowid) FROM document_stories WHERE story_id IN"
                f" ({','.join('?' * len(chunk))}) GROUP BY story_id", chunk).fetchall())
        return found

    def story_profile(self, story_id: str) -> Optional[str]:
        row = self.db.execute("SELECT profile FROM stories WHERE id = ?",
                              (story_id,)).fetchone()
        return row[0] if row else None

    def event_documents(self, event_ids: Sequence[str]) -> dict[str, set[str]]:
        """The documents whose claims each event holds."""
        found: dict[str, set[str]] = {eid: set() for eid in event_ids}
        for chunk in _chunks(list(event_ids), 500):
            for eid, doc in self.db.execute(
                    "SELECT DISTINCT ec.event_id, c.document_id FROM event_claims ec"
                    " JOIN claims c ON c.id = ec.claim_id WHERE ec.event_id IN"
                    f" ({','.join('?' * len(chunk))})", chunk):
                found[eid].add(doc)
        return found

    def document_frequencies(self, keys: Sequence[str]) -> tuple[int, dict[str, int]]:
        """How many documents have been linked, and in how many of them each key occurs."""
        found: dict[str, int] = {}
        for chunk in _chunks(["", *keys], 500):
            found.update(self.db.execute(
                f"SELECT key, documents FROM term_documents WHERE key IN"
                f" ({','.join('?' * len(chunk))})", list(chunk)).fetchall())
        return found.pop("", 0), found

    def story_candidates(self, keys: Sequence[str], week: int, window: int,
                         limit: int) -> dict[str, str]:
        """Profiles (JSON) of the stories sharing the most of `keys`, active within `window`
        weeks of `week` (any week for week 0, an undated article)."""
        return self._candidates("story_keys", "story_id", "stories", keys, week, window, limit)

    def event_candidates(self, keys: Sequence[str], week: int, window: int,
                         limit: int) -> dict[str, str]:
        """Profiles (JSON) of the events sharing the most of `keys`, as for stories."""
        return self._candidates("event_keys", "event_id", "events", keys, week, window, limit)

    def _candidates(self, index: str, column: str, table: str, keys: Sequence[str],
                    week: int, window: int, limit: int) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        # Dated: those active within the window, and undated ones. Undated: any week. The
        # weeks are listed so that the (key, week) index is used, not every week of a key.
        weeks = [0, *range(week - window, week + window + 1)]
        when, args = ("", []) if week == 0 else \
            (f" AND k.week IN ({','.join('?' * len(weeks))})", weeks)
        rows = self.db.execute(
            f"SELECT k.{column}, count(DISTINCT k.key) AS n, max(k.week) AS latest"
            f" FROM {index} k WHERE k.key IN ({marks}){when} GROUP BY k.{column}"
            f" ORDER BY n DESC, latest DESC, k.{column} LIMIT {int(limit)}",
            [*keys, *args]).fetchall()
        ids = [r[0] for r in rows]
        if not ids:
            return {}
        return dict(self.db.execute(
            f"SELECT id, profile FROM {table} WHERE id IN ({','.join('?' * len(ids))})",
            ids).fetchall())

    def story_events(self, story_ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """The events of each story: story id -> event id -> profile (JSON)."""
        found: dict[str, dict[str, str]] = {sid: {} for sid in story_ids}
        if story_ids:
            for sid, eid, profile in self.db.execute(
                    f"SELECT story_id, id, profile FROM events WHERE story_id IN"
                    f" ({','.join('?' * len(story_ids))})", list(story_ids)):
                found[sid][eid] = profile
        return found

    def _add_link(self, link: Any) -> None:
        self._save_event(link.event_id, link.profile, link.story_id)
        self.db.executemany(
            "INSERT INTO event_claims (claim_id, event_id, score, shared) VALUES (?,?,?,?)"
            " ON CONFLICT(claim_id) DO UPDATE SET event_id = excluded.event_id,"
            " score = excluded.score, shared = excluded.shared",
            [(c.id, link.event_id, link.score, json.dumps(link.shared, ensure_ascii=False))
             for c in link.claims])
        self.db.executemany(
            "INSERT INTO event_keys (key, week, event_id) VALUES (?,?,?)"
            " ON CONFLICT DO NOTHING",
            [(k, link.week, link.event_id) for k in link.keys])

    def _source_id(self, source: Source) -> int:
        key = (source.name, source.kind, source.role, source.affiliation)
        row = self.db.execute(
            "SELECT id FROM sources WHERE name = ? AND kind = ? AND role IS NOT DISTINCT FROM ?"
            " AND affiliation IS NOT DISTINCT FROM ?", key).fetchone()
        if row:
            return row[0]
        return self.db.execute("INSERT INTO sources (name, kind, role, affiliation)"
                               " VALUES (?,?,?,?) RETURNING id", key).fetchone()[0]

    def _add_claims(self, claims: Sequence[Claim]) -> None:
        """Store a document's claims with their times, places, quantities, mentions and
        index rows: one statement per table for all of them (on a server, each statement is
        a round trip)."""
        if not claims:
            return
        db = self.db
        known: dict[tuple, int] = {}  # one lookup per distinct source of the document
        source_ids = []
        for c in claims:
            key = (c.source.name, c.source.kind, c.source.role, c.source.affiliation)
            if key not in known:
                known[key] = self._source_id(c.source)
            source_ids.append(known[key])
        db.executemany(
            'INSERT INTO claims (id, document_id, start, "end", text, content,'
            " content_start, content_end, cue, cue_start, cue_end, quote, source_id, source_phrase,"
            " source_start, source_end, channel, certainty, polarity, said_at, extractor,"
            " happening) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(c.id, c.document_id, c.start, c.end, c.text, c.content, c.content_start,
              c.content_end, c.cue, c.cue_start, c.cue_end, c.quote, source_id,
              c.source.phrase, c.source.start, c.source.end, json.dumps(c.channel),
              c.certainty, c.polarity, json.dumps(asdict(c.said_at)) if c.said_at else None,
              c.extractor, json.dumps(asdict(c.happening)) if c.happening else None)
             for c, source_id in zip(claims, source_ids)])
        db.executemany(
            'INSERT INTO claim_times (claim_id, text, start, "end", value, type, granularity,'
            " interval_start, interval_end, modifier, anchor) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(c.id, t.text, t.start, t.end, t.value, t.type, t.granularity, t.interval_start,
              t.interval_end, t.modifier, t.anchor) for c in claims for t in c.times])
        db.executemany(
            'INSERT INTO claim_places (claim_id, text, start, "end", name, country_code, feature,'
            " lat, lon, geonames_id, score, alternatives) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(c.id, p.text, p.start, p.end, p.name, p.country_code, p.feature, p.lat, p.lon,
              p.geonames_id, p.score, p.alternatives) for c in claims for p in c.places])
        db.executemany(
            'INSERT INTO claim_quantities (claim_id, text, start, "end", low, high, modifier,'
            " unit, predicate) VALUES (?,?,?,?,?,?,?,?,?)",
            [(c.id, q.text, q.start, q.end, q.low, q.high, q.modifier, q.unit, q.predicate)
             for c in claims for q in c.quantities])
        db.executemany(
            'INSERT INTO claim_mentions (claim_id, text, start, "end", type, canonical)'
            " VALUES (?,?,?,?,?,?)",
            [(c.id, m.text, m.start, m.end, m.type, m.canonical)
             for c in claims for m in c.mentions])
        # The index rows share the claim's rowid: deleting the claim deletes them (m006, m008).
        rowids: dict[str, int] = {}
        for chunk in _chunks([c.id for c in claims], 500):
            rowids.update(db.execute(
                f"SELECT id, rowid FROM claims WHERE id IN ({','.join('?' * len(chunk))})",
                list(chunk)).fetchall())
        rows = [(rowids[c.id], c) for c in claims]
        self._add_search_rows([(row, c.id, c.content, c.text, c.source.name) for row, c in rows])
        db.executemany(
            "INSERT INTO claim_names (rowid, claim_id, source, place) VALUES (?,?,?,?)",
            [(row, c.id, "\n".join((c.source.name, c.source.affiliation or "",
                                    c.source.phrase or "")),
              "\n".join(f"{p.name}\n{p.text}" for p in c.places)) for row, c in rows])

    def add_rejected(self, origin: str, reason: str) -> None:
        with self._write():
            # The same input rejected again for the same reason (a rerun) is one row, dated
            # by the latest rejection.
            now = _now()
            if not self.db.execute("UPDATE rejected SET at = ? WHERE origin = ? AND reason = ?",
                                   (now, origin, reason)).rowcount:
                self.db.execute("INSERT INTO rejected (origin, reason, at) VALUES (?, ?, ?)",
                                (origin, reason, now))

    # -- reading ---------------------------------------------------------------------------
    def find_claim_ids(self, *, limit: Optional[int] = None, offset: int = 0,
                       sort: str = "published", **filters: Any) -> list[str]:
        """Claim ids matching every filter given (`_claim_filters`), in document then text
        order (with `limit`, that many from `offset` on). `sort`: "published" (oldest
        document first, the default), "newest", "source" (by name) or "certainty"."""
        if sort not in CLAIM_ORDERS:
            raise ValueError(f"unknown order {sort!r}; use {', '.join(CLAIM_ORDERS)}")
        where, args, indexed = self._claim_filters(**filters)
        sql = "SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id"
        if sort == "source":
            sql += " JOIN sources s ON s.id = c.source_id"
        if limit is not None and sort == "published" and len(indexed) == len(where) == 1 and \
                self._at_least(*indexed[0], WALK_FROM + offset):
            # A first page of many matches: read the claims in their order until it is full,
            # rather than sort every match (m009). At most one scan of the claims' order.
            sql = self._in_listing_order
        if where:
            sql += " WHERE " + " AND ".join(where)
        in_text = "d.id, c.start, c.content_start, c.id"
        sql += " ORDER BY " + {
            "published": f"d.published_at{self._NULLS_FIRST}, {in_text}",
            "newest": f"d.published_at DESC{self._NULLS_LAST}, {in_text}",
            "source": f"s.name, d.published_at{self._NULLS_FIRST}, {in_text}",
            "certainty": f"{CERTAINTY_ORDER}, d.published_at{self._NULLS_FIRST}, {in_text}",
        }[sort]
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [row[0] for row in self.db.execute(sql, args)]

    def _claim_filters(self, *, source: Optional[str] = None, certainty: Sequence[str] = (),
                       place: Optional[str] = None, since: Optional[str] = None,
                       until: Optional[str] = None, search: Optional[str] = None,
                       document: Optional[str] = None, source_id: Optional[int] = None,
                       kind: Optional[str] = None, outlet: Optional[str] = None,
                       quote: Optional[str] = None, event: Optional[str] = None,
                       ) -> tuple[list[str], list[Any], list[tuple[str, list]]]:
        """The WHERE clauses (over `claims c JOIN documents d`) and arguments of the claim
        filters, and those of them an index counts at once.

        `source`, `place`: contains the text (name index); `since`/`until` (ISO dates) keep
        claims whose event time overlaps the period, or, for claims with no time of their
        own, whose document was published in it; `source_id` one source; `kind` the source's
        kind; `outlet` the document's outlet; `quote` direct, indirect, mixed or none;
        `event` the claims of one event.
        """
        where: list[str] = []
        args: list[Any] = []
        # The filters whose matches an index counts at once (full text: a trigram LIKE is
        # checked row by row, and costs as much to count as to run).
        indexed: list[tuple[str, list]] = []
        if source:
            like, pattern = self._contains(source)
            sub = f"SELECT rowid FROM claim_names WHERE source {like}"
            where.append(f"c.rowid IN ({sub})")
            args.append(pattern)
        if certainty:
            where.append(f"c.certainty IN ({','.join('?' * len(certainty))})")
            args += list(certainty)
        if place:
            like, pattern = self._contains(place)
            # One list of rowids from both indexes (a UNION, not an OR of two lists, which
            # PostgreSQL answers by testing every claim against both).
            where.append(f"c.rowid IN (SELECT rowid FROM claim_names WHERE place {like} UNION"
                         " SELECT k.rowid FROM claim_places p JOIN claims k ON k.id = p.claim_id"
                         " WHERE p.country_code = ?)")
            args += [pattern, place.upper()]
        if since or until:
            lo, hi = since or "0000", until or "9999"
            hi_end = hi + "\uffff"
            # An interval open at one end ("after 2022", "before March") extends that way.
            where.append(
                "(EXISTS (SELECT 1 FROM claim_times t WHERE t.claim_id = c.id AND "
                "(t.interval_start IS NOT NULL OR t.interval_end IS NOT NULL) AND "
                "(t.interval_start IS NULL OR t.interval_start <= ?) AND "
                "(t.interval_end IS NULL OR t.interval_end >= ?))"
                " OR (NOT EXISTS (SELECT 1 FROM claim_times t WHERE t.claim_id = c.id AND "
                "(t.interval_start IS NOT NULL OR t.interval_end IS NOT NULL)) AND "
                "d.published_at >= ? AND d.published_at <= ?))")
            args += [hi_end, lo, lo, hi_end]
        if search:
            # The index rows share their claim's rowid (m006, m008): no stored id to read.
            sub, query = self._search_rows(search)
            where.append(f"c.rowid IN ({sub})")
            args.append(query)
            indexed.append((sub, [args[-1]]))
        for value, clause in (
                (document, "c.document_id = ?"), (source_id, "c.source_id = ?"),
                (kind, "c.source_id IN (SELECT id FROM sources WHERE kind = ?)"),
                (outlet, "d.outlet = ?"), (quote, "c.quote = ?"),
                (event, "c.id IN (SELECT claim_id FROM event_claims WHERE event_id = ?)")):
            if value is not None and value != "":
                where.append(clause)
                args.append(value)
        return where, args, indexed

    # What each facet counts, and how it reaches the claims (the value, the joins, and
    # whether a claim may have several values: its places).
    FACETS = {
        "certainty": ("c.certainty", "", False),
        "quote": ("c.quote", "", False),
        "kind": ("s.kind", " JOIN sources s ON s.id = c.source_id", False),
        "source_id": ("c.source_id", "", False),
        "outlet": ("d.outlet", "", False),
        "country": ("p.country_code", " JOIN claim_places p ON p.claim_id = c.id", True),
        "place": ("p.name", " JOIN claim_places p ON p.claim_id = c.id", True),
        "event": ("ec.event_id", " JOIN event_claims ec ON ec.claim_id = c.id", False),
        "month": ("substr(d.published_at, 1, 7)", "", False),
    }

    def claim_facets(self, names: Sequence[str], top: int = 10,
                     **filters: Any) -> dict[str, list[tuple[Any, int]]]:
        """For each facet named (`FACETS`), its most frequent values among the claims that
        match `filters` and how many claims have each, most first (months: in order)."""
        where, args, _ = self._claim_filters(**filters)
        found = {}
        for name in names:
            value, joins, several = self.FACETS[name]
            order = "1" if name == "month" else "2 DESC, 1"
            limit = "" if name == "month" else f" LIMIT {int(top)}"
            counted = "count(DISTINCT c.id)" if several else "count(*)"
            found[name] = [(r[0], r[1]) for r in self.db.execute(
                f"SELECT {value}, {counted} FROM claims c JOIN documents d"
                f" ON d.id = c.document_id{joins} WHERE "
                + " AND ".join([*where, f"{value} IS NOT NULL"])
                + f" GROUP BY 1 ORDER BY {order}{limit}", args)]
        return found

    def stamp(self) -> tuple[Any, ...]:
        """What changes whenever claimledger adds claims or moves them between events (the
        newest claim, the newest merge or split; both read from an index): two reads with
        the same stamp see the same claims in the same events. For caching what is counted
        over them. (Rows deleted by hand, outside claimledger, do not change it.)"""
        return tuple(self.db.execute(
            "SELECT (SELECT max(rowid) FROM claims), (SELECT max(id) FROM event_changes)"
            ).fetchone())

    def source_names(self, source_ids: Sequence[int]) -> dict[int, str]:
        within, values = self._among(source_ids)
        return dict(self.db.execute(f"SELECT id, name FROM sources WHERE id {within}",
                                    (values,)).fetchall())

    def source_record(self, source_id: int) -> Optional[dict[str, Any]]:
        """One source: its name, kind, role and affiliation, how many claims it made in how
        many documents and outlets, and when it was first and last seen (publication)."""
        row = self.db.execute("SELECT id, name, kind, role, affiliation FROM sources"
                              " WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            return None
        seen = self.db.execute(
            "SELECT count(*), count(DISTINCT c.document_id), count(DISTINCT d.outlet),"
            " min(d.published_at), max(d.published_at) FROM claims c JOIN documents d"
            " ON d.id = c.document_id WHERE c.source_id = ?", (source_id,)).fetchone()
        return {**{k: row[k] for k in ("id", "name", "kind", "role", "affiliation")},
                "claims": seen[0], "documents": seen[1], "outlets": seen[2],
                "first_seen": seen[3], "last_seen": seen[4]}

    def _at_least(self, subquery: str, args: list, n: int) -> bool:
        """Whether `subquery` gives at least `n` rows (counting no further)."""
        return self.db.execute(f"SELECT count(*) FROM ({subquery} LIMIT {int(n)}) AS found",
                               args).fetchone()[0] >= n

    def load_claims(self, ids: Sequence[str]) -> list[Claim]:
        out = []
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            rows = {r["id"]: r for r in self.db.execute(
                "SELECT c.*, s.name AS s_name, s.kind AS s_kind, s.role AS s_role,"
                " s.affiliation AS s_affiliation, d.url AS d_url, d.title AS d_title,"
                " d.outlet AS d_outlet, d.published_at AS d_published_at,"
                " d.published_from AS d_published_from, d.duplicate_group AS d_group"
                " FROM claims c JOIN sources s ON s.id = c.source_id"
                f" JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})", chunk)}
            warned: dict[str, list[str]] = {}
            documents = sorted({r["document_id"] for r in rows.values()})
            if documents:
                for doc, stage in self.db.execute(
                        "SELECT document_id, stage FROM document_warnings WHERE document_id IN"
                        f" ({','.join('?' * len(documents))}) ORDER BY document_id, position",
                        documents):
                    warned.setdefault(doc, []).append(stage)
            parts = {name: self._parts(name, chunk) for name in
                     ("claim_times", "claim_places", "claim_quantities", "claim_mentions")}
            for cid in chunk:
                row = rows.get(cid)
                if row is None:
                    continue
                out.append(_claim_from_row(row, {k: v.get(cid, []) for k, v in parts.items()},
                                           warned.get(row["document_id"], [])))
        return out

    def _parts(self, table: str, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        marks = ",".join("?" * len(ids))
        found: dict[str, list[dict[str, Any]]] = {}
        for row in self.db.execute(
                f"SELECT * FROM {table} WHERE claim_id IN ({marks}) ORDER BY start", list(ids)):
            found.setdefault(row["claim_id"], []).append(dict(row))
        return found

    def find_event_ids(self, *, place: Optional[str] = None, since: Optional[str] = None,
                       until: Optional[str] = None, search: Optional[str] = None,
                       source: Optional[str] = None, min_claims: int = 1,
                       limit: Optional[int] = None, offset: int = 0) -> list[str]:
        """Event ids matching every filter given, the events with most claims first (with
        `limit`, that many from `offset` on: read in the listing's index, m010, and stopped).

        `since`/`until` keep events whose publication period overlaps; `place`, `search` and
        `source` keep events with at least one claim that matches (as for claims)."""
        # Counted no further than `min_claims` (for the default of 1, whether it has any):
        # one probe of the index per event, not a count of every claim of the ledger.
        where = ["(SELECT count(*) FROM (SELECT 1 FROM event_claims ec WHERE ec.event_id = e.id"
                 " LIMIT ?) AS up_to) >= ?"]
        args: list[Any] = [max(1, min_claims), max(1, min_claims)]
        if since:
            where.append("e.last_published >= ?")
            args.append(since)
        if until:
            where.append("e.first_published <= ?")
            args.append(until + "\uffff")
        if place or search or source:
            ids = self.find_claim_ids(place=place, search=search, source=source)
            within, values = self._among(ids)
            where.append(f"e.id IN (SELECT event_id FROM event_claims WHERE claim_id {within})")
            args.append(values)
        sql = ("SELECT e.id FROM events e WHERE " + " AND ".join(where) +
               f" ORDER BY e.claims DESC, e.last_published DESC{self._NULLS_LAST}, e.id")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [r[0] for r in self.db.execute(sql, args)]

    # -- stored assessments ----------------------------------------------------------------
    def assessments(self, event_ids: Sequence[str],
                    version: int) -> dict[str, tuple[str, Optional[str], str]]:
        """The stored assessments of these events made by rules of `version`: event id ->
        (status, type, the Event as JSON). An event left out has none: its claims changed
        since it was last assessed, or the rules did. A ledger made before assessments were
        stored (read-only, not yet migrated) has none."""
        return self._stored(event_ids, version, "assessment")

    def summaries(self, event_ids: Sequence[str],
                  version: int) -> dict[str, tuple[str, Optional[str], str]]:
        """The stored summaries of these events (by rules of `version`): event id ->
        (status, type, the EventSummary as JSON). An event left out has none stored."""
        return self._stored(event_ids, version, "summary")

    def _stored(self, event_ids: Sequence[str], version: int,
                column: str) -> dict[str, tuple[str, Optional[str], str]]:
        """(status, type, `column`) of the stored assessments of these events by rules of
        `version`, where `column` holds something (none in a ledger from before it)."""
        found: dict[str, tuple[str, Optional[str], str]] = {}
        try:
            within, values = self._among(list(event_ids))
            for eid, status, kind, text in self.db.execute(
                    f"SELECT event_id, status, type, {column} FROM event_assessments"
                    f" WHERE version = ? AND {column} IS NOT NULL AND event_id {within}",
                    (version, values)):
                found[eid] = (status, kind, text)
        except Exception as exc:
            if not self._no_such_table(exc) and not self._no_such_column(exc):
                raise
        return found

    def event_kinds(self, event_ids: Sequence[str],
                    version: int) -> dict[str, tuple[Optional[str], Optional[str], Optional[str]]]:
        """Each event's first publication, and its status and type where an assessment by
        rules of `version` is stored (else None, None): for counting, without the JSON."""
        found: dict[str, tuple[Optional[str], Optional[str], Optional[str]]] = {}
        for chunk in _chunks(list(event_ids), 500):
            within, values = self._among(chunk)
            try:
                rows = self.db.execute(
                    "SELECT e.id, e.first_published, a.status, a.type FROM events e"
                    " LEFT JOIN event_assessments a ON a.event_id = e.id AND a.version = ?"
                    f" WHERE e.id {within}", (version, values)).fetchall()
            except Exception as exc:
                if not self._no_such_table(exc):  # a ledger from before stored assessments
                    raise
                rows = self.db.execute("SELECT e.id, e.first_published, NULL, NULL FROM"
                                       f" events e WHERE e.id {within}", (values,)).fetchall()
            for eid, first, status, kind in rows:
                found[eid] = (first, status, kind)
        return found

    def unassessed_events(self, version: int, *, largest: Optional[int] = None) -> list[str]:
        """Events with claims and no assessment stored by rules of `version` (or one
        stored before summaries were, m012), smallest first; with `largest`, only those of
        at most that many claims."""
        size, args = ("", [version]) if largest is None else (" AND e.claims <= ?",
                                                                [version, largest])
        return [r[0] for r in self.db.execute(
            "SELECT e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_assessments a"
            " WHERE a.event_id = e.id AND a.version = ? AND a.summary IS NOT NULL)"
            " AND EXISTS (SELECT 1 FROM"
            f" event_claims ec WHERE ec.event_id = e.id){size} ORDER BY e.claims, e.id", args)]

    def save_assessment(self, event_id: str, claim_ids: Sequence[str], version: int,
                        record: tuple[str, Optional[str], str, str]) -> bool:
        """Store an assessment (status, type, JSON, the listing's summary as JSON) computed
        by rules of `version` from the
        claims `claim_ids` (as `event_claim_ids` gave them), where the event still holds
        exactly those: it is computed before the write lock is taken, so that a large event
        does not hold up another writer, and checked under it. Any change to the claims
        afterwards deletes it again (the triggers of migration m007). Returns whether it
        was stored."""
        with self._write():
            if self.event_claim_ids(event_id) != list(claim_ids):
                return False  # changed meanwhile, or gone: assessed again later
            status, kind, text, summary = record
            self.db.execute("INSERT INTO event_assessments (event_id, version, status, type,"
                            " assessment, summary) VALUES (?,?,?,?,?,?)"
                            " ON CONFLICT(event_id) DO UPDATE SET version = excluded.version,"
                            " status = excluded.status, type = excluded.type,"
                            " assessment = excluded.assessment, summary = excluded.summary",
                            (event_id, version, status, kind, text, summary))
        return True

    def event_claim_ids(self, event_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT ec.claim_id FROM event_claims ec JOIN claims c ON c.id = ec.claim_id"
            " JOIN documents d ON d.id = c.document_id WHERE ec.event_id = ?"
            f" ORDER BY d.published_at{self._NULLS_FIRST}, d.id, c.start, c.content_start, c.id",
            (event_id,))]

    def resolve(self, any_id: str) -> str:
        """The id an event or story id stands for now: itself, or where it was merged."""
        row = self.db.execute("SELECT new_id FROM redirects WHERE old_id = ?",
                              (any_id,)).fetchone()
        return row[0] if row else any_id

    def changes(self, any_id: str) -> list[EventChange]:
        """Merges and splits an event or story took part in, oldest first."""
        return [cast(EventChange, dict(r)) for r in self.db.execute(
            "SELECT at, change, target, other, claims, reason FROM event_changes"
            " WHERE target = ? OR other = ? ORDER BY id", (any_id, any_id))]

    def event_story(self, event_id: str) -> Optional[str]:
        row = self.db.execute("SELECT story_id FROM events WHERE id = ?", (event_id,)).fetchone()
        return row[0] if row else None

    def document_story(self) -> dict[str, str]:
        """Every linked document's story id."""
        return dict(self.db.execute("SELECT document_id, story_id FROM document_stories"))

    def claim_events(self) -> dict[str, str]:
        """Every linked claim's event id."""
        return dict(self.db.execute("SELECT claim_id, event_id FROM event_claims").fetchall())

    def events_of(self, claim_ids: Sequence[str]) -> dict[str, str]:
        """The event id of each of these claims that is linked to one."""
        within, values = self._among(claim_ids)
        return dict(self.db.execute("SELECT claim_id, event_id FROM event_claims"
                                    f" WHERE claim_id {within}", (values,)).fetchall())

    def near_duplicates(self, document_id: str) -> list[Any]:
        """The other documents of this one's group of near-duplicates (reposts, syndicated
        copies), in publication order."""
        return self.db.execute(
            "SELECT id, url, title, outlet, published_at, similarity FROM documents"
            " WHERE duplicate_group = (SELECT duplicate_group FROM documents WHERE id = ?)"
            f" AND id <> ? ORDER BY published_at{self._NULLS_FIRST}, id",
            (document_id, document_id)).fetchall()

    # -- analysts' verdicts ----------------------------------------------------------------
    def add_verdict(self, target: str, target_id: str, verdict: str, note: str,
                    analyst: str) -> Verdict:
        with self._write():
            row = self.db.execute(
                "INSERT INTO verdicts (target, target_id, verdict, note, analyst, at)"
                " VALUES (?,?,?,?,?,?) RETURNING id, at",
                (target, target_id, verdict, note, analyst, _now())).fetchone()
        return Verdict(id=row[0], target=target, target_id=target_id, verdict=verdict,
                       note=note, analyst=analyst, at=row[1])

    def verdicts(self, target: str, target_id: str) -> list[Verdict]:
        """The verdicts on a claim or an event, newest first; an event's include those on
        events merged into it since."""
        try:
            rows = self.db.execute(
                "SELECT id, target, target_id, verdict, note, analyst, at FROM verdicts"
                " WHERE target = ? AND (target_id = ? OR target_id IN"
                " (SELECT old_id FROM redirects WHERE new_id = ?)) ORDER BY id DESC",
                (target, target_id, target_id)).fetchall()
        except Exception as exc:
            if not self._no_such_table(exc):  # a ledger made before verdicts, read-only
                raise
            return []
        return [Verdict(*tuple(r)) for r in rows]

    def ids_like(self, table: str, prefix: str, limit: int = 6) -> list[str]:
        """Ids in `table` ("claims" or "events") that begin with `prefix`, in order."""
        if table not in ("claims", "events"):
            raise ValueError(f"no ids to look up in {table!r}")
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            (like_escape(prefix.lower()) + "%", limit))]

    def document(self, document_id: str) -> Optional[Any]:
        return self.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()

    def warnings(self, document_id: Optional[str] = None) -> list[Any]:
        """The stages that failed on stored documents (on one, or on all)."""
        where, args = ("WHERE document_id = ?", [document_id]) if document_id else ("", [])
        return self.db.execute(f"SELECT * FROM document_warnings {where}"
                               " ORDER BY document_id, position", args).fetchall()

    def boilerplate(self, document_id: str) -> list[Any]:
        return self.db.execute("SELECT * FROM boilerplate WHERE document_id = ? ORDER BY position",
                               (document_id,)).fetchall()

    def documents(self) -> Iterator[Any]:
        yield from self.db.execute(
            f"SELECT * FROM documents ORDER BY published_at{self._NULLS_FIRST}, id")

    def document_claims(self) -> dict[str, list[str]]:
        """Every document's claim ids, in text order (documents without claims left out)."""
        found: dict[str, list[str]] = {}
        for doc, cid in self.db.execute(
                "SELECT document_id, id FROM claims ORDER BY document_id, start, id"):
            found.setdefault(doc, []).append(cid)
        return found

    def counts(self, tables: Sequence[str] = ("documents", "claims", "sources", "events",
                                              "rejected")) -> dict[str, int]:
        return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in tables}


CLAIM_ORDERS = ("published", "newest", "source", "certainty")
# Certainty from the most committed to the least (CERTAINTY_WORDS' order).
CERTAINTY_ORDER = ("CASE c.certainty WHEN 'CT+' THEN 0 WHEN 'PR+' THEN 1 WHEN 'PS+' THEN 2"
                   " WHEN 'Uu' THEN 3 WHEN 'PS-' THEN 4 WHEN 'PR-' THEN 5 WHEN 'CT-' THEN 6"
                   " ELSE 7 END")
# Matches of one indexed filter from which its first page is read in the claims' order rather
# than sorted: sorting 5,000 matches costs about what one scan of the order of 1M claims does.
WALK_FROM = 5000


def _contains(text: str) -> tuple[str, str]:
    """The LIKE clause and pattern for "contains `text`" (case aside, as LIKE is). The name
    index is used only by a LIKE without ESCAPE: text with its own % or _ takes the ESCAPE
    form, correct but a scan."""
    if "%" in text or "_" in text:
        return "LIKE ? ESCAPE '\\'", f"%{like_escape(text)}%"
    return "LIKE ?", f"%{text}%"


def _now() -> str:
    """Now, in UTC, as the ledger writes times (as SQLite's strftime('%Y-%m-%dT%H:%M:%SZ'))."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def like_escape(text: str) -> str:
    """User text inside a LIKE pattern, with its own % and _ taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_query(text: str) -> str:
    """Words as an FTS5 AND query, each quoted so that punctuation cannot break the syntax."""
    words = [w.replace('"', '""') for w in text.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words) or '""'


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Rows of any iterable (a query being read) in lists of at most `size`."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def quoted(column: str) -> str:
    """A column's name as SQL reads it whatever it is ("end" is a keyword)."""
    return f'"{column}"'


def _pick(cls, row: dict[str, Any]):
    names = cls.__dataclass_fields__.keys()
    return cls(**{k: row[k] for k in names if k in row})


def _claim_from_row(row: Any, parts: dict[str, list[dict[str, Any]]],
                    warnings: list[str]) -> Claim:
    said = json.loads(row["said_at"]) if row["said_at"] else None
    happening = json.loads(row["happening"]) if row["happening"] else None
    return Claim(
        id=row["id"], document_id=row["document_id"], text=row["text"], start=row["start"],
        end=row["end"], content=row["content"], content_start=row["content_start"],
        content_end=row["content_end"], cue=row["cue"], cue_start=row["cue_start"],
        cue_end=row["cue_end"], quote=row["quote"],
        source=Source(name=row["s_name"], kind=row["s_kind"], role=row["s_role"],
                      affiliation=row["s_affiliation"], phrase=row["source_phrase"],
                      start=row["source_start"], end=row["source_end"],
                      id=row["source_id"]),
        channel=json.loads(row["channel"]), certainty=row["certainty"],
        polarity=row["polarity"], extractor=row["extractor"],
        times=[_pick(TimeExpr, t) for t in parts["claim_times"]],
        places=[_pick(Place, p) for p in parts["claim_places"]],
        quantities=[_pick(Quantity, q) for q in parts["claim_quantities"]],
        mentions=[_pick(Mention, m) for m in parts["claim_mentions"]],
        said_at=TimeExpr(**said) if said else None,
        happening=Happening(**happening) if happening else None,
        document=DocumentInfo(id=row["document_id"], url=row["d_url"], title=row["d_title"],
                              outlet=row["d_outlet"], published_at=row["d_published_at"],
                              published_from=row["d_published_from"],
                              duplicate_group=row["d_group"],
                              warnings=warnings),
    )
