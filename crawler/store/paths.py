"""Where a crawl writes: ARCHIVE_DIR, WARC_DIR and ARCHIVE_DB resolved from settings.

``archive_dir`` is the folder a run locks: ``ARCHIVE_DIR``, or for a worker of a shared crawl
its own folder under ``ARCHIVE_DIR/workers/`` (``workers.py``).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.store.workers import claim_worker_dir

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


SQLITE_HEADER = b"SQLite format 3\x00"


class ArchiveUnwritable(Exception):
    """ARCHIVE_DIR, WARC_DIR or ARCHIVE_DB cannot be created or written."""


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

    def check_writable(self) -> None:
        """Create the folders and make sure files can be written in them.

        :raises ArchiveUnwritable: naming the setting, the path and what is wrong
        """
        db = self.db_path
        if db.is_dir():
            raise ArchiveUnwritable(f"ARCHIVE_DB={db}: is a folder, not a database file")
        if db.exists() and db.stat().st_size:
            try:
                with open(db, "rb") as fh:
                    header = fh.read(len(SQLITE_HEADER))
            except OSError as exc:
                raise ArchiveUnwritable(f"ARCHIVE_DB={db}: cannot read it "
                                        f"({exc.strerror or exc})") from None
            if header != SQLITE_HEADER:
                raise ArchiveUnwritable(f"ARCHIVE_DB={db}: not an SQLite database")
        folders = (("ARCHIVE_DIR", self.archive_dir, self.archive_dir),
                   ("WARC_DIR", self.warc_dir, self.warc_dir),
                   ("ARCHIVE_DB", self.db_path, self.db_path.parent))
        for setting, value, folder in folders:
            if folder.exists() and not folder.is_dir():
                raise ArchiveUnwritable(f"{setting}={value}: {folder} is a file, not a folder")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchiveUnwritable(f"{setting}={value}: cannot create the folder {folder}"
                                        f" ({exc.strerror or exc})") from None
            try:
                with tempfile.TemporaryFile(dir=folder, prefix=".seedcrawler-write-test-"):
                    pass
            except OSError as exc:
                raise ArchiveUnwritable(f"{setting}={value}: cannot write in {folder} "
                                        f"({exc.strerror or exc})") from None
