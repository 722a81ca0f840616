"""Retries that obey ``Retry-After`` (README: "Hostile servers and limits").

Scrapy's ``RetryMiddleware`` retries a 429 or 503 at once. :class:`RetryAfterMiddleware`
takes its place (550) and, when such an answer carries ``Retry-After`` (seconds or an HTTP
date, RFC 9110 section 10.2.3):

- pauses the host's download slot for that long, so nothing more is sent to it meanwhile
  while the other hosts go on (the retry, and the host's other requests, wait in the slot);
- retries through Scrapy's own machinery (``get_retry_request``: ``RETRY_TIMES``,
  ``max_retry_times``, ``dont_retry`` and the ``retry/*`` stats all apply);
- waits at most ``RETRY_AFTER_MAX`` seconds: a longer ``Retry-After`` is not retried (the
  answer goes to the errback, which records it with the wait asked for), and the host is
  paused for ``RETRY_AFTER_MAX`` only.

Without the header (or with one that is not a number or a date) the retry is Scrapy's.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

__all__ = ["RetryAfterMiddleware", "parse_retry_after"]

#: statuses whose Retry-After is obeyed
RETRY_AFTER_STATUSES = frozenset({429, 503})
#: request.meta keys set for the errback: the wait asked for, and the one obeyed
ASKED = "retry_after"
WAITED = "retry_after_waited"


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: a number of seconds, or an HTTP date
    (a date in the past means 0); None when the value is neither.

    :param now: the current time (tests), default now in UTC
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """``RetryMiddleware`` that waits as a 429 or 503 says, pausing only that host."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX", 60.0)
        self._paused: dict[str, float] = {}  # slot key -> monotonic() it resumes at

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        if (request.meta.get("dont_retry") or response.status not in RETRY_AFTER_STATUSES
                or response.status not in self.retry_http_codes):
            return super().process_response(request, response)
        header = response.headers.get(b"Retry-After")
        wait = parse_retry_after(header)
        if wait is None:
            if header is not None:
                request.meta[ASKED] = header.decode("latin-1")
                self.crawler.stats.inc_value("fetch/retry_after_unreadable")
            return super().process_response(request, response)
        request.meta[ASKED] = wait
        stats = self.crawler.stats
        if wait > self.max_wait:
            stats.inc_value("fetch/retry_after_too_long")
            logger.warning("%s answered %d with Retry-After %s s, over RETRY_AFTER_MAX "
                           "(%g s): not retried", request.url, response.status,
                           f"{wait:g}", self.max_wait)
            self.pause(request, self.max_wait)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            self.pause(request, wait)
            return response
        retry.meta[WAITED] = retry.meta.get(WAITED, 0) + wait
        stats.inc_value("fetch/retry_after_waits")
        stats.inc_value("fetch/retry_after_seconds", round(wait))
        logger.info("%s answered %d: retrying in %s s, as its Retry-After says (other hosts "
                    "go on meanwhile)", request.url, response.status, f"{wait:g}")
        self.pause(request, wait)
        return retry

    def pause(self, request: Request, seconds: float) -> None:
        """Send nothing to the request's host (its download slot) for ``seconds``."""
        if seconds <= 0:
            return
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        key = request.meta.get("download_slot")
        slot = getattr(downloader, "slots", {}).get(key) if key is not None else None
        process = getattr(downloader, "_process_queue", None)
        if slot is None or process is None or not hasattr(slot, "latercall"):
            return  # another downloader: the retry itself is still delayed by Scrapy's queue
        until = monotonic() + seconds
        if self._paused.get(key, 0) >= until:
            return
        self._paused[key] = until
        from scrapy.utils.asyncio import call_later

        if slot.latercall is not None:
            slot.latercall.cancel()

        def resume() -> None:
            slot.latercall = None
            if self._paused.get(key, 0) <= monotonic() + 0.001:
                self._paused.pop(key, None)
            process(slot)

        # The downloader sends nothing from a slot while it has a pending latercall.
        slot.latercall = call_later(seconds, resume)
