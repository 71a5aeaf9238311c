"""The gazetteer's embedded tables and its feature codes.

What the installed data packages lack or get wrong for news text: a point for every country,
large regions and water bodies, newspaper abbreviations of US states, Canadian provinces and
Australian states, dotted city abbreviations, the demonym and admin-word suffixes tried on a
name, and the words that alone name no particular place. `index` builds the gazetteer and
reads names with them; `resolution` uses the generic words when it cuts a span into shorter
names.
"""

from __future__ import annotations

import re

# An entry's feature is its position in FEATURES (Place.feature carries the word).
FEATURES = ("country", "admin1", "city", "region", "water", "other")
F_COUNTRY, F_ADMIN1, F_CITY, F_REGION, F_WATER, F_OTHER = range(6)

# Country points (ISO2:lat,lon). The US uses the geographic centre of the contiguous states
# (near Lebanon, Kansas), which is also where GeoNames puts it.
COUNTRY_CENTROIDS = """
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
EXTRA_PLACES = """
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
US_STATE_ABBR = """
AL:Ala. AZ:Ariz. AR:Ark. CA:Calif.|Cal. CO:Colo. CT:Conn. DE:Del. DC:D.C. FL:Fla. GA:Ga. IL:Ill.
IN:Ind. KS:Kan.|Kans. KY:Ky. LA:La. MD:Md. MA:Mass. MI:Mich. MN:Minn. MS:Miss. MO:Mo.
MT:Mont. NE:Neb.|Nebr. NV:Nev. NH:N.H. NJ:N.J. NM:N.M. NY:N.Y. NC:N.C. ND:N.D. OK:Okla.
OR:Ore.|Oreg. PA:Pa.|Penn. RI:R.I. SC:S.C. SD:S.D. TN:Tenn. TX:Tex. VT:Vt. VA:Va. WA:Wash.
WV:W.Va.|W. Va. WI:Wis.|Wisc. WY:Wyo.
"""

# Newspaper abbreviations of Canadian provinces and Australian states ("Red Deer, Alta.").
# Those that are also common words ("Man.", "Que.") are alternate names (marked "*"): they win
# only with support from the text ("Winnipeg, Man.").
PROVINCE_ABBR = {"AU-NSW": ["NSW", "N.S.W."], "AU-QLD": ["Qld", "Qld."], "AU-VIC": ["Vic."],
                 "AU-TAS": ["Tas."], "AU-WA": ["W.A."], "AU-SA": ["S.A."], "AU-NT": ["N.T."],
                 "AU-ACT": ["A.C.T."], "CA-AB": ["Alta.", "Alb."], "CA-BC": ["B.C."],
                 "CA-MB": ["Man.*"], "CA-NB": ["N.B."], "CA-NL": ["Nfld.", "N.L."],
                 "CA-NS": ["N.S."], "CA-ON": ["Ont."], "CA-PE": ["P.E.I.", "PEI"],
                 "CA-QC": ["Que.*", "Qué.*", "P.Q."], "CA-SK": ["Sask."], "CA-NT": ["N.W.T."],
                 "CA-YT": ["Y.T."], "CA-NU": ["Nvt."]}

# Well-known dotted abbreviations of cities that fold to another name's key ("L.A." -> "la").
CITY_ABBREVIATIONS = {"L.A.": "Los Angeles", "N.Y.C.": "New York City", "S.F.": "San Francisco"}
AREAS = (F_COUNTRY, F_ADMIN1, F_REGION)
# Demonyms of regions and towns: suffix, stems to try, features the stem may name.
DEMONYM_SUFFIXES = (
    ("ians", ("ia", "io", ""), AREAS), ("ian", ("ia", "io", ""), AREAS),
    ("ans", ("a", ""), AREAS), ("an", ("a", "", "as"), AREAS), ("i", ("",), AREAS),
    ("ites", ("",), AREAS + (F_CITY,)), ("ers", ("",), AREAS + (F_CITY,)),
    ("er", ("",), AREAS + (F_CITY,)),
)

# Words after a name that make it an admin-1 region ("Kursk Oblast", "Washington State")
ADMIN_SUFFIXES = (
    "oblast", "region", "province", "governorate", "prefecture", "state", "krai", "kray",
    "territory", "district", "republic", "county", "okrug", "voivodeship", "department",
    "canton", "emirate", "municipality", "autonomous republic", "regional state",
)
# Countries whose admin-1 regions English calls "X Oblast" or "X Region"
OBLAST_COUNTRIES = {"RU", "UA", "BY", "KZ", "KG", "TJ", "BG"}

# "the" before a name ("the Netherlands", "the Belgorod region")
LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")

# Words that alone name no particular place: a part of a name made of them only is no name,
# and no demonym stem ends in one ("Easter" is not "East").
GENERIC_WORDS = frozenset(
    ["north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "northeast", "northwest", "southeast", "southwest", "new", "old", "upper", "lower", "greater", "little", "great", "saint", "st", "city", "county", "river", "lake", "mount", "mountain", "fort", "port", "bay", "island", "islands", "valley", "state", "region", "province", "district", "republic", "kingdom", "united", "the", "of", "and",
     # kinds of place: alone they name no particular one ("East Bank", "Zion National Park")
     "park", "national", "creek", "falls", "bank", "side", "station", "township", "village",
     "lakes", "delta", "hills", "hill", "heights", "beach", "springs", "grove", "point",
     "ridge", "harbor", "harbour", "forest", "woods", "canyon", "mountains", "rocks", "mile",
     "center", "centre", "square", "street", "road", "avenue", "airport", "base", "camp"])
