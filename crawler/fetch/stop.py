"""Ctrl-C stops fetching at once (README "Stopping a run").

When a run stops before the end (Ctrl-C or SIGTERM, reason ``shutdown``; a CLOSESPIDER_*
limit), Scrapy stops taking requests from the scheduler but still sends every request already
handed to the downloader: up to ``CONCURRENT_REQUESTS`` of them, each waiting out
``DOWNLOAD_DELAY`` for its site, so a stopped crawl went on fetching for many seconds.
This extension drops those waiting requests as the spider starts closing (their errbacks get
:class:`~crawler.fetch.failures.CrawlStopped`; their seeds count as not tried); requests
already on the wire finish and are archived as usual, then the archive closes cleanly.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from twisted.python.failure import Failure

from crawler.fetch.failures import CrawlStopped

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StopAtOnce:
    """Drop the requests queued in the downloader when the spider closes early."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopAtOnce:
        return cls(crawler)

    def engine_started(self) -> None:
        engine = self.crawler.engine
        close = getattr(engine, "close_spider_async", None)
        if engine is None or close is None:  # pragma: no cover - another Scrapy
            return

        # Scrapy has no signal for "the spider starts closing": stop_async() and the
        # CLOSESPIDER extension both go through this method, so it is wrapped.
        async def close_spider_async(*args: Any, reason: str = "cancelled", **kw: Any) -> None:
            if reason != "finished":
                self.drop_queued(reason)
            await close(*args, reason=reason, **kw)

        engine.close_spider_async = close_spider_async  # type: ignore[method-assign]

    def drop_queued(self, reason: str) -> int:
        """Fail every request waiting in a downloader slot with :class:`CrawlStopped`.

        :return: how many were dropped
        """
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        slots = getattr(downloader, "slots", {}) or {}
        dropped = in_flight = 0
        for slot in list(slots.values()):
            latercall = getattr(slot, "latercall", None)
            if latercall is not None:
                latercall.cancel()
                slot.latercall = None
            in_flight += len(getattr(slot, "transferring", ()))
            while slot.queue:
                request, deferred = slot.queue.popleft()
                deferred.errback(Failure(CrawlStopped(
                    f"not sent: the run is stopping ({reason})")))
                dropped += 1
        self.crawler.stats.set_value("stop/dropped_requests", dropped)
        if dropped or in_flight:
            logger.info("Stopping (%s): %d queued request(s) dropped, %d in flight finishing",
                        reason, dropped, in_flight)
        return dropped
