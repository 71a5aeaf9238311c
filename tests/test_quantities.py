"""Quantities: bounds, vague numbers, units, what is not a quantity, offsets, spaCy tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimledger.models import Quantity
from claimledger.normalise.quantities import find_quantities

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "000_74cb888c7f6563bf.txt"


def one(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


# (sentence, expected text, low, high, modifier, unit)
CASES = [
    # upper bounds
    ("reports of up to 12,000 North Korean soldiers, including", "up to 12,000",
     None, 12000, "up to", "soldiers"),
    ("as many as 500 people fled", "as many as 500", None, 500, "as many as", "people"),
    ("no more than 20 tanks were seen", "no more than 20", None, 20, "no more than", "tanks"),
    ("at most 3 ships", "at most 3", None, 3, "at most", "ships"),
    ("fewer than 100 civilians remain", "fewer than 100", None, 100, "fewer than", "civilians"),
    ("less than 50 percent", "less than 50 percent", None, 50, "less than", "%"),
    ("under 30 km away", "under 30 km", None, 30, "under", "km"),
    # lower bounds
    ("at least 100 people died", "at least 100", 100, None, "at least", "people"),
    ("more than 3,000 troops", "more than 3,000", 3000, None, "more than", "troops"),
    ("over 50 countries signed", "over 50", 50, None, "over", "countries"),
    ("upwards of 2,000 men", "upwards of 2,000", 2000, None, "upwards of", "men"),
    ("5,000+ troops", "5,000+", 5000, None, "+", "troops"),
    ("100 or more people", "100 or more", 100, None, "or more", "people"),
    # approximations: low = high = value, modifier "about"
    ("about 200 soldiers", "about 200", 200, 200, "about", "soldiers"),
    ("around 300 drones", "around 300", 300, 300, "about", "drones"),
    ("roughly 40 tanks", "roughly 40", 40, 40, "about", "tanks"),
    ("nearly 1,000 people", "nearly 1,000", 1000, 1000, "about", "people"),
    ("almost 500 homes", "almost 500", 500, 500, "about", "homes"),
    ("approximately 60 vehicles", "approximately 60", 60, 60, "about", "vehicles"),
    ("some 300 troops", "some 300", 300, 300, "about", "troops"),
    ("an estimated 10,000 refugees", "an estimated 10,000", 10000, 10000, "about", "refugees"),
    ("about a dozen drones", "about a dozen", 12, 12, "about", "drones"),
    # vague numbers (the table in the module docstring)
    ("several thousand North Korean infantry soldiers are training", "several thousand",
     3000, 9000, "several", "soldiers"),
    ("“several thousand” North Korean infantry soldiers are training", "several thousand",
     3000, 9000, "several", "soldiers"),
    ("a few hundred protesters gathered", "a few hundred", 200, 500, "a few", "protesters"),
    ("several soldiers were hurt", "several", 3, 9, "several", "soldiers"),
    ("a few journalists", "a few", 2, 5, "a few", "journalists"),
    ("dozens of civilians", "dozens", 24, 99, "dozens", "civilians"),
    ("hundreds of homes", "hundreds", 200, 999, "hundreds", "homes"),
    ("thousands of people fled", "thousands", 2000, 9999, "thousands", "people"),
    ("tens of thousands of refugees", "tens of thousands", 20000, 99999,
     "tens of thousands", "refugees"),
    ("hundreds of thousands of people", "hundreds of thousands", 200000, 999999,
     "hundreds of thousands", "people"),
    ("a dozen drones", "a dozen", 12, 12, None, "drones"),
    ("a handful of journalists", "a handful", 2, 5, "a handful", "journalists"),
    ("scores of bodies", "scores", 40, 99, "scores", "bodies"),
    ("a couple of tanks", "a couple", 2, 2, "a couple", "tanks"),
    ("several dozen boats", "several dozen", 36, 108, "several", "boats"),
    ("up to several thousand troops", "up to several thousand", None, 9000, "up to", "troops"),
    ("more than a dozen soldiers", "more than a dozen", 12, None, "more than", "soldiers"),
    # plain numbers
    ("10,000 troops", "10,000", 10000, 10000, None, "troops"),
    ("3 million people", "3 million", 3e6, 3e6, None, "people"),
    ("1.5 billion dollars", "1.5 billion", 1.5e9, 1.5e9, None, "dollars"),
    ("$1.5 billion in aid", "$1.5 billion", 1.5e9, 1.5e9, None, "USD"),
    ("US$5 million in aid", "US$5 million", 5e6, 5e6, None, "USD"),
    ("€20 million", "€20 million", 2e7, 2e7, None, "EUR"),
    ("£3bn for defence", "£3bn", 3e9, 3e9, None, "GBP"),
    ("$5m grant", "$5m", 5e6, 5e6, None, "USD"),
    ("USD 3 million", "USD 3 million", 3e6, 3e6, None, "USD"),
    ("500 km from the border", "500 km", 500, 500, None, "km"),
    ("500km from the border", "500km", 500, 500, None, "km"),
    ("20 percent of voters", "20 percent", 20, 20, None, "%"),
    ("20 per cent of voters", "20 per cent", 20, 20, None, "%"),
    ("20% of voters", "20%", 20, 20, None, "%"),
    ("2 percentage points", "2 percentage points", 2, 2, None, "percentage points"),
    ("two soldiers died", "two", 2, 2, None, "soldiers"),
    ("three tanks", "three", 3, 3, None, "tanks"),
    ("a hundred boats", "a hundred", 100, 100, None, "boats"),
    ("one million people", "one million", 1e6, 1e6, None, "people"),
    ("half a million people", "half a million", 5e5, 5e5, None, "people"),
    ("two hundred and fifty soldiers", "two hundred and fifty", 250, 250, None, "soldiers"),
    ("twenty-five drones", "twenty-five", 25, 25, None, "drones"),
    ("One soldier died", "One", 1, 1, None, "soldier"),
    ("10k troops", "10k", 10000, 10000, None, "troops"),
    ("a 12,000-strong force", "12,000-strong", 12000, 12000, None, "force"),
    ("2,000 of the soldiers", "2,000", 2000, 2000, None, "soldiers"),
    ("300 wounded were evacuated", "300", 300, 300, None, "wounded"),
    ("the 49 people killed on Thursday", "49", 49, 49, None, "people"),
    ("1500 soldiers", "1500", 1500, 1500, None, "soldiers"),
    ("up to 2000 troops", "up to 2000", None, 2000, "up to", "troops"),
    # ranges
    ("between 10,000 and 12,000 troops", "between 10,000 and 12,000", 10000, 12000,
     "between", "troops"),
    ("10,000-12,000 troops", "10,000-12,000", 10000, 12000, None, "troops"),
    ("10,000–12,000 troops", "10,000–12,000", 10000, 12000, None, "troops"),
    ("10,000 to 12,000", "10,000 to 12,000", 10000, 12000, None, None),
    ("two or three tanks", "two or three", 2, 3, None, "tanks"),
    ("10-12 million people", "10-12 million", 1e7, 1.2e7, None, "people"),
    ("$1-2 billion", "$1-2 billion", 1e9, 2e9, None, "USD"),
    ("26 percent to 28 percent", "26 percent to 28 percent", 26, 28, None, "%"),
]


@pytest.mark.parametrize("sentence,text,low,high,modifier,unit", CASES,
                         ids=[c[0][:40] for c in CASES])
def test_quantity(sentence, text, low, high, modifier, unit):
    q = one(sentence)
    assert (q.text, q.low, q.high, q.modifier, q.unit) == (text, low, high, modifier, unit)
    assert sentence[q.start:q.end] == q.text


NEGATIVES = [
    "In 2024 the war went on.",
    "It happened in 1999.",
    "The 2024 elections were close.",
    "around 2010",
    "the 2022-2024 budget",
    "between 2020 and 2022",
    "on Wednesday, 23 October, they arrive",
    "on October 23 they arrive",
    "on Oct. 23 they arrive",
    "on 23/10/2024",
    "at 3 p.m. on the day",
    "at 14:30 local time",
    "the first units",
    "the 23rd brigade",
    "the 1990s",
    "the Cheongung-II medium-range surface-to-air missile system",
    "F-16 jets",
    "S-400 systems",
    "Su-25 attack aircraft",
    "the G7 summit and 5G masts",
    "UN Security Council resolution 2270",
    "Resolution 2270 bans it",
    "see No. 5 and page 12, chapter 4",
    "a Boeing 737 and Article 5",
    "one of the soldiers",
    "One of them said",
    "one day he left",
    "no one came",
    "He is the one who left.",
    "one another's voters",
    "call 555-1234 now",
    "+380 44 123 4567",
    "(020) 7946 0958",
    "open 24/7",
    "We will see after a couple of days",
    "three weeks later",
    "for 10 years",
    "several months",
    "a 10-year sentence",
    "a three-day truce",
    "two-thirds of voters",
    "the two met on Tuesday",
    "several of them",
    "a 3 to 1 margin",
    "won 3-1",
    "seven times",
    "Khizr Khan, 66, said",
    "timestamp 1449075600",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_not_a_quantity(sentence):
    assert find_quantities(sentence) == []


def test_offsets_and_order():
    text = ("At least 100 people died, up to 12,000 troops moved and $1.5 billion was sent; "
            "several thousand soldiers and 20% of tanks remain.")
    found = find_quantities(text, offset=1000)
    assert [q.text for q in found] == ["At least 100", "up to 12,000", "$1.5 billion",
                                       "several thousand", "20%"]
    padded = "x" * 1000 + text
    last_end = -1
    for q in found:
        assert padded[q.start:q.end] == q.text
        assert q.start >= last_end
        last_end = q.end


def test_two_quantities_in_one_sentence_are_both_found():
    found = find_quantities("49% to 41% in the survey")
    assert [(q.text, q.low) for q in found] == [("49%", 49), ("41%", 41)]


def test_example_article():
    if not EXAMPLE.exists():
        pytest.skip("shared example not present")
    text = EXAMPLE.read_text(encoding="utf-8")
    body = text[:text.index("Read more:")]
    found = find_quantities(body)
    assert len(found) == 2
    up_to, several = found
    assert (up_to.text, up_to.low, up_to.high, up_to.modifier, up_to.unit) == \
        ("up to 12,000", None, 12000, "up to", "soldiers")
    assert (several.text, several.low, several.high, several.modifier, several.unit) == \
        ("several thousand", 3000, 9000, "several", "soldiers")
    for q in find_quantities(text, offset=5):
        assert text[q.start - 5:q.end - 5] == q.text


def spacy_like(text: str, tags: list[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """Hand-built spaCy tokens: (word, POS) pairs located in order in `text`."""
    out, pos = [], 0
    for word, tag in tags:
        m = re.compile(re.escape(word)).search(text, pos)
        assert m, word
        out.append((m.start(), m.end(), tag, "dep"))
        pos = m.end()
    return out


def test_with_spacy_tokens_head_noun():
    text = "“several thousand” North Korean infantry soldiers are currently training"
    tags = [("“", "PUNCT"), ("several", "ADJ"), ("thousand", "NUM"), ("”", "PUNCT"),
            ("North", "ADJ"), ("Korean", "ADJ"), ("infantry", "NOUN"), ("soldiers", "NOUN"),
            ("are", "AUX"), ("currently", "ADV"), ("training", "VERB")]
    (q,) = find_quantities(text, offset=10, tokens=spacy_like(text, tags))
    assert (q.text, q.low, q.high, q.unit) == ("several thousand", 3000, 9000, "soldiers")
    assert q.start == 10 + text.index("several")


def test_with_spacy_tokens_pos_decides_the_unit():
    # The word rule skips capitalised words; the tags say "Marines" is what is counted and
    # that "Ukrainian" only modifies "officers".
    text = "More than 200 Ukrainian special forces officers died and 40 Marines."
    tags = [("More", "ADJ"), ("than", "ADP"), ("200", "NUM"), ("Ukrainian", "ADJ"),
            ("special", "ADJ"), ("forces", "NOUN"), ("officers", "NOUN"), ("died", "VERB"),
            ("and", "CCONJ"), ("40", "NUM"), ("Marines", "PROPN"), (".", "PUNCT")]
    found = find_quantities(text, tokens=spacy_like(text, tags))
    assert [(q.text, q.low, q.high, q.modifier, q.unit) for q in found] == [
        ("More than 200", 200, None, "more than", "officers"),
        ("40", 40, 40, None, "marines"),
    ]


def test_with_spacy_tokens_one_as_pronoun():
    text = "One soldier said one would leave."
    tags = [("One", "NUM"), ("soldier", "NOUN"), ("said", "VERB"), ("one", "PRON"),
            ("would", "AUX"), ("leave", "VERB"), (".", "PUNCT")]
    found = find_quantities(text, tokens=spacy_like(text, tags))
    assert [(q.text, q.unit) for q in found] == [("One", "soldier")]
    tags[0] = ("One", "PRON")
    assert find_quantities("One soldier", tokens=spacy_like("One soldier", tags[:2])) == []
