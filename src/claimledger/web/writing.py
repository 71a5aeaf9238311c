"""Writing from the web app: analysts' verdicts on claims and events, and articles added from
the page (a URL to fetch, or pasted text). Off unless the server was started with a write
token (`claimledger serve --write-token`, or the `write_token` setting); without one every
write is refused and the ledger is only ever opened read-only.

In a browser an analyst signs in once with their name and the token: the server sets a
signed session cookie (HttpOnly, SameSite=Strict), and every form carries a CSRF token
derived from that session, checked with the request's Origin. A script calling the API sends
the token itself (`Authorization: Bearer TOKEN`), which a browser never adds on its own.

A URL given on the page is fetched as `claimledger ingest URL` fetches one, before the
writer is taken: http(s) only, private, loopback, link-local and other non-public addresses
refused before connecting and at each redirect (unless the `allow_private_addresses`
setting says otherwise), one deadline and a size cap. Anything that ingest would not read
as an http(s) URL (a file path, "-", "http:x") is refused here, before the ledger sees it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from typing import Annotated, Any, Optional
from urllib.parse import quote, unquote, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from claimledger.models import VERDICTS

router = APIRouter()
WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
OFF = ("writing is off: this server was started without a write token "
       "(claimledger serve --write-token TOKEN)")
FAILED_WAIT, FAILED_WAIT_MAX = 0.5, 5.0  # seconds, after wrong tokens
COOKIE = "claimledger_session"
SESSION_SECONDS = 12 * 3600


class Writer:
    """The server's one writable Ledger, opened on the first write, used one write at a
    time; and the signing of sessions."""

    def __init__(self, db: str, settings: Any, token: Optional[str]):
        self.db, self.settings, self.token = db, settings, token
        # Sessions are signed with a key made from the token: every worker process of one
        # server takes each other's, and a new token ends every session.
        self.secret = hashlib.sha256(f"claimledger session|{token}".encode()).digest() \
            if token else secrets.token_bytes(32)
        self._ledger: Any = None
        self._lock = threading.Lock()
        self._failed = 0  # wrong tokens given since the last right one
        self._failed_lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    def check_token(self, given: str) -> bool:
        """Whether `given` is the write token. After a wrong one, the next try waits: a
        token cannot be guessed at speed (FAILED_WAIT seconds per wrong try, at most
        FAILED_WAIT_MAX; one server, all clients)."""
        if not self.enabled:
            return False
        with self._failed_lock:
            wait = min(self._failed * FAILED_WAIT, FAILED_WAIT_MAX)
        time.sleep(wait)
        right = _same(given, str(self.token))
        with self._failed_lock:
            self._failed = 0 if right else self._failed + 1
        return right

    def write(self, fn):
        from claimledger.ledger import Ledger

        with self._lock:
            if self._ledger is None:
                self._ledger = Ledger(self.db, settings=self.settings)
            return fn(self._ledger)

    def close(self) -> None:
        with self._lock:
            if self._ledger is not None:
                self._ledger.close()
                self._ledger = None

    # -- sessions and CSRF tokens ---------------------------------------------------------
    def _sign(self, text: str) -> str:
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()

    def session(self, analyst: str) -> str:
        # The name percent-encoded: a cookie holds ASCII only ("Łukasz", "张伟" sign in too).
        body = f"{int(time.time()) + SESSION_SECONDS}|{quote(analyst, safe='')}"
        return f"{body}|{self._sign(body)}"

    def analyst(self, cookie: Optional[str]) -> Optional[str]:
        """The analyst a session cookie names, if it is this server's and not expired."""
        if not cookie or not self.enabled:
            return None
        body, _, signature = cookie.rpartition("|")
        expires, _, analyst = body.partition("|")
        if not _same(signature, self._sign(body)):
            return None
        if not expires.isdigit() or int(expires) < time.time() or not analyst:
            return None
        return unquote(analyst)

    def csrf(self, cookie: Optional[str]) -> str:
        return self._sign(f"csrf|{cookie}") if cookie else ""


def _same(given: str, expected: str) -> bool:
    """Whether two secrets are equal, in time that does not tell how much of them is (any
    text: a cookie may hold what a browser was given by another site)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"),
                               expected.encode("utf-8", "replace"))


def writer(request: Request) -> Writer:
    return request.app.state.writer


WriterDep = Annotated[Writer, Depends(writer)]


def signed_in(request: Request) -> Optional[str]:
    """The analyst signed in on this request's session, if any."""
    return request.app.state.writer.analyst(request.cookies.get(COOKIE))


def _same_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin and origin != "null":
        parts = urlsplit(origin)
        if parts.netloc != request.headers.get("host"):
            raise HTTPException(403, "a form from another site was refused")
    elif origin == "null":
        raise HTTPException(403, "a form from another site was refused")


def _form_writer(request: Request, csrf: str) -> tuple[Writer, str]:
    """The writer and analyst of a form post: writing on, signed in, the CSRF token right."""
    w: Writer = request.app.state.writer
    if not w.enabled:
        raise HTTPException(403, OFF)
    _same_origin(request)
    cookie = request.cookies.get(COOKIE)
    analyst = w.analyst(cookie)
    if analyst is None:
        raise HTTPException(403, "sign in with the write token first (/login)")
    if not csrf or not _same(csrf, w.csrf(cookie)):
        raise HTTPException(403, "the form's CSRF token is missing or wrong; reload the page")
    return w, analyst


def safe_next(path: str) -> str:
    """Where to go after a form: a path of this app, never another site."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path \
        else "/events"


@router.post("/login", include_in_schema=False)
def login(request: Request, w: WriterDep, analyst: Annotated[str, Form(max_length=100)],
          token: Annotated[str, Form(max_length=1000)],
          next: Annotated[str, Form(max_length=2000)] = "/events") -> Response:
    if not w.enabled:
        raise HTTPException(403, OFF)
    _same_origin(request)
    name = " ".join(analyst.split())
    if not name or "|" in name:
        raise HTTPException(400, "give your name (without '|')")
    if not w.check_token(token):
        raise HTTPException(403, "that is not the write token")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COOKIE, w.session(name), max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    _same_origin(request)
    response = RedirectResponse("/events", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _add(w: Writer, target: str, target_id: str, verdict: str, note: str, analyst: str):
    try:
        return w.write(lambda ledger: ledger.add_verdict(target, target_id, verdict, note=note,
                                                         analyst=analyst))
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None


def add_verdict_form(request: Request, target: str, target_id: str, verdict: str, csrf: str,
                     note: str) -> Response:
    w, analyst = _form_writer(request, csrf)
    added = _add(w, target, target_id, verdict, note, analyst)
    return RedirectResponse(f"/{target}s/{added.target_id}#verdicts", status_code=303)


VerdictField = Annotated[str, Form(max_length=50)]
CsrfField = Annotated[str, Form(max_length=200)]
NoteField = Annotated[str, Form(max_length=10000)]


@router.post("/claims/{claim_id}/verdicts", include_in_schema=False)
def claim_verdict_form(request: Request, claim_id: str, verdict: VerdictField,
                       csrf: CsrfField = "", note: NoteField = "") -> Response:
    return add_verdict_form(request, "claim", claim_id, verdict, csrf, note)


@router.post("/events/{event_id}/verdicts", include_in_schema=False)
def event_verdict_form(request: Request, event_id: str, verdict: VerdictField,
                       csrf: CsrfField = "", note: NoteField = "") -> Response:
    return add_verdict_form(request, "event", event_id, verdict, csrf, note)


class VerdictIn(BaseModel):
    verdict: str = Field(description=f"One of: {', '.join(VERDICTS)}", max_length=50)
    note: str = Field("", max_length=10000)
    analyst: str = Field(description="Who gives the verdict", max_length=100)


def add_verdict_api(request: Request, target: str, target_id: str, body: VerdictIn,
                    w: Writer) -> dict[str, Any]:
    if not w.enabled:
        raise HTTPException(403, OFF)
    _bearer(request, w)
    return _add(w, target, target_id, body.verdict, body.note, body.analyst).to_dict()


def _bearer(request: Request, w: Writer) -> None:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not w.check_token(given.strip()):
        raise HTTPException(401, "send the write token: Authorization: Bearer TOKEN")


@router.post("/api/claims/{claim_id}/verdicts", tags=["verdicts"], status_code=201,
             summary="Add an analyst's verdict on a claim (needs the write token: "
                     "Authorization: Bearer TOKEN)")
def api_claim_verdict(request: Request, claim_id: str, body: VerdictIn,
                      w: WriterDep) -> dict[str, Any]:
    return add_verdict_api(request, "claim", claim_id, body, w)


@router.post("/api/events/{event_id}/verdicts", tags=["verdicts"], status_code=201,
             summary="Add an analyst's verdict on an event (needs the write token: "
                     "Authorization: Bearer TOKEN)")
def api_event_verdict(request: Request, event_id: str, body: VerdictIn,
                      w: WriterDep) -> dict[str, Any]:
    return add_verdict_api(request, "event", event_id, body, w)


# -- articles added from the page -------------------------------------------------------------
class Added(BaseModel):
    stored: int
    documents: list[str]
    duplicates: int
    skipped: list[str]


def ingest_one(w: Writer, *, url: str = "", text: str = "", title: str = "",
               outlet: str = "", published: str = "") -> Added:
    """Store one article: fetched from `url` (http or https only), or `text` as pasted (with
    its title, outlet and day). 400 with the reason for what cannot be read or stored."""
    from claimledger.ingest.formats import read_record

    url, text = url.strip(), text.strip()
    if bool(url) == bool(text):
        raise HTTPException(400, "give either a URL or the article's text")
    # Exactly what ingest reads as a URL (and nothing it would read as a path): "http://" or
    # "https://", a host, no spaces or control characters.
    if url and (not WEB_URL.fullmatch(url) or not urlsplit(url).hostname):
        raise HTTPException(400, f"only http and https URLs are fetched, not {url[:80]!r}")
    from claimledger.ledger import inputs

    stored: list[str] = []
    if url:  # fetched before the writer is taken: a slow site holds up no one's verdict
        items = list(inputs([url], w.settings, fetch_entries=False))
    else:
        items = [read_record({"text": text, "title": title or None, "outlet": outlet or None,
                              "published": published or None}, "pasted text")]
    report = w.write(lambda ledger: ledger.ingest_articles(items, workers=0,
                                                           on_document=stored.append))
    skipped = [f"{r.origin}: {r.reason}" for r in report.skipped]
    if not report.stored and not report.duplicates:
        raise HTTPException(400, "nothing stored: " + ("; ".join(skipped) or "no article"))
    return Added(stored=report.stored, documents=stored, duplicates=report.duplicates,
                 skipped=skipped)


TextField = Annotated[str, Form(max_length=1_000_000)]  # a form field's most (Starlette's)
ShortField = Annotated[str, Form(max_length=500)]


@router.post("/ingest", include_in_schema=False)
def ingest_form(request: Request, csrf: CsrfField = "", url: Annotated[str, Form(
                max_length=4000)] = "", text: TextField = "", title: ShortField = "",
                outlet: ShortField = "", published: ShortField = "") -> Response:
    w, _ = _form_writer(request, csrf)
    added = ingest_one(w, url=url, text=text, title=title, outlet=outlet,
                       published=published)
    if added.documents:
        return RedirectResponse(f"/documents/{added.documents[0]}", status_code=303)
    return RedirectResponse("/ingest?already=1", status_code=303)  # a duplicate


class ArticleIn(BaseModel):
    url: str = Field("", max_length=4000, description="An http(s) URL to fetch")
    text: str = Field("", max_length=4_000_000, description="Or the article's text")
    title: str = Field("", max_length=500)
    outlet: str = Field("", max_length=500)
    published: str = Field("", max_length=100, description="The day it was published")


@router.post("/api/documents", tags=["documents"], status_code=201,
             summary="Add an article: fetch a URL or store pasted text (needs the write "
                     "token: Authorization: Bearer TOKEN)")
def api_ingest(request: Request, body: ArticleIn, w: WriterDep) -> Added:
    if not w.enabled:
        raise HTTPException(403, OFF)
    _bearer(request, w)
    return ingest_one(w, url=body.url, text=body.text, title=body.title, outlet=body.outlet,
                      published=body.published)
