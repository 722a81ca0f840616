"""Retry-After (crawler.fetch.retry_after): parsed as RFC 9110 says, obeyed up to
RETRY_AFTER_MAX through Scrapy's retry machinery, and the host's slot paused meanwhile."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.fetch.retry_after import ASKED, WAITED, RetryAfterMiddleware, parse_retry_after

NOW = datetime(2025, 5, 6, 12, 0, tzinfo=UTC)


def test_parse_retry_after():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(b" 0 ") == 0
    later = format_datetime(NOW + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now=NOW) == 30
    earlier = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(earlier, now=NOW) == 0
    for bad in (None, "", "soon", "-5", "1.5", "Mon, 99 Foo 2025"):
        assert parse_retry_after(bad, now=NOW) is None


class FakeSlot:
    latercall = None


def middleware(**settings):
    crawler = get_crawler(settings_dict={"RETRY_TIMES": 2, **settings})
    mw = RetryAfterMiddleware.from_crawler(crawler)
    slot = FakeSlot()
    processed = []
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(
        slots={"a.example": slot}, _process_queue=processed.append))
    crawler.spider = SimpleNamespace(crawler=crawler)
    return mw, slot, crawler


def answer(status: int, retry_after: str | None) -> tuple[Request, Response]:
    request = Request("http://a.example/page", meta={"download_slot": "a.example"})
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return request, Response(request.url, status=status, headers=headers, request=request)


def in_a_loop(test):
    """Run a test inside an asyncio loop: pausing a slot schedules a call on it."""
    def run():
        async def body():
            test()
        asyncio.run(body())
    run.__name__ = test.__name__
    return run


@in_a_loop
def test_a_429_is_retried_after_the_wait_and_the_host_pauses():
    mw, slot, crawler = middleware()
    request, response = answer(429, "3")
    retry = mw.process_response(request, response)
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert retry.meta[WAITED] == 3
    assert slot.latercall is not None  # the slot sends nothing until it fires
    slot.latercall.cancel()
    stats = crawler.stats.get_stats()
    assert stats["fetch/retry_after_waits"] == 1 and stats["retry/count"] == 1


@in_a_loop
def test_a_wait_over_the_maximum_is_not_retried():
    mw, slot, _ = middleware(RETRY_AFTER_MAX=60)
    request, response = answer(503, "86400")
    assert mw.process_response(request, response) is response
    assert request.meta[ASKED] == 86400
    assert slot.latercall is not None  # the host still gets RETRY_AFTER_MAX of rest
    slot.latercall.cancel()


def test_without_a_readable_header_the_retry_is_scrapys():
    mw, slot, _ = middleware()
    request, response = answer(503, "soon")
    retry = mw.process_response(request, response)
    assert isinstance(retry, Request) and WAITED not in retry.meta
    assert request.meta[ASKED] == "soon"
    assert slot.latercall is None


@in_a_loop
def test_retries_run_out_as_scrapys_do():
    mw, slot, _ = middleware(RETRY_TIMES=0)
    request, response = answer(429, "2")
    assert mw.process_response(request, response) is response
    slot.latercall.cancel()


def test_other_statuses_are_left_to_scrapy():
    mw, slot, _ = middleware()
    request, response = answer(500, "5")
    retry = mw.process_response(request, response)
    assert isinstance(retry, Request) and slot.latercall is None
