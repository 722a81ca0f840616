"""robots.txt once per shared crawl, not once per worker.

Scrapy's ``RobotsTxtMiddleware`` fetches a host's robots.txt the first time a worker needs
it: N workers would fetch it N times. This subclass (installed in its place when
``REDIS_URL`` is set) lets one worker fetch it, by taking a short lock in Redis, and keeps
the answer in the frontier's ``robots`` hash (host -> body), where the other workers read it
and parse it the same way. The fetch is archived once, by the worker that made it. A worker
that dies holding the lock costs the others ``FRONTIER_LEASE_TIMEOUT`` at most: then one of
them fetches it. The hash is cleared with the crawl, so each crawl reads robots.txt afresh.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater

from crawler.scale.connection import FrontierKeys, redis_client, worker_id

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

#: stored for a host whose robots.txt could not be had: allow all, as Scrapy does then
_FAILED = b"\x00failed"
_POLL = 0.1


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.keys = FrontierKeys.from_settings(crawler.settings)
        self.server = redis_client(crawler.settings)
        self.worker = worker_id()
        self.lock_ms = max(1000, int(
            crawler.settings.getfloat("FRONTIER_LEASE_TIMEOUT", 60) * 1000))

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc in self._parsers:
            parser = self._parsers[netloc]
            if isinstance(parser, Deferred):
                return await maybe_deferred_to_future(parser)
            return parser
        waiting = Deferred()
        self._parsers[netloc] = waiting  # this worker's other requests wait for this one
        try:
            body = await self._shared_body(netloc)
        except RedisError as exc:
            logger.warning("robots.txt of %s not shared (Redis: %s): fetching it", netloc, exc)
            body = None
        if body is None:
            # This worker fetches it (the parent class), and shares it in _parse_robots.
            del self._parsers[netloc]
            parser = await super().robot_parser(request)
            waiting.callback(parser)
            if parser is None:
                self._share(netloc, _FAILED)
            return parser
        self.crawler.stats.inc_value("robotstxt/shared")
        parser = None
        if body != _FAILED:
            parser = build_from_crawler(self._parserimpl, self.crawler, body)
            await self.crawler.signals.send_catch_log_async(
                signal=signals.robots_parsed, robotparser=parser, request=request)
        self._parsers[netloc] = parser
        waiting.callback(parser)
        return parser

    async def _shared_body(self, netloc: str) -> bytes | None:
        """The body another worker shared; None when this worker is to fetch it."""
        lock = self.keys.prefix + "robots-lock:" + netloc
        deadline = time.monotonic() + self.lock_ms / 1000 + 5
        while True:
            body = self.server.hget(self.keys.robots, netloc)
            if body is not None:
                return body
            if self.server.set(lock, self.worker, nx=True, px=self.lock_ms):
                # Shared between our look and our lock (its fetcher let go of the lock)?
                body = self.server.hget(self.keys.robots, netloc)
                if body is not None:
                    self.server.delete(lock)
                    return body
                return None
            if time.monotonic() > deadline:
                return None
            await maybe_deferred_to_future(deferLater(_reactor(), _POLL, lambda: None))

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self._share(netloc, response.body)
        await super()._parse_robots(response, netloc, request)

    def _share(self, netloc: str, body: bytes) -> None:
        try:
            self.server.hset(self.keys.robots, netloc, body)
            self.server.delete(self.keys.prefix + "robots-lock:" + netloc)
        except RedisError as exc:
            logger.warning("Could not share the robots.txt of %s (Redis: %s)", netloc, exc)
