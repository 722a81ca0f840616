"""Bounded memory and time per exchange (README: "Hostile servers and limits").

Scrapy's own limits throw away what was received: ``DOWNLOAD_MAXSIZE`` cancels a download
and drops its body, a timeout drops the body too, and a gzip body is inflated up to
``DOWNLOAD_MAXSIZE`` before it is refused. An archive wants the opposite: keep what came,
mark it, and stop early. So:

- :class:`ExchangeLimits` (a downloader middleware and a ``bytes_received`` /
  ``headers_received`` signal handler) stops a body at ``DOWNLOAD_MAXSIZE`` with
  ``StopDownload(fail=False)``: what was received goes on to the WARC recorder, marked
  ``WARC-Truncated: length``. A response that announces a larger ``Content-Length`` is stopped
  at its headers (headers archived, no body). Bodies in flight together never hold more
  than ``DOWNLOAD_INFLIGHT_MAXSIZE``: past it, the largest one is cut at its next chunk.
  robots.txt is read up to ``ROBOTSTXT_MAXSIZE`` (Google reads 500 KiB).
- :class:`BoundedDecompressionMiddleware` replaces Scrapy's ``HttpCompressionMiddleware``
  (590): a body that inflates past ``COMPRESSION_MAXSIZE`` is refused as soon as it does
  (``DecompressionTooLarge``), one that cannot be decoded is refused with its reason
  (``UndecodableBody``); the compressed bytes are archived either way.

Timeouts and disconnections keep their partial bodies too (``crawler.fetch.handler``);
:func:`truncation` tells the recorder which of ``length``, ``time`` or ``disconnect`` applies.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http import HtmlResponse
from scrapy.utils._compression import _DecompressionMaxSizeExceeded

from crawler.warc.capture import inflate_whole

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Response

logger = logging.getLogger(__name__)

__all__ = [
    "BoundedDecompressionMiddleware",
    "BoundedMetaRefreshMiddleware",
    "DecompressionTooLarge",
    "ExchangeLimits",
    "UndecodableBody",
    "size_text",
    "truncation",
]

#: the encodings asked for (COMPRESSION_ENABLED): all that Scrapy and warcio both decode
ACCEPT_ENCODING = b"gzip, deflate, zstd"
#: request.meta key: why the body was cut (``length`` or ``time``), set when it is
TRUNCATED = "truncated"
#: request.meta key: the cap applied to this exchange, in bytes
MAXSIZE = "archive_maxsize"


def size_text(size: int) -> str:
    """A byte count for people: ``512 B``, ``20 MB``, ``1.5 GB``."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" or value == int(value) else \
                f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def truncation(request: Request, response: Response) -> str | None:
    """Why a response holds only part of its body, as ``WARC-Truncated`` says it
    (WARC 1.1, section 5.13): ``length`` (a size cap), ``time`` (the download took longer
    than ``DOWNLOAD_TIMEOUT``), ``disconnect`` (the connection closed or was reset before
    the body was complete); None for a whole body."""
    flags = response.flags
    if "replayed" in flags:  # WARC_REPLAY: as the record says
        return request.meta.get(TRUNCATED)
    if "download_stopped" in flags:
        return request.meta.get(TRUNCATED) or "length"
    if "timeout" in flags:
        return "time"
    if "dataloss" in flags:
        return "disconnect"
    return None


class DecompressionTooLarge(IgnoreRequest):
    """A body that inflates past ``COMPRESSION_MAXSIZE`` (a compression bomb, most
    likely): archived as received (compressed), never decoded."""

    def __init__(self, compressed: int, limit: int) -> None:
        super().__init__(
            f"the body inflates past COMPRESSION_MAXSIZE ({size_text(limit)}) from "
            f"{size_text(compressed)} compressed (a compression bomb?); archived "
            "compressed, not decoded")
        self.compressed = compressed
        self.limit = limit


class UndecodableBody(IgnoreRequest):
    """A body whose ``Content-Encoding`` cannot be decoded (not gzip although it says so):
    archived as received, not parsed."""


class ExchangeLimits:
    """Caps the size of every exchange as it arrives, keeping what was received.

    :param maxsize: per exchange, bytes (``DOWNLOAD_MAXSIZE``; 0: no cap)
    :param inflight: for all bodies in flight together (``DOWNLOAD_INFLIGHT_MAXSIZE``)
    :param robots_maxsize: for robots.txt (``ROBOTSTXT_MAXSIZE``)
    """

    def __init__(self, crawler: Crawler, maxsize: int, inflight: int,
                 robots_maxsize: int) -> None:
        self.crawler = crawler
        self.maxsize = maxsize
        self.inflight = inflight
        self.robots_maxsize = robots_maxsize
        self._received: WeakKeyDictionary[Request, int] = WeakKeyDictionary()
        self._cut: WeakKeyDictionary[Request, str] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExchangeLimits:
        settings = crawler.settings
        if not settings.getbool("DOWNLOAD_LIMITS_ENABLED", True):
            raise NotConfigured
        limits = cls(crawler, settings.getint("DOWNLOAD_MAXSIZE"),
                     settings.getint("DOWNLOAD_INFLIGHT_MAXSIZE"),
                     settings.getint("ROBOTSTXT_MAXSIZE", 500 * 1024))
        crawler.signals.connect(limits.headers_received, signal=signals.headers_received)
        crawler.signals.connect(limits.bytes_received, signal=signals.bytes_received)
        return limits

    def process_request(self, request: Request) -> None:
        meta = request.meta
        meta.pop(TRUNCATED, None)  # a retry's copy starts whole
        if MAXSIZE not in meta:
            cap = meta.get("download_maxsize", self.maxsize)
            if meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt"):
                cap = min(cap, self.robots_maxsize) if cap else self.robots_maxsize
            meta[MAXSIZE] = cap
        # Scrapy's own cap cancels the download and drops the body: ours keeps it.
        meta["download_maxsize"] = 0
        return None

    def _stop(self, request: Request, reason: str, detail: str) -> None:
        request.meta[TRUNCATED] = reason
        request.meta["truncated_detail"] = detail
        self._received.pop(request, None)
        raise StopDownload(fail=False)

    def headers_received(self, headers: Headers, body_length: int, request: Request,
                         spider: object) -> None:
        self._received[request] = 0
        cap = request.meta.get(MAXSIZE, self.maxsize)
        if cap and isinstance(body_length, int) and body_length > cap:
            self.crawler.stats.inc_value("fetch/stopped_at_headers")
            self._stop(request, "length",
                       f"Content-Length {body_length} is over the cap of {size_text(cap)}; "
                       "headers archived, body not fetched")

    def bytes_received(self, data: bytes, request: Request, spider: object) -> None:
        received = self._received.get(request, 0) + len(data)
        self._received[request] = received
        cap = request.meta.get(MAXSIZE, self.maxsize)
        if cap and received >= cap:
            self._stop(request, "length", f"body cut at {size_text(cap)} (the cap), "
                       f"{received} bytes kept")
        if request in self._cut:
            self._stop(request, "length", self._cut.pop(request))
        if self.inflight and len(data) and received > self.inflight // 8:
            total = sum(self._received.values())
            if total > self.inflight:
                largest = max(self._received, key=self._received.__getitem__)
                self.crawler.stats.inc_value("fetch/inflight_cuts")
                self._cut[largest] = (
                    f"body cut at {self._received[largest]} bytes: the bodies in flight "
                    f"together passed DOWNLOAD_INFLIGHT_MAXSIZE ({size_text(self.inflight)})")
                if largest is request:
                    self._stop(request, "length", self._cut.pop(request))

    def process_response(self, request: Request, response: Response) -> Response:
        self._received.pop(request, None)
        self._cut.pop(request, None)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._received.pop(request, None)
        self._cut.pop(request, None)
        return None


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """``HttpCompressionMiddleware`` with its own cap on the decoded size
    (``COMPRESSION_MAXSIZE``), independent of ``DOWNLOAD_MAXSIZE`` (which caps bytes on the
    wire), and a clear failure for bodies it cannot decode."""

    def __init__(self, stats: object = None, *, crawler: Crawler | None = None) -> None:
        super().__init__(stats, crawler=crawler)
        if crawler is not None:
            self._max_size = crawler.settings.getint("COMPRESSION_MAXSIZE")

    def process_request(self, request: Request, spider: object = None) -> None:
        # Not br, which Scrapy asks for: warcio (1.8, with the brotli Scrapy installs)
        # cannot read brotli records back, so `warcio check` fails on any WARC that holds one.
        request.headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)
        return None

    def process_response(self, request: Request, response: Response,
                         spider: object = None) -> Request | Response:
        if not response.headers.getlist("Content-Encoding") or request.method == "HEAD":
            return response
        # ExchangeLimits set download_maxsize to 0 (no cap) for the download itself.
        meta_cap = request.meta.get("decompression_maxsize")
        cap = self._max_size if meta_cap is None else meta_cap
        saved = request.meta.get("download_maxsize")
        request.meta["download_maxsize"] = cap
        refusal: IgnoreRequest | None = None
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            if not isinstance(exc.__cause__, _DecompressionMaxSizeExceeded):
                raise
            self._count("fetch/decompression_refused")
            refusal = DecompressionTooLarge(len(response.body), cap)
        except Exception as exc:
            self._count("fetch/undecodable")
            encoding = b", ".join(response.headers.getlist("Content-Encoding"))
            refusal = UndecodableBody(
                f"the body says Content-Encoding: {encoding.decode('latin-1')} but cannot be "
                f"decoded ({type(exc).__name__}: {exc}); archived as received")
        finally:
            if saved is None:
                request.meta.pop("download_maxsize", None)
            else:
                request.meta["download_maxsize"] = saved
        # Raised here, outside the handler: chained to the decoder's exception, its
        # traceback would keep the partly inflated body (up to COMPRESSION_MAXSIZE) alive
        # for as long as the failure lives.
        raise refusal

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    @staticmethod
    def _decode(body: bytes, encoding: bytes, max_size: int) -> bytes:
        if encoding in (b"gzip", b"x-gzip", b"deflate"):
            return inflate_whole(body, encoding != b"deflate", max_size)
        return HttpCompressionMiddleware._decode(body, encoding, max_size)


#: bytes of a large HTML body that MetaRefreshMiddleware looks at (it reads 4096 characters,
#: but decodes the whole body to get them)
META_REFRESH_HEAD = 64 * 1024


class BoundedMetaRefreshMiddleware(MetaRefreshMiddleware):
    """``MetaRefreshMiddleware`` that decodes only the head of a large page: Scrapy's reads
    ``response.text[:4096]``, which decodes (and keeps) the whole body as text first, four
    times the size of a 100 MB body in the worst case."""

    def process_response(self, request: Request, response: Response,
                         spider: object = None) -> Request | Response:
        if not isinstance(response, HtmlResponse) or len(response.body) <= META_REFRESH_HEAD:
            return super().process_response(request, response)
        # Built anew: Response.replace() reads .encoding, which decodes the whole body.
        head = type(response)(url=response.url, status=response.status,
                              headers=response.headers, body=response.body[:META_REFRESH_HEAD],
                              request=request, flags=list(response.flags))
        result = super().process_response(request, head)
        return response if result is head else result
