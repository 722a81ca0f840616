"""The seedcrawler add-on: turns on WARC recording, the SQLite pipeline and WACZ packaging.

Enabled by the project settings (``ADDONS``); another Scrapy project can enable it the same
way to archive its own crawls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware

from crawler.fetch.conditional import ConditionalRequestMiddleware
from crawler.fetch.failures import quiet_robots_errors
from crawler.fetch.limits import (
    BoundedDecompressionMiddleware,
    BoundedMetaRefreshMiddleware,
    ExchangeLimits,
)
from crawler.fetch.offline import keep_tldextract_offline
from crawler.fetch.recorder import WarcRecorderMiddleware
from crawler.fetch.retry_after import RetryAfterMiddleware
from crawler.fetch.stop import StopAtOnce
from crawler.fetch.warc_replay import WARC_REPLAY_PRIORITY, WarcReplayMiddleware
from crawler.frontier.scope import ScopedRedirectMiddleware
from crawler.logs import quiet_scrapy_logs
from crawler.store.pipelines import ArchivePipeline
from crawler.store.progress import Progress
from crawler.wacz.extension import WaczExtension

if TYPE_CHECKING:
    from scrapy.settings import Settings

# Next to the downloader: before decompression (590), redirects (600) and retries (550).
WARC_RECORDER_PRIORITY = 950
# Just before it: the conditional headers are in place when the request is recorded.
CONDITIONAL_REQUEST_PRIORITY = 940
# First: a followed link redirected out of the crawl scope is dropped before robots.txt.
SCOPED_REDIRECT_PRIORITY = 50
# Sets each request's size cap (the caps themselves act on Scrapy's download signals).
EXCHANGE_LIMITS_PRIORITY = 945
DOWNLOAD_HANDLER = "crawler.fetch.handler.ArchivingDownloadHandler"


class SeedcrawlerAddon:
    def update_settings(self, settings: Settings) -> None:
        # Every run, before any request: no download of the Public Suffix List, Scrapy's
        # start-up dump at DEBUG, robots.txt failures on one line (crawler.fetch.offline,
        # crawler.logs, crawler.fetch.failures).
        keep_tldextract_offline()
        quiet_scrapy_logs()
        quiet_robots_errors()
        # The progress line or bar (it replaces Scrapy's LogStats) and Ctrl-C that stops
        # fetching at once.
        settings.set_in_component_priority_dict("EXTENSIONS", Progress, 0)
        settings.set_in_component_priority_dict("EXTENSIONS", StopAtOnce, 0)
        # Off unless WACZ_ENABLED is set.
        settings.set_in_component_priority_dict("EXTENSIONS", WaczExtension, 0)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", WarcRecorderMiddleware, WARC_RECORDER_PRIORITY
        )
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", ConditionalRequestMiddleware, CONDITIONAL_REQUEST_PRIORITY
        )
        settings.set_in_component_priority_dict("ITEM_PIPELINES", ArchivePipeline, 300)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", ScopedRedirectMiddleware, SCOPED_REDIRECT_PRIORITY
        )
        # Bounded exchanges (crawler.fetch.limits): size caps that keep what was received,
        # a decoded-size cap of its own, Retry-After, partial bodies on timeouts.
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", ExchangeLimits, EXCHANGE_LIMITS_PRIORITY)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", HttpCompressionMiddleware, None)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", BoundedDecompressionMiddleware, 590)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", MetaRefreshMiddleware, None)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", BoundedMetaRefreshMiddleware, 580)
        settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", RetryMiddleware, None)
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", RetryAfterMiddleware, 550)
        handlers = settings.getdict("DOWNLOAD_HANDLERS")
        for scheme in ("http", "https"):
            handlers.setdefault(scheme, DOWNLOAD_HANDLER)
        settings.set("DOWNLOAD_HANDLERS", handlers, "addon")
        # Off unless WARC_REPLAY is set (it raises NotConfigured then).
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", WarcReplayMiddleware, WARC_REPLAY_PRIORITY
        )
