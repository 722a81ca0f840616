"""``scrapy crawl`` with seedcrawler's run lock: a second crawl of the same ARCHIVE_DIR
exits at once with a clear message and status 2, instead of interleaving two runs."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler.frontier.scope import CrawlScope, InvalidScope
from crawler.store.lock import ArchiveLocked, lock_archive, release_archive
from crawler.store.paths import ArchivePaths

if TYPE_CHECKING:
    import argparse

EXIT_LOCKED = 2


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # A bad scope option is a usage error, said in one line before anything starts.
        spargs = getattr(opts, "spargs", {}) or {}
        try:
            CrawlScope.from_settings(self.settings, **{
                name: spargs.get(name) for name in ("scope", "depth", "include", "exclude")})
        except InvalidScope as exc:
            raise UsageError(str(exc), print_help=False) from exc
        if self.settings.get("REDIS_URL"):
            # A worker of a shared crawl (crawler/scale): say so at once if Redis is away.
            from crawler.scale.connection import FrontierUnavailable, redis_client

            try:
                redis_client(self.settings)
            except FrontierUnavailable as exc:
                print(f"seedcrawler: {exc}", file=sys.stderr)
                self.exitcode = 1
                return
        archive_dir = ArchivePaths.from_settings(self.settings).archive_dir
        try:
            lock_archive(archive_dir)
        except ArchiveLocked as exc:
            print(f"seedcrawler: {exc}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
            return
        try:
            super().run(args, opts)
        finally:
            release_archive(archive_dir)
