"""``WARC_REPLAY``: answer every request from WARC files instead of the network (README
"Replay").

    scrapy crawl seeds -s WARC_REPLAY=archive/warc

A downloader middleware next to the downloader. It looks each request up by method and URL
in the CDXJ indexes of the WARC files (``crawler.warc.index``) and answers with the latest
capture as recorded: its status, every header, the payload as stored, so that
HttpCompressionMiddleware decodes it as it decodes a live one and RedirectMiddleware follows a
recorded redirect to the next capture. Responses are flagged ``"replayed"``, which the WARC
recorder skips: a replay writes no WARC. Each one gets its ``captures`` row (one per WARC
record: a row the archive already has is reused), so articles point at the record they
came from.

A request whose URL is not in the archive is not fetched: it is logged ("not in archive"),
counted (``replay/missing``), kept in ``errors`` (stage ``replay``) and dropped
(``IgnoreRequest``). A missing robots.txt reads as "allow all", as a failed fetch does.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from warcio.timeutils import iso_date_to_timestamp

from crawler.fetch.offline import keep_tldextract_offline
from crawler.store.archive import Archive
from crawler.warc.capture import capture_row, fetched_at_of, http_body, status_of
from crawler.warc.index import CaptureIndex, IndexEntry
from crawler.warc.reader import StoredRecord, TruncatedWarc, record_at
from crawler.warc.writer import OPEN_SUFFIX

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# After every built-in downloader middleware (HttpCache is 900, the WARC recorder 950): the
# request is answered where the download handler would have sent it.
WARC_REPLAY_PRIORITY = 960


class WarcReplayMiddleware:
    """Answer requests from WARC files (``WARC_REPLAY``: a file or a folder of them)."""

    def __init__(self, crawler: Crawler, index: CaptureIndex, source: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.index = index
        self.source = source
        self.archive = Archive.of(crawler)
        self._names = {warc.path: warc.name for warc in index.files}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcReplayMiddleware:
        source = crawler.settings.get("WARC_REPLAY")
        if not source:
            raise NotConfigured
        # A missing path fails the run before anything is requested.
        index = CaptureIndex.from_paths([source])
        keep_tldextract_offline()  # the add-on did already; kept for other projects
        logger.info("WARC_REPLAY: answering from %s (%d captures in %d WARC files); "
                    "no request goes to the network", source, len(index), len(index.files))
        if not index.files:
            logger.warning("WARC_REPLAY: no WARC file in %s", source)
        return cls(crawler, index, source)

    def process_request(self, request: Request) -> Response:
        entry = self.index.latest(request.method, request.url)
        if entry is None:
            self._missing(request, "not in archive")
        assert entry is not None
        try:
            response = self._response(request, entry)
        except (OSError, TruncatedWarc, ValueError) as exc:
            logger.error("WARC_REPLAY: cannot read the capture of %s in %s: %s", request.url,
                         entry.path, exc)
            self._missing(request, f"unreadable capture ({type(exc).__name__}: {exc})")
        self.stats.inc_value("replay/responses")
        return response

    def _missing(self, request: Request, why: str) -> None:
        self.stats.inc_value("replay/missing")
        logger.warning("WARC_REPLAY: %s %s %s (%s); not fetched", request.method, request.url,
                       why, self.source)
        self.archive.record_error(request.url, "replay", why, f"WARC_REPLAY={self.source}")
        request.meta["replay_missing"] = True  # recorded here; the spider's errback skips it
        raise IgnoreRequest(f"{request.url} {why}")

    def _response(self, request: Request, entry: IndexEntry) -> Response:
        captured = record_at(entry.path, entry.offset)
        record = payload_record = captured
        if captured.rec_type == "revisit":
            original = self._original(entry, captured)
            if original is None:
                self._missing(request, "revisit of a capture not in archive")
            assert original is not None
            payload_record = record_at(original.path, original.offset)
            self.stats.inc_value("replay/revisits")
            # A 304 ("not modified") stands for the whole earlier response; an identical
            # payload revisit has headers of its own.
            if not 200 <= (status_of(captured) or 0) < 300:
                record = payload_record
        headers = Headers()
        http_headers = record.http_headers
        assert http_headers is not None
        for name, value in http_headers.headers:
            if name.lower() != "transfer-encoding":  # the body is handed over de-chunked
                headers.appendlist(name, value)
        body = http_body(payload_record)
        self._store_capture(request, entry, captured)
        truncated = payload_record.header("WARC-Truncated")
        if truncated:  # a partial body stays partial: not extracted, as live
            request.meta["truncated"] = truncated
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=status_of(record) or 200,
            headers=headers,
            body=body,
            flags=["replayed"],
            request=request,
            ip_address=_ip(record.header("WARC-IP-Address")),
            protocol=http_headers.protocol or None,
        )

    def _original(self, entry: IndexEntry, revisit: StoredRecord) -> IndexEntry | None:
        date = revisit.header("WARC-Refers-To-Date")
        return self.index.original_of(
            entry,
            url=revisit.header("WARC-Refers-To-Target-URI"),
            timestamp=iso_date_to_timestamp(date) if date else None,
        )

    def _store_capture(self, request: Request, entry: IndexEntry,
                       record: StoredRecord) -> None:
        """Give the replayed record its ``captures`` row (the one it has, if any)."""
        try:
            request_record = _request_record_after(entry, record)
            name = self._names.get(entry.path, entry.path.name.removesuffix(OPEN_SUFFIX))
            row = capture_row(record, name, request_record)
            columns = self.archive.db.db["captures"].columns_dict
            capture_id = self.archive.db.upsert_capture(
                {k: v for k, v in row.items() if k in columns})
        except Exception as exc:
            # The response is still answered; only its row is missing.
            logger.error("WARC_REPLAY: could not store the capture of %s: %s", request.url,
                         exc, exc_info=True)
            return
        request.meta["capture_id"] = capture_id
        request.meta["fetched_at"] = fetched_at_of(record.header("WARC-Date"))


def _request_record_after(entry: IndexEntry, response: StoredRecord) -> StoredRecord | None:
    """The request record of a response, where the crawler writes it: right after it."""
    try:
        after = record_at(entry.path, entry.offset + entry.length)
    except Exception:  # the end of the file, or bytes warcio cannot read as a record
        return None
    concurrent = after.header("WARC-Concurrent-To")
    if after.rec_type != "request" or concurrent != response.record_id:
        return None
    return after


def _ip(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None

