"""The web app in a real browser: Debian's Chromium driven by Playwright, against
`claimledger serve`'s app on a real server over a ledger of the samples. An analyst
searches, filters, opens an event and sees its map's markers and its timeline's items; no
script error, and no request leaves the app's origin."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from claimledger import Ledger
from conftest import SAMPLES

pytestmark = pytest.mark.slow

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser")
                 if Path(p).exists()), shutil.which("chromium"))
# Without the networking flags Chromium's own connections (updates, sync) are attempted and
# refused here; see ../shared/NOTES-dependencies.md.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


@contextmanager
def serving(db: str, write_token: str | None = None) -> Iterator[str]:
    """`claimledger serve`'s app over `db`, run by uvicorn on a free loopback port: its URL."""
    import uvicorn

    from claimledger.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(db, write_token=write_token), host="127.0.0.1",
                            port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("browser") / "ledger.db")
    with Ledger(db) as ledger:
        assert ledger.ingest([str(SAMPLES)], workers=0).stored >= 5
    return db


@pytest.fixture(scope="module")
def server(samples_db):
    """The app over a ledger of the samples, read-only."""
    with serving(samples_db) as url:
        yield {"url": url, "db": samples_db}


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium: apt-get install chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A page that records script errors and every request outside the app's origin."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.errors, page.outside = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: (page.errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(server["url"] + "/")
            else page.outside.append(r.url))
    yield page
    context.close()


def test_an_analyst_searches_filters_and_opens_an_event(page, server):
    url = server["url"]
    response = page.goto(url + "/events")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".map[data-ready='true']")
    assert int(page.locator(".map").get_attribute("data-markers")) > 0
    assert page.locator(".map .leaflet-interactive.marker").count() > 0
    assert page.locator("svg .bar").count() > 0  # events per week

    # Search from the header, then narrow by certainty with the filter form.
    page.fill("header input[name=search]", "strike")
    page.press("header input[name=search]", "Enter")
    page.wait_for_url("**/claims?search=strike")
    found = page.locator("tr.claim").count()
    assert found > 0
    page.select_option("form.filters select[name=certainty]", "CT+")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**certainty=CT%2B**")
    narrowed = page.locator("tr.claim").count()
    assert 0 < narrowed <= found
    assert page.locator("tr.claim .certainty").all_inner_texts() == ["asserted"] * narrowed

    # The event of a claim: its dossier, its map's markers, its timeline's items.
    page.locator("tr.claim td:last-child a").first.click()
    page.wait_for_url("**/events/**")
    page.wait_for_selector(".map[data-ready='true']")
    assert page.locator(".map .leaflet-interactive.marker").count() > 0
    assert page.locator("figure.timeline svg .mark").count() > 0
    page.locator(".map .leaflet-interactive.marker").first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content a")

    # A claim's evidence, marked, and its document.
    page.locator("ul.claimlist a[href^='/claims/']").first.click()
    page.wait_for_url("**/claims/**")
    assert page.locator("blockquote.evidence mark.content").count() > 0
    page.locator("dl.facts a[href^='/documents/']").click()
    assert page.locator("article.document mark.claim").count() > 0

    assert page.errors == []
    assert page.outside == []


def test_a_verdict_needs_the_token_and_sits_beside_the_status(browser, samples_db, tmp_path):
    db = str(tmp_path / "team.db")
    shutil.copy(samples_db, db)
    with Ledger(db, readonly=True) as ledger:
        event = ledger.events(limit=1)[0]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    with serving(db, write_token="s3cret-token") as url:
        page.goto(f"{url}/events/{event.id}")
        assert page.locator("form.verdictform").count() == 0
        page.click("#verdicts a[href^='/login']")
        page.fill("input[name=analyst]", "Ana Analyst")
        page.fill("input[name=token]", "not the token")
        page.click("form.login button[type=submit]")
        page.wait_for_selector("p.error:has-text('not the write token')")
        page.goto(f"{url}/login?next=/events/{event.id}")
        page.fill("input[name=analyst]", "Ana Analyst")
        page.fill("input[name=token]", "s3cret-token")
        page.click("form.login button[type=submit]")
        page.wait_for_url(f"**/events/{event.id}")
        page.select_option("form.verdictform select[name=verdict]", "unverifiable")
        page.fill("form.verdictform textarea[name=note]", "no second source <yet>")
        page.click("form.verdictform button[type=submit]")
        page.wait_for_selector("li.verdict[data-verdict='unverifiable']")
        assert "no second source <yet>" in page.locator("li.verdict .note").inner_text()
        assert page.locator(".eventline .status").inner_text() == event.status
    with Ledger(db, readonly=True) as ledger:
        assert [v.verdict for v in ledger.verdicts("event", event.id)] == ["unverifiable"]
    # The read-only server over the same ledger shows it, and offers no form.
    with serving(db) as url:
        page.goto(f"{url}/events/{event.id}")
        assert page.locator("li.verdict[data-verdict='unverifiable']").count() == 1
        assert page.locator("form.verdictform").count() == 0
    page.close()
    assert errors == []
