"""The SQLite archive: schema, full-text index and the writes a crawl makes.

Tables (INTERFACE.md): ``captures`` (one row per archived HTTP exchange), ``articles`` (one
row per article, keyed by canonical URL), ``articles_fts`` (FTS5, trigram tokenizer, kept in
sync by triggers), ``crawls`` (one row per run) and ``errors`` (every recorded failure).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

CAPTURE_COLUMNS = {
    "id": int,
    "crawl_id": int,
    "url": str,
    "method": str,
    "status": int,
    "content_type": str,
    "content_length": int,
    "fetched_at": str,
    "ip_address": str,
    "location": str,
    "etag": str,
    "last_modified": str,
    "warc_file": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "warc_request_record_id": str,
    "payload_digest": str,
}

ARTICLE_COLUMNS = {
    "url": str,
    "final_url": str,
    "title": str,
    "author": str,
    "published": str,
    "sitename": str,
    "language": str,
    "text": str,
    "description": str,
    "tags": str,  # JSON list
    "image": str,
    "encoding": str,
    "capture_id": int,
    "crawl_id": int,
    "fetched_at": str,
    "extra": str,  # JSON object: site-specific fields
}

CRAWL_COLUMNS = {
    "id": int,
    "started_at": str,
    "finished_at": str,
    "finish_reason": str,
    "seed_source": str,
    "seeds": int,
    "requests": int,
    "responses": int,
    "captures": int,
    "articles": int,
    "errors": int,
    "bytes_written": int,
    "stats": str,  # JSON object: the Scrapy stats of the run
}

ERROR_COLUMNS = {
    "id": int,
    "crawl_id": int,
    "url": str,
    "stage": str,  # seed | fetch | extract | store
    "error": str,
    "detail": str,
    "at": str,
}


def utcnow() -> str:
    """Now, as ISO 8601 in UTC with seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class ArchiveDB:
    """The SQLite archive of one ``ARCHIVE_DIR``.

    :param path: the database file (created with its schema when missing)
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        ensure_schema(self.db)

    def close(self) -> None:
        self.db.close()

    def start_crawl(self, seed_source: str, seeds: int) -> int:
        with self.db.conn:
            table = self.db["crawls"].insert(
                {"started_at": utcnow(), "seed_source": seed_source, "seeds": seeds}
            )
        return int(table.last_pk)

    def finish_crawl(self, crawl_id: int, reason: str, counts: dict[str, int],
                     stats: dict[str, Any]) -> None:
        row = {"finished_at": utcnow(), "finish_reason": reason, **counts,
               "stats": json.dumps(stats, default=str, sort_keys=True)}
        with self.db.conn:
            self.db["crawls"].update(crawl_id, row)

    def add_capture(self, row: dict[str, Any]) -> int:
        with self.db.conn:
            table = self.db["captures"].insert(row)
        return int(table.last_pk)

    def upsert_article(self, row: dict[str, Any]) -> None:
        row = dict(row)
        for key in ("tags", "extra"):
            if key in row and not isinstance(row[key], str | None):
                row[key] = json.dumps(row[key], ensure_ascii=False)
        with self.db.conn:
            self.db["articles"].upsert(row, pk="url", alter=True)

    def add_error(self, crawl_id: int | None, url: str, stage: str, error: str,
                  detail: str = "") -> None:
        row = {"crawl_id": crawl_id, "url": url, "stage": stage, "error": error,
               "detail": detail, "at": utcnow()}
        with self.db.conn:
            self.db["errors"].insert(row)

    def checkpoint(self) -> None:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables, indexes and full-text index that are missing."""
    captures = db["captures"]
    if not captures.exists():
        captures.create(CAPTURE_COLUMNS, pk="id")
        captures.create_index(["url"])
        captures.create_index(["warc_record_id"])
        captures.create_index(["payload_digest"])
    articles = db["articles"]
    if not articles.exists():
        articles.create(
            ARTICLE_COLUMNS, pk="url", foreign_keys=[("capture_id", "captures", "id")]
        )
        articles.create_index(["published"])
        articles.create_index(["sitename"])
    if not articles.detect_fts():
        articles.enable_fts(
            ["title", "text"], fts_version="FTS5", tokenize="trigram", create_triggers=True
        )
    if not db["crawls"].exists():
        db["crawls"].create(CRAWL_COLUMNS, pk="id")
    if not db["errors"].exists():
        db["errors"].create(ERROR_COLUMNS, pk="id")
        db["errors"].create_index(["url"])
