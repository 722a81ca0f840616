"""The ``seeds`` spider: fetch every seed URL, archive it, extract its article.

    scrapy crawl seeds [-a seeds=PATH] [-a urls=URL[,URL...]] [-s ARCHIVE_DIR=DIR]
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.adapters import canonical_url
from crawler.archive import Archive
from crawler.extract import extract, is_html
from crawler.seeds import SeedList, load_seeds
from crawler.warc.records import reason_phrase
from crawler.workers import WorkerPool

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class SeedsSpider(scrapy.Spider):
    name = "seeds"

    def __init__(self, seeds: str | None = None, urls: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.seeds_arg = seeds
        self.urls_arg = urls
        self.seed_list = SeedList()
        self.seed_source = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SeedsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.seeds_arg
        if not path and not spider.urls_arg:
            path = crawler.settings.get("SEEDS_FILE")
        spider.seed_list = load_seeds(path, spider.urls_arg)
        spider.seed_source = " + ".join(
            part for part in (path, "urls" if spider.urls_arg else None) if part
        )
        workers = crawler.settings.get("EXTRACT_WORKERS")
        spider.pool = WorkerPool(
            None if workers in (None, "") else int(workers), preload=("crawler.extract",)
        )
        crawler.signals.connect(spider.pool_close, signal=signals.spider_closed)
        return spider

    def pool_close(self) -> None:
        self.pool.close()

    @property
    def archive(self) -> Archive:
        return Archive.of(self.crawler)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        stats = self.crawler.stats
        stats.set_value("seeds/count", len(self.seed_list.seeds))
        stats.set_value("seeds/invalid", len(self.seed_list.errors))
        stats.set_value("seeds/duplicates", self.seed_list.duplicates)
        for error in self.seed_list.errors:
            logger.warning("Skipping seed %s", error)
            self.archive.record_error(error.text, "seed", error.reason, error.source)
        if not self.seed_list.seeds:
            logger.error("No seeds to crawl (source: %s)", self.seed_source or "none")
        for seed in self.seed_list.seeds:
            # Seeds are deduplicated already; dont_filter lets a seed that redirects to
            # another seed still produce its own article.
            yield scrapy.Request(
                seed.url,
                callback=self.parse,
                errback=self.on_error,
                dont_filter=True,
                meta={"seed_url": seed.url},
            )

    async def parse(self, response: Response) -> AsyncIterator[dict[str, Any]]:
        stats = self.crawler.stats
        content_type = response.headers.get(b"Content-Type")
        content_type_str = content_type.decode("latin-1") if content_type else None
        if not is_html(content_type_str, response.body):
            stats.inc_value("articles/not_html")
            logger.info("Archived %s (%s), not extracted: not HTML", response.url,
                        content_type_str or "no content type")
            return
        try:
            article = await self.pool.run(extract, response.body, response.url, content_type_str)
        except Exception as exc:
            logger.error("Extraction failed for %s: %s", response.url, exc)
            self.archive.record_error(response.url, "extract", type(exc).__name__, str(exc))
            return
        if article is None:
            stats.inc_value("articles/none")
            logger.info("No article found in %s", response.url)
            return
        seed_url = response.meta.get("seed_url", response.url)
        yield {
            **article,
            "url": canonical_url(seed_url),
            "final_url": response.url,
            "capture_id": response.meta.get("capture_id"),
            "fetched_at": response.meta.get("fetched_at"),
        }

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            response = failure.value.response
            error = f"HTTP {response.status}"
            detail = reason_phrase(response.status)
        else:
            error = type(failure.value).__name__
            detail = str(failure.value)
        logger.warning("Could not fetch %s: %s %s", request.url, error, detail)
        self.archive.record_error(request.url, "fetch", error, detail)
