"""Item pipeline: store extracted articles in the SQLite archive."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.store.archive import Archive

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Upsert each article by its canonical URL, pointing at the capture it came from."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(Archive.of(crawler))

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        try:
            self.archive.store_article(dict(item))
        except Exception as exc:
            logger.error("Could not store the article from %s: %s", item.get("url"), exc,
                         exc_info=True)
            self.archive.record_error(str(item.get("url")), "store", type(exc).__name__,
                                      str(exc))
        return item
