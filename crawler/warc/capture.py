"""A stored WARC record as the crawl sees it: its ``captures`` row and its body.

Shared by the offline replay (``crawler.replay``) and ``WARC_REPLAY``
(``crawler.fetch.warc_replay``), so that both write the rows a live crawl writes.
"""

from __future__ import annotations

import io
import zlib
from datetime import UTC, datetime
from typing import Any

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from warcio.bufferedreaders import ChunkedDataReader

from crawler.warc.reader import StoredRecord

__all__ = ["capture_row", "decoded_body", "fetched_at_of", "http_body", "inflate_whole",
           "last_header", "status_of", "warc_fields"]

WARC_FIELDS = "application/warc-fields"

# Decompressed bodies past this size are refused (COMPRESSION_MAXSIZE's default): a
# compression bomb in the archive is never inflated whole.
MAX_BODY_SIZE = 50 * 1024 * 1024


def last_header(headers: Any, name: str) -> str | None:
    """The last value of an HTTP header, as Scrapy's ``Headers[name]`` gives it."""
    if headers is None:
        return None
    lowered = name.lower()
    value = None
    for key, val in headers.headers:
        if key.lower() == lowered:
            value = val
    return value


def fetched_at_of(warc_date: str | None) -> str | None:
    """A WARC-Date as the crawl writes ``fetched_at``: ISO 8601, milliseconds, ``Z``."""
    if not warc_date:
        return None
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def status_of(record: StoredRecord) -> int | None:
    if record.http_headers is None:
        return None
    code = record.http_headers.get_statuscode()
    return int(code) if code and code.isdigit() else None


def warc_fields(record: StoredRecord | None) -> dict[str, str]:
    """The fields of a ``metadata`` record in ``application/warc-fields`` (the crawl's:
    ``seed``, ``page``, ``via``, ``hopsFromSeed``); empty for anything else."""
    if record is None or (record.header("Content-Type") or "").split(";")[0] != WARC_FIELDS:
        return {}
    fields = {}
    for line in record.payload.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields.setdefault(name.strip(), value.strip())
    return fields


def capture_row(
    record: StoredRecord,
    warc_file: str,
    request: StoredRecord | None = None,
    payload_length: int | None = None,
    metadata: StoredRecord | None = None,
) -> dict[str, Any]:
    """The ``captures`` row of a ``response``/``revisit`` record, as the live crawl writes it.

    :param warc_file: the file's name relative to the WARC folder, without ``.open``
    :param request: its ``request`` record, if there is one
    :param payload_length: the payload's length when ``record.payload`` was not kept (for a
        revisit: the length of the payload it stands for)
    :param metadata: its crawl ``metadata`` record, if there is one (``hops``, ``via``)
    """
    crawl = warc_fields(metadata)
    headers = record.http_headers
    revisit = record.rec_type == "revisit"
    method = request.http_headers.protocol if request and request.http_headers else "GET"
    return {
        "url": record.target_uri,
        "method": (method or "GET").upper(),
        "status": status_of(record),
        "content_type": last_header(headers, "Content-Type"),
        "content_length": len(record.payload) if payload_length is None else payload_length,
        "fetched_at": fetched_at_of(record.header("WARC-Date")),
        "ip_address": record.header("WARC-IP-Address"),
        "location": last_header(headers, "Location"),
        "etag": last_header(headers, "ETag"),
        "last_modified": last_header(headers, "Last-Modified"),
        "warc_file": warc_file,
        "warc_offset": record.offset,
        "warc_length": record.length,
        "warc_record_id": record.record_id,
        "warc_request_record_id": request.record_id if request else None,
        "warc_date": record.header("WARC-Date"),
        "payload_digest": record.header("WARC-Payload-Digest"),
        "record_type": record.rec_type,
        "revisit_profile": record.header("WARC-Profile") if revisit else None,
        "refers_to_record_id": record.header("WARC-Refers-To") if revisit else None,
        "hops": crawl.get("hopsFromSeed"),
        "via": crawl.get("via"),
        "truncated": record.header("WARC-Truncated"),
    }


def http_body(record: StoredRecord) -> bytes:
    """The payload as stored, de-chunked if the record kept ``Transfer-Encoding: chunked``
    (Scrapy hands the body over de-chunked, still Content-Encoded)."""
    payload = record.payload
    encoding = last_header(record.http_headers, "Transfer-Encoding")
    if encoding and "chunked" in encoding.lower():
        payload = ChunkedDataReader(io.BytesIO(payload)).read()
    return payload


def decoded_body(record: StoredRecord) -> bytes:
    """The body as the spider sees it: de-chunked, Content-Encoding decoded the way
    Scrapy's HttpCompressionMiddleware decodes it (same code)."""
    body = http_body(record)
    headers = record.http_headers
    if headers is None:
        return body
    encodings = [v.encode("latin-1") for k, v in headers.headers
                 if k.lower() == "content-encoding"]
    if not encodings:
        return body
    to_decode, _ = HttpCompressionMiddleware._split_encodings(encodings)
    for encoding in to_decode:
        if encoding in (b"gzip", b"x-gzip", b"deflate"):  # as the live crawl decodes them
            body = inflate_whole(body, encoding != b"deflate", MAX_BODY_SIZE)
        else:
            body = HttpCompressionMiddleware._decode(body, encoding, MAX_BODY_SIZE)
    return body


_CHUNK = 64 * 1024


def _gzip_header_end(data: bytes) -> int:
    """Where the deflate stream of a gzip member starts (RFC 1952 header).

    :raises EOFError: the header is cut short
    :raises ValueError: not a gzip header
    """
    if data[:3] != b"\x1f\x8b\x08":
        raise ValueError("not a gzip stream")
    if len(data) < 10:
        raise EOFError("the gzip header is cut short")
    flags, at = data[3], 10
    if flags & 4:  # FEXTRA
        at += 2 + int.from_bytes(data[at:at + 2], "little")
    for flag in (8, 16):  # FNAME, FCOMMENT: zero-terminated
        if flags & flag:
            end = data.find(b"\0", at)
            if end < 0:
                raise EOFError("the gzip header is cut short")
            at = end + 1
    if flags & 2:  # FHCRC
        at += 2
    if at > len(data):
        raise EOFError("the gzip header is cut short")
    return at


def inflate_whole(body: bytes, gzipped: bool, max_size: int) -> bytes:
    """Decode a gzip (or zlib/raw deflate) body, refusing it as soon as it inflates past
    ``max_size``, and failing when the compressed stream ends early (Scrapy's decoders
    return such a cut body as if it were whole). Checksums are not checked and bytes after
    the end are ignored, as browsers do.

    :raises EOFError: the stream ends before its end marker
    :raises ValueError, zlib.error: the body is not what its encoding says
    """
    out = io.BytesIO()
    size = 0
    data = body
    while True:
        if gzipped:
            decoder = zlib.decompressobj(-zlib.MAX_WBITS)
            pending = data[_gzip_header_end(data):]
        else:
            raw = not data[:1] or (data[0] & 0x0F) != 8 or int.from_bytes(data[:2], "big") % 31
            decoder = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
            pending = data
        while pending and not decoder.eof:
            piece = decoder.decompress(pending, _CHUNK)
            size += len(piece)
            if max_size and size > max_size:
                out.close()  # freed now, not when the traceback goes
                raise _DecompressionMaxSizeExceeded(size, max_size)
            out.write(piece)
            pending = decoder.unconsumed_tail
        if not decoder.eof:
            out.close()
            raise EOFError(f"the compressed body ends early ({size} bytes decoded)")
        data = decoder.unused_data[8:] if gzipped else b""  # past the CRC32 and ISIZE
        if not (gzipped and data[:3] == b"\x1f\x8b\x08"):  # another member, or the end
            return out.getvalue()

