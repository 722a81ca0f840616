"""``WACZ_ENABLED``: package the whole archive as one WACZ file when a crawl ends.

The file (``WACZ_FILE``, default ``ARCHIVE_DIR/archive.wacz``) holds every closed WARC file
of the archive, earlier runs included, so that the revisit records of this run find the
payloads they stand for; it is rewritten at the end of each run. A package that cannot be
written is logged and counted (``wacz/failed``): the crawl's archive is complete without it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.store.paths import ArchivePaths
from crawler.wacz import WaczError, write_wacz

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def wacz_file(settings: object, paths: ArchivePaths) -> Path:
    """Where ``WACZ_ENABLED`` writes the package."""
    configured = settings.get("WACZ_FILE")  # type: ignore[attr-defined]
    return Path(configured) if configured else paths.archive_dir / "archive.wacz"


class WaczExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.paths = ArchivePaths.from_settings(crawler.settings)
        self.output = wacz_file(crawler.settings, self.paths)
        self.text = crawler.settings.getbool("WACZ_TEXT", True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WaczExtension:
        if not crawler.settings.getbool("WACZ_ENABLED"):
            raise NotConfigured
        extension = cls(crawler)
        # After the spider has closed: the archive's WARC files are closed by then.
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        try:
            result = write_wacz(self.paths.warc_dir, self.paths.db_path, self.output,
                                text=self.text)
        except (WaczError, OSError) as exc:
            self.crawler.stats.inc_value("wacz/failed")
            logger.error("Could not write the WACZ file %s: %s", self.output, exc)
            return
        logger.info("WACZ: %s", result.format())
