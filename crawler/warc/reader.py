"""Reading WARC records back: in file order, or one at a known offset."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders


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


def iter_records(path: str | Path) -> Iterator[StoredRecord]:
    """Every record of a WARC file, in order, with its offset and length."""
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            payload = record.raw_stream.read()
            offset = iterator.get_record_offset()
            length = iterator.get_record_length()
            yield StoredRecord(record.rec_type, record.rec_headers, record.http_headers,
                               payload, offset, length)


def record_at(path: str | Path, offset: int) -> StoredRecord:
    """The record that starts at ``offset`` (one seek, one gzip member)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        iterator = ArchiveIterator(fh)
        record = next(iterator)
        payload = record.raw_stream.read()
        return StoredRecord(record.rec_type, record.rec_headers, record.http_headers,
                            payload, offset, iterator.get_record_length())
