"""Places in a text: `find_places` geocodes a document's GPE/LOC/FAC spans, resolving its
names together; `resolve` geocodes one name.

A span is trimmed (`_strip_span`), looked up whole or by a shorter part (`_sub_spans`), and
"X Oblast" phrases the NER missed are added (`_scan_admin`); the document's names are then
resolved jointly (`_resolve_jointly`). The weights of the joint resolution are below; those
of ranking one name are in `index`.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence

from claimledger.models import Place
from claimledger.normalise.entities import country_code, demonym_country, norm_key
from claimledger.normalise.places.data import (
    F_ADMIN1,
    F_CITY,
    F_COUNTRY,
    F_OTHER,
    GENERIC_WORDS,
    LEADING_THE,
)
from claimledger.normalise.places.index import (
    CONTEXT_BOOST,
    DOC_CONTEXT_BOOST,
    SOFTMAX_K,
    Gazetteer,
    context_boosts,
    gazetteer,
    km,
)

# joint resolution of a document's names (see _resolve_jointly)
MAX_CANDIDATES = 50
JOINT_BUDGET = 1000  # candidates over all names of a document
JOINT_ROUNDS = 4
COUNTRY_MASS_BOOST = 3.0
ADMIN1_MASS_BOOST = 3.0
ADMIN1_SATURATION = 3.0
PROXIMITY_BOOST = 1.5
PROXIMITY_KM = 40.0
PROXIMITY_CAP = 2.0
CONTAINER_BOOST = 4.0
SPREAD_ALPHA = 0.5
SPREAD_BOOST = 1.0
SPREAD_CAP = 2.0
# The outlet's home (`outlet_home`): a town or county near it gains up to HOME_BOOST
# (log10-population units), exp(-km / HOME_KM). An outlet has a home where HOME_SHARE of
# the places of its latest HOME_DOCUMENTS articles (HOME_POINTS at least) lie within
# HOME_RADIUS_KM of their median point: a local paper's, not a wire's or a world desk's.
HOME_BOOST = 2.0
HOME_KM = 100.0
HOME_SHARE = 0.5
HOME_RADIUS_KM = 150.0
HOME_POINTS = 3
HOME_DOCUMENTS = 100  # the outlet's latest articles whose places are read

_PLACE_LABELS = ("GPE", "LOC", "FAC")
_WORD = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)$")


def outlet_home(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """Where an outlet is based, from the (lat, lon) of the towns and counties its earlier
    articles name: their median point, where at least HOME_SHARE of them lie within
    HOME_RADIUS_KM of it; None for an outlet that reports from everywhere, or with fewer
    than HOME_POINTS places. A local paper's "Dublin" is Dublin, Ohio, its "London" London,
    Ontario, its "Athens" the Texas town it reports from."""
    if len(points) < HOME_POINTS:
        return None
    home = (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
    near = sum(km(home[0], home[1], lat, lon) <= HOME_RADIUS_KM for lat, lon in points)
    return home if near >= HOME_SHARE * len(points) else None


def resolve(name: str, context_countries: Sequence[str] = ()) -> Place | None:
    """The best place for `name`, preferring candidates in `context_countries` (ISO2, most
    salient first)."""
    return gazetteer().best(name, context_boosts(context_countries))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """Trim "the", a trailing possessive and a leading possessor ("Russia's Kursk Oblast").

    Returns the new (start, end) and the possessor's ISO2 code when it is a country."""
    possessor = None
    s = text[start:end]
    # leading/trailing whitespace and punctuation
    while s and not s[0].isalnum():
        start += 1
        s = s[1:]
    while s and not (s[-1].isalnum() or s[-1] in ".'’"):
        end -= 1
        s = s[:-1]
    m = LEADING_THE.match(s)
    if m and len(s) > m.end():
        start += m.end()
        s = s[m.end():]
    m = re.match(r"^(.+?)(?:'s|’s)\s+(?=\S)", s)
    if m:
        code = country_code(m.group(1))
        if code or gazetteer().matches(m.group(1)):
            possessor = code
            start += m.end()
            s = s[m.end():]
    m = _POSSESSIVE.search(s)
    if m and m.start() > 0 and s.endswith(("'s", "’s")):
        end -= 2
        s = s[:-2]
    elif s.endswith(("'", "’")) and len(s) > 1:
        end -= 1
        s = s[:-1]
    return start, end, possessor


def _sub_spans(text: str, start: int, end: int, rightmost_first: bool = True):
    """Word sub-sequences of text[start:end], longest first, each starting with a capitalised
    word ("Russian-occupied Donetsk City" -> "Donetsk City", ...). Rightmost first: place
    names end in their head ("Cherry Hinton"); facility names start with their place
    ("Washington Monument"), so `rightmost_first=False` for them."""
    words = []
    for m in _WORD.finditer(text, start, end):
        ws, we = m.start(), m.end()
        # "Russian-occupied" contributes nothing; "Russian-occupied Donetsk" splits at the dash
        words.append((ws, we))
    n = len(words)
    for length in range(n - 1, 0, -1):
        order = range(n - length, -1, -1) if rightmost_first else range(n - length + 1)
        for i in order:
            ws, we = words[i][0], words[i + length - 1][1]
            while we > ws and text[we - 1] in ",.;:!?)\"'’":
                we -= 1
            sub = text[ws:we]
            if not sub[:1].isupper() or all(norm_key(w) in GENERIC_WORDS for w in sub.split()):
                continue
            if "-" not in sub.split()[0][1:] or length == 1:
                yield ws, we


def find_places(text: str, spans: Sequence[tuple[int, int, str]],
                context_countries: Sequence[str] = (), demonyms: bool = False,
                home: tuple[float, float] | None = None) -> list[Place]:
    """Geocode the GPE/LOC/FAC spans of `text`.

    1. Each span is trimmed ("the", possessives; "Russia's Kursk Oblast" -> "Kursk Oblast" with
       RU as context) and looked up whole, or else by a sub-span that drops modifiers
       ("Russian-occupied Donetsk City" -> "Donetsk City"). "X Oblast"/"X region" phrases are
       also found when the NER missed them. A span that is only a demonym ("Ukrainian") is
       skipped unless `demonyms` is true (geoparsing corpora such as LGL count them).
    2. Each distinct name gets its candidates, ranked by importance (population, feature) and
       by `context_countries` (most salient first, a weak hint).
    3. The names are then resolved together (`_resolve_jointly`): a candidate gains from the
       share of the document's other places that lie in its country and in its admin-1
       region, from other places near it, and from a containing place named right after it
       ("Paris, Tenn."). The same name means the same place throughout the document.

    Returned places satisfy ``text[p.start:p.end] == p.text``.
    """
    gaz = gazetteer()
    hint = {c: min(v, DOC_CONTEXT_BOOST) for c, v in context_boosts(context_countries).items()}

    scanned = _scan_admin(text, hint)
    mentions: list[_Mention] = []
    for start, end, label in spans:
        if label not in _PLACE_LABELS or not (0 <= start < end <= len(text)):
            continue
        s, e, possessor = _strip_span(text, start, end)
        if e <= s or any(ps < e and s < pe for ps, pe, _ in scanned):
            continue  # scanned "X Oblast" phrases replace the NER spans they overlap
        if not demonyms and demonym_country(text[s:e]) and not gaz.has_key(norm_key(text[s:e])):
            continue
        b = dict(hint)
        if possessor:
            b[possessor] = max(b.get(possessor, 0.0), CONTEXT_BOOST + 1.0)
        ranked = gaz.ranked(text[s:e], b)
        ps, pe, penalty = s, e, 1.0
        if not ranked:
            for ss, se in _sub_spans(text, s, e, rightmost_first=label != "FAC"):
                # a part of a name by an alternate name is too weak ("East Bank" -> "Bank")
                ranked = gaz.ranked(text[ss:se], b, main_names_only=True)
                if ranked:
                    ps, pe, penalty = ss, se, 0.8
                    break
        if not ranked:
            continue
        if label == "FAC" and penalty < 1.0 and gaz.entry(ranked[0][0]).feat in (F_COUNTRY, F_ADMIN1):
            continue  # "Zaporizhzhia Nuclear Power Plant" is not the oblast
        mentions.append(_Mention(ps, pe, penalty, norm_key(text[ps:pe]), ranked[:MAX_CANDIDATES]))
    for ps, pe, ranked in scanned:
        mentions.append(_Mention(ps, pe, 1.0, norm_key(text[ps:pe]), ranked[:MAX_CANDIDATES]))
    mentions.sort(key=lambda m: (m.start, m.end))
    if home is not None:
        for m in mentions:
            m.ranked = _nearer_home(gaz, m.ranked, home)

    out = []
    for m, (idx, share) in zip(mentions, _resolve_jointly(gaz, text, mentions)):
        p = gaz.place(idx, text[m.start:m.end], share * m.penalty, len(m.ranked) - 1)
        p.start, p.end = m.start, m.end
        out.append(p)
    return out


class _Mention:
    __slots__ = ("end", "key", "penalty", "ranked", "start")

    def __init__(self, start: int, end: int, penalty: float, key: str,
                 ranked: list[tuple[int, float]]):
        self.start, self.end, self.penalty, self.key, self.ranked = start, end, penalty, key, ranked


_CONTAINER_GAP = re.compile(r"\s*,\s*$|\s*\(\s*$")


def _nearer_home(gaz: Gazetteer, ranked: list[tuple[int, float]],
                 home: tuple[float, float]) -> list[tuple[int, float]]:
    """`ranked` (entry, score), the towns and counties near the outlet's home raised."""
    out = []
    for i, score in ranked:
        e = gaz.entry(i)
        if e.feat in (F_CITY, F_OTHER):
            score += HOME_BOOST * math.exp(-km(home[0], home[1], e.lat, e.lon) / HOME_KM)
        out.append((i, score))
    return sorted(out, key=lambda x: -x[1])


def _resolve_jointly(gaz: Gazetteer, text: str, mentions: list[_Mention]) -> list[tuple[int, float]]:
    """The chosen entry and its share for each mention, resolving the document's names together.

    Mentions with the same key are one name (one place per name and document). Scores are in
    log10-population units: a candidate's base score (importance, name match, hints) gains

    * SPREAD_BOOST x the sum, over the other names, of n ** -SPREAD_ALPHA x max over their
      n candidates of exp(-km / PROXIMITY_KM) (towns and counties only; capped at
      SPREAD_CAP): could the other names lie near this one at all? Ambiguous names count
      less. This does not depend on what the others are resolved to;

    and then, over JOINT_ROUNDS rounds of re-scoring, with each name's probabilities the
    softmax (SOFTMAX_K) of its candidates' scores,

    * COUNTRY_MASS_BOOST x the share of the other names' probability mass in its country;
    * ADMIN1_MASS_BOOST x their mass in its admin-1 region, divided by the number of other
      names but at most ADMIN1_SATURATION (three names in one state are evidence enough);
    * PROXIMITY_BOOST x the sum over other names of max(probability x exp(-km /
      PROXIMITY_KM)) (towns and counties; capped at PROXIMITY_CAP);
    * CONTAINER_BOOST x the probability of the country or admin-1 region named right after it
      ("Paris, Tenn.", "Athens (Georgia)"); that region gains CONTAINER_BOOST / 2 when it
      contains one of the name's candidates.
    """
    import numpy as np

    if not mentions:
        return []
    group_of: dict[str, int] = {}
    cands: list[list[tuple[int, float]]] = []
    mg = []
    for m in mentions:
        g = group_of.get(m.key)
        if g is None:
            g = group_of[m.key] = len(cands)
            cands.append(m.ranked)
        mg.append(g)
    n_groups = len(cands)
    keep = max(8, min(MAX_CANDIDATES, JOINT_BUDGET // n_groups))  # bounds the n x n matrices
    cands = [c[:keep] for c in cands]
    idx = [i for c in cands for i, _ in c]
    grp = np.array([g for g, c in enumerate(cands) for _ in c])
    starts = np.array([0] + list(np.cumsum([len(c) for c in cands])[:-1]))
    base = np.array([sc for c in cands for _, sc in c], dtype=float)
    n = len(idx)

    def softmax(scores):
        top = np.maximum.reduceat(scores, starts)[grp]
        w = np.exp(SOFTMAX_K * (scores - top))
        return w / np.add.reduceat(w, starts)[grp]

    if n_groups == 1:
        return [(idx[int(np.argmax(base))], float(softmax(base).max()))] * len(mentions)

    entries = [gaz.entry(i) for i in idx]
    cc = [e.country_code for e in entries]
    feat = [e.feat for e in entries]
    a1 = [(e.country_code, e.admin1) if e.country_code and e.admin1 and e.feat != F_COUNTRY
          else None for e in entries]
    # None (no country, no admin1) is looked up and not found, as -1.
    c_keys: dict[str | None, int] = {c: j for j, c in enumerate(sorted({c for c in cc if c}))}
    a_keys: dict[tuple[str | None, str | None] | None, int] = {
        a: j for j, a in enumerate(sorted({a for a in a1 if a}))}
    c_of = np.array([c_keys.get(c, -1) for c in cc])
    a_of = np.array([a_keys.get(a, -1) for a in a1])

    # proximity between towns and counties of different names
    point = np.array([f in (F_CITY, F_OTHER) for f in feat])
    lat = np.radians([e.lat for e in entries])
    lon = np.radians([e.lon for e in entries])
    near = np.zeros((n, n))
    pts = np.flatnonzero(point)
    if len(pts) > 1:
        la, lo = lat[pts], lon[pts]
        h = (np.sin((la[:, None] - la[None, :]) / 2) ** 2
             + np.cos(la)[:, None] * np.cos(la)[None, :] * np.sin((lo[:, None] - lo[None, :]) / 2) ** 2)
        d = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        near[np.ix_(pts, pts)] = np.exp(-d / PROXIMITY_KM)
    ids = np.array(idx)
    near[(grp[:, None] == grp[None, :]) | (ids[:, None] == ids[None, :])] = 0.0

    # "X, Y": the countries and admin-1 regions among Y's candidates that contain X's
    contains = np.zeros((n, n))  # [x, y]: y contains x, x named right before y
    inside = np.zeros(n)
    for k, (m, g) in enumerate(zip(mentions, mg)):
        if k + 1 >= len(mentions):
            break
        nxt, h = mentions[k + 1], mg[k + 1]
        if h == g or nxt.start - m.end > 4 or not _CONTAINER_GAP.match(text, m.end, nxt.start):
            continue
        xs = range(starts[g], starts[g] + len(cands[g]))
        for y in range(starts[h], starts[h] + len(cands[h])):
            # "China, Japan" and "Utah, Washington" are lists: X can be of Y's kind itself
            if feat[y] not in (F_COUNTRY, F_ADMIN1) or any(feat[x] == feat[y] for x in xs):
                continue
            for x in xs:
                if x != y and (a1[x] == a1[y] if feat[y] == F_ADMIN1 else cc[x] == cc[y]) and cc[x]:
                    contains[x, y] = 1.0
                    inside[y] = 1.0

    # evidence that does not depend on the current choice: how many other names could lie
    # near x at all (ambiguous names count less: n ** -SPREAD_ALPHA)
    sizes = np.array([len(c) for c in cands], dtype=float)
    w_name = sizes ** -SPREAD_ALPHA
    any_near = np.maximum.reduceat(near, starts, axis=1)  # n x groups
    spread = np.minimum(any_near @ w_name, SPREAD_CAP)
    base = base + SPREAD_BOOST * spread

    own_c = (c_of[:, None] == np.arange(len(c_keys))[None, :]).astype(float)  # n x C
    own_a = (a_of[:, None] == np.arange(len(a_keys))[None, :]).astype(float)  # n x A
    located = (c_of >= 0).astype(float)
    scores = base.copy()
    for _ in range(JOINT_ROUNDS):
        prob = softmax(scores)
        gc = np.add.reduceat(own_c * prob[:, None], starts) if own_c.size else np.zeros((n_groups, 0))
        ga = np.add.reduceat(own_a * prob[:, None], starts) if own_a.size else np.zeros((n_groups, 0))
        has = np.add.reduceat(located * prob, starts)  # each name's mass that has a country
        others = np.maximum(has.sum() - has[grp], 1e-9)
        c_share = np.where(c_of >= 0, (gc.sum(0)[np.maximum(c_of, 0)] - gc[grp, np.maximum(c_of, 0)])
                           / others if gc.size else 0.0, 0.0)
        a_share = np.where(a_of >= 0, (ga.sum(0)[np.maximum(a_of, 0)] - ga[grp, np.maximum(a_of, 0)])
                           / np.minimum(others, ADMIN1_SATURATION) if ga.size else 0.0, 0.0)
        weighted = near * prob[None, :]
        per_name = np.maximum.reduceat(weighted, starts, axis=1)  # n x groups
        prox = np.minimum(per_name.sum(1), PROXIMITY_CAP)
        scores = (base + COUNTRY_MASS_BOOST * np.clip(c_share, 0, 1)
                  + ADMIN1_MASS_BOOST * np.clip(a_share, 0, 1) + PROXIMITY_BOOST * prox
                  + CONTAINER_BOOST * (contains @ prob) + CONTAINER_BOOST / 2 * inside)
    prob = softmax(scores)
    best = [int(s + np.argmax(scores[s:s + len(c)])) for s, c in zip(starts, cands)]
    return [(idx[best[g]], float(prob[best[g]])) for g in mg]


_ADMIN_WORD = re.compile(
    r"\b(?:Oblast|oblast|Krai|krai|Kray|Province|province|Governorate|governorate|"
    r"Prefecture|prefecture|Region|region|Raion|state)\b")
_CAP_WORD = re.compile(r"([A-Z][\w’'.-]*)\s+$")
_STATE_OF = re.compile(r"\bstates? of ((?:[A-Z][\w’'.-]*)(?: [A-Z][\w’'.-]*){0,2})")


def _scan_admin(text: str, boosts: dict[str, float]) -> list[tuple[int, int, list[tuple[int, float]]]]:
    """Find "Kursk Oblast", "the Belgorod region", "Russia's Kursk Oblast", "a Washington
    state farm" whatever the NER said about them (small models tag "Kursk" as PRODUCT): up to
    three capitalised words before an admin word, kept only if the phrase's best reading is
    an admin-1 region; and "the state of Washington", the name read as "Washington State"
    under the same condition. Lower-case "state" only: "the Islamic State" is no state.
    Returns (start, end, ranked candidates) with the stem's other readings among them."""
    gaz = gazetteer()
    out: list[tuple[int, int, list[tuple[int, float]]]] = []
    for m in _ADMIN_WORD.finditer(text):
        words: list[int] = []  # start offsets of the capitalised words, nearest first
        pos = m.start()
        possessor = None
        while len(words) < 3:
            w = _CAP_WORD.search(text, max(0, pos - 40), pos)
            if not w or "\n" in text[w.end(1):pos]:
                break
            word = w.group(1)
            if word.endswith(("'s", "’s")):
                possessor = country_code(word[:-2])
                break
            if norm_key(word) in ("the", "a", "an"):
                break
            words.append(w.start(1))
            pos = w.start(1)
        b = dict(boosts)
        if possessor:
            b[possessor] = max(b.get(possessor, 0.0), CONTEXT_BOOST + 1.0)
        for ws in reversed(words):  # longest first
            # found only if the phrase names an admin-1 region; the stem's other readings stay
            # candidates ("the Charlotte region" may be the city's area, not a parish)
            found = _admin_reading(gaz, text[ws:m.end()], text[ws:m.start()].strip(), b)
            if found:
                out.append((ws, m.end(), found))
                break
    # "the state of Washington": the words after it, longest first, read as "Washington State"
    for m in _STATE_OF.finditer(text):
        parts = m.group(1).split(" ")
        for k in range(len(parts), 0, -1):
            name = " ".join(parts[:k])
            ws, we = m.start(1), m.start(1) + len(name)
            if any(s < we and ws < e for s, e, _ in out):
                break
            found = _admin_reading(gaz, name + " State", name, boosts)
            if found:
                out.append((ws, we, found))
                break
    return out


def _admin_reading(gaz: Gazetteer, phrase: str, stem: str,
                   boosts: dict[str, float]) -> list[tuple[int, float]] | None:
    """The candidates of `phrase` ("Kursk Oblast", "Washington State") where its best reading
    is an admin-1 region, with the other readings of `stem` ("Kursk") among them; else None."""
    ranked = gaz.ranked(phrase, boosts)
    if not ranked or gaz.entry(ranked[0][0]).feat != F_ADMIN1:
        return None
    seen = {i for i, _ in ranked}
    rest = [(i, sc) for i, sc in gaz.ranked(stem, boosts) if i not in seen]
    return sorted(ranked + rest, key=lambda t: (-t[1], t[0]))
