"""The web app in a real browser: Debian's Chromium driven by Playwright, against
`claimledger serve`'s app on a real server over a ledger of the samples. An analyst
searches, filters, opens an event and sees its map's markers and its timeline's items; no
script error, and no request leaves the app's origin."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over a ledger of the samples, served by uvicorn on a free loopback port."""
    import uvicorn

    from claimledger.web import create_app

    db = str(tmp_path_factory.mktemp("browser") / "ledger.db")
    with Ledger(db) as ledger:
        assert ledger.ingest([str(SAMPLES)], workers=0).stored >= 5
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "db": db}
    srv.should_exit = True
    thread.join(timeout=10)


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
    page.locator("ul.claimlist a").first.click()
    page.wait_for_url("**/claims/**")
    assert page.locator("blockquote.evidence mark.content").count() > 0
    page.locator("dl.facts a[href^='/documents/']").click()
    assert page.locator("article.document mark.claim").count() > 0

    assert page.errors == []
    assert page.outside == []
