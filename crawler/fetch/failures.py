"""Why a request failed, in a few words a person can act on (one log line per failed seed,
and the ``failed`` lines of the run summary)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error

from crawler.warc.records import reason_phrase

if TYPE_CHECKING:
    from scrapy import Request
    from twisted.python.failure import Failure


class CrawlStopped(IgnoreRequest):
    """A request dropped before it was sent because the run is stopping (Ctrl-C, SIGTERM,
    a CLOSESPIDER_* limit): not a failure of its seed, which is left for the next run."""


def describe_failure(failure: Failure) -> str:
    """``HTTP 404 Not Found``, ``connection refused (127.0.0.1:9)``, ``DNS lookup failed for
    no-such-host.invalid``, ``timed out after 60 s``, ``forbidden by robots.txt``..."""
    request: Request | None = getattr(failure, "request", None)
    exc = failure.value
    where = _host_port(request.url) if request is not None else ""
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"HTTP {status} {reason_phrase(status)}".strip()
    if isinstance(exc, (CannotResolveHostError, tx_error.DNSLookupError)):
        host = urlsplit(request.url).hostname if request is not None else ""
        return f"DNS lookup failed for {host}" if host else "DNS lookup failed"
    if isinstance(exc, (DownloadConnectionRefusedError, tx_error.ConnectionRefusedError)):
        return f"connection refused ({where})" if where else "connection refused"
    if isinstance(exc, (DownloadTimeoutError, tx_error.TimeoutError)):
        timeout = request.meta.get("download_timeout") if request is not None else None
        return f"timed out after {timeout:g} s" if timeout else "timed out"
    if isinstance(exc, ResponseDataLossError):
        return "the answer was cut short (data loss)"
    if isinstance(exc, UnsupportedURLSchemeError):
        return f"unsupported URL scheme: {exc}"
    if isinstance(exc, DownloadCancelledError):
        return "download cancelled"
    if isinstance(exc, IgnoreRequest):
        text = str(exc) or "request dropped"
        return "forbidden by robots.txt" if "robots.txt" in text else text
    text = _unwrap(str(exc))
    if "SSL" in str(exc) or "TLS" in str(exc):
        return f"TLS error ({where}): {text}" if where else f"TLS error: {text}"
    if isinstance(exc, (DownloadFailedError, tx_error.ConnectionLost,
                        tx_error.ConnectionDone)):
        return f"connection failed ({where}): {text}"
    return f"{type(exc).__name__}: {text}"


# Twisted's ResponseNeverReceived/ResponseFailed read "[<twisted.python.failure.Failure
# OpenSSL.SSL.Error: [('SSL routines', '', 'wrong version number')]>]".
_FAILURE = re.compile(r"<twisted\.python\.failure\.Failure ([\w.]+): (.*?)>(?:,|\]|$)")
_LAST_IN_TUPLE = re.compile(r"'([^']*)'\s*\)")  # ('SSL routines', '', 'the reason')


def _unwrap(text: str) -> str:
    found = _FAILURE.findall(text)
    if not found:
        return _short(text)
    name, message = found[0]
    if "SSL" in name:
        reasons = [r for r in _LAST_IN_TUPLE.findall(message) if r]
        message = "; ".join(reasons) if reasons else message
    return _short(message or name.rsplit(".", 1)[-1])


def _host_port(url: str) -> str:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    return f"{parts.hostname}:{port}" if parts.hostname and port else parts.hostname or ""


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + "..." if len(text) > 200 else text
