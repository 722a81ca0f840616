"""Politeness across workers: one host's delay holds for the whole crawl, not per worker.

A download handler wrapping the configured HTTP(S) handler: just before a request goes out
(after the worker's own slot delay and concurrency), it reserves the host's next free slot
in Redis, ``FRONTIER_HOST_DELAY`` seconds (default ``DOWNLOAD_DELAY``; a host's
``DOWNLOAD_SLOTS`` delay if it has one) after the slot reserved before it, by any worker,
and waits for it. The reservation is one Lua script on the Redis clock, so N workers on any
number of machines send one host at most one request per delay between them. Each worker
still keeps its own ``DOWNLOAD_DELAY``, AutoThrottle and ``CONCURRENT_REQUESTS_PER_DOMAIN``
on top.

The wait is taken before the wrapped handler starts, so ``download_latency`` and
``DOWNLOAD_TIMEOUT`` count from when the request really leaves.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from redis.exceptions import RedisError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater

from crawler.scale import INNER_HANDLERS, host_delay
from crawler.scale.connection import FrontierKeys, redis_client
from crawler.scale.leases import _NOW

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

#: a slot missed by more than this share of the delay is given up for a new one
LATE_TOLERANCE = 0.2
MAX_RESERVATIONS = 5


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor

# KEYS: host key   ARGV: delay_ms  ->  ms to wait before sending
_RESERVE = _NOW + """
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, free)
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], at + delay, 'PX', at + delay - now + 1000)
return at - now
"""


class SharedHostDelayHandler:
    """Download handler for http/https: a crawl-wide per-host slot, then the real handler."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.keys = FrontierKeys.from_settings(settings)
        self.delay = host_delay(settings)
        self.slot_delays = {host: float(slot["delay"]) for host, slot in
                            settings.getdict("DOWNLOAD_SLOTS").items() if "delay" in slot}
        self.server = redis_client(settings)
        self._reserve = self.server.register_script(_RESERVE)
        self.inner = {scheme: build_from_crawler(load_object(path), crawler)
                      for scheme, path in settings.getdict(INNER_HANDLERS).items()}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostDelayHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        host = urlsplit(request.url).hostname or ""
        delay = self.slot_delays.get(host, self.delay)
        if delay > 0:
            await self._take_slot(host, delay)
        handler = self.inner[urlsplit(request.url).scheme]
        result: Any = handler.download_request(request)
        if isinstance(result, Deferred):
            return await maybe_deferred_to_future(result)
        return await result

    async def _take_slot(self, host: str, delay: float) -> None:
        """Wait for this host's next crawl-wide slot. A worker that wakes up late (its
        reactor was busy) takes a new slot rather than send right behind another worker."""
        for _ in range(MAX_RESERVATIONS):
            try:
                wait = int(self._reserve(keys=[self.keys.host(host)],
                                         args=[int(delay * 1000)])) / 1000
            except RedisError as exc:
                # Without Redis, this worker's own delay still applies.
                logger.warning("No shared slot for %s (Redis: %s)", host, exc)
                return
            if wait <= 0:
                return
            self.crawler.stats.inc_value("frontier/host_waits")
            due = time.monotonic() + wait
            await maybe_deferred_to_future(deferLater(_reactor(), wait, lambda: None))
            if time.monotonic() - due <= delay * LATE_TOLERANCE:
                return
            self.crawler.stats.inc_value("frontier/host_late")

    async def close(self) -> None:
        for handler in self.inner.values():
            closing = getattr(handler, "close", None)
            if closing is None:
                continue
            result = closing()
            if isinstance(result, Deferred):
                await maybe_deferred_to_future(result)
            elif result is not None:
                await result
