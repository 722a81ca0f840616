"""Why a fetch failed, in words a person can act on: the ``errors`` table's ``error`` and
``detail`` (:func:`describe_failure`), and the few words of its one log line and of the run
summary (:func:`short_reason`).

Scrapy and Twisted name failures after their own internals ("Connection was closed
cleanly", ``DownloadFailedError``, ``IgnoreRequest``); :func:`describe_failure` keeps the
exception's name as ``error`` (or ``HTTP <status>``) and says in ``detail`` what happened and
what to change, and, for a redirect chain, every hop from the seed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

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

from crawler.fetch.handler import HeaderTooLong
from crawler.fetch.limits import DecompressionTooLarge, UndecodableBody
from crawler.fetch.retry_after import ASKED, WAITED
from crawler.warc.records import reason_phrase

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response
    from twisted.python.failure import Failure

__all__ = ["CrawlStopped", "describe_failure", "redirect_chain", "short_reason"]

class CrawlStopped(IgnoreRequest):
    """A request dropped before it was sent because the run is stopping (Ctrl-C, SIGTERM,
    a CLOSESPIDER_* limit): not a failure of its seed, which is left for the next run."""


_STATUS_HINTS = {
    401: "the page needs a login",
    403: "the server refuses the crawler (a login, IP or user-agent block)",
    404: "no such page",
    407: "a proxy wants credentials",
    410: "the page was removed for good",
    418: "the site's rate limit (Weibo uses it)",
    429: "the server rate-limits the crawler",
    451: "unavailable for legal reasons",
    500: "the server failed",
    502: "a gateway in front of the server failed",
    503: "the server is unavailable or overloaded",
    504: "a gateway in front of the server timed out",
}


def redirect_chain(request: Request) -> list[str]:
    """The URLs from the seed's first request to this one (``redirect_urls`` + itself)."""
    return [*request.meta.get("redirect_urls", ()), request.url]


def _causes(exc: BaseException | None) -> list[BaseException]:
    """The exception, its causes, and the reasons inside Twisted's ResponseFailed."""
    found: list[BaseException] = []
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or current in found:
            continue
        found.append(current)
        pending.append(current.__cause__ or current.__context__)
        for reason in getattr(current, "reasons", None) or ():
            pending.append(getattr(reason, "value", None))
    return found


def _connection_detail(exc: BaseException) -> str | None:
    names = {type(cause).__name__ for cause in _causes(exc)}
    if "HeaderTooLong" in names:
        return None
    invalid = {"ParseError", "BadResponseVersion", "BadHeaders", "ValueError"}
    if invalid & names:
        parse = next(c for c in _causes(exc) if type(c).__name__ in invalid)
        return f"the answer is not valid HTTP ({type(parse).__name__}: {parse})"
    if "_MalformedChunkedDataError" in names or "_ChunkedTransferDecoder" in names:
        return "the chunked body is malformed"
    if "ResponseNeverReceived" in names:
        if "ConnectionDone" in names:
            return ("the server closed the connection without sending a response "
                    "(or sent an answer that is not HTTP)")
        return "the connection was reset or lost before any response came"
    if "ConnectionLost" in names or "ConnectionAborted" in names:
        return "the connection was reset or lost in the middle of the response"
    if "ConnectionDone" in names:
        return ("the server closed the connection before the response was complete (or sent "
                "something that is not HTTP)")
    if {"SSLError", "Error"} & names and any("SSL" in repr(c) for c in _causes(exc)):
        return "the TLS handshake failed (certificate or protocol)"
    return None


def _http_detail(response: Response, request: Request) -> str:
    status = response.status
    parts = [reason_phrase(status) or "non-standard status"]
    hint = _STATUS_HINTS.get(status)
    if 300 <= status < 400:
        location = response.headers.get(b"Location")
        if location is None:
            hint = "a redirect without a Location header: nowhere to go"
        else:
            target = location.decode("latin-1", "replace")
            try:
                target = urljoin(request.url, target)
                scheme = urlsplit(target).scheme
            except ValueError:  # a Location urllib refuses ("http://[")
                scheme = ""
            hint = (f"redirect to {target[:300]} not followed: only http and https are"
                    if scheme not in ("http", "https") else
                    f"redirect to {target[:300]} not followed")
    elif status in (429, 503) and ASKED in request.meta:
        asked = request.meta[ASKED]
        if isinstance(asked, str):
            hint = f"{hint}; its Retry-After ({asked[:80]!r}) is neither seconds nor a date"
        else:
            hint = (f"{hint}; it asks to wait {asked:g} s (Retry-After), longer than "
                    "RETRY_AFTER_MAX: not retried, crawl it again later")
    if request.meta.get(WAITED):
        hint = (f"{hint}; still so after waiting {request.meta[WAITED]:g} s in all as "
                "Retry-After said")
    retries = request.meta.get("retry_times")
    if retries:
        hint = f"{hint}; retried {retries} time(s)"
    if hint:
        parts.append(hint)
    return ": ".join(parts)


def describe_failure(failure: Failure, request: Request,
                     settings: Any = None) -> tuple[str, str]:
    """``(error, detail)`` for a failed request, as the ``errors`` table keeps them.

    :param failure: what the errback received
    :param request: the request that failed (the last hop of a redirect chain)
    :param settings: the crawler's settings, to name the limits that applied
    """
    exc = failure.value
    timeout = request.meta.get("download_timeout") or (
        settings.getfloat("DOWNLOAD_TIMEOUT") if settings is not None else None)
    if isinstance(exc, HttpError):
        response = exc.response
        error, detail = f"HTTP {response.status}", _http_detail(response, request)
    elif isinstance(exc, HeaderTooLong):
        error, detail = "HeaderTooLong", str(exc)
    elif isinstance(exc, DecompressionTooLarge | UndecodableBody):
        error, detail = type(exc).__name__, str(exc)
    elif isinstance(exc, DownloadTimeoutError):
        error = type(exc).__name__
        detail = (f"no complete response within DOWNLOAD_TIMEOUT ({timeout:g} s): the server "
                  "hangs or is very slow (raise DOWNLOAD_TIMEOUT to wait longer)"
                  if timeout else str(exc))
    elif isinstance(exc, DownloadConnectionRefusedError):
        parts = urlsplit(request.url)
        error = type(exc).__name__
        detail = f"connection refused: nothing listens at {parts.netloc} (is the site up?)"
    elif isinstance(exc, CannotResolveHostError):
        error = type(exc).__name__
        detail = f"the host name {urlsplit(request.url).hostname!r} does not resolve (DNS)"
    elif isinstance(exc, ResponseDataLossError):
        error = type(exc).__name__
        detail = ("the connection closed before the announced body was complete "
                  "(DOWNLOAD_FAIL_ON_DATALOSS is on, so nothing was kept)")
    elif isinstance(exc, UnsupportedURLSchemeError):
        error, detail = type(exc).__name__, f"cannot fetch this scheme: {exc}"
    elif isinstance(exc, DownloadFailedError | DownloadCancelledError):
        error = type(exc).__name__
        detail = _connection_detail(exc) or str(exc)
    elif isinstance(exc, IgnoreRequest):
        error = type(exc).__name__
        message = str(exc)
        if message == "Forbidden by robots.txt":
            detail = (f"robots.txt of {urlsplit(request.url).netloc} disallows this URL for "
                      "the crawler's user agent (ROBOTSTXT_OBEY)")
        elif message == "max redirections reached":
            detail = ("more redirects than REDIRECT_MAX_TIMES: a redirect loop? "
                      + " -> ".join(u[:200] for u in redirect_chain(request)[-6:]))
        else:
            detail = message
    else:
        error = type(exc).__name__
        detail = _connection_detail(exc) or str(exc) or error
    chain = redirect_chain(request)
    if len(chain) > 1 and "->" not in detail:
        detail = f"{detail} (redirects: {' -> '.join(u[:200] for u in chain[-8:])})"
    return error, detail


def short_reason(failure: Failure) -> str:
    """Why a request failed in a few words, for its one log line and the run summary
    (:func:`describe_failure` gives the ``errors`` row): ``HTTP 404 Not Found``,
    ``connection refused (127.0.0.1:9)``, ``DNS lookup failed for no-such-host.invalid``,
    ``timed out after 60 s``, ``forbidden by robots.txt``..."""
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
