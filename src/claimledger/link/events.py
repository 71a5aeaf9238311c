"""Linking claims into events, incrementally, as each article is stored.

An event is the set of claims about one real-world happening, across articles and days. The
linker is single-pass clustering as in topic detection and tracking, in two steps per article:

1. Within the article, claims are grouped by the happening they name: one group per PLOVER
   type the article names (an attack, talks), or per other kind of happening (a flood) when
   it names none. A claim that names none joins the group it shares most with (places, named
   actors and organisations, countries, content words), else the group of the claim before it
   in the text: "We will see after a couple of days" belongs where its article put it.
   Denials and non-confirmations answer other claims and start no group: they join the group
   they share a lot with, else the article's main (largest) group.
2. Each group is compared with the events already in the ledger that share at least one
   specific key (a place, a name, a trigger word, a type with an actor) and were active in
   the weeks around the article's publication. It joins the best event that scores at least
   the threshold, or starts a new one.

Candidates come from the `event_keys` index by key and week, so the cost of linking a claim
depends on how many events are active around its date, not on the size of the ledger. Events
are never re-linked as a whole: an event's profile (key and word counts) is updated in place.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Sequence

from claimledger.claims.lexicon import answers_another_claim
from claimledger.link.stories import (SPLIT_PART, StoryLink, StoryLinker, StoryProfile,
                                      own_names, split_parts, story_id as new_story_id)
from claimledger.models import Claim, Gist

# How much sharing one key of each kind counts; specific keys count more.
WEIGHTS = {"place": 3.0, "name": 2.0, "trigger": 1.5, "type+actor": 1.5, "type": 1.0,
           "actor": 1.0, "country": 0.5}
# Keys specific enough to find candidate events by (the blocking index).
BLOCKING = ("place", "name", "trigger", "type+actor")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
STOP = set("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours out over
own same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your said says say told tell added according reported reports report
one two three four five six seven eight nine ten dozens hundreds thousands several many last
next first second new week weeks day days month months year years monday tuesday wednesday
thursday friday saturday sunday january february march april may june july august september
october november december today yesterday tomorrow night morning evening""".split())
MAX_WORDS = 200  # words kept in an event's profile, most frequent first
MAX_KEYS = 400
CANDIDATES = 20  # events scored in full per group, those sharing the most keys
WORD_KEYS = 8  # content words indexed per group, the most frequent long ones
WORD_KEY_LENGTH = 5
ARTICLE_FACTOR = 0.5  # the threshold inside one article, relative to the one across articles
# An event that has grown this large (a season of campaign coverage, most of it undated)
# has a general profile: as the story's main event it takes an article's main claims only
# where they fit it as an event, not merely because the article fits the story, and any
# group must fit it the better the larger it is (the threshold grows by its share for each
# e-fold past LARGE_EVENT claims).
LARGE_EVENT = 500  # claims


@dataclass
class Profile:
    """What a group of claims, or an event, is about: weighted keys and content words."""

    keys: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    claims: int = 0
    first: Optional[str] = None  # earliest publication date, ISO
    last: Optional[str] = None

    def add(self, other: "Profile") -> None:
        self.keys.update(other.keys)
        self.words.update(other.words)
        self.claims += other.claims
        dates = [d for d in (self.first, self.last, other.first, other.last) if d]
        self.first, self.last = (min(dates), max(dates)) if dates else (None, None)
        self.words = _cap(self.words, other.words, MAX_WORDS)
        self.keys = _cap(self.keys, other.keys, MAX_KEYS)

    def to_json(self) -> str:
        return json.dumps({"keys": self.keys, "words": self.words, "claims": self.claims,
                           "first": self.first, "last": self.last}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Profile":
        d = json.loads(text)
        return cls(Counter(d["keys"]), Counter(d["words"]), d["claims"], d["first"], d["last"])

    def blocking_keys(self) -> list[str]:
        """Keys to find candidate events by: the specific ones, and the group's most
        frequent long content words (so that claims naming no place, name or happening
        still find the events that use their words)."""
        words = sorted((w for w in self.words if len(w) >= WORD_KEY_LENGTH),
                       key=lambda w: (-self.words[w], -len(w), w))[:WORD_KEYS]
        return [k for k in self.keys if kind(k) in BLOCKING] + [f"word:{w}" for w in words]

    def main_type(self) -> Optional[str]:
        types = Counter({k[5:]: n for k, n in self.keys.items() if kind(k) == "type"})
        plover = [t for t, _ in types.most_common() if t != "OTHER"]
        return plover[0] if plover else (next(iter(types)) if types else None)


def _cap(counts: Counter, newest: Counter, size: int) -> Counter:
    """The `size` most frequent entries; among equal counts the newest (those just added)
    stay, so that a developing story's new words can still enter its profile."""
    if len(counts) <= size:
        return counts
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] not in newest))
    return Counter(dict(ranked[:size]))


def kind(key: str) -> str:
    return key.split(":", 1)[0]


def _name(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip().casefold())
    return re.sub(r"^the\s+", "", text)


def claim_profile(c: Claim, published: Optional[str]) -> Profile:
    keys: Counter = Counter()
    for p in c.places:
        if p.feature == "country":
            if p.country_code:
                keys[f"country:{p.country_code}"] += 1
            continue
        keys[f"place:{p.geonames_id or _name(p.name)}"] += 1
        if p.country_code:
            keys[f"country:{p.country_code}"] += 1
    actors = set()
    for m in c.mentions:  # those in the content: who the claim is about, not who says it
        if m.start < c.content_start or m.end > c.content_end:
            continue
        if m.canonical and m.type in ("COUNTRY", "DEMONYM", "METONYM"):
            actors.add(m.canonical)
        elif m.type in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT") and \
                len(m.text) > 2:
            keys[f"name:{_name(m.text)}"] += 1
    for a in actors:
        keys[f"actor:{a}"] += 1
    h = c.happening
    if h:
        keys[f"type:{h.type}"] += 1
        keys[f"trigger:{h.lemma}"] += 1
        if h.type != "OTHER":
            for a in actors:
                keys[f"type+actor:{h.type}|{a}"] += 1
    words = Counter(w for w in (m.casefold() for m in WORD.findall(c.content))
                    if len(w) > 2 and w not in STOP)
    day = (published or "")[:10] or None
    return Profile(keys, words, 1, day, day)


def claims_profile(claims: Sequence[Claim]) -> Profile:
    """The profile of stored claims, each dated by its document's publication."""
    profile = Profile()
    for c in claims:
        profile.add(claim_profile(c, c.document.published_at if c.document else None))
    return profile


def similarity(x: Profile, e: Profile) -> tuple[float, list[str]]:
    """How well group `x` fits event `e` (0 to about 1), and what they share.

    The share of x's key weight that e also has, blended with the cosine of their content
    words; two different PLOVER types halve it, the same type adds a little, and so do
    places named on both sides with none in common (halve) and weeks apart (x0.7)."""
    shared = [k for k in x.keys if k in e.keys]
    total = sum(WEIGHTS[kind(k)] for k in x.keys)
    key_sim = sum(WEIGHTS[kind(k)] for k in shared) / total if total else 0.0
    word_sim = _cosine(x.words, e.words)
    score = 0.6 * key_sim + 0.4 * word_sim if total else word_sim
    tx, te = x.main_type(), e.main_type()
    if tx and te and "OTHER" not in (tx, te):
        score = score + 0.1 if tx == te else score * 0.5
    places_x = {k for k in x.keys if kind(k) == "place"}
    places_e = {k for k in e.keys if kind(k) == "place"}
    if places_x and places_e and not places_x & places_e:
        score *= 0.5  # named places, none in common: another strike, another town
    gap = _days_apart(x, e)
    if gap is not None and gap > 14:  # weeks apart: possible, but it needs more in common
        score *= 0.7
    common_words = sorted(set(x.words) & set(e.words), key=lambda w: -e.words[w])[:5]
    return score, shared + [f"word:{w}" for w in common_words]


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(math.sqrt(n) * math.sqrt(b[w]) for w, n in a.items() if w in b)
    na = math.sqrt(sum(a.values()))
    nb = math.sqrt(sum(b.values()))
    return dot / (na * nb)


def _days_apart(x: Profile, e: Profile) -> Optional[int]:
    try:
        if not (x.first and e.last and e.first and x.last):
            return None
        if x.first > e.last:
            return (date.fromisoformat(x.first) - date.fromisoformat(e.last)).days
        if e.first > x.last:
            return (date.fromisoformat(e.first) - date.fromisoformat(x.last)).days
        return 0
    except ValueError:
        return None


def week(day: Optional[str]) -> int:
    """A week number for an ISO date (consecutive weeks, consecutive numbers); 0 for an
    article with no date, whose claims are then compared with events of any week."""
    try:
        return date.fromisoformat((day or "")[:10]).toordinal() // 7 - 102_000
    except ValueError:
        return 0


@dataclass
class Group:
    """Claims of one article that are about the same happening."""

    claims: list[Claim]
    profile: Profile


def group_article(claims: Sequence[Claim], published: Optional[str],
                  threshold: float) -> list[Group]:
    """Claims of one article, grouped by the happening they are about (step 1 above).

    Each PLOVER type named in the article seeds one group (or, with none, any other kind of
    happening seeds a single group: a flood and the evacuations it caused). A claim that names no seeding happening joins the group it
    shares most with, if that reaches `threshold`, else the group of the claim before it in
    the text (the article's own order is its best context), else the largest group."""
    profiles = [claim_profile(c, published) for c in claims]
    seed_of: list[Optional[str]] = [None] * len(claims)
    answers = [answers_another_claim(c.cue, c.certainty) for c in claims]
    for i, c in enumerate(claims):
        if answers[i]:  # "could not confirm that soldiers were fighting": not a new story
            profiles[i] = _without_type(profiles[i])
        elif c.happening and c.happening.type != "OTHER":
            seed_of[i] = c.happening.type
    if not any(seed_of):
        for i, c in enumerate(claims):
            if c.happening:
                seed_of[i] = "OTHER"  # a flood and the evacuation it caused are one
    groups: dict[str, Group] = {}
    home: list[Optional[Group]] = [None] * len(claims)
    for i, seed in enumerate(seed_of):
        if seed is None:
            continue
        g = groups.get(seed)
        if g is None:
            groups[seed] = g = Group([], Profile())
        g.claims.append(claims[i])
        g.profile.add(profiles[i])
        home[i] = g
    if not groups:
        g = Group([], Profile())
        for c, p in zip(claims, profiles):
            g.claims.append(c)
            g.profile.add(p)
        return [g] if claims else []
    for i in range(len(claims)):
        if home[i] is not None:
            continue
        best, best_score = None, threshold
        if answers[i]:  # a denial or non-confirmation answers the article's main story
            best_score = 2 * threshold
        if any(kind(k) in BLOCKING for k in profiles[i].keys):
            for g in groups.values():
                score, _ = similarity(profiles[i], g.profile)
                if score >= best_score:
                    best, best_score = g, score
        if best is None and answers[i]:
            best = max(groups.values(), key=lambda g: len(g.claims))
        if best is None:
            before = [home[j] for j in range(i - 1, -1, -1) if home[j] is not None]
            after = [home[j] for j in range(i + 1, len(claims)) if home[j] is not None]
            best = (before or after or [max(groups.values(), key=lambda g: len(g.claims))])[0]
        home[i] = best
    # Claims were placed against the seed profiles only (so their order does not matter);
    # now each group takes its members in text order.
    out = []
    for g in groups.values():
        g.claims, g.profile = [], Profile()
    for c, p, g in zip(claims, profiles, home):
        assert g is not None  # every claim has its group by now
        g.claims.append(c)
        g.profile.add(p)
    for g in home:
        if g is not None and g not in out:
            out.append(g)
    return out


def _without_type(p: Profile) -> Profile:
    return Profile(Counter({k: n for k, n in p.keys.items()
                            if kind(k) not in ("type", "trigger", "type+actor")}),
                   p.words, p.claims, p.first, p.last)


@dataclass
class Link:
    """One group of an article's claims joined to an event (a new one if `new`)."""

    event_id: str
    new: bool
    claims: list[Claim]
    score: Optional[float]
    shared: list[str]
    profile: Profile  # the event's profile after the group has joined
    keys: list[str]  # blocking keys to index for this event
    week: int
    story_id: Optional[str] = None  # the story a new event belongs to


@dataclass
class EventMerge:
    """Two events an article showed to be one: `merged` now redirects to `into`."""

    into: str
    merged: str
    reason: str
    profile: Profile  # `into`'s profile after the merge


@dataclass
class ArticleLinks:
    """Where one article's claims went: its story, its claims' events, and the events and
    stories it showed to be one."""

    story: StoryLink
    events: list[Link]
    merges: list[EventMerge] = field(default_factory=list)


@dataclass
class StoryPart:
    """Articles of a story that re-clustering found to be a story of their own."""

    story_id: str
    documents: list[str]
    profile: StoryProfile
    keys: list[tuple[str, int]]  # blocking keys by week
    events: list[str]  # the story's events all of whose claims are this part's: they move
    main_event: Optional[str]  # its main event: its articles' claims of the story's main one
    main_profile: Optional[Profile]
    main_claims: list[str]
    main_keys: list[str]
    week: int


@dataclass
class StorySplit:
    """A story split in two or more after its articles were clustered again: `story_id`
    keeps the largest part, with `profile`, `keys` and its main event's remaining
    `main_profile`; each of `parts` becomes a story."""

    story_id: str
    profile: StoryProfile
    keys: list[tuple[str, int]]
    main_event: Optional[str]
    main_profile: Optional[Profile]
    parts: list[StoryPart]
    reason: str


@dataclass
class StoryAbsorb:
    """Small stories a grown story takes in (`link/stories.py`, step 6): each of `absorbed`
    (story id, why) is merged into `story_id`, which then has `profile`; their main events
    are merged into its main event (`merges`)."""

    story_id: str
    profile: StoryProfile
    absorbed: list[tuple[str, str]]
    merges: list[EventMerge]
    before: int = 0  # its articles before it took them in


def event_id(first_claim: str) -> str:
    return "e" + hashlib.sha1(f"event:{first_claim}".encode()).hexdigest()[:15]


class Linker:
    """Links each new article into a story (`link/stories.py`), then its claims into the
    events of that story, or of the ledger.

    The article's main group of claims (the largest) joins the story's main event (the event
    of the story's first article's main claims): the main happening and its follow-ups are
    one event, and an article that reports one story is not scattered by the verbs it uses.
    Its other groups (background happenings, "a June agreement") join the event of the story
    they fit, else any event of the ledger they fit, else start a new event in the story.
    The main group of a new story starts a new event: what the article is about was found
    in no story."""

    def __init__(self, store, *, threshold: float = 0.35, window_weeks: int = 3,
                 story_threshold: float = 0.3, story_merge_threshold: float = 0.6):
        self.store = store
        self.threshold = threshold
        self.window_weeks = window_weeks
        self.stories = StoryLinker(store, threshold=story_threshold,
                                   merge_threshold=story_merge_threshold,
                                   window_weeks=window_weeks)

    def link(self, claims: Sequence[Claim], published: Optional[str],
             gist: Optional[Gist] = None, document_id: str = "") -> ArticleLinks:
        w = week(published)
        story = self.stories.link(gist or Gist(), document_id or
                                  (claims[0].document_id if claims else ""), published, w)
        by_story = {} if story.new else {
            sid: {eid: Profile.from_json(text) for eid, text in events.items()}
            for sid, events in self.store.story_events([story.story_id,
                                                        *story.merged]).items()}
        in_story: dict[str, Profile] = {}
        for events in by_story.values():
            in_story.update(events)
        merges = self._merge_main_events(story, by_story)
        for m in merges:
            in_story.pop(m.merged, None)
            in_story[m.into] = m.profile
        main_event = _main_event(in_story, story.profile.main_event)
        links: list[Link] = []
        touched: dict[str, Profile] = {}  # events changed by earlier groups of this article
        groups = [g for g in group_article(claims, published, self.threshold * ARTICLE_FACTOR)
                  if g.claims]
        main = max(groups, key=lambda g: len(g.claims)) if groups else None
        for g in groups:
            candidates = {**in_story, **touched}
            best_id = None
            if g is main and main_event is not None:  # the story's main happening
                best_score, best_shared = similarity(g.profile, candidates[main_event])
                if candidates[main_event].claims < LARGE_EVENT or \
                        best_score >= required(self.threshold, candidates[main_event]):
                    best_id = main_event
            if best_id is None:  # another happening, or a main one the large event does not fit
                best_id, best_score, best_shared = _best(g.profile, candidates,
                                                         self.threshold)
            if best_id is None and g is not main:  # a background happening: anywhere
                found = {eid: Profile.from_json(text) for eid, text in
                         self.store.event_candidates(g.profile.blocking_keys(), w,
                                                     self.window_weeks, CANDIDATES).items()
                         if eid not in candidates}
                best_id, best_score, best_shared = _best(g.profile, found, self.threshold)
                candidates.update(found)
            if best_id is None:
                eid = event_id(g.claims[0].id or "")
                profile = Profile()
                profile.add(g.profile)
                touched[eid] = profile
                links.append(Link(eid, True, g.claims, None, [], profile,
                                  profile.blocking_keys(), w, story.story_id))
            else:
                profile = candidates[best_id]
                profile.add(g.profile)
                touched[best_id] = profile
                links.append(Link(best_id, False, g.claims, round(best_score, 3), best_shared,
                                  profile, g.profile.blocking_keys(), w))
        if main is not None and main_event is None:
            story.profile.main_event = next(link.event_id for link in links
                                            if link.claims is main.claims)
        elif main_event is not None:
            story.profile.main_event = main_event
        return ArticleLinks(story, links, merges)

    def plan_split(self, story: str) -> Optional[StorySplit]:
        """Cluster the articles of `story` again, all at once (`link/stories.py`, step 5);
        the split they show, or None where they hold together. Reads through store methods
        only; the store applies the split (`Store.split_story`)."""
        members = self.store.story_members(story)
        if len(members) < 2 * SPLIT_PART or any(v is None for _, v in members):
            return None  # too few to split, or articles stored before re-clustering
        vectors = self.stories.members([v for _, v in members])
        parts, sim = split_parts(vectors)
        big = [p for p in parts if len(p) >= SPLIT_PART]
        if len(big) < 2:
            return None
        keep = max(big, key=lambda p: (len(p), -p[0]))
        stay = sorted(keep + [i for p in parts if len(p) < SPLIT_PART for i in p])
        recorded = self.store.story_profile(story)
        if recorded is None:
            return None
        old = StoryProfile.from_json(recorded)
        events = {eid: Profile.from_json(text) for eid, text in
                  self.store.story_events([story])[story].items()}
        main = _main_event(events, old.main_event)
        documents = self.store.event_documents(list(events))
        main_claims = self.store.load_claims(self.store.event_claim_ids(main)) if main else []

        def story_profile(indexes: list[int], main_event: Optional[str]) -> StoryProfile:
            profile = StoryProfile()
            for i in indexes:
                profile.add(vectors[i])
            profile.main_event = main_event
            return profile

        def story_keys(indexes: list[int]) -> list[tuple[str, int]]:
            return list(dict.fromkeys((k, week(vectors[i].day)) for i in indexes
                                      for k in vectors[i].blocking_keys()))

        out: list[StoryPart] = []
        moved: set[str] = set()
        notes = []
        for part in (p for p in big if p is not keep):
            docs = {members[i][0] for i in part}
            moving = [c for c in main_claims if c.document_id in docs]
            moved.update(c.id for c in moving)
            new_main = event_id(f"split:{main}:{moving[0].id}") if moving else None
            profile = claims_profile(moving) if moving else None
            whole = sorted(e for e in events
                           if e != main and documents.get(e) and documents[e] <= docs)
            sid = new_story_id(f"split:{story}:{members[part[0]][0]}")
            first = vectors[part[0]].day
            out.append(StoryPart(sid, sorted(docs), story_profile(part, new_main),
                                 story_keys(part), whole, new_main, profile,
                                 [c.id for c in moving],
                                 profile.blocking_keys() if profile else [], week(first)))
            across = [sim[i][j] for i in keep for j in part]
            about = own_names([vectors[i] for i in part], [vectors[i] for i in keep])
            notes.append(f"{len(part)} articles about {', '.join(about[:3])} form story {sid}"
                         f" (average similarity to the rest {sum(across) / len(across):.2f})")
        remaining = [c for c in main_claims if c.id not in moved]
        reason = (f"its {len(members)} articles clustered again: {len(stay)} stay; "
                  + "; ".join(notes))
        return StorySplit(story, story_profile(stay, main), story_keys(stay), main,
                          claims_profile(remaining) if main else None, out, reason)

    def plan_absorb(self, story: str) -> Optional[StoryAbsorb]:
        """The small stories that `story`, clustered again, takes in (`link/stories.py`,
        step 6), or None where none fits. Their main events join its main event, unless
        that is a large event they do not fit as events; their other events move with
        them. The store applies it (`Store.absorb_stories`)."""
        recorded = self.store.story_profile(story)
        if recorded is None:
            return None
        profile = StoryProfile.from_json(recorded)
        before = profile.articles
        fits = self.stories.small_fits(story, profile, week(profile.last))
        if not fits:
            return None
        by_story = {sid: {eid: Profile.from_json(text) for eid, text in events.items()}
                    for sid, events in
                    self.store.story_events([story, *(sid for sid, _, _ in fits)]).items()}
        main = _main_event(by_story[story], profile.main_event)
        absorbed: list[tuple[str, str]] = []
        merges: list[EventMerge] = []
        for sid, score, small in fits:
            reason = (f"its {small.articles} article(s) fit story {story} of "
                      f"{profile.articles} (score {score:.2f}) when it was clustered again")
            profile.merge(small)
            absorbed.append((sid, reason))
            other = _main_event(by_story.get(sid, {}), small.main_event)
            if main is None or other is None:
                continue
            target, joining = by_story[story][main], by_story[sid][other]
            if target.claims >= LARGE_EVENT and \
                    similarity(joining, target)[0] < required(self.threshold, target):
                continue  # a large event's general profile: its own event in the story
            target.add(joining)
            merges.append(EventMerge(main, other, f"main events of stories merged: {reason}",
                                     target))
        profile.main_event = main
        return StoryAbsorb(story, profile, absorbed, merges, before)

    def _merge_main_events(self, story: StoryLink,
                           by_story: dict[str, dict[str, Profile]]) -> list[EventMerge]:
        """Stories merged into one: their main events are one happening too."""
        into = _main_event(by_story.get(story.story_id, {}), story.profile.main_event)
        merges = []
        for sid in story.merged:
            other = _main_event(by_story.get(sid, {}), None)
            if other is None or into is None or other == into:
                continue
            profile = by_story[story.story_id][into]
            profile.add(by_story[sid][other])
            merges.append(EventMerge(into, other, f"main events of stories merged: "
                                                  f"{story.merge_reason}", profile))
        return merges


def _main_event(events: dict[str, Profile], recorded: Optional[str]) -> Optional[str]:
    """A story's main event among `events`: the one its profile records, where it is there,
    else (none recorded yet, or merged away) the one with most claims."""
    if recorded in events:
        return recorded
    return max(events, key=lambda e: (events[e].claims, e)) if events else None


def required(threshold: float, event: Profile) -> float:
    """The similarity a group needs to join `event`: `threshold`, more for a large event."""
    if event.claims <= LARGE_EVENT:
        return threshold
    return threshold * (1 + math.log(event.claims / LARGE_EVENT))


def _best(profile: Profile, candidates: dict[str, Profile],
          threshold: float) -> tuple[Optional[str], float, list[str]]:
    best_id, best_score, best_shared = None, threshold, []
    for eid, other in candidates.items():
        score, shared = similarity(profile, other)
        if score >= best_score and score >= required(threshold, other):
            best_id, best_score, best_shared = eid, score, shared
    return best_id, best_score, best_shared
