from datetime import UTC, datetime
from ipaddress import ip_address

from scrapy import Request
from scrapy.http import Response

from crawler.warc.records import reason_phrase, request_record, response_record, warc_date
from crawler.warc.writer import record_builder

WHEN = datetime(2025, 7, 23, 12, 3, 4, 567890, tzinfo=UTC)


def _request_line(record):
    return record.http_headers.to_str().split("\r\n", 1)[0]


def test_reason_phrases():
    assert reason_phrase(200) == "OK"
    assert reason_phrase(404) == "Not Found"
    assert reason_phrase(418) == "I'm a Teapot"
    assert reason_phrase(432) == ""


def test_warc_date_is_utc_with_microseconds():
    assert warc_date(WHEN) == "2025-07-23T12:03:04.567890Z"


def test_response_record_keeps_every_header_value_and_raw_payload():
    body = b"\x1f\x8b\x08\x00compressed-bytes"
    response = Response(
        "http://example.com/a?b=1",
        status=404,
        headers=[("Content-Encoding", "gzip"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
        body=body,
        ip_address=ip_address("127.0.0.1"),
        protocol="HTTP/1.1",
    )
    record = response_record(record_builder(), response, WHEN)
    assert record.http_headers.statusline == "404 Not Found"
    assert record.http_headers.protocol == "HTTP/1.1"
    assert [v for k, v in record.http_headers.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert record.rec_headers.get_header("WARC-Date") == "2025-07-23T12:03:04.567890Z"
    assert record.raw_stream.read() == body


def test_request_record_has_request_line_host_and_concurrent_to():
    request = Request("http://example.com:8080/path/x.html?q=%E4%B8%AD&n=2",
                      headers={"User-Agent": "test-agent", "Accept-Encoding": "gzip"})
    record = request_record(record_builder(), request, WHEN, concurrent_to="<urn:uuid:1>")
    assert _request_line(record) == "GET /path/x.html?q=%E4%B8%AD&n=2 HTTP/1.1"
    assert record.http_headers.headers[0] == ("Host", "example.com:8080")
    assert record.http_headers.get_header("User-Agent") == "test-agent"
    assert record.rec_headers.get_header("WARC-Concurrent-To") == "<urn:uuid:1>"
    assert record.rec_type == "request"


def test_request_record_default_port_and_body():
    request = Request("https://example.com", method="POST", body=b"a=1")
    record = request_record(record_builder(), request, WHEN)
    assert _request_line(record) == "POST / HTTP/1.1"
    assert ("Host", "example.com") in record.http_headers.headers
    assert record.http_headers.get_header("Content-Length") == "3"
