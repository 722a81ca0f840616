"""Rolling WARC/1.1 files: one gzip member per record, ``.open`` until closed.

File names follow Heritrix: ``{prefix}-{timestamp}-{serial}-{host}-{pid}.warc.gz``.
A file is closed (fsync, rename without ``.open``) when the writer closes, or at the first
write after it passed ``max_size``: the records written up to then have had their database
rows written by that time (``before_close`` commits them), so a file is never closed while
rows that point into it are still pending. Every file opens with a ``warcinfo`` record.
While a file is written, its writer holds an exclusive ``flock`` on it, so other crawls
writing into the same folder leave it alone (``repair.orphaned_open_files``).

Records are built with warcio's :class:`RecordBuilder` and serialised here, byte for byte as
warcio's ``WARCWriter`` writes them (the same headers in the same order, digests and
``Content-Length`` included), without its per-chunk Python loops: digests with one hashlib
call each, one zlib call per record, one ``write`` per call of :meth:`RollingWarcWriter.write`.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import os
import re
import socket
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING

from warcio.recordbuilder import RecordBuilder
from warcio.warcwriter import WARCWriter

from crawler.faults import crash_point

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

OPEN_SUFFIX = ".open"
WARC_VERSION = "1.1"
# zlib's default level: on HTML, the files come out within a percent of level 9 (warcio's).
GZIP_LEVEL = 6
# Bytes handed to the OS per write(): a large record is written in parts of this size.
WRITE_CHUNK = 1 << 20


@dataclass(frozen=True)
class RecordLocation:
    """Where a record landed: enough to read it back with one seek."""

    warc_file: str  # final file name (without .open), relative to the WARC folder
    offset: int
    length: int
    record_id: str
    payload_digest: str | None


class FastRecordBuilder(RecordBuilder):
    """warcio's record factory, with the payload digest of an in-memory payload taken in
    one hashlib call instead of warcio's chunked loop (the same digest)."""

    def ensure_digest(self, record: ArcWarcRecord, block: bool = True,
                      payload: bool = True) -> None:
        stream = record.raw_stream
        if block or not payload or not isinstance(stream, BytesIO) or record.length is None:
            super().ensure_digest(record, block, payload)
            return
        if record.rec_headers.get_header("WARC-Payload-Digest") or \
                record.rec_type in self.NO_PAYLOAD_DIGEST_TYPES:
            return
        record.rec_headers.add_header("WARC-Payload-Digest",
                                      sha1_digest(_payload_of(record) or b""))


def record_builder() -> RecordBuilder:
    """A warcio record factory for WARC/1.1 records (not bound to a file)."""
    return FastRecordBuilder(warc_version=WARC_VERSION)


def sha1_digest(data: bytes | memoryview) -> str:
    """A WARC digest: ``sha1:`` + base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _payload_of(record: ArcWarcRecord) -> bytes | memoryview | None:
    """The payload of a record held in memory, not copied (None: it is not, e.g. a file
    stream)."""
    stream = record.raw_stream
    if not isinstance(stream, BytesIO) or record.length is None:
        return None
    start = stream.tell()
    data = stream.getvalue()  # the bytes it was made from, not a copy (CPython)
    end = start + record.length
    return data if (start, end) == (0, len(data)) else memoryview(data)[start:end]


def record_parts(record: ArcWarcRecord, header_filter: Callable | None = None
                 ) -> list[bytes | memoryview]:
    """One record as warcio's ``WARCWriter`` writes it, before compression, in parts
    (joined, they are its bytes): a large payload is neither copied nor concatenated.

    Fills in what warcio fills in (block and payload digests, ``Content-Type``,
    ``Content-Length``). A record whose payload is not in memory is written by warcio.
    """
    payload = _payload_of(record)
    if payload is None:
        out = BytesIO()
        WARCWriter(out, gzip=False, warc_version=WARC_VERSION,
                   header_filter=header_filter).write_record(record)
        return [out.getvalue()]
    http = record.http_headers
    head = b""
    if http:
        http.compute_headers_buffer(header_filter)
        head = http.headers_buff
    headers = record.rec_headers
    if not headers.get_header("WARC-Payload-Digest") and \
            record.rec_type not in RecordBuilder.NO_PAYLOAD_DIGEST_TYPES:
        headers.add_header("WARC-Payload-Digest", sha1_digest(payload))
    if not headers.get_header("WARC-Block-Digest"):
        block = hashlib.sha1(head)
        block.update(payload)
        headers.add_header("WARC-Block-Digest",
                           "sha1:" + base64.b32encode(block.digest()).decode("ascii"))
    if record.content_type is not None:
        headers.replace_header("Content-Type", record.content_type)
    headers_only = record.rec_type == "revisit"
    if http and record.payload_length >= 0:
        record.length = len(head) + (0 if headers_only else record.payload_length)
    headers.replace_header("Content-Length", str(record.length))
    body = b"" if headers_only else payload
    return [headers.to_bytes(encoding="utf-8"), head, body, b"\r\n\r\n"]


def record_bytes(record: ArcWarcRecord, header_filter: Callable | None = None) -> bytes:
    """One record as warcio's ``WARCWriter`` writes it, before compression."""
    return b"".join(record_parts(record, header_filter))


def gzip_member(data: bytes | memoryview | list[bytes | memoryview],
                level: int = GZIP_LEVEL) -> bytes:
    """``data`` (or its parts, in order) as one gzip member (what a reader seeks to and
    inflates alone)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = data if isinstance(data, list) else [data]
    return b"".join([*(compressor.compress(part) for part in parts), compressor.flush()])


def _safe_host(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", name) or "host"


class RollingWarcWriter:
    """Writes records to WARC files in ``directory``, rolling over past ``max_size`` bytes.

    :param directory: folder for the files (created if missing)
    :param prefix: first part of every file name
    :param max_size: bytes after which the next write starts a new file
    :param warcinfo: fields of the ``warcinfo`` record that opens every file
    :param on_close: called with each file's final path once it is closed
    :param before_close: called before a file is closed (and renamed): the place to commit
        the rows that point at its records
    """

    def __init__(
        self,
        directory: str | Path,
        prefix: str = "SEEDS",
        max_size: int = 1024**3,
        warcinfo: dict[str, str] | None = None,
        on_close: Callable[[Path], None] | None = None,
        before_close: Callable[[], None] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max_size
        self.warcinfo = dict(warcinfo or {})
        self.on_close = on_close
        self.before_close = before_close
        self.builder = record_builder()
        self.closed_files: list[Path] = []
        self.bytes_written = 0
        self._serial = 0
        self._fh: IO[bytes] | None = None
        self._size = 0  # bytes in the open file
        self._name = ""
        self._host = _safe_host(socket.gethostname())

    @property
    def current_path(self) -> Path | None:
        return self.directory / (self._name + OPEN_SUFFIX) if self._fh else None

    @property
    def current_name(self) -> str | None:
        """The final name of the file being written (what its records' rows name)."""
        return self._name if self._fh else None

    def write(self, *records: ArcWarcRecord) -> list[RecordLocation]:
        """Write records to the same file, in order, and hand them to the OS (one write)."""
        if self._fh is not None and self._size >= self.max_size:
            self._close_file()
        if self._fh is None:
            self._open_file()
        return self._append(records)

    def close(self) -> None:
        if self._fh is not None:
            self._close_file()

    def _append(self, records: tuple[ArcWarcRecord, ...]) -> list[RecordLocation]:
        assert self._fh is not None
        header_filter = self.builder.header_filter
        members = [gzip_member(record_parts(record, header_filter)) for record in records]
        locations = []
        offset = self._size
        for record, member in zip(records, members, strict=True):
            headers = record.rec_headers
            locations.append(RecordLocation(
                warc_file=self._name,
                offset=offset,
                length=len(member),
                record_id=headers.get_header("WARC-Record-ID"),
                payload_digest=headers.get_header("WARC-Payload-Digest"),
            ))
            offset += len(member)
        data = b"".join(members)
        view = memoryview(data)
        while view:  # an unbuffered file: the bytes are the kernel's once this returns
            view = view[self._fh.write(view[:WRITE_CHUNK]):]
            if view:
                crash_point("warc:mid-write")  # for the tests: a death inside a record
        self._size += len(data)
        self.bytes_written += len(data)
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
        # "xb": never clobber a file another run is writing; unbuffered: nothing of a record
        # waits in this process's memory once written.
        hidden = self.directory / f".{self._name}{OPEN_SUFFIX}.new"
        self._fh = open(hidden, "xb", buffering=0)  # noqa: SIM115 - held until closed
        fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(hidden, self.directory / (self._name + OPEN_SUFFIX))
        self._size = 0
        info = self.builder.create_warcinfo_record(self._name, self.warcinfo)
        self._append((info,))

    def _close_file(self) -> None:
        assert self._fh is not None
        if self.before_close is not None:
            self.before_close()
        os.fsync(self._fh.fileno())
        self._fh.close()
        open_path = self.directory / (self._name + OPEN_SUFFIX)
        final_path = self.directory / self._name
        os.replace(open_path, final_path)
        _fsync_dir(self.directory)
        self._fh = None
        self.closed_files.append(final_path)
        if self.on_close:
            self.on_close(final_path)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
