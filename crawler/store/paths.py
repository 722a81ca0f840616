"""Where a crawl writes: ARCHIVE_DIR, WARC_DIR and ARCHIVE_DB resolved from settings.

``archive_dir`` is the folder a run locks: ``ARCHIVE_DIR``, or for a worker of a shared crawl
its own folder under ``ARCHIVE_DIR/workers/`` (``workers.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.store.workers import claim_worker_dir

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class ArchivePaths:
    archive_dir: Path
    warc_dir: Path
    db_path: Path

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ArchivePaths:
        archive_dir = Path(settings.get("ARCHIVE_DIR") or "archive")
        warc_dir = Path(settings.get("WARC_DIR") or archive_dir / "warc")
        if settings.get("REDIS_URL"):
            # One worker of a shared crawl (crawler/scale): the WARC folder is shared (file
            # names carry host and pid), the database and the run lock are the worker's own.
            archive_dir = claim_worker_dir(archive_dir)
        db_path = Path(settings.get("ARCHIVE_DB") or archive_dir / "archive.db")
        return cls(archive_dir, warc_dir, db_path)

    def create(self) -> None:
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
