"""`claimledger_attribution_v1`: the attribution rules as a spaCy component.

Sets `doc._.attributions` (plain records, see `claimledger.claims.attribution`). The publishing
outlet and author, which end every channel, are read from `doc._.outlet` and `doc._.author`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.claims.attribution import find_attributions
from claimledger.nlp import extensions

extensions.register()


@Language.factory(
    "claimledger_attribution_v1",
    requires=["token.dep", "token.lemma", "doc.ents", "doc.sents"],
    assigns=["doc._.attributions"],
)
def make_attribution(nlp: Language, name: str):
    def attribution(doc: Doc) -> Doc:
        doc._.attributions = find_attributions(doc, outlet=doc._.outlet, author=doc._.author)
        return doc

    return attribution
