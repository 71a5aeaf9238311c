"""The ledger on a PostgreSQL server, for a team that shares one and ingests from several
machines at once: `--db postgresql://user@host/dbname`.

The same records, the same SQL as the SQLite ledger (`store.sqlite.Store`) but for the
engine's own pieces: the schema (`postgres_schema`, the same migrations by name), full-text
search on a `tsvector`, the name filters on trigram indexes, and the write lock. Each write
transaction takes one advisory lock of the ledger first, as SQLite's `BEGIN IMMEDIATE` takes
its write lock: a document's content is checked, linked and stored by one writer at a time,
so that two writers never store one document twice or open two events for one happening;
readers never wait. The parsing, which is most of the work, runs outside the lock.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from claimledger.store import postgres_schema
from claimledger.store.migrations import NOT_NEEDED_TO_READ, pending
from claimledger.store.sqlite import LedgerError, Store, like_escape, quoted

try:
    import psycopg
except ImportError:  # pragma: no cover - a dependency; a clear line if it went missing
    psycopg = None  # type: ignore[assignment]

# The ledger's write lock: one advisory lock key ("claimledger" in letters, as a number).
WRITE_LOCK = 0x636C61696D6C6467
WORD = re.compile(r"\w+")


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def shown(url: str) -> str:
    """The URL with its password, if any, left out: for messages and `ledger:` lines."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:  # not a URL at all: shown from its last "@" on (no user, no password)
        return url.split("@")[-1]
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, parts.query, ""))


class Row(tuple):
    """A result row read by position or by column name, as `sqlite3.Row`."""

    columns: dict[str, int]

    def __new__(cls, values: Sequence[Any], columns: dict[str, int]) -> "Row":
        row = super().__new__(cls, values)
        row.columns = columns
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        return tuple.__getitem__(self, self.columns[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.columns)


def _rows(cursor: Any) -> Any:
    columns = {d.name: i for i, d in enumerate(cursor.description or ())}
    return lambda values: Row(values, columns)


class Connection:
    """A psycopg connection that takes the ledger's SQL as written for SQLite: `?` marks
    its arguments (a literal `%` is doubled for psycopg)."""

    def __init__(self, conn: Any):
        self.conn = conn
        self._sql: dict[str, str] = {}

    def _convert(self, sql: str) -> str:
        found = self._sql.get(sql)
        if found is None:
            found = self._sql[sql] = sql.replace("%", "%%").replace("?", "%s")
        return found

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._convert(sql), list(args))

    def executemany(self, sql: str, rows: Any) -> Any:
        rows = [list(r) for r in rows]
        cursor = self.conn.cursor()
        if rows:
            cursor.executemany(self._convert(sql), rows)
        return cursor

    def close(self) -> None:
        self.conn.close()


def connect(url: str, *, readonly: bool = False) -> Connection:
    """Open a ledger on a PostgreSQL server. Writing creates the ledger's tables in the
    database (which must exist) and brings them up to date; reading needs an up-to-date
    ledger and changes nothing."""
    if psycopg is None:
        raise LedgerError("PostgreSQL ledgers need psycopg: pip install 'psycopg[binary]'")
    try:
        urlsplit(url).port  # noqa: B018 - a malformed host or port is said here, clearly
    except ValueError as exc:
        raise LedgerError(f"not a PostgreSQL URL: {shown(url)} ({exc}); write "
                          "postgresql://user@host:port/dbname") from None
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10,
                               row_factory=_rows, application_name="claimledger")
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise LedgerError(f"cannot open the PostgreSQL ledger {shown(url)}: {reason}") from None
    except Exception as exc:  # a malformed URL: psycopg's parser raises ProgrammingError
        raise LedgerError(f"not a PostgreSQL URL: {shown(url)} ({exc})") from None
    db = Connection(conn)
    try:
        # Commits are not waited for on disk (as SQLite's synchronous=NORMAL in WAL mode):
        # a crash of the server loses at most the last documents, which a rerun stores.
        conn.execute("SET synchronous_commit = off")
        tables = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        if "_migrations" not in tables and {"documents", "claims"} & tables:
            raise LedgerError(f"{shown(url)} has tables of its own (documents, claims) but "
                              "is not a claimledger ledger; use another database")
        if readonly:
            conn.execute("SET default_transaction_read_only = on")
            if "_migrations" not in tables or set(pending(db)) - NOT_NEEDED_TO_READ:
                raise LedgerError(f"{shown(url)} is not an up-to-date claimledger ledger; "
                                  "run claimledger ingest on it first")
        else:
            apply(db)
    except LedgerError:
        conn.close()
        raise
    except psycopg.Error as exc:
        conn.close()
        raise LedgerError(f"{shown(url)}: {' '.join(str(exc).split())}") from None
    return db


def apply(db: Connection) -> list[str]:
    """Run the migrations not yet applied, one transaction each, under the write lock."""
    conn = db.conn
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
        conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY,"
                     f" applied_at TEXT NOT NULL DEFAULT {postgres_schema.NOW})")
    applied = []
    for name, script in postgres_schema.MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            if conn.execute("SELECT 1 FROM _migrations WHERE name = %s", [name]).fetchone():
                continue
            if script.strip():
                conn.execute(script)
            conn.execute("INSERT INTO _migrations (name) VALUES (%s)", [name])
        applied.append(name)
    return applied


class PostgresStore(Store):
    """The ledger on PostgreSQL; every method not here is the SQLite ledger's."""

    _NULLS_FIRST = " NULLS FIRST"
    _NULLS_LAST = " NULLS LAST"
    _in_listing_order = ("SELECT c.id FROM documents d JOIN claims c"
                         " ON c.document_id = d.id")

    def __init__(self, url: str, *, readonly: bool = False):
        self.path = url
        self.readonly = readonly
        self.db = connect(url, readonly=readonly)
        self.lock_waits = 0  # write transactions that waited for another writer's lock
        self.lock_wait_seconds = 0.0
        self.locks_held = 0  # write transactions, and the seconds they held the lock
        self.lock_held_seconds = 0.0

    @property
    def name(self) -> str:
        return shown(self.path)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        conn = self.db.conn
        with conn.transaction():
            if not conn.execute("SELECT pg_try_advisory_xact_lock(%s)",
                                [WRITE_LOCK]).fetchone()[0]:
                started = time.perf_counter()
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                self.lock_waits += 1
                self.lock_wait_seconds += time.perf_counter() - started
            held = time.perf_counter()
            try:
                yield
            finally:
                self.lock_held_seconds += time.perf_counter() - held
                self.locks_held += 1

    def _add_search_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.db.executemany("INSERT INTO claims_fts (rowid, claim_id, terms) VALUES"
                            " (?, ?, to_tsvector('simple', ? || ' ' || ? || ' ' || ?))",
                            [(row, cid, _words(content), _words(text), _words(source))
                             for row, cid, content, text, source in rows])

    def _columns(self, table: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
            " AND table_schema = current_schema() ORDER BY ordinal_position", (table,))
            if r[0] != "rowid"]

    def _stream(self, sql: str) -> Iterator[Sequence[Any]]:
        # A server-side cursor (inside `snapshot`'s transaction): rows come in batches.
        with self.db.conn.cursor(name=f"claimledger_read_{id(sql)}") as cursor:
            cursor.itersize = 5000
            cursor.execute(sql)
            yield from cursor

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self.db.conn.transaction():
            self.db.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield

    def _add_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        added = 0
        names = ", ".join(map(quoted, columns))
        with self.db.conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                added += 1
        return added

    def _rows_added(self) -> None:
        # The planner's statistics, which a bulk copy leaves to autovacuum until later.
        self.db.execute("ANALYZE")
        # Ids were copied as they were: the identity columns go on from the largest.
        for table, column in self.db.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE is_identity = 'YES' AND table_schema = current_schema()").fetchall():
            self.db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                            f" coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)")

    def _search_rows(self, search: str) -> tuple[str, str]:
        # Each word of the search as FTS5 reads a quoted word: its pieces, in a row.
        words = [_words(w) for w in search.split()]
        phrases = [" <-> ".join(f"'{p}'" for p in w.split()) for w in words if w.strip()]
        query = " & ".join(f"({p})" for p in phrases) or "''"
        return "SELECT rowid FROM claims_fts WHERE terms @@ to_tsquery('simple', ?)", query

    def _contains(self, text: str) -> tuple[str, str]:
        return "ILIKE ? ESCAPE '\\'", f"%{like_escape(text)}%"

    def _among(self, ids: Sequence[Any]) -> tuple[str, Any]:
        return "= ANY(?)", list(ids)

    def _no_such_table(self, exc: Exception) -> bool:
        return psycopg is not None and isinstance(exc, psycopg.errors.UndefinedTable)

    def _no_such_column(self, exc: Exception) -> bool:
        return psycopg is not None and isinstance(exc, psycopg.errors.UndefinedColumn)


def _words(text: str) -> str:
    """Text as the words FTS5's default tokenizer finds in it (runs of letters and digits,
    lower-cased), separated by spaces: PostgreSQL's parser would otherwise keep some
    punctuation (e-mail addresses, hyphenated words) that FTS5 splits on."""
    return " ".join(WORD.findall(text.lower())).replace("_", " ")
