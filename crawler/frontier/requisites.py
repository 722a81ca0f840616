"""Page requisites: the resources an archived page embeds, fetched and archived as exchanges
of their own (README: "What is captured").

Every HTML page the spider archives (a seed, a feed entry, a followed link) hands its
requisites (:func:`crawler.frontier.links.discover`) to :class:`Requisites`, which makes
the requests: each resource once per crawl however many pages embed it, at most
``PAGE_REQUISITES_MAX_PER_PAGE`` per page (or stylesheet), at most
``PAGE_REQUISITES_MAX_SIZE`` bytes each, from any host (news sites keep their images on
CDNs), robots.txt obeyed as for every request. A stylesheet's own ``url(...)`` and
``@import`` are requisites too, down to ``MAX_EMBED_HOPS``.

Their metadata records say ``hopsFromSeed`` with an ``E`` per embed and ``via`` the page,
as Heritrix writes them. Requisites are archived, never extracted. On a later run they are
asked for whole (no ``If-None-Match``): an unchanged one is archived as a revisit record
with the identical-payload-digest profile, which every replay tool resolves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.exceptions import NotConfigured
from w3lib.url import canonicalize_url

from crawler.frontier.links import Requisite

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["MAX_EMBED_HOPS", "REQUISITE_PRIORITY", "Requisites", "crawl_path"]

logger = logging.getLogger(__name__)

#: embeds of embeds followed (page -> stylesheet -> @import -> font: EEE)
MAX_EMBED_HOPS = 5
#: requisites go before other pages: a page and what it embeds are captured together
REQUISITE_PRIORITY = 10

_STYLESHEET_TYPES = ("text/css",)


def crawl_path(meta: dict[str, Any]) -> str:
    """The hops from the seed to a response, given its request's meta (Heritrix's
    ``hopsFromSeed``): the request's own (``L`` per link, ``E`` per embed) and an ``R`` per
    redirect it went through."""
    return meta.get("hops", "") + "R" * len(meta.get("redirect_urls") or ())


@dataclass
class Requisites:
    """The page requisites of one crawl (``PAGE_REQUISITES``)."""

    max_size: int = 0
    max_per_page: int = 0
    exclude: tuple[re.Pattern[str], ...] = ()
    seen: set[str] = field(default_factory=set)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Requisites:
        """:raises NotConfigured: ``PAGE_REQUISITES`` is off"""
        settings = crawler.settings
        if not settings.getbool("PAGE_REQUISITES", True):
            raise NotConfigured("PAGE_REQUISITES is off")
        exclude = settings.get("PAGE_REQUISITES_EXCLUDE")
        patterns = exclude if isinstance(exclude, list | tuple) else [exclude] if exclude else []
        return cls(
            max_size=settings.getint("PAGE_REQUISITES_MAX_SIZE", 0),
            max_per_page=settings.getint("PAGE_REQUISITES_MAX_PER_PAGE", 0),
            exclude=tuple(re.compile(str(p)) for p in patterns),
        )

    def requests(
        self,
        page_url: str,
        meta: dict[str, Any],
        found: Iterable[Requisite],
        callback: Callable[..., Any],
        errback: Callable[..., Any],
        stats: Any = None,
    ) -> list[scrapy.Request]:
        """The requests for the requisites of a page (or stylesheet).

        :param page_url: the URL of the page, after redirects
        :param meta: the meta of the request that fetched the page
        :param callback: the spider method that receives a requisite's response
        :param errback: the spider method that receives a requisite's failure
        """
        path = crawl_path(meta)
        if path.count("E") >= MAX_EMBED_HOPS:
            return []
        found = list(found)
        if self.max_per_page and len(found) > self.max_per_page:
            if stats is not None:
                stats.inc_value("requisites/over_max_per_page", len(found) - self.max_per_page)
            logger.info("%s embeds %d resources: fetching the first %d "
                        "(PAGE_REQUISITES_MAX_PER_PAGE)", page_url, len(found),
                        self.max_per_page)
            found = found[: self.max_per_page]
        seed = meta.get("seed_url", page_url)
        requests = []
        for requisite in found:
            key = canonicalize_url(requisite.url)
            if key in self.seen:
                if stats is not None:
                    stats.inc_value("requisites/duplicate")
                continue
            self.seen.add(key)
            if any(p.search(requisite.url) for p in self.exclude):
                if stats is not None:
                    stats.inc_value("requisites/excluded")
                continue
            request_meta: dict[str, Any] = {
                "seed_url": seed,
                "hops": path + "E",
                "via": page_url,
                "requisite": True,
                "stylesheet": requisite.stylesheet,
                # Asked for whole, not "if modified": replay tools (pywb, replayweb.page)
                # serve a 304 revisit as an empty 304, and an image or a stylesheet then
                # fails to load. Unchanged, it is archived as an identical-payload revisit.
                "dont_send_validators": True,
            }
            if meta.get("source_seed"):
                request_meta["source_seed"] = meta["source_seed"]
            if self.max_size:
                request_meta["download_maxsize"] = self.max_size
            requests.append(scrapy.Request(
                requisite.url, callback=callback, errback=errback, meta=request_meta,
                priority=REQUISITE_PRIORITY, headers={"Referer": page_url},
            ))
        if stats is not None and requests:
            stats.inc_value("requisites/requested", len(requests))
        return requests


def is_stylesheet(response: Response) -> bool:
    """Whether a requisite's response is a stylesheet whose own requisites are wanted: asked
    for as one (``<link rel=stylesheet>``, ``@import``) or served as ``text/css``."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    return bool(response.meta.get("stylesheet")) or content_type.startswith(_STYLESHEET_TYPES)


def charset_of(response: Response) -> str | None:
    """The charset of a ``Content-Type`` header, if it names one."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None
