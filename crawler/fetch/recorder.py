"""Downloader middleware that archives every network exchange as WARC.

It sits at priority 950, next to the downloader: it sees each redirect hop and each retry
as received, before HttpCompressionMiddleware (590) decodes the body, and the request with
every header the other middlewares added.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from crawler.store.archive import Archive

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class WarcRecorderMiddleware:
    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured
        return cls(Archive.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags or "replayed" in response.flags:
            return response
        if "playwright" in response.flags:
            return response  # a rendered page: crawler.fetch.browser_recorder archives it
        try:
            capture_id, fetched_at = self.archive.record_exchange(request, response)
            request.meta["capture_id"] = capture_id
            request.meta["fetched_at"] = fetched_at
        except Exception as exc:
            # An exchange that cannot be archived is an error worth a person's attention,
            # but the crawl goes on.
            logger.error("Could not archive %s: %s", response.url, exc, exc_info=True)
            self.archive.record_error(response.url, "archive", type(exc).__name__, str(exc))
        return response
