"""One crawl at a time per ARCHIVE_DIR.

An exclusive ``flock`` on ``ARCHIVE_DIR/.crawl.lock``: the kernel drops it when the holder
dies, however it dies, so a lock left by a killed run is free to take. The file keeps the
holder's pid and start time, for the message a second run prints, and is emptied on a clean
release, so a takeover after a crash can be reported.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

LOCK_NAME = ".crawl.lock"

_held: dict[Path, RunLock] = {}


class ArchiveLocked(Exception):
    """Another running crawl holds the archive."""


class RunLock:
    def __init__(self, archive_dir: str | Path) -> None:
        self.path = Path(archive_dir).resolve() / LOCK_NAME
        self._fh: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> None:
        """Take the lock or raise ArchiveLocked at once (never waits)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise ArchiveLocked(
                f"{self.path.parent} is in use by a running crawl ({holder}); "
                f"wait for it to finish or stop it, then run again"
            ) from None
        fh.seek(0)
        previous = fh.read().strip()
        if previous:
            logger.warning("Taking over the lock of a crawl that did not finish cleanly (%s)",
                           previous)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} on {socket.gethostname()}, "
                 f"started {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is None:
            return
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.flush()
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()
        self._fh = None


def lock_archive(archive_dir: str | Path) -> RunLock:
    """Take the run lock of ``archive_dir`` for this process (once; later calls reuse it)."""
    key = Path(archive_dir).resolve()
    lock = _held.get(key)
    if lock is None or not lock.held:
        lock = RunLock(key)
        lock.acquire()
        _held[key] = lock
    return lock


def held_lock(archive_dir: str | Path) -> bool:
    """Whether this process holds the run lock of ``archive_dir``."""
    lock = _held.get(Path(archive_dir).resolve())
    return lock is not None and lock.held


def release_archive(archive_dir: str | Path) -> None:
    lock = _held.pop(Path(archive_dir).resolve(), None)
    if lock is not None:
        lock.release()
