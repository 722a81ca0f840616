"""``scrapy crawl`` with seedcrawler's checks, run lock and exit status.

- Before anything starts, the ordinary mistakes are found and told in one line with an exit
  status (``crawler.commands.checks``): unknown options and spider arguments, a seed file that
  cannot be read, bad setting values, an ARCHIVE_DIR that cannot be written, a WARC_REPLAY
  that holds no WARC file, a REDIS_URL nothing answers at. ``-s`` names close to a setting
  get a warning naming it.
- A second crawl of the same ARCHIVE_DIR exits at once with status 2 instead of interleaving
  two runs.
- The run's status says what became of the seeds (README "Exit status").
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from crawler.commands.checks import (
    OUR_SETTINGS,
    SetupError,
    check_archive,
    check_log_file,
    check_log_level,
    check_replay_source,
    check_seeds,
    check_setting_values,
    check_spider_arguments,
    cmdline_setting_names,
    setting_warnings,
)
from crawler.frontier.scope import CrawlScope, InvalidScope
from crawler.logs import quiet_scrapy_logs
from crawler.store.lock import ArchiveLocked, lock_archive, release_archive
from crawler.store.outcomes import EXIT_ERROR, EXIT_FRONTIER, EXIT_LOCKED, EXIT_USAGE

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler

__all__ = ["Command", "EXIT_LOCKED"]


def fail(message: str, status: int) -> None:
    """End the command with one line on stderr and ``status``."""
    print(f"seedcrawler: {message}", file=sys.stderr)
    sys.exit(status)


def check_scope(settings: Any, spargs: dict[str, str]) -> None:
    """A bad scope option (``-a scope=``, ``-a depth=``...) is a usage error."""
    try:
        CrawlScope.from_settings(settings, **{
            name: spargs.get(name) for name in ("scope", "depth", "include", "exclude")})
    except InvalidScope as exc:
        raise SetupError(str(exc)) from None


class Command(ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return ("Run a spider of the project. For seedcrawler: scrapy crawl seeds "
                "[-a seeds=FILE] [-a urls=URL,...] [-s ARCHIVE_DIR=DIR]; exit status 0 when "
                "every seed was fetched, 3 when some failed, 4 when none was fetched, 2 when "
                "another crawl holds the archive (README: Exit status).")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        # Everything is checked here, before Scrapy sets up its logging and the crawler:
        # a mistake is then the only line printed. Scrapy's own usage errors exit 2, which
        # is our "archive in use": one line and EXIT_USAGE instead.
        try:
            super().process_options(args, opts)
        except UsageError as exc:
            fail(str(exc) or "bad command line (see scrapy crawl -h)", EXIT_USAGE)
        assert self.settings is not None
        settings = self.settings
        if len(args) != 1:
            extra = [a for a in args[1:] if a.startswith("-")]
            fail(f"unknown option {extra[0]} (see scrapy crawl -h)" if extra else
                 "give one spider name: scrapy crawl seeds" if not args else
                 f"one spider at a time, not {' '.join(args)}", EXIT_USAGE)
        names = cmdline_setting_names(opts.set)
        loader = get_spider_loader(settings)
        try:
            spidercls = loader.load(args[0])
        except KeyError:
            fail(f"no spider named {args[0]!r} (this project has: "
                 f"{', '.join(loader.list())})", EXIT_USAGE)
        try:
            check_log_level(settings)
            check_log_file(settings)
            check_spider_arguments(spidercls, opts.spargs)
            check_scope(settings, opts.spargs)
            check_setting_values(settings, sorted(set(names) | OUR_SETTINGS))
            if getattr(spidercls, "arguments", None) is not None:
                check_seeds(opts.spargs, settings)
            check_replay_source(settings)
            paths = check_archive(settings)
        except SetupError as exc:
            fail(str(exc), exc.status)
        if settings.get("REDIS_URL"):
            # A worker of a shared crawl (crawler/scale): say so at once if Redis is away.
            from crawler.scale.connection import FrontierUnavailable, redis_client

            try:
                redis_client(settings)
            except FrontierUnavailable as exc:
                fail(str(exc), EXIT_FRONTIER)
        for warning in setting_warnings(names):
            print(f"seedcrawler: warning: {warning}", file=sys.stderr)
        try:
            lock_archive(paths.archive_dir)
        except ArchiveLocked as exc:
            fail(str(exc), EXIT_LOCKED)
        self._archive_dir = paths.archive_dir
        quiet_scrapy_logs()  # before Scrapy logs its start-up dump

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            super().run(args, opts)
        finally:
            release_archive(self._archive_dir)
        self.exitcode = self._status()

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self._crawler_run = crawler
        return crawler

    def _status(self) -> int:
        crawler: Any = getattr(self, "_crawler_run", None)
        if self.crawler_process is not None and self.crawler_process.bootstrap_failed:
            return EXIT_ERROR
        status = crawler.stats.get_value("seedcrawler/exit_status") if crawler else None
        # A spider without seedcrawler's archive: Scrapy's own status.
        return EXIT_ERROR if status is None and self.exitcode else int(status or 0)
