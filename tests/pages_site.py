"""A local site of many small article pages (``/p/<n>``), counting the pages it serves:
for the tests that stop a crawl halfway or watch its progress."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        server = self.server
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        else:
            with server.lock:  # type: ignore[attr-defined]
                server.pages += 1  # type: ignore[attr-defined]
            body = (f"<html><head><title>Page {self.path}</title></head><body><article>"
                    f"<h1>Page {self.path}</h1><p>"
                    + f"Sentence {self.path} of the article about archives. " * 40
                    + "</p></article></body></html>").encode()
            kind = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class PagesSite(ThreadingHTTPServer):
    pages = 0  # article pages served so far

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Pages)
        self.lock = threading.Lock()

    def seed_urls(self, count: int) -> list[str]:
        return [f"http://127.0.0.1:{self.server_address[1]}/p/{i}" for i in range(count)]


@contextmanager
def pages_site() -> Iterator[PagesSite]:
    server = PagesSite()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
