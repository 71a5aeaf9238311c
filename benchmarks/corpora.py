"""Every article of ../shared/data as claimledger `Article` records, for the benchmarks that
ingest all corpora at once (link_all_corpora.py, census.py): PolNeAR (train and dev; dated
from their file names), TempEval-3 TBAQ (dated by their DCT), LGL and GeoVirus (undated), the
article-extraction benchmark's pages (through the ingest path; dated where the page says),
ECB+ (one day for all, as the corpus gives) and Emergent's headlines as one-line articles
(undated). Read in place; nothing is copied.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from claimledger.models import Article


def articles(data: Path) -> list[tuple[str, Article]]:
    from claimledger.evaluate import extraction, geoparsing, polnear
    from claimledger.evaluate.tempeval import read_tml
    from claimledger.ingest.formats import read_record

    out: list[tuple[str, Article]] = []
    for split in ("train", "dev"):
        for a in polnear.load(str(data / "polnear" / split)):
            day = next((p for p in a.name.split("_") if len(p) == 10 and p[4] == "-"), None)
            out.append(("polnear", Article(text=a.text, published_at=day,
                                           origin=f"polnear/{a.name}", language="en")))
    for path in sorted((data / "tempeval3" / "TBAQ-cleaned").rglob("*.tml")):
        doc = read_tml(path, path.name)
        out.append(("tempeval", Article(text=doc.text, origin=f"tempeval/{path.name}",
                                        published_at=doc.anchor.isoformat() if doc.anchor
                                        else None, language="en")))
    for name in ("lgl.xml", "GeoVirus.xml"):
        found, _ = geoparsing.load(str(data / "geoparsing" / name))
        out += [("geoparsing", Article(text=a.text, origin=f"{name}/{a.doc}", language="en"))
                for a in found]
    for page_id in extraction.load(str(data / "article-extraction")):
        path = extraction.page_path(str(data / "article-extraction"), page_id)
        if path is None:
            continue
        from claimledger.ingest import read
        for item in read([str(path)]):
            if isinstance(item, Article):
                out.append(("extraction", item))
    for n, line in enumerate((data / "ecbplus" / "articles.jsonl").open(encoding="utf-8")):
        item = read_record(json.loads(line), f"ecbplus:{n}")
        if isinstance(item, Article):
            out.append(("ecbplus", item))
    with open(data / "emergent" / "train.csv", newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            out.append(("emergent", Article(text=row["articleHeadline"].strip(),
                                            origin=f"emergent:{n}", language="en")))
    return out


def stream(data: Path, seed: int = 7) -> list[tuple[str, Article]]:
    """Every article, in a fixed shuffled order, every other one with its date removed: the
    one stream that link_all_corpora.py and ingest_memory.py ingest."""
    items = articles(data)
    random.Random(seed).shuffle(items)
    for i, (_, a) in enumerate(items):
        if i % 2:
            a.published_at, a.published_from = None, None
    return items
