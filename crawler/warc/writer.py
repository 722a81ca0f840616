"""Rolling WARC/1.1 files: one gzip member per record, ``.open`` until closed.

File names follow Heritrix: ``{prefix}-{timestamp}-{serial}-{host}-{pid}.warc.gz``.
A file is closed (fsync, rename without ``.open``) when it passes ``max_size`` or when the
writer closes; every file opens with a ``warcinfo`` record. While a file is written, its
writer holds an exclusive ``flock`` on it, so other crawls writing into the same folder leave
it alone (``repair.orphaned_open_files``).
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from warcio.recordbuilder import RecordBuilder
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

OPEN_SUFFIX = ".open"
WARC_VERSION = "1.1"


@dataclass(frozen=True)
class RecordLocation:
    """Where a record landed: enough to read it back with one seek."""

    warc_file: str  # final file name (without .open), relative to the WARC folder
    offset: int
    length: int
    record_id: str
    payload_digest: str | None


def record_builder() -> RecordBuilder:
    """A warcio record factory for WARC/1.1 records (not bound to a file)."""
    return RecordBuilder(warc_version=WARC_VERSION)


def _safe_host(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", name) or "host"


class RollingWarcWriter:
    """Writes records to WARC files in ``directory``, rolling over past ``max_size`` bytes.

    :param directory: folder for the files (created if missing)
    :param prefix: first part of every file name
    :param max_size: bytes after which the next write starts a new file
    :param warcinfo: fields of the ``warcinfo`` record that opens every file
    """

    def __init__(
        self,
        directory: str | Path,
        prefix: str = "SEEDS",
        max_size: int = 1024**3,
        warcinfo: dict[str, str] | None = None,
        on_close: Callable[[Path], None] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max_size
        self.warcinfo = dict(warcinfo or {})
        self.on_close = on_close
        self.builder = record_builder()
        self.closed_files: list[Path] = []
        self.bytes_written = 0
        self._serial = 0
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._host = _safe_host(socket.gethostname())

    @property
    def current_path(self) -> Path | None:
        return self.directory / (self._name + OPEN_SUFFIX) if self._fh else None

    def write(self, *records: ArcWarcRecord) -> list[RecordLocation]:
        """Write records to the same file, in order, and flush them to the OS."""
        if self._fh is None:
            self._open_file()
        locations = self._append(records)
        assert self._fh is not None
        self._fh.flush()
        if self._fh.tell() >= self.max_size:
            self._close_file()
        return locations

    def close(self) -> None:
        if self._fh is not None:
            self._close_file()

    def _append(self, records: tuple[ArcWarcRecord, ...]) -> list[RecordLocation]:
        assert self._fh is not None and self._writer is not None
        locations = []
        for record in records:
            offset = self._fh.tell()
            self._writer.write_record(record)
            end = self._fh.tell()
            self.bytes_written += end - offset
            locations.append(
                RecordLocation(
                    warc_file=self._name,
                    offset=offset,
                    length=end - offset,
                    record_id=record.rec_headers.get_header("WARC-Record-ID"),
                    payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
                )
            )
        return locations

    def _open_file(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
        self._name = (
            f"{self.prefix}-{stamp}-{self._serial:05d}-{self._host}-{os.getpid()}.warc.gz"
        )
        self._serial += 1
        # Created under a hidden name, locked, then given its .open name: a crawl sharing
        # the folder never sees an .open file without its writer's lock (repair.py).
        # "xb": never clobber a file another run is writing.
        hidden = self.directory / f".{self._name}{OPEN_SUFFIX}.new"
        self._fh = open(hidden, "xb")  # noqa: SIM115 - held until the file is closed
        fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(hidden, self.directory / (self._name + OPEN_SUFFIX))
        self._writer = WARCWriter(self._fh, gzip=True, warc_version=WARC_VERSION)
        info = self.builder.create_warcinfo_record(self._name, self.warcinfo)
        self._append((info,))

    def _close_file(self) -> None:
        assert self._fh is not None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        open_path = self.directory / (self._name + OPEN_SUFFIX)
        final_path = self.directory / self._name
        os.replace(open_path, final_path)
        _fsync_dir(self.directory)
        self._fh = None
        self._writer = None
        self.closed_files.append(final_path)
        if self.on_close:
            self.on_close(final_path)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
