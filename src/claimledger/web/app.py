"""The web app: `create_app(db)` gives the ASGI application `claimledger serve` runs.

It reads the ledger through `Ledger`, one read-only Ledger per server thread (an SQLite
connection, or a PostgreSQL one, is used by one thread at a time). Every response carries a
Content Security Policy that allows scripts, styles, images and requests from the app's own
origin only, and no inline script: article text is hostile, and even a field that escaped
escaping could not run.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimledger import __version__
from claimledger.settings import Settings

HERE = Path(__file__).resolve().parent

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
}


class Ledgers:
    """A read-only Ledger per thread, opened when the thread first needs it."""

    def __init__(self, db: str, settings: Settings):
        from claimledger.store.postgres import shown

        self.db = db
        self.name = shown(db)  # as the pages show it: a password never
        self.settings = settings
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()

    def get(self):
        from claimledger.ledger import Ledger

        ledger = getattr(self._local, "ledger", None)
        if ledger is None:
            ledger = Ledger(self.db, settings=self.settings, readonly=True)
            self._local.ledger = ledger
            with self._lock:
                self._opened.append(ledger)
        return ledger

    def here(self) -> "ThisThread":
        """The Ledger of whichever thread uses it: what request handlers are given. (FastAPI
        may resolve a handler's arguments in another thread than the one it runs in, and a
        connection is used by one thread at a time.)"""
        return ThisThread(self)

    def close(self) -> None:
        with self._lock:
            for ledger in self._opened:
                ledger.close()
            self._opened.clear()


class ThisThread:
    """Stands for the calling thread's read-only Ledger: every attribute is looked up on it
    when it is used."""

    def __init__(self, ledgers: Ledgers):
        self._ledgers = ledgers

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledgers.get(), name)


def create_app(db: str, *, settings: Optional[Settings] = None,
               write_token: Optional[str] = None) -> FastAPI:
    """The app over the ledger `db` (an SQLite file or a postgresql:// URL). Read-only, but
    for analysts' verdicts where `write_token` is given (`web.writing`). The ledger is
    opened once here, so that a missing or outdated one is said at start."""
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
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        analyst = writer.analyst(request.cookies.get(writing.COOKIE))
        return templates.TemplateResponse(request, "error.html", {
            "status": exc.status_code, "detail": exc.detail, "ledger_name": ledgers.name,
            "writing": writer.enabled, "analyst": analyst}, status_code=exc.status_code)

    from claimledger.web import api, pages

    app.include_router(api.router)
    app.include_router(writing.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> HTMLResponse:
        return HTMLResponse(status_code=204)

    return app


def from_environment() -> FastAPI:
    """The app as `claimledger serve --workers N` starts it in each worker process: the
    ledger, settings file and write token from CLAIMLEDGER_SERVE_DB, CLAIMLEDGER_CONFIG
    and CLAIMLEDGER_WRITE_TOKEN."""
    import os

    settings = Settings.load(os.environ.get("CLAIMLEDGER_CONFIG") or None)
    return create_app(os.environ["CLAIMLEDGER_SERVE_DB"], settings=settings,
                      write_token=os.environ.get("CLAIMLEDGER_WRITE_TOKEN") or None)
