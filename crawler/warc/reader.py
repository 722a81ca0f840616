"""Reading WARC records back: in file order, or one at a known offset."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders

_BLOCK = 1024 * 1024


class TruncatedWarc(Exception):
    """A WARC file that ends inside a record, as a crawl that died while writing leaves it
    (an ``.open`` file), or that cannot be read past some point.

    :param path: the file
    :param offset: where the incomplete record starts; every record before it is whole
    :param reason: what is wrong there
    """

    def __init__(self, path: str | Path, offset: int, reason: str = "ends inside a record"):
        super().__init__(f"{path}: {reason} at offset {offset}")
        self.path = Path(path)
        self.offset = offset
        self.reason = reason


@dataclass
class StoredRecord:
    """A WARC record read into memory, with where it sits in its file."""

    rec_type: str
    rec_headers: StatusAndHeaders
    http_headers: StatusAndHeaders | None
    payload: bytes  # HTTP payload as stored (still Content-Encoded), or the whole block
    offset: int
    length: int

    def header(self, name: str) -> str | None:
        return self.rec_headers.get_header(name)

    @property
    def record_id(self) -> str | None:
        return self.header("WARC-Record-ID")

    @property
    def target_uri(self) -> str | None:
        return self.header("WARC-Target-URI")


def iter_records(path: str | Path, payloads: bool = True) -> Iterator[StoredRecord]:
    """Every record of a WARC file, in order, with its offset and length.

    warcio reads a record cut short as if it were whole (a shorter payload) or drops it
    silently; here only whole records come out, and a file that ends inside a record raises
    :class:`TruncatedWarc` once every whole record before the cut has been yielded.

    :param payloads: read each payload into ``StoredRecord.payload``; False reads through
        them in blocks (memory stays flat) and leaves ``payload`` empty
    :raises TruncatedWarc: the file ends inside a record, or is unreadable past some point
    """
    path = Path(path)
    end = 0
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                if payloads:
                    payload = record.raw_stream.read()
                else:
                    payload = b""
                    while record.raw_stream.read(_BLOCK):
                        pass
                offset = iterator.get_record_offset()
                length = iterator.get_record_length()
                if not _is_whole(record, iterator):
                    raise TruncatedWarc(path, offset)
                end = offset + length
                yield StoredRecord(record.rec_type, record.rec_headers, record.http_headers,
                                   payload, offset, length)
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as exc:
            raise TruncatedWarc(path, end, f"unreadable record ({exc})") from exc
        # Past the last whole record: nothing but the blank lines that end it (uncompressed
        # files), else warcio dropped a record cut inside its headers.
        fh.seek(end)
        if fh.read(64).strip(b"\r\n"):
            raise TruncatedWarc(path, end)


def _is_whole(record: object, iterator: ArchiveIterator) -> bool:
    # A block cut short leaves its length limit unmet; a gzip member cut in its trailer
    # leaves the decompressor short of the end of the member.
    if record.rec_type is None or getattr(record.raw_stream, "limit", 0) > 0:  # type: ignore[attr-defined]
        return False
    decompressor = getattr(iterator.reader, "decompressor", None)
    return decompressor is None or getattr(decompressor, "eof", True)


def record_at(path: str | Path, offset: int) -> StoredRecord:
    """The record that starts at ``offset`` (one seek, one gzip member)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        iterator = ArchiveIterator(fh)
        record = next(iterator)
        payload = record.raw_stream.read()
        return StoredRecord(record.rec_type, record.rec_headers, record.http_headers,
                            payload, offset, iterator.get_record_length())
