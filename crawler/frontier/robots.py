"""robots.txt for the entries of a feed, before they are queued.

Scrapy's ``RobotsTxtMiddleware`` refuses a request only once it reaches the downloader,
and each refusal is an error of its own: a sitemap of 50,000 URLs that robots.txt mostly
disallows would make 50,000 of them. :func:`robots_filter` asks the same middleware (its
parsers, its user agent, the robots.txt it already fetched) about every entry up front, so
that refused entries are never queued and are counted once per feed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import scrapy
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

from crawler.adapters import adapter_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.frontier.feeds import Feed

logger = logging.getLogger(__name__)

__all__ = ["robots_filter"]

#: hosts whose robots.txt is fetched up front for one feed; entries on others are left to
#: the middleware
MAX_HOSTS = 20


def _middleware(crawler: Crawler) -> RobotsTxtMiddleware | None:
    engine = getattr(crawler, "engine", None)
    manager = getattr(getattr(engine, "downloader", None), "middleware", None)
    for middleware in getattr(manager, "middlewares", ()):
        if isinstance(middleware, RobotsTxtMiddleware):
            return middleware
    return None


async def robots_filter(crawler: Crawler, feed: Feed) -> Callable[[str], bool] | None:
    """A check of each entry of ``feed`` against robots.txt, or None when robots.txt is not
    obeyed. Entries a site adapter fetches its own way (the Weibo API) are left to it.

    :param crawler: the running crawler (its robots.txt middleware is asked)
    :param feed: the parsed feed whose entries are checked
    """
    middleware = _middleware(crawler)
    if middleware is None:
        return None
    hosts: dict[str, str] = {}
    for entry in feed.entries:
        parts = urlsplit(entry.url)
        if parts.scheme in ("http", "https") and parts.netloc not in hosts:
            hosts[parts.netloc] = entry.url
            if len(hosts) >= MAX_HOSTS:
                break
    parsers = {}
    for netloc, url in hosts.items():
        try:
            parsers[netloc] = await middleware.robot_parser(scrapy.Request(url))
        except Exception as exc:  # no robots.txt verdict: the middleware decides later
            logger.info("robots.txt of %s not read for a feed's entries: %s", netloc, exc)
    agent = (crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
             or "")

    def allowed(url: str) -> bool:
        parser = parsers.get(urlsplit(url).netloc)
        if parser is None or adapter_for(url) is not None:
            return True
        return bool(parser.allowed(url, agent))

    return allowed
