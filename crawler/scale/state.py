"""Per-URL capture state in Redis, shared by the workers of a crawl (``ARCHIVE_STATE``).

One hash per frontier, ``seedcrawler:{FRONTIER_NAME}:captures``: URL -> JSON of its last
full capture (``crawler.store.state.FIELDS``). It outlives crawls (the next scheduled run
needs it); a worker that writes a newer full capture of a URL replaces it.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from crawler.scale.connection import FrontierKeys, redis_client
from crawler.store.state import FIELDS

if TYPE_CHECKING:
    from redis import Redis
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class RedisCaptureState:
    """:class:`crawler.store.state.CaptureState` in a Redis hash."""

    def __init__(self, server: Redis, key: str) -> None:
        self.server = server
        self.key = key

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisCaptureState:
        return cls(redis_client(crawler.settings),
                   FrontierKeys.from_settings(crawler.settings).captures)

    def last_capture(self, url: str) -> dict[str, Any] | None:
        try:
            value = self.server.hget(self.key, url)
        except RedisError as exc:
            # The request goes out unconditional: a full capture, nothing lost.
            logger.warning("No capture state for %s (Redis: %s)", url, exc)
            return None
        return json.loads(value) if value else None

    def remember(self, capture: dict[str, Any]) -> None:
        state = {name: capture.get(name) for name in FIELDS}
        try:
            self.server.hset(self.key, capture["url"], json.dumps(state, separators=(",", ":")))
        except RedisError as exc:
            logger.warning("Could not keep the capture state of %s (Redis: %s)",
                           capture["url"], exc)
