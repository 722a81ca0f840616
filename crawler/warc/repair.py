"""Repair a WARC file left ``.open`` by a crash: cut it back to its last complete record
(gzip member) and close it.

Each record is its own gzip member, so a complete member is a complete record; a member cut
by the crash has no gzip trailer. warcio alone would silently drop such a tail, and
``warcio check`` would still pass, so the members are walked with zlib.
"""

from __future__ import annotations

import fcntl
import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from crawler.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20


@dataclass(frozen=True)
class RepairResult:
    path: Path | None  # the closed file, or None when nothing complete was left
    kept_bytes: int
    cut_bytes: int


def complete_length(path: str | Path) -> int:
    """Bytes of ``path`` made of complete gzip members, from the start."""
    end = 0  # end of the last complete member
    consumed = 0  # bytes fed to decompressors so far
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    with open(path, "rb") as fh:
        pending = b""
        while True:
            data = pending or fh.read(_CHUNK)
            pending = b""
            if not data:
                return end
            try:
                decompressor.decompress(data)
            except zlib.error:
                return end  # garbage after the last complete member
            if decompressor.eof:
                unused = decompressor.unused_data
                consumed += len(data) - len(unused)
                end = consumed
                decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
                pending = unused
            else:
                consumed += len(data)


def orphaned_open_files(directory: str | Path) -> list[Path]:
    """The ``.open`` files in ``directory`` no running writer holds: left by a crash.

    A writer holds an exclusive ``flock`` on its file while it writes (``writer.py``), and
    never reopens a file once it lets go of it, so a file whose lock is free is an orphan.
    Several crawls writing into one folder (the workers of a shared crawl) thus repair only
    what the dead left.
    """
    orphans = []
    for path in sorted(Path(directory).glob(f"*{OPEN_SUFFIX}")):
        try:
            with open(path, "rb") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fh, fcntl.LOCK_UN)
        except BlockingIOError:
            continue  # being written
        except FileNotFoundError:
            continue  # closed meanwhile
        orphans.append(path)
    return orphans


def repair_open_file(path: str | Path) -> RepairResult:
    """Cut ``path`` (a ``*.warc.gz.open`` file) to its complete records and close it."""
    path = Path(path)
    size = path.stat().st_size
    keep = complete_length(path)
    with open(path, "r+b") as fh:
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
    if keep == 0:
        path.unlink()
        logger.warning("Removed %s: no complete record in it", path)
        return RepairResult(None, 0, size)
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    os.replace(path, final)
    if size != keep:
        logger.warning("Repaired %s: cut %d bytes of an unfinished record", final, size - keep)
    else:
        logger.info("Closed %s, left open by an earlier run", final)
    return RepairResult(final, keep, size - keep)
