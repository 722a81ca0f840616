"""Hand-made WARC files for the replay and index tests: exchanges written the way the
crawler writes them (response, request, optional ``metadata``), or the way other tools do
(no metadata records, uncompressed)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warc.records import reason_phrase, warc_date


@dataclass
class Exchange:
    url: str
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    method: str = "GET"
    seed: str | None = None  # None: no metadata record
    date: datetime | None = None
    request_body: bytes = b""
    gzip_body: bool = False  # send the body gzipped, with Content-Encoding


@dataclass
class Revisit:
    """An identical-payload revisit of an earlier response (``of``: its record id)."""

    url: str
    of: str
    of_date: str
    digest: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    status: int = 200
    date: datetime | None = None


def html_headers(body: bytes, content_type: str = "text/html; charset=utf-8",
                 encoding: str | None = None) -> list[tuple[str, str]]:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    return headers


def write_warc(path: Path, exchanges: list[Exchange | Revisit], gzipped: bool = True
               ) -> dict[str, str]:
    """Write the exchanges to ``path``; return each response record's id by URL (the last
    one for a URL written twice)."""
    builder = RecordBuilder(warc_version="1.1")
    ids: dict[str, str] = {}
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped, warc_version="1.1")
        writer.write_record(builder.create_warcinfo_record(path.name, {"software": "test"}))
        for exchange in exchanges:
            moment = exchange.date or datetime.now(UTC)
            if isinstance(exchange, Revisit):
                http = StatusAndHeaders(
                    f"{exchange.status} {reason_phrase(exchange.status)}", exchange.headers,
                    "HTTP/1.1")
                record = builder.create_warc_record(
                    exchange.url, "revisit", http_headers=http,
                    warc_headers_dict={
                        "WARC-Date": warc_date(moment),
                        "WARC-Profile": "http://netpreserve.org/warc/1.1/revisit/"
                                        "identical-payload-digest",
                        "WARC-Refers-To": exchange.of,
                        "WARC-Refers-To-Target-URI": exchange.url,
                        "WARC-Refers-To-Date": exchange.of_date,
                        "WARC-Payload-Digest": exchange.digest,
                    })
                writer.write_record(record)
                ids[exchange.url] = record.rec_headers.get_header("WARC-Record-ID")
                continue
            body = gzip.compress(exchange.body, mtime=0) if exchange.gzip_body else exchange.body
            headers = list(exchange.headers)
            if exchange.gzip_body:
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
                headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
            http = StatusAndHeaders(f"{exchange.status} {reason_phrase(exchange.status)}",
                                    headers, "HTTP/1.1")
            response = builder.create_warc_record(
                exchange.url, "response", payload=BytesIO(body), length=len(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": warc_date(moment),
                                   "WARC-IP-Address": "192.0.2.1"})
            response_id = response.rec_headers.get_header("WARC-Record-ID")
            ids[exchange.url] = response_id
            target = exchange.url.split("/", 3)[-1] if exchange.url.count("/") >= 3 else ""
            host = exchange.url.split("/")[2]
            request_http = StatusAndHeaders(f"{exchange.method} /{target} HTTP/1.1",
                                            [("Host", host)], is_http_request=True)
            request = builder.create_warc_record(
                exchange.url, "request", payload=BytesIO(exchange.request_body),
                length=len(exchange.request_body), http_headers=request_http,
                warc_headers_dict={"WARC-Date": warc_date(moment),
                                   "WARC-Concurrent-To": response_id})
            writer.write_record(response)
            writer.write_record(request)
            if exchange.seed is not None:
                fields = f"seed: {exchange.seed}\r\nhopsFromSeed: \r\n".encode()
                writer.write_record(builder.create_warc_record(
                    exchange.url, "metadata", payload=BytesIO(fields), length=len(fields),
                    warc_content_type="application/warc-fields",
                    warc_headers_dict={"WARC-Date": warc_date(moment),
                                       "WARC-Concurrent-To": response_id}))
    return ids
