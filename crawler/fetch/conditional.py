"""Incremental crawling: ask only for what changed since the last capture of a URL.

A downloader middleware looks up the URL's latest full capture (``crawler.store.state``: the
SQLite archive's ``captures``, or Redis for the workers of a shared crawl), sends
``If-None-Match`` / ``If-Modified-Since`` from it, and hands it to the WARC recorder, which
writes a revisit record for a 304 or for a 200 whose payload digest is unchanged. A request
with the meta key ``dont_send_validators`` (page requisites) is sent without the validators:
its answer is a 200, archived as an identical-payload revisit when unchanged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from crawler.store.archive import Archive
from crawler.warc.capture import decoded_body
from crawler.warc.reader import record_at
from crawler.warc.writer import OPEN_SUFFIX

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


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
        if request.meta.get("dont_send_validators"):
            # Fetched whole; an unchanged payload is still a revisit (identical digest).
            return None
        if prior.get("etag") and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = prior["etag"]
        if prior.get("last_modified") and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = prior["last_modified"]
        return None


def prior_payload(archive: Archive, prior: dict[str, Any] | None) -> bytes | None:
    """The body of the capture a ``304 Not Modified`` stands for (``prior_capture``), read
    back from its WARC record and decoded as the spider sees bodies, so that what a page
    embeds and links to is found again on a later run; None when it cannot be read.
    """
    if not prior:
        return None
    if prior.get("warc_file") and prior.get("warc_offset") is not None:
        # The state of a shared crawl says where the record is: another worker's file.
        row = (prior["warc_file"], prior["warc_offset"])
    elif prior.get("id") is not None:
        row = archive.db.db.execute("select warc_file, warc_offset from captures where id = ?",
                                    [prior["id"]]).fetchone()
    else:
        return None
    if row is None or row[0] is None:
        return None
    for name in (row[0], row[0] + OPEN_SUFFIX):
        path = archive.paths.warc_dir / name
        if path.is_file():
            try:
                return decoded_body(record_at(path, row[1]))
            except Exception as exc:  # a damaged record: the page is archived regardless
                logger.warning("Could not read back %s at %s: %s", path, row[1], exc)
                return None
    return None
