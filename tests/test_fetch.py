"""Fetching URLs against a real HTTP server on the loopback address: deadlines, size caps,
redirects, and private addresses refused before any connection opens."""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest

from claimledger.ingest.fetch import FetchError, check_url, fetch_url

PAGE = b"<html><body><p>The mayor said the bridge would reopen.</p></body></html>"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        if self.path == "/page":
            self._send(PAGE)
        elif self.path == "/big":
            self._send(b"x" * 5000)
        elif self.path == "/big-unannounced":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif self.path == "/trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"12345678")
                self.wfile.flush()
                time.sleep(0.25)
        elif self.path == "/silent":
            time.sleep(5)
        elif self.path == "/to-page":
            self._redirect("/page")
        elif self.path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/missing":
            self.send_response(404)
            self.end_headers()

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_page(server):
    assert fetch_url(f"{server}/page", allow_private=True) == PAGE


def test_loopback_is_refused_before_connecting(server, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    with pytest.raises(FetchError, match=r"^refused: 127\.0\.0\.1 is a loopback address"):
        fetch_url(f"{server}/page")


@pytest.mark.parametrize("url, reason", [
    ("http://10.1.2.3/x", "refused: 10.1.2.3 is a private address"),
    ("http://169.254.169.254/latest/meta-data", "refused: 169.254.169.254 is a link-local"),
    ("http://[::1]/x", "refused: ::1 is a loopback address"),
    ("http://localhost/x", "refused: localhost ("),
    ("file:///etc/passwd", "refused: only http and https URLs are fetched, not file:"),
    ("gopher://example.org/", "refused: only http and https URLs are fetched, not gopher:"),
    ("http:///nohost", "refused: the URL names no host"),
])
def test_urls_refused(url, reason):
    with pytest.raises(FetchError) as caught:
        check_url(url)
    assert str(caught.value).startswith(reason)


def test_size_cap(server):
    with pytest.raises(FetchError, match="larger than 1,000 bytes"):
        fetch_url(f"{server}/big", max_bytes=1000, allow_private=True)
    with pytest.raises(FetchError, match="larger than 1,000 bytes"):
        fetch_url(f"{server}/big-unannounced", max_bytes=1000, allow_private=True)


def test_one_deadline_for_a_trickling_or_silent_server(server):
    for path in ("/trickle", "/silent"):
        t0 = time.monotonic()
        with pytest.raises(FetchError, match=r"timed out after 1 s"):
            fetch_url(f"{server}{path}", seconds=1, allow_private=True)
        assert time.monotonic() - t0 < 3


def test_redirects(server):
    assert fetch_url(f"{server}/to-page", allow_private=True) == PAGE
    with pytest.raises(FetchError, match="not file:"):
        fetch_url(f"{server}/to-file", allow_private=True)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch_url(f"{server}/loop", allow_private=True)
    with pytest.raises(FetchError, match=r"HTTP 404"):
        fetch_url(f"{server}/missing", allow_private=True)
