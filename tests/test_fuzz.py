"""Property tests over every input format and the rule-based normalisers: hostile input
gives an Article or a Rejected with a reason, never an exception. Small enough for CI; the
campaign of 100,000 inputs through the whole ingest is benchmarks/fuzz_ingest.py."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.ingest.core import Limits, _load_bytes
from claimledger.models import Article, Rejected
from claimledger.normalise.quantities import find_quantities
from claimledger.normalise.times import find_times

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NEWSY = ["said", "told", "according to", "denied", "“", "”", '"', "'", "Dr.", "U.S.", "(",
         ")", "[", "]", ",", ".", "\n", "\n\n", " ", "1e308", "soldiers", "31 February",
         "the 1990s", "the following decade", "next month", "tomorrow", "9999", "0000",
         "\u200b", "\u202e", "\u0301", "\ufeff", "<p>", "</p>", "<div>", "&amp;", "&bogus;",
         "<![CDATA[", "]]>", "<item>", "<pubDate>", "{", "}", ":", "Kyiv", "officials"]
hostile_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(NEWSY), max_size=200).map(" ".join),
    st.lists(st.sampled_from(NEWSY), max_size=200).map("".join),
)
hostile_bytes = st.one_of(st.binary(max_size=2000), hostile_text.map(
    lambda t: t.encode("utf-8", "surrogatepass")))


def _records(raw: bytes, ext):
    limits = Limits(max_bytes=1_000_000)
    try:
        return list(_load_bytes(raw, "fuzz", ext, limits))
    except Exception as exc:  # the reader's Reject: the one exception an input may raise
        assert type(exc).__name__ == "Reject", repr(exc)
        return [Rejected("fuzz", str(exc))]


@FAST
@given(raw=hostile_bytes, ext=st.sampled_from([None, "text", "html", "feed", "jsonl", "json"]))
def test_every_reader_returns_records_or_reasons(raw, ext):
    for record in _records(raw, ext):
        assert isinstance(record, (Article, Rejected))
        if isinstance(record, Rejected):
            assert record.reason.strip()
        else:
            assert record.text.strip()


@FAST
@given(values=st.lists(st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=80),
    st.lists(st.text(max_size=10), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                st.integers(), max_size=3)),
    min_size=1, max_size=7),
    keys=st.lists(st.sampled_from(["text", "title", "published", "url", "outlet", "html",
                                   "author", "language", "date", "body"]), min_size=1,
                  max_size=7))
def test_jsonl_with_wrong_types(values, keys):
    line = json.dumps(dict(zip(keys, values)))
    deep = "[" * 5000 + "]" * 5000
    for record in _records(f"{line}\n{deep}\n{{\"text\": {'9' * 5000}}}\n".encode(), "jsonl"):
        assert isinstance(record, (Article, Rejected))


@FAST
@given(text=hostile_text, anchor=st.one_of(st.none(), st.dates(), st.sampled_from(
    [dt.date(1, 1, 1), dt.date(9999, 12, 31)])), year=st.one_of(st.none(), st.sampled_from(
    [1, 2024, 9999])))
def test_times_never_raise_and_keep_offsets(text, anchor, year):
    for t in find_times(text, anchor, year=year):
        assert text[t.start:t.end] == t.text


@FAST
@given(text=hostile_text)
def test_quantities_never_raise_and_keep_offsets(text):
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


WARC_HEAD = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/\r\n"
             b"Content-Type: application/http; msgtype=response\r\nContent-Length: ")


@FAST
@given(raw=hostile_bytes, suffix=st.sampled_from([".jsonl", ".jsonl.gz", ".warc", ".warc.gz"]),
       warc_like=st.booleans(), length=st.integers(min_value=-5, max_value=5000))
def test_streamed_files_give_records_or_reasons(tmp_path_factory, raw, suffix, warc_like,
                                                length):
    """JSON lines and WARC files read a piece at a time: hostile bytes, a record header with
    a wrong length, a gzip stream that is no gzip give records or reasons, never an
    exception."""
    import gzip

    from claimledger.ingest import read

    if warc_like:
        raw = WARC_HEAD + str(length).encode() + b"\r\n\r\nHTTP/1.1 200 OK\r\n" \
            b"Content-Type: text/html\r\n\r\n" + raw
    if suffix.endswith(".gz") and raw[:1] != b"x":  # one in a few is not gzip at all
        raw = gzip.compress(raw)
    path = tmp_path_factory.mktemp("stream") / f"input{suffix}"
    path.write_bytes(raw)
    for record in read([str(path)], max_bytes=100_000):
        assert isinstance(record, (Article, Rejected))
        if isinstance(record, Rejected):
            assert record.reason.strip()
            # the catch-all of `read` for an exception no reader expected
            assert not record.reason.startswith("could not read:"), record.reason
