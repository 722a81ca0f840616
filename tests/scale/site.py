"""A local news site for the scale-out tests and benchmark: N article pages on 127.0.0.1,
each answered after ``latency`` seconds, with validators (ETag, Last-Modified, 304s), and a
log of every request with the time it arrived."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.demo.site.pages import fixtures_dir

LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


@dataclass(frozen=True)
class Hit:
    at: float  # time.time() when the request arrived
    path: str
    if_none_match: str | None
    user_agent: str


def _sentences() -> list[str]:
    text = (fixtures_dir() / "003_7f560c660c44f70d.txt").read_text(encoding="utf-8")
    return [s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s) > 40]


def title_of(n: int) -> str:
    return f"Dispatch number {n} from the newsroom"


class NewsSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: int, latency: float = 0.0, requisites: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.latency = latency
        #: what the pages embed (with ``requisites``): a stylesheet all share, an image each
        self.requisites: dict[str, tuple[bytes, str]] = {}
        if requisites:
            self.requisites["/static/site.css"] = (b"body { margin: 1em }\n", "text/css")
        rng = random.Random(16)
        sentences = _sentences()
        self.pages: dict[str, bytes] = {}
        for n in range(pages):
            paragraphs = "".join(
                "<p>" + " ".join(rng.choice(sentences) for _ in range(6)) + "</p>"
                for _ in range(5))
            head = ""
            if requisites:
                head = "<link rel='stylesheet' href='/static/site.css'>"
                paragraphs += f"<img src='/img/{n}.png' alt='figure {n}'>"
                self.requisites[f"/img/{n}.png"] = (b"\x89PNG\r\n\x1a\n" + bytes([n % 256]) * 64,
                                                     "image/png")
            self.pages[f"/news/{n}.html"] = (
                f"<html><head><meta charset='utf-8'><title>{title_of(n)}</title>{head}</head>"
                f"<body><article><h1>{title_of(n)}</h1><p>Report {n}.</p>{paragraphs}"
                "</article></body></html>").encode()
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def page_urls(self) -> list[str]:
        return [self.url(path) for path in self.pages]

    def page_hits(self, since: float = 0.0) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.path in self.pages and hit.at >= since]

    def counts(self) -> Counter[str]:
        return Counter(hit.path for hit in self.page_hits())

    def clear(self) -> None:
        with self._lock:
            self.hits.clear()

    def close(self) -> None:
        self.shutdown()
        self.server_close()

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: NewsSite

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.record(Hit(time.time(), self.path, self.headers.get("If-None-Match"),
                               self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            return
        if self.path in self.server.requisites:
            body, content_type = self.server.requisites[self.path]
            self._send(200, body, content_type, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
            return
        body = self.server.pages.get(self.path)
        if body is None:
            self._send(404, b"not found", "text/plain")
            return
        if self.server.latency:
            time.sleep(self.server.latency)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self._send(304, b"", None, etag)
            return
        self._send(200, body, "text/html; charset=utf-8", etag)

    def _send(self, status: int, body: bytes, content_type: str | None,
              etag: str | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
