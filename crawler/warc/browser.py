"""WARC records of the exchanges a browser made, and of the page it rendered, from plain
values (README: "Pages that need JavaScript").

A browser hands over what it fetched decoded: the payload is the body after
``Content-Encoding`` (gzip, br...) and chunked transfer were undone. The records say so
rather than pretend otherwise: ``Content-Encoding`` and ``Transfer-Encoding`` are dropped
from the recorded HTTP headers, ``Content-Length`` is the length of the payload recorded,
and the WARC headers keep what the server said (``WARC-Decoded-Content-Encoding``,
``WARC-Original-Content-Length``). The rendered DOM is a ``conversion`` record (WARC 1.1)
naming the document response it was made from (``WARC-Refers-To``): replay tools do not
index conversion records, so a replay still runs the page's scripts on the archived
document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import TYPE_CHECKING

from warcio.statusandheaders import StatusAndHeaders

from crawler.warc.records import (
    PROFILE_IDENTICAL,
    host_header,
    reason_phrase,
    request_target,
    warc_date,
)

if TYPE_CHECKING:
    from warcio.recordbuilder import RecordBuilder
    from warcio.recordloader import ArcWarcRecord

__all__ = ["BrowserExchange", "conversion_record", "exchange_records", "recorded_headers",
           "sent_headers"]

#: headers that describe bytes on the wire, which a decoded payload no longer is
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


@dataclass
class BrowserExchange:
    """One network exchange as the browser reported it.

    :param request_headers: as sent (HTTP/2 pseudo-headers such as ``:authority`` included)
    :param response_headers: as received, every value (two ``Set-Cookie`` stay two)
    :param body: the response body, decoded by the browser
    :param truncated: why the body is not whole (``length``: over the size limit;
        ``unspecified``: the browser kept none, as for redirects), or None
    """

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    status_text: str
    response_headers: list[tuple[str, str]]
    body: bytes
    started_at: datetime
    resource_type: str = "other"
    request_body: bytes = b""
    ip_address: str | None = None
    truncated: str | None = None
    #: the URL this one was redirected from, if it is a redirect's target
    redirected_from: str | None = None
    #: how many redirects led to this request (0: none)
    redirect_depth: int = 0
    #: URL of the frame (document) that made the request
    frame_url: str | None = None
    is_main_frame: bool = True
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def http_version(self) -> str | None:
        """``HTTP/2`` when the request went out with HTTP/2 pseudo-headers, ``HTTP/1.1`` when
        it had a ``Host`` line; None when the browser did not say."""
        names = {name.lower() for name, _ in self.request_headers}
        if any(name.startswith(":") for name in names):
            return "HTTP/2"
        return "HTTP/1.1" if "host" in names else None


def sent_headers(exchange: BrowserExchange) -> list[tuple[str, str]]:
    """The request headers as an HTTP/1.1 request record writes them: ``Host`` first (from
    ``:authority`` for HTTP/2), pseudo-headers left out."""
    host = next((v for k, v in exchange.request_headers if k.lower() in (":authority", "host")),
                None) or host_header(exchange.url)
    headers = [("Host", host)]
    headers += [(k, v) for k, v in exchange.request_headers
                if not k.startswith(":") and k.lower() != "host"]
    return headers


def recorded_headers(exchange: BrowserExchange) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The response headers to record with the decoded payload, and the WARC headers that
    say what was changed.

    :return: (HTTP headers, WARC headers): ``Content-Encoding`` and ``Transfer-Encoding``
        dropped and ``Content-Length`` set to the payload's length; the server's values in
        ``WARC-Decoded-Content-Encoding``, ``WARC-Decoded-Transfer-Encoding`` and
        ``WARC-Original-Content-Length`` when they differ
    """
    kept: list[tuple[str, str]] = []
    dropped: dict[str, list[str]] = {}
    for name, value in exchange.response_headers:
        if name.lower() in _WIRE_HEADERS:
            dropped.setdefault(name.lower(), []).append(value)
        else:
            kept.append((name, value))
    kept.append(("Content-Length", str(len(exchange.body))))
    warc: dict[str, str] = {}
    if "content-encoding" in dropped:
        warc["WARC-Decoded-Content-Encoding"] = ", ".join(dropped["content-encoding"])
    if "transfer-encoding" in dropped:
        warc["WARC-Decoded-Transfer-Encoding"] = ", ".join(dropped["transfer-encoding"])
    original = dropped.get("content-length")
    if original and original[-1].strip() != str(len(exchange.body)):
        warc["WARC-Original-Content-Length"] = original[-1].strip()
    return kept, warc


def exchange_records(builder: RecordBuilder, exchange: BrowserExchange,
                     revisit_of: dict[str, str] | None = None,
                     ) -> tuple[ArcWarcRecord, ArcWarcRecord]:
    """The ``response`` (or identical-payload ``revisit``) and ``request`` records of one
    browser exchange.

    :param revisit_of: the earlier capture whose payload is the same (``url``,
        ``warc_date``, ``warc_record_id``, ``payload_digest``): a revisit is written instead
    """
    date = warc_date(exchange.started_at)
    http_headers, warc_headers = recorded_headers(exchange)
    # Browsers do not say which HTTP version they spoke in a way a status line can hold
    # (HTTP/2 has no status line): HTTP/1.1 is written, the version is in the metadata.
    status_line = f"{exchange.status} {exchange.status_text or reason_phrase(exchange.status)}"
    status = StatusAndHeaders(status_line.rstrip(), http_headers, "HTTP/1.1")
    warc_headers["WARC-Date"] = date
    if exchange.ip_address:
        warc_headers["WARC-IP-Address"] = exchange.ip_address
    if exchange.truncated:
        warc_headers["WARC-Truncated"] = exchange.truncated
    if revisit_of is not None:
        warc_headers.update({
            "WARC-Profile": PROFILE_IDENTICAL,
            "WARC-Refers-To-Target-URI": revisit_of["url"],
            "WARC-Refers-To-Date": revisit_of["warc_date"],
            "WARC-Refers-To": revisit_of["warc_record_id"],
            "WARC-Payload-Digest": revisit_of["payload_digest"],
        })
        response = builder.create_warc_record(exchange.url, "revisit", http_headers=status,
                                              warc_headers_dict=warc_headers)
    else:
        response = builder.create_warc_record(
            exchange.url, "response", payload=BytesIO(exchange.body), length=len(exchange.body),
            http_headers=status, warc_headers_dict=warc_headers)
    request_line = f"{exchange.method} {request_target(exchange.url)} HTTP/1.1"
    headers = sent_headers(exchange)
    if exchange.request_body and not any(k.lower() == "content-length" for k, _ in headers):
        headers.append(("Content-Length", str(len(exchange.request_body))))
    request = builder.create_warc_record(
        exchange.url, "request", payload=BytesIO(exchange.request_body),
        length=len(exchange.request_body),
        http_headers=StatusAndHeaders(request_line, headers, is_http_request=True),
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To":
                           response.rec_headers.get_header("WARC-Record-ID")})
    return response, request


def conversion_record(builder: RecordBuilder, url: str, dom: bytes, content_type: str,
                      taken_at: datetime, refers_to: str | None) -> ArcWarcRecord:
    """The rendered page: the DOM as the browser serialised it after the scripts ran.

    :param refers_to: the ``WARC-Record-ID`` of the document response it was rendered from
    """
    headers = {"WARC-Date": warc_date(taken_at)}
    if refers_to:
        headers["WARC-Refers-To"] = refers_to
    return builder.create_warc_record(url, "conversion", payload=BytesIO(dom), length=len(dom),
                                      warc_content_type=content_type,
                                      warc_headers_dict=headers)
