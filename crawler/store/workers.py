"""Worker folders: what each worker of a shared crawl keeps to itself (``REDIS_URL`` set).

Workers of one shared crawl may all be given the same ``ARCHIVE_DIR``. They write their WARC
files side by side into its ``warc/`` folder (the names carry host and pid; each writer
holds a lock on the file it writes, so nobody repairs a file that is being written), and
each takes a folder of its own, ``ARCHIVE_DIR/workers/<host>-<n>/``, for its SQLite file
``archive.db`` and its run lock: the first ``n`` whose lock is free. The run lock is per
worker folder, not per ``ARCHIVE_DIR``; a scheduled run of three workers reuses the same
three folders every time. Workers given separate ``ARCHIVE_DIR``\\ s each have theirs.

A worker killed mid-crawl leaves its WARC file ``.open``: a worker that leaves the crawl
later cuts it to its last whole record, closes and indexes it, and replays it into its own
database (``ARCHIVE_RECOVERY``), as a single crawl does at its next start.

``crawler replay ARCHIVE_DIR/warc --db ARCHIVE_DIR/archive.db`` builds the combined archive
from every worker's files.
"""

from __future__ import annotations

import itertools
import logging
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.utils.misc import load_object

from crawler.store.lock import ArchiveLocked, held_lock, lock_archive
from crawler.warc.index import write_index
from crawler.warc.repair import orphaned_open_files, repair_open_file

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

WORKERS_DIR = "workers"
DEFAULT_RECOVERY = "crawler.replay.recover_files"


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", socket.gethostname()) or "host"


def claim_worker_dir(archive_root: str | Path) -> Path:
    """The worker folder this process uses, locked for it (the first free one).

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


def recover_orphaned_files(warc_dir: str | Path, db_path: str | Path,
                           settings: BaseSettings) -> list[Path]:
    """Repair the ``.open`` WARC files in ``warc_dir`` no running worker holds, index them,
    and replay them into ``db_path`` (``ARCHIVE_RECOVERY``): the files repaired."""
    files = [result.path for path in orphaned_open_files(warc_dir)
             if (result := repair_open_file(path)).path is not None]
    if not files:
        return []
    for path in files:
        write_index(path)
    recover = load_object(settings.get("ARCHIVE_RECOVERY") or DEFAULT_RECOVERY)
    workers = settings.get("EXTRACT_WORKERS")
    summary = recover(files, db_path, None if workers in (None, "") else int(workers))
    logger.warning("Recovered %d WARC file(s) a stopped worker left open: %s", len(files),
                   summary)
    return files
