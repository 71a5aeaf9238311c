"""The model's attribute rules (spaCy's `attribute_ruler`: part of speech and morphology from
the tag, lemma exceptions), applied with the same result at a fraction of the cost.

spaCy's AttributeRuler runs a Matcher over every token with every rule, then sets the
attributes of each match in turn, through a Span per match: every token matches at least
one rule (its tag's), so a 200-article batch costs about 2.6 s here, as much as the parser.
`AttributeRules` reads the same rules and, for each distinct (tag, lower-case form,
dependency, is-space) a token has, works out once which one-token rules match it and what
they set; a rule of several tokens ("gon na", "let 's") is checked where its first token
fits. The attributes are set as spaCy sets them (`set_token_attrs`), each to the value of
the last matching rule, as when the matches are applied in rule order. Rules that use
anything else (other token attributes, operators) leave the model's ruler in place.

`tests/test_components.py` checks that the tokens' tags, parts of speech, morphology,
lemmas and dependencies are the same as with the model's ruler over real articles.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from spacy.language import Language
from spacy.tokens import Doc

KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}
Predicate = Callable[[tuple], bool]  # over (tag_, lower_, dep_, is_space)
_SLOT = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
CACHE_SIZE = 200_000  # distinct tokens (tag, form, dependency) remembered


def _condition(key: str, value: Any) -> Optional[Predicate]:
    slot = _SLOT[key]
    if isinstance(value, (str, bool)):
        return lambda t: t[slot] == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            members = frozenset(arg)
            return lambda t: t[slot] in members
        if op == "NOT_IN":
            others = frozenset(arg)
            return lambda t: t[slot] not in others
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            return lambda t: isinstance(t[slot], str) and bool(rx.search(t[slot]))
    return None


def _token_predicate(spec: dict) -> Optional[Predicate]:
    """All of one token pattern's conditions, or None where one cannot be read here."""
    conditions = []
    for key, value in spec.items():
        if key not in KEYS:
            return None
        condition = _condition(key, value)
        if condition is None:
            return None
        conditions.append(condition)
    return lambda t: all(c(t) for c in conditions)


class AttributeRules:
    """The rules of an AttributeRuler; `build` gives None where they are not all readable."""

    def __init__(self) -> None:
        self.single: list[tuple[int, Predicate, dict]] = []  # (order, predicate, attrs)
        # (order, one predicate per token, index of the token that gets attrs, attrs)
        self.multi: list[tuple[int, list[Predicate], int, dict]] = []
        self._cache: dict[tuple, tuple[dict, list[tuple[int, dict]], tuple[bool, ...]]] = {}
        self._exact_tags: dict[int, str] = {}  # rule order -> the one tag it asks for
        self._by_tag: Optional[dict[str, list[tuple[int, Predicate, dict]]]] = None
        self._any_tag: list[tuple[int, Predicate, dict]] = []

    @classmethod
    def build(cls, ruler: Any) -> Optional["AttributeRules"]:
        rules = cls()
        patterns = ruler.patterns
        if len(patterns) != len(ruler.attrs):
            return None
        for order, (entry, attrs, index) in enumerate(zip(patterns, ruler.attrs,
                                                          ruler.indices)):
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern or any(
                        "OP" in spec for spec in pattern):
                    return None
                predicates = [_token_predicate(spec) for spec in pattern]
                if any(p is None for p in predicates):
                    return None
                at = index if index >= 0 else len(pattern) + index
                if not 0 <= at < len(pattern):
                    return None
                if len(pattern) == 1:
                    rules.single.append((order, predicates[0], dict(attrs)))  # type: ignore
                    if isinstance(pattern[0].get("TAG"), str) and len(entry["patterns"]) == 1:
                        rules._exact_tags[order] = pattern[0]["TAG"]
                else:
                    rules.multi.append((order, predicates, at, dict(attrs)))  # type: ignore
        return rules

    def _candidates(self, tag: str) -> list[tuple[int, Predicate, dict]]:
        """The one-token rules a token of this tag may match: those that ask for the tag,
        and those that ask for no one tag, in rule order."""
        if self._by_tag is None:
            self._by_tag, self._any_tag = {}, []
            for rule in self.single:
                wanted = self._exact_tags.get(rule[0])
                if wanted is None:
                    self._any_tag.append(rule)
                else:
                    self._by_tag.setdefault(wanted, []).append(rule)
        found = self._by_tag.get(tag)
        return sorted((found or []) + self._any_tag, key=lambda r: r[0]) if found else \
            self._any_tag

    def _for_key(self, key: tuple) -> tuple[dict, list[tuple[int, dict]], tuple[bool, ...]]:
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= CACHE_SIZE:  # a long run's vocabulary: start again
                self._cache.clear()
            matched = [(order, attrs) for order, p, attrs in self._candidates(key[0])
                       if p(key)]
            merged: dict = {}
            for _, attrs in matched:
                merged.update(attrs)
            fits = tuple(p(key) for _, predicates, _, _ in self.multi for p in predicates)
            found = self._cache[key] = (merged, matched, fits)
        return found

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        tokens = list(doc)
        keys = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in tokens]  # before any change
        looked = [self._for_key(k) for k in keys]
        extra: dict[int, list[tuple[int, dict]]] = {}
        if self.multi:
            base = 0
            last = len(tokens)
            for order, predicates, at, attrs in self.multi:
                n = len(predicates)
                starts = [i for i, found in enumerate(looked) if found[2][base]]
                for start in starts:
                    if start + n <= last and all(looked[start + j][2][base + j]
                                                 for j in range(1, n)):
                        extra.setdefault(start + at, []).append((order, attrs))
                base += n
        for i, token in enumerate(tokens):
            merged, matched, _ = looked[i]
            if i in extra:
                merged = {}
                for _, attrs in sorted(matched + extra[i], key=lambda m: m[0]):
                    merged.update(attrs)
            if merged:
                set_token_attrs(token, merged)
        return doc


@Language.factory("claimledger_attribute_rules_v1")
def make_attribute_rules(nlp: Language, name: str):
    """An empty rule set; `use_attribute_rules` gives it the model's rules."""
    return AttributeRules()


def use_attribute_rules(nlp: Language) -> bool:
    """Put `AttributeRules` in the place of the model's attribute_ruler where its rules are
    all readable here; returns whether it did."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    rules = AttributeRules.build(nlp.get_pipe("attribute_ruler"))
    if rules is None:
        return False
    nlp.replace_pipe("attribute_ruler", "claimledger_attribute_rules_v1")
    component = nlp.get_pipe("attribute_ruler")
    assert isinstance(component, AttributeRules)
    component.single, component.multi = rules.single, rules.multi
    component._exact_tags = rules._exact_tags
    return True

