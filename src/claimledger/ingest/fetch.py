"""Fetching a page or feed over http(s), with limits an unattended run can rely on.

- http and https only; at most `MAX_REDIRECTS` redirects, each checked like the first URL;
- the host is resolved first and every address it resolves to is checked: private,
  loopback, link-local, multicast and reserved addresses are refused before any connection
  is opened (unless `allow_private`), and the connection goes to the address checked, so a
  second DNS answer cannot point it elsewhere;
- one deadline for the whole URL (`seconds`: connecting, redirects, and reading, even from a
  server that sends a few bytes at a time);
- at most `max_bytes` of body.

Every refusal raises `FetchError` with the reason an analyst reads ("refused: 127.0.0.1 is a
loopback address", "timed out after 30 s").
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from typing import Optional
from urllib.parse import urljoin, urlsplit

from claimledger.errors import ClaimledgerError

MAX_REDIRECTS = 5
CHUNK = 65536
USER_AGENT = "claimledger (+https://github.com/claimledger)"


class FetchError(ClaimledgerError):
    """A URL that could not be fetched; the message is the reason."""


def fetch_url(url: str, *, seconds: float = 30.0, max_bytes: int = 20_000_000,
              allow_private: bool = False) -> bytes:
    """The body at `url`, within the limits above."""
    deadline = time.monotonic() + seconds
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get(url, deadline, seconds, max_bytes, allow_private)
        if status in (301, 302, 303, 307, 308):
            if not location:
                raise FetchError(f"could not fetch URL (HTTP {status} without a Location)")
            url = urljoin(url, location)
            continue
        if status >= 400:
            raise FetchError(f"could not fetch URL (HTTP {status})")
        if not body:
            raise FetchError("could not fetch URL (empty response)")
        return body
    raise FetchError(f"could not fetch URL (more than {MAX_REDIRECTS} redirects)")


def check_url(url: str, allow_private: bool = False) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for an http(s) URL whose host resolves
    to public addresses only; FetchError otherwise."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"refused: only http and https URLs are fetched, not {scheme or '?'}:")
    host = parts.hostname
    if not host:
        raise FetchError("refused: the URL names no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchError("refused: the URL's port is not a number") from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"could not fetch URL (cannot resolve {host}: {exc})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))  # str: an IP address
    if not allow_private:
        for address in addresses:
            why = _not_public(address)
            if why:
                shown = host if host == address else f"{host} ({address})"
                raise FetchError(f"refused: {shown} is {why} (the allow_private_addresses "
                                 "setting allows it)")
    return scheme, host, port, addresses[0]


def _not_public(address: str) -> Optional[str]:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address carried inside an IPv6 one (mapped, compatible, 6to4, Teredo) is
        # judged as itself.
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is None and int(ip) >> 32 == 0 and int(ip) > 1:  # ::a.b.c.d
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            ip = inner
    for test, words in (("is_loopback", "a loopback address"),
                        ("is_link_local", "a link-local address"),
                        ("is_private", "a private address"),
                        ("is_multicast", "a multicast address"),
                        ("is_unspecified", "an unspecified address"),
                        ("is_reserved", "a reserved address")):
        if getattr(ip, test):
            return words
    if not ip.is_global:  # shared address space (100.64.0.0/10, carrier-grade NAT) and the like
        return "not a public address"
    return None


def _get(url: str, deadline: float, seconds: float, max_bytes: int,
         allow_private: bool) -> tuple[int, Optional[str], bytes]:
    scheme, host, port, address = check_url(url, allow_private)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn = _connection(scheme, host, port, address, _left(deadline, seconds))
    # A server can trickle its headers too: at the deadline the socket is shut, whatever
    # the read in progress.
    sock = conn.sock  # the response takes it over from the connection
    watchdog = threading.Timer(_left(deadline, seconds), _shut, [sock])
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host if parts.port is None else f"{host}:{port}")
        conn.putheader("User-Agent", USER_AGENT)
        conn.putheader("Accept", "text/html,application/xhtml+xml,application/xml,*/*")
        conn.endheaders()
        response = conn.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.getheader("Location"), b""
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"refused: the page is larger than {max_bytes:,} bytes")
        chunks, size = [], 0
        while True:
            sock.settimeout(_left(deadline, seconds))
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else \
                response.read(CHUNK)
            if not chunk:
                _left(deadline, seconds)  # shut by the watchdog, not the end of the page
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"refused: the page is larger than {max_bytes:,} bytes")
            chunks.append(chunk)
            _left(deadline, seconds)
        return response.status, None, b"".join(chunks)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if isinstance(exc, (socket.timeout, TimeoutError)) or time.monotonic() >= deadline:
            raise FetchError(f"could not fetch URL (timed out after {seconds:.0f} s)") from None
        raise FetchError(f"could not fetch URL ({type(exc).__name__}: {exc})") from None
    finally:
        watchdog.cancel()
        conn.close()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _left(deadline: float, seconds: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"could not fetch URL (timed out after {seconds:.0f} s)")
    return left


def _connection(scheme: str, host: str, port: int, address: str,
                timeout: float) -> http.client.HTTPConnection:
    """A connection to `address` (already checked) that speaks to `host`."""
    try:
        sock = socket.create_connection((address, port), timeout=timeout)
    except (socket.timeout, TimeoutError):
        raise FetchError(f"could not fetch URL (no answer from {host})") from None
    except OSError as exc:
        raise FetchError(f"could not fetch URL (cannot connect to {host}: "
                         f"{exc.strerror or exc})") from None
    if scheme == "https":
        try:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        except (ssl.SSLError, OSError) as exc:
            sock.close()
            raise FetchError(f"could not fetch URL (TLS: {exc})") from None
    conn_class = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = conn_class(host, port, timeout=timeout)
    conn.sock = sock
    return conn
