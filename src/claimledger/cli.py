"""The `claimledger` command: a thin layer over `claimledger.Ledger`.

Every command takes --db FILE (default ledger.db, or the CLAIMLEDGER_DB variable). Errors are
one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import logging
import sys
import textwrap
import time
from typing import Optional

import click

from claimledger import __version__
from claimledger.models import CERTAINTY_WORDS, Claim, certainty_codes, iso_day
from claimledger.settings import Settings



def db_option(fn):
    return click.option(
        "--db", "db", metavar="FILE|URL", envvar="CLAIMLEDGER_DB", default=None,
        help="Ledger: an SQLite file, or a PostgreSQL database shared by a team "
             "(postgresql://user@host/dbname). Default: CLAIMLEDGER_DB, else the `db` "
             "setting (ledger.db).")(fn)


def config_option(fn):
    return click.option("--config", metavar="FILE", type=click.Path(dir_okay=False),
                        help="TOML settings file; see `claimledger settings`.")(fn)


def open_ledger(db: Optional[str], model: Optional[str] = None, config: Optional[str] = None,
                *, readonly: bool = False):
    """The ledger for a command; reading commands never create or change a file."""
    from claimledger.ledger import Ledger
    from claimledger.store.sqlite import LedgerError

    try:
        settings = Settings.load(config)
        return Ledger(db or settings.db, settings=settings, model=model, readonly=readonly)
    except (LedgerError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def check_date(ctx, param, value: Optional[str]) -> Optional[str]:
    """--since/--until: YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its first day for
    --since and its last day for --until."""
    if value is None:
        return None
    try:
        return iso_day(value, last=param.name == "until")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimledger")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def main(verbose: bool) -> None:
    """Turn news articles into a ledger of attributed claims.

    \b
    Typical use:
      claimledger ingest articles/ feed.xml --db war.db
      claimledger claims --db war.db --certainty PR+,PS+ --place Kursk
      claimledger show 3f2a9c1e --db war.db
      claimledger export --format geojson --db war.db > claims.geojson
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--published", metavar="DATE",
              help="Publication date for inputs that carry none (ISO date, e.g. 2024-10-22). "
                   "Overrides dates found in metadata or text; recorded as 'argument'.")
@click.option("--outlet", metavar="NAME",
              help="The publishing outlet, ending every channel (default: from the page's "
                   "metadata, the feed title, or the URL's domain).")
@click.option("--model", metavar="NAME", envvar="CLAIMLEDGER_MODEL",
              help="spaCy model (default en_core_web_md).")
@config_option
@click.option("--fetch-entries/--no-fetch-entries", default=None,
              help="Fetch the page of each feed entry (default: for feeds given as a URL).")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: when stderr is a terminal).")
@click.option("--workers", type=click.IntRange(min=0), default=None, metavar="N",
              help="Processes that parse articles (default: the machine's cores; the "
                   "workers setting). The ledger is the same for any N. A crash in native "
                   "code costs one process: its article is skipped with the reason. 0: parse "
                   "in this process.")
@click.option("--cluster", metavar="ADDRESS", envvar="CLAIMLEDGER_CLUSTER",
              help="Parse on a Dask cluster instead of --workers: tcp://HOST:8786 (a running "
                   "scheduler; start its workers with 'dask worker tcp://HOST:8786 --nthreads "
                   "1 --preload claimledger.cluster') or local:N (start N worker processes "
                   "here). This process still writes the ledger; it is the same as with "
                   "--workers. See docs/scaling.md.")
def ingest(paths, db, published, outlet, model, config, fetch_entries, progress,
           workers, cluster) -> None:
    """Read articles and store their claims.

    PATHS are files, directories, RSS/Atom feeds, JSONL files, WARC files (.warc,
    .warc.gz: a web crawl, read a record at a time, each HTML page an article), http(s)
    URLs, or "-" for standard input. Plain-text pages (title line, body), HTML pages, feeds
    and JSONL records (url, title, published, text or html, outlet) are recognised by
    extension and content.
    Identical articles are stored once; reposts are grouped as near-duplicates; bad inputs are
    skipped with the reason and the batch goes on.
    """
    if published:
        from claimledger.ingest.published import normalise_date

        if not normalise_date(published):
            raise click.ClickException(f"--published {published!r} is not a date (use YYYY-MM-DD)")
    ledger = open_ledger(db, model, config)
    db = ledger.store.name
    show = sys.stderr.isatty() if progress is None else progress
    if cluster and workers is not None:
        ledger.close()
        raise click.UsageError("give --workers or --cluster, not both: on a cluster, its "
                               "workers parse")
    try:
        report = ledger.ingest(list(paths), published=published, outlet=outlet, progress=show,
                               fetch_entries=fetch_entries, workers=workers, cluster=cluster)
    except Exception as exc:
        from claimledger.cluster import ClusterError
        from claimledger.nlp.pipeline import ModelNotFound

        if isinstance(exc, (ModelNotFound, ClusterError)):
            raise click.ClickException(str(exc)) from exc
        raise
    finally:
        ledger.close()
    click.echo(report.summary())
    click.echo(f"ledger: {db}")


@main.command()
@db_option
@click.option("--source", metavar="TEXT", help="Source name, phrase or affiliation contains TEXT.")
@click.option("--certainty", metavar="CODES",
              help="Comma-separated FactBank codes or words: CT+ PR+ PS+ CT- PR- PS- Uu, "
                   "asserted expected possible denied unconfirmed.")
@click.option("--place", metavar="NAME", help="A place named in the claim (name or ISO code).")
@click.option("--since", metavar="DATE", callback=check_date,
              help="Claims about (or published) on or after DATE (YYYY, YYYY-MM or "
                   "YYYY-MM-DD).")
@click.option("--until", metavar="DATE", callback=check_date,
              help="Claims about (or published) on or before DATE (YYYY-12-31 for a year).")
@click.option("--search", metavar="WORDS", help="Full-text search in claim content and evidence.")
@click.option("--document", metavar="ID", help="Only claims of this document.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N claims.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True)
@config_option
def claims(db, source, certainty, place, since, until, search, document, limit, fmt,
           config) -> None:
    """List claims, filtered.

    \b
    Examples:
      claimledger claims --source Budanov
      claimledger claims --certainty unconfirmed,possible --format csv
      claimledger claims --since 2024-10-01 --until 2024-10-31 --search "North Korean"
    """
    codes = _certainty_codes(certainty)
    ledger = open_ledger(db, config=config, readonly=True)
    try:
        found = ledger.claims(source=source, certainty=codes, place=place, since=since,
                              until=until, search=search, document=document, limit=limit)
        event_of = ledger.store.claim_events() if fmt == "jsonl" else {}
    finally:
        ledger.close()
    _write(found, fmt, event_of)


def _certainty_codes(value: Optional[str]) -> list[str]:
    try:
        return certainty_codes(value or "")
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _write(found: list[Claim], fmt: str, event_of: Optional[dict[str, str]] = None) -> None:
    from claimledger.export import records

    out = sys.stdout
    if fmt == "jsonl":
        records.write_jsonl(found, out, event_of=event_of)
    elif fmt == "csv":
        records.write_csv(found, out)
    else:
        if not found:
            click.echo("no claims match", err=True)
            return
        for c in found:
            label = CERTAINTY_WORDS.get(c.certainty, c.certainty)
            source = c.source.name + (f" ({c.source.role})" if c.source.role else "")
            via = f" via {' > '.join(c.channel)}" if c.channel else ""
            assert c.document is not None  # read from the ledger, with its document
            click.echo(f"{c.id[:10]}  {(c.document.published_at or '')[:10]:10}  "
                       f"{label:12} {source}{via}")
            click.echo(f"            {c.cue or '—'}: {_shorten(c.content, 100)}")
        click.echo(f"{len(found)} claim(s)", err=True)


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@main.command()
@click.argument("claim_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the claim record as JSON.")
@config_option
def show(claim_id, db, as_json, config) -> None:
    """Show one claim in its context, with source, cue and content marked.

    CLAIM_ID may be a unique prefix of the id. Marks: [source]… , {cue}…, <<content>>.
    """
    from claimledger.export.records import claim_record

    ledger = open_ledger(db, config=config, readonly=True)
    try:
        claim = _find(ledger, ledger.claim, claim_id, "claim")
        text = ledger.document_text(claim.document_id) or ""
    finally:
        ledger.close()
    if as_json:
        click.echo(json.dumps(claim_record(claim), ensure_ascii=False, indent=2))
        return
    click.echo(render(claim, text, color=sys.stdout.isatty()))


def _find(ledger, lookup, ident: str, what: str):
    """A claim or event by id or unique id prefix (`ledger.claim`, `ledger.event`), or a
    one-line error naming what was not found or which ids the prefix fits."""
    from claimledger.ledger import AmbiguousId

    try:
        found = lookup(ident)
    except AmbiguousId as exc:
        raise click.ClickException(str(exc)) from exc
    if found is None:
        raise click.ClickException(f"no {what} {ident!r} in {ledger.store.name}")
    return found


def render(claim: Claim, text: str, *, color: bool = False) -> str:
    """The evidence with marks around the source, cue and content, then the details."""
    marks: list[tuple[int, int, str]] = []  # (position, order, marker)

    def add(start, end, name, style):
        if start is None or end is None or not (claim.start <= start < end <= claim.end):
            return
        if color:
            opening, closing = click.style("", **style, reset=False), "\x1b[0m"
        else:
            opening, closing = {"source": ("[", "]"), "cue": ("{", "}"),
                                "content": ("<<", ">>")}[name]
        marks.append((start, 1, opening))
        marks.append((end, 0, closing))

    add(claim.content_start, claim.content_end, "content", {"underline": True})
    add(claim.source.start, claim.source.end, "source", {"fg": "cyan", "bold": True})
    add(claim.cue_start, claim.cue_end, "cue", {"fg": "yellow", "bold": True})
    pieces, pos = [], claim.start
    for at, _, marker in sorted(marks):
        pieces.append(text[pos:at])
        pieces.append(marker)
        pos = at
    pieces.append(text[pos:claim.end])
    doc = claim.document
    assert doc is not None  # read from the ledger, with its document
    lines = [
        f"claim {claim.id}   document {claim.document_id} [{claim.start}:{claim.end}]",
        f"{doc.title or ''} — {doc.outlet or 'unknown outlet'}, "
        f"published {doc.published_at or 'unknown'} ({doc.published_from or 'no date'})",
        "",
        textwrap.fill("".join(pieces), width=100),
        "",
        f"source     {claim.source.name} ({claim.source.kind})"
        + (f", {claim.source.role}" if claim.source.role else "")
        + (f", {claim.source.affiliation}" if claim.source.affiliation else ""),
        f"cue        {claim.cue or '—'}   quote: {claim.quote}",
        f"channel    {' > '.join(claim.channel) or '—'}",
        f"certainty  {claim.certainty} ({CERTAINTY_WORDS.get(claim.certainty)}), "
        f"polarity {claim.polarity}",
    ]
    if claim.said_at:
        lines.append(f"said       {claim.said_at.text} = {claim.said_at.value}")
    for t in claim.times:
        span = f" [{t.interval_start} .. {t.interval_end}]" if t.interval_start else ""
        lines.append(f"time       {t.text} = {t.value}{span} ({t.granularity or t.type})")
    for p in claim.places:
        lines.append(f"place      {p.text} = {p.name}, {p.country_code} ({p.feature}) "
                     f"{p.lat}, {p.lon}")
    for q in claim.quantities:
        lines.append(f"quantity   {q.text} = [{q.low}, {q.high}] {q.unit or ''} "
                     f"({q.modifier or 'exact'})")
    lines.append(f"extractor  {claim.extractor}")
    return "\n".join(lines)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl",
              show_default=True)
@click.option("--what", type=click.Choice(["all", "claims", "events"]), default=None,
              help="Which records: claims, events, or all (the default for JSONL and GeoJSON; "
                   "a CSV file holds one kind, claims unless --what events).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of standard output.")
@config_option
def export(db, fmt, what, output, config) -> None:
    """Export the ledger: every claim, with its event's id, and every event with its
    assessment.

    \b
    JSONL: one record a line, claims first; `record` is "claim" or "event".
    CSV: one row per claim, or per event with --what events.
    GeoJSON: one point per geocoded place of a claim, and one per event at its most named
    place; `properties.record` says which.

    \b
    Examples:
      claimledger export -o ledger.jsonl
      claimledger export --format csv --what events -o events.csv
      claimledger export --format geojson --what events -o events.geojson
    """
    from claimledger.export import records

    if what is None:
        what = "claims" if fmt == "csv" else "all"
    if fmt == "csv" and what == "all":
        raise click.ClickException("a CSV file holds one kind of record: use --what claims "
                                   "or --what events")
    ledger = open_ledger(db, config=config, readonly=True)
    try:
        found = ledger.claims() if what in ("all", "claims") else []
        events = ledger.events() if what in ("all", "events") else []
        event_of = ledger.store.claim_events()
    finally:
        ledger.close()
    if fmt == "jsonl":
        n = records.write_jsonl(found, output, events=events, event_of=event_of)
        kind = "record"
    elif fmt == "csv":
        n = (records.write_csv(found, output) if what == "claims"
             else records.write_event_csv(events, output))
        kind = "claim" if what == "claims" else "event"
    else:
        n = records.write_geojson(found, output, events=events)
        kind = "feature"
    click.echo(f"exported {n} {kind}(s)", err=True)


@main.command()
@db_option
@click.option("--status", metavar="WORDS",
              help="Comma-separated: reported, corroborated, confirmed, disputed, denied.")
@click.option("--type", "event_type", metavar="TYPE",
              help="PLOVER event type (ASSAULT, MOBILIZE, CONSULT, AID, AGREE, ...) or OTHER.")
@click.option("--place", metavar="NAME", help="A place named in one of its claims.")
@click.option("--source", metavar="TEXT", help="A source of one of its claims.")
@click.option("--since", metavar="DATE", callback=check_date,
              help="Reported on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", callback=check_date,
              help="Reported on or before DATE.")
@click.option("--search", metavar="WORDS", help="Full-text search in its claims.")
@click.option("--min-claims", type=click.IntRange(min=1), default=2, show_default=True,
              metavar="N", help="Only events with at least N claims, in every format (1 lists "
                                "every event; `export` always writes them all).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N events.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True)
@config_option
def events(db, status, event_type, place, source, since, until, search, min_claims, limit,
           fmt, config) -> None:
    """List events: the claims about one happening, across articles, with their status.

    Status: reported (one independent origin), corroborated (two or more), confirmed (by an
    involved party), disputed (reported and denied), denied. Events with most claims first.

    \b
    Examples:
      claimledger events
      claimledger events --status disputed,denied --place Odesa
      claimledger events --type ASSAULT --since 2025-03 --format jsonl
    """
    from claimledger.export import records
    from claimledger.models import EVENT_STATUSES

    statuses = [x.strip() for x in (status or "").split(",") if x.strip()]
    unknown = [x for x in statuses if x not in EVENT_STATUSES]
    if unknown:
        raise click.ClickException(f"unknown status {unknown[0]!r}; use "
                                   f"{', '.join(EVENT_STATUSES)}")
    ledger = open_ledger(db, config=config, readonly=True)
    try:
        found = ledger.events(status=statuses, type=event_type, place=place, source=source,
                              since=since, until=until, search=search, min_claims=min_claims,
                              limit=limit)
        smaller = 0
        filtered = any((statuses, event_type, place, source, since, until, search))
        if min_claims > 1 and fmt == "table" and not filtered:
            smaller = len(ledger.store.find_event_ids(min_claims=1)) - \
                len(ledger.store.find_event_ids(min_claims=min_claims))
    finally:
        ledger.close()
    if fmt == "jsonl":
        for e in found:
            click.echo(json.dumps(records.event_record(e), ensure_ascii=False))
        return
    if fmt == "csv":
        records.write_event_csv(found, sys.stdout)
        return
    if not found:
        click.echo("no events match", err=True)
    for e in found:
        click.echo(f"{e.id[:10]}  {e.status:12} {_event_kind(e):24} {_where(e):28} "
                   f"{_period(e)}")
        click.echo(f"            {len(e.claims)} claims in {e.documents} document(s), "
                   f"{len(e.origins)} origin(s), {e.independent_origins} independent"
                   + (f", {len(e.contradictions)} contradiction(s)" if e.contradictions
                      else "") + (f"; story {e.story[:10]}" if e.story else ""))
        click.echo(f"            {_shorten(e.title, 100)}")
    if found:
        click.echo(f"{len(found)} event(s)", err=True)
    if smaller:
        click.echo(f"{smaller} event(s) with fewer than {min_claims} claims not shown "
                   "(--min-claims 1 shows them)", err=True)


def _event_kind(e) -> str:
    if not e.type:
        return "—"
    return e.type + (f" ({e.mode})" if e.mode else "")


def _where(e) -> str:
    if not e.places:
        return ", ".join(a["code"] for a in e.actors[:3]) or "—"
    p = e.places[0]
    return f"{p['name']}" + (f" ({p['country_code']})" if p["country_code"] else "")


def _period(e) -> str:
    if not e.period_start:
        return "—"
    span = e.period_start if e.period_start == e.period_end else \
        f"{e.period_start}..{e.period_end}"
    return span + (" (published)" if e.period_from == "publication" else "")


@main.command()
@click.argument("event_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the event record as JSON.")
@config_option
def event(event_id, db, as_json, config) -> None:
    """The dossier of one event: claims grouped by origin, confirmations, denials,
    contradictions side by side, figures by origin, and the timeline.

    EVENT_ID may be a unique prefix of the id (see `claimledger events`).
    """
    from claimledger.export.records import event_record

    if not event_id.strip():
        raise click.ClickException("give an event id (see `claimledger events`)")
    ledger = open_ledger(db, config=config, readonly=True)
    try:
        found = _find(ledger, ledger.event, event_id, "event")
        claims = {c.id: c for c in ledger.event_claims(found)}
    finally:
        ledger.close()
    if as_json:
        click.echo(json.dumps(event_record(found), ensure_ascii=False, indent=2))
        return
    click.echo(dossier(found, claims))


@main.command("split-event")
@click.argument("event_id")
@click.argument("documents", nargs=-1, required=True)
@click.option("--reason", required=True, help="Why: recorded in the event's history.")
@db_option
@config_option
def split_event(event_id, documents, reason, db, config) -> None:
    """Move the claims of DOCUMENTS (document ids) out of an event into a new event of the
    same story, when the event turns out to hold two happenings. Both events keep their
    ids, and the change is recorded in both histories (`claimledger event ID`).

    \b
      claimledger split-event e92f82ce 3f1a0c9d2b7e4a61 --reason "another strike, in Izmail"
    """
    ledger = open_ledger(db, config=config)
    try:
        found = _find(ledger, ledger.event, event_id, "event")
        try:
            new_id = ledger.split_event(found.id, list(documents), reason)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    finally:
        ledger.close()
    click.echo(f"split {len(documents)} document(s) of {found.id} into {new_id}")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default takes connections from this machine "
                   "only; 0.0.0.0 opens it to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8321, show_default=True)
@click.option("--write-token", metavar="TOKEN", default=None,
              help="Let analysts who sign in with TOKEN add verdicts on claims and events, "
                   "and articles (default: the write_token setting, "
                   "CLAIMLEDGER_WRITE_TOKEN). Without one the app never writes.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              metavar="N", help="Server processes answering requests (each reads the "
                                "ledger on its own): more serve more analysts at once.")
@config_option
def serve(db, host, port, write_token, workers, config) -> None:
    """Open the ledger in a web browser: events with their map, weekly counts and dossiers
    (status and its history, origins, figures, contradictions, timelines, a map), claims
    with full-text search and filters, each claim's evidence in its article, documents.
    Every list downloads as CSV, JSONL or GeoJSON with its filters; the same data is JSON
    under /api/ (described at /api/openapi.json). Works with no network: every script,
    style and map shape ships inside claimledger. The ledger is opened read-only, unless
    a write token is given: then analysts who sign in with it add verdicts (verified,
    false, misleading, unverifiable, needs work) with a note, kept beside the computed
    status, never over it, and exported with the event; and add articles from a URL
    (http(s), public addresses only) or pasted text.

    \b
      claimledger serve --db demo.db          # then open http://127.0.0.1:8321/
      claimledger serve --db postgresql://analyst@db.example.org/newsroom --port 9000
      CLAIMLEDGER_WRITE_TOKEN=s3cret claimledger serve --db team.db
    """
    import uvicorn

    from claimledger.store.sqlite import LedgerError
    from claimledger.web import create_app
    from claimledger.web.app import LOOPBACK_HOSTS

    settings = Settings.load(config)
    target = db or settings.db
    try:
        # On this machine only (the default), requests must name it: no DNS rebinding.
        hosts = LOOPBACK_HOSTS if host in LOOPBACK_HOSTS else None
        app = create_app(target, settings=settings, allowed_hosts=hosts,
                         write_token=write_token or settings.write_token or None)
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    from claimledger import stages

    try:
        stale = len(app.state.ledgers.get().store.unassessed_events(stages.ASSESSMENT_VERSION))
    except Exception:  # a ledger from before stored assessments (read-only): all are assessed
        stale = 0      # when read, as they always were
    if stale:
        click.echo(f"note: {stale:,} event(s) have no assessment stored by these rules; pages "
                   "assess them as they are read (slower for large events) until the next "
                   "`claimledger ingest` into the ledger stores them", err=True)
    mode = "verdicts by analysts who sign in" if app.state.writer.enabled else "read-only"
    click.echo(f"claimledger: {_shown(target)} at http://{host}:{port}/ ({mode}; "
               f"{workers} process(es); Ctrl-C stops)", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    import os

    # Each worker process makes its own app (web.app.from_environment) from these.
    os.environ["CLAIMLEDGER_SERVE_DB"] = target
    if config:
        os.environ["CLAIMLEDGER_CONFIG"] = config
    if app.state.writer.token:
        os.environ["CLAIMLEDGER_WRITE_TOKEN"] = app.state.writer.token
    if hosts:
        os.environ["CLAIMLEDGER_SERVE_HOSTS"] = ",".join(hosts)
    uvicorn.run("claimledger.web.app:from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False)


@main.command("copy")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
def copy_cmd(source, target) -> None:
    """Copy the whole ledger FROM into the empty ledger TO, on either engine: an SQLite file
    into a team's PostgreSQL database, or the team's database into a file to read offline.
    Everything is copied with its ids (claims, events and their history, stored
    assessments, rejected inputs); the search index is rebuilt for TO's engine. The copy is
    one transaction: if it fails, TO stays empty. FROM is only read, and may be in use.

    \b
      claimledger copy ledger.db postgresql://analyst@db.example.org/newsroom
      claimledger copy postgresql://analyst@db.example.org/newsroom offline.db
    """
    from claimledger.store.copy import copy_ledger
    from claimledger.store.sqlite import LedgerError

    started = time.perf_counter()

    def shown(step) -> None:
        click.echo(f"  {step.table:<18} {step.rows:>12,} rows  {step.seconds:7.1f} s", err=True)

    try:
        done = copy_ledger(source, target, progress=shown)
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = {step.table: step.rows for step in done}
    click.echo(f"copied {rows['documents']:,} documents, {rows['claims']:,} claims and "
               f"{rows['events']:,} events into {_shown(target)} "
               f"in {time.perf_counter() - started:.1f} s")


def _shown(target: str) -> str:
    from claimledger.store.postgres import shown

    return shown(target)


def dossier(e, claims: dict[str, Claim]) -> str:
    """The event as an analyst reads it, every statement with its claim id."""
    from claimledger.assess.events import figure

    def line(cid: str, indent: str = "      ") -> str:
        c = claims[cid]
        label = CERTAINTY_WORDS.get(c.certainty, c.certainty)
        outlet = c.document.outlet if c.document and c.document.outlet else c.document_id
        date = (c.document.published_at or "")[:10] if c.document else ""
        return (f"{indent}{cid[:10]}  {date:10}  {outlet}: {label}, "
                f"{c.cue or 'stated'}: {_shorten(c.content, 90)}")

    history = " → ".join(f"{h['status']} ({h['date'] or 'undated'})" for h in e.status_history)
    out = [
        f"event {e.id}   {_event_kind(e)}   status: {e.status.upper()}",
        f"what        {_shorten(e.title, 110)}",
        "actors      " + (", ".join(f"{a['name']} ({a['code']}, {a['claims']} claims)"
                                   for a in e.actors) or "—"),
        "places      " + (", ".join(f"{p['name']} ({p['country_code'] or '?'}, {p['feature']},"
                                   f" {p['claims']} claims)" for p in e.places[:5]) or "—"),
        f"period      {_period(e)}",
        f"reported    {e.first_published or '?'} .. {e.last_published or '?'} in "
        f"{e.documents} document(s), {len(e.claims)} claim(s)",
        f"story       {e.story or '—'}",
        f"status      {history}",
        "  decided by " + ", ".join(cid[:10] for cid in e.status_evidence),
        *(f"changed     {c['at']}: {c['change']} {c['other'][:10]} → {c['target'][:10]} "
          f"({c['claims']} claims): {c['reason']}" for c in e.changes),
        "",
        f"ORIGINS ({len(e.origins)}; {e.independent_origins} independent among those "
        "reporting it)",
    ]
    for i, o in enumerate(e.origins, 1):
        aff = f", {o.affiliation}" if o.affiliation else ""
        via = f" via {', '.join(o.outlets)}" if o.outlets else ""
        out.append(f"  {i}. {o.source} ({o.kind}{aff}) — {o.stance} — {len(o.claims)} "
                   f"claim(s) in {o.reports} report(s){via}   [{o.independence}]")
        out.extend(line(cid) for cid in o.claims)
    for title, ids in (("CONFIRMATIONS", e.confirmations),
                       ("NOT CONFIRMED", e.non_confirmations), ("DENIALS", e.denials)):
        if ids:
            out += ["", f"{title} ({len(ids)})"] + [line(cid, "  ") for cid in ids]
    if e.quantities:
        out += ["", "FIGURES (fused range over origins; each origin's own figure)"]
        for q in e.quantities:
            out.append(f"  {q.unit}{' ' + q.predicate if q.predicate else ''}: "
                       f"[{figure(q.low)} .. {figure(q.high)}]")
            for b in q.by_origin:
                out.append(f"      “{b['text']}” {b['unit'] or ''} = [{figure(b['low'])} .. "
                           f"{figure(b['high'])}]  {b['source']}  ({', '.join(x[:10] for x in b['claims'])})")
    if e.contradictions:
        out += ["", f"CONTRADICTIONS ({len(e.contradictions)}, side by side)"]
        for c in e.contradictions:
            out.append(f"  {c.kind}: " + textwrap.shorten(c.detail, 200))
            out.append(f"      claims {' vs '.join(x[:10] for x in c.claims)}")
    out += ["", "TIMELINE by publication"]
    for t in e.timeline:
        about = f" about {t['about_start']}..{t['about_end']}" if t["about_start"] else ""
        out.append(f"  {(t['published_at'] or '?')[:16]:16}  {t['claim'][:10]}  "
                   f"{t['stance']:13} {t['source']}{about}")
    dated = sorted((t for t in e.timeline if t["about_start"]), key=lambda t: t["about_start"])
    if dated:
        out += ["", "TIMELINE by the time the claims are about"]
        for t in dated:
            out.append(f"  {t['about_start']}..{t['about_end'] or '?'}  {t['claim'][:10]}  "
                       f"{t['source']}: {_shorten(t['content'], 70)}")
    return "\n".join(out)


@main.group("eval")
def eval_group() -> None:
    """Score claimledger's methods on an evaluation corpus; prints a JSON object of metrics
    (fractions between 0 and 1)."""


def _print_metrics(result: dict, table: bool) -> None:
    """One JSON object on stdout, or with `table` a two-column table for people."""
    if not table:
        click.echo(json.dumps({k: round(v, 4) if isinstance(v, float) else v
                               for k, v in result.items()}))
        return
    width = max(len(k) for k in result)
    for key, value in result.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        click.echo(f"{key:<{width}}  {shown}")


def eval_options(fn):
    """--table, --predictions and --limit, shared by the corpus evaluation commands."""
    fn = click.option("--limit", type=click.IntRange(min=1), metavar="N",
                      help="Score only the first N documents (in sort order).")(fn)
    fn = click.option("--predictions", "predictions", metavar="DIR",
                      type=click.Path(file_okay=False),
                      help="Also write the raw predictions to DIR, in the corpus's own format, "
                           "for an independent scorer.")(fn)
    return table_option(fn)


def table_option(fn):
    return click.option("--table", is_flag=True,
                        help="Print a table for people instead of JSON.")(fn)


def model_option(fn):
    return click.option("--model", metavar="NAME", envvar="CLAIMLEDGER_MODEL",
                        default="en_core_web_md", show_default=True, help="spaCy model.")(fn)


def _progress(label: str):
    """A progress callback `(done, total)` writing to stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\r{label}: {done}/{total}", err=True, nl=done >= total)
    return show


def _run_eval(run, table: bool) -> None:
    """Run an evaluation; corpus and model problems become one clear line and exit 1."""
    from claimledger.evaluate import CorpusError
    from claimledger.nlp.pipeline import ModelNotFound

    try:
        result = run()
    except (CorpusError, ModelNotFound) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_metrics(result, table)


def _pipeline(model: str):
    from claimledger.nlp.pipeline import load_pipeline
    return load_pipeline(model)


@eval_group.command("emergent")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--cross-validate", "folds", type=click.IntRange(min=2), metavar="K",
              help="Train and test on FILE itself, K folds grouped by claim (no claim in "
                   "both parts), instead of scoring the shipped model.")
@table_option
@model_option
def eval_emergent(file, folds, table, model) -> None:
    """Stance of report headlines toward claims (for / against / observing).

    FILE is a CSV with the columns of Emergent's train.csv (claimId, claimHeadline,
    articleHeadline, articleHeadlineStance). Prints accuracy, macro_f1 and per-class F1.
    """
    from claimledger.evaluate.emergent import evaluate

    _run_eval(lambda: evaluate(file, _pipeline(model), folds=folds), table)


@eval_group.command("polnear")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@eval_options
@model_option
def eval_polnear(directory, table, predictions, limit, model) -> None:
    """Attribution spans and relations on a PolNeAR split.

    DIRECTORY holds text/*.txt and attributions/*.ann (BRAT standoff; where an article has
    several annotation files, the first in sort order is gold). Prints precision, recall and F1
    for source, cue and content spans, exact (identical characters) and overlap (one-to-one,
    greedy by the largest shared character count), and for whole relations. --predictions
    writes one BRAT .ann per article.

    \b
    Example:
      claimledger eval polnear ../shared/data/polnear/dev --table
    """
    from claimledger.evaluate.polnear import evaluate

    _run_eval(lambda: evaluate(directory, _pipeline(model), predictions=predictions,
                               limit=limit, progress=_progress("articles")), table)


@eval_group.command("tempeval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@eval_options
def eval_tempeval(directory, table, predictions, limit) -> None:
    """Time expressions: TempEval-3 task A for TIMEX3 on TimeML .tml files.

    DIRECTORY is searched recursively for .tml files; each one's document creation time is
    given, as in the task. Prints relaxed_f1, strict_f1 (span), value_f1 and type_accuracy.
    --predictions writes .tml files with claimledger's TIMEX3 tags.

    \b
    Example:
      claimledger eval tempeval ../shared/data/tempeval3/TBAQ-cleaned --table
    """
    from claimledger.evaluate.tempeval import evaluate

    _run_eval(lambda: evaluate(directory, predictions=predictions, limit=limit,
                               progress=_progress("documents")), table)


@eval_group.command("geoparsing")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@eval_options
@model_option
def eval_geoparsing(file, table, predictions, limit, model) -> None:
    """Toponym resolution and recognition on an LGL-format XML file.

    Resolution with the gold toponym spans given (accuracy_161km, mean_error_km,
    exact_geonames) and end to end (recognition_f1, end_to_end_161km_f1). --predictions
    writes JSONL, one resolved toponym a line (doc, start, end, name, lat, lon).

    \b
    Example:
      claimledger eval geoparsing ../shared/data/geoparsing/lgl.xml --table
    """
    from claimledger.evaluate.geoparsing import evaluate

    _run_eval(lambda: evaluate(file, _pipeline(model), predictions=predictions, limit=limit,
                               progress=_progress("articles")), table)


@eval_group.command("extraction")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@eval_options
def eval_extraction(directory, table, predictions, limit) -> None:
    """Article text from HTML pages, against ground-truth.json.

    DIRECTORY holds ground-truth.json (page id -> {"articleBody": ...}) and the pages as
    html/<id>.html or html/<id>.html.gz. Prints token precision, recall and f1. --predictions
    writes one JSON object mapping page id to {"articleBody": text}.

    \b
    Example:
      claimledger eval extraction ../shared/data/article-extraction --table
    """
    from claimledger.evaluate.extraction import evaluate

    _run_eval(lambda: evaluate(directory, predictions=predictions, limit=limit,
                               progress=_progress("pages")), table)


@eval_group.command("linking")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--split", metavar="NAME",
              help="Ingest and score only the articles of this split (e.g. dev); by default "
                   "all, with each split also scored on its own.")
@click.option("--shuffle", "shuffle", type=int, metavar="SEED",
              help="Ingest the articles in an order shuffled with this seed instead of "
                   "the file's (single-pass clustering depends on the order: several "
                   "seeds show how much).")
@eval_options
@model_option
def eval_linking(directory, split, shuffle, table, predictions, limit, model) -> None:
    """Cross-document linking: ingest DIRECTORY/articles.jsonl as one stream into a
    temporary ledger and score its events and stories against DIRECTORY/gold.jsonl (the
    story of each article) with B-cubed precision, recall and F1, beside a TF-IDF
    single-pass baseline and singletons in the same run.

    \b
      claimledger eval linking ../shared/data/ecbplus --split dev --table
      claimledger eval linking ../shared/data/ecbplus --split train --shuffle 1
    """
    from claimledger.evaluate.linking import evaluate
    from claimledger.settings import Settings

    settings = Settings.load(model=model)
    _run_eval(lambda: evaluate(directory, split=split, limit=limit, predictions=predictions,
                               progress=sys.stderr.isatty(), settings=settings,
                               shuffle=shuffle), table)


@main.command("settings")
def settings_cmd() -> None:
    """List the settings with their defaults and what they do."""
    for name, default, help_text in Settings.documented():
        click.echo(f"{name} = {default!r}   (CLAIMLEDGER_{name.upper()})")
        click.echo(textwrap.indent(textwrap.fill(help_text, 90), "    "))


if __name__ == "__main__":
    main()
