"""Folding nested attributions into one another, and resolving who a source is.

`fold_nested`: an outlet relaying a source becomes part of the channel ("Reuters reported
that X said ..."); "X said he couldn't confirm Y" becomes X's non-confirmation of Y; "X said
she thinks Y" is one claim, "said", as sure as "thinks".
`resolve_sources`: short names ("Budanov said"), pronouns ("he added") and definite
descriptions ("the official said") become the fullest source they stand for.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from spacy.tokens import Doc

from claimledger.claims import certainty as cert
from claimledger.claims import lexicon
from claimledger.claims.sources import strip_possessive
from claimledger.models import Source
from claimledger.claims.text import doc_ents

if TYPE_CHECKING:
    from claimledger.claims.attribution import Attribution


def nests(outer: Attribution, inner: Attribution) -> bool:
    """Whether `inner`'s cue lies inside `outer`'s content."""
    return (outer is not inner and inner.cue_token >= 0 and outer.rule != "assertion"
            and inner.cue_start is not None  # set with the cue token
            and outer.content_start <= inner.cue_start < outer.content_end)


def fold_nested(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """Fold attributions inside another's content, then limit their certainty by it.

    1. An outlet relaying a source becomes the source's channel. A speaker's cue whose clause
       is the direct object of the speaker's own earlier cue is one claim: "Austin said he
       couldn't confirm X" is Austin's non-confirmation of X; "Clinton said she thinks X"
       is one "said", as sure as "thinks".
    2. Outermost first, every claim inside another is no surer than the one around it; inside
       a denial or a non-confirmation ("Moscow denied that Kyiv said X") it stands on no one's
       word (Uu), except reports named as a noun ("could not confirm reports that X"), which
       are said to exist.
    """
    drop: set[int] = set()
    for i, outer in enumerate(found):
        if i in drop:
            continue
        folded = False  # whether `outer` is now part of the claims inside it
        for j, inner in enumerate(found):
            if j in drop or not nests(outer, inner):
                continue
            if outer.source.kind == "media":
                # Each outlet once: a chain of an outlet's reports inside one another would
                # otherwise double the list at each step (30 steps: 268 million names).
                inner.channel = list(dict.fromkeys(
                    [*inner.channel, outer.source.name, *outer.channel]))
                inner.certainty = cert.combine(inner.certainty,
                                               cert.strength_only(outer.certainty))
                folded = True
                continue
            cue = doc[inner.cue_token]
            # The inner cue is the outer cue's own clause, or the main verb of a speaker's
            # turn ("WALLACE: I think ...").
            direct = outer.cue_token >= 0 and cue.head.i == outer.cue_token or (
                outer.rule in ("speaker", "signed quote") and cue.head.i == cue.i)
            if not direct or not (inner.source.kind == "pronoun"
                                  or inner.source.name == outer.source.name):
                continue
            if cert.split(inner.certainty)[0] == "U" or inner.certainty.endswith("-") \
                    and inner.rule == "verb" and _denial(doc, inner):
                inner.source = outer.source
                inner.channel = inner.channel or outer.channel
                inner.certainty = cert.combine(inner.certainty,
                                               cert.strength_only(outer.cue_certainty))
                inner.start = min(inner.start, outer.start)
                inner.end = max(inner.end, outer.end)
                folded = True
            else:
                outer.certainty = cert.combine(outer.certainty,
                                               cert.strength_only(inner.certainty))
                drop.add(j)
        if folded:
            drop.add(i)
    kept = [a for k, a in enumerate(found) if k not in drop]
    for outer in sorted(kept, key=lambda a: a.content_end - a.content_start, reverse=True):
        strength, polarity = cert.split(outer.certainty)
        for inner in kept:
            if not nests(outer, inner):
                continue
            if strength == "U" or polarity < 0:
                if inner.rule != "noun":
                    inner.certainty = "Uu"
            else:
                inner.certainty = cert.combine(inner.certainty, cert.strength_only(outer.certainty))
    return kept


def _surname(name: str) -> str:
    """The last word of a name, lower-cased ("" for a name with no words)."""
    words = name.split()
    return words[-1].lower() if words else ""


def resolve_sources(doc: Doc, found: list[Attribution], author: Source) -> None:
    """Short names ("Budanov") to the fullest mention in the article, pronouns ("he") to
    the nearest person before them; roles and affiliations carried over."""
    people = [a.source for a in found if a.source.kind == "person" and _surname(a.source.name)]
    by_last: dict[str, Source] = {}
    for src in sorted(people, key=lambda s: len(s.name)):
        last = _surname(src.name)
        by_last[last] = _fuller(by_last.get(last), src)
    # PERSON entities that are never a source still name people ("Vladimir Putin").
    for ent in doc_ents(doc):
        if ent.label_ == "PERSON":
            name = strip_possessive(ent.text)
            last = _surname(name)
            if last and (last not in by_last or len(by_last[last].name) < len(name)):
                by_last[last] = _fuller(by_last.get(last), Source(name=name, kind="person"))
    # A surname the tagger took for a place or an organisation ("Budanov: ...").
    for a in found:
        src = a.source
        if src.kind in ("government", "organisation", "anonymous") and " " not in src.name \
                and src.name.lower() in by_last:
            a.source = replace(src, kind="person", affiliation=None)
    people_named = [(e.start_char, strip_possessive(e.text)) for e in doc_ents(doc)
                    if e.label_ == "PERSON"]
    last_person: Optional[Source] = None
    last_person_end = 0
    last_other: Optional[Source] = None
    earlier: list[Source] = []
    for a in sorted(found, key=lambda a: a.start):
        src = a.source
        # "the official said", "the ministry added": the last source named that way.
        if src.kind in ("anonymous", "government", "organisation") and src.phrase \
                and src.phrase.lower().startswith("the ") and " " not in src.name:
            match = next((e for e in reversed(earlier) if e.name != src.name and
                          _surname(e.name) == src.name.lower()), None)
            if match is not None:
                a.source = src = replace(match, phrase=src.phrase, start=src.start,
                                         end=src.end)
        if src.kind not in ("author", "pronoun", "reports"):
            earlier.append(src)
        if src.kind == "person":
            full = by_last.get(_surname(src.name))
            if full is not None and full.name != src.name and src.name in full.name:
                a.source = replace(src, name=full.name, role=src.role or full.role,
                                   affiliation=src.affiliation or full.affiliation)
            elif full is not None and full.name == src.name:
                a.source = replace(src, role=src.role or full.role,
                                   affiliation=src.affiliation or full.affiliation)
            last_person, last_person_end = a.source, a.end
        elif src.kind == "pronoun" and src.name.lower() in ("we", "i", "us", "me"):
            # "We reported" is the article's own voice, unless it stands inside somebody's
            # words ("WALLACE: I think ...", "Peskov said we have never ...").
            around = [b for b in found if b is not a and b.content_start <= (src.start or 0)
                      < b.content_end and b.source.kind != "pronoun"]
            speaker = around[-1].source if around else author
            a.source = replace(speaker, phrase=src.phrase, start=src.start, end=src.end)
        elif src.kind == "pronoun":
            target = last_person if src.name.lower() in ("he", "she") else last_other
            if src.name.lower() in ("he", "she") and src.start is not None:
                # A person named since the last person source ("Budanov spoke to reporters.
                # He said: ...") is the nearer antecedent.
                # Names inside the last person's own claim ("Hrytsenko, who heads the Odesa
                # branch, said ...") are not candidates.
                named = [e for e in people_named if last_person_end <= e[0] < src.start]
                if named:
                    full = by_last.get(_surname(named[-1][1]))
                    target = full or Source(name=named[-1][1], kind="person")
            if target is not None:
                a.source = replace(target, phrase=src.phrase, start=src.start, end=src.end)
            else:
                a.source = replace(src, kind="anonymous")
        elif src.kind != "author":
            last_other = src


def _denial(doc: Doc, a: Attribution) -> bool:
    """Whether the attribution's cue is itself a denial or a negated report."""
    cue = doc[a.cue_token]
    return lexicon.CUE_VERBS.get(cue.lemma_.lower(), "").endswith("-") or cert.is_negated(cue)


def _fuller(old: Optional[Source], new: Source) -> Source:
    if old is None:
        return new
    return Source(name=max(old.name, new.name, key=len), kind="person",
                  role=new.role or old.role, affiliation=new.affiliation or old.affiliation)


