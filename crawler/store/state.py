"""The per-URL state incremental runs need: the last full capture of a URL.

Conditional requests (``crawler.fetch.conditional``) send its validators (``etag``,
``last_modified``); the WARC recorder writes a revisit naming it (``url``, ``warc_date``,
``warc_record_id``, ``payload_digest``). A single crawl keeps it in its own ``captures``
table (:class:`SqliteCaptureState`). The workers of a shared crawl keep it in Redis
(``crawler.scale.state.RedisCaptureState``), so a URL another worker fetched last time still
gets conditional requests and revisit records: ``ARCHIVE_STATE`` names the class (a
component path, loaded with ``from_crawler``), set by the shared-frontier add-on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from scrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.store.db import ArchiveDB

#: the fields of a capture the state keeps (where its record is, too: a 304 for a page reads
#: the page back from it, to find what it embeds and links to again)
FIELDS = ("url", "etag", "last_modified", "payload_digest", "warc_record_id", "warc_date",
          "warc_file", "warc_offset")


class CaptureState(Protocol):
    def last_capture(self, url: str) -> dict[str, Any] | None:
        """The latest full (``response``, status 200) capture of ``url``, or None."""

    def remember(self, capture: dict[str, Any]) -> None:
        """A new full capture (a ``captures`` row) was archived."""


class SqliteCaptureState:
    """The state of a single crawl: its ``captures`` table, nothing else to write."""

    def __init__(self, db: ArchiveDB) -> None:
        self.db = db

    def last_capture(self, url: str) -> dict[str, Any] | None:
        return self.db.last_capture(url)

    def remember(self, capture: dict[str, Any]) -> None:
        return None


def capture_state(crawler: Crawler, db: ArchiveDB) -> CaptureState:
    """The state ``ARCHIVE_STATE`` names, or the crawl's own database."""
    path = crawler.settings.get("ARCHIVE_STATE")
    if not path:
        return SqliteCaptureState(db)
    return build_from_crawler(load_object(path), crawler)


def is_full_capture(row: dict[str, Any]) -> bool:
    """Whether a capture row is one later revisits may refer to."""
    return row.get("status") == 200 and row.get("record_type") == "response"
