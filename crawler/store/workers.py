"""Worker folders: where each worker of a shared crawl writes (``REDIS_URL`` set).

Workers of one shared crawl may all be given the same ``ARCHIVE_DIR``. Each then takes a
folder of its own, ``ARCHIVE_DIR/workers/<host>-<n>/`` (its WARC files in ``warc/``, its
SQLite file ``archive.db``), the first ``n`` whose run lock is free: the run lock is per
worker folder, not per ``ARCHIVE_DIR``. A folder is reused by the next worker to find it
free, so a scheduled run of three workers writes into the same three folders every time, and
the worker that takes over the folder of a killed one repairs its ``.open`` WARC file first,
as a single crawl does. A worker leaving also repairs the ``.open`` files of folders whose
worker is gone (killed while the others went on), so the crawl ends with every WARC whole.

``crawler replay ARCHIVE_DIR/workers --db ARCHIVE_DIR/archive.db`` builds the combined
archive from all of them.
"""

from __future__ import annotations

import itertools
import logging
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.utils.misc import load_object

from crawler.store.lock import ArchiveLocked, RunLock, held_lock, lock_archive
from crawler.warc.index import write_index
from crawler.warc.repair import repair_open_file
from crawler.warc.writer import OPEN_SUFFIX

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

WORKERS_DIR = "workers"
DEFAULT_RECOVERY = "crawler.replay.recover_files"


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", socket.gethostname()) or "host"


def claim_worker_dir(archive_root: str | Path) -> Path:
    """The worker folder this process writes to, locked for it (the first free one).

    :param archive_root: the ``ARCHIVE_DIR`` the workers share
    """
    base = Path(archive_root).resolve() / WORKERS_DIR
    host = _host()
    for n in itertools.count(1):
        folder = base / f"{host}-{n}"
        if held_lock(folder):
            return folder
        try:
            lock_archive(folder)
        except ArchiveLocked:
            continue
        return folder
    raise AssertionError("unreachable")


def recover_orphaned_workers(settings: BaseSettings) -> list[Path]:
    """Repair the ``.open`` WARC files of worker folders nobody holds, and replay them into
    their folder's database (``ARCHIVE_RECOVERY``): the files repaired."""
    base = Path(settings.get("ARCHIVE_DIR") or "archive") / WORKERS_DIR
    repaired: list[Path] = []
    for folder in sorted(p for p in base.glob("*") if p.is_dir()):
        if held_lock(folder) or not list((folder / "warc").glob(f"*{OPEN_SUFFIX}")):
            continue
        lock = RunLock(folder)
        try:
            lock.acquire()
        except ArchiveLocked:
            continue  # its worker is alive
        try:
            files = [result.path for path in sorted((folder / "warc").glob(f"*{OPEN_SUFFIX}"))
                     if (result := repair_open_file(path)).path is not None]
            for path in files:
                write_index(path)
            db_path = folder / "archive.db"
            if files and db_path.exists():
                recover = load_object(settings.get("ARCHIVE_RECOVERY") or DEFAULT_RECOVERY)
                workers = settings.get("EXTRACT_WORKERS")
                summary = recover(files, db_path,
                                  None if workers in (None, "") else int(workers))
                logger.warning("Recovered %d WARC file(s) a stopped worker left open in %s: %s",
                               len(files), folder, summary)
            repaired += files
        finally:
            lock.release()
    return repaired
