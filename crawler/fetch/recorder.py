"""Downloader middleware that archives every network exchange as WARC.

It sits at priority 950, next to the downloader: it sees each redirect hop and each retry
as received, before HttpCompressionMiddleware (590) decodes the body, and the request with
every header the other middlewares added.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.http.request import NO_CALLBACK
from twisted.python.failure import Failure

from crawler.fetch.failures import describe_failure
from crawler.fetch.limits import truncation
from crawler.store.archive import Archive

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class WarcRecorderMiddleware:
    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._robots_failed: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured
        return cls(Archive.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags or "replayed" in response.flags:
            return response
        truncated = truncation(request, response)
        try:
            capture_id, fetched_at = self.archive.record_exchange(request, response, truncated)
            request.meta["capture_id"] = capture_id
            request.meta["fetched_at"] = fetched_at
            if truncated:
                self._record_truncation(request, response, truncated)
        except Exception as exc:
            # An exchange that cannot be archived is an error worth a person's attention,
            # but the crawl goes on.
            logger.error("Could not archive %s: %s", response.url, exc, exc_info=True)
            self.archive.record_error(response.url, "archive", type(exc).__name__, str(exc))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """robots.txt that could not be fetched: Scrapy then allows everything, silently; the
        failure is recorded here (other requests reach their errback, which records them)."""
        if request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt") \
                and request.callback is NO_CALLBACK and request.url not in self._robots_failed:
            self._robots_failed.add(request.url)  # once, however often it is retried
            error, detail = describe_failure(Failure(exception), request,
                                             self.archive.settings)
            self.archive.record_error(request.url, "fetch", error,
                                      f"{detail}; robots.txt read as allowing everything")
        return None

    def _record_truncation(self, request: Request, response: Response, reason: str) -> None:
        """A partial exchange is archived (``WARC-Truncated``) and recorded in ``errors``."""
        stats = self.archive.crawler.stats
        stats.inc_value("archive/truncated")
        stats.inc_value(f"archive/truncated/{reason}")
        detail = request.meta.get("truncated_detail") or {
            "length": "the body was cut at the size cap",
            "time": "the transfer took longer than DOWNLOAD_TIMEOUT",
            "disconnect": "the connection closed or was reset before the body was complete",
        }.get(reason, reason)
        announced = response.headers.get(b"Content-Length")
        if reason == "disconnect" and announced:
            detail = (f"the connection closed after {len(response.body)} of the "
                      f"{announced.decode('latin-1')} bytes announced")
        detail = f"HTTP {response.status}; {detail}; archived with WARC-Truncated: {reason}"
        if request.meta.get("requisite"):
            # A page requisite's failure is its own, never its page's or seed's.
            url, stage = response.url, "requisite"
        else:
            url, stage = request.meta.get("seed_url", response.url), "fetch"
            if response.url != url:
                detail = f"{detail} (at {response.url})"
        logger.warning("Archived a partial response from %s (WARC-Truncated: %s): %s",
                       response.url, reason, detail)
        self.archive.record_error(url, stage, f"truncated: {reason}", detail)
