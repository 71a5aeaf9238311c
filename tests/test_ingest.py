"""Ingest: files, HTML, feeds, JSONL, stdin and bad input into Article / Rejected records."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from claimledger.ingest import (
    band_keys,
    clean_paragraphs,
    content_hash,
    detect_language,
    html_to_text,
    infer_published,
    read,
    shingle_signature,
    similarity,
)
from claimledger.models import Article, Rejected

EXAMPLE = Path(__file__).parents[2] / "shared/examples/000_74cb888c7f6563bf.txt"


@pytest.fixture
def example_text() -> str:
    if not EXAMPLE.exists():
        pytest.skip(f"example article not found at {EXAMPLE}")
    return EXAMPLE.read_text(encoding="utf-8")


def read_all(*paths, **kwargs) -> list:
    return list(read([str(p) for p in paths], **kwargs))


def one(*paths, **kwargs):
    records = read_all(*paths, **kwargs)
    assert len(records) == 1, records
    return records[0]


ARTICLE_PARAGRAPHS = [
    "Officials in Kyiv said on Monday that air defence units shot down most of the drones "
    "launched overnight against the capital, according to the city's military administration.",
    "The mayor said debris fell on two districts and damaged a school, but no casualties were "
    "reported. Emergency crews worked through the night to clear the streets.",
    "The attack came hours after a meeting of allied defence ministers in Brussels, where "
    "several governments pledged further support for Ukraine's air defences.",
]

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Drones shot down over Kyiv | Example News</title>
  <meta property="og:title" content="Drones shot down over Kyiv">
  <meta property="og:site_name" content="Example News">
  <meta property="article:published_time" content="2024-10-22T08:30:00+00:00">
  <meta name="author" content="Jane Reporter">
  <link rel="canonical" href="https://news.example.com/world/drones-kyiv">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
  <li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
  <article>
    <h1>Drones shot down over Kyiv</h1>
    <p class="byline">By Jane Reporter</p>
    <p>{0}</p>
    <p>{1}</p>
    <p>{2}</p>
  </article>
  <aside class="related"><h3>Related stories</h3><ul>
    <li><a href="/a">Another story about something else entirely</a></li>
    <li><a href="/b">A third story readers clicked on</a></li></ul></aside>
  <footer><p>Subscribe to our newsletter</p><p>© 2024 Example News. All rights reserved.</p>
  <p>We use cookies to improve your experience.</p></footer>
</body>
</html>
""".format(*ARTICLE_PARAGRAPHS)


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Example Wire</title><link>https://wire.example.org/</link>
  <description>News</description><language>en-gb</language>
  <item>
    <title>Drones shot down over Kyiv</title>
    <link>https://wire.example.org/1</link>
    <pubDate>Tue, 22 Oct 2024 08:30:00 GMT</pubDate>
    <author>desk@wire.example.org (Wire Desk)</author>
    <description><![CDATA[<p>{0}</p><p>{1}</p>]]></description>
  </item>
  <item>
    <title>Allies pledge air defence aid</title>
    <link>https://wire.example.org/2</link>
    <pubDate>Wed, 23 Oct 2024 10:00:00 +0200</pubDate>
    <description>{2}</description>
  </item>
</channel></rss>
""".format(*ARTICLE_PARAGRAPHS)

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Atom</title>
  <link href="https://atom.example.net/"/>
  <updated>2024-10-23T12:00:00Z</updated>
  <id>urn:uuid:feed</id>
  <entry>
    <title>First entry</title>
    <link href="https://atom.example.net/first"/>
    <id>urn:uuid:1</id>
    <published>2024-10-21T09:00:00Z</published>
    <updated>2024-10-21T09:00:00Z</updated>
    <author><name>A. Writer</name></author>
    <content type="html">&lt;p&gt;{0}&lt;/p&gt;&lt;p&gt;Share this:&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Second entry</title>
    <link href="https://atom.example.net/second"/>
    <id>urn:uuid:2</id>
    <updated>2024-10-23T11:00:00Z</updated>
    <summary>{1}</summary>
  </entry>
</feed>
""".format(*ARTICLE_PARAGRAPHS)


# -- the example text page ------------------------------------------------------------------

def test_example_page(example_text):
    article = one(EXAMPLE)
    assert isinstance(article, Article)
    assert article.raw_format == "text"
    assert article.title == "Budanov: First North Korean troops deploy to Russia’s Kursk Wednesday"
    assert article.text.startswith("Ukraine’s Defense Intelligence Chief Kyrylo Budanov told")
    assert article.text.endswith("fighting for Moscow.")
    assert "Read more" not in article.text and "Patron" not in article.text
    assert all(line == line.rstrip() for line in article.text.split("\n"))
    assert "\n\n" in article.text and "\n\n\n" not in article.text
    removed = "\n".join(b.text for b in article.boilerplate)
    assert "Become a Patron!" in removed
    assert "(Visited 2 times, 1 visits today)" in removed
    reasons = {b.reason for b in article.boilerplate}
    assert {"read more", "donation appeal", "view counter", "author box", "related links",
            "source link"} <= reasons
    assert article.language == "en"
    assert article.origin == str(EXAMPLE)


def test_example_publication_year_from_weekday(example_text):
    article = one(EXAMPLE)
    # "Wednesday, 23 October" pins 2024; the text does not support a day
    assert article.published_at == "2024"
    assert article.published_from == "text"
    assert infer_published(example_text, today=dt.date(2024, 11, 1)) == ("2024", "year")


def test_published_argument_wins(example_text, tmp_path):
    article = one(EXAMPLE, published="2024-10-22")
    assert (article.published_at, article.published_from) == ("2024-10-22", "argument")
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    article = one(page, published="22 October 2024")
    assert (article.published_at, article.published_from) == ("2024-10-22", "argument")


def test_support_paragraph_is_not_a_donation_appeal(tmp_path):
    body = ARTICLE_PARAGRAPHS + [
        "Western governments have promised to support Kyiv for as long as it takes, and "
        "officials said public support for the aid remained strong.",
        "Support",
    ]
    page = tmp_path / "support.txt"
    page.write_text("Title line\n\n" + "\n\n".join(body) + "\n\nBecome a patron\n")
    article = one(page)
    assert "promised to support Kyiv" in article.text
    assert article.text.endswith("remained strong.\n\nSupport") or article.text.endswith(
        "remained strong.")
    assert any(b.reason == "donation appeal" for b in article.boilerplate)


def test_mid_article_furniture_lines_and_no_false_tail(tmp_path):
    lines = [ARTICLE_PARAGRAPHS[0], "Advertisement", ARTICLE_PARAGRAPHS[1],
             "Read more: Unrelated headline elsewhere", "Related:", ARTICLE_PARAGRAPHS[2],
             ARTICLE_PARAGRAPHS[0].replace("Monday", "Tuesday"),
             ARTICLE_PARAGRAPHS[1].replace("mayor", "governor")]
    text, boilerplate = clean_paragraphs(lines)
    # "Related:" is followed by more article than came before it: not a tail
    assert "governor" in text and "Advertisement" not in text
    assert "Unrelated headline" not in text
    assert {b.reason for b in boilerplate} >= {"advertisement", "read more", "related links"}


def test_hard_wrapped_text_is_joined(tmp_path):
    page = tmp_path / "wrapped.txt"
    page.write_text("A title\n\nThe first paragraph is wrapped at a fixed width as old\n"
                    "newswire copy often is, and it goes on to a second line.\n\n"
                    "A second paragraph stands alone here.\n")
    article = one(page)
    assert article.text == ("The first paragraph is wrapped at a fixed width as old newswire "
                            "copy often is, and it goes on to a second line.\n\n"
                            "A second paragraph stands alone here.")


# -- HTML -----------------------------------------------------------------------------------

def test_html_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    article = one(page)
    assert isinstance(article, Article), article
    assert article.raw_format == "html"
    assert article.title == "Drones shot down over Kyiv"
    assert article.published_at.startswith("2024-10-22")
    assert article.published_from == "metadata"
    assert article.outlet == "Example News"
    assert article.author == "Jane Reporter"
    assert article.url == "https://news.example.com/world/drones-kyiv"
    assert article.language == "en"
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in article.text
    for furniture in ("Share on Facebook", "Tweet", "Subscribe", "All rights reserved",
                      "cookies", "Politics", "Another story"):
        assert furniture not in article.text
    assert "\n\n" in article.text
    assert article.text.startswith("Officials in Kyiv")  # the repeated headline dropped


def test_html_outlet_argument_and_domain_fallback(tmp_path):
    page = tmp_path / "page.htm"
    page.write_text(HTML_PAGE.replace('<meta property="og:site_name" content="Example News">',
                                      ""), encoding="utf-8")
    assert one(page, outlet="My Outlet").outlet == "My Outlet"
    assert one(page).outlet == "news.example.com"


def test_malformed_html_does_not_crash(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><div><p>Unclosed <b>bold <i>" + ARTICLE_PARAGRAPHS[0]
                   + "<p>" + ARTICLE_PARAGRAPHS[1] + "</div></span>&&&;<<>><table><tr><td>"
                   + "\x0b garbage </html></html><p>" + ARTICLE_PARAGRAPHS[2])
    garbage = tmp_path / "garbage.html"
    garbage.write_text("<<<>>><!-- <div <p </ <script>alert(1)</script> >>>" * 20)
    records = read_all(bad, garbage)
    assert len(records) == 2
    assert isinstance(records[0], Article) and "air defence units" in records[0].text
    assert isinstance(records[1], Rejected)
    assert records[1].reason == "no article text found"


def test_html_without_date_infers_from_text(tmp_path):
    page = tmp_path / "nodate.html"
    page.write_text("<html><head><title>Kyiv</title></head><body><article><p>KYIV, "
                    "22 October 2024 — " + ARTICLE_PARAGRAPHS[0] + "</p><p>"
                    + ARTICLE_PARAGRAPHS[1] + "</p></article></body></html>")
    article = one(page)
    assert (article.published_at, article.published_from) in (
        ("2024-10-22", "text"), ("2024-10-22", "metadata"))


def test_html_to_text():
    text = html_to_text("<p>One &amp; two</p><script>x()</script><!-- c --><p>Three<br>four</p>")
    assert text == "One & two\nThree\nfour"
    assert html_to_text("plain &lt;text&gt;") == "plain <text>"


# -- feeds ----------------------------------------------------------------------------------

def test_rss_feed(tmp_path):
    feed = tmp_path / "wire.rss"
    feed.write_text(RSS, encoding="utf-8")
    records = read_all(feed)
    assert [type(r) for r in records] == [Article, Article]
    first, second = records
    assert first.raw_format == "feed"
    assert first.title == "Drones shot down over Kyiv"
    assert first.url == "https://wire.example.org/1"
    assert first.outlet == "Example Wire"
    assert first.published_at.startswith("2024-10-22T08:30")
    assert first.published_from == "metadata"
    assert first.text == ARTICLE_PARAGRAPHS[0] + "\n\n" + ARTICLE_PARAGRAPHS[1]
    assert second.text == ARTICLE_PARAGRAPHS[2]
    assert second.published_at.startswith("2024-10-23T08:00")  # converted to UTC
    assert first.origin == str(feed)


def test_atom_feed_sniffed_from_xml(tmp_path):
    feed = tmp_path / "atom.xml"
    feed.write_text(ATOM, encoding="utf-8")
    records = read_all(feed)
    assert [r.title for r in records] == ["First entry", "Second entry"]
    assert records[0].author == "A. Writer"
    assert records[0].text == ARTICLE_PARAGRAPHS[0]  # "Share this:" cut
    assert records[0].boilerplate[0].reason == "share bar"
    assert records[0].published_at.startswith("2024-10-21T09:00")
    assert records[1].published_at.startswith("2024-10-23T11:00")  # from <updated>
    assert {r.outlet for r in records} == {"Example Atom"}


def test_xml_that_is_not_a_feed(tmp_path):
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><catalog><book id="1"/></catalog>')
    record = one(path)
    assert isinstance(record, Rejected)
    assert "no entries" in record.reason


# -- JSONL ----------------------------------------------------------------------------------

def test_jsonl_with_a_bad_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"url": "https://www.kyivnews.example/a", "title": "A", "published":
                    "2024-10-22", "text": ARTICLE_PARAGRAPHS[0]}),
        '{"url": "https://x.example/b", "title": "broken", ',
        json.dumps({"url": "https://y.example/c", "title": "C", "outlet": "Outlet C",
                    "html": "<html><body><article><p>" + ARTICLE_PARAGRAPHS[1]
                    + "</p><p>" + ARTICLE_PARAGRAPHS[2] + "</p></article></body></html>"}),
        "",
        json.dumps({"title": "no text"}),
        json.dumps(["not", "an", "object"]),
    ]
    path.write_text("\n".join(lines) + "\n")
    records = read_all(path)
    assert [type(r) for r in records] == [Article, Rejected, Article, Rejected, Rejected]
    a, bad, c, notext, notobj = records
    assert (a.title, a.published_at, a.published_from) == ("A", "2024-10-22", "metadata")
    assert a.outlet == "kyivnews.example"  # domain fallback
    assert a.raw_format == "jsonl"
    assert bad.origin == f"{path}:2" and bad.reason.startswith("invalid JSON")
    assert c.outlet == "Outlet C" and ARTICLE_PARAGRAPHS[2] in c.text and c.title == "C"
    assert notext.origin == f"{path}:5" and notext.reason == "record has no text or html"
    assert "not a JSON object" in notobj.reason


# -- directories, stdin, gzip ---------------------------------------------------------------

def test_directory_with_mixed_files(tmp_path, example_text):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_text(example_text, encoding="utf-8")
    (tmp_path / "b" / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "b" / "feed.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"title": "J", "text": ARTICLE_PARAGRAPHS[2]}))
    (tmp_path / ".secret.txt").write_text("hidden")
    (tmp_path / ".hidden" / "x.txt").write_text("hidden")
    (tmp_path / "d.bin").write_bytes(b"\x00\x01\x02" * 100)
    records = read_all(tmp_path)
    kinds = [(Path(r.origin).name, type(r).__name__) for r in records]
    assert kinds == [
        ("a.txt", "Article"),
        ("feed.rss", "Article"),
        ("feed.rss", "Article"),
        ("page.html", "Article"),
        ("c.jsonl:1", "Article"),
        ("d.bin", "Rejected"),
    ]


def test_stdin(monkeypatch, example_text):
    monkeypatch.setattr(sys, "stdin", io.StringIO(example_text))
    article = one("-")
    assert article.origin == "<stdin>"
    assert article.text.endswith("fighting for Moscow.")
    monkeypatch.setattr(sys, "stdin", io.StringIO(RSS))
    records = read_all("-")
    assert [r.raw_format for r in records] == ["feed", "feed"]


def test_stdin_binary_buffer(monkeypatch):
    class Stdin:
        buffer = io.BytesIO(HTML_PAGE.encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert one("-").title == "Drones shot down over Kyiv"


def test_gzip_html(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML_PAGE.encode("utf-8")))
    article = one(path)
    assert article.raw_format == "html" and article.title == "Drones shot down over Kyiv"


# -- bad input ------------------------------------------------------------------------------

def test_bad_inputs_are_rejected_and_the_batch_goes_on(tmp_path, example_text):
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n ")
    garbled = tmp_path / "garbled.txt"
    garbled.write_bytes(bytes(range(0x80, 0x100)) * 40)
    big = tmp_path / "big.txt"
    big.write_text(example_text + "x" * 5000)
    good = tmp_path / "good.txt"
    good.write_text(example_text)
    missing = tmp_path / "missing.txt"
    records = read_all(binary, empty, blank, garbled, big, missing, good, max_bytes=6000)
    reasons = [(Path(r.origin).name, getattr(r, "reason", "ok")) for r in records]
    assert reasons == [
        ("image.txt", "binary file, not text"),
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("garbled.txt", "not valid UTF-8 text"),
        ("big.txt", f"file too large ({big.stat().st_size / 1000:.1f} KB > 6 KB)"),
        ("missing.txt", "no such file or directory"),
        ("good.txt", "ok"),
    ]


def test_file_too_large_default_units(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2_500_001)
    record = one(path, max_bytes=2_000_000)
    assert record.reason == "file too large (2.5 MB > 2 MB)"


def test_pdf_is_binary(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert one(path).reason == "binary file, not text (PDF)"


def test_latin1_text_is_decoded(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 story\n\nThe caf\u00e9 in M\u00fcnchen reopened on Monday, the "
                     "owner said, after a long closure.\n".encode("cp1252"))
    article = one(path)
    assert article.title == "Caf\u00e9 story"
    assert "M\u00fcnchen" in article.text


def test_html_declared_charset(tmp_path):
    page = HTML_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
    page = page.replace(ARTICLE_PARAGRAPHS[1], "Мэр сказал, что обломки упали на два района.")
    path = tmp_path / "cp1251.html"
    path.write_bytes(page.encode("cp1251"))
    article = one(path)
    assert "Мэр сказал" in article.text


def test_page_with_no_article_text(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav><footer>© 2024</footer>"
                    "</body></html>")
    assert one(path).reason == "no article text found"
    txt = tmp_path / "furniture.txt"
    txt.write_text("Title only\n\nAdvertisement\n\nShare this\n")
    assert one(txt).reason == "no article text found"


def test_non_english_pages(tmp_path):
    de = tmp_path / "de.txt"
    de.write_text("Drohnen über Kiew\n\nDie Luftabwehr hat in der Nacht die meisten der "
                  "Drohnen abgeschossen, die auf die Hauptstadt abgefeuert wurden. Nach Angaben "
                  "der Stadtverwaltung gab es keine Verletzten, aber eine Schule wurde "
                  "beschädigt, und die Feuerwehr war die ganze Nacht im Einsatz.\n")
    ru = tmp_path / "ru.txt"
    ru.write_text("Дроны над Киевом\n\nСилы противовоздушной обороны ночью сбили большинство "
                  "беспилотников, которые были запущены по столице, сообщили в городской "
                  "военной администрации. Пострадавших нет.\n")
    assert [r.language for r in read_all(de, ru)] == ["de", "ru"]


def test_detect_language():
    assert detect_language(" ".join(ARTICLE_PARAGRAPHS)) == "en"
    assert detect_language("Le gouvernement a annoncé que les forces de la défense "
                           "aérienne ont abattu la plupart des drones dans la nuit.") == "fr"
    assert detect_language("El gobierno dijo que las defensas aéreas derribaron la mayoría "
                           "de los drones que fueron lanzados contra la capital.") == "es"
    assert detect_language("Сили протиповітряної оборони збили більшість дронів, "
                           "повідомила міська військова адміністрація.") == "uk"
    assert detect_language("قالت الحكومة إن الدفاعات الجوية أسقطت معظم الطائرات المسيرة") == "ar"
    assert detect_language("政府表示，防空部队击落了大部分无人机。") == "zh"
    assert detect_language("ok") is None
    assert detect_language("12345 67890 !!! ???") is None


# -- publication dates ----------------------------------------------------------------------

def test_infer_published():
    today = dt.date(2026, 1, 15)
    assert infer_published("KYIV, 22 October 2024 — Drones.", today=today) == ("2024-10-22",
                                                                               "day")
    assert infer_published("WASHINGTON (AP) October 22, 2024 — x", today=today) == (
        "2024-10-22", "day")
    # a weekday pins the year; a future year is never chosen
    assert infer_published("They will arrive on Wednesday, 23 October, officials said.",
                           today=today) == ("2024", "year")
    assert infer_published("The vote is on Tuesday, November 5.", today=today) == ("2024",
                                                                                  "year")
    assert infer_published("No dates here at all.", today=today) == (None, None)
    # a full date deep in the text says when something happened, not when it was published
    deep = "x " * 400 + "Russia invaded on 24 February 2022."
    assert infer_published(deep, today=today) == (None, None)


def test_metadata_date_beats_text_but_not_argument(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "t", "published": "2024-10-20",
                                "text": "KYIV, 22 October 2024 — " + ARTICLE_PARAGRAPHS[0]}))
    assert (one(path).published_at, one(path).published_from) == ("2024-10-20", "metadata")
    article = one(path, published="2024-10-21")
    assert (article.published_at, article.published_from) == ("2024-10-21", "argument")
    path.write_text(json.dumps({"title": "t",
                                "text": "KYIV, 22 October 2024 — " + ARTICLE_PARAGRAPHS[0]}))
    assert (one(path).published_at, one(path).published_from) == ("2024-10-22", "text")


# -- dedupe ---------------------------------------------------------------------------------

def test_content_hash_ignores_case_and_spacing():
    assert content_hash("North  Korean\ntroops") == content_hash("north korean troops")
    assert content_hash("a") != content_hash("b")
    assert len(content_hash("x")) == 64


def test_near_duplicates(example_text, tmp_path):
    original = one(EXAMPLE)
    repost_path = tmp_path / "repost.txt"
    body = example_text.split("\n", 1)[1].replace("Read more:", "")
    repost_path.write_text("Kursk: North Korean soldiers expected on Wednesday\n\n"
                           "Original Source\n\n" + body)
    repost = one(repost_path)
    unrelated = " ".join(ARTICLE_PARAGRAPHS) + " " + " ".join(
        p.replace("Kyiv", "Kharkiv") for p in ARTICLE_PARAGRAPHS)

    sig = shingle_signature(original.text)
    assert len(sig) == 64 and all(0 <= v < 2 ** 63 for v in sig)
    assert sig == shingle_signature(original.text)
    # the repost with an extra line, unstripped, and with a different title
    raw_repost = "Original Source\n" + repost.text
    assert similarity(sig, shingle_signature(raw_repost)) >= 0.8
    assert similarity(sig, shingle_signature(repost.title + "\n" + repost.text)) >= 0.8
    assert similarity(sig, shingle_signature(unrelated)) < 0.2
    assert set(band_keys(sig)) & set(band_keys(shingle_signature(raw_repost)))
    assert not set(band_keys(sig)) & set(band_keys(shingle_signature(unrelated)))
    assert similarity(shingle_signature("short"), shingle_signature("short")) == 1.0


def test_single_path_string_is_accepted(example_text):
    assert len(list(read(str(EXAMPLE)))) == 1


def test_unreadable_published_argument_is_an_error(example_text):
    with pytest.raises(ValueError):
        list(read([str(EXAMPLE)], published="not a date at all"))


def test_urls_of_a_page_and_a_feed(monkeypatch):
    """URL inputs: the download is replaced (no network); extraction and parsing are real."""
    import claimledger.ingest.core as core

    real_fetch = core.fetch
    pages = {"https://site.example/story": HTML_PAGE, "https://site.example/feed": RSS}

    def fake_fetch(url, limits=core.Limits()):  # noqa: B008 (as core.fetch)
        if url in pages:
            return pages[url].encode("utf-8")
        return real_fetch(url, limits)

    monkeypatch.setattr(core, "fetch", fake_fetch)
    records = read_all("https://site.example/story", "https://site.example/feed",
                       "http://127.0.0.1:9/nothing-listens-here")
    page, entry1, entry2, missing = records
    assert page.title == "Drones shot down over Kyiv" and page.raw_format == "html"
    assert page.origin == "https://site.example/story"
    assert [entry1.raw_format, entry2.raw_format] == ["feed", "feed"]
    assert entry1.url == "https://wire.example.org/1"
    assert isinstance(missing, Rejected)
    assert missing.reason.startswith("refused: 127.0.0.1 is a loopback address")


def test_publication_date_from_the_file_name(tmp_path):
    page = tmp_path / "2025-03-03-harbour-strike.txt"
    page.write_text("Port hit\n\nOfficials said the port was hit on Monday night.\n")
    (article,) = list(read([str(page)]))
    assert article.published_at == "2025-03-03"
    assert article.published_from == "filename"
    (argued,) = list(read([str(page)], published="2025-03-04"))
    assert argued.published_at == "2025-03-04" and argued.published_from == "argument"


def test_a_folders_readme_is_not_an_article(tmp_path):
    (tmp_path / "README.md").write_text("# Notes\n\nThese are the articles we collected.\n")
    (tmp_path / "story.txt").write_text("Port hit\n\nOfficials said the port was hit.\n")
    assert [Path(a.origin).name for a in read([str(tmp_path)])] == ["story.txt"]
    assert len(list(read([str(tmp_path / "README.md")]))) == 1  # named, it is read


# -- JSON lines of any size ------------------------------------------------------------------

def _jsonl_lines(n: int) -> bytes:
    return b"".join(json.dumps({"title": f"Report {i}", "text": "\n".join(ARTICLE_PARAGRAPHS)
                                }).encode() + b"\n" for i in range(n))


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_larger_than_one_inputs_limit_is_read_a_line_at_a_time(tmp_path, gz):
    raw = _jsonl_lines(30)
    path = tmp_path / ("big.jsonl.gz" if gz else "big.jsonl")
    path.write_bytes(gzip.compress(raw) if gz else raw)
    assert len(raw) > 6000
    records = read_all(path, max_bytes=6000)
    assert [r.title for r in records] == [f"Report {i}" for i in range(30)]
    assert all(isinstance(r, Article) for r in records)


def test_a_jsonl_line_over_the_limit_is_rejected_alone(tmp_path):
    long_line = json.dumps({"title": "Long", "text": "word " * 3000}).encode() + b"\n"
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(_jsonl_lines(1) + long_line + b"\n\xff\xfe not text\n" + _jsonl_lines(1))
    records = read_all(path, max_bytes=6000)
    assert [(r.origin.rsplit(":", 1)[1], type(r).__name__) for r in records] == [
        ("1", "Article"), ("2", "Rejected"), ("4", "Rejected"), ("5", "Article")]
    assert records[1].reason == "line too long (over 6 KB)"


def test_a_gzipped_jsonl_cut_short_keeps_the_lines_before_the_cut(tmp_path):
    packed = gzip.compress(_jsonl_lines(200))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[:len(packed) // 2])
    records = read_all(path)
    articles = [r for r in records if isinstance(r, Article)]
    assert articles and isinstance(records[-1], Rejected)
    assert "corrupt gzip file from line" in records[-1].reason
    assert [a.title for a in articles] == [f"Report {i}" for i in range(len(articles))]


def test_an_outlets_earlier_articles_place_its_namesakes(tmp_path):
    """A local paper's articles about towns of western Massachusetts teach the ledger
    where it is based: its later "Springfield" is Massachusetts', not the larger Missouri
    one that another outlet's "Springfield" stays."""
    from claimledger import Ledger
    from claimledger.normalise.places import km

    towns = ["Amherst", "Northampton", "Holyoke", "Greenfield"]
    records = [{"title": f"Fire in {t}", "outlet": "Valley Gazette", "published": "2025-03-0"
                f"{n + 1}", "text": f"Police said a fire in {t}, Massachusetts, destroyed two "
                "homes on Monday."} for n, t in enumerate(towns)]
    later = "Officials said a fire in Springfield destroyed a barn on Tuesday."
    path = tmp_path / "local.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with Ledger(str(tmp_path / "l.db")) as ledger:
        assert ledger.ingest([str(path)]).stored == 4
        # a second ingest: the paper's home is read from what the ledger holds
        for outlet in ("Valley Gazette", "Elsewhere Daily"):
            one = tmp_path / f"{outlet}.jsonl"
            one.write_text(json.dumps({"title": f"Council ({outlet})", "outlet": outlet,
                                       "text": later}), encoding="utf-8")
            assert ledger.ingest([str(one)]).stored == 1
        where = {}
        for claim in ledger.claims():
            for p in claim.places:
                if p.text == "Springfield":
                    where[claim.document.outlet if claim.document else None] = (p.lat, p.lon)
    assert km(*where["Valley Gazette"], 42.10, -72.59) < 20
    assert km(*where["Elsewhere Daily"], 37.22, -93.30) < 20
