"""WARC files: each HTML page of a crawl is an article, every other record is counted or
rejected with the reason, a file cut short keeps the pages before the cut, and a file larger
than the size limit of one input is read a record at a time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from claimledger import Ledger
from claimledger.ingest import read
from claimledger.models import Article, Rejected

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

PAGE = ("<html><head><title>Port of Odesa reopens after strike</title>"
        '<meta property="article:published_time" content="2024-10-22"></head><body><article>'
        "<p>The port of Odesa reopened on Tuesday after a missile strike closed it for two "
        "days, the regional governor said.</p><p>\u201cShips are moving again,\u201d "
        "Governor Oleh Kiper told reporters in Odesa. Officials said repairs would cost "
        "about $3 million.</p></article></body></html>")


def write_warc(path: Path, *, gz: bool = True, pages: int = 1) -> Path:
    """A small crawl: warcinfo, a request, HTML pages, an image, a redirect, a revisit."""
    with open(path, "wb") as out:
        w = WARCWriter(out, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "claimledger tests"}))
        w.write_record(w.create_warc_record("https://news.example/a", "request",
                                            payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
        for i in range(pages):
            html = PAGE.replace("Odesa reopens", f"Odesa reopens ({i})").encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://news.example/{i}", "response",
                                                payload=io.BytesIO(html), http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://news.example/logo.png", "response",
                                            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" * 8),
                                            http_headers=image))
        moved = StatusAndHeaders("301 Moved Permanently", [("Location", "/0")],
                                 protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://news.example/old", "response",
                                            payload=io.BytesIO(b""), http_headers=moved))
        w.write_record(w.create_revisit_record("https://news.example/0", digest="sha1:AAAA",
                                               refers_to_uri="https://news.example/0",
                                               refers_to_date="2024-10-22T10:00:00Z"))
    return path


@pytest.mark.parametrize("gz", [True, False])
def test_each_html_page_is_an_article_and_each_other_record_says_why(tmp_path, gz):
    path = write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz=gz)
    records = list(read([str(path)]))
    articles = [r for r in records if isinstance(r, Article)]
    rejected = [r for r in records if isinstance(r, Rejected)]
    assert len(articles) == 1
    page = articles[0]
    assert page.url == "https://news.example/0" and page.title.startswith("Port of Odesa")
    assert page.origin.startswith(f"{path}@") and "missile strike" in page.text
    assert page.published_at == "2024-10-22"  # the page's date, not the crawl's
    reasons = {r.origin.split(" ", 1)[1]: r.reason for r in rejected}
    assert reasons == {
        "(https://news.example/logo.png)": "not an HTML page (image/png)",
        "(https://news.example/old)": "HTTP status 301 Moved Permanently, not a page",
        "(https://news.example/0)": "a revisit record: the crawler stored no page, only that "
                                     "it was unchanged since an earlier capture",
    }  # the warcinfo and the request describe the crawl: not rejected


def test_the_origin_is_the_records_offset(tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    path = write_warc(tmp_path / "crawl.warc.gz")
    page = next(r for r in read([str(path)]) if isinstance(r, Article))
    offset = int(page.origin.rsplit("@", 1)[1])
    with open(path, "rb") as f:
        f.seek(offset)
        record = next(iter(ArchiveIterator(f)))
        assert record.rec_headers.get_header("WARC-Target-URI") == page.url


@pytest.mark.parametrize("gz", [True, False])
def test_a_file_cut_short_keeps_the_pages_before_the_cut(tmp_path, gz):
    whole = write_warc(tmp_path / ("whole.warc.gz" if gz else "whole.warc"), gz=gz, pages=3)
    data = whole.read_bytes()
    third = data.index(b"https://news.example/2") if not gz else None
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    # Cut inside the third page's record (uncompressed) or at two thirds (gzip members).
    cut.write_bytes(data[:third + 300] if third is not None else data[:len(data) * 2 // 3])
    records = list(read([str(cut)]))
    articles = [r for r in records if isinstance(r, Article)]
    rejected = [r for r in records if isinstance(r, Rejected)]
    assert 1 <= len(articles) < 3
    assert [a.url for a in articles] == [f"https://news.example/{i}"
                                         for i in range(len(articles))]
    assert rejected and ("cut short" in rejected[-1].reason or "damaged" in rejected[-1].reason)


def test_a_warc_larger_than_one_inputs_limit_is_read_a_record_at_a_time(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", pages=20)
    assert path.stat().st_size > 4000
    articles = [r for r in read([str(path)], max_bytes=4000) if isinstance(r, Article)]
    assert len(articles) == 20


def test_a_page_over_the_limit_is_rejected_alone(tmp_path):
    path = write_warc(tmp_path / "crawl.warc", gz=False)
    records = list(read([str(path)], max_bytes=200))
    assert not [r for r in records if isinstance(r, Article)]
    assert any("page too large" in r.reason for r in records if isinstance(r, Rejected))


def test_a_warc_is_known_by_its_content_under_any_name(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz")
    renamed = tmp_path / "download.bin"
    renamed.write_bytes(path.read_bytes())
    assert [r.url for r in read([str(renamed)]) if isinstance(r, Article)] == \
        ["https://news.example/0"]


def test_ingest_of_a_warc_stores_its_pages_with_their_urls(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", pages=2)
    with Ledger(str(tmp_path / "ledger.db")) as ledger:
        report = ledger.ingest([str(path)], workers=0)
        # The two pages differ by their titles only: stored both, grouped as reposts.
        assert (report.stored, report.near_duplicates, len(report.skipped)) == (2, 1, 3)
        assert ledger.claims()
        urls = {r[0] for r in ledger.store.db.execute("SELECT url FROM documents")}
        assert urls == {"https://news.example/0", "https://news.example/1"}
