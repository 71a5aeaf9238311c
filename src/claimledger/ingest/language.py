"""A tiny, dependency-free language guess: script first, then stopword ratios.

Good enough to tell an English article from a German, French, Spanish, Italian, Portuguese,
Dutch, Polish, Indonesian, Turkish, Russian, Ukrainian, Arabic, Persian, Chinese, Japanese, Korean, Greek or Hebrew
one, so that the caller can decide what to do with it. Returns an ISO 639-1 code or None when
the text is too short or too mixed to say.
"""

from __future__ import annotations

import re
from typing import Optional

SAMPLE_CHARS = 5000
MIN_WORDS = 5

STOPWORDS = {
    "en": "the of and to in a is that for on it with as was by at from he said are be this "
          "has have an but not they were his will which their who its had been would or we",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
          "auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie",
    "fr": "le la les de des et en un une du est que qui dans pour pas par sur au se il "
          "avec sont ce plus elle ont cette aux été ou mais nous",
    "es": "el la de que y en los las del se un una por con para es al lo como más pero "
          "sus le ha fue este ya entre cuando también sin sobre ser",
    "it": "il di che e la in un una per non è del della sono con si le da gli al lo dei "
          "delle ha nel anche come ma più alla questo",
    "pt": "o a de que e do da em um uma para com não os as no na por mais dos das se ao "
          "foi como mas ele ela pelo pela são também",
    "nl": "de het een van en in is dat op te zijn voor met die niet aan er ook als bij "
          "door maar om dan naar wordt heeft nog werd",
    "pl": "i w na z do nie się że to jest o jak po co ale od za przez jego tak są dla "
          "już może tym który która",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena ada "
          "atau oleh saat bisa sudah telah mereka kita kami adalah seperti",
    "tr": "ve bir bu da de için ile olarak çok daha en ama gibi olan o ne kadar sonra "
          "değil var ya her şey diye",
}
_STOPSETS = {lang: frozenset(words.split()) for lang, words in STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")

_SCRIPTS = [
    ("cyrillic", re.compile(r"[\u0400-\u04FF]")),
    ("arabic", re.compile(r"[\u0600-\u06FF\u0750-\u077F]")),
    ("hangul", re.compile(r"[\uAC00-\uD7AF\u1100-\u11FF]")),
    ("kana", re.compile(r"[\u3040-\u30FF]")),
    ("han", re.compile(r"[\u4E00-\u9FFF\u3400-\u4DBF]")),
    ("greek", re.compile(r"[\u0370-\u03FF]")),
    ("hebrew", re.compile(r"[\u0590-\u05FF]")),
    ("latin", re.compile(r"[A-Za-z\u00C0-\u024F]")),
]
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")
_FA_ONLY = re.compile(r"[پچژگکی]")


def detect_language(text: str) -> Optional[str]:
    """ISO 639-1 code of the text's language ("en", "de", "ru", ...) or None."""
    sample = text[:SAMPLE_CHARS]
    counts = {name: len(rx.findall(sample)) for name, rx in _SCRIPTS}
    letters = sum(counts.values())
    if letters < 10:
        return None
    script = max(counts, key=counts.__getitem__)
    if counts[script] < 0.5 * letters:
        return None
    if script == "cyrillic":
        uk, ru = len(_UK_ONLY.findall(sample)), len(_RU_ONLY.findall(sample))
        return "uk" if uk > ru else "ru"
    if script == "arabic":
        return "fa" if len(_FA_ONLY.findall(sample)) > 0.02 * counts["arabic"] else "ar"
    if script == "han":
        return "ja" if counts["kana"] > 0.05 * counts["han"] else "zh"
    if script in ("kana", "hangul", "greek", "hebrew"):
        return {"kana": "ja", "hangul": "ko", "greek": "el", "hebrew": "he"}[script]
    return _latin_language(sample)


def _latin_language(sample: str) -> Optional[str]:
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return None
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOPSETS.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < max(2, 0.05 * len(words)) or top < 1.5 * second:
        return None
    return best
