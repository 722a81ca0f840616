"""Bounded exchanges (crawler.fetch.limits): size caps that keep what came, the decoded-size
cap, whole-stream decoding, and the reasons given for failures (crawler.fetch.failures)."""

from __future__ import annotations

import gzip
import random
import zlib

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.fetch.failures import describe_failure
from crawler.fetch.handler import HeaderTooLong
from crawler.fetch.limits import (
    ACCEPT_ENCODING,
    BoundedDecompressionMiddleware,
    BoundedMetaRefreshMiddleware,
    DecompressionTooLarge,
    ExchangeLimits,
    UndecodableBody,
    truncation,
)
from crawler.fetch.retry_after import ASKED
from crawler.warc.capture import inflate_whole
from tests.hostile import payloads as p

MB = 1024 * 1024


def limits(maxsize=10 * MB, inflight=16 * MB) -> ExchangeLimits:
    return ExchangeLimits(get_crawler(), maxsize, inflight, 500 * 1024)


def test_a_body_is_cut_at_the_cap_and_marked_length():
    mw = limits(maxsize=100_000)
    request = Request("http://a.example/x")
    mw.process_request(request)
    assert request.meta["download_maxsize"] == 0  # Scrapy's own cap would drop the body
    mw.headers_received({}, "UNKNOWN_LENGTH", request, None)
    mw.bytes_received(b"x" * 60_000, request, None)
    with pytest.raises(StopDownload) as stop:
        mw.bytes_received(b"x" * 60_000, request, None)
    assert stop.value.fail is False
    response = Response(request.url, body=b"x" * 120_000, request=request,
                        flags=["download_stopped"])
    assert truncation(request, response) == "length"


def test_an_announced_length_over_the_cap_stops_at_the_headers():
    mw = limits(maxsize=1000)
    request = Request("http://a.example/big")
    mw.process_request(request)
    with pytest.raises(StopDownload):
        mw.headers_received({}, 10 * 1024**3, request, None)
    assert "Content-Length" in request.meta["truncated_detail"]


def test_robots_txt_is_read_up_to_its_own_cap():
    mw = limits()
    request = Request("http://a.example/robots.txt", meta={"dont_obey_robotstxt": True})
    mw.process_request(request)
    assert request.meta["archive_maxsize"] == 500 * 1024


def test_bodies_in_flight_together_are_bounded_the_largest_is_cut():
    mw = limits(maxsize=100 * MB, inflight=10 * MB)
    big, small = Request("http://a.example/big"), Request("http://a.example/small")
    for request in (big, small):
        mw.process_request(request)
        mw.headers_received({}, "UNKNOWN_LENGTH", request, None)
    mw.bytes_received(b"x" * (8 * MB), big, None)
    mw.bytes_received(b"x" * (2 * MB), small, None)  # over the budget: big is marked
    with pytest.raises(StopDownload):
        mw.bytes_received(b"x", big, None)
    mw.bytes_received(b"x" * MB, small, None)  # the small one goes on
    assert "DOWNLOAD_INFLIGHT_MAXSIZE" in big.meta["truncated_detail"]


@pytest.mark.parametrize("flags, expected", [
    (["timeout"], "time"), (["dataloss"], "disconnect"), ([], None), (["partial"], None)])
def test_truncation_reasons(flags, expected):
    request = Request("http://a.example/")
    assert truncation(request, Response(request.url, request=request, flags=flags)) == expected


def test_inflate_whole_decodes_and_refuses():
    data = b"hello " * 50_000
    assert inflate_whole(gzip.compress(data), True, 0) == data
    assert inflate_whole(gzip.compress(data) + gzip.compress(b"!"), True, 0) == data + b"!"
    assert inflate_whole(zlib.compress(data), False, 0) == data
    raw = zlib.compressobj(wbits=-15)
    assert inflate_whole(raw.compress(data) + raw.flush(), False, 0) == data
    broken_crc = bytearray(gzip.compress(data))
    broken_crc[-6] ^= 0xFF
    assert inflate_whole(bytes(broken_crc), True, 0) == data  # as browsers do
    with pytest.raises(EOFError):
        inflate_whole(gzip.compress(data)[:-200], True, 0)
    with pytest.raises(ValueError):
        inflate_whole(b"not gzip", True, 0)


def decompression(cap: int = 50 * MB) -> BoundedDecompressionMiddleware:
    crawler = get_crawler(settings_dict={"COMPRESSION_MAXSIZE": cap})
    return BoundedDecompressionMiddleware.from_crawler(crawler)


def gzip_response(body: bytes, encoding: bytes = b"gzip") -> tuple[Request, Response]:
    request = Request("http://a.example/page")
    response = HtmlResponse(request.url, body=body, request=request,
                            headers={"Content-Encoding": encoding})
    return request, response


def test_a_gzip_bomb_is_refused_at_the_decoded_cap():
    request, response = gzip_response(p.gzip_bomb(64))
    with pytest.raises(DecompressionTooLarge) as refused:
        decompression(cap=8 * MB).process_response(request, response)
    assert "COMPRESSION_MAXSIZE" in str(refused.value)
    assert refused.value.__context__ is None  # nothing keeps the inflated part alive


def test_a_cut_or_false_gzip_body_is_undecodable():
    noise = random.Random(1).randbytes(20_000)
    for body in (gzip.compress(noise)[:3000], b"plain text"):
        request, response = gzip_response(body)
        with pytest.raises(UndecodableBody):
            decompression().process_response(request, response)


def test_a_whole_gzip_body_is_decoded():
    request, response = gzip_response(gzip.compress(b"<html><p>hello</p></html>"))
    decoded = decompression().process_response(request, response)
    assert decoded.body == b"<html><p>hello</p></html>"
    assert "download_maxsize" not in request.meta


def test_brotli_is_not_asked_for():
    request = Request("http://a.example/")
    decompression().process_request(request)
    assert request.headers["Accept-Encoding"] == ACCEPT_ENCODING
    assert b"br" not in ACCEPT_ENCODING


def test_meta_refresh_on_a_big_page_decodes_only_its_head():
    crawler = get_crawler()
    mw = BoundedMetaRefreshMiddleware.from_crawler(crawler)
    head = b"<html><head><meta http-equiv='refresh' content='0; url=/next'></head><body>"
    request = Request("http://a.example/")
    big = HtmlResponse(request.url, body=head + b"x" * (5 * MB), request=request)
    redirected = mw.process_response(request, big)
    assert isinstance(redirected, Request) and redirected.url == "http://a.example/next"
    plain = HtmlResponse(request.url, body=b"<html><body>" + b"y" * (5 * MB), request=request)
    assert mw.process_response(request, plain) is plain
    assert getattr(plain, "_cached_ubody", None) is None  # never decoded whole


# --- reasons -------------------------------------------------------------------------------


def failure_of(exc: BaseException) -> Failure:
    try:
        raise exc
    except BaseException:
        return Failure()


def test_reasons_name_what_happened():
    request = Request("http://a.example/page")
    cases = {
        "closed the connection without sending a response":
            ResponseNeverReceived([Failure(ConnectionDone())]),
        "reset or lost before any response": ResponseNeverReceived([Failure(ConnectionLost())]),
        "header line": HeaderTooLong(70000),
        "robots.txt of a.example": IgnoreRequest("Forbidden by robots.txt"),
    }
    for expected, exc in cases.items():
        from scrapy.exceptions import DownloadFailedError

        if isinstance(exc, ResponseNeverReceived):
            wrapped = DownloadFailedError(str(exc))
            wrapped.__cause__ = exc
            exc = wrapped
        error, detail = describe_failure(failure_of(exc), request)
        assert expected in detail, (error, detail)


def test_a_redirect_chain_is_named_hop_by_hop():
    request = Request("http://a.example/c", meta={
        "redirect_urls": ["http://a.example/a", "http://a.example/b"]})
    response = Response(request.url, status=500, request=request)
    error, detail = describe_failure(failure_of(HttpError(response)), request)
    assert error == "HTTP 500"
    assert "http://a.example/a -> http://a.example/b -> http://a.example/c" in detail


def test_a_redirect_nowhere_or_to_a_file_is_said_so():
    request = Request("http://a.example/r")
    to_file = Response(request.url, status=302, headers={"Location": "file:///etc/passwd"})
    assert "only http and https" in describe_failure(failure_of(HttpError(to_file)), request)[1]
    nowhere = Response(request.url, status=302)
    assert "without a Location" in describe_failure(failure_of(HttpError(nowhere)), request)[1]


def test_a_retry_after_too_long_is_said_so():
    request = Request("http://a.example/", meta={ASKED: 86400.0})
    response = Response(request.url, status=429, headers={"Retry-After": "86400"})
    detail = describe_failure(failure_of(HttpError(response)), request)[1]
    assert "86400 s" in detail and "RETRY_AFTER_MAX" in detail
