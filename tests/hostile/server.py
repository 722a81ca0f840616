"""A hostile web server for tests: raw sockets on 127.0.0.1, one thread per connection.

Every path is a *kind* of bad answer (``tests.hostile.kinds``), written byte by byte, so
that misbehaviour below HTTP (resets, stalls, lying lengths, broken chunking, oversized
header lines) is really on the wire. It keeps a log of the requests it saw, in order.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urlsplit

__all__ = ["Conn", "HostileServer", "Seen"]


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    at: float  # time.monotonic()
    host: str
    path: str
    headers: dict[str, str]


@dataclass
class Conn:
    """One accepted connection and the request read from it, with ways to answer."""

    sock: socket.socket
    server: HostileServer
    method: str
    target: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query

    def send(self, data: bytes) -> bool:
        """Send bytes; False once the client has gone (or the server is stopping)."""
        if self.server.stopping.is_set():
            return False
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def respond(self, status: int, body: bytes = b"", content_type: str | None = "text/html",
                headers: list[tuple[str, str]] | None = None, reason: str | None = None,
                length: bool = True) -> bool:
        """A well-formed answer (``Connection: close``), whatever its status and body."""
        if reason is None:
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = "Whatever"
        lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        if length:
            lines.append(f"Content-Length: {len(body)}")
        lines += [f"{name}: {value}" for name, value in headers or ()]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def head(self, status: int, headers: list[tuple[str, str]]) -> bool:
        """The status line and headers only (the body is up to the caller)."""
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def wait(self, seconds: float) -> bool:
        """Sleep, unless the server stops first (then False)."""
        return not self.server.stopping.wait(seconds)

    def reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0) instead of a FIN."""
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def hits(self) -> int:
        """How many times this path was requested so far (this request included)."""
        return self.server.count(self.path)


class HostileServer:
    """Serves ``routes`` (path -> handler) on 127.0.0.1 at a free port.

    :param routes: exact paths to handlers
    :param prefixes: path prefixes to handlers, for families of pages
    """

    def __init__(self, routes: dict[str, Callable[[Conn], None]],
                 prefixes: dict[str, Callable[[Conn], None]] | None = None) -> None:
        self.routes = routes
        self.prefixes = prefixes or {}
        self.stopping = threading.Event()
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(256)
        self.port = self._sock.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The URL of ``path``; ``host="localhost"`` names the same server under another
        host name (another download slot for the crawler)."""
        return f"http://{host}:{self.port}{path}"

    def count(self, path: str) -> int:
        with self._lock:
            return self._counts.get(path, 0)

    def __enter__(self) -> HostileServer:
        thread = threading.Thread(target=self._accept, name="hostile-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stopping.set()
        self._sock.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self._conns.add(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True,
                             name="hostile-conn").start()

    def _read_head(self, sock: socket.socket) -> bytes | None:
        sock.settimeout(20)
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                chunk = sock.recv(65536)
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
            if len(data) > 1024 * 1024:
                return None
        return data.split(b"\r\n\r\n", 1)[0]

    def _serve(self, sock: socket.socket) -> None:
        try:
            head = self._read_head(sock)
            if head is None:
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, *_ = lines[0].split(" ") + ["", ""]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            conn = Conn(sock, self, method, target, headers)
            with self._lock:
                self._counts[conn.path] = self._counts.get(conn.path, 0) + 1
                self.seen.append(Seen(time.monotonic(), headers.get("host", ""), conn.path,
                                      headers))
            handler = self.routes.get(conn.path)
            if handler is None:
                handler = next((h for prefix, h in self.prefixes.items()
                                if conn.path.startswith(prefix)), None)
            if handler is None:
                conn.respond(404, b"<html><body>not here</body></html>")
            else:
                handler(conn)
        except Exception:  # a handler's own failure must not take the server down
            pass
        finally:
            with self._lock:
                self._conns.discard(sock)
            with contextlib.suppress(OSError):
                sock.close()
