"""The values claimledger keeps on a spaCy Doc (`doc._.NAME`), registered in this one place.

Set by ingest before parsing: `published_at` (the day relative times are read against),
`outlet` and `author` (who ends every channel), `outlet_home` (where the outlet is based:
a town near it is preferred to its namesakes). Set by the components (`nlp/attribution.py`,
`nlp/normalisers.py`), each a list of plain records: `attributions`, `times`, `quantities`,
`places`, `mentions`. The border (`claims/build.py`) reads them and the Doc goes.
"""

from __future__ import annotations

from spacy.tokens import Doc

INPUTS = ("published_at", "outlet", "author", "outlet_home")
OUTPUTS = ("attributions", "times", "quantities", "places", "mentions")


def register() -> None:
    for name in INPUTS + OUTPUTS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register()
