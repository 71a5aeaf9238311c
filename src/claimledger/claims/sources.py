"""Who makes a claim: the source phrase, its canonical name, kind, role and affiliation.

"Ukraine's Defense Intelligence Chief Kyrylo Budanov" -> name "Kyrylo Budanov", kind
person, role "Defense Intelligence Chief", affiliation "Ukraine". "an anonymous Ukrainian
military intelligence officer cited by The Washington Post" -> kind anonymous, role
"military intelligence officer", affiliation "Ukraine", channel ["The Washington Post"].
"""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Span, Token

from claimledger.claims import lexicon
from claimledger.models import Source
from claimledger.normalise import entities
from claimledger.claims.text import doc_text, ent_at, ents_within

# Dependents of a source's head that belong to the source phrase.
PHRASE_DEPS = {"det", "amod", "compound", "poss", "case", "nummod", "nmod", "quantmod",
               "advmod", "punct", "appos", "prep", "cc", "conj", "npadvmod", "predet"}
AFFILIATION_PREPS = {"of", "for", "at", "from", "with", "in"}
ANONYMITY_WORDS = {"anonymous", "unnamed", "unidentified", "an", "a", "the", "one", "two",
                   "three", "several", "some", "other", "another", "many", "few"}


def char_span(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def phrase_tokens(head: Token) -> list[Token]:
    """The source phrase: the head and its modifiers, without relative clauses, "cited by"
    participles or a trailing comma."""
    keep = {head.i}

    def add(tok: Token) -> None:
        for child in tok.children:
            if child.dep_ in ("acl", "relcl", "advcl", "parataxis"):
                continue
            if child.dep_ == "prep" and child.lower_ not in AFFILIATION_PREPS:
                continue
            if child.dep_ not in PHRASE_DEPS and child.dep_ != "pobj":
                continue
            keep.add(child.i)
            add(child)

    add(head)
    doc = head.doc
    lo, hi = min(keep), max(keep)
    tokens = [doc[i] for i in range(lo, hi + 1)]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    return tokens or [head]


def is_media_name(name: str) -> bool:
    low = name.lower().strip()
    if low in lexicon.MEDIA_OUTLETS or ("the " + low) in lexicon.MEDIA_OUTLETS:
        return True
    words = low.split()
    return len(words) >= 2 and words[-1] in lexicon.MEDIA_WORDS


def entity_over(tokens: list[Token], labels: tuple[str, ...]) -> Optional[Span]:
    doc = tokens[0].doc
    lo, hi = tokens[0].i, tokens[-1].i
    best = None
    for ent in ents_within(doc, lo, hi):
        if ent.label_ in labels:
            if best is None or len(ent) > len(best):
                best = ent
    return best


def strip_possessive(text: str) -> str:
    """"Ukraine’s" -> "Ukraine"; also drops dashes and quote marks an entity picked up at its
    edges ("― Sonya Herridge")."""
    text = text.strip(" \t\n\xa0―—–-“”\"‘")
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _country_of(token_text: str) -> Optional[str]:
    code = entities.demonym_country(token_text) or entities.country_code(token_text) \
        or entities.metonym_country(token_text)
    return entities.country_name(code) if code else None


def affiliation_of(tokens: list[Token], exclude: set[int]) -> Optional[str]:
    """A possessor or premodifier naming an organisation or country, or "of/for/at X"."""
    doc = tokens[0].doc
    # Named organisations first ("an official at the Pentagon", "NATO's chief").
    for ent in ents_within(doc, tokens[0].i, tokens[-1].i):
        if any(i in exclude for i in range(ent.start, ent.end)):
            continue
        text = strip_possessive(ent.text)
        if ent.label_ in ("GPE", "NORP"):
            country = _country_of(text)
            if country:
                return country
        if ent.label_ == "ORG" and not is_media_name(text) and len(ent) > 0:
            # A one-word department inside a role ("Defense") is part of the role.
            if len(ent) > 1 or ent[0].pos_ == "PROPN" and ent[0].dep_ in ("poss", "pobj"):
                return text
    # Demonyms the tagger left unlabelled ("Ukrainian", "North Korean").
    words = [t for t in tokens if t.i not in exclude]
    for i in range(len(words)):
        for n in (2, 1):
            if i + n <= len(words):
                text = " ".join(w.text for w in words[i:i + n])
                country = _country_of(strip_possessive(text))
                if country and words[i].pos_ in ("ADJ", "PROPN", "NOUN"):
                    return country
    return None


def role_of(tokens: list[Token], name_ids: set[int], head: Token) -> Optional[str]:
    """The title before a name ("Defense Intelligence Chief") or an apposition."""
    doc = head.doc
    for child in head.children:
        if child.dep_ == "appos":
            sub = [t for t in child.subtree if not t.is_punct]
            if sub and not (sub[0].i > 0 and doc[sub[0].i - 1].text == "("):
                return doc[sub[0].i:sub[-1].i + 1].text  # not "(R-S.C.)"
    if name_ids:
        first = min(name_ids)
        pre = [t for t in tokens if t.i < first]
    else:
        pre = [t for t in tokens if t.i <= head.i]
    # Drop determiners, possessors and their case marks, demonyms/countries and anonymity words.
    kept: list[Token] = []
    for t in pre:
        if t.dep_ in ("det", "case", "predet") or t.is_punct:
            continue
        if t.dep_ == "poss" or (t.i + 1 < len(doc) and doc[t.i + 1].dep_ == "case"):
            continue
        if t.lower_ in ANONYMITY_WORDS:
            continue
        if t.ent_type_ in ("GPE", "NORP") or entities.demonym_country(t.text) \
                or entities.country_code(t.text):
            continue
        kept.append(t)
    # A demonym of two words ("North Korean") leaves its first word behind.
    while kept and entities.demonym_country(" ".join([kept[0].text, doc[kept[0].i + 1].text])
                                            if kept[0].i + 1 < len(doc) else ""):
        kept.pop(0)
    if not kept:
        return None
    return "".join(t.text_with_ws for t in kept).strip()


def describe(head: Token) -> Source:
    """Analyse the source phrase headed by `head` into a Source (pronouns left for later)."""
    tokens = phrase_tokens(head)
    start, end = char_span(tokens)
    doc = head.doc
    phrase = doc_text(doc)[start:end]
    low = head.lower_
    if head.pos_ == "PRON" or low in lexicon.PRONOUNS:
        return Source(name=head.text, kind="pronoun", phrase=phrase, start=start, end=end)

    person = entity_over(tokens, ("PERSON",))
    if person is not None and (person.start <= head.i < person.end or head.dep_ != "poss"):
        name_ids = set(range(person.start, person.end))
        return Source(
            name=strip_possessive(person.text), kind="person", phrase=phrase,
            role=role_of(tokens, name_ids, head),
            affiliation=affiliation_of(tokens, name_ids), start=start, end=end,
        )
    org = entity_over(tokens, ("ORG", "EVENT", "WORK_OF_ART", "FAC"))
    org_text = strip_possessive(org.text) if org is not None else None
    if org_text and is_media_name(org_text) or is_media_name(phrase):
        name = org_text if org_text and is_media_name(org_text) else phrase
        return Source(name=_strip_det(name), kind="media", phrase=phrase, start=start, end=end)
    if low in lexicon.REPORT_HEADS:
        return Source(name="unattributed reports", kind="reports", phrase=phrase,
                      affiliation=affiliation_of(tokens, {head.i}), start=start, end=end)
    gov = _government_name(tokens, head)
    if gov:
        return Source(name=gov, kind="government", phrase=phrase,
                      affiliation=_country_of(gov) or affiliation_of(tokens, {head.i}) or gov,
                      start=start, end=end)
    if org is not None and org_text is not None and org.start <= head.i < org.end:
        return Source(name=org_text, kind="organisation", phrase=phrase, start=start, end=end,
                      affiliation=affiliation_of(tokens, set(range(org.start, org.end))))
    if low in lexicon.ANONYMOUS_HEADS or head.lemma_.lower() in lexicon.ANONYMOUS_HEADS:
        # Named by its description up to the head: "senior Turkish official", not the
        # clause that follows it.
        upto = [t for t in tokens if t.i <= head.i]
        name = doc_text(doc)[upto[0].idx:head.idx + len(head.text)]
        return Source(name=_strip_det(name), kind="anonymous", phrase=phrase,
                      role=role_of(tokens, set(), head),
                      affiliation=affiliation_of(tokens, {head.i}), start=start, end=end)
    if head.pos_ == "PROPN" or head.text[:1].isupper() and head.i > head.sent.start:
        # A bare surname ("Budanov said") or an untagged name: resolved against the document later.
        name_tokens = [t for t in tokens if t.pos_ == "PROPN" and t.dep_ in ("compound", "ROOT",
                       "nsubj", "nsubjpass", "pobj", "appos", "flat")] or [head]
        lo, hi = name_tokens[0], name_tokens[-1]
        return Source(name=strip_possessive(doc[lo.i:hi.i + 1].text), kind="person",
                      phrase=phrase, start=start, end=end)
    return Source(name=_strip_det(phrase), kind="anonymous", phrase=phrase, start=start, end=end,
                  affiliation=affiliation_of(tokens, {head.i}))


def _strip_det(text: str) -> str:
    for det in ("the ", "a ", "an ", "The ", "A ", "An "):
        if text.startswith(det) and not is_media_name(text):
            return text[len(det):]
    return text


def _government_name(tokens: list[Token], head: Token) -> Optional[str]:
    """'Russia', 'the Kremlin', 'Pyongyang', 'the Ukrainian government' -> a government name."""
    doc = head.doc
    if head.ent_type_ == "GPE":
        ent = ent_at(doc, head.i)
        if ent is not None:
            return strip_possessive(ent.text)
    text = " ".join(t.text for t in tokens if t.dep_ != "det")
    if entities.metonym_country(strip_possessive(text)):
        return strip_possessive(text)
    if head.lower_ in lexicon.GOVERNMENT_WORDS or text.lower() in lexicon.GOVERNMENT_WORDS:
        # "Russia's defence ministry", "the Ukrainian navy": the phrase up to its head.
        upto = [t for t in tokens if t.i <= head.i]
        return _strip_det(doc_text(doc)[upto[0].idx:head.idx + len(head.text)])
    return None
