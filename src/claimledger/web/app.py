"""The web app: `create_app(db)` gives the ASGI application `claimledger serve` runs.

It reads the ledger through `Ledger`, one read-only Ledger per server thread (an SQLite
connection, or a PostgreSQL one, is used by one thread at a time). Every response carries a
Content Security Policy that allows scripts, styles, images and requests from the app's own
origin only, and no inline script: article text is hostile, and even a field that escaped
escaping could not run.
"""

from __future__ import annotations

import logging
import threading
import weakref
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional, Sequence

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from claimledger import __version__
from claimledger.settings import Settings

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    # Links to other sites carry no referrer; this origin keeps its own (and so its forms
    # carry their Origin, which the CSRF check reads: "no-referrer" would make it "null").
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# The largest request body taken, by path (an article's text), and for every other POST (a
# verdict, a sign-in); a body is read only after this check.
BODY_LIMIT = 64 * 1024
BODY_LIMITS = {"/ingest": 4_500_000, "/api/documents": 4_500_000}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


class Ledgers:
    """A read-only Ledger per thread, opened when the thread first needs it."""

    def __init__(self, db: str, settings: Settings):
        from claimledger.store.postgres import shown

        self.db = db
        self.name = shown(db)  # as the pages show it: a password never
        self.settings = settings
        self._local = threading.local()
        self._opened: set[Any] = set()
        self._lock = threading.Lock()

    def get(self):
        from claimledger.ledger import Ledger

        ledger = getattr(self._local, "ledger", None)
        if ledger is None:
            ledger = Ledger(self.db, settings=self.settings, readonly=True)
            self._local.ledger = ledger
            with self._lock:
                self._opened.add(ledger)
            # The server's threads come and go (idle ones end): a thread's ledger is closed
            # when the thread is gone, so that connections do not pile up.
            weakref.finalize(threading.current_thread(), self._close, ledger)
        return ledger

    def _close(self, ledger: Any) -> None:
        with self._lock:
            if ledger not in self._opened:
                return
            self._opened.discard(ledger)
        ledger.close()

    @property
    def open(self) -> int:
        """Ledgers open now, one per thread that has read."""
        return len(self._opened)

    def here(self) -> "ThisThread":
        """The Ledger of whichever thread uses it: what request handlers are given. (FastAPI
        may resolve a handler's arguments in another thread than the one it runs in, and a
        connection is used by one thread at a time.)"""
        return ThisThread(self)

    def close(self) -> None:
        for ledger in list(self._opened):
            self._close(ledger)


class ThisThread:
    """Stands for the calling thread's read-only Ledger: every attribute is looked up on it
    when it is used."""

    def __init__(self, ledgers: Ledgers):
        self._ledgers = ledgers

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledgers.get(), name)


def create_app(db: str, *, settings: Optional[Settings] = None,
               write_token: Optional[str] = None,
               allowed_hosts: Optional[Sequence[str]] = None) -> FastAPI:
    """The app over the ledger `db` (an SQLite file or a postgresql:// URL). Read-only, but
    for analysts' verdicts where `write_token` is given (`web.writing`). With
    `allowed_hosts`, requests naming any other host are refused. The ledger is opened once
    here, so that a missing or outdated one is said at start."""
    from claimledger.ledger import Ledger

    settings = settings or Settings.load(None)
    Ledger(db, settings=settings, readonly=True).close()  # raises LedgerError, clearly
    ledgers = Ledgers(db, settings)
    from claimledger.web import writing

    writer = writing.Writer(db, settings, write_token)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        ledgers.close()
        writer.close()

    app = FastAPI(lifespan=lifespan, title="claimledger", version=__version__,
                  description="Attributed claims and the events they are about, from news "
                              "articles: the ledger's API. Every list takes the same filters "
                              "as its page and the CLI.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.ledgers = ledgers
    app.state.writer = writer
    app.state.db = db
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True  # every field escaped, whatever the template's name
    app.state.templates = templates

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        length = request.headers.get("content-length") or ""
        limit = BODY_LIMITS.get(request.url.path, BODY_LIMIT)
        if request.method == "POST" and (not length.isdigit() or int(length) > limit):
            response: Response = JSONResponse(
                {"detail": f"a request body of at most {limit:,} bytes, with its length"},
                status_code=413 if length else 411)
        else:
            try:
                response = await call_next(request)
            except Exception:  # a defect: a page of its own, with the headers all pages have
                log.exception("%s %s failed", request.method, request.url.path)
                response = PlainTextResponse("500: claimledger could not answer this; the "
                                             "server's log says why", status_code=500)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def error_page(request: Request, status: int, detail: Any) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=status)
        analyst = writer.analyst(request.cookies.get(writing.COOKIE))
        return templates.TemplateResponse(request, "error.html", {
            "status": status, "detail": detail, "ledger_name": ledgers.name,
            "writing": writer.enabled, "analyst": analyst}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error_page(request, exc.status_code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            # What was wrong, without echoing what was sent.
            return JSONResponse({"detail": jsonable_encoder(
                [{k: v for k, v in e.items() if k not in ("input", "ctx")}
                 for e in exc.errors()])}, status_code=422)
        said = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg')}"
                         for e in exc.errors())
        return error_page(request, 422, f"this address asks for something the ledger cannot "
                                        f"give ({said})")

    from claimledger.web import api, pages

    app.include_router(api.router)
    app.include_router(writing.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> HTMLResponse:
        return HTMLResponse(status_code=204)

    if allowed_hosts:
        # Served on this machine only: requests must name it, so that a web page whose own
        # name was pointed at 127.0.0.1 (DNS rebinding) cannot read the ledger.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    return app


def from_environment() -> FastAPI:
    """The app as `claimledger serve --workers N` starts it in each worker process: the
    ledger, settings file and write token from CLAIMLEDGER_SERVE_DB, CLAIMLEDGER_CONFIG
    and CLAIMLEDGER_WRITE_TOKEN."""
    import os

    settings = Settings.load(os.environ.get("CLAIMLEDGER_CONFIG") or None)
    hosts = os.environ.get("CLAIMLEDGER_SERVE_HOSTS")
    return create_app(os.environ["CLAIMLEDGER_SERVE_DB"], settings=settings,
                      write_token=os.environ.get("CLAIMLEDGER_WRITE_TOKEN") or None,
                      allowed_hosts=hosts.split(",") if hosts else None)
