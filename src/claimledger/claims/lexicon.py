"""Word lists the attribution rules read: cues, hedges, source words, media outlets.

Each cue lemma maps to the commitment a source shows by using it, as a FactBank value:
"say" commits the source (CT+), "expect" less (PR+), "suggest" less again (PS+), "deny"
reverses (CT-). The content's own modality can only lower that commitment, never raise it.
"""

from __future__ import annotations

import re

# Reporting verbs (lemmas) -> the source's commitment to the content.
CUE_VERBS: dict[str, str] = {
    **dict.fromkeys(
        """say tell add state announce confirm report claim insist declare reveal note explain
        write stress emphasize emphasise argue assert maintain acknowledge admit disclose testify
        show find conclude accuse allege reiterate affirm recall remark tweet post comment reply
        respond answer cite quote brief inform notify assure promise pledge vow threaten
        complain charge contend mention observe point signal""".split(),
        "CT+",
    ),
    **dict.fromkeys(
        """believe expect think estimate predict anticipate forecast project assume reckon
        anticipate warn caution calculate judge assess""".split(),
        "PR+",
    ),
    **dict.fromkeys("suggest indicate speculate hint imply fear suspect guess".split(), "PS+"),
    **dict.fromkeys("deny reject dismiss refute rebut contradict disprove".split(), "CT-"),
    **dict.fromkeys("ask wonder question doubt".split(), "Uu"),
}

# Cues whose noun-phrase object is itself the content ("denied the reports",
# "confirmed the deployment"); other cues need a clause or a quote.
NP_OBJECT_CUES = {"deny", "confirm", "report", "announce", "claim", "reject", "dismiss",
                  "refute", "rebut", "allege", "predict", "estimate", "acknowledge", "admit",
                  "disclose", "reveal", "forecast", "contradict", "disprove", "question"}

# Passive cues with no agent report without naming anyone ("it was reported that ...").
IMPERSONAL_CUES = {"report", "say", "claim", "allege", "rumour", "rumor", "believe", "state",
                   "announce", "confirm", "estimate"}

# A negated cue leaves the source uncommitted ("could not confirm", "did not say").
NEGATED_CUE = "Uu"

# Nouns that carry a report: "reports of ...", "claims that ...", "a statement saying ...".
CUE_NOUNS = {"report", "reports", "claim", "claims", "allegation", "allegations", "rumour",
             "rumours", "rumor", "rumors", "statement", "assessment", "estimate", "estimates",
             "indication", "indications", "suggestion", "suggestions", "word", "speculation",
             "account", "accounts"}
CUE_NOUN_CERTAINTY = {"rumour": "PS+", "rumours": "PS+", "rumor": "PS+", "rumors": "PS+",
                      "speculation": "PS+", "suggestion": "PS+", "suggestions": "PS+",
                      "indication": "PS+", "indications": "PS+", "allegation": "PS+",
                      "allegations": "PS+", "claim": "PS+", "claims": "PS+", "estimate": "PR+",
                      "estimates": "PR+", "assessment": "PR+", "report": "PS+", "reports": "PS+"}

# Modals and hedges in the content, by the certainty they allow at most.
MODAL_CERTAINTY = {"may": "PS+", "might": "PS+", "could": "PS+", "can": "CT+", "would": "PR+",
                   "should": "PR+", "will": "CT+", "shall": "CT+", "must": "PR+", "ought": "PR+"}
HEDGE_WORDS = {
    **dict.fromkeys("""possibly potentially perhaps maybe reportedly allegedly apparently
                    purportedly supposedly seemingly conceivably alleged purported suspected
                    possible potential presumed rumoured rumored""".split(), "PS+"),
    **dict.fromkeys("""likely probably presumably expected set poised due anticipated
                    planned believed thought estimated""".split(), "PR+"),
    **dict.fromkeys("unconfirmed unverified uncertain unclear unknown".split(), "Uu"),
}
# "X is expected to / likely to / set to / due to / believed to" -> PR+ for the infinitive.
RAISING_PREDICATES = {"expect": "PR+", "likely": "PR+", "set": "PR+", "due": "PR+",
                      "poise": "PR+", "believe": "PR+", "think": "PR+", "plan": "PR+",
                      "say": "PR+", "report": "PS+", "rumour": "PS+", "rumor": "PS+",
                      "allege": "PS+", "suspect": "PS+", "seem": "PS+", "appear": "PS+",
                      "unlikely": "PR-"}
# Predicates over a clause that leave it open: "it is unclear whether ...".
UNCERTAIN_PREDICATES = {"unclear", "uncertain", "unknown", "unconfirmed", "unverified",
                        "undetermined"}

# Words that make a subject an anonymous source when no name is given.
ANONYMOUS_HEADS = {"official", "officials", "officer", "officers", "source", "sources",
                   "spokesman", "spokeswoman", "spokesperson", "diplomat", "diplomats",
                   "aide", "aides", "analyst", "analysts", "expert", "experts", "person",
                   "people", "insider", "insiders", "lawmaker", "lawmakers", "commander",
                   "commanders", "soldier", "soldiers", "resident", "residents", "witness",
                   "witnesses", "investigator", "investigators", "adviser", "advisers",
                   "advisor", "advisors", "minister", "ministers", "representative",
                   "representatives", "member", "members", "staff", "employee", "employees",
                   "military", "intelligence", "observer", "observers", "monitor", "monitors",
                   "activist", "activists", "doctor", "doctors", "medic", "medics", "police",
                   "authorities", "leader", "leaders", "negotiator", "negotiators",
                   "researcher", "researchers", "scientist", "scientists"}
REPORT_HEADS = {"report", "reports", "rumour", "rumours", "rumor", "rumors", "media",
                "footage", "video", "videos", "images", "photos", "data", "evidence",
                "estimates", "accounts", "claims", "speculation", "leaks", "documents"}
GOVERNMENT_WORDS = {"government", "ministry", "ministries", "kremlin", "cabinet", "presidency",
                    "administration", "parliament", "embassy", "department", "office",
                    "council", "pentagon", "white house", "downing street", "authorities",
                    "military", "army", "navy", "forces", "command", "staff", "police",
                    "agency", "service", "directorate", "regime", "junta", "state"}
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person",
            "they": "plural", "it": "thing", "we": "speaker", "i": "speaker"}

# Media outlets named in reporting; matched case-insensitively on the whole name.
MEDIA_OUTLETS = {
    "reuters", "associated press", "ap", "afp", "agence france-presse", "bbc", "cnn",
    "the washington post", "washington post", "the new york times", "new york times",
    "the wall street journal", "wall street journal", "the guardian", "guardian",
    "financial times", "the financial times", "bloomberg", "al jazeera", "the war zone",
    "yonhap", "tass", "ria novosti", "interfax", "ukrinform", "kyiv independent",
    "the kyiv independent", "politico", "axios", "nbc", "nbc news", "abc", "abc news", "cbs",
    "cbs news", "fox news", "sky news", "the telegraph", "telegraph", "the times",
    "the economist", "der spiegel", "le monde", "kyodo", "xinhua", "kcna", "nhk", "dpa",
    "euronews", "deutsche welle", "dw", "npr", "usa today", "the independent", "newsweek",
    "time", "the atlantic", "the hill", "the new yorker", "rfe/rl", "radio liberty",
    "radio free europe", "voice of america", "voa", "meduza", "novaya gazeta", "kommersant",
    "izvestia", "rt", "sputnik", "pravda", "ukrainska pravda", "hromadske", "suspilne",
    "the insider", "bellingcat", "the moscow times", "moscow times", "korea herald",
    "the korea herald", "korea times", "the korea times", "nk news", "daily nk",
    "south china morning post", "haaretz", "times of israel", "the times of israel",
    "arab news", "al arabiya", "anadolu", "anadolu agency", "ynet", "channel 4",
    "channel 12", "cnbc", "msnbc", "the daily beast", "vice", "vice news", "semafor",
    "the intercept", "propublica", "the kyiv post", "kyiv post", "militarnyi", "defense news",
    "breaking defense", "janes", "jane's", "the drive", "business insider", "insider",
}
MEDIA_WORDS = {"post", "times", "news", "journal", "herald", "telegraph", "guardian",
               "agency", "tv", "radio", "zone", "daily", "tribune", "gazette", "press", "wire",
               "network", "channel", "magazine", "broadcaster", "newspaper", "outlet",
               "television", "review", "observer", "independent", "chronicle", "monitor",
               "standard", "mail", "express", "inquirer", "bulletin", "insider"}
# Generic recipients of "told ...": not a channel.
NOT_CHANNELS = {"reporters", "journalists", "press", "the press", "media", "the media",
                "parliament", "lawmakers", "audience", "crowd", "supporters", "us", "me",
                "him", "her", "them", "people", "nation", "country", "viewers", "listeners",
                "delegates", "students", "residents"}

# Words that make "WORD: ..." a label of the page, not a speaker or a headline source.
LABEL_WORDS = {"read", "related", "source", "sources", "update", "updated", "watch", "editor",
               "note", "photo", "photos", "video", "analysis", "opinion", "exclusive",
               "breaking", "live", "correction", "clarification", "warning", "listen",
               "subscribe", "advertisement", "sponsored", "tags", "topics", "share", "image",
               "credit", "caption", "q", "a", "more", "see", "also", "comment", "comments"}

# Cues of answers to other claims: a denial ("denied", "rejected", "dismissed") and a
# confirmation ("confirmed", "acknowledged"); negated, the latter is a non-confirmation.
DENIAL_CUE = re.compile(r"\b(den(y|ied|ies|ying|ial)|reject|dismiss|refut|rebut|contradict|"
                        r"disprov|rubbish|brush)", re.I)
CONFIRM_CUE = re.compile(r"\b(confirm|verif|corroborat|acknowledg|admit)", re.I)


def answers_another_claim(cue: str | None, certainty: str) -> bool:
    """A denial or a (non-)confirmation: it answers claims made elsewhere."""
    cue = cue or ""
    return bool((certainty in ("CT-", "PR-", "PS-") and DENIAL_CUE.search(cue))
                or (certainty == "Uu" and CONFIRM_CUE.search(cue)))
