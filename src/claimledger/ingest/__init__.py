"""Ingest: files, directories, stdin, URLs, HTML pages, RSS/Atom feeds and JSON lines in,
`Article` records (clean text, metadata, the boilerplate cut) or `Rejected` records out.

    from claimledger.ingest import read
    for record in read(["articles/", "feed.xml"]):
        ...

Modules: `core` (the reading sequence), `formats` (one reader per format), `boilerplate`
(page furniture rules), `published` (publication dates), `language` (a tiny detector),
`dedupe` (content hash and near-duplicate signatures).
"""

from claimledger.ingest.boilerplate import clean_paragraphs, split_furniture
from claimledger.ingest.core import read
from claimledger.ingest.dedupe import band_keys, content_hash, shingle_signature, similarity
from claimledger.ingest.formats import html_to_text
from claimledger.ingest.language import detect_language
from claimledger.ingest.published import infer_published

__all__ = [
    "read",
    "clean_paragraphs",
    "split_furniture",
    "content_hash",
    "shingle_signature",
    "similarity",
    "band_keys",
    "html_to_text",
    "detect_language",
    "infer_published",
]
