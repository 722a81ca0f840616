"""Incremental crawling: ask only for what changed since the last capture of a URL.

A downloader middleware looks up the URL's latest full capture (``crawler.store.state``: the
SQLite archive's ``captures``, or Redis for the workers of a shared crawl), sends
``If-None-Match`` / ``If-Modified-Since`` from it, and hands it to the WARC recorder, which
writes a revisit record for a 304 or for a 200 whose payload digest is unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from crawler.store.archive import Archive

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class ConditionalRequestMiddleware:
    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        if not crawler.settings.getbool("INCREMENTAL_ENABLED", True):
            raise NotConfigured
        return cls(Archive.of(crawler))

    def process_request(self, request: Request) -> None:
        # robots.txt is always fetched whole: a 304 would read as an empty, allow-all file.
        if request.method != "GET" or urlsplit(request.url).path == "/robots.txt":
            return None
        if request.meta.get("dont_revisit") or "prior_capture" in request.meta:
            return None
        prior = self.archive.state.last_capture(request.url)
        if prior is None:
            return None
        request.meta["prior_capture"] = prior
        if prior.get("etag") and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = prior["etag"]
        if prior.get("last_modified") and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = prior["last_modified"]
        return None
