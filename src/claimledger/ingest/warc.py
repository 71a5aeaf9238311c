"""WARC files: the pages of a web crawl (Common Crawl's news crawl, wget, Heritrix) read as
they are stored, one record at a time, so that a file of any size is never held in memory.

    pages(stream, origin, max_bytes) -> Iterator[Page | Rejected]

Each `response` (or `resource`) record holding an HTML page is a `Page`: its body (HTTP
transfer and content encodings undone), the URL it was fetched from, and an origin
`FILE@OFFSET`, the byte offset of the record in the file (`warcio extract FILE OFFSET` prints
it). What is not a page is said so, one `Rejected` per record with the reason: a response
that is not HTML (an image, a script, a PDF) or not a success (a redirect, a 404), a revisit
record (the crawler stored no body: the page was unchanged since an earlier capture), a
record cut short, a body over `max_bytes`. Requests, metadata and the file's warcinfo
describe the crawl, not pages: they are counted and logged, not rejected. A file that ends in
the middle of a record, or holds bytes that are no WARC record, ends with a `Rejected` that
says where; every page before it is read.

The crawl date (`WARC-Date`) is when the page was fetched, not when it was published: it is
not taken as the article's date (the page's own metadata is, as for any HTML file).
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections import Counter
from typing import BinaryIO, Iterator, NamedTuple, Optional, Union

from claimledger.models import Rejected

LOGGER = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAGIC = b"WARC/"
# Records that describe the crawl rather than hold a page.
CRAWL_RECORDS = ("request", "metadata", "warcinfo", "conversion", "continuation")


class Page(NamedTuple):
    origin: str  # FILE@OFFSET
    url: Optional[str]
    body: bytes


def is_warc(path: str) -> bool:
    """Whether the file at `path` is a WARC file (by name, else by its first bytes, gzipped
    or not)."""
    name = path.lower()
    if name.endswith((".warc", ".warc.gz")):
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC))
            if head[:2] == b"\x1f\x8b":
                f.seek(0)
                with gzip.GzipFile(fileobj=f) as unzipped:
                    head = unzipped.read(len(MAGIC))
    except (OSError, EOFError, zlib.error):
        return False
    return head == MAGIC


def pages(stream: BinaryIO, origin: str, max_bytes: int,
          size: Optional[int] = None) -> Iterator[Union[Page, Rejected]]:
    """The pages of the WARC file open as `stream` (read from its start), with a `Rejected`
    for each record that is not one; `size`, the file's length, tells a file cut short."""
    from warcio.archiveiterator import ArchiveIterator

    counts: Counter[str] = Counter()
    records = ArchiveIterator(stream)
    try:
        for record in records:
            where = f"{origin}@{records.offset}"  # where this record starts
            kind = record.rec_type or "unknown"
            counts[kind] += 1
            if kind in CRAWL_RECORDS:
                continue
            found = _page(record, where, max_bytes)
            counts["page" if isinstance(found, Page) else "rejected"] += 1
            yield found
    except Exception as exc:  # noqa: BLE001 - warcio's errors have no common base
        yield Rejected(f"{origin}@{records.offset}",
                       f"damaged WARC file: no record could be read from byte "
                       f"{records.offset} on ({type(exc).__name__}: {exc}); the records "
                       f"before it were read")
        return
    finally:
        LOGGER.info("%s: %d WARC records: %d pages, %d not pages (rejected with the "
                    "reason), %d describing the crawl", origin,
                    sum(v for k, v in counts.items() if k not in ("page", "rejected")),
                    counts["page"], counts["rejected"],
                    sum(counts[k] for k in CRAWL_RECORDS))
    if size is not None and records.offset < size:
        yield Rejected(f"{origin}@{records.offset}",
                       f"damaged or cut-short WARC file: the last {size - records.offset} "
                       f"bytes (from byte {records.offset}) are no whole record; the records "
                       f"before them were read")


def _page(record, where: str, max_bytes: int) -> Union[Page, Rejected]:
    kind = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI")
    label = f"{where} ({url})" if url else where
    if kind == "revisit":
        return Rejected(label, "a revisit record: the crawler stored no page, only that it "
                               "was unchanged since an earlier capture")
    if kind not in ("response", "resource"):
        return Rejected(label, f"a WARC {kind} record, not a page")
    if kind == "response":
        http = record.http_headers
        if http is None:
            return Rejected(label, "a response record cut short before its HTTP headers")
        if not str(http.get_statuscode() or "").startswith("2"):
            return Rejected(label, f"HTTP status {http.statusline}, not a page")
        ctype = http.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    mime = ctype.split(";")[0].strip().lower()
    if mime not in HTML_TYPES:
        return Rejected(label, f"not an HTML page ({mime or 'no content type'})")
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Rejected(label, f"page too large (over {max_bytes:,} bytes)")
    if getattr(record.raw_stream, "limit", 0) > 0:
        return Rejected(label, "a record cut short: its body ends before the length its "
                               "header gives (a truncated file or download)")
    return Page(where, url, body)
