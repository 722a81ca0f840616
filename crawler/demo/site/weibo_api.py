"""A local fake of the m.weibo.cn JSON API and of the Weibo visitor system.

For tests and the demo: point ``WEIBO_API_BASE`` and ``WEIBO_PASSPORT_BASE`` at
:attr:`WeiboApiServer.base_url`. Answers are shaped like the real ones (field names, nesting,
HTML in ``text``, ``created_at`` format, JSONP from the visitor system), and so are the walls.

- ``GET /statuses/show?id=<bid|mid>``, ``GET /statuses/extend?id=<mid>``: posts and walls, by
  post (see :data:`POSTS` and :data:`WALLS`). Without a ``Referer`` the API answers 403, as
  the real one does.
- ``POST /visitor/genvisitor``, ``GET /visitor/visitor?a=incarnate&t=<tid>``: the visitor
  cookie flow; it sets ``SUB``/``SUBP``.
- ``GET /robots.txt``: m.weibo.cn's (search engines only).

The main post is built from ``seeds/fixtures/000_de978af1f6993ca8.txt``: post ``PqZVYv0xc``
(mid 5164346067390226) by 新智元 (uid 6105753431), a long post with four pictures. Its
``created_at`` is the time encoded in its mid, 2025-05-09 10:58:34 +0800.

    python -m crawler.demo.site.weibo_api [PORT]
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socketserver
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .weibo_posts import (
    _BAD_GATEWAY_PAGE,
    MAIN_BID,
    MAIN_MID,
    MAIN_UID,
    ROBOTS_TXT,
    SUB,
    SUBP,
    TID,
    VISITOR_BID,
    VISITOR_PAGE,
    WALL_MIDS,
    WALLS,
    long_text_html,
    main_status,
    statuses,
)

__all__ = [
    "MAIN_BID",
    "MAIN_MID",
    "MAIN_UID",
    "WALLS",
    "WeiboApiServer",
    "long_text_html",
    "main_status",
    "statuses",
]

@dataclass(frozen=True)
class ApiRequest:
    """One request as the fake received it."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: WeiboApiServer) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def server_bind(self) -> None:  # no reverse DNS lookup (HTTPServer.server_bind's getfqdn)
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: object, client_address: object) -> None:
        return


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._handle()

    def _handle(self) -> None:
        fake = self.server.fake
        request = ApiRequest(self.command, self.path, dict(self.headers.items()))
        fake._record(request)
        status, headers, body = fake.answer(request)
        content_type = next((v for k, v in headers if k == "Content-Type"), "")
        accepts_gzip = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if body and accepts_gzip and any(t in content_type for t in ("json", "html", "script")):
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


Answer = tuple[int, list[tuple[str, str]], bytes]


def _json(data: Any, status: int = 200) -> Answer:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return status, [("Content-Type", "application/json; charset=utf-8")], body


def _html(text: str, status: int = 200) -> Answer:
    return status, [("Content-Type", "text/html; charset=utf-8")], text.encode("utf-8")


class WeiboApiServer:
    """The fake API on a local port, served from a daemon thread (a context manager).

    Every request received is in :attr:`requests`. ``posts`` and ``walls`` may be changed
    while it runs.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.posts: dict[str, dict[str, Any]] = statuses()
        self.walls: dict[str, str] = dict(WALLS)
        #: bid -> a wall served for its ``/statuses/extend`` only
        self.extend_walls: dict[str, str] = {}
        self.requests: list[ApiRequest] = []
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("WeiboApiServer is not started")
        return f"http://{self.host}:{self.port}"

    def start(self) -> WeiboApiServer:
        if self._httpd is None:
            self._httpd = _Server((self.host, self.port), self)
            self.port = self._httpd.server_address[1]
            self._thread = threading.Thread(target=self._httpd.serve_forever,
                                            kwargs={"poll_interval": 0.1}, daemon=True,
                                            name=f"weibo-api:{self.port}")
            self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> WeiboApiServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def requests_to(self, endpoint: str) -> list[ApiRequest]:
        """The requests received for one path (``/statuses/show``, ``/visitor/genvisitor``)."""
        with self._lock:
            return [r for r in self.requests if r.endpoint == endpoint]

    def _record(self, request: ApiRequest) -> None:
        with self._lock:
            self.requests.append(request)

    # --- answers ---------------------------------------------------------------------------

    def answer(self, request: ApiRequest) -> Answer:
        path = request.endpoint
        if path == "/robots.txt":
            return 200, [("Content-Type", "text/plain")], ROBOTS_TXT.encode()
        if path == "/visitor/genvisitor" and request.method == "POST":
            data = {"tid": TID, "new_tid": True, "confidence": 100}
            return self._jsonp("gen_callback", data)
        if path == "/visitor/visitor":
            if request.query.get("a") == "incarnate" and request.query.get("t") == TID:
                return self._jsonp("cross_domain", {"sub": SUB, "subp": SUBP}, cookies=True)
            return _html(VISITOR_PAGE)
        if path in ("/statuses/show", "/statuses/extend"):
            if not _header(request, "Referer"):
                return _html("<html><body><h1>403 Forbidden</h1></body></html>", 403)
            return self._status_answer(path, request.query.get("id", ""), request)
        return _html("<html><body><h1>404 Not Found</h1></body></html>", 404)

    def _status_answer(self, path: str, post_id: str, request: ApiRequest) -> Answer:
        bid = self._bid(post_id)
        wall = self.walls.get(bid)
        if path == "/statuses/extend":
            wall = self.extend_walls.get(bid) or wall
        if wall:
            return self._wall(wall)
        if bid == VISITOR_BID and SUB not in (_header(request, "Cookie") or ""):
            location = (f"{self.base_url}/visitor/visitor?entry=miniblog&a=enter&url="
                        f"https%3A%2F%2Fm.weibo.cn%2Fstatus%2F{bid}&domain=weibo.cn")
            return 302, [("Location", location), ("Content-Type", "text/html")], b""
        status = self.posts.get(bid)
        if status is None:
            return _json({"ok": 0, "errno": "20101", "msg": "target weibo does not exist!"})
        if path == "/statuses/extend":
            text = long_text_html() if bid == MAIN_BID else status["text"]
            return _json({"ok": 1, "data": {
                "ok": 1, "longTextContent": text, "reposts_count": status["reposts_count"],
                "comments_count": status["comments_count"],
                "attitudes_count": status["attitudes_count"]}})
        return _json({"ok": 1, "data": status})

    def _bid(self, post_id: str) -> str:
        if post_id.isdigit():
            for bid, status in self.posts.items():
                if status.get("mid") == post_id:
                    return bid
            for bid in self.walls:  # walls are keyed by bid; match their mids too
                if WALL_MIDS.get(bid) == post_id:
                    return bid
        return post_id

    def _wall(self, wall: str) -> Answer:
        if wall == "visitor_page":
            return _html(VISITOR_PAGE)
        if wall == "login_required":
            return _json({"ok": -100, "url": "https://passport.weibo.com/sso/signin?entry=wapsso"
                          "&source=wapssowb&url=https%3A%2F%2Fm.weibo.cn%2F"})
        if wall == "no_data":
            return _json({"ok": 1, "msg": ""})
        if wall == "rate_limited":
            return _html("", 418)
        if wall == "forbidden":
            return _html("<html><body><h1>403 Forbidden</h1></body></html>", 403)
        if wall == "ua_rejected":
            return 432, [("Content-Type", "text/html")], b""
        if wall == "deleted":
            return _json({"ok": 0, "errno": "20101", "msg": "target weibo does not exist!"})
        if wall == "bad_json":
            return _html(_BAD_GATEWAY_PAGE)
        raise ValueError(f"unknown wall {wall!r}")

    def _jsonp(self, callback: str, data: dict[str, Any], cookies: bool = False) -> Answer:
        answer = json.dumps({"retcode": 20000000, "msg": "succ", "data": data},
                            separators=(",", ":"))
        body = f"window.{callback} && {callback}({answer});".encode()
        headers = [("Content-Type", "application/javascript; charset=utf-8")]
        if cookies:
            # The real ones are for .weibo.com; here the API and the passport share a host.
            headers += [
                ("Set-Cookie", f"SUB={SUB}; expires=Sat, 09-May-2026 03:00:00 GMT; path=/; "
                               "httponly"),
                ("Set-Cookie", f"SUBP={SUBP}; expires=Sat, 09-May-2026 03:00:00 GMT; path=/"),
            ]
        return 200, headers, body


def _header(request: ApiRequest, name: str) -> str | None:
    lowered = name.lower()
    return next((v for k, v in request.headers.items() if k.lower() == lowered), None)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    port = int(argv[0]) if argv else 0
    with WeiboApiServer(port=port) as server:
        print(f"Fake Weibo API on {server.base_url}")
        print(f"  {server.base_url}/statuses/show?id={MAIN_BID}")
        print(f"  scrapy crawl seeds -a urls=https://weibo.com/{MAIN_UID}/{MAIN_BID} "
              f"-s WEIBO_API_BASE={server.base_url} -s WEIBO_PASSPORT_BASE={server.base_url}")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
