"""One reader per input format: decoded text in, `Article` / `Rejected` records out.

Every reader returns articles with what the format itself says (title, url, author, date,
outlet); `core.read` then applies the caller's overrides, infers what is missing and detects
the language.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
from typing import Callable, Iterator, Optional, Union

from claimledger.ingest.boilerplate import clean_paragraphs
from claimledger.ingest.published import normalise_date
from claimledger.models import Article, Boilerplate, Rejected

NO_TEXT = "no article text found"
MIN_TEXT_CHARS = 20
MAX_TITLE_CHARS = 300
SHORT_ENTRY_CHARS = 500  # a feed entry shorter than this is a teaser (see fetch_entries)

Record = Union[Article, Rejected]


# -- plain text pages -----------------------------------------------------------------------

def _paragraphs_from_lines(lines: list[str]) -> list[str]:
    """Paragraphs of a text body: blank-line blocks; hard-wrapped lines of a block are joined."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        line = line.strip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs = []
    for block in blocks:
        if not block:
            continue
        wrapped = (len(block) > 1 and max(map(len, block)) <= 100
                   and any(not line.endswith((".", "!", "?", ":", "”", '"')) for line in block[:-1])
                   and all(len(line) >= 40 for line in block[:-1]))
        if wrapped:
            paragraphs.append(" ".join(block))
        else:
            paragraphs.extend(block)
    return paragraphs


def read_text_page(text: str, origin: str) -> Record:
    """A scraped text page: the first non-empty line is the title, the rest the body. A text
    of one line ("Al-Sisi has denied Israeli reports that ...") is an article of one line:
    its title is its text."""
    lines = text.splitlines()
    title = None
    for i, line in enumerate(lines):
        if line.strip():
            if len(line.strip()) <= MAX_TITLE_CHARS:
                title = line.strip()
                lines = lines[i + 1:]
            break
    body, boilerplate = clean_paragraphs(_paragraphs_from_lines(lines))
    if len(body) < MIN_TEXT_CHARS and title and len(title) >= MIN_TEXT_CHARS and \
            not body.strip():
        body = title
    if len(body) < MIN_TEXT_CHARS:
        return Rejected(origin, NO_TEXT)
    return Article(text=body, title=title, boilerplate=boilerplate, origin=origin,
                   raw_format="text")


# -- HTML -----------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer "
    "pre figure figcaption dd dt dl hr aside main nav".split())
_DROP_TAGS = frozenset("script style noscript template iframe svg".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def _strip_tags(fragment: str) -> str:
    import html

    text = re.sub(r"<(br|/p|/div|/li|/h\d)\b[^>]*>", "\n", fragment, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    return "\n".join(p for p in (_SPACES.sub(" ", s).strip() for s in text.split("\n")) if p)


def html_to_text(fragment: str) -> str:
    """Paragraph text ("\\n" between blocks) of an HTML fragment, such as a feed summary."""
    if "<" not in fragment:
        import html

        return "\n".join(p for p in (_SPACES.sub(" ", s).strip()
                                     for s in html.unescape(fragment).split("\n")) if p)
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _strip_tags(fragment)
    parts: list[str] = []
    skip = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        is_element = isinstance(el.tag, str)  # not a comment or processing instruction
        tag = el.tag if is_element else ""
        if event == "start":
            if tag in _DROP_TAGS:
                skip += 1
            elif not skip:
                if tag in _BLOCK_TAGS:
                    parts.append("\n")
                if el.text and is_element:
                    parts.append(el.text)
        else:
            if tag in _DROP_TAGS:
                skip -= 1
            elif not skip and tag in _BLOCK_TAGS:
                parts.append("\n")
            if not skip and el.tail and el is not root:
                parts.append(el.tail)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


HEADLINE_WITHIN = 3  # the headline is looked for among the first lines of the text
MAX_ABOVE_HEADLINE = 500  # characters above it that may go with it (more is article text)


def read_html(html: Union[str, bytes], origin: str, url: Optional[str] = None) -> Record:
    """An HTML page through trafilatura: clean text plus title, author, date and site name.

    1. trafilatura (fast mode: its own extractor, without the readability/jusText fallbacks)
       finds the main text, one paragraph a line;
    2. a body split over several sibling containers gets its missing parts back
       (`_add_split_body`);
    3. the headline repeated near the top goes, with any kicker or teaser above it;
    4. `clean_paragraphs` cuts the furniture lines (boilerplate.py) and keeps them aside.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, fast=True, include_comments=False,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    assert not isinstance(doc, dict)  # a dict only with as_dict=True; a Document or None
    if doc is None or not doc.text or not doc.text.strip():
        return Rejected(origin, NO_TEXT)
    title = (doc.title or "").strip() or None
    lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
    lines = _add_split_body(html, lines)
    above: list[str] = []
    if title:
        for i, line in enumerate(lines[:HEADLINE_WITHIN]):
            if _same_words(line, title):
                # the headline repeated in the text; what little stands above it is a kicker,
                # a section name or a teaser for another page
                if sum(map(len, lines[:i])) <= MAX_ABOVE_HEADLINE:
                    above, lines = lines[:i], lines[i + 1:]
                break
    body, boilerplate = clean_paragraphs(lines)
    if above:
        boilerplate.insert(0, Boilerplate(text="\n".join(above), reason="above headline"))
    if len(body) < MIN_TEXT_CHARS:
        return Rejected(origin, NO_TEXT)
    published = doc.date
    if not published:
        published = _htmldate(html)
    return Article(
        text=body,
        title=title,
        url=doc.url or url,
        outlet=(doc.sitename or "").strip() or None,
        author=(doc.author or "").strip() or None,
        published_at=normalise_date(published),
        published_from="metadata" if published else None,
        language=_language_code(getattr(doc, "language", None)),
        boilerplate=boilerplate,
        origin=origin,
        raw_format="html",
    )


def _same_words(a: str, b: str) -> bool:
    words = re.findall(r"\w+", a.casefold())
    return bool(words) and words == re.findall(r"\w+", b.casefold())


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


MIN_SPLIT_PARAGRAPH = 40  # characters
_SKIP_TEXT_OF = frozenset("script style noscript template".split())


def _paragraph_text(p) -> str:
    """The text of an lxml element, whitespace collapsed, without script or style."""
    parts = []
    for el in p.iter():
        if isinstance(el.tag, str) and el.tag not in _SKIP_TEXT_OF and el.text:
            parts.append(el.text)
        if el is not p and el.tail:
            parts.append(el.tail)
    return " ".join("".join(parts).split())


def _add_split_body(html: Union[str, bytes], lines: list[str]) -> list[str]:
    """`lines` plus the paragraphs of the article body that trafilatura left in sibling
    containers (a body cut in parts by an advertisement: trafilatura takes the first part).

    The containers of the extracted text are the parents of the page's <p> elements whose text
    is an extracted line; the commonest (tag, class) among them is the body's kind. Another
    element of that same kind, holding none of the extracted paragraphs but at least two <p>
    children of `MIN_SPLIT_PARAGRAPH` characters, is a further part of the body: its <p>
    children go in, in page order. Pages without such a part come back unchanged.
    """
    from collections import Counter

    try:
        from trafilatura.utils import load_html

        tree = load_html(html)
    except Exception:  # noqa: BLE001 - an extra; trafilatura has read this page already
        return lines
    if tree is None:
        return lines
    extracted = {_words(line): i for i, line in enumerate(lines)}
    extracted.pop("", None)
    found = {}  # <p> element -> index of its line
    for p in tree.iter("p"):
        i = extracted.get(_words(_paragraph_text(p)))
        if i is not None:
            found[p] = i
    kinds = Counter((parent.tag, parent.get("class")) for parent in
                    (p.getparent() for p in found) if parent is not None and parent.get("class"))
    if not kinds:
        return lines
    (tag, css), _count = kinds.most_common(1)[0]
    parts = [el for el in tree.iter(tag) if el.get("class") == css]
    holding = {part for part in parts if any(p in found for p in part.iter("p"))}
    extra: dict[int, list[str]] = {}  # index of the line they follow -> recovered paragraphs
    order: dict = {}  # element -> position in the page, built when first needed
    for part in parts:
        if part in holding or any(up in holding for up in part.iterancestors()):
            continue  # trafilatura saw this part and kept what it wanted of it
        children = list(part.iterchildren("p"))
        texts = [t for t in map(_paragraph_text, children) if len(t) >= MIN_SPLIT_PARAGRAPH]
        if len(texts) < 2:
            continue
        # after the last extracted line that stands before this part in the page
        order = order or {el: n for n, el in enumerate(tree.iter())}
        after = max((i for p, i in found.items() if order[p] < order[part]), default=-1)
        extra.setdefault(after, []).extend(t for t in texts if _words(t) not in extracted)
    if not extra:
        return lines
    out = list(extra.get(-1, []))
    for i, line in enumerate(lines):
        out.append(line)
        out.extend(extra.get(i, []))
    return out


def _htmldate(html: Union[str, bytes]) -> Optional[str]:
    try:
        from htmldate import find_date

        return find_date(html, extensive_search=True, original_date=True)
    except Exception:  # a fallback only: htmldate failing is not a reason to reject the page
        return None


def _language_code(value: Optional[str]) -> Optional[str]:
    """'en-US' -> 'en'."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if len(code) == 2 and code.isalpha() else None


# -- feeds ----------------------------------------------------------------------------------

def parse_feed(raw: bytes):
    """feedparser's result for feed bytes (never a URL or a file path: bytes go in a stream)."""
    import feedparser

    return feedparser.parse(io.BytesIO(raw))


def _entry_date(entry) -> Optional[str]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                stamp = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc)
            except (ValueError, OverflowError, OSError):  # "0000-00-00", year 10000
                continue
            return stamp.isoformat()
    for key in ("published", "updated"):
        if entry.get(key):
            found = normalise_date(entry.get(key))
            if found:
                return found
    return None


def _entry_html(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) or []]
    best = max(contents, key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def read_feed(parsed, origin: str, *,
              fetch_page: Optional[Callable[[str], str]] = None) -> Iterator[Record]:
    """One article per feed entry: its content (or summary) as text, its link as url; with
    `fetch_page` (url -> HTML), the page of an entry that carries only a teaser."""
    feed = parsed.get("feed", {})
    outlet = (feed.get("title") or "").strip() or None
    language = _language_code(feed.get("language"))
    for i, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#entry-{i}"
        try:
            link = entry.get("link")
            text = html_to_text(_entry_html(entry))
            article: Optional[Article] = None
            if fetch_page and link and len(text) < SHORT_ENTRY_CHARS:
                article = _fetch_page(fetch_page, link, where)
            if article is None:
                body, boilerplate = clean_paragraphs(text.split("\n"))
                if len(body) < MIN_TEXT_CHARS:
                    yield Rejected(where, NO_TEXT)
                    continue
                article = Article(text=body, boilerplate=boilerplate, raw_format="feed")
            published = _entry_date(entry)
            title = html_to_text(entry.get("title", "") or "").replace("\n", " ").strip()
            article.title = title or article.title
            article.url = link or article.url
            article.outlet = outlet or article.outlet
            article.author = (entry.get("author") or "").strip() or article.author
            if published:
                article.published_at, article.published_from = published, "metadata"
            article.language = article.language or language
            article.origin = origin
            yield article
        except Exception as exc:  # one bad entry must not stop the feed
            yield Rejected(where, f"unreadable feed entry: {type(exc).__name__}: {exc}")


def _fetch_page(fetch_page: Callable[[str], str], url: str, origin: str) -> Optional[Article]:
    """The full page behind a feed teaser, or None when it cannot be had (the entry's own
    text is used then)."""
    try:
        html = fetch_page(url)
    except Exception:
        return None
    if not html:
        return None
    record = read_html(html, origin, url=url)
    return record if isinstance(record, Article) else None


# -- JSONL ----------------------------------------------------------------------------------

_TEXT_KEYS = ("text", "body", "content", "articleBody")
_DATE_KEYS = ("published", "published_at", "date", "datePublished")
_OUTLET_KEYS = ("outlet", "sitename", "site_name", "source", "publisher")


def _first(record: dict, keys: tuple[str, ...]) -> Optional[str]:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if value is not None and not isinstance(value, (str, dict, list)):
            return str(value)
    return None


def read_record(record: object, origin: str) -> Record:
    """One JSON object with url, title, published, text or html, outlet, author."""
    if not isinstance(record, dict):
        return Rejected(origin, f"not a JSON object but a {type(record).__name__}")
    url = _first(record, ("url", "link"))
    text = _first(record, _TEXT_KEYS)
    html = _first(record, ("html", "raw_html"))
    if text:
        body, boilerplate = clean_paragraphs(_paragraphs_from_lines(text.splitlines()))
        if len(body) < MIN_TEXT_CHARS:
            return Rejected(origin, NO_TEXT)
        article = Article(text=body, boilerplate=boilerplate, url=url, raw_format="jsonl")
    elif html:
        result = read_html(html, origin, url=url)
        if isinstance(result, Rejected):
            return result
        article = result
        article.raw_format = "jsonl"
    else:
        return Rejected(origin, "record has no text or html")
    article.origin = origin
    article.title = _first(record, ("title", "headline")) or article.title
    article.author = _first(record, ("author", "byline")) or article.author
    article.outlet = _first(record, _OUTLET_KEYS) or article.outlet
    article.language = _language_code(_first(record, ("language", "lang"))) or article.language
    date = _first(record, _DATE_KEYS)
    if date:
        value = normalise_date(date)
        if value:
            article.published_at, article.published_from = value, "metadata"
    return article


def read_jsonl(text: str, origin: str) -> Iterator[Record]:
    """One record per line; a bad line is rejected as `origin:line` and the rest go on."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield read_jsonl_line(line, f"{origin}:{lineno}")


def read_jsonl_line(line: str, where: str) -> Record:
    """The record of one JSON line (not blank), or why it is none."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        return Rejected(where, _unreadable_json(exc))
    try:
        return read_record(record, where)
    except Exception as exc:  # one bad record must not stop the file
        return Rejected(where, f"unreadable record: {type(exc).__name__}: {exc}")


def _unreadable_json(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply to read"
    if "integer string conversion" in str(exc):
        return "invalid JSON: a number of thousands of digits"
    return f"invalid JSON: {exc}"


def read_json(text: str, origin: str) -> Iterator[Record]:
    """A .json file: one record, or a list of records."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # maybe JSON lines after all
        if text.lstrip().startswith("{") and "\n" in text.strip():
            yield from read_jsonl(text, origin)
            return
        yield Rejected(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except (ValueError, RecursionError) as exc:
        yield Rejected(origin, _unreadable_json(exc))
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records, start=1):
        where = f"{origin}[{i}]" if isinstance(data, list) else origin
        try:
            yield read_record(record, where)
        except Exception as exc:
            yield Rejected(where, f"unreadable record: {type(exc).__name__}: {exc}")
