"""The PLOVER event type of a claim: a small English trigger lexicon with a few patterns.

Scope
-----
PLOVER (Political Language Ontology for Verifiable Event Records, Open Event Data Alliance) is
the event ontology behind the POLECAT data set. This module does not code events: it names
*what kind of happening* one claim is about, so that claims about the same happening can be
linked across articles. It reads the claim's content as (lemma, coarse POS) pairs and returns
the PLOVER type and mode of the one word that best names the happening, with that word's index.
Actors, recipients, contexts, negation and modality ("will meet", "did not attack") are out of
scope here; PLOVER treats those as separate fields and special contexts.

Source
------
Types, their order and the mode names follow the PLOVER manual, DRAFT version 0.8 (2021), in
https://github.com/openeventdata/PLOVER (``PLOVER_MANUAL.tex`` / ``PLOVER_MANUAL.pdf``),
chapter "Event Categories" and its mode tables. Where this module departs from it:

* ``REQUEST`` stands where manual 0.8 has ``DEMAND`` (POLECAT's name for the category; the
  manual's DEMAND excludes mere requests and appeals, REQUEST here includes them: "urged",
  "called on", "appealed for").
* ASSAULT mode ``aerial`` (drones, air strikes, warplanes) is not in the manual's ASSAULT table;
  it is added after CAMEO 195 "employ aerial weapons". Missiles, rockets, artillery and shelling
  get the manual's ``heavy-weapons``; guns ``firearms``; bombs, grenades, IEDs ``explosives``.
* Manual 0.8 lists no AID, SUPPORT, CONCEDE, COOPERATE or AGREE modes; REQUEST/REJECT/THREATEN
  modes name the *content* asked for, refused or threatened, which one trigger word does not
  show. Those triggers carry mode None.

Choices worth knowing
---------------------
* Verbs are preferred to nouns: the first verb trigger of the claim wins, else the first noun
  (or adjective) trigger. A few two-word patterns are anchored on their verb: "send/deploy
  troops", "troops arrive" (MOBILIZE), "host/hold talks" (CONSULT, index on "talks"), "impose
  sanctions" (SANCTION, index on "sanctions"), "impose a curfew" (COERCE), "lift sanctions"
  (CONCEDE), "called on/for" (REQUEST), "released prisoners" (RETREAT), "open fire" (ASSAULT).
* Lemmas with common non-event senses are left out rather than guessed: say, have, take, make,
  go, sign ("signed an agreement" is AGREE through "agreement"), charge (ACCUSE or COERCE),
  decline, deny, ban, warn, threat (noun), support/target/demand/appeal/help as nouns, deal as
  a verb, ceasefire (AGREE, CONCEDE or RETREAT depending on what was done with it).
* Prisoner releases are RETREAT mode ``release``, as the manual says ("the actual release or
  exchange of prisoners should be coded as RETREAT"); pardons, amnesties, apologies and
  concessions are CONCEDE. Signing/ratifying is SUPPORT in the manual; "ratify" is SUPPORT here.
* "strike": as a VERB it is ASSAULT ("drones struck the port"), except "strike a deal"
  (AGREE), "an earthquake struck" (left to the disaster noun) and a labour word just before
  it with no weapon word near ("teachers struck": PROTEST ``strike``). As a NOUN it is ASSAULT
  with a weapon word within 3 words ("drone strike", "air strike", "missile strikes"), PROTEST
  mode ``strike`` after "on" or near a labour word ("dockers went on strike"),
  ``hunger``/``general`` for hunger and general strikes, and otherwise no trigger (ambiguous).
* "hit", "fire" (verb), "launch" are ASSAULT only next to a weapon word, "fight" only next to
  soldiers, rebels and the like; the noun "fire" is ASSAULT in "open fire"/"artillery fire" and
  otherwise the non-PLOVER label ``fire``. "alleged" after a determiner ("the alleged
  deployment") is a hedge, not an accusation.
* The trigger's mode, when it has none, is borrowed from another word of the same type in the
  claim ("killed in a missile strike" -> ASSAULT heavy-weapons on "killed").
* "kill", "injure", "wound", "destroy" name harm, not its cause: when the claim also names a
  non-PLOVER happening (flood, crash, fire) and no explicit attack word, the non-PLOVER one wins.
* "rally", "help", "invite", "vote" are kept although they have other senses, because in news
  claims the event sense dominates; "meet" is skipped before demand/target/deadline and the like.

Outside PLOVER
--------------
Happenings PLOVER does not cover (it treats disasters, disease and elections as contexts) are
returned as ``("OTHER", label, index)`` with one of the plain labels in ``OTHER_LABELS``:
``disaster`` (floods, earthquakes, storms; PLOVER context enviro_disaster), ``fire``,
``accident`` (crashes, collisions, spills), ``election``, ``epidemic`` (context disease),
``economy`` (inflation, recession; context economic), and ``displacement`` (people leaving or
evacuating their homes, context migration) which is used only when nothing else is found:
"Several hundred residents left their homes as the Danube rose" is displacement, since the
lemmas do not say that the Danube is a river ("the river rose", "flood" would be disaster).
"""

from __future__ import annotations

from typing import Container, Optional, Sequence

__all__ = ["PLOVER_TYPES", "MODES", "TRIGGERS", "OTHER_TRIGGERS", "OTHER_LABELS", "event_type"]

# The 16 PLOVER event types in the manual's order (manual 0.8 "DEMAND" is POLECAT's REQUEST).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",          # verbal cooperation
    "COOPERATE", "AID", "RETREAT",                     # material cooperation
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",         # verbal conflict
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",  # material conflict
)

# Modes per type, as named in the manual's mode tables; ASSAULT "aerial" is our addition.
MODES: dict[str, tuple[str, ...]] = {
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "RETREAT": ("withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "THREATEN": ("restrict", "ban", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "general", "strike", "hunger", "boycott", "obstruct"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": ("confiscate", "restrict", "ban", "censor", "curfew", "martial-law", "arrest",
               "deport", "withhold"),
    "ASSAULT": ("abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy",
                "primitive", "firearms", "explosives", "suicide-attack", "heavy-weapons",
                "cleansing", "massacre", "unconventional", "sideAB", "aerial"),
}

# type -> mode (None: no mode) -> lemmas. Read by people; TRIGGERS below is built from it.
_LEXICON: dict[str, dict[Optional[str], tuple[str, ...]]] = {
    "AGREE": {None: ("agree", "agreement", "accord", "treaty", "pact", "pledge", "promise",
                     "deal")},
    "CONSULT": {None: ("talk", "negotiate", "negotiation", "meet", "meeting", "discuss",
                       "discussion", "consult", "consultation", "summit", "invite"),
                "visit": ("visit",),
                "third-party": ("mediate", "mediation")},
    "SUPPORT": {None: ("praise", "endorse", "endorsement", "back", "support", "welcome",
                       "commend", "applaud", "hail", "congratulate", "ratify")},
    "CONCEDE": {None: ("concede", "concession", "apologise", "apologize", "apology", "pardon",
                       "amnesty")},
    "COOPERATE": {None: ("cooperate", "cooperation", "collaborate", "collaboration",
                         "extradite", "extradition")},
    "AID": {None: ("aid", "assistance", "assist", "help", "donate", "donation")},
    "RETREAT": {"withdraw": ("withdraw", "withdrawal", "retreat"),
                "resign": ("resign", "resignation"),
                "disarm": ("disarm", "disarmament"),
                None: ("surrender",)},
    "REQUEST": {None: ("urge", "demand", "appeal", "request", "plead")},
    "ACCUSE": {"allege": ("accuse", "accusation", "allege", "allegation", "blame", "sue",
                          "lawsuit", "indict", "indictment"),
               "disapprove": ("condemn", "condemnation", "criticise", "criticize", "criticism",
                              "denounce", "decry", "deplore", "complain", "complaint"),
               "investigate": ("investigate", "investigation", "probe")},
    "REJECT": {None: ("reject", "rejection", "refuse", "refusal", "veto", "defy")},
    "THREATEN": {None: ("threaten", "ultimatum")},
    "PROTEST": {"demo": ("protest", "protester", "protestor", "demonstrator", "demonstration",
                         "rally"),
                "riot": ("riot", "rioter"),
                "boycott": ("boycott",),
                "strike": ("walkout",)},
    "SANCTION": {None: ("sanction", "embargo"),
                 "expel": ("expel", "expulsion"),
                 "discontinue": ("sever",),
                 "convict": ("convict",)},
    "MOBILIZE": {"troops": ("mobilise", "mobilize", "mobilisation", "mobilization", "deploy",
                            "deployment")},
    "COERCE": {"arrest": ("arrest", "detain", "detention", "imprison", "jail"),
               "confiscate": ("seize", "confiscate", "confiscation"),
               "deport": ("deport", "deportation"),
               "curfew": ("curfew",),
               "censor": ("censor", "censorship"),
               None: ("crackdown",)},
    "ASSAULT": {None: ("attack", "assault", "kill", "killing", "injure", "wound", "fighting",
                       "clash", "invade", "invasion", "ambush", "murder", "bomb", "bombing",
                       "target"),
                "heavy-weapons": ("shell", "shelling", "bombard", "bombardment"),
                "firearms": ("shoot", "shooting", "gunfire"),
                "aerial": ("airstrike",),
                "explosives": ("detonate",),
                "abduct": ("abduct", "abduction", "kidnap", "kidnapping", "hijack"),
                "assassinate": ("assassinate", "assassination"),
                "torture": ("torture",),
                "massacre": ("massacre",),
                "sexual": ("rape",),
                "destroy": ("destroy", "destruction")},
}

# English lemma -> (PLOVER type, mode or None). Some entries count only as a verb or only as a
# noun (_VERB_ONLY, _NOUN_ONLY); lemmas needing a neighbour (strike, hit, fire, host, call,
# send, release, impose, lift, ...) are handled by the patterns in _pattern, not listed here.
TRIGGERS: dict[str, tuple[str, Optional[str]]] = {
    lemma: (kind, mode)
    for kind, by_mode in _LEXICON.items()
    for mode, lemmas in by_mode.items()
    for lemma in lemmas
}

# Lemma -> plain label, for happenings outside PLOVER. "strike" is not here (see above).
OTHER_TRIGGERS: dict[str, str] = {
    **dict.fromkeys(("flood", "flooding", "earthquake", "quake", "tsunami", "hurricane",
                     "typhoon", "cyclone", "storm", "tornado", "landslide", "mudslide",
                     "avalanche", "drought", "eruption", "heatwave"), "disaster"),
    **dict.fromkeys(("fire", "blaze", "wildfire", "burn"), "fire"),
    **dict.fromkeys(("crash", "collision", "accident", "derailment", "derail", "capsize",
                     "spill"), "accident"),
    **dict.fromkeys(("election", "vote", "ballot", "referendum", "elect"), "election"),
    **dict.fromkeys(("epidemic", "pandemic", "outbreak", "cholera", "covid"), "epidemic"),
    **dict.fromkeys(("inflation", "recession", "deflation", "devaluation"), "economy"),
}
OTHER_LABELS: tuple[str, ...] = ("disaster", "fire", "accident", "election", "epidemic",
                                 "economy", "displacement")

# Senses that need the part of speech: noun "target", "demand", "help", "back", "shell" and
# verb "deal" ("deal with"), "fire", "storm" name no happening of the listed kind.
_VERB_ONLY = frozenset({"target", "back", "support", "help", "demand", "appeal", "welcome",
                        "hail", "shell", "shoot", "invite", "meet", "assist", "promise",
                        "detain", "jail", "convict", "censor"})
_NOUN_ONLY = frozenset({"deal", "accord", "fire", "storm", "spill"})
_VERB = "VERB"
_NOUNISH = frozenset({"NOUN", "ADJ"})

# Weapon words near an ASSAULT trigger give its mode; near "strike"/"hit"/"launch" they make
# it ASSAULT at all.
_WEAPONS: dict[str, str] = {
    **dict.fromkeys(("drone", "airstrike", "air", "aircraft", "warplane", "jet", "helicopter",
                     "bomber", "uav"), "aerial"),
    **dict.fromkeys(("missile", "rocket", "artillery", "shell", "shelling", "mortar", "tank",
                     "howitzer"), "heavy-weapons"),
    **dict.fromkeys(("gun", "rifle", "gunfire", "gunman", "sniper", "bullet", "firearm"),
                    "firearms"),
    **dict.fromkeys(("bomb", "explosive", "ied", "grenade"), "explosives"),
}
_WINDOW = 3  # words either side searched for a neighbour

# MOBILIZE: a movement verb near a force noun ("sent soldiers", "troops are expected to arrive").
_MOVE_VERBS = frozenset({"send", "dispatch", "move", "arrive", "station", "amass", "mass",
                         "redeploy", "transfer", "reinforce"})
_FORCES: dict[str, str] = {
    **dict.fromkeys(("troop", "soldier", "army", "force", "marine", "paratrooper",
                     "reinforcement", "battalion", "brigade", "serviceman", "infantry"),
                    "troops"),
    **dict.fromkeys(("police", "policeman", "gendarme", "gendarmerie"), "police"),
    **dict.fromkeys(("militia", "militiaman", "paramilitary"), "militia"),
    **dict.fromkeys(("warship", "frigate", "submarine", "tank", "missile", "bomber",
                     "warplane"), "weapons"),
}
_MOVE_WINDOW = 5

_COMBATANTS = frozenset(set(_FORCES) - {"police", "policeman", "tank", "missile", "bomber",
                                         "warplane", "warship", "frigate", "submarine"}
                        | {"rebel", "insurgent", "fighter", "militant", "separatist"})

_CONSULT_OBJECTS = frozenset({"talk", "meeting", "summit", "negotiation", "conference",
                              "discussion", "consultation", "delegation", "visit", "dialogue"})
_CAPTIVES = frozenset({"prisoner", "hostage", "captive", "detainee", "pow"})
_RELEASE_VERBS = frozenset({"release", "free", "swap", "exchange", "repatriate"})
_RESTRICTIONS = frozenset({"curfew", "sanction", "restriction", "ban", "blockade", "embargo"})
_AGREE_OBJECTS = frozenset({"deal", "agreement", "accord", "bargain", "compromise", "pact",
                            "truce"})
_LABOUR = frozenset({"worker", "union", "docker", "dockworker", "staff", "employee", "nurse",
                     "teacher", "doctor", "driver", "miner", "pilot", "pay", "wage", "labour",
                     "labor", "walkout"})
_NATURAL_FORCES = frozenset({"earthquake", "quake", "storm", "hurricane", "typhoon", "cyclone",
                             "tornado", "tsunami", "lightning", "flood", "disaster", "drought"})
_MEET_NON_EVENT = frozenset({"demand", "target", "requirement", "need", "expectation",
                             "deadline", "criterion", "standard", "goal", "obligation",
                             "condition", "cost", "criteria"})
# Harm words yield to a named non-PLOVER cause ("injured in a crash", "the flood destroyed").
_HARM = frozenset({"kill", "killing", "injure", "wound", "destroy", "destruction"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "his", "her", "its",
                          "their", "our", "my", "your"})
_HOMES = frozenset({"home", "house", "village", "town", "city"})
_DISPLACE_VERBS = frozenset({"leave", "flee", "abandon", "evacuate"})
_WATER = frozenset({"river", "water", "sea", "tide", "floodwater"})

Found = tuple[str, Optional[str], int]


def _near(lemmas: Sequence[tuple[str, str]], i: int, words: Container[str],
          window: int = _WINDOW,
          before: bool = True, after: bool = True, skip_verbs: bool = True) -> Optional[int]:
    """Index of the nearest word within `window` of i whose lemma is in `words`, or None."""
    for d in range(1, window + 1):
        for j in ((i - d) if before else -1, (i + d) if after else -1):
            if 0 <= j < len(lemmas) and lemmas[j][0] in words and \
                    not (skip_verbs and lemmas[j][1] == _VERB):
                return j
    return None


def _weapon_mode(lemmas: Sequence[tuple[str, str]], i: int) -> Optional[str]:
    j = _near(lemmas, i, _WEAPONS)
    return _WEAPONS[lemmas[j][0]] if j is not None else None


def _prev(lemmas: Sequence[tuple[str, str]], i: int) -> str:
    return lemmas[i - 1][0] if i > 0 else ""


def _next(lemmas: Sequence[tuple[str, str]], i: int, k: int = 1) -> str:
    return lemmas[i + k][0] if i + k < len(lemmas) else ""


def _pattern(lemmas: Sequence[tuple[str, str]], i: int) -> Optional[Found]:
    """Triggers that depend on a neighbouring word: (type, mode, index reported) or None."""
    lemma, pos = lemmas[i]
    verb = pos == _VERB
    if lemma == "strike":
        if verb:
            if _near(lemmas, i, _AGREE_OBJECTS) is not None:
                return "AGREE", None, i
            if _near(lemmas, i, _NATURAL_FORCES) is not None:
                return None
            if _weapon_mode(lemmas, i) is None and \
                    _near(lemmas, i, _LABOUR, after=False) is not None:  # "dockers struck"
                return "PROTEST", "strike", i
            return "ASSAULT", _weapon_mode(lemmas, i), i
        if _prev(lemmas, i) == "hunger":
            return "PROTEST", "hunger", i
        if _prev(lemmas, i) == "general":
            return "PROTEST", "general", i
        mode = _weapon_mode(lemmas, i)
        if mode is not None:
            return "ASSAULT", mode, i
        if _prev(lemmas, i) == "on" or _near(lemmas, i, _LABOUR) is not None:
            return "PROTEST", "strike", i
        return None
    if lemma == "fight" and verb:  # "soldiers were fighting", not "fight corruption"
        j = _near(lemmas, i, _COMBATANTS)
        return ("ASSAULT", None, i) if j is not None else None
    if lemma in ("hit", "launch") and verb:
        mode = _weapon_mode(lemmas, i)
        return ("ASSAULT", mode, i) if mode is not None else None
    if lemma == "fire":
        if _prev(lemmas, i) == "cease":
            return None
        if _prev(lemmas, i) == "open":
            return "ASSAULT", "firearms", i
        mode = _weapon_mode(lemmas, i)
        if mode is not None:
            return "ASSAULT", mode, i
        if verb and _next(lemmas, i) in ("on", "at", "upon"):
            return "ASSAULT", None, i
        return None  # the noun falls through to OTHER "fire"
    if lemma in ("host", "hold") and verb:
        j = _near(lemmas, i, _CONSULT_OBJECTS, window=4, before=False)
        return ("CONSULT", None, j) if j is not None else None
    if lemma == "call":
        if verb and _next(lemmas, i) in ("on", "for", "upon"):
            return "REQUEST", None, i
        if not verb and _prev(lemmas, i) in ("phone", "telephone"):
            return "CONSULT", "phone", i
        return None
    if verb and lemma in _MOVE_VERBS:
        j = _near(lemmas, i, _FORCES, window=_MOVE_WINDOW)
        return ("MOBILIZE", _FORCES[lemmas[j][0]], i) if j is not None else None
    if verb and lemma in _RELEASE_VERBS:
        return ("RETREAT", "release", i) if _near(lemmas, i, _CAPTIVES) is not None else None
    if verb and lemma in ("impose", "introduce", "declare", "slap"):
        j = _near(lemmas, i, {"sanction", "embargo", "tariff", "curfew", "law", "emergency",
                              "restriction", "ban"}, window=4, before=False)
        if j is None:
            return None
        obj = lemmas[j][0]
        if obj in ("sanction", "embargo", "tariff"):
            return "SANCTION", None, j
        if obj == "curfew":
            return "COERCE", "curfew", j
        if obj == "emergency" or (obj == "law" and _prev(lemmas, j) == "martial"):
            return "COERCE", "martial-law", j
        if obj in ("restriction", "ban"):
            return "COERCE", "restrict", j
        return None
    if verb and lemma in ("lift", "ease", "relax"):
        return ("CONCEDE", None, i) if _near(lemmas, i, _RESTRICTIONS) is not None else None
    if lemma in ("exercise", "drill", "manoeuvre", "maneuver") and not verb:
        if _near(lemmas, i, {"joint"}, window=2, after=False) is not None:
            return "COOPERATE", None, i
        if _near(lemmas, i, {"military", "naval", "army", "troop", "navy", "war"}) is not None:
            return "MOBILIZE", "troops", i
        return None
    if verb and lemma == "share":
        return ("COOPERATE", None, i) if _near(lemmas, i, {"intelligence"}) is not None else None
    if verb and lemma in ("cut", "break"):
        j = _near(lemmas, i, {"tie", "relation"}, window=4, before=False)
        return ("SANCTION", "discontinue", i) if j is not None else None
    if verb and lemma == "pull":
        return ("RETREAT", "withdraw", i) if _next(lemmas, i) in ("out", "back") else None
    if lemma in ("rise", "swell", "burst") and verb:
        return ("OTHER", "disaster", i) if _near(lemmas, i, _WATER) is not None else None
    return None


_PATTERN_LEMMAS = frozenset({"strike", "fight", "hit", "launch", "fire", "host", "hold", "call",
                             "impose", "introduce", "declare", "slap", "lift", "ease", "relax",
                             "exercise", "drill", "manoeuvre", "maneuver", "share", "cut",
                             "break", "pull", "rise", "swell", "burst"}
                            | _MOVE_VERBS | _RELEASE_VERBS)


def _lexical(lemmas: Sequence[tuple[str, str]], i: int) -> Optional[tuple[str, Optional[str]]]:
    lemma, pos = lemmas[i]
    verb = pos == _VERB
    if (verb and lemma in _NOUN_ONLY) or (not verb and lemma in _VERB_ONLY):
        return None
    if lemma in TRIGGERS:
        kind, mode = TRIGGERS[lemma]
        if lemma == "meet" and _near(lemmas, i, _MEET_NON_EVENT, before=False) is not None:
            return None
        if lemma == "attack" and _prev(lemmas, i) in ("heart", "panic", "asthma"):
            return None
        if lemma == "allege" and _prev(lemmas, i) in _DETERMINERS:
            return None  # "the alleged deployment" hedges; it accuses no one
        if kind == "ASSAULT":
            if _near(lemmas, i, {"suicide"}, window=2, after=False) is not None:
                mode = "suicide-attack"
            elif mode is None:
                mode = _weapon_mode(lemmas, i)
        if kind == "MOBILIZE":
            j = _near(lemmas, i, _FORCES, window=_MOVE_WINDOW)
            if j is not None:
                mode = _FORCES[lemmas[j][0]]
        return kind, mode
    if lemma in OTHER_TRIGGERS:
        return "OTHER", OTHER_TRIGGERS[lemma]
    return None


def event_type(lemmas: Sequence[tuple[str, str]]) -> Optional[Found]:
    """The PLOVER type and mode of the happening a claim names, and the index of its word.

    `lemmas` is the claim's content as (lemma lowercased, coarse POS) pairs, e.g. spaCy's
    ``(t.lemma_.lower(), t.pos_)``. Returns ``(type, mode, index)`` with type one of
    PLOVER_TYPES or "OTHER" (mode then a label from OTHER_LABELS), or None when no word of the
    lexicon names a happening. The first verb trigger wins, else the first noun trigger.
    """
    seq = [((lemma or "").lower(), (pos or "").upper()) for lemma, pos in lemmas]
    found: list[tuple[int, int, str, Optional[str], int]] = []  # (rank, anchor, type, mode, i)
    fallback: list[Found] = []
    for i, (lemma, pos) in enumerate(seq):
        if pos != _VERB and pos not in _NOUNISH:
            continue
        rank = 0 if pos == _VERB else 1
        if lemma in _PATTERN_LEMMAS:
            hit = _pattern(seq, i)
            if hit is not None:
                found.append((rank, i, *hit))
                continue
            if lemma != "fire":  # the noun "fire" goes on to OTHER_TRIGGERS
                continue
        lex = _lexical(seq, i)
        if lex is not None:
            found.append((rank, i, lex[0], lex[1], i))
        elif lemma in ("evacuate", "evacuation") or (
                lemma in _DISPLACE_VERBS and _near(seq, i, _HOMES, before=False) is not None):
            fallback.append(("OTHER", "displacement", i))
    if not found:
        return fallback[0] if fallback else None
    # Harm words give way to a named non-PLOVER cause ("injured in a crash").
    has_other = any(kind == "OTHER" for _, _, kind, _, _ in found)
    only_harm = all(seq[a][0] in _HARM for _, a, kind, _, _ in found if kind == "ASSAULT")
    if has_other and only_harm:
        found = [f for f in found if not (f[2] == "ASSAULT" and seq[f[1]][0] in _HARM)]
    _, _, kind, mode, i = min(found, key=lambda f: (f[0], f[1]))
    if mode is None:  # "killed in a missile strike": the mode another word of that type has
        mode = next((m for _, _, k, m, _ in sorted(found, key=lambda f: f[1])
                     if k == kind and m is not None), None)
    return kind, mode, i
