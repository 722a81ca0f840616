"""Scrapy's HTTP/1.1 download handler, changed where an archive needs what was received.

- A download that passes ``DOWNLOAD_TIMEOUT`` after its headers came keeps its partial
  body: the response goes on flagged ``timeout`` (archived ``WARC-Truncated: time``) instead
  of becoming a bare ``DownloadTimeoutError``. Before the headers, it is a timeout as usual.
- A header line longer than Twisted accepts (16 KB) fails with :class:`HeaderTooLong`,
  not with a "connection was closed cleanly" that sends people looking at the network.

Both lean on ``scrapy.core.downloader.handlers.http11`` internals (Scrapy 2.19, pinned below
3): where they are missing, the handler behaves exactly as Scrapy's, and
``tests/fetch/test_handler.py`` says so.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers import http11
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.web._newclient import ResponseFailed

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

__all__ = ["ArchivingDownloadHandler", "HeaderTooLong"]

#: Twisted's limit on one line of the status line or headers
MAX_HEADER_LINE = 16384


class HeaderTooLong(Exception):
    """The server sent a status or header line longer than the client accepts.

    :param length: bytes of the line received so far
    :param limit: the longest line accepted
    """

    def __init__(self, length: int, limit: int = MAX_HEADER_LINE) -> None:
        super().__init__(f"a response header line of {length}+ bytes is over the "
                         f"{limit}-byte limit: the server (or a proxy) sends oversized "
                         "headers, often a runaway cookie or redirect URL")
        self.length = length
        self.limit = limit

    def __reduce__(self):
        return (type(self), (self.length, self.limit))


_INTERNALS = all(hasattr(http11, name) for name in (
    "_ScrapyAgent", "_LenientHTTPClientParser", "_LenientHTTP11ClientProtocol",
    "_LenientHTTP11ClientFactory", "wrap_twisted_exceptions"))

if _INTERNALS:

    class _Parser(http11._LenientHTTPClientParser):
        def lineLengthExceeded(self, line: bytes) -> None:
            # Raised inside the protocol's dataReceived: Twisted gives up on the response
            # with this as the reason.
            raise HeaderTooLong(len(line), self.MAX_LENGTH)

    class _Protocol(http11._LenientHTTP11ClientProtocol):
        def request(self, request: Any) -> Any:
            d = super().request(request)
            if self._parser is not None and type(self._parser) is \
                    http11._LenientHTTPClientParser:
                self._parser.__class__ = _Parser
            return d

    class _Factory(http11._LenientHTTP11ClientFactory):
        def buildProtocol(self, addr: Any) -> Any:
            return _Protocol(self._quiescentCallback)

    class _Agent(http11._ScrapyAgent):
        _reader: Any = None

        def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
            deliver = txresponse.deliverBody

            def keep_reader(protocol: Any) -> None:
                self._reader = protocol
                deliver(protocol)

            txresponse.deliverBody = keep_reader
            return super()._cb_bodyready(txresponse, request)

        def _cb_timeout(self, result: Any, request: Request, url: str,
                        timeout: float) -> Any:
            reader, txresponse = self._reader, self._txresponse
            if self._timeout_cl.active() or reader is None or txresponse is None:
                return super()._cb_timeout(result, request, url, timeout)
            try:
                body = reader._bodybuf.getvalue()
                kept = {"txresponse": txresponse, "body": body, "flags": ["timeout"],
                        "certificate": reader._certificate, "ip_address": reader._ip_address}
            except AttributeError:  # Scrapy changed its reader: behave as Scrapy does
                return super()._cb_timeout(result, request, url, timeout)
            txresponse._transport.stopProducing()
            request.meta["truncated_detail"] = (
                f"the transfer took longer than DOWNLOAD_TIMEOUT ({timeout:g} s); "
                f"{len(body)} bytes of the body kept")
            return self._cb_bodydone(kept, url)


def _header_too_long(exc: BaseException) -> HeaderTooLong | None:
    for reason in getattr(exc, "reasons", None) or ():
        if isinstance(getattr(reason, "value", None), HeaderTooLong):
            return reason.value
    return None


class ArchivingDownloadHandler(HTTP11DownloadHandler):
    """``HTTP11DownloadHandler`` keeping partial bodies on timeouts and naming oversized
    header lines (set for ``http`` and ``https`` by the add-on)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        if _INTERNALS:
            self._pool._factory = _Factory

    async def download_request(self, request: Request) -> Response:
        if not _INTERNALS:  # pragma: no cover - a Scrapy without these internals
            return await super().download_request(request)
        agent = _Agent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with http11.wrap_twisted_exceptions():
                try:
                    return await maybe_deferred_to_future(agent.download_request(request))
                except ResponseFailed as exc:
                    too_long = _header_too_long(exc)
                    if too_long is not None:
                        raise too_long from None
                    raise
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning("Got data loss in %s: set DOWNLOAD_FAIL_ON_DATALOSS = False "
                               "to archive such bodies", request.url)
                self._fail_on_dataloss_warned = True
            raise
