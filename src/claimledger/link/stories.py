"""Stories: the articles that report one real-world story, found from what each whole
article is about.

A story is a cluster of articles (a casting decision and the reactions to it; an arrest,
the charge and the trial); the events of `link/events.py` are the happenings inside it. An
article joins a story by single-pass clustering, as in topic detection and tracking:

1. The article's gist (`models.Gist`, built at the spaCy border) becomes a TF-IDF vector of
   its content lemmas, weighted by how rare each is in the ledger (document frequencies the
   store keeps as articles arrive), and a set of named entities with the same weighting.
2. Candidate stories come from the store's blocking index: stories that share one of the
   article's rarest words or one of its names, active within the window around its date
   (an undated article looks at every week, but only at the stories that share the most
   keys with it).
3. Each candidate is scored (`story_score`): the cosine between the article's vector and the
   story's centroid, plus a share of the story's lead names (the people, organisations and
   places its articles open with) that the article also names, less a penalty when the
   article's lead names a year and the story's leads name other years only, and less a
   little for each e-fold a story has grown past 25 articles (a big story's centroid grows
   general: a year of election coverage would otherwise swallow every election article).
   The article joins the best story at `threshold` or above, or starts a new one.
4. When a second story also scores at `merge_threshold` or above, the article shows the two
   to be one: the newer is merged into the older (the store keeps the old id as a redirect).
5. Single-pass clustering lets a story drift: two stories of one kind (the same team, the
   same place, one name apart) become one once an article of the second joins the first,
   and each later article fits the mixed centroid. So a story that grows to one of the
   `SPLIT_AT` sizes (every size from 4 to 64 articles) has its articles clustered again,
   all at once, into two parts (`split_parts`: average link, then each article moved to the
   part it is on average closer to, `refine_parts`). It is split where the two fall apart:
   each has `SPLIT_PART` articles or more, they are less alike across than `SPLIT_RATIO`
   times as alike as within (`SPLIT_RATIO_YEARS` where half of one part's leads name a year
   none of the other's does: `own_years`), each has a name of its own, one that most of its
   articles give and few of the other's (the other player, the other ship), and the two
   are not about one person: none is the person half the articles of each name most (the
   actress at one clinic and at the next is one story; a team-mate named in passing is
   not the story: `shared_protagonists`). The larger part keeps the id; the other becomes
   a new story with its articles' claims of the main event (`link/events.py:
   Linker.plan_split`, recorded as a `story split` and a `split`).
6. At the same sizes the story takes in the small stories (`SMALL_STORY` articles or
   fewer) every article of which now fits it (`small_fits`, at `threshold`). An article
   that came before its story had the words to be recognised by (the first, one-line
   report of a climber's death, before the articles about the rescue of his brother) ends
   in a story of its own; the story it belongs to, once grown, finds it. A small story
   that began later was compared with the story when it was small, and did not fit: it is
   taken in only where it is about the same person (one half the story's articles name in
   full, and half of its own: later reports of a pin-up model's death that did not fit her
   story when they came), as otherwise the first article of another story of the same
   kind would be. The small story is merged into the story and its main event into the
   story's main event (`Linker.plan_absorb`, recorded as a `story merge` and a `merge`).
   Where that carries the story past another of the sizes, it is clustered again at once.

The weights were tuned on the ECB+ train topics (see docs/events.md); the happening's PLOVER
type plays no part here: two articles about the same acquisition are one story whatever verb
each uses. The linker runs no SQL: candidates, document frequencies and profiles come from
store methods.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from claimledger.models import Gist

MAX_TERMS = 300  # centroid weights kept per story, largest first
MAX_NAMES = 200
LEAD_NAMES = 8  # the story's most frequent lead names, compared with the article's names
BLOCKING_TERMS = 15  # the article's highest-weighted words used as blocking keys
CANDIDATES = 30  # stories scored in full, those sharing the most keys
LEAD_WEIGHT = 0.2
YEAR_PENALTY = 0.2
# A story's centroid grows general as it grows (an election year's coverage): past
# LARGE_STORY articles, joining it costs SIZE_PENALTY per e-fold of its size.
LARGE_STORY = 25
SIZE_PENALTY = 0.4
# Re-clustering a story's articles (step 5): at each of these sizes; its two closest-knit
# parts are two stories where they are less than SPLIT_RATIO times as similar to each other
# as within, and each has SPLIT_PART articles. Similarity of two articles:
# (1 - NAME_SHARE) x the cosine of their words + NAME_SHARE x the cosine of their names.
SPLIT_AT = frozenset(range(4, 65))
SPLIT_RATIO = 0.7
SPLIT_RATIO_YEARS = 0.9  # where one part's leads name a year the other's never do
SPLIT_PART = 3
OWN_SHARE = 0.5
OTHER_SHARE = 0.2
NAME_SHARE = 0.3
SMALL_STORY = 2  # stories of at most this many articles a growing story may take in
MEMBER_TERMS = 100  # of an article's words kept for re-clustering, largest weights first
MEMBER_NAMES = 50


@dataclass
class StoryProfile:
    """What a story is about: the sum of its articles' unit TF-IDF vectors (its centroid,
    unnormalised), its names, the names and years its articles open with."""

    terms: dict[str, float] = field(default_factory=dict)
    names: Counter = field(default_factory=Counter)
    lead: Counter = field(default_factory=Counter)
    years: Counter = field(default_factory=Counter)
    articles: int = 0
    first: Optional[str] = None
    last: Optional[str] = None
    main_event: Optional[str] = None  # the event of its first article's main claims

    def add(self, article: "ArticleVector") -> None:
        self.merge(StoryProfile(dict(article.terms), Counter(article.names),
                                Counter(article.lead), Counter(article.lead_years), 1,
                                article.day, article.day))

    def merge(self, other: "StoryProfile") -> None:
        for t, w in other.terms.items():
            self.terms[t] = self.terms.get(t, 0.0) + w
        self.names.update(other.names)
        self.lead.update(other.lead)
        self.years.update(other.years)
        self.articles += other.articles
        dates = [d for d in (self.first, self.last, other.first, other.last) if d]
        self.first, self.last = (min(dates), max(dates)) if dates else (None, None)
        if len(self.terms) > MAX_TERMS:
            kept = sorted(self.terms.items(), key=lambda kv: -kv[1])[:MAX_TERMS]
            self.terms = dict(kept)
        if len(self.names) > MAX_NAMES:
            self.names = Counter(dict(self.names.most_common(MAX_NAMES)))

    def to_json(self) -> str:
        return json.dumps({"terms": {t: round(w, 4) for t, w in self.terms.items()},
                           "names": self.names, "lead": self.lead, "years": self.years,
                           "articles": self.articles, "first": self.first,
                           "last": self.last, "main_event": self.main_event},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "StoryProfile":
        d = json.loads(text)
        return cls(d["terms"], Counter(d["names"]), Counter(d["lead"]), Counter(d["years"]),
                   d["articles"], d["first"], d["last"], d.get("main_event"))


@dataclass
class ArticleVector:
    """An article's gist weighted by the ledger's document frequencies."""

    terms: dict[str, float]  # unit length
    names: dict[str, float]  # name -> IDF
    lead: list[str]
    lead_years: list[str]
    day: Optional[str]
    mentions: dict[str, int] = field(default_factory=dict)  # name -> times named
    people: list[str] = field(default_factory=list)  # which of its names are people's

    def blocking_keys(self) -> list[str]:
        return [f"t:{t}" for t in top_terms(self.terms)] + [f"n:{n}" for n in sorted(self.names)]

    def name_vector(self) -> dict[str, float]:
        """Its names weighted as its words are ((1 + log tf) x IDF), unit length."""
        raw = {n: (1 + math.log(self.mentions.get(n, 1))) * w for n, w in self.names.items()}
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        return {n: w / norm for n, w in raw.items()}

    def to_json(self, gist: Gist) -> str:
        """What the store keeps of the article for re-clustering its story (step 5): the
        counts of its highest-weighted words and names (weighed again, with the ledger's
        document frequencies of the day, when its story is clustered again)."""
        terms = sorted(self.terms, key=lambda t: (-self.terms[t], t))[:MEMBER_TERMS]
        names = sorted(self.names, key=lambda n: (-self.names[n] * (
            1 + math.log(self.mentions.get(n, 1))), n))[:MEMBER_NAMES]
        return json.dumps({"terms": {t: gist.terms[t] for t in terms if t in gist.terms},
                           "names": {n: gist.names[n] for n in names if n in gist.names},
                           "lead": self.lead, "lead_years": self.lead_years,
                           "people": [n for n in self.people if n in names],
                           "day": self.day}, ensure_ascii=False)


def top_terms(terms: dict[str, float]) -> list[str]:
    """The `BLOCKING_TERMS` highest-weighted words (ties: alphabetical): blocking keys."""
    return sorted(terms, key=lambda t: (-terms[t], t))[:BLOCKING_TERMS]


def member_gist(text: str) -> tuple[Gist, Optional[str]]:
    """The gist (as far as the store kept it) and day of an article from `to_json`."""
    d = json.loads(text)
    return Gist(terms=d["terms"], names=d["names"], lead=d["lead"],
                lead_years=d["lead_years"], people=d.get("people", [])), d["day"]


def frequency_keys(gist: Gist) -> list[str]:
    """The keys whose document frequencies weight an article: its words and its names."""
    return [f"t:{t}" for t in gist.terms] + [f"n:{n}" for n in gist.names]


def idf(documents: int, frequency: int) -> float:
    return math.log((documents + 1) / (frequency + 1)) + 1


def weigh(gist: Gist, documents: int, frequencies: dict[str, int],
          published: Optional[str]) -> ArticleVector:
    """The article's TF-IDF vector (1 + log tf, smoothed IDF, unit length) and name IDFs,
    against a ledger of `documents` articles (this one included)."""
    raw = {t: (1 + math.log(n)) * idf(documents, frequencies.get(f"t:{t}", 1))
           for t, n in gist.terms.items()}
    norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
    names = {n: idf(documents, frequencies.get(f"n:{n}", 1)) for n in gist.names}
    return ArticleVector({t: w / norm for t, w in raw.items()}, names, list(gist.lead),
                         list(gist.lead_years), (published or "")[:10] or None,
                         dict(gist.names), list(gist.people))


def article_similarity(a: ArticleVector, b: ArticleVector,
                       names: Optional[tuple[dict, dict]] = None) -> float:
    """How close two articles are: their words' cosine and their names' cosine, weighted.
    `names`: their name vectors, where the caller has them already."""
    words = sum(w * b.terms.get(t, 0.0) for t, w in a.terms.items())
    an, bn = names or (a.name_vector(), b.name_vector())
    shared = sum(w * bn.get(n, 0.0) for n, w in an.items())
    return (1 - NAME_SHARE) * words + NAME_SHARE * shared


def split_parts(articles: list[ArticleVector]) -> tuple[list[list[int]], list[list[float]]]:
    """The articles clustered all at once into two parts (agglomerative, average link,
    closest first, until two are left; then `refine_parts`). Returns the parts (indexes
    into `articles`, each in order) and the pairwise similarities; a single part where the
    two do not fall apart: one has fewer than `SPLIT_PART` articles, or their articles are
    on average at least `SPLIT_RATIO` times as similar to each other as those of the less
    close-knit part among themselves (`SPLIT_RATIO_YEARS` where one part's leads name a
    year of their own), or one of them has no name of its own (`own_names`), or the person
    half the articles of each name most is the same (`shared_protagonists`)."""
    n = len(articles)
    names = [a.name_vector() for a in articles]
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim[i][j] = sim[j][i] = article_similarity(articles[i], articles[j],
                                                       (names[i], names[j]))
    parts = [[i] for i in range(n)]
    total = [row[:] for row in sim]  # sum of similarities between parts i and j
    alive = list(range(n))
    while len(alive) > 2:
        best, pair = -1.0, (alive[0], alive[1])
        for x, i in enumerate(alive):
            for j in alive[x + 1:]:
                average = total[i][j] / (len(parts[i]) * len(parts[j]))
                if average > best:
                    best, pair = average, (i, j)
        i, j = pair
        parts[i] = sorted(parts[i] + parts[j])
        alive.remove(j)
        for k in alive:
            if k != i:
                total[i][k] = total[k][i] = total[i][k] + total[j][k]
    two = refine_parts([parts[i] for i in alive], sim)
    if len(two) < 2 or min(len(p) for p in two) < SPLIT_PART:
        return [list(range(n))], sim

    def within(p: list[int]) -> float:
        pairs = [sim[i][j] for x, i in enumerate(p) for j in p[x + 1:]]
        return sum(pairs) / len(pairs)

    across = sum(sim[i][j] for i in two[0] for j in two[1]) / (len(two[0]) * len(two[1]))
    a, b = ([articles[i] for i in p] for p in two)
    ratio = SPLIT_RATIO_YEARS if own_years(a, b) or own_years(b, a) else SPLIT_RATIO
    if across >= ratio * min(within(p) for p in two):
        return [list(range(n))], sim
    if not (own_names(a, b) and own_names(b, a)) or shared_protagonists(a, b):
        return [list(range(n))], sim
    return two, sim


def refine_parts(two: list[list[int]], sim: list[list[float]]) -> list[list[int]]:
    """Average link's last two parts, each article moved to the part its articles are on
    average more similar to, until none moves (at most 10 passes). Average link's last two
    parts are often one outlier and the rest (one article on the rules of 2008 against the
    other articles on them and all those on their reversal in 2009); moved so, the
    articles fall into the two stories."""
    two = [list(p) for p in two]
    if len(two) < 2:
        return two
    for _ in range(10):
        moved = False
        for a in range(len(sim)):
            here = 0 if a in two[0] else 1
            if len(two[here]) <= 1:
                continue
            average = [sum(sim[a][b] for b in p if b != a) / max(1, len(p) - (a in p))
                       for p in two]
            if average[1 - here] > average[here]:
                two[here].remove(a)
                two[1 - here].append(a)
                moved = True
        if not moved:
            break
    return [sorted(p) for p in two]


def own_years(part: list[ArticleVector], other: list[ArticleVector]) -> list[str]:
    """Years at least OWN_SHARE of `part`'s articles name in their leads and none of
    `other`'s does: the part reports a happening of another year (the patch of 2013 against
    the patch of 2008, each article's dateline and lead naming its own)."""
    mine = Counter(y for a in part for y in set(a.lead_years))
    theirs = Counter(y for a in other for y in set(a.lead_years))
    return sorted(y for y, k in mine.items() if k >= OWN_SHARE * len(part) and not theirs.get(y))


def own_names(part: list[ArticleVector], other: list[ArticleVector]) -> list[str]:
    """Names at least OWN_SHARE of `part`'s articles give and at most OTHER_SHARE of
    `other`'s: who or what the part is about that the rest is not (another player, another
    ship, another opponent)."""
    def shares(articles: list[ArticleVector]) -> Counter:
        return Counter(n for a in articles for n in set(a.names))

    mine, theirs = shares(part), shares(other)
    return sorted(n for n, k in mine.items() if k >= OWN_SHARE * len(part)
                  and theirs.get(n, 0) <= OTHER_SHARE * len(other))


def shared_people(part: list[ArticleVector], other: list[ArticleVector]) -> list[str]:
    """People at least OWN_SHARE of the articles of each part name in full (two words or
    more): a small story that began after a story is taken in by it where they share one
    (later reports of a pin-up model's death, step 6). A one-word "person" is as often a
    shop or a place the entity recogniser took for one ("Waitrose", in two fires at two of
    its stores). The split asks more (`shared_protagonists`)."""
    def named(articles: list[ArticleVector]) -> set[str]:
        counts = Counter(n for a in articles for n in set(a.people) if " " in n)
        return {n for n, k in counts.items() if k >= OWN_SHARE * len(articles)}

    return sorted(named(part) & named(other))


SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def surname(name: str) -> str:
    """The last word of a person's name, less a suffix ("Anthony LaCalamita III":
    "lacalamita"): how the articles of a story refer to one person, in full or not, and
    however the recogniser cut the name."""
    words = [w.strip(".,'") for w in name.split()]
    return ([w for w in words if w not in SUFFIXES] or words)[-1]


def protagonists(a: ArticleVector) -> set[str]:
    """Whom the article is about: the surname its people are named by most often, counted
    over every name of a person with that surname (one named in full somewhere in the
    article, so that a town or a shop taken for a one-word person does not count); ties:
    each."""
    full = {surname(n) for n in a.people if " " in n}
    counts: Counter = Counter()
    for n in a.people:
        if surname(n) in full:
            counts[surname(n)] += a.mentions.get(n, 1)
    top = max(counts.values(), default=0)
    return {k for k, v in counts.items() if v == top and top}


def shared_protagonists(part: list[ArticleVector], other: list[ArticleVector]) -> list[str]:
    """Surnames of people who are what half the articles of each part are about
    (`protagonists`): Lindsay Lohan at one clinic and at the next, the gunman named in full,
    with his suffix and by his surname alone, so one story, however their other names
    differ. A person one part names only in passing (the team-mate arrested a month
    before, in each report of the second arrest) does not keep the two together."""
    def about(articles: list[ArticleVector]) -> set[str]:
        counts = Counter(k for a in articles for k in protagonists(a))
        return {k for k, n in counts.items() if n >= OWN_SHARE * len(articles)}

    return sorted(about(part) & about(other))


def story_score(a: ArticleVector, s: StoryProfile,
                name_idf: dict[str, float]) -> tuple[float, list[str]]:
    """How well article `a` fits story `s`, and the words and names that carry it.
    `name_idf`: the IDF of the story's lead names."""
    norm = math.sqrt(sum(w * w for w in s.terms.values())) or 1.0
    shared = [(w * s.terms[t], t) for t, w in a.terms.items() if t in s.terms]
    cosine = sum(x for x, _ in shared) / norm
    lead = s.lead.most_common(LEAD_NAMES)
    lead_weight = sum(name_idf.get(n, 1.0) for n, _ in lead)
    found = [n for n, _ in lead if n in a.names]
    lead_share = (sum(name_idf.get(n, 1.0) for n in found) / lead_weight) if lead_weight \
        else 0.5
    years_apart = bool(a.lead_years and s.years and not set(a.lead_years) & set(s.years))
    size = SIZE_PENALTY * max(0.0, math.log(s.articles / LARGE_STORY)) if s.articles else 0.0
    score = cosine + LEAD_WEIGHT * lead_share - (YEAR_PENALTY if years_apart else 0.0) - size
    words = [t for _, t in sorted(shared, reverse=True)[:5]]
    return score, [f"word:{t}" for t in words] + [f"name:{n}" for n in found]


def story_id(document_id: str) -> str:
    return "s" + hashlib.sha1(f"story:{document_id}".encode()).hexdigest()[:15]


@dataclass
class StoryLink:
    """An article joined to a story (a new one if `new`), and the stories it showed to be
    the same one (merged into `story_id`)."""

    story_id: str
    new: bool
    score: Optional[float]
    shared: list[str]
    profile: StoryProfile  # after the article joined
    keys: list[str]  # blocking keys to index
    week: int
    frequency_keys: list[str]  # keys whose document frequency this article raises
    merged: list[str] = field(default_factory=list)
    merge_reason: str = ""
    article: Optional[str] = None  # JSON the store keeps for re-clustering (`to_json`)
    recluster: bool = False  # the story reached a size at which it is clustered again


class StoryLinker:
    def __init__(self, store, *, threshold: float = 0.3, merge_threshold: float = 0.6,
                 window_weeks: int = 3):
        self.store = store
        self.threshold = threshold
        self.merge_threshold = merge_threshold
        self.window_weeks = window_weeks

    def members(self, texts: list[str]) -> list[ArticleVector]:
        """Articles of a story as the store kept them (`ArticleVector.to_json`), weighed
        with the ledger's document frequencies now."""
        gists = [member_gist(text) for text in texts]
        keys = sorted({k for g, _ in gists for k in frequency_keys(g)})
        documents, frequencies = self.store.document_frequencies(keys)
        return [weigh(g, max(documents, 1), frequencies, day) for g, day in gists]

    def small_fits(self, story_id: str, profile: StoryProfile,
                   week: int) -> list[tuple[str, float, StoryProfile]]:
        """The small stories (at most `SMALL_STORY` articles) every article of which fits
        story `story_id` (with `profile`) at the threshold, with the lowest of their
        articles' scores and their profiles: those that began before it, and those that
        began after it where a person half the story's articles name in full is named by
        half of theirs (`shared_people`). Candidates from the blocking index, by the
        story's highest-weighted words and its lead names, within the window around
        `week`."""
        lead = [n for n, _ in profile.lead.most_common(LEAD_NAMES)]
        candidates = self.store.story_candidates(
            [f"t:{t}" for t in top_terms(profile.terms)] + [f"n:{n}" for n in lead], week,
            self.window_weeks, 2 * CANDIDATES)
        small = {sid: StoryProfile.from_json(text) for sid, text in sorted(candidates.items())
                 if sid != story_id}
        small = {sid: p for sid, p in small.items() if p.articles <= SMALL_STORY}
        order = self.store.story_order([story_id, *small])
        later = {sid for sid in small if order.get(sid, 1 << 62) >= order.get(story_id, 0)}
        if not small:
            return []
        people: Optional[list[ArticleVector]] = None  # the story's articles, when needed
        documents, frequencies = self.store.document_frequencies([f"n:{n}" for n in lead])
        lead_idf = {n: idf(documents, frequencies.get(f"n:{n}", 0)) for n in lead}
        found = []
        for sid in small:
            texts = [v for _, v in self.store.story_members(sid)]
            if not texts or any(v is None for v in texts):
                continue  # articles linked before they were kept
            articles = self.members(texts)
            if sid in later:
                if people is None:
                    people = self.members([v for _, v in self.store.story_members(story_id)
                                           if v is not None])
                if not shared_people(articles, people):
                    continue
            scores = [story_score(a, profile, {**lead_idf, **a.names})[0]
                      for a in articles]
            if min(scores) >= self.threshold:
                found.append((sid, min(scores), small[sid]))
        return found

    def link(self, gist: Gist, document_id: str, published: Optional[str],
             week: int) -> StoryLink:
        fkeys = frequency_keys(gist)
        documents, frequencies = self.store.document_frequencies(fkeys)
        documents += 1  # this article counts
        frequencies = {k: frequencies.get(k, 0) + 1 for k in fkeys}
        article = weigh(gist, documents, frequencies, published)
        keys = article.blocking_keys()
        candidates = {sid: StoryProfile.from_json(text) for sid, text in
                      self.store.story_candidates(keys, week, self.window_weeks,
                                                  CANDIDATES).items()}
        leads = sorted({f"n:{n}" for p in candidates.values()
                        for n, _ in p.lead.most_common(LEAD_NAMES)} - set(fkeys))
        _, lead_frequencies = self.store.document_frequencies(leads)
        name_idf = {k[2:]: idf(documents, lead_frequencies.get(k, 0)) for k in leads}
        name_idf.update(article.names)
        scored = sorted(((*story_score(article, p, name_idf), sid)
                         for sid, p in candidates.items()), key=lambda x: (-x[0], x[2]))
        if not scored or scored[0][0] < self.threshold:
            profile = StoryProfile()
            profile.add(article)
            return StoryLink(story_id(document_id), True, None, [], profile, keys, week,
                             fkeys, article=article.to_json(gist))
        score, shared, best = scored[0]
        profile = candidates[best]
        merged: list[str] = []
        for other_score, _, other in scored[1:]:
            if other_score < self.merge_threshold or score < self.merge_threshold:
                break
            merged.append(other)
        # The story that was there first keeps its id; the others redirect to it.
        survivors = sorted([best, *merged],
                           key=lambda sid: (candidates[sid].first or "9999", sid))
        into = survivors[0]
        for sid in survivors[1:]:
            candidates[into].merge(candidates[sid])
        profile = candidates[into]
        profile.add(article)
        reason = (f"article {document_id} fits both (scores "
                  f"{', '.join(f'{s:.2f}' for s, _, _ in scored[:len(survivors)])})"
                  if merged else "")
        return StoryLink(into, False, round(score, 3), shared, profile, keys, week, fkeys,
                         [sid for sid in survivors[1:]], reason,
                         article.to_json(gist), profile.articles in SPLIT_AT)
