"""The ledger schema, changed only by named, ordered migrations.

Each migration runs once, in order, inside a transaction, and is recorded in
`_migrations`. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = []


def migration(fn: Callable[[sqlite3.Connection], None]):
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,              -- first 16 hex digits of content_hash
            content_hash TEXT NOT NULL UNIQUE,
            url TEXT,
            outlet TEXT,
            title TEXT,
            author TEXT,
            published_at TEXT,
            published_from TEXT,              -- metadata | argument | text | NULL
            language TEXT,
            text TEXT NOT NULL,               -- the stored text every offset points into
            origin TEXT,                      -- file, URL or feed it came from
            format TEXT,                      -- text | html | feed | jsonl
            duplicate_group TEXT NOT NULL,    -- id of the first document of its repost group
            similarity REAL,                  -- estimated overlap with that first document
            signature TEXT NOT NULL,          -- MinHash signature, JSON list of integers
            ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX documents_group ON documents(duplicate_group);
        CREATE INDEX documents_published ON documents(published_at);

        CREATE TABLE document_bands (         -- LSH band keys: candidates for near-duplicates
            band TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
        );
        CREATE INDEX document_bands_band ON document_bands(band);

        CREATE TABLE boilerplate (            -- page furniture cut from the article, kept aside
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            reason TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX boilerplate_document ON boilerplate(document_id);

        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            role TEXT,
            affiliation TEXT,
            UNIQUE (name, kind, role, affiliation)
        );

        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,           -- evidence span in documents.text
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            content TEXT NOT NULL,
            content_start INTEGER NOT NULL,
            content_end INTEGER NOT NULL,
            cue TEXT,
            cue_start INTEGER,
            cue_end INTEGER,
            quote TEXT NOT NULL,              -- direct | indirect | mixed | none
            source_id INTEGER NOT NULL REFERENCES sources(id),
            source_phrase TEXT,
            source_start INTEGER,
            source_end INTEGER,
            channel TEXT NOT NULL,            -- JSON list of outlets, nearest first
            certainty TEXT NOT NULL,          -- FactBank: CT+ PR+ PS+ CT- PR- PS- Uu
            polarity TEXT NOT NULL,
            said_at TEXT,                     -- JSON time expression, when the text says
            extractor TEXT NOT NULL
        );
        CREATE INDEX claims_document ON claims(document_id);
        CREATE INDEX claims_source ON claims(source_id);
        CREATE INDEX claims_certainty ON claims(certainty);

        CREATE TABLE claim_times (
            claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            value TEXT, type TEXT, granularity TEXT, interval_start TEXT, interval_end TEXT,
            modifier TEXT, anchor TEXT
        );
        CREATE INDEX claim_times_claim ON claim_times(claim_id);
        CREATE INDEX claim_times_interval ON claim_times(interval_start, interval_end);

        CREATE TABLE claim_places (
            claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            name TEXT NOT NULL, country_code TEXT, feature TEXT, lat REAL, lon REAL,
            geonames_id INTEGER, score REAL, alternatives INTEGER
        );
        CREATE INDEX claim_places_claim ON claim_places(claim_id);
        CREATE INDEX claim_places_name ON claim_places(name);

        CREATE TABLE claim_quantities (
            claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            low REAL, high REAL, modifier TEXT, unit TEXT
        );
        CREATE INDEX claim_quantities_claim ON claim_quantities(claim_id);

        CREATE TABLE claim_mentions (
            claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            type TEXT NOT NULL, canonical TEXT
        );
        CREATE INDEX claim_mentions_claim ON claim_mentions(claim_id);

        CREATE VIRTUAL TABLE claims_fts USING fts5(
            claim_id UNINDEXED, content, text, source
        );

        CREATE TABLE rejected (               -- inputs skipped, with the reason
            origin TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        """
    )


@migration
def m002_events(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        ALTER TABLE claims ADD COLUMN happening TEXT;         -- JSON: trigger word, PLOVER type
        ALTER TABLE claim_quantities ADD COLUMN predicate TEXT;  -- lemma: "strand", "injure"

        CREATE TABLE events (                 -- claims about one real-world happening
            id TEXT PRIMARY KEY,
            profile TEXT NOT NULL,            -- JSON: key and word counts the linker compares
            first_published TEXT,
            last_published TEXT,
            claims INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX events_last_published ON events(last_published);

        CREATE TABLE event_claims (           -- which event each claim was linked to, and why
            claim_id TEXT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            score REAL,                       -- how well its article's claims matched the event
            shared TEXT                       -- JSON list of what they share: keys and words
        );
        CREATE INDEX event_claims_event ON event_claims(event_id);

        CREATE TABLE event_keys (             -- blocking index: an event's keys by week active
            key TEXT NOT NULL,
            week INTEGER NOT NULL,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            PRIMARY KEY (key, week, event_id)
        ) WITHOUT ROWID;
        """
    )


@migration
def m003_stories(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE stories (                -- articles that report one real-world story
            id TEXT PRIMARY KEY,
            profile TEXT NOT NULL,            -- JSON: centroid, names, lead names and years
            first_published TEXT,
            last_published TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE story_keys (             -- blocking index: a story's keys by week active
            key TEXT NOT NULL,
            week INTEGER NOT NULL,
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            PRIMARY KEY (key, week, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_keys_story ON story_keys(story_id);
        CREATE INDEX event_keys_event ON event_keys(event_id);  -- merges move an event's keys
        CREATE TABLE document_stories (       -- the story each article was linked to, and why
            document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            score REAL,
            shared TEXT                       -- JSON list: the words and names it shares
        );
        CREATE INDEX document_stories_story ON document_stories(story_id);
        CREATE TABLE term_documents (         -- document frequencies: how rare a word or name is
            key TEXT PRIMARY KEY,             -- "t:lemma" or "n:name"
            documents INTEGER NOT NULL
        ) WITHOUT ROWID;
        ALTER TABLE events ADD COLUMN story_id TEXT;
        CREATE INDEX events_story ON events(story_id);
        CREATE TABLE redirects (              -- ids of merged events and stories, still valid
            old_id TEXT PRIMARY KEY,
            new_id TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE event_changes (          -- merges and splits of events and stories
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            change TEXT NOT NULL,             -- merge | split | story merge
            target TEXT NOT NULL,             -- the event or story that remains or was split
            other TEXT NOT NULL,              -- the one merged into it, or split from it
            claims INTEGER,                   -- claims moved
            reason TEXT NOT NULL
        );
        CREATE INDEX event_changes_target ON event_changes(target);
        CREATE INDEX event_changes_other ON event_changes(other);
        CREATE INDEX redirects_new ON redirects(new_id);
        """
    )


@migration
def m004_document_warnings(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE document_warnings (      -- a stage that failed on a stored document
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            stage TEXT NOT NULL,              -- the pipeline component or step (e.g. parser)
            message TEXT NOT NULL,            -- what went wrong; the document kept the rest
            PRIMARY KEY (document_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX rejected_origin ON rejected(origin);  -- a rerun's rejection: one row
        """
    )


@migration
def m005_story_articles(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- JSON: the article's weighted words and names, kept to cluster its story again
        ALTER TABLE document_stories ADD COLUMN article TEXT;
        """
    )


@migration
def m006_search_follows_claims(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- The full-text index of a claim shares its rowid, and goes when the claim goes (a
        -- document deleted deletes its claims, and now their search rows): re-key the rows
        -- there are, dropping those of claims deleted before.
        CREATE TABLE _search_copy AS SELECT c.rowid AS claim_rowid, f.claim_id, f.content,
            f.text, f.source FROM claims_fts f JOIN claims c ON c.id = f.claim_id;
        DELETE FROM claims_fts;
        INSERT INTO claims_fts (rowid, claim_id, content, text, source)
            SELECT claim_rowid, claim_id, content, text, source FROM _search_copy;
        DROP TABLE _search_copy;
        CREATE TRIGGER claims_search_delete AFTER DELETE ON claims BEGIN
            DELETE FROM claims_fts WHERE rowid = old.rowid;
        END;
        """
    )


@migration
def m007_stored_assessments(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- Each event's assessment (origins, status, figures, contradictions, timeline) as
        -- last computed: JSON of the Event, less its story and changes, which are read as
        -- they are. A change to the event's claims deletes the row; an event without one,
        -- or with one of another `version` (of the assessment's rules), is assessed when
        -- read, and stored by the next ingest.
        CREATE TABLE event_assessments (
            event_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            type TEXT,
            assessment TEXT NOT NULL
        );
        CREATE TRIGGER event_assessment_claim_in AFTER INSERT ON event_claims BEGIN
            DELETE FROM event_assessments WHERE event_id = new.event_id;
        END;
        CREATE TRIGGER event_assessment_claim_out AFTER DELETE ON event_claims BEGIN
            DELETE FROM event_assessments WHERE event_id = old.event_id;
        END;
        CREATE TRIGGER event_assessment_claim_moved AFTER UPDATE OF event_id ON event_claims
        BEGIN
            DELETE FROM event_assessments WHERE event_id IN (old.event_id, new.event_id);
        END;
        CREATE TRIGGER event_assessment_event_gone AFTER DELETE ON events BEGIN
            DELETE FROM event_assessments WHERE event_id = old.id;
        END;
        -- A claim or document deleted where foreign keys are off (the sqlite3 shell's
        -- default), so that nothing cascades to event_claims: its events' rows go too.
        CREATE TRIGGER event_assessment_claim_gone BEFORE DELETE ON claims BEGIN
            DELETE FROM event_assessments WHERE event_id IN
                (SELECT event_id FROM event_claims WHERE claim_id = old.id);
        END;
        CREATE TRIGGER event_assessment_document_gone BEFORE DELETE ON documents BEGIN
            DELETE FROM event_assessments WHERE event_id IN
                (SELECT ec.event_id FROM event_claims ec JOIN claims c ON c.id = ec.claim_id
                 WHERE c.document_id = old.id);
        END;
        """
    )


@migration
def m008_name_search(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- The names a claim can be found by with --source and --place, in an index of
        -- three-letter pieces (FTS5's trigram tokenizer), so that "contains TEXT" is a
        -- lookup rather than a scan of every claim: the source's name, affiliation and the
        -- phrase that named it; the places' names and the text that named them. One row
        -- per claim, sharing its rowid (as claims_fts), gone when the claim goes.
        CREATE VIRTUAL TABLE claim_names USING fts5(
            claim_id UNINDEXED, source, place, tokenize = 'trigram'
        );
        INSERT INTO claim_names (rowid, claim_id, source, place)
            SELECT c.rowid, c.id,
                s.name || char(10) || coalesce(s.affiliation, '') || char(10)
                    || coalesce(c.source_phrase, ''),
                coalesce((SELECT group_concat(p.name || char(10) || p.text, char(10))
                          FROM claim_places p WHERE p.claim_id = c.id), '')
            FROM claims c JOIN sources s ON s.id = c.source_id;
        CREATE TRIGGER claim_names_delete AFTER DELETE ON claims BEGIN
            DELETE FROM claim_names WHERE rowid = old.rowid;
        END;
        CREATE INDEX claim_places_country ON claim_places(country_code);
        """
    )


@migration
def m009_claim_order(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- Claims in the order they are listed (by publication, document, position), so that
        -- the first page of a filter that matches many claims is read in that order and
        -- stops, instead of sorting every match (Store.find_claim_ids).
        CREATE INDEX documents_order ON documents(published_at, id);
        CREATE INDEX claims_order ON claims(document_id, start, content_start, id);
        """
    )


@migration
def m010_events_listing(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- Events in the order they are listed (most claims, latest first), so that a page of
        -- the listing is read in that order and stops (Store.find_event_ids).
        CREATE INDEX events_listing ON events(claims DESC, last_published DESC, id);
        """
    )


@migration
def m011_verdicts(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- Analysts' verdicts on claims and events, with a note, who and when: added, never
        -- changed or deleted, and never mixed with the computed status.
        CREATE TABLE verdicts (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL,               -- claim | event
            target_id TEXT NOT NULL,
            verdict TEXT NOT NULL,
            note TEXT NOT NULL,
            analyst TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX verdicts_target ON verdicts(target, target_id);
        """
    )


@migration
def m012_event_summaries(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- What a listing shows of an event (models.EventSummary, JSON), kept with its
        -- assessment so that a page of the listing never reads whole assessments. Rows of
        -- earlier assessments have none, and are summarised from the assessment when read.
        ALTER TABLE event_assessments ADD COLUMN summary TEXT;
        """
    )


@migration
def m013_outlet_documents(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        -- An outlet's latest documents, whose places tell where it is based
        -- (Store.outlet_points).
        CREATE INDEX documents_outlet ON documents(outlet, ingested_at);
        """
    )


def apply(db: sqlite3.Connection) -> list[str]:
    """Run the migrations not yet applied; return their names."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT "
               "NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
    applied = []
    for name, fn in MIGRATIONS:
        with db:
            # Take the write lock before looking, so two processes opening a new ledger at
            # once do not both run the same migration.
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                continue
            # executescript commits on its own; keep migrations to plain statements inside.
            for statement in _statements(fn):
                db.execute(statement)
            db.execute("INSERT INTO _migrations(name) VALUES (?)", (name,))
        applied.append(name)
    return applied


# Migrations that only add what can be computed again (a cache): a ledger without them can
# still be read, and the next writer adds them.
NOT_NEEDED_TO_READ = {"m007_stored_assessments", "m010_events_listing", "m011_verdicts",
                      "m012_event_summaries", "m013_outlet_documents"}


def pending(db: Any) -> list[str]:
    """Migrations a ledger has not had yet (SQLite or PostgreSQL: the names are the same)."""
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    return [name for name, _ in MIGRATIONS if name not in done]


def _statements(fn: Callable[[sqlite3.Connection], None]) -> list[str]:
    """Collect the SQL a migration would run, so it can run inside one transaction."""
    collected: list[str] = []

    class Recorder:
        def executescript(self, script: str) -> None:
            collected.extend(_split(script))

        def execute(self, sql: str, *args) -> None:
            collected.append(sql)

    fn(Recorder())  # type: ignore[arg-type]
    return collected


def _split(script: str) -> list[str]:
    statements, buf = [], []
    for line in script.splitlines():
        stripped = line.split("--", 1)[0] if "--" in line else line
        buf.append(stripped)
        if stripped.rstrip().endswith(";"):
            statement = "\n".join(buf).strip()
            if sqlite3.complete_statement(statement):
                statements.append(statement)
                buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements
