"""Crawl scope: which links found in archived pages are followed (README: "Crawl scope").

    scrapy crawl seeds -a urls=https://news.example/world/ -a scope=prefix -a depth=2

``scope`` says where a followed link may lead, relative to the seed it descends from (its
URL as seeded and, when the seed redirected, where it landed):

- ``page`` (default): nowhere; only the seeds are crawled (with their requisites);
- ``prefix``: URLs under the seed's path up to its last ``/`` (``/world/`` for
  ``/world/index.html``), on the same host;
- ``host``: the seed's host (name and port; http and https alike);
- ``domain``: the seed's registered domain and its subdomains (``163.com`` for
  ``news.163.com``; public suffixes from tldextract's bundled list, never downloaded).

``depth`` counts link hops from the seed (redirects and embeds are not hops); ``include``
and ``exclude`` are regular expressions a followed URL must match, and must not match
(``re.search``). ``CRAWL_MAX_PAGES`` caps the pages of a run, seeds included.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["SCOPES", "CrawlScope", "InvalidScope", "LinkFrontier", "ScopedRedirectMiddleware",
           "in_scope"]

logger = logging.getLogger(__name__)

SCOPES = ("page", "prefix", "host", "domain")
DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidScope(ValueError):
    """A scope option that cannot be used (unknown scope, bad depth, bad regex)."""


@dataclass(frozen=True)
class CrawlScope:
    """Which links are followed. Build it with :meth:`from_settings`."""

    mode: str = "page"
    depth: int = 5  # link hops from the seed; -1: no limit
    max_pages: int = 0  # pages per run, seeds included; 0: no limit
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    @property
    def follows_links(self) -> bool:
        return self.mode != "page" and self.depth != 0

    @classmethod
    def from_settings(cls, settings: BaseSettings, scope: str | None = None,
                      depth: str | int | None = None, include: str | None = None,
                      exclude: str | None = None) -> CrawlScope:
        """The scope of a crawl: spider arguments (``-a scope=...``) over settings
        (``CRAWL_SCOPE``, ``CRAWL_DEPTH``, ``CRAWL_MAX_PAGES``, ``CRAWL_INCLUDE``,
        ``CRAWL_EXCLUDE``).

        :raises InvalidScope: an unknown scope, a depth that is not an integer, a bad regex,
            or link options given with ``scope=page``
        """
        mode = (scope if scope is not None else settings.get("CRAWL_SCOPE") or "page")
        mode = str(mode).strip().lower()
        if mode not in SCOPES:
            raise InvalidScope(f"unknown scope {mode!r}: use one of {', '.join(SCOPES)}")
        depth_value = depth if depth is not None else settings.get("CRAWL_DEPTH", 5)
        try:
            hops = int(depth_value)
        except (TypeError, ValueError):
            raise InvalidScope(f"depth must be a whole number of link hops, not "
                               f"{depth_value!r}") from None
        if hops < -1:
            raise InvalidScope(f"depth must be 0 or more (or -1 for no limit), not {hops}")
        try:
            max_pages = int(settings.get("CRAWL_MAX_PAGES") or 0)
        except (TypeError, ValueError):
            raise InvalidScope("CRAWL_MAX_PAGES must be a whole number") from None
        includes = _patterns("include", include, settings.get("CRAWL_INCLUDE"))
        excludes = _patterns("exclude", exclude, settings.get("CRAWL_EXCLUDE"))
        given = [name for name, value in (("depth", depth), ("include", include),
                                          ("exclude", exclude)) if value not in (None, "")]
        if mode == "page" and given:
            raise InvalidScope(
                f"{' and '.join(given)} only apply to followed links, and scope=page follows "
                "none: add -a scope=prefix, host or domain")
        return cls(mode, hops, max(max_pages, 0), includes, excludes)

    def refuses(self, url: str, bases: Sequence[str], hops: int) -> str | None:
        """Why the link ``url``, ``hops`` link hops from its seed, is not followed (None
        when it is): ``out_of_scope``, ``too_deep``, ``not_included``, ``excluded``.

        :param bases: the seed's URL and where it landed after redirects
        """
        if not self.follows_links:
            return "out_of_scope"
        if self.depth >= 0 and hops > self.depth:
            return "too_deep"
        if not any(in_scope(url, base, self.mode) for base in bases):
            return "out_of_scope"
        if self.include and not any(p.search(url) for p in self.include):
            return "not_included"
        if any(p.search(url) for p in self.exclude):
            return "excluded"
        return None


def _patterns(name: str, argument: str | None, setting: Any) -> tuple[re.Pattern[str], ...]:
    if argument not in (None, ""):
        values: Iterable[Any] = [argument]
    elif isinstance(setting, list | tuple):
        values = setting
    else:
        values = [setting] if setting else []
    patterns = []
    for value in values:
        try:
            patterns.append(re.compile(str(value)))
        except re.error as exc:
            raise InvalidScope(f"{name} is not a valid regular expression ({exc}): "
                               f"{value!r}") from None
    return tuple(patterns)


def _host(url: str) -> tuple[str, str]:
    """(host name, port as written unless it is the scheme's default)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == DEFAULT_PORTS.get(parts.scheme.lower()):
        return host, ""
    return host, str(port)


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """``163.com`` for ``news.163.com``; the host itself for IP addresses and bare names."""
    extract = _extractor()
    result = extract(host)
    domain = getattr(result, "top_domain_under_public_suffix", None)
    if domain is None:
        domain = result.registered_domain
    return domain or host


@lru_cache(maxsize=1)
def _extractor() -> Any:
    import tldextract

    # The bundled public suffix list: no download (nothing the user did not ask for).
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def in_scope(url: str, base: str, mode: str) -> bool:
    """Whether ``url`` is within ``mode`` of ``base`` (a seed URL)."""
    host, port = _host(url)
    base_host, base_port = _host(base)
    if mode == "domain":
        domain = registered_domain(base_host)
        return host == domain or host.endswith("." + domain)
    if (host, port) != (base_host, base_port):
        return False
    if mode == "host":
        return True
    if mode == "prefix":
        prefix = urlsplit(base).path or "/"
        prefix = prefix[: prefix.rfind("/") + 1] or "/"
        return (urlsplit(url).path or "/").startswith(prefix)
    return False


@dataclass
class LinkFrontier:
    """The links of one crawl: scope, the pages seen so far and the page budget.

    Pages are counted when they are scheduled, seeds first; a URL is followed once (by its
    canonical form), however many pages link to it. Within one process: a frontier shared
    between processes (scrapy-redis) also deduplicates in its scheduler.
    """

    scope: CrawlScope
    seen: set[str] = field(default_factory=set)
    pages: int = 0
    budget_logged: bool = False

    def add_seed(self, url: str) -> None:
        key = canonicalize_url(url)
        if key not in self.seen:
            self.seen.add(key)
            self.pages += 1

    def saw(self, url: str) -> None:
        """A page landed at ``url`` (after redirects): links to it are not followed."""
        self.seen.add(canonicalize_url(url))

    def follow(self, links: Iterable[str], bases: Sequence[str], hops: int,
               stats: Any = None) -> list[str]:
        """The links to crawl among ``links`` of a page, ``hops`` link hops from its seed
        once followed; counted in ``stats`` (``links/<outcome>``)."""
        chosen = []
        for url in links:
            key = canonicalize_url(url)
            if key in self.seen:
                outcome = "duplicate"
            else:
                outcome = self.scope.refuses(url, bases, hops) or "followed"
            if outcome == "followed" and self.scope.max_pages and \
                    self.pages >= self.scope.max_pages:
                outcome = "over_max_pages"
                if not self.budget_logged:
                    self.budget_logged = True
                    logger.info("CRAWL_MAX_PAGES (%d) reached: no more links followed",
                                self.scope.max_pages)
            if stats is not None:
                stats.inc_value(f"links/{outcome}")
            if outcome == "followed":
                self.seen.add(key)
                self.pages += 1
                chosen.append(url)
        return chosen


class ScopedRedirectMiddleware:
    """Downloader middleware: a followed link that redirects out of the crawl scope goes no
    further (``links/redirect_out_of_scope``, and ``_excluded``, ``_not_included``), as
    ``wget -r`` does. The redirect itself is archived; seeds and page requisites follow
    their redirects wherever they lead.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopedRedirectMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        meta = request.meta
        hops = meta.get("hops", "")
        if not meta.get("redirect_urls") or "L" not in hops or "E" in hops:
            return None
        frontier = getattr(self.crawler.spider, "links", None)
        bases = meta.get("scope_bases")
        if not isinstance(frontier, LinkFrontier) or not bases:
            return None
        reason = frontier.scope.refuses(request.url, bases, hops.count("L"))
        if reason is None or reason == "too_deep":
            return None
        self.crawler.stats.inc_value(f"links/redirect_{reason}")
        meta["scope_refused"] = reason
        raise IgnoreRequest(f"{meta['redirect_urls'][-1]} redirects out of the crawl scope "
                            f"({reason}) to {request.url}")
