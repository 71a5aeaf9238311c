"""Read files, directories, stdin and URLs into `Article` records.

The sequence for each input:

1. expand it: a directory is walked (sorted, hidden files and folders skipped), "-" is stdin,
   an http(s) URL is fetched when reached;
2. refuse what cannot be an article before reading it all: a file over `max_bytes`, a
   binary file, an empty one; gzip is opened transparently;
3. decode: UTF-8 (BOMs honoured), else the charset an HTML page declares, else cp1252 if
   the result is mostly sane text;
4. sniff the format (extension, then content) and hand the text to its reader in `formats`:
   a text page, HTML, an RSS/Atom feed, JSON lines or JSON; a WARC file (`warc`), of any
   size, is read a record at a time instead, each HTML page as an HTML file;
5. finish each article: the `published` argument wins over metadata, the text is asked only
   when nothing else is known; `outlet` argument, else metadata, else the url's domain;
   language detected from the text.

A failure at any stage is caught once per input, logged ("discarding data: ...") and yielded
as `Rejected(origin, reason)`; the batch goes on.
"""

from __future__ import annotations

import gzip
import io
import logging
import datetime as dt
import os
import re
import stat
import sys
from dataclasses import dataclass
from functools import partial
from typing import Iterable, Iterator, Optional, Union
from urllib.parse import urlsplit

from claimledger.ingest import formats, warc
from claimledger.ingest.language import detect_language
from claimledger.ingest.published import infer_published, normalise_date
from claimledger.models import Article, Rejected

LOGGER = logging.getLogger(__name__)

MAX_BYTES = 20_000_000
SNIFF_BYTES = 8192

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
}
# A folder's README, LICENSE or CHANGELOG describes the folder; it is read only when named.
FOLDER_NOTES = re.compile(r"(README|LICEN[CS]E|CHANGELOG|CHANGES)(\.\w+)?$", re.I)
_BINARY_MAGIC = {
    b"%PDF-": "PDF", b"PK\x03\x04": "zip", b"\x89PNG": "PNG", b"GIF87a": "GIF",
    b"GIF89a": "GIF", b"\xff\xd8\xff": "JPEG", b"\xfd7zXZ": "xz", b"7z\xbc\xaf": "7z",
    b"\x7fELF": "ELF", b"SQLite format 3\x00": "SQLite",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)\b", re.I)
_HTML_TAG = re.compile(r"<(!doctype\s+html|html|head|body|div|p|article|main)\b", re.I)

Record = Union[Article, Rejected]


class Reject(Exception):
    """An input that cannot be an article; the message is the reason an analyst reads."""


# -- 1. inputs ------------------------------------------------------------------------------

def read(
    paths: Iterable[str],
    *,
    published: Optional[str] = None,
    outlet: Optional[str] = None,
    max_bytes: int = MAX_BYTES,
    fetch_entries: Optional[bool] = None,
    fetch_seconds: float = 30.0,
    allow_private: bool = False,
) -> Iterator[Record]:
    """Yield one `Article` per article in `paths`, or a `Rejected` for each bad input.

    `paths` holds files, directories (walked, sorted, hidden files skipped), "-" for stdin,
    and http(s) URLs of pages or feeds. `published` (an ISO date, or any date dateparser
    reads; an unreadable one is a ValueError) and `outlet` override what the inputs say.
    `fetch_entries` fetches the full page of a feed entry that carries only a short summary
    (needs the network); by default it is on for feeds read from a URL, off for feed files.
    Each URL has `fetch_seconds` in all; private and loopback addresses are refused unless
    `allow_private` (see `ingest/fetch.py`).
    Never raises for bad input.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    published_value = normalise_date(published) if published else None
    if published and not published_value:
        raise ValueError(f"cannot read the published date {published!r}")
    for path in paths:
        path = os.fspath(path)
        for origin, loader in _expand(path):
            try:
                online = path.startswith(("http://", "https://"))
                fetch = online if fetch_entries is None else fetch_entries
                limits = Limits(max_bytes, fetch, fetch_seconds, allow_private)
                for record in loader(limits):
                    if isinstance(record, Article):
                        _finish(record, published_value, outlet)
                    else:
                        LOGGER.info("discarding data: %s: %s", record.origin, record.reason)
                    yield record
            except Reject as exc:
                LOGGER.info("discarding data: %s: %s", origin, exc)
                yield Rejected(origin, str(exc))
            except Exception as exc:  # noqa: BLE001 - one catch per input, the batch goes on
                LOGGER.warning("discarding data: %s: %s", origin, exc, exc_info=True)
                yield Rejected(origin, f"could not read: {type(exc).__name__}: {exc}")


def _expand(path: str):
    """(origin, loader) pairs for one argument; a loader yields the input's records."""
    if path == "-":
        yield "<stdin>", _load_stdin
    elif re.match(r"https?://", path, re.I):
        yield path, partial(_load_url, path)
    elif os.path.isdir(path):
        found: list[str] = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(os.path.join(root, name) for name in files
                         if not name.startswith(".") and not FOLDER_NOTES.match(name))
        for file in sorted(found, key=lambda f: os.path.relpath(f, path).split(os.sep)):
            yield file, partial(_load_file, file)
    else:
        yield path, partial(_load_file, path)


def _size(n: int) -> str:
    """20_000_000 -> '20 MB', 2_500 -> '2.5 KB'."""
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} bytes"


def _too_large(size: int, max_bytes: int) -> Reject:
    return Reject(f"file too large ({_size(size)} > {_size(max_bytes)})")


def _load_file(path: str, limits: "Limits") -> Iterator[Record]:
    max_bytes = limits.max_bytes
    if not os.path.exists(path):
        raise Reject("no such file or directory")
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):  # a named pipe would block the run forever
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
                "a socket" if stat.S_ISSOCK(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        raise Reject(f"not a regular file: {kind}")
    if warc.is_warc(path):  # any size: read a record at a time
        yield from _load_warc(path, limits)
        return
    if _extension(re.sub(r"\.gz$", "", path, flags=re.I)) == "jsonl":
        streamed = _stream_jsonl(path, limits)  # None for UTF-16: read whole
        if streamed is not None:
            yield from streamed
            return
    size = os.path.getsize(path)
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    with open(path, "rb") as f:
        raw = f.read(max_bytes + 1)
    name = path
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw, max_bytes)
        name = re.sub(r"\.gz$", "", path, flags=re.I)
    yield from _load_bytes(raw, path, _extension(name), limits)


def _stream_jsonl(path: str, limits: "Limits") -> Optional[Iterator[Record]]:
    """The records of a JSON lines file (gzipped or not) of any size, read a line at a time;
    each line may hold `max_bytes`. None where the file is UTF-16, whose lines are not
    bytes ending in a newline: it is read whole, as any other file."""
    opener = gzip.open if _gzipped(path) else open
    try:
        with opener(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except (OSError, EOFError) as exc:
        raise Reject(f"corrupt gzip file: {exc}") from exc
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    kind = _binary_kind(head)
    if kind:
        raise Reject("binary file, not text" + (f" ({kind})" if kind != "binary" else ""))
    if not head.strip():
        raise Reject("empty")
    return _jsonl_lines(path, opener, limits.max_bytes)


def _jsonl_lines(path: str, opener, max_bytes: int) -> Iterator[Record]:
    lineno = 0
    with opener(path, "rb") as f:
        try:
            while line := f.readline(max_bytes + 1):
                lineno += 1
                where = f"{path}:{lineno}"
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                        pass  # the rest of a line too long to read
                    yield Rejected(where, f"line too long (over {_size(max_bytes)})")
                    continue
                if not line.strip():
                    continue
                try:
                    text = decode(line[3:] if lineno == 1 and line[:3] == b"\xef\xbb\xbf"
                                  else line)
                except Reject as exc:
                    yield Rejected(where, str(exc))
                    continue
                yield formats.read_jsonl_line(text, where)
        except (OSError, EOFError) as exc:  # a gzip stream cut short or damaged
            yield Rejected(f"{path}:{lineno + 1}", f"corrupt gzip file from line {lineno + 1} "
                                                   f"on ({exc}); the lines before it were read")


def _gzipped(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _load_warc(path: str, limits: "Limits") -> Iterator[Record]:
    """The articles of a WARC file's HTML pages, each read as an HTML file is."""
    with open(path, "rb") as f:
        for found in warc.pages(f, path, limits.max_bytes, size=os.path.getsize(path)):
            if isinstance(found, Rejected):
                yield found
                continue
            try:
                for record in _load_bytes(found.body, found.origin, "html", limits,
                                          url=found.url):
                    if isinstance(record, Article) and not record.url:
                        record.url = found.url
                    yield record
            except Reject as exc:
                yield Rejected(found.origin, str(exc))


def _load_stdin(limits: "Limits") -> Iterator[Record]:
    max_bytes = limits.max_bytes
    stream = sys.stdin
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        raw = buffer.read(max_bytes + 1)
    else:  # a text stream (a test's StringIO)
        raw = stream.read(max_bytes + 1).encode("utf-8")
    if len(raw) > max_bytes:
        raise Reject(f"input too large (over {_size(max_bytes)})")
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw, max_bytes)
    yield from _load_bytes(raw, "<stdin>", None, limits)


@dataclass(frozen=True)
class Limits:
    """How much one input may cost: its size, and for URLs, whether to fetch feed entries'
    pages, the seconds each URL has, and whether private addresses may be fetched."""

    max_bytes: int = MAX_BYTES
    fetch_entries: bool = False
    fetch_seconds: float = 30.0
    allow_private: bool = False


def fetch(url: str, limits: Limits = Limits()) -> bytes:
    """The body at `url`, within `limits` (ingest/fetch.py); Reject with the reason."""
    from claimledger.ingest.fetch import FetchError, fetch_url

    try:
        return fetch_url(url, seconds=limits.fetch_seconds, max_bytes=limits.max_bytes,
                         allow_private=limits.allow_private)
    except FetchError as exc:
        raise Reject(str(exc)) from None


def _load_url(url: str, limits: Limits) -> Iterator[Record]:
    raw = fetch(url, limits)
    if len(raw) > limits.max_bytes:
        raise _too_large(len(raw), limits.max_bytes)
    path = urlsplit(url).path
    ext = _extension(path)
    for record in _load_bytes(raw, url, ext if ext in ("feed", "jsonl", "json") else None,
                              limits, url=url):
        if isinstance(record, Article) and record.raw_format != "feed" and not record.url:
            record.url = url
        yield record


def _gunzip(raw: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
            data = f.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise Reject(f"corrupt gzip file: {exc}") from exc
    if len(data) > max_bytes:
        raise Reject(f"file too large (over {_size(max_bytes)} uncompressed)")
    return data


def _extension(path: str) -> Optional[str]:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


# -- 2, 3. refuse and decode ----------------------------------------------------------------

def _binary_kind(raw: bytes) -> Optional[str]:
    """A name for the binary format of `raw`, or None if it looks like text."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a BOM: text, NULs and all
        return None
    for magic, kind in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            return kind
    head = raw[:SNIFF_BYTES]
    if b"\x00" in head:
        return "binary"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls > 0.05 * len(head):
        return "binary"
    return None


def _sane(text: str) -> bool:
    """Mostly readable: few replacement/control characters, not mostly non-ASCII symbols."""
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f"))
    non_ascii = sum(1 for c in sample if ord(c) > 127)
    return bad <= 0.01 * len(sample) and non_ascii <= 0.2 * len(sample)


def decode(raw: bytes) -> str:
    """Text of `raw`: UTF-8 (or a BOM's encoding), the declared HTML charset, or cp1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(raw[:SNIFF_BYTES])
    if declared:
        try:
            text = raw.decode(declared.group(1).decode("ascii"), errors="replace")
            if "\ufffd" not in text[:20000] or _sane(text):
                return text
        except LookupError:
            pass
    text = raw.decode("cp1252", errors="replace")
    if _sane(text):
        return text
    raise Reject("not valid UTF-8 text")


# -- 4. sniff and dispatch ------------------------------------------------------------------

def _sniff(text: str) -> str:
    head = text[:SNIFF_BYTES].lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        if _FEED_ROOT.search(head) and not re.search(r"<html\b", head, re.I):
            return "feed"
        return "html"
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    return "text"


def _load_bytes(raw: bytes, origin: str, ext: Optional[str], limits: Limits,
                url: Optional[str] = None) -> Iterator[Record]:
    kind = _binary_kind(raw)
    if kind:
        raise Reject("binary file, not text" + (f" ({kind})" if kind != "binary" else ""))
    if not raw.strip():
        raise Reject("empty")
    text = decode(raw)
    if not text.strip():
        raise Reject("empty")
    fmt = ext or _sniff(text)
    if fmt == "text" and text.lstrip()[:1] == "<" and _sniff(text) in ("html", "feed"):
        fmt = _sniff(text)  # markup saved as .txt
    if fmt == "feed":
        parsed = formats.parse_feed(text.encode("utf-8"))
        if parsed.entries:
            page = (lambda link: decode(fetch(link, limits))) if limits.fetch_entries else None
            yield from formats.read_feed(parsed, origin, fetch_page=page)
            return
        if not _HTML_TAG.search(text[:SNIFF_BYTES * 4]):
            raise Reject("not a feed: no entries found")
        fmt = "html"
    if fmt == "html":
        yield formats.read_html(text, origin, url=url)
    elif fmt == "jsonl":
        yield from formats.read_jsonl(text, origin)
    elif fmt == "json":
        yield from formats.read_json(text, origin)
    else:
        yield formats.read_text_page(text, origin)


# -- 5. finish ------------------------------------------------------------------------------

_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)")


def _date_in_name(origin: Optional[str]) -> Optional[str]:
    """An ISO date in a file's name (not its folders), as pages are often saved."""
    if not origin or origin.startswith(("http://", "https://")):
        return None
    m = _NAME_DATE.search(os.path.basename(origin.split(":")[0]))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _finish(article: Article, published: Optional[str], outlet: Optional[str]) -> None:
    if published:
        article.published_at, article.published_from = published, "argument"
    elif not article.published_at:
        named = _date_in_name(article.origin)
        value, _granularity = infer_published(article.text)
        if named:  # "2025-03-03-harbour-strike.txt": saved under its publication date
            article.published_at, article.published_from = named, "filename"
        elif value:
            article.published_at, article.published_from = value, "text"
        else:
            article.published_from = None
    if outlet:
        article.outlet = outlet
    elif not article.outlet and article.url:
        host = urlsplit(article.url).hostname or ""
        article.outlet = re.sub(r"^www\d?\.", "", host) or None
    detected = detect_language(article.text)
    article.language = detected or article.language
