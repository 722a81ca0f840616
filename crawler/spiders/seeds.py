"""The ``seeds`` spider: fetch every seed URL, archive it and what it embeds, extract its
article, and follow its links within the crawl scope.

    scrapy crawl seeds [-a seeds=PATH] [-a urls=URL[,URL...]] [-s ARCHIVE_DIR=DIR]
                       [-a scope=page|prefix|host|domain] [-a depth=N]
                       [-a include=REGEX] [-a exclude=REGEX] [-a render=never|auto|always]
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.asyncio import sleep
from w3lib.url import canonicalize_url

from crawler.adapters import adapter_for, canonical_url
from crawler.adapters.base import PageUnavailable
from crawler.extract import Mojibake, is_html
from crawler.extract.articles import extractable
from crawler.extract.guard import extract_refusal
from crawler.extract.pool import WorkerPool
from crawler.extract.walls import detect_wall
from crawler.fetch.conditional import prior_payload
from crawler.fetch.failures import CrawlStopped, describe_failure, short_reason
from crawler.fetch.limits import truncation
from crawler.fetch.render import RenderPolicy
from crawler.fetch.weibo_session import WeiboGateMiddleware, WeiboSession
from crawler.frontier.feeds import FeedExpander, entry_priority, feed_kind, parse_feed
from crawler.frontier.links import discover
from crawler.frontier.requisites import Requisites
from crawler.frontier.robots import robots_filter
from crawler.frontier.scope import CrawlScope, LinkFrontier
from crawler.frontier.seeds import SeedList, load_seeds
from crawler.spiders.follow import FollowsPages
from crawler.spiders.page_work import PRELOAD, page_work, warm_up
from crawler.store.archive import Archive

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

class UnknownSpiderArgument(ValueError):
    """An ``-a NAME=VALUE`` the spider does not take (``-a seed=`` for ``-a seeds=``)."""


#: error statuses whose page may be a wall (a captcha or login page served as 403 or 429)
WALL_STATUSES = frozenset({401, 403, 407, 418, 429, 451, 503})


class SeedsSpider(FollowsPages, scrapy.Spider):
    name = "seeds"

    #: the spider arguments (``-a NAME=VALUE``) it takes, and what they are
    arguments = {
        "seeds": "a seed file: one URL per line",
        "urls": "seeds given inline: URL[,URL...]",
        "scope": "what to follow from a seed (README: Crawl scope)",
        "depth": "how many links deep",
        "include": "follow only URLs matching these patterns",
        "exclude": "never follow URLs matching these patterns",
        "render": "never, auto or always: which pages go to the browser (README: Pages "
                  "that need JavaScript)",
    }
    #: arguments tools pass to every spider (scrapyd's job id), accepted and ignored
    tool_arguments = ("_job",)

    #: Weibo requests wait out HTTP 418 pauses, or stop (crawler.fetch.weibo_session)
    WEIBO_GATE_PRIORITY = 80

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # At "spider" priority, as custom_settings would be: `scrapy crawl` merges its own
        # settings into the crawler's afterwards, and an equal priority would lose to them.
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares[WeiboGateMiddleware] = cls.WEIBO_GATE_PRIORITY
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares,
                     max(settings.getpriority("DOWNLOADER_MIDDLEWARES") or 0,
                         SETTINGS_PRIORITIES["spider"]))

    def __init__(self, seeds: str | None = None, urls: str | None = None,
                 scope: str | None = None, depth: str | None = None,
                 include: str | None = None, exclude: str | None = None,
                 render: str | None = None, **kwargs: Any):
        unknown = sorted(set(kwargs) - set(self.tool_arguments))
        if unknown:
            raise UnknownSpiderArgument(
                f"unknown spider argument {unknown[0]!r}: the seeds spider takes "
                + ", ".join(f"-a {name}=" for name in self.arguments))
        super().__init__(**kwargs)
        self.render_arg = render
        self.seeds_arg = seeds
        self.urls_arg = urls
        self.scope_args = {"scope": scope, "depth": depth, "include": include,
                           "exclude": exclude}
        self.seed_list = SeedList()
        self.seed_source = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SeedsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.seeds_arg
        if not path and not spider.urls_arg:
            path = crawler.settings.get("SEEDS_FILE")
        spider.seed_list = load_seeds(path, spider.urls_arg)
        spider.seed_source = " + ".join(
            part for part in (path, "urls" if spider.urls_arg else None) if part
        )
        # EXTRACT_ENABLED=False (archive-only): no article extracted, no worker process;
        # what still needs parsing (links, requisites, feeds) runs in a thread.
        spider.extract_enabled = crawler.settings.getbool("EXTRACT_ENABLED", True)
        workers = crawler.settings.get("EXTRACT_WORKERS")
        max_memory = crawler.settings.getint("EXTRACT_WORKER_MAX_MEMORY", 0)
        spider.pool = WorkerPool(
            (None if workers in (None, "") else int(workers)) if spider.extract_enabled else 0,
            preload=PRELOAD, initializer=warm_up,
            max_memory=max_memory * 1024 * 1024 if max_memory > 0 else None,
        )
        crawler.signals.connect(spider.pool_start, signal=signals.spider_opened)
        crawler.signals.connect(spider.pool_close, signal=signals.spider_closed)
        spider.weibo = WeiboSession.of(crawler)
        spider.feeds = FeedExpander.from_crawler(
            crawler, seeded={canonicalize_url(url) for url in spider.seed_list.urls}
        )
        # crawler.frontier.scope and .requisites: links followed, resources embedded.
        spider.links = LinkFrontier(CrawlScope.from_settings(crawler.settings,
                                                             **spider.scope_args))
        for url in spider.seed_list.urls:
            spider.links.add_seed(url)
        try:
            spider.requisites = Requisites.from_crawler(crawler)
        except NotConfigured:
            spider.requisites = None
        # crawler.fetch.render: which pages go to the browser (crawler.fetch.browser).
        spider.render = RenderPolicy.from_crawler(crawler, spider.render_arg)
        return spider

    def pool_start(self) -> None:
        if self.extract_enabled:
            self.pool.start()  # the workers start while Scrapy does

    def pool_close(self) -> None:
        self.crawler.stats.set_value("extract/pools_recycled", self.pool.recycled)
        self.pool.close()

    @property
    def archive(self) -> Archive:
        return Archive.of(self.crawler)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        stats = self.crawler.stats
        stats.set_value("seeds/count", len(self.seed_list.seeds))
        stats.set_value("seeds/invalid", len(self.seed_list.errors))
        stats.set_value("seeds/duplicates", self.seed_list.duplicates)
        for error in self.seed_list.errors:
            logger.warning("Skipping seed %s", error)
            self.archive.record_error(error.text, "seed", error.reason, error.source)
        if not self.seed_list.seeds:
            logger.error("No seeds to crawl (source: %s)", self.seed_source or "none")
        # Scrapy reads start() to its end at once, so every seed would wait in memory as a
        # request; fed as the crawl has room, a long seed list keeps memory flat. (A shared
        # frontier keeps its queue in Redis.)
        lazy = not self.settings.get("REDIS_URL")
        engine = self.crawler.engine
        for seed in self.seed_list.seeds:
            while lazy and engine is not None and engine.running and engine.needs_backout():
                await sleep(0.01)
            yield self.seed_request(seed.url, **seed.meta)

    def seed_request(self, url: str, **meta: Any) -> scrapy.Request:
        """The first request for a seed (or a feed entry): its site adapter's, if it has one
        (a Weibo post goes to the JSON API), else a plain GET."""
        adapter = adapter_for(url)
        request = adapter.start_request(url, self.settings) if adapter else None
        if request is None:
            # Seeds are deduplicated already; dont_filter lets a seed that redirects to
            # another seed still produce its own article.
            return self.render.prepare(
                scrapy.Request(url, callback=self.parse, errback=self.on_error,
                               dont_filter=True, meta={"seed_url": url, **meta}),
                self.render_error)
        request.meta.setdefault("seed_url", url)
        request.meta.update(meta)
        if request.callback is None:
            callback, errback = {"weibo": (self.parse_weibo, self.weibo_error)}.get(
                adapter.name, (self.parse, self.on_error)
            )
            request = request.replace(callback=callback, errback=errback)
        return request

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        self.archive.seeds.responded(response.meta.get("seed_url", response.url))
        content_type = response.headers.get(b"Content-Type")
        content_type_str = content_type.decode("latin-1") if content_type else None
        truncated = truncation(response.request, response) if response.request else None
        if truncated:
            # Never an article from part of a page: recorded as truncated by the recorder.
            stats.inc_value("articles/truncated")
            logger.info("Archived %s, not extracted: the body is partial (WARC-Truncated: %s)",
                        response.url, truncated)
            return
        if "via_feed" not in response.meta and not response.meta.get("hops") and \
                feed_kind(content_type_str, response.body):
            # A seed that is a feed or sitemap stands for the pages it lists (a feed found
            # by following a link is archived, not expanded: its entries are not in scope).
            async for request in self.parse_feed(response):
                yield request
            return
        if not extractable(content_type_str, response.body, response.url):
            stats.inc_value("articles/not_html")
            logger.info("Archived %s (%s), not extracted: not HTML", response.url,
                        content_type_str or "no content type")
            return
        too_large = extract_refusal(response.body, self.settings.getint("EXTRACT_MAX_BYTES"))
        if too_large:
            stats.inc_value("articles/too_large")
            logger.warning("Archived %s, not extracted: %s", response.url, too_large)
            self.archive.record_error(response.meta.get("seed_url", response.url), "extract",
                                      "too large", f"{too_large} (at {response.url})")
            return
        # What the page embeds and links to, if anything asks for it, and its article: one
        # task (crawler.spiders.page_work). crawler.extract.articles builds the row, as it
        # rebuilds it offline (crawler replay).
        find = (self.requisites is not None or self.links.scope.follows_links) and \
            is_html(content_type_str, response.body)
        if not find and not self.extract_enabled:
            self.links.saw(response.url)
            stats.inc_value("articles/not_extracted")
            return
        try:
            found, article, error = await self.pool.run(
                page_work, response.body, response.url, content_type_str,
                getattr(response, "encoding", None) if find else None,
                response.meta.get("seed_url"), response.meta.get("capture_id"),
                response.meta.get("fetched_at"), find, self.extract_enabled,
            )
        except Exception as exc:  # the worker died: nothing of the page came back
            found, article, error = None, None, exc
        for request in self.requisite_requests(response.url, response.meta, found):
            yield request
        try:
            if error is not None:
                raise error
        except PageUnavailable as exc:
            # A notice (deleted post, login or captcha wall): archived, never an article.
            logger.warning("%s is %s: %s", response.url, exc.kind, exc.reason)
            self.archive.record_error(response.meta.get("seed_url", response.url), exc.kind,
                                      exc.reason, response.url)
            return
        except Mojibake as exc:
            # Bytes no charset reads as text: archived, recorded, never an article.
            stats.inc_value("articles/mojibake")
            logger.warning("Not storing %s: its text is mojibake (%s)", response.url, exc.reason)
            self.archive.record_error(response.url, "extract", "Mojibake", exc.reason)
            return
        except Exception as exc:
            logger.error("Extraction failed for %s: %s", response.url, exc)
            self.archive.record_error(response.url, "extract", type(exc).__name__, str(exc))
            return
        for request in self.link_requests(response.url, response.meta, found):
            yield request
        if not self.extract_enabled:
            # Archive-only: no extraction, so no shell detection either (RENDER=always
            # pages are still rendered; crawler replay extracts them later).
            stats.inc_value("articles/not_extracted")
            return
        # A page its scripts build: rendered in the browser, extracted from its DOM.
        render = await self.render.after_fetch(self.pool, response, article, self.parse,
                                               self.render_error)
        if render is not None:
            yield render
            return
        if article is None:
            stats.inc_value("articles/none")
            logger.info("No article found in %s", response.url)
            return
        yield article

    async def on_error(self, failure: Failure) -> AsyncIterator[scrapy.Request]:
        request = failure.request  # type: ignore[attr-defined]
        seed_url = request.meta.get("seed_url", request.url)
        if failure.check(HttpError) and failure.value.response.status == 304:
            # Our conditional request came back "not modified": archived as a revisit,
            # and the article stays as it was.
            self.archive.seeds.stored(seed_url)
            self.archive.article_not_modified(canonical_url(seed_url), request.url)
            logger.info("Not modified since the last crawl: %s", request.url)
            # What the page embeds and links to is what the last capture held.
            url = failure.value.response.url
            body = prior_payload(self.archive, request.meta.get("prior_capture"))
            if body and is_html(None, body):
                found = await self.pool.run(discover, body, url, None)
                for follow in [*self.requisite_requests(url, request.meta, found),
                               *self.link_requests(url, request.meta, found)]:
                    yield follow
            return
        if failure.check(CrawlStopped):
            return  # the run is stopping: the seed is left for the next run
        if failure.check(IgnoreRequest) and request.meta.get("replay_missing"):
            # WARC_REPLAY: recorded as missing from the archive already
            self.archive.seeds.failed(seed_url, "not in the archive (WARC_REPLAY)")
            return
        if failure.check(IgnoreRequest) and request.meta.get("scope_refused"):
            logger.info("Not followed: %s", failure.value)
            return
        if failure.check(HttpError) and failure.value.response.status in WALL_STATUSES:
            response = failure.value.response
            content_type = response.headers.get(b"Content-Type")
            wall = detect_wall(response.body,
                               content_type.decode("latin-1") if content_type else None)
            if wall is not None:
                logger.warning("%s is blocked (HTTP %d): %s", request.url, response.status,
                               wall.reason)
                self.archive.record_error(seed_url, "blocked", wall.reason,
                                          f"HTTP {response.status} at {request.url}")
                return
        error, detail = describe_failure(failure, request, self.settings)
        if request.url != seed_url and request.url not in detail:
            detail = f"{detail} (at {request.url})"
        reason = short_reason(failure)
        # The one line a failed fetch gets (Scrapy's own are DEBUG: crawler.logs); the
        # errors row, under the seed, says more.
        logger.warning("Could not fetch %s: %s%s", request.url, reason,
                       f" (seed {seed_url})" if seed_url != request.url else "")
        self.archive.record_error(seed_url, "fetch", error, detail)
        self.archive.seeds.failed(seed_url, reason)

    async def render_error(self, failure: Failure) -> AsyncIterator[scrapy.Request]:
        """A page the browser could not render (crawler.fetch.render): an HTTP error as
        for any page, else recorded with stage ``render`` (and fetched plainly if it never
        was)."""
        if failure.check(HttpError):
            async for request in self.on_error(failure):
                yield request
            return
        for request in self.render.failed(self.archive, failure, self.on_error,
                                          self.crawler.stats):
            yield request

    # --- feeds and sitemaps (crawler.frontier.feeds) -------------------------------------

    async def parse_feed(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """A feed or sitemap: crawl the entries in the date window; follow sitemap indexes."""
        content_type = response.headers.get(b"Content-Type")
        feed = await self.pool.run(parse_feed, response.body, response.url,
                                   content_type.decode("latin-1") if content_type else None)
        if feed is None:
            logger.warning("Expected a feed or sitemap at %s, found neither", response.url)
            return
        depth = response.meta.get("feed_depth", 0)
        seed_url = response.meta.get("seed_url", response.url)
        allowed = await robots_filter(self.crawler, feed)
        expansion = self.feeds.expand(feed, depth, allowed=allowed, seed=seed_url)
        if expansion.limited:
            # One row per feed, however many entries the limits left out.
            self.archive.record_error(seed_url, "feed", ", ".join(expansion.limits),
                                      f"{response.url}: {expansion.limited}")
        for url in expansion.sitemaps:
            yield scrapy.Request(
                url, callback=self.parse_feed, errback=self.on_error, dont_filter=True,
                meta={"seed_url": seed_url, "feed_depth": depth + 1}, priority=-1,
            )
        for index, url in enumerate(expansion.pages):
            self.archive.seeds.add(url)  # an entry is a seed of its own
            request = self.seed_request(url, via_feed=response.url)
            # Below the seeds, and feeds interleaved by blocks: a big sitemap never keeps
            # the other seeds waiting.
            request.priority = entry_priority(index)
            yield request

    # --- Weibo (crawler.fetch.weibo_session) ---------------------------------------------

    async def parse_weibo(self, response: Response) -> AsyncIterator[Any]:
        seed_url = response.meta.get("seed_url", response.url)
        self.archive.seeds.responded(seed_url)
        async for output in self.weibo.handle(self, response):
            if isinstance(output, dict) and not self.extract_enabled:
                # archive-only: the post was read for its walls and long text, not stored
                self.crawler.stats.inc_value("articles/not_extracted")
                continue
            if isinstance(output, dict):
                self.archive.seeds.stored(seed_url)
            yield output

    def weibo_error(self, failure: Failure) -> list[Any]:
        request = failure.request  # type: ignore[attr-defined]
        seed_url = request.meta.get("seed_url", request.url)
        if failure.check(CrawlStopped):
            return []
        rate_limited = failure.check(IgnoreRequest) and self.weibo.rate_limited
        if not rate_limited:  # (a post given up for a 418 is logged as blocked)
            logger.warning("Could not fetch %s: %s%s", request.url, short_reason(failure),
                           f" (seed {seed_url})" if seed_url != request.url else "")
        outputs = self.weibo.handle_failure(failure)
        if any(isinstance(output, dict) for output in outputs):
            self.archive.seeds.stored(seed_url)
        elif not rate_limited:
            self.archive.seeds.failed(seed_url, short_reason(failure))
        return outputs
