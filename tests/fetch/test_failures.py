"""Why a fetch failed, in the words of the one log line a failed seed gets."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.fetch.failures import short_reason


def failure_of(exc: BaseException, url: str = "http://127.0.0.1:9/a", **meta) -> Failure:
    failure = Failure(exc)
    failure.request = Request(url, meta=meta)  # type: ignore[attr-defined]
    return failure


@pytest.mark.parametrize(("exc", "meta", "said"), [
    (HttpError(Response("http://127.0.0.1:9/a", status=404), "x"), {}, "HTTP 404 Not Found"),
    (DownloadConnectionRefusedError("Connection was refused by other side: 111"), {},
     "connection refused (127.0.0.1:9)"),
    (CannotResolveHostError("DNS lookup failed: no results"), {},
     "DNS lookup failed for 127.0.0.1"),
    (DownloadTimeoutError("took longer than 60.0 seconds"), {"download_timeout": 60},
     "timed out after 60 s"),
    (IgnoreRequest("Forbidden by robots.txt"), {}, "forbidden by robots.txt"),
    (DownloadFailedError("[<twisted.python.failure.Failure OpenSSL.SSL.Error: "
                         "[('SSL routines', '', 'wrong version number')]>]"), {},
     "TLS error (127.0.0.1:9): wrong version number"),
    (DownloadFailedError("[<twisted.python.failure.Failure twisted.internet.error."
                         "ConnectionLost: Connection to the other side was lost.>]"), {},
     "connection failed (127.0.0.1:9): Connection to the other side was lost."),
])
def test_failures_read_as_a_person_would_say_them(exc, meta, said):
    assert short_reason(failure_of(exc, **meta)) == said


def test_a_redirect_to_a_location_urllib_refuses_is_described():
    from crawler.fetch.failures import describe_failure

    response = Response("http://127.0.0.1:9/a", status=302, headers={"Location": "http://[broken/"})
    failure = failure_of(HttpError(response, "x"))
    said = describe_failure(failure, failure.request)
    assert "302" in str(said) and "http://[broken/" in str(said)
