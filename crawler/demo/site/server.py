"""A real local HTTP/1.1 server for the fixture site (stdlib ``http.server``, threaded)."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import socket
import socketserver
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from .pages import Page, build_site, not_found_body, seed_paths

__all__ = ["FixtureServer", "RecordedRequest", "DEFAULT_LAST_MODIFIED"]

DEFAULT_LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
_CHUNK_TARGET = 4096
_MIN_CHUNKS = 4


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fixture server received it."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    http_version: str = "HTTP/1.1"

    def header(self, name: str, default: str | None = None) -> str | None:
        """First value of header ``name`` (case-insensitive), or ``default``."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return default


def _compressible(content_type: str) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.startswith("text/") or any(
        marker in mime for marker in ("xml", "json", "javascript")
    )


def _accepts_gzip(value: str | None) -> bool:
    if not value:
        return False
    qualities: dict[str, float] = {}
    for part in value.split(","):
        token, *params = (piece.strip() for piece in part.split(";"))
        if not token:
            continue
        q = 1.0
        for param in params:
            key, _, val = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(val)
                except ValueError:
                    q = 0.0
        qualities[token.lower()] = q
    for token in ("gzip", "x-gzip", "*"):
        if token in qualities:
            return qualities[token] > 0
    return False


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in header.split(","))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fixture: FixtureServer, family: int) -> None:
        self.address_family = family
        self.fixture = fixture
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(): a reverse DNS lookup
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: object, client_address: object) -> None:
        # a client dropping a keep-alive connection is not worth a traceback
        return


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fixturesite"
    timeout = 120
    server: _HTTPServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        return

    def setup(self) -> None:
        super().setup()
        self.server.fixture._track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fixture._untrack(self.connection)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _reject(self) -> None:
        self.server.fixture._record(self)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"Method Not Allowed\n"
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _reject

    def _serve(self, *, head: bool) -> None:
        fixture = self.server.fixture
        fixture._record(self)
        page = fixture.lookup(self.path)
        if page is None:
            page = fixture._not_found_page()

        body = page.body
        headers: list[tuple[str, str]] = [("Content-Type", page.content_type)]
        extra = list(page.headers)
        if page.status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            last_modified = next(
                (v for k, v in extra if k.lower() == "last-modified"), DEFAULT_LAST_MODIFIED
            )
            extra = [(k, v) for k, v in extra if k.lower() != "last-modified"]
            headers += [("ETag", etag), ("Last-Modified", last_modified)]
            if self._not_modified(etag, last_modified):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                if _compressible(page.content_type):
                    self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return

        if _compressible(page.content_type):
            headers.append(("Vary", "Accept-Encoding"))
            if _accepts_gzip(self.headers.get("Accept-Encoding")):
                body = fixture._gzip(body)
                headers.append(("Content-Encoding", "gzip"))

        chunked = page.chunked and self.request_version != "HTTP/1.0"
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        else:
            headers.append(("Content-Length", str(len(body))))

        for name, value in extra:
            if name.lower() == "location" and value.startswith("/"):
                value = self._absolute(value)
            headers.append((name, value))

        self.send_response(page.status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if head:
            return
        if chunked:
            self._write_chunked(body)
        else:
            self.wfile.write(body)

    def _not_modified(self, etag: str, last_modified: str) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return _etag_matches(inm, etag)
        since = _parse_http_date(self.headers.get("If-Modified-Since"))
        modified = _parse_http_date(last_modified)
        return since is not None and modified is not None and since >= modified

    def _absolute(self, location: str) -> str:
        host = self.headers.get("Host")
        if host:
            return f"http://{host}{location}"
        return self.server.fixture.url(location)

    def _write_chunked(self, body: bytes) -> None:
        count = max(_MIN_CHUNKS, -(-len(body) // _CHUNK_TARGET))
        size = max(1, -(-len(body) // count))
        for start in range(0, len(body), size):
            chunk = body[start : start + size]
            self.wfile.write(f"{len(chunk):X}\r\n".encode("ascii") + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


class FixtureServer:
    """Serve a fixture site on a local port from a daemon thread.

    Use as a context manager or call :meth:`start` / :meth:`stop`. ``site`` defaults to
    :func:`~crawler.demo.site.pages.build_site`; the dict passed in is used as is, so a
    test may replace a page in ``server.site`` while the server runs. Every request
    received is appended to :attr:`requests`.
    """

    def __init__(
        self, site: dict[str, Page] | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.site: dict[str, Page] = site if site is not None else build_site()
        self.host = host
        self.port = port
        self.requests: list[RecordedRequest] = []
        self._base_url: str | None = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._gzip_cache: dict[bytes, bytes] = {}

    # -- public API

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        if self._base_url is None:
            raise RuntimeError("FixtureServer is not started")
        return self._base_url

    def start(self) -> FixtureServer:
        """Bind the port and start serving; returns ``self``."""
        if self._httpd is not None:
            return self
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        httpd = _HTTPServer((self.host, self.port), self, family)
        port = httpd.server_address[1]
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        self.port = port
        self._base_url = f"http://{host}:{port}"
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"fixturesite:{port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open keep-alive connections and release the port."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        if not path.startswith("/"):
            path = "/" + path
        return self.base_url + path

    def seed_urls(self) -> list[str]:
        """Absolute URLs of :func:`~crawler.demo.site.pages.seed_paths`."""
        return [self.url(path) for path in seed_paths()]

    def lookup(self, target: str) -> Page | None:
        """The page served for a request target (path with query, or absolute URL)."""
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        page = self.site.get(target)
        if page is not None:
            return page
        path = target.split("?", 1)[0]
        page = self.site.get(path)
        if page is not None:
            return page
        for key, candidate in self.site.items():
            if "?" in key and key.split("?", 1)[0] == path:
                return candidate
        return None

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"FixtureServer({self._base_url or 'not started'}, {len(self.site)} routes)"

    # -- used by the handler

    def _record(self, handler: BaseHTTPRequestHandler) -> None:
        request = RecordedRequest(
            method=handler.command,
            path=handler.path,
            headers=list(handler.headers.items()),
            http_version=handler.request_version,
        )
        with self._lock:
            self.requests.append(request)

    def _track(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)

    def _untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _gzip(self, body: bytes) -> bytes:
        key = hashlib.sha1(body).digest()
        with self._lock:
            cached = self._gzip_cache.get(key)
        if cached is None:
            cached = gzip.compress(body, compresslevel=6, mtime=0)
            with self._lock:
                self._gzip_cache[key] = cached
        return cached

    def _not_found_page(self) -> Page:
        missing = self.site.get("/missing.html")
        if missing is not None and missing.status == 404:
            return missing
        return Page(
            path="",
            body=not_found_body(),
            content_type="text/html; charset=utf-8",
            status=404,
        )
