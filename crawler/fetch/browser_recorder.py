"""Downloader middleware that archives what the browser fetched for a rendered page, in the
crawl's own WARC files, and the page as rendered (README: "Pages that need JavaScript").

For a response of :mod:`crawler.fetch.browser` (flagged ``playwright``) it writes, through
the crawl's WARC writer and database (:class:`crawler.store.archive.Archive`):

- per network exchange of the page (the document and its redirects, scripts, stylesheets,
  images, fonts, XHR/fetch answers), in the order they started: a ``response`` record (an
  identical-payload ``revisit`` when the URL's last capture had the same payload), its
  ``request`` record and a ``metadata`` record: ``seed``, ``page``, ``via`` (the page, or
  the redirect before), ``hopsFromSeed`` (the page's, then ``E`` for what it embeds, ``X``
  for what its scripts request, ``R`` per redirect), ``recordedBy: browser``,
  ``resourceType``, ``httpVersion`` and what was decoded (``contentDecoded``); each gets
  its ``captures`` row;
- the DOM after the scripts ran: a ``conversion`` record referring to the document
  response, with its metadata record and ``captures`` row (``record_type`` ``conversion``);
  the spider extracts the article from it, and the article points at that capture.

Requests the browser could not complete are counted (``render/failed``) and, unless the page
itself aborted them, recorded in ``errors`` (stage ``requisite``). A render that fails still
archives the exchanges the browser completed before it failed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawler.fetch.browser import QUIET_FAILURES, SCRIPT_REQUESTS, PageSession
from crawler.store.archive import Archive
from crawler.warc.browser import BrowserExchange, conversion_record, exchange_records
from crawler.warc.capture import capture_row
from crawler.warc.reader import StoredRecord
from crawler.warc.records import payload_digest, warc_date

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from warcio.recordloader import ArcWarcRecord

    from crawler.warc.writer import RecordLocation

__all__ = ["BrowserRecorderMiddleware"]

logger = logging.getLogger(__name__)

WARC_FIELDS = "application/warc-fields"


class BrowserRecorderMiddleware:
    def __init__(self, archive: Archive, crawler: Crawler) -> None:
        self.archive = archive
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserRecorderMiddleware:
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured
        return cls(Archive.of(crawler), crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        session = request.meta.pop("render_session", None)
        if "playwright" not in response.flags or not isinstance(session, PageSession):
            return response
        try:
            document = self.record_session(request, session)
            if 200 <= response.status < 300:
                capture_id, fetched_at = self.record_dom(request, response, session, document)
                request.meta["capture_id"] = capture_id
                request.meta["fetched_at"] = fetched_at
        except Exception as exc:
            logger.error("Could not archive the rendering of %s: %s", request.url, exc,
                         exc_info=True)
            self.archive.record_error(request.url, "archive", type(exc).__name__, str(exc))
        request.meta["render_fetched"] = session.fetched_urls
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        """A failed render: the exchanges completed before it failed are archived too."""
        session = request.meta.pop("render_session", None)
        if isinstance(session, PageSession):
            try:
                self.record_session(request, session)
            except Exception as exc:
                logger.error("Could not archive what the browser fetched for %s: %s",
                             request.url, exc, exc_info=True)
                self.archive.record_error(request.url, "archive", type(exc).__name__, str(exc))
        return None

    # --- writes ------------------------------------------------------------------------------

    def record_session(self, request: Request, session: PageSession) -> str | None:
        """Archive every exchange of the page.

        :return: the record id of the page's document response (the last 2xx of the main
            frame), or None
        """
        document = None
        stats = self.stats
        for exchange in sorted(session.exchanges, key=lambda e: e.started_at):
            fields = self.crawl_fields(request.meta, exchange)
            prior = None
            if exchange.status == 200 and not exchange.truncated:
                last = self.archive.db.last_capture(exchange.url)
                if last and last["payload_digest"] == payload_digest(exchange.body):
                    prior = last
            response_rec, request_rec = exchange_records(self.archive.warc.builder, exchange,
                                                         prior)
            record_id = response_rec.rec_headers.get_header("WARC-Record-ID")
            meta_rec, fields_payload = self._metadata(exchange.url, exchange.started_at,
                                                      fields, record_id)
            locations = self.archive.warc.write(response_rec, request_rec, meta_rec)
            self._add_capture(response_rec, request_rec, (meta_rec, fields_payload), locations,
                              len(exchange.body))
            stats.inc_value("render/exchanges")
            stats.inc_value(f"render/exchanges/{exchange.resource_type}")
            if prior is not None:
                stats.inc_value("archive/revisits")
            if exchange.resource_type == "document" and exchange.is_main_frame and \
                    200 <= exchange.status < 300:
                document = record_id
        for url, resource_type, failure in session.failed:
            stats.inc_value("render/failed")
            if failure.startswith(QUIET_FAILURES) or (
                    resource_type == "document" and url == request.url):
                continue  # aborted by the page, or the page itself (recorded as "render")
            logger.info("The browser could not fetch %s (%s, for %s): %s", url, resource_type,
                        request.url, failure)
            self.archive.record_error(url, "requisite", failure.split(" ")[0],
                                      f"{resource_type} of {request.url}, rendered")
        if session.not_from_network:
            stats.inc_value("render/not_from_network", session.not_from_network)
        if session.unfinished:
            stats.inc_value("render/unfinished", session.unfinished)
        return document

    def record_dom(self, request: Request, response: Response, session: PageSession,
                   document: str | None) -> tuple[int, str]:
        """Archive the rendered DOM as a ``conversion`` record: its capture id and time."""
        taken_at = session.dom_taken_at or datetime.now(UTC)
        encoding = getattr(response, "encoding", None) or "utf-8"
        content_type = f"text/html; charset={encoding}"
        record = conversion_record(self.archive.warc.builder, response.url, response.body,
                                   content_type, taken_at, document)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        meta = request.meta
        redirects = meta.get("redirect_urls") or []
        fields = self._page_fields(meta)
        if redirects:
            fields["via"] = redirects[-1]
        fields["hopsFromSeed"] = meta.get("page_hops", "") + "R" * len(redirects)
        fields.update({"recordedBy": "browser",
                       "conversion": "the DOM the browser serialised once the page's "
                                     "scripts ran and its network was quiet"})
        if document:
            fields["renderedFrom"] = document
        meta_rec, fields_payload = self._metadata(response.url, taken_at, fields, record_id)
        locations = self.archive.warc.write(record, meta_rec)
        capture_id = self._add_capture(record, None, (meta_rec, fields_payload),
                                       [locations[0], None, locations[1]], len(response.body))
        self.stats.inc_value("render/doms")
        fetched = taken_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return capture_id, fetched

    def crawl_fields(self, meta: dict[str, Any], exchange: BrowserExchange) -> dict[str, str]:
        """The metadata fields of one exchange of the page."""
        fields = self._page_fields(meta)
        page_url = meta.get("render_url") or exchange.frame_url
        base = meta.get("page_hops", "")
        if exchange.resource_type == "document" and exchange.is_main_frame:
            hops = base
            via = exchange.redirected_from or fields.get("via")
        else:
            hops = base + ("" if exchange.is_main_frame else "E")
            hops += "X" if exchange.resource_type in SCRIPT_REQUESTS else "E"
            via = exchange.redirected_from or exchange.frame_url or page_url
        fields["hopsFromSeed"] = hops + "R" * exchange.redirect_depth
        if via:
            fields["via"] = via
        else:
            fields.pop("via", None)
        fields["recordedBy"] = "browser"
        fields["resourceType"] = exchange.resource_type
        fields["httpVersion"] = exchange.http_version or "unknown (not reported by the browser)"
        decoded = [f"{name} {value}" for name, value in
                   (("Content-Encoding", _header(exchange.response_headers, "content-encoding")),
                    ("Transfer-Encoding",
                     _header(exchange.response_headers, "transfer-encoding"))) if value]
        if decoded:
            fields["contentDecoded"] = ("the browser handed over the payload with "
                                        + " and ".join(decoded) + " undone; Content-Length "
                                        "is the decoded length")
        if exchange.truncated:
            fields["truncated"] = ("a redirect: the browser keeps no body"
                                   if exchange.truncated == "unspecified" and
                                   300 <= exchange.status < 400 else exchange.truncated)
        return fields

    @staticmethod
    def _page_fields(meta: dict[str, Any]) -> dict[str, str]:
        page = meta.get("seed_url") or meta.get("render_url") or ""
        seed = meta.get("source_seed") or page
        fields = {"seed": seed}
        if page != seed:
            fields["page"] = page
        if meta.get("page_via"):
            fields["via"] = meta["page_via"]
        return fields

    def _metadata(self, url: str, moment: datetime, fields: dict[str, str],
                  refers_to: str) -> tuple[ArcWarcRecord, bytes]:
        payload = "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode()
        record = self.archive.warc.builder.create_warc_record(
            url, "metadata", payload=BytesIO(payload), length=len(payload),
            warc_content_type=WARC_FIELDS,
            warc_headers_dict={"WARC-Date": warc_date(moment), "WARC-Concurrent-To": refers_to})
        return record, payload

    def _add_capture(self, record: ArcWarcRecord, request: ArcWarcRecord | None,
                     metadata: tuple[ArcWarcRecord, bytes],
                     locations: list[RecordLocation | None], payload_length: int) -> int:
        """The ``captures`` row, made from the records as ``crawler replay`` makes it."""
        where = locations[0]
        assert where is not None
        stored = _stored(record, where)
        request_stored = _stored(request, locations[1]) if request is not None else None
        meta_stored = _stored(metadata[0], locations[-1], payload=metadata[1])
        row = capture_row(stored, where.warc_file, request_stored,
                          payload_length=payload_length, metadata=meta_stored)
        row["crawl_id"] = self.archive.crawl_id
        capture_id = self.archive.db.add_capture(row)
        self.stats.inc_value("archive/captures")
        return capture_id


def _stored(record: ArcWarcRecord, where: RecordLocation | None,
            payload: bytes = b"") -> StoredRecord:
    return StoredRecord(record.rec_type, record.rec_headers, record.http_headers, payload,
                        where.offset if where else 0, where.length if where else 0)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in headers if key.lower() == name]
    return ", ".join(values) if values else None


