"""What a page leads to, for the ``seeds`` spider: the requests for what it embeds (page
requisites, :mod:`crawler.frontier.requisites`) and for the links the crawl scope follows
(:mod:`crawler.frontier.scope`), and the callbacks of requisites."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from w3lib.url import canonicalize_url

from crawler.fetch.failures import CrawlStopped, describe_failure
from crawler.frontier.links import Found, stylesheet_urls
from crawler.frontier.requisites import charset_of, crawl_path, is_stylesheet

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

# the spider's logger: these lines are the spider's, as they were before the split
logger = logging.getLogger("crawler.spiders.seeds")

__all__ = ["FollowsPages"]


class FollowsPages:
    """Mixed into :class:`crawler.spiders.seeds.SeedsSpider` (its ``requisites``, ``links``,
    ``render``, ``pool``, ``archive``, ``seed_request``)."""

    requisites: Any
    links: Any
    render: Any
    pool: Any
    archive: Any
    crawler: Any
    settings: Any
    seed_request: Any

    def requisite_requests(self, url: str, meta: dict[str, Any], found: Found | None
                           ) -> list[scrapy.Request]:
        """Requests for what the page at ``url`` embeds (none with PAGE_REQUISITES off);
        ``meta`` is the page request's."""
        if self.requisites is None or found is None:
            return []
        # What the browser fetched for a rendered page is archived already.
        self.requisites.seen.update(map(canonicalize_url, meta.get("render_fetched") or ()))
        return self.requisites.requests(url, meta, found.requisites, self.parse_requisite,
                                        self.requisite_error, self.crawler.stats)

    def link_requests(self, url: str, meta: dict[str, Any], found: Found | None
                      ) -> list[scrapy.Request]:
        """Requests for the links of the page at ``url`` that the crawl scope follows."""
        self.links.saw(url)
        if found is None or not self.links.scope.follows_links:
            return []
        if found.nofollow and self.settings.getbool("ROBOTSTXT_OBEY"):
            self.crawler.stats.inc_value("links/page_nofollow")
            return []
        seed = meta.get("source_seed") or meta.get("seed_url", url)
        # The seed as seeded and where it landed: a seed that redirects to www. or https
        # keeps its links in scope.
        bases = meta.get("scope_bases") or list(dict.fromkeys([seed, url]))
        path = crawl_path(meta)
        requests = []
        for link in self.links.follow(found.links, bases, path.count("L") + 1,
                                      self.crawler.stats):
            request = self.seed_request(link, source_seed=seed, hops=path + "L",
                                        via=url, scope_bases=bases,
                                        **self.render.inherited(meta))
            # Links are deduplicated by the scheduler too (one frontier for many workers).
            requests.append(request.replace(dont_filter=False))
        return requests

    async def parse_requisite(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """A page requisite, archived (by the WARC recorder) and not extracted; the
        resources a stylesheet loads are requisites too."""
        self.crawler.stats.inc_value("requisites/fetched")
        if self.requisites is not None and is_stylesheet(response) and response.body:
            found = await self.pool.run(stylesheet_urls, response.body, response.url,
                                        charset_of(response))
            for request in self.requisites.requests(response.url, response.meta, found,
                                                    self.parse_requisite, self.requisite_error,
                                                    self.crawler.stats):
                yield request

    def requisite_error(self, failure: Failure) -> None:
        """A requisite that failed: counted and recorded (stage ``requisite``), never as a
        failed page or seed."""
        request = failure.request  # type: ignore[attr-defined]
        stats = self.crawler.stats
        if failure.check(HttpError) and failure.value.response.status == 304:
            # Requisites are asked for whole; a 304 anyway is archived as a revisit.
            stats.inc_value("requisites/not_modified")
            return
        if failure.check(IgnoreRequest) and request.meta.get("replay_missing"):
            return
        if failure.check(CrawlStopped):
            return  # the run is stopping
        error, detail = describe_failure(failure, request, self.settings)
        stats.inc_value("requisites/failed")
        logger.info("Could not fetch %s (embedded in %s): %s %s", request.url,
                    request.meta.get("via"), error, detail)
        self.archive.record_error(request.url, "requisite", error, detail)
