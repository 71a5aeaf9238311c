"""`claimledger_paragraph_breaks_v1`: a paragraph break always starts a new sentence.

Runs before the parser, which keeps boundaries already set. Without it a title line and the
first paragraph are parsed as one sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("claimledger_paragraph_breaks_v1", assigns=["token.is_sent_start"])
def make_paragraph_breaks(nlp: Language, name: str):
    return paragraph_breaks


def paragraph_breaks(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
        elif token.i + 1 < len(doc) and "\n" in token.whitespace_ and not token.is_space:
            # "line one\nline two": a single newline after a token also ends the line.
            doc[token.i + 1].is_sent_start = True
    return doc
