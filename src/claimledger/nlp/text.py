"""`doc_text(doc)`: a Doc's text, built once.

spaCy's `Doc.text` joins every token on each access; the rules slice the text thousands of
times per article, so they read it through this cache in `doc.user_data`.
"""

from __future__ import annotations

from spacy.tokens import Doc

KEY = "claimledger.text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(KEY)
    if text is None:
        text = doc.user_data[KEY] = doc.text
    return text
