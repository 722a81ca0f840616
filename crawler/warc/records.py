"""Scrapy requests and responses -> WARC ``request`` and ``response`` records.

The response record keeps the payload exactly as received (still compressed when the server
compressed it), the status line with a reason phrase, and every header value in order. The
request record holds the request line (path and query) and the headers actually sent, Host
included.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

if TYPE_CHECKING:
    from scrapy.http import Headers, Request, Response
    from warcio.recordbuilder import RecordBuilder
    from warcio.recordloader import ArcWarcRecord

DEFAULT_PORTS = {"http": 80, "https": 443}
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def reason_phrase(status: int) -> str:
    """The standard reason phrase for a status code ("" when there is none, e.g. 432)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def warc_date(moment: datetime) -> str:
    """WARC/1.1 date with microseconds, in UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return datetime_to_iso_date(moment, use_micros=True)


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Every (name, value) pair, repeated names kept (two Set-Cookie lines stay two)."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def request_target(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def host_header(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return host


def response_record(
    builder: RecordBuilder, response: Response, fetched_at: datetime,
    truncated: str | None = None,
) -> ArcWarcRecord:
    """The ``response`` record of one exchange.

    :param truncated: why the payload is incomplete (``length``, ``time``, ``disconnect``,
        or ``unspecified``), written as ``WARC-Truncated`` (WARC 1.1, section 5.13)
    """
    protocol = response.protocol or "HTTP/1.1"
    status_line = f"{response.status} {reason_phrase(response.status)}".rstrip()
    http_headers = StatusAndHeaders(status_line, header_pairs(response.headers), protocol)
    warc_headers = {"WARC-Date": warc_date(fetched_at)}
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    if truncated is None and "dataloss" in response.flags:
        truncated = "disconnect"
    if truncated:
        warc_headers["WARC-Truncated"] = truncated
    body = response.body
    return builder.create_warc_record(
        response.url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def payload_digest(payload: bytes) -> str:
    """The WARC payload digest of bytes as received: ``sha1:`` + base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def revisit_record(
    builder: RecordBuilder,
    response: Response,
    fetched_at: datetime,
    profile: str,
    refers_to: dict[str, str],
) -> ArcWarcRecord:
    """A revisit: the response's status line and headers, no payload, naming the earlier
    ``response`` record (``refers_to``: ``url``, ``warc_date``, ``warc_record_id``,
    ``payload_digest``) whose payload it stands for."""
    protocol = response.protocol or "HTTP/1.1"
    status_line = f"{response.status} {reason_phrase(response.status)}".rstrip()
    http_headers = StatusAndHeaders(status_line, header_pairs(response.headers), protocol)
    warc_headers = {
        "WARC-Date": warc_date(fetched_at),
        "WARC-Profile": profile,
        "WARC-Refers-To-Target-URI": refers_to["url"],
        "WARC-Refers-To-Date": refers_to["warc_date"],
        "WARC-Refers-To": refers_to["warc_record_id"],
        "WARC-Payload-Digest": refers_to["payload_digest"],
    }
    if response.ip_address is not None:
        warc_headers["WARC-IP-Address"] = str(response.ip_address)
    return builder.create_warc_record(
        response.url, "revisit", http_headers=http_headers, warc_headers_dict=warc_headers
    )


def request_record(
    builder: RecordBuilder,
    request: Request,
    fetched_at: datetime,
    concurrent_to: str | None = None,
) -> ArcWarcRecord:
    headers = [("Host", host_header(request.url))]
    headers += [(k, v) for k, v in header_pairs(request.headers) if k.lower() != "host"]
    if request.body and not request.headers.get("Content-Length"):
        headers.append(("Content-Length", str(len(request.body))))
    request_line = f"{request.method} {request_target(request.url)} HTTP/1.1"
    http_headers = StatusAndHeaders(request_line, headers, is_http_request=True)
    warc_headers = {"WARC-Date": warc_date(fetched_at)}
    if concurrent_to:
        warc_headers["WARC-Concurrent-To"] = concurrent_to
    return builder.create_warc_record(
        request.url,
        "request",
        payload=BytesIO(request.body),
        length=len(request.body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def crawl_fields(request: Request) -> list[tuple[str, str]] | None:
    """Heritrix-style crawl metadata of one exchange, or None for requests no seed led to
    (robots.txt): the ``seed`` it descends from, the ``page`` whose article it keys when that
    is not the seed (a followed link, and what that page embeds), the URL it came ``via``
    (the page that links to it or embeds it, or the redirect before it), and
    ``hopsFromSeed``: an ``L`` per link followed, an ``E`` per embed, an ``R`` per redirect.

    Read from the request's meta: ``seed_url`` (the URL that keys the page's article: the
    seed, a feed entry, a followed link), ``source_seed`` (the seed, when ``seed_url`` is not
    it), ``hops`` and ``via`` (set by the requests for links and requisites) and
    ``redirect_urls`` (set by Scrapy's redirects).
    """
    meta = request.meta
    page = meta.get("seed_url")
    if not page:
        return None
    seed = meta.get("source_seed") or page
    redirects = meta.get("redirect_urls") or []
    fields = [("seed", seed)]
    if page != seed:
        fields.append(("page", page))
    via = redirects[-1] if redirects else meta.get("via")
    if via:
        fields.append(("via", via))
    fields.append(("hopsFromSeed", meta.get("hops", "") + "R" * len(redirects)))
    return fields


def metadata_record(
    builder: RecordBuilder,
    request: Request,
    fetched_at: datetime,
    refers_to: str,
) -> ArcWarcRecord | None:
    """The ``metadata`` record (``application/warc-fields``) of one exchange's
    :func:`crawl_fields`, so that an offline rebuild can key articles by their seed or
    page and tell pages from the resources they embed. None for requests that no seed led
    to (robots.txt)."""
    fields = crawl_fields(request)
    if fields is None:
        return None
    payload = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")
    return builder.create_warc_record(
        request.url,
        "metadata",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Date": warc_date(fetched_at), "WARC-Concurrent-To": refers_to},
    )
